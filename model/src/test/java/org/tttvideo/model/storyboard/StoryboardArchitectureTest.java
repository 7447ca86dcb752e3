package org.tttvideo.model.storyboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Storyboard code is pure: the Kafka and Flink layers depend on it, never the other way. */
class StoryboardArchitectureTest {

  @Test
  void storyboardCodeImportsNoFlinkKafkaOrJavaCv() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.tttvideo.model.storyboard");
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..", "org.bytedeco..")
        .check(classes);
  }
}
