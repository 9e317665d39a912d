package io.routewatch.cli.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scenario's steps as ExaBGP API commands at compressed wall-clock offsets: scenario time {@code
 * t} happens {@code (t − start) / speed} after the run starts.
 *
 * <p>The VPs' sessions come up in groups, one per distinct {@code up} time ({@link
 * #sessionGroups}), each group its own ExaBGP process. A step's commands for a VP whose session is
 * not up yet (the step is at or before its {@code up}) are not scheduled: they make up that VP's
 * table when its session comes up ({@link #initialTable}), sent as a real router sends its table
 * after the session is established.
 */
public final class Timeline {
  /** One API line and the VP (session) it is for. */
  public record Cmd(String vp, String line) {}

  /** Commands due at one wall-clock offset (ms after the run start). */
  public record Due(long wallMillis, long scenarioMicros, String note, List<Cmd> cmds) {
    /** The API lines, in order. */
    public List<String> commands() {
      return cmds.stream().map(Cmd::line).toList();
    }

    /** The API lines for the sessions of one group. */
    public List<String> commands(SessionGroup g) {
      return cmds.stream().filter(c -> g.has(c.vp())).map(Cmd::line).toList();
    }
  }

  /**
   * The VPs whose sessions come up together at {@code upMicros}: one ExaBGP process. Group 0 is up
   * before the baseline is played (its {@code up} is the scenario's start).
   */
  public record SessionGroup(int index, long upMicros, List<Scenario.Vp> vps) {
    public boolean has(String vp) {
      return vps.stream().anyMatch(v -> v.name().equals(vp));
    }

    public List<String> names() {
      return vps.stream().map(Scenario.Vp::name).toList();
    }
  }

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

  /** The session groups by {@code up} time, group 0 (up at start) first. */
  public List<SessionGroup> sessionGroups() {
    Map<Long, List<Scenario.Vp>> byUp = new TreeMap<>();
    for (Scenario.Vp vp : scenario.vps()) {
      byUp.computeIfAbsent(vp.upMicros(), k -> new ArrayList<>()).add(vp);
    }
    List<SessionGroup> out = new ArrayList<>();
    byUp.forEach((up, vps) -> out.add(new SessionGroup(out.size(), up, List.copyOf(vps))));
    return out;
  }

  /** True when the step's commands for this VP are sent live (its session is up by then). */
  private boolean live(Scenario.Vp vp, Scenario.Step s) {
    return vp.upMicros() == scenario.startMicros() || s.atMicros() > vp.upMicros();
  }

  /**
   * Every step as commands, in time order; commands for a VP whose session is not up yet are left
   * out (they are in its {@link #initialTable}).
   */
  public List<Due> schedule() {
    List<Due> out = new ArrayList<>();
    for (Scenario.Step s : scenario.steps()) {
      List<Cmd> cmds = new ArrayList<>();
      for (String vn : s.vps()) {
        Scenario.Vp vp = scenario.vp(vn);
        if (!live(vp, s)) {
          continue;
        }
        for (String p : s.prefixes()) {
          cmds.add(new Cmd(vn, command(scenario, vp, s.action(), p, s.path())));
        }
      }
      out.add(new Due(wallMillis(s.atMicros()), s.atMicros(), s.note(), cmds));
    }
    return out;
  }

  /**
   * The announcements a late VP's session starts with: its routes after every step up to its {@code
   * up} time (announced, and not withdrawn since), in prefix order of the scenario. Empty for a VP
   * up at start (its baseline is a step of the {@link #schedule}).
   */
  public List<String> initialTable(Scenario.Vp vp) {
    Map<String, String> table = new LinkedHashMap<>();
    for (Scenario.Step s : scenario.steps()) {
      if (!s.vps().contains(vp.name()) || live(vp, s)) {
        continue;
      }
      for (String p : s.prefixes()) {
        if (s.action() == Scenario.Action.ANNOUNCE) {
          table.put(p, s.path());
        } else {
          table.remove(p);
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (String p : scenario.prefixes()) {
      if (table.containsKey(p)) {
        out.add(command(scenario, vp, Scenario.Action.ANNOUNCE, p, table.get(p)));
      }
    }
    return out;
  }

  /** The initial tables of a group's VPs, in VP order. */
  public List<String> initialTable(SessionGroup g) {
    List<String> out = new ArrayList<>();
    g.vps().forEach(vp -> out.addAll(initialTable(vp)));
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
