package io.routewatch.state;

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
 * The layering services/state/README.md states, checked on the compiled main classes: the engine
 * ({@code rib, upstream, visibility, outage, country, resilience}) is plain Java that never depends
 * on Quarkus/CDI, the protobuf contract or the rest of state (API, gRPC, ingest, journal); no
 * package cycles; nothing depends on the CLI.
 *
 * <p>No cycle is frozen any more (issue 16: the config mappings live in the root package, the
 * engine's value types {@code Prefix} and {@code AsPath} in {@code route} below the engine, request
 * checking in {@code request} below {@code query} and {@code shard}): any cycle fails.
 */
class ArchitectureTest {

  private static final String ROOT = "io.routewatch.state";

  private static final String[] ENGINE = {
    "io.routewatch.state.route..",
    "io.routewatch.state.leak..",
    "io.routewatch.state.rib..",
    "io.routewatch.state.upstream..",
    "io.routewatch.state.visibility..",
    "io.routewatch.state.outage..",
    "io.routewatch.state.country..",
    "io.routewatch.state.resilience.."
  };

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
  void engineIsPlainJava() {
    noClasses()
        .that()
        .resideInAnyPackage(ENGINE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..",
            "jakarta.enterprise..",
            "jakarta.inject..",
            "io.grpc..",
            "io.routewatch.proto..")
        .check(CLASSES);
  }

  @Test
  void engineDependsOnNoOtherStatePackage() {
    noClasses()
        .that()
        .resideInAnyPackage(ENGINE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.routewatch.state",
            "io.routewatch.state.web..",
            "io.routewatch.state.query..",
            "io.routewatch.state.shard..",
            "io.routewatch.state.ingest..",
            "io.routewatch.state.changes..",
            "io.routewatch.state.history..",
            "io.routewatch.state.engine..")
        .check(CLASSES);
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
