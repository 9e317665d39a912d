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

  /**
   * The owner withdraws the watched prefix, then a foreign origin announces a more-specific of it:
   * the Hijack fires without a covering prefix, beside the watched prefix's VisibilityLoss.
   */
  @Test
  void subPrefixHijackWithTheCoveringPrefixWithdrawn() throws Exception {
    ScenarioPlay.play("sub-prefix-hijack-covering-withdrawn.yaml");
  }

  /** Unannounced watched space (origins AS0) announced by a foreign origin: a squatting Hijack. */
  @Test
  void squatting() throws Exception {
    ScenarioPlay.play("squatting.yaml");
  }

  /**
   * With the scenario's VRPs in state: a hijack by a ROA-authorised origin is info, one by an
   * RPKI-invalid origin critical and an RpkiInvalid; all resolve when the owner's routes are back.
   */
  @Test
  void rpkiInvalidPagedAndRoaValidSuppressed() throws Exception {
    ScenarioPlay.play("rpki-invalid.yaml");
  }

  /**
   * A watched AS (an ASN entry, no prefix list) deaggregates past its ROA's maxLength: one
   * RpkiInvalid (invalid-length) under the ASN entry, resolved after the withdrawal; nothing for
   * its not-found more-specific.
   */
  @Test
  void ownRoutePastTheRoaMaxLengthPagedUnderTheAsnEntry() throws Exception {
    ScenarioPlay.play("rpki-invalid-own-route.yaml");
  }

  /**
   * A watched AS announces a prefix outside its list and a more-specific of its own entry: one
   * NewPrefix (info) for each, resolved when withdrawn; no Hijack, no VisibilityLoss.
   */
  @Test
  void newPrefixOutsideTheListAndTheOwnersMoreSpecific() throws Exception {
    ScenarioPlay.play("new-prefix.yaml");
  }
}
