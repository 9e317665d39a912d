package io.routewatch.collector;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.syntax.GivenSlices;
import org.junit.jupiter.api.Test;

/**
 * The collector's structure, checked on the compiled main classes: no package cycles below {@code
 * io.routewatch.collector}, and nothing from the CLI.
 */
class ArchitectureTest {

  private static final String ROOT = "io.routewatch.collector";

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);

  @Test
  void noPackageCycles() {
    ArchRule rule = packagesBelowRoot().should().beFreeOfCycles();
    rule.check(CLASSES);
  }

  @Test
  void nothingDependsOnCli() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.routewatch.cli..")
        .check(CLASSES);
  }

  /**
   * One slice per package directly below {@code ROOT} (with its sub-packages); the root package is
   * a slice of its own, so a cycle through it counts too.
   */
  private static GivenSlices packagesBelowRoot() {
    return slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (p.equals(ROOT)) return SliceIdentifier.of("(root) " + ROOT);
                if (!p.startsWith(ROOT + ".")) return SliceIdentifier.ignore();
                String rest = p.substring(ROOT.length() + 1);
                int dot = rest.indexOf('.');
                return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
              }

              @Override
              public String getDescription() {
                return "packages below " + ROOT;
              }
            });
  }
}
