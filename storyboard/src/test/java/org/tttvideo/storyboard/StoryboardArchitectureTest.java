package org.tttvideo.storyboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Storyboard code and the wire records are pure: the Kafka and Flink layers depend on them, never
 * the other way, and they know nothing of the model (the operators convert a storyboard into the
 * model's request), so the connectors can read and write records without the model's natives.
 */
class StoryboardArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.tttvideo.storyboard", "org.tttvideo.video");

  @Test
  void importsTheStoryboardAndVideoClasses() {
    // Guards the rules below against passing vacuously on an empty import.
    assertThat(CLASSES.contain("org.tttvideo.storyboard.StoryboardParser")).isTrue();
    assertThat(CLASSES.contain("org.tttvideo.video.VideoJson")).isTrue();
  }

  @Test
  void storyboardCodeImportsNoFlinkKafkaOrJavaCv() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..", "org.bytedeco..")
        .because(
            "storyboard/ is pure Java; Flink, Kafka and FFmpeg live in operators/ and connectors/")
        .check(CLASSES);
  }

  @Test
  void storyboardCodeDoesNotDependOnTheModel() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.tttvideo.model..")
        .because("the operators convert a Storyboard into the model's GenerationRequest")
        .check(CLASSES);
  }
}
