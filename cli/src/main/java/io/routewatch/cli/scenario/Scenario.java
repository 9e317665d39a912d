package io.routewatch.cli.scenario;

import java.util.List;
import java.util.Map;

/**
 * A scenario as data (scenarios/*.yaml, schema in scenarios/README.md): vantage points with their
 * ASNs and paths, announcements and withdrawals at scenario times, the watch list to install, and
 * the alerts and shares expected. All times are µs since the epoch in scenario time.
 *
 * @param origin the origin AS the scenario is about
 * @param speed default compression (scenario seconds per wall-clock second)
 * @param serviceConfig service settings (property → value) the scenario needs, for every service
 *     (durations in scenario time; scaled by the runner)
 * @param pending why the expected outcome is not met yet by the alert logic ("" = it must pass): a
 *     pending scenario that fails is reported PENDING with this reason, not FAILED
 * @param origins every origin AS whose routes the scenario plays: {@code origin} first, then the
 *     file's {@code origins} (a batch of generated networks played together, {@link
 *     ScenarioGenerator})
 * @param watchAfterBaseline install the watch list only once state holds the whole baseline (the
 *     alert service's first sight is then state's complete picture, as for a monitor that has been
 *     running); otherwise before the sessions come up
 * @param vrps the VRPs state validates routes against (RFC 6811): the runner writes them to a file
 *     and points {@code routewatch.state.rpki.file} at it; empty = RPKI off
 */
public record Scenario(
    String name,
    String description,
    long origin,
    long startMicros,
    long endMicros,
    double speed,
    long collectorAsn,
    List<String> prefixes,
    List<Vp> vps,
    List<Step> steps,
    List<Watch> watch,
    Map<String, String> serviceConfig,
    List<ExpectedAlert> alerts,
    List<ExpectedShare> shares,
    String pending,
    List<Long> origins,
    boolean watchAfterBaseline,
    List<Vrp> vrps) {

  /** A scenario without VRPs (RPKI off in state). */
  public Scenario(
      String name,
      String description,
      long origin,
      long startMicros,
      long endMicros,
      double speed,
      long collectorAsn,
      List<String> prefixes,
      List<Vp> vps,
      List<Step> steps,
      List<Watch> watch,
      Map<String, String> serviceConfig,
      List<ExpectedAlert> alerts,
      List<ExpectedShare> shares,
      String pending,
      List<Long> origins,
      boolean watchAfterBaseline) {
    this(
        name,
        description,
        origin,
        startMicros,
        endMicros,
        speed,
        collectorAsn,
        prefixes,
        vps,
        steps,
        watch,
        serviceConfig,
        alerts,
        shares,
        pending,
        origins,
        watchAfterBaseline,
        List.of());
  }

  /**
   * One Validated ROA Payload: {@code asn} may originate {@code prefix} and its more-specifics up
   * to {@code maxLength} (AS0: nobody may).
   */
  public record Vrp(String prefix, int maxLength, long asn) {}

  /** A scenario about one origin. */
  public Scenario(
      String name,
      String description,
      long origin,
      long startMicros,
      long endMicros,
      double speed,
      long collectorAsn,
      List<String> prefixes,
      List<Vp> vps,
      List<Step> steps,
      List<Watch> watch,
      Map<String, String> serviceConfig,
      List<ExpectedAlert> alerts,
      List<ExpectedShare> shares,
      String pending) {
    this(
        name,
        description,
        origin,
        startMicros,
        endMicros,
        speed,
        collectorAsn,
        prefixes,
        vps,
        steps,
        watch,
        serviceConfig,
        alerts,
        shares,
        pending,
        List.of(origin),
        false);
  }

  /**
   * One vantage point: a BGP session from {@code address} (127.0.0.x) with AS {@code asn}.
   *
   * @param nextHop6 the next hop its IPv6 announcements carry (MP_REACH_NLRI, RFC 4760 §3); IPv4
   *     ones carry {@code address}
   * @param upMicros when its session comes up (scenario time): the scenario's {@code start} for a
   *     session up before the baseline is played (the default), later for one that joins late
   */
  public record Vp(
      String name,
      long asn,
      String address,
      String nextHop6,
      Map<String, List<Long>> paths,
      long upMicros) {
    /** The next hop for a prefix of this family. */
    public String nextHop(String prefix) {
      return Scenario.isIpv6(prefix) ? nextHop6 : address;
    }
  }

  /** A prefix is IPv6 when it has a colon ("2001:db8::/32"). */
  public static boolean isIpv6(String prefix) {
    return prefix.indexOf(':') >= 0;
  }

  /** True when the scenario is marked pending (its expectations are ahead of the alert logic). */
  public boolean isPending() {
    return pending != null && !pending.isEmpty();
  }

  public enum Action {
    ANNOUNCE,
    WITHDRAW
  }

  /**
   * At {@code atMicros}, the VPs announce (with their path named {@code path}) or withdraw
   * prefixes.
   */
  public record Step(
      long atMicros,
      String note,
      List<String> vps,
      Action action,
      List<String> prefixes,
      String path) {}

  /** A watch-list entry; duration-valued overrides are in scenario time. */
  public record Watch(String value, Map<String, String> overrides, String description) {}

  /**
   * An alert transition expected in the alert service and Alertmanager.
   *
   * @param atMicros scenario time of the BGP event that causes it
   * @param holdMicros scenario time the alert pipeline waits before it may fire/resolve (0 = at
   *     once)
   * @param state FIRING or RESOLVED
   * @param labels labels that must match (alertname excluded: that is {@code type}); an empty value
   *     means the label must be absent
   * @param durationMicros for RESOLVED: the expected endsAt − startsAt in scenario time (0 =
   *     unchecked)
   */
  public record ExpectedAlert(
      long atMicros,
      long holdMicros,
      String type,
      String state,
      Map<String, String> labels,
      long durationMicros,
      String note) {
    /** Scenario time the transition is due. */
    public long dueMicros() {
      return atMicros + holdMicros;
    }

    public String describe() {
      return type
          + " "
          + state
          + " "
          + labels
          + (note == null || note.isEmpty() ? "" : " (" + note + ")");
    }
  }

  /**
   * The VP-weighted share of {@code upstream} expected at a scenario time, ± tolerance.
   *
   * @param origin whose upstream it is (0: the scenario's {@code origin})
   */
  public record ExpectedShare(
      long atMicros, long upstream, double vpShare, double tolerance, long origin) {
    public ExpectedShare(long atMicros, long upstream, double vpShare, double tolerance) {
      this(atMicros, upstream, vpShare, tolerance, 0);
    }
  }

  public Vp vp(String name) {
    return vps.stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown VP " + name));
  }
}
