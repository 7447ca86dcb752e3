package org.tttvideo.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ManifestChecker} reports what breaks a deployment silently: each case copies {@code
 * deploy/}, makes one edit a person could make, and expects the problem that edit causes among
 * those reported (an edit can cause more than one: a misspelt job option also leaves the backend
 * unknown).
 */
class ManifestCheckerTest {
  private static DeployFiles.Checkout checkout;

  @BeforeAll
  static void read() {
    checkout = DeployFiles.checkout();
  }

  private static List<String> check(Path copy) {
    return new ManifestChecker(checkout.build(), checkout.keys())
        .check(copy.resolve("deploy/k8s"), copy.resolve("deploy/docker"));
  }

  @Test
  void anUnchangedCopyHasNoProblems(@TempDir Path dir) {
    assertThat(check(DeployFiles.copy(checkout.root(), dir))).isEmpty();
  }

  @Test
  void aMisspelledFlinkKeyIsReportedWithTheKeyItMeant(@TempDir Path dir) {
    Path copy = DeployFiles.copy(checkout.root(), dir);
    DeployFiles.replaceOnce(
        copy.resolve("deploy/k8s/flink-deployment.yaml"),
        "taskmanager.numberOfTaskSlots: \"1\"",
        "taskmanager.numberOfTaskSlot: \"1\"");

    assertThat(check(copy))
        .containsExactly(
            "flink-deployment.yaml FlinkDeployment/ttt-video-generation: flinkConfiguration key"
                + " 'taskmanager.numberOfTaskSlot' is not a Flink option (Flink ignores it); did"
                + " you mean taskmanager.numberOfTaskSlots?");
  }

  @Test
  void aContainerBeforeTheMainContainerIsReported(@TempDir Path dir) {
    Path copy = DeployFiles.copy(checkout.root(), dir);
    DeployFiles.replaceOnce(
        copy.resolve("deploy/k8s/flink-deployment.yaml"),
        """
                containers:
                  - name: flink-main-container
                    resources:
        """,
        """
                containers:
                  - name: log-shipper
                    image: busybox
                    resources:
                      requests: {cpu: 10m, memory: 16Mi}
                  - name: flink-main-container
                    resources:
        """);

    assertThat(check(copy))
        .contains(
            "flink-deployment.yaml FlinkDeployment/ttt-video-generation: spec.taskManager.podTemplate:"
                + " the first container is 'log-shipper', not flink-main-container");
  }

  @Test
  void envInTwoPodTemplatesIsReported(@TempDir Path dir) {
    Path copy = DeployFiles.copy(checkout.root(), dir);
    DeployFiles.replaceOnce(
        copy.resolve("deploy/k8s/flink-deployment.yaml"),
        """
                  - name: flink-main-container
                    resources:
        """,
        """
                  - name: flink-main-container
                    env:
                      - name: NVIDIA_DRIVER_CAPABILITIES
                        value: compute,utility
                    resources:
        """);

    assertThat(check(copy))
        .containsExactly(
            "flink-deployment.yaml FlinkDeployment/ttt-video-generation: env in both"
                + " spec.podTemplate and spec.taskManager.podTemplate (flink-main-container): the"
                + " operator merges the lists by position, so entries of one replace entries of"
                + " the other");
  }

  /** One edit per row: file under deploy/, text replaced, replacement, part of the problem. */
  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          k8s/flink-deployment.yaml | execution.checkpointing.incremental: "true" | execution.checkpointing.incremental: true \
            | flinkConfiguration execution.checkpointing.incremental: true is a YAML boolean; the FlinkDeployment CRD takes strings only
          k8s/flink-deployment.yaml | execution.checkpointing.dir: | state.checkpoints.dir: \
            | 'state.checkpoints.dir' is deprecated (CheckpointingOptions.CHECKPOINTS_DIRECTORY); use execution.checkpointing.dir
          k8s/flink-deployment.yaml | num-retained: "3" | num-retained: "three" \
            | execution.checkpointing.num-retained: 'three' is not a valid value
          k8s/flink-deployment.yaml | state.backend.type: rocksdb | state.backend.typ: rocksdb \
            | 'state.backend.typ' is not a Flink option
          k8s/flink-deployment.yaml | external-resource.gpu.param.discovery-script.path | external-resource.gpu.param.discovery-script \
            | 'external-resource.gpu.param.discovery-script' is not a parameter of the GPU driver
          k8s/flink-deployment.yaml | s3.path.style.access | s3.path.style \
            | 's3.path.style' is not an S3 file system key
          k8s/flink-deployment.yaml | - --model.backend | - --model.backnd \
            | the job refuses them: unknown option 'model.backnd'
          k8s/flink-deployment.yaml | - 45min | - 2h \
            | kafka.transaction-timeout PT2H exceeds the brokers' transaction.max.timeout.ms 3600000
          k8s/flink-deployment.yaml | ttt-video/flink:0.1.0-SNAPSHOT-cuda11.6 | ttt-video/flink:0.1.0-cuda11.6 \
            | spec.image tag is '0.1.0-cuda11.6', expected '0.1.0-SNAPSHOT-cuda11.6'
          k8s/flink-deployment.yaml | usrlib/ttt-video-jobs-0.1.0-SNAPSHOT-cluster.jar | usrlib/ttt-video-jobs.jar \
            | spec.job.jarURI is 'local:///opt/flink/usrlib/ttt-video-jobs.jar'
          k8s/flink-deployment.yaml | flinkVersion: v2_2 | flinkVersion: v1_20 \
            | spec.flinkVersion is 'v1_20', expected 'v2_2'
          k8s/flink-deployment.yaml | "7", "8"] | "7", "8", "9"] \
            | admits compute capability [9].x, which ND4J's CUDA 11.6 build cannot run on
          k8s/flink-deployment.yaml | nvidia.com/gpu: 1 | nvidia.com/gpu: 2 \
            | resources.limits nvidia.com/gpu is 2, not the external resource amount 1
          k8s/flink-deployment.yaml | org.nd4j.;org.bytedeco. | org.nd4j. \
            | classloader.parent-first-patterns.additional lacks org.bytedeco.
          k8s/flink-deployment.yaml | javacpp.cachedir=/opt/ttt-video/javacpp-cache | javacpp.cachedir=/tmp/javacpp \
            | the JavaCPP cache dir of Dockerfile is '/tmp/javacpp', expected '/opt/ttt-video/javacpp-cache'
          k8s/flink-deployment.yaml | flink-s3-fs-hadoop-2.2.1.jar | flink-s3-fs-hadoop-2.2.0.jar \
            | ENABLE_BUILT_IN_PLUGINS names flink-s3-fs-hadoop-2.2.0.jar, not a jar of Flink 2.2.1
          k8s/kafka-topics.yaml | topicName: videos | topicName: video \
            | the job uses topic 'videos' (topics.videos), which no KafkaTopic creates
          k8s/kafka-topics.yaml | max.message.bytes: 1052672 | max.message.bytes: 65536 \
            | below storyboard.max-payload-bytes 1048576
          k8s/kafka.yaml | cpu: 250m | cpu_: 250m \
            | KafkaNodePool/controller: spec.resources has no cpu request
          k8s/kafka.yaml | app: ttt-video-generation | app: ttt-video \
            | listener plain admits no pods labelled app=ttt-video-generation
          k8s/flink-rbac.yaml | resources: [pods, configmaps] | resources: [pods] \
            | no Role bound to ttt-video-flink grants pods and configmaps
          docker/Dockerfile | ARG FLINK_VERSION=2.2.1 | ARG FLINK_VERSION=2.2.0 \
            | Dockerfile: ARG FLINK_VERSION is '2.2.0', expected '2.2.1'
          docker/Dockerfile.gpu | nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04 | nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04 \
            | is not a CUDA 11.x runtime image
          docker/build.sh | GPU_TAG_SUFFIX=-cuda11.6 | GPU_TAG_SUFFIX=-gpu \
            | build.sh: GPU_TAG_SUFFIX is '-gpu', expected '-cuda11.6'
          """)
  void eachEditIsReported(String file, String from, String to, String expected, @TempDir Path dir) {
    Path copy = DeployFiles.copy(checkout.root(), dir);
    DeployFiles.replaceOnce(copy.resolve("deploy").resolve(file.strip()), from.strip(), to.strip());

    List<String> problems = check(copy);

    assertThat(problems).anySatisfy(p -> assertThat(p).contains(expected.strip()));
  }
}
