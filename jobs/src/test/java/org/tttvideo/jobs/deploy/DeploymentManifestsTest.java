package org.tttvideo.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checkout's deployment ({@code deploy/k8s}, {@code deploy/docker}) agrees with the build and
 * with itself: {@link ManifestChecker} finds no problem. {@link ManifestCheckerTest} shows that it
 * finds them.
 */
class DeploymentManifestsTest {
  private static DeployFiles.Checkout checkout;

  @BeforeAll
  static void read() {
    checkout = DeployFiles.checkout();
  }

  @Test
  void manifestsAndDockerfilesHaveNoProblems() {
    assertThat(
            new ManifestChecker(checkout.build(), checkout.keys())
                .check(
                    checkout.root().resolve("deploy/k8s"),
                    checkout.root().resolve("deploy/docker")))
        .isEmpty();
  }

  @Test
  void buildFactsComeFromThePoms() {
    // the pom's flink.version is the Flink on this class path, which the manifests are checked with
    assertThat(checkout.build().flinkVersion()).isEqualTo(EnvironmentInformation.getVersion());
    assertThat(checkout.build().operatorFlinkVersion()).matches("v2_\\d+");
    assertThat(checkout.build().clusterJar())
        .isEqualTo("ttt-video-jobs-" + checkout.build().projectVersion() + "-cluster.jar");
    assertThat(checkout.build().cudaBackend()).isEqualTo("nd4j-cuda-11.6");
    assertThat(checkout.build().cudaVersion()).isEqualTo("11.6");
  }

  @Test
  void optionKeysComeFromFlinksOptionClasses() {
    assertThat(checkout.keys().classes())
        .contains(
            "org.apache.flink.configuration.CheckpointingOptions",
            "org.apache.flink.configuration.HighAvailabilityOptions",
            "org.apache.flink.configuration.ExternalResourceOptions",
            "org.apache.flink.configuration.TaskManagerOptions",
            "org.apache.flink.configuration.CoreOptions",
            "org.apache.flink.configuration.StateBackendOptions",
            "org.apache.flink.configuration.RestartStrategyOptions",
            "org.apache.flink.configuration.PipelineOptions",
            "org.apache.flink.kubernetes.configuration.KubernetesConfigOptions",
            "org.apache.flink.state.rocksdb.RocksDBOptions");
    assertThat(checkout.keys().size()).isGreaterThan(500);

    assertThat(checkout.keys().lookup("taskmanager.numberOfTaskSlots"))
        .hasValueSatisfying(
            f -> {
              assertThat(f.declaredIn()).isEqualTo("TaskManagerOptions.NUM_TASK_SLOTS");
              assertThat(f.deprecated()).isFalse();
            });
    assertThat(checkout.keys().lookup("state.checkpoints.dir"))
        .hasValueSatisfying(
            f -> assertThat(f.replacedBy()).isEqualTo("execution.checkpointing.dir"));
    assertThat(checkout.keys().lookup("external-resource.gpu.amount")).isPresent();
    assertThat(checkout.keys().lookup("external-resource.gpu.param.discovery-script.path"))
        .isPresent();
    assertThat(checkout.keys().lookup("external-resource.gpu.kubernetes.config-key"))
        .hasValueSatisfying(
            f ->
                assertThat(f.declaredIn())
                    .isEqualTo("KubernetesConfigOptions.EXTERNAL_RESOURCE_KUBERNETES_CONFIG_KEY"));
    assertThat(checkout.keys().lookup("kubernetes.rest-service.exposed.type")).isPresent();
    assertThat(checkout.keys().lookup("taskmanager.numberOfTaskSlot")).isEmpty();
    assertThat(checkout.keys().similar("taskmanager.numberOfTaskSlot"))
        .contains("taskmanager.numberOfTaskSlots");
  }
}
