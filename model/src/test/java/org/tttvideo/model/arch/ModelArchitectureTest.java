package org.tttvideo.model.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The model never sees Flink, Kafka or JavaCV (DESIGN.md, "Modules"): its state goes in and comes
 * out explicitly and the operators keep it in Flink state. Nor does it see the storyboard formats
 * or the wire records: the operators turn a parsed storyboard into a {@code GenerationRequest}, so
 * a change to the input formats never touches the model.
 */
class ModelArchitectureTest {

  private static final JavaClasses MODEL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.tttvideo.model");

  @Test
  void importsTheModelClasses() {
    // Guards the rule below against passing vacuously on an empty import.
    assertThat(MODEL.contain("org.tttvideo.model.compute.Tensor")).isTrue();
    assertThat(MODEL.size()).isGreaterThan(10);
  }

  @Test
  void modelDoesNotDependOnFlinkKafkaOrJavaCv() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.flink..",
            "org.apache.kafka..",
            "org.bytedeco.javacv..",
            "org.bytedeco.ffmpeg..")
        .because(
            "model/ is pure model code; Flink, Kafka and FFmpeg live in operators/ and connectors/")
        .check(MODEL);
  }

  @Test
  void modelDoesNotDependOnStoryboardsOrWireRecords() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.tttvideo.storyboard..", "org.tttvideo.video..")
        .because(
            "storyboard parsing and the Kafka records live in storyboard/; the operators convert a"
                + " Storyboard into the model's GenerationRequest")
        .check(MODEL);
  }

  @Test
  void modelDoesNotDependOnNd4jOrJavaCpp() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.nd4j..", "org.bytedeco..")
        .because(
            "native backends live in their own modules (compute-nd4j), found through"
                + " ComputeProvider and ServiceLoader")
        .check(MODEL);
  }
}
