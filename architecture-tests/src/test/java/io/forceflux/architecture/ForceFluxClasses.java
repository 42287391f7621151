package io.forceflux.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The library modules' main classes, imported once for every rule. */
final class ForceFluxClasses {
  /** Main classes only: tests may reach anywhere. */
  static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.forceflux.core", "io.forceflux.reactor", "io.forceflux.testkit", "io.forceflux.boot");

  private ForceFluxClasses() {}
}
