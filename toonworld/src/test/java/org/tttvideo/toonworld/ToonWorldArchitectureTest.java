package org.tttvideo.toonworld;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * ToonWorld is pure Java: it makes frames and text and reads them back, and knows nothing of the
 * model, Flink, Kafka, FFmpeg or ND4J. The CLI in jobs/ joins it to the MP4 encoder in connectors/.
 */
class ToonWorldArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.tttvideo.toonworld");

  @Test
  void importsTheToonWorldClasses() {
    // Guards the rules below against passing vacuously on an empty import.
    assertThat(CLASSES.contain("org.tttvideo.toonworld.WorldSpecJson")).isTrue();
  }

  @Test
  void importsNoFlinkKafkaJavaCvOrNd4j() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.flink..", "org.apache.kafka..", "org.bytedeco..", "org.nd4j..")
        .because("toonworld/ is pure Java; MP4 encoding lives in connectors/")
        .check(CLASSES);
  }

  @Test
  void dependsOnNoOtherModuleOfOursButTheStoryboard() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.tttvideo.model..",
            "org.tttvideo.connectors..",
            "org.tttvideo.operators..",
            "org.tttvideo.jobs..")
        .because("toonworld/ may use the storyboard types and nothing else of ours")
        .check(CLASSES);
  }
}
