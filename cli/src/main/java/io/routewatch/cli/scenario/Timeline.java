package io.routewatch.cli.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scenario's steps as ExaBGP API commands at compressed wall-clock offsets: scenario time {@code
 * t} happens {@code (t − start) / speed} after the run starts.
 */
public final class Timeline {
  /** Commands due at one wall-clock offset (ms after the run start). */
  public record Due(long wallMillis, long scenarioMicros, String note, List<String> commands) {}

  private final Scenario scenario;
  private final double speed;

  public Timeline(Scenario scenario, double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be > 0, not " + speed);
    }
    this.scenario = scenario;
    this.speed = speed;
  }

  public double speed() {
    return speed;
  }

  /** Wall-clock ms after the run start at which scenario time {@code t} happens. */
  public long wallMillis(long scenarioMicros) {
    return Math.round((scenarioMicros - scenario.startMicros()) / speed / 1000.0);
  }

  /** A scenario-time duration compressed to wall-clock µs. */
  public long compress(long scenarioMicros) {
    return Math.round(scenarioMicros / speed);
  }

  /** A compressed duration as ISO-8601 (what the alert service's overrides take), at least 1 ms. */
  public String compressIso(long scenarioMicros) {
    long ms = Math.max(1, Math.round(compress(scenarioMicros) / 1000.0));
    return String.format(Locale.ROOT, "PT%d.%03dS", ms / 1000, ms % 1000);
  }

  /** Every step as commands, in time order. */
  public List<Due> schedule() {
    List<Due> out = new ArrayList<>();
    for (Scenario.Step s : scenario.steps()) {
      List<String> cmds = new ArrayList<>();
      for (String vn : s.vps()) {
        Scenario.Vp vp = scenario.vp(vn);
        for (String p : s.prefixes()) {
          cmds.add(command(scenario, vp, s.action(), p, s.path()));
        }
      }
      out.add(new Due(wallMillis(s.atMicros()), s.atMicros(), s.note(), cmds));
    }
    return out;
  }

  /**
   * One ExaBGP API line aimed at one VP's session (the neighbour selector picks the session by its
   * local address, as every VP talks to the same collector address).
   */
  static String command(
      Scenario sc, Scenario.Vp vp, Scenario.Action a, String prefix, String pathName) {
    String sel = "neighbor 127.0.0.1 local-ip " + vp.address() + " ";
    if (a == Scenario.Action.WITHDRAW) {
      return sel + "withdraw route " + prefix;
    }
    StringBuilder path = new StringBuilder();
    for (long asn : vp.paths().get(pathName)) {
      path.append(asn).append(' ');
    }
    // an IPv6 prefix goes in MP_REACH_NLRI with an IPv6 next hop (RFC 4760 §3), even on this IPv4
    // session
    return sel
        + "announce route "
        + prefix
        + " next-hop "
        + vp.nextHop(prefix)
        + " as-path [ "
        + path
        + "]";
  }
}
