package io.routewatch.e2e;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 acceptance 3: the hijack scenario files played end to end through real ExaBGP on shipped
 * defaults, as {@link DualStackScenariosIT} plays its files (a file marked {@code pending:} is
 * skipped with its reason).
 */
@Tag("serial") // see e2e/pom.xml: plays a scenario timeline
class HijackScenariosIT {
  /**
   * A watched prefix announced by a foreign origin to four of ten VPs: one Hijack firing at the
   * first foreign route and resolving when the last VP is back, nothing else.
   */
  @Test
  void exactPrefixHijack() throws Exception {
    ScenarioPlay.play("exact-prefix-hijack.yaml");
  }
}
