package io.routewatch.alert;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.syntax.GivenSlices;
import org.junit.jupiter.api.Test;

/**
 * The alert service's layering, checked on the compiled main classes: the rules ({@code rule}) are
 * pure decisions that know nothing of the pipeline, notification or API around them; {@code link}
 * (the state client) knows nothing of the pipeline either; no package cycles; nothing depends on
 * the CLI.
 *
 * <p>No cycle is frozen any more (issue 16): the config mapping lives in the root package, the
 * pipeline owns the outbox it writes in its transaction (notify only delivers it), and {@code
 * metrics} is a leaf of counters the pipeline and the notifier call; any cycle fails.
 */
class ArchitectureTest {

  private static final String ROOT = "io.routewatch.alert";

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
  void rulesKnowNothingOfPipelineNotifyOrApi() {
    noClasses()
        .that()
        .resideInAPackage("io.routewatch.alert.rule..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.routewatch.alert.pipeline..",
            "io.routewatch.alert.notify..",
            "io.routewatch.alert.api..",
            "io.routewatch.alert.metrics..",
            "io.routewatch.alert.watch..")
        .check(CLASSES);
  }

  @Test
  void linkKnowsNothingOfPipelineNotifyOrApi() {
    noClasses()
        .that()
        .resideInAPackage("io.routewatch.alert.link..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.routewatch.alert.pipeline..",
            "io.routewatch.alert.notify..",
            "io.routewatch.alert.api..")
        .check(CLASSES);
  }

  /**
   * Acceptance 1 of issue 16: the rules and the code that matches changes to watch targets read
   * typed fields only; {@code Change.detail} is display text no program may parse.
   */
  @Test
  void rulesAndMatchingNeverReadChangeDetail() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.routewatch.alert.rule..",
            "io.routewatch.alert.watch..",
            "io.routewatch.alert.pipeline..")
        .should()
        .callMethodWhere(READS_CHANGE_DETAIL)
        .because("Change.detail is display text: read the typed fields")
        .check(CLASSES);
  }

  static final DescribedPredicate<JavaMethodCall> READS_CHANGE_DETAIL =
      DescribedPredicate.describe(
          "target is Change#getDetail or Change#getDetailBytes",
          call ->
              call.getTargetOwner().getName().startsWith("io.routewatch.proto.v1.Change")
                  && (call.getName().equals("getDetail")
                      || call.getName().equals("getDetailBytes")));

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
