package io.routewatch.cli.scenario;

import io.routewatch.cli.time.Times;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Generated scenarios (issue 15, property-based): from a seed, a random multi-homed network (1–6
 * upstreams, 1–20 IPv4 and IPv6 prefixes, 5–20 VPs) with 1–3 random incidents — total and partial
 * outages, an upstream lost for a while, a share shift, flaps, single-VP noise, an upstream added,
 * an upstream swap — and the alerts docs/alerts.md says they must raise on the shipped defaults.
 * The expectations are derived from the documented rule semantics (hold 5 min, clear 10 min,
 * SingleHomed hold 10 min, 3 peer ASNs of evidence, 20-point share shift, visible above 50 % of
 * full-feed VPs), never from a run.
 *
 * <p>Several seeds are played together as one {@link Batch}: each seed its own network (origin,
 * upstream ASNs and prefixes of its own), all of them seen by the same VPs — state's visibility is
 * measured against every full-feed VP, so a VP that did not carry a network would make it look half
 * dark. The batch's VP count is the largest any of its seeds drew, and each seed's network is
 * generated over that many VPs; {@link #vpCount} is the seed's own draw, which a seed played alone
 * uses. Whether some sessions come up late (staggered start) is drawn for the batch from its first
 * seed. {@link #yaml} writes a batch (or one seed of it) as a scenario file (scenarios/README.md).
 */
public final class ScenarioGenerator {
  /** Where every generated timeline starts. */
  public static final long T0 = 1_714_521_600_000_000L; // 2024-05-01T00:00:00Z

  static final long S = 1_000_000L;
  static final long M = 60 * S;
  static final long H = 60 * M;

  /** The shipped rule durations (docs/configuration.md), in scenario time. */
  static final long HOLD = 5 * M;

  static final long CLEAR = 10 * M;
  static final long SINGLE_HOMED_HOLD = 10 * M;

  /** Shipped evidence and thresholds (docs/alerts.md). */
  static final int MIN_PEER_ASNS = 3;

  static final double SHARE_SHIFT = 0.20;

  /** Most seeds in one batch: each takes 16 private ASNs below the collector's 65000. */
  public static final int MAX_BATCH = 30;

  /** The VPs' peer ASNs: distinct, so every VP is a peer AS of its own. */
  static final long[] VP_ASNS = {
    3356, 1299, 174, 2914, 3257, 6939, 6461, 209, 3491, 6453, 5511, 6762, 1239, 701, 7018, 3320,
    12956, 2828, 4637, 7473
  };

  /** Time between the incident slots of a network. */
  static final long SLOT = 3 * H + 30 * M;

  public enum Kind {
    TOTAL_OUTAGE,
    PARTIAL_OUTAGE,
    UPSTREAM_LOST,
    SHARE_SHIFT,
    FLAP,
    NOISE,
    UPSTREAM_ADDED,
    UPSTREAM_SWAP
  }

  /** One incident of a network and when it starts. */
  public record Incident(Kind kind, long atMicros, String note) {}

  /**
   * A route change: {@code vps} (indices) announce {@code prefixes} via {@code upstream} (then
   * origin), or withdraw them ({@code upstream} 0).
   */
  public record Change(
      long atMicros, String note, List<Integer> vps, List<String> prefixes, long upstream) {}

  /** An alert transition the rules must produce. */
  public record Alert(
      long atMicros,
      long holdMicros,
      String type,
      String state,
      Map<String, String> labels,
      long durationMicros,
      String note) {}

  /** A share state must report for an upstream of this network. */
  public record Share(long atMicros, long upstream, double share) {}

  /** One seed's network over the batch's VPs. */
  public record Network(
      long seed,
      int index,
      long origin,
      List<Long> upstreams,
      List<String> prefixes,
      List<Incident> incidents,
      List<Change> changes,
      List<Alert> alerts,
      List<Share> shares,
      long lastMicros) {}

  /**
   * Seeds played together: {@code vps} VPs (the first {@code VP_ASNS.length} peer ASNs), the ones
   * in {@code upMicros} coming up late at those times.
   */
  public record Batch(
      List<Long> seeds, int vps, Map<Integer, Long> upMicros, List<Network> networks) {
    public long endMicros() {
      return networks.stream().mapToLong(Network::lastMicros).max().orElse(T0 + H) + 30 * M;
    }

    public int incidents() {
      return networks.stream().mapToInt(n -> n.incidents().size()).sum();
    }

    public int alerts() {
      return networks.stream().mapToInt(n -> n.alerts().size()).sum();
    }

    /** The network of a seed. */
    public Network network(long seed) {
      return networks.stream().filter(n -> n.seed() == seed).findFirst().orElseThrow();
    }
  }

  private ScenarioGenerator() {}

  /** The VP count a seed draws (5–20): the first draw of its random stream. */
  public static int vpCount(long seed) {
    return 5 + new SplittableRandom(seed).nextInt(16);
  }

  /**
   * Splits seeds into batches of at most {@code size}, seeds of similar VP counts together (a batch
   * plays every network over its largest VP count).
   */
  public static List<List<Long>> batches(List<Long> seeds, int size) {
    if (size < 1 || size > MAX_BATCH) {
      throw new IllegalArgumentException("batch size 1.." + MAX_BATCH + ", not " + size);
    }
    List<Long> sorted = new ArrayList<>(seeds);
    sorted.sort(Comparator.comparingInt(ScenarioGenerator::vpCount).thenComparingLong(s -> s));
    List<List<Long>> out = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i += size) {
      out.add(List.copyOf(sorted.subList(i, Math.min(sorted.size(), i + size))));
    }
    return out;
  }

  /** A batch over the largest VP count its seeds drew. */
  public static Batch batch(List<Long> seeds) {
    return batch(seeds, seeds.stream().mapToInt(ScenarioGenerator::vpCount).max().orElse(5));
  }

  /** A batch over {@code vps} VPs (5–20). */
  public static Batch batch(List<Long> seeds, int vps) {
    if (seeds.isEmpty() || seeds.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          "1.." + MAX_BATCH + " seeds per batch, not " + seeds.size());
    }
    if (vps < 5 || vps > VP_ASNS.length) {
      throw new IllegalArgumentException("5.." + VP_ASNS.length + " VPs, not " + vps);
    }
    if (new HashSet<>(seeds).size() != seeds.size()) {
      throw new IllegalArgumentException("a seed twice in a batch: " + seeds);
    }
    int late = lateCapable(vps);
    // staggered start, drawn for the batch from its first seed: up to `late` of the last VPs come
    // up one after another within the first 40 minutes, each with its full table
    SplittableRandom br = new SplittableRandom(seeds.get(0) ^ 0x5DEECE66DL);
    Map<Integer, Long> up = new TreeMap<>();
    if (br.nextInt(2) == 0) {
      int k = 1 + br.nextInt(late);
      for (int j = 0; j < k; j++) {
        up.put(vps - 1 - j, T0 + (5 + 15 * j + br.nextInt(10)) * M + br.nextInt(60) * S);
      }
    }
    List<Network> nets = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) {
      nets.add(network(seeds.get(i), i, vps, up));
    }
    return new Batch(List.copyOf(seeds), vps, up, nets);
  }

  /** How many of the last VPs may come up late: every upstream keeps 3 VPs up from the start. */
  static int lateCapable(int vps) {
    return vps >= 15 ? 2 : 1;
  }

  /** The network of one seed, the {@code index}th of its batch, over {@code vps} VPs. */
  static Network network(long seed, int index, int vps, Map<Integer, Long> up) {
    SplittableRandom r = new SplittableRandom(seed);
    r.nextInt(16); // the seed's own VP count (vpCount): the batch decides
    long origin = 64512 + 16L * index;
    int early = vps - lateCapable(vps);
    int nUp = 1 + r.nextInt(Math.min(6, early / 3));
    int nPfx = 1 + r.nextInt(20);
    List<String> prefixes = new ArrayList<>();
    for (int k = 0; k < nPfx; k++) {
      boolean v6 = nPfx >= 2 && k < 2 ? k == 1 : r.nextBoolean();
      prefixes.add(
          v6
              ? String.format("2001:db8:%x::/48", 0x1000 + 32 * index + k)
              : String.format("10.%d.%d.0/24", index, k));
    }
    Gen g = new Gen(seed, origin, vps, prefixes, r);
    // baseline: three VPs up from the start per upstream, the others anywhere
    List<Integer> earlyVps = new ArrayList<>();
    for (int v = 0; v < early; v++) {
      earlyVps.add(v);
    }
    shuffle(earlyVps, r);
    for (int j = 0; j < nUp; j++) {
      g.upstreams.add(origin + 1 + j);
    }
    g.nextUpstream = origin + 1 + nUp;
    for (int k = 0; k < vps; k++) {
      int v = k < early ? earlyVps.get(k) : k;
      g.cur[v] = k < 3 * nUp ? origin + 1 + k / 3 : origin + 1 + r.nextInt(nUp);
    }
    g.baseline();
    // a share sample once the late sessions are up
    long lastUp = up.values().stream().mapToLong(x -> x).max().orElse(T0);
    g.sample(Math.max(T0 + 50 * M, lastUp + 10 * M));
    int nInc = 1 + r.nextInt(3);
    for (int j = 0; j < nInc; j++) {
      // spread over an hour: the networks of a batch do not all fail at once
      long t = T0 + H + j * SLOT + r.nextInt(60) * M + r.nextInt(60) * S;
      boolean last = j == nInc - 1;
      for (int tries = 0; tries < 20; tries++) {
        Kind k = Kind.values()[r.nextInt(last ? Kind.values().length : Kind.NOISE.ordinal() + 1)];
        if (g.play(k, t)) {
          break;
        }
      }
    }
    return new Network(
        seed,
        index,
        origin,
        List.copyOf(g.upstreams),
        List.copyOf(prefixes),
        List.copyOf(g.incidents),
        List.copyOf(g.changes),
        List.copyOf(g.alerts),
        List.copyOf(g.shares),
        g.last);
  }

  private static <T> void shuffle(List<T> l, SplittableRandom r) {
    for (int i = l.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      T t = l.get(i);
      l.set(i, l.get(j));
      l.set(j, t);
    }
  }

  /** The model of one network while its incidents are drawn. */
  private static final class Gen {
    final long seed;
    final long origin;
    final int vps;
    final List<String> prefixes;
    final SplittableRandom r;
    final String asn;

    /** Each VP's upstream (every VP carries all prefixes through one upstream). */
    final long[] cur;

    final List<Long> upstreams = new ArrayList<>();
    final Set<Long> baselineUps = new LinkedHashSet<>();
    long nextUpstream;

    /** The upstream SingleHomed fires for (0: none). */
    long singleHomed;

    final List<Incident> incidents = new ArrayList<>();
    final List<Change> changes = new ArrayList<>();
    final List<Alert> alerts = new ArrayList<>();
    final List<Share> shares = new ArrayList<>();
    long last = T0;

    Gen(long seed, long origin, int vps, List<String> prefixes, SplittableRandom r) {
      this.seed = seed;
      this.origin = origin;
      this.vps = vps;
      this.prefixes = prefixes;
      this.r = r;
      this.cur = new long[vps];
      this.asn = "AS" + origin;
    }

    void baseline() {
      for (long u : present()) {
        baselineUps.add(u);
        changes.add(new Change(T0, "baseline via AS" + u, via(u), prefixes, u));
      }
      if (present().size() == 1) {
        singleHomed = present().iterator().next();
        alert(T0, SINGLE_HOMED_HOLD, "SingleHomed", "FIRING", up(singleHomed), 0, "at first sight");
      }
    }

    /** Upstreams with at least one VP, in order. */
    Set<Long> present() {
      Set<Long> s = new TreeSet<>();
      for (long u : cur) {
        s.add(u);
      }
      return s;
    }

    List<Integer> via(long u) {
      List<Integer> l = new ArrayList<>();
      for (int v = 0; v < vps; v++) {
        if (cur[v] == u) {
          l.add(v);
        }
      }
      return l;
    }

    Map<String, String> up(long u) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("asn", asn);
      m.put("upstream", "AS" + u);
      return m;
    }

    Map<String, String> prefix(String p) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("asn", asn);
      m.put("prefix", p);
      return m;
    }

    void alert(
        long at,
        long hold,
        String type,
        String state,
        Map<String, String> labels,
        long duration,
        String note) {
      alerts.add(new Alert(at, hold, type, state, labels, duration, note));
      last = Math.max(last, at + hold);
    }

    void change(long at, String note, List<Integer> who, List<String> pfx, long upstream) {
      changes.add(new Change(at, note, List.copyOf(who), List.copyOf(pfx), upstream));
      last = Math.max(last, at);
    }

    /** Moves VPs to an upstream (their announcements of every prefix) and records the change. */
    void move(long at, String note, List<Integer> who, long to) {
      for (int v : who) {
        cur[v] = to;
      }
      change(at, note, who, prefixes, to);
    }

    /** The timeline's truth at {@code at}: shares replayed from the changes (done later). */
    void sample(long at) {
      List<Long> ups = new ArrayList<>(present());
      long u = ups.get(r.nextInt(ups.size()));
      shares.add(new Share(at, u, Double.NaN));
      last = Math.max(last, at);
    }

    /** Share sample of an upstream that must be at 0 (gone, or the network dark). */
    void sampleOf(long at, long u) {
      shares.add(new Share(at, u, Double.NaN));
      last = Math.max(last, at);
    }

    long minutes(int from, int to) {
      return (from + r.nextInt(to - from + 1)) * M;
    }

    boolean play(Kind k, long t) {
      String n = "s" + seed + " " + asn + ": ";
      switch (k) {
        case TOTAL_OUTAGE -> {
          long d = minutes(60, 120);
          // every VP withdraws everything within 10 s, in 1–3 waves
          List<Integer> all = new ArrayList<>();
          for (int v = 0; v < vps; v++) {
            all.add(v);
          }
          shuffle(all, r);
          int waves = 1 + r.nextInt(3);
          int gone = 0;
          long crossed = -1;
          for (int w = 0; w < waves; w++) {
            int from = all.size() * w / waves;
            int to = all.size() * (w + 1) / waves;
            long at = t + w * (3 + r.nextInt(3)) * S;
            change(at, n + "total outage, wave " + (w + 1), all.subList(from, to), prefixes, 0);
            gone += to - from;
            // visible means seen by strictly more than half of the full-feed VPs
            if (crossed < 0 && vps - gone <= vps / 2.0) {
              crossed = at;
            }
          }
          incidents.add(new Incident(k, t, "all " + vps + " VPs, " + waves + " waves"));
          sampleOf(t + d / 2, present().iterator().next());
          for (long u : present()) {
            change(t + d, n + "back via AS" + u, via(u), prefixes, u);
          }
          alert(
              crossed, HOLD, "VisibilityLoss", "FIRING", prefix(""), 0, "network dark everywhere");
          alert(t + d, CLEAR, "VisibilityLoss", "RESOLVED", prefix(""), t + d - crossed, "back");
          return true;
        }
        case PARTIAL_OUTAGE -> {
          int max = (prefixes.size() - 1) / 2;
          if (max < 1) {
            return false;
          }
          int dark = 1 + r.nextInt(max);
          List<String> ps = new ArrayList<>(prefixes);
          shuffle(ps, r);
          ps = ps.subList(0, dark);
          long d = minutes(60, 120);
          List<Integer> all = new ArrayList<>();
          for (int v = 0; v < vps; v++) {
            all.add(v);
          }
          change(t, n + "partial outage of " + dark + " prefixes", all, ps, 0);
          for (long u : present()) {
            change(t + d, n + "prefixes back via AS" + u, via(u), ps, u);
          }
          incidents.add(new Incident(k, t, dark + " of " + prefixes.size() + " prefixes"));
          sample(t + d / 2);
          for (String p : ps) {
            alert(t, HOLD, "VisibilityLoss", "FIRING", prefix(p), 0, "prefix dark");
            alert(t + d, CLEAR, "VisibilityLoss", "RESOLVED", prefix(p), d, "prefix back");
          }
          return true;
        }
        case UPSTREAM_LOST -> {
          List<Long> cand = new ArrayList<>();
          for (long u : present()) {
            if (baselineUps.contains(u) && via(u).size() >= MIN_PEER_ASNS) {
              cand.add(u);
            }
          }
          if (present().size() < 2 || cand.isEmpty()) {
            return false;
          }
          long x = cand.get(r.nextInt(cand.size()));
          List<Integer> who = via(x);
          List<Long> others = new ArrayList<>(present());
          others.remove(x);
          long d = minutes(60, 120);
          Map<Long, List<Integer>> to = new TreeMap<>();
          for (int v : who) {
            to.computeIfAbsent(others.get(r.nextInt(others.size())), z -> new ArrayList<>()).add(v);
          }
          to.forEach((u, l) -> move(t, n + "AS" + x + " lost, VPs to AS" + u, l, u));
          incidents.add(new Incident(k, t, "AS" + x + " for " + Times.duration(d)));
          sampleOf(t + d / 2, x);
          alert(t, HOLD, "LostUpstream", "FIRING", up(x), 0, "AS" + x + " gone");
          boolean single = present().size() == 1;
          long remaining = present().iterator().next();
          if (single) {
            alert(t, SINGLE_HOMED_HOLD, "SingleHomed", "FIRING", up(remaining), 0, "one left");
          }
          move(t + d, n + "AS" + x + " back", who, x);
          alert(t + d, CLEAR, "LostUpstream", "RESOLVED", up(x), 0, "AS" + x + " back");
          if (single) {
            alert(t + d, CLEAR, "SingleHomed", "RESOLVED", up(remaining), 0, "two again");
          }
          return true;
        }
        case SHARE_SHIFT -> {
          // m VPs (≥ 3 peer ASNs, ≥ 25 points: clear of the 20-point threshold) move A → B, and
          // A keeps at least one (none left is a lost upstream). The shift's evidence is every
          // peer AS on A before it, so it pages however few stay (docs/alerts.md,
          // UpstreamShareShift; scenarios/regressions/share-shift-few-left.yaml)
          int m = Math.max(MIN_PEER_ASNS, (int) Math.ceil(0.25 * vps));
          List<Long> cand = new ArrayList<>();
          for (long u : present()) {
            if (via(u).size() > m) {
              cand.add(u);
            }
          }
          if (present().size() < 2 || cand.isEmpty()) {
            return false;
          }
          long a = cand.get(r.nextInt(cand.size()));
          List<Long> others = new ArrayList<>(present());
          others.remove(a);
          long b = others.get(r.nextInt(others.size()));
          List<Integer> who = new ArrayList<>(via(a));
          shuffle(who, r);
          who = new ArrayList<>(who.subList(0, m));
          long d = minutes(60, 120);
          move(t, n + m + " VPs move AS" + a + " -> AS" + b, who, b);
          incidents.add(
              new Incident(
                  k, t, String.format("AS%d -%.0f points for %s", a, 100.0 * m / vps, d / M)));
          sample(t + d / 2);
          move(t + d, n + "VPs back to AS" + a, who, a);
          alert(t, HOLD, "UpstreamShareShift", "FIRING", up(a), 0, "share fell");
          alert(t + d, CLEAR, "UpstreamShareShift", "RESOLVED", up(a), 0, "share back");
          return true;
        }
        case FLAP -> {
          // a prefix withdrawn by every VP for a minute, 2–3 times: each recovery within the hold
          String p = prefixes.get(r.nextInt(prefixes.size()));
          int cycles = 2 + r.nextInt(2);
          List<Integer> all = new ArrayList<>();
          for (int v = 0; v < vps; v++) {
            all.add(v);
          }
          for (int c = 0; c < cycles; c++) {
            long at = t + c * 2 * M;
            change(at, n + "flap " + p + " down", all, List.of(p), 0);
            for (long u : present()) {
              change(at + M, n + "flap " + p + " up via AS" + u, via(u), List.of(p), u);
            }
          }
          incidents.add(new Incident(k, t, p + " × " + cycles));
          sample(t + cycles * 2 * M + 30 * M);
          return true;
        }
        case NOISE -> {
          // 1–2 VPs (< min-peer-asns) show a new upstream on a few prefixes for 6–9 minutes
          // (less than the 10 min clear): under 10 % of the paths, so no share shift either
          int m = 1 + r.nextInt(MIN_PEER_ASNS - 1);
          int maxPfx = (int) Math.floor((0.1 * vps * prefixes.size() - 1e-9) / m);
          if (maxPfx < 1) {
            m = 1;
            maxPfx = (int) Math.floor(0.1 * vps * prefixes.size() - 1e-9);
            if (maxPfx < 1) {
              return false;
            }
          }
          int np = 1 + r.nextInt(Math.min(maxPfx, prefixes.size()));
          List<Integer> who = new ArrayList<>();
          for (int v = 0; v < vps; v++) {
            who.add(v);
          }
          shuffle(who, r);
          who = new ArrayList<>(who.subList(0, m));
          List<String> ps = new ArrayList<>(prefixes);
          shuffle(ps, r);
          ps = ps.subList(0, np);
          long q = nextUpstream++;
          long d = minutes(6, 9);
          change(t, n + "noise: " + m + " VP(s) via AS" + q, who, ps, q);
          for (int v : who) {
            change(t + d, n + "noise over", List.of(v), ps, cur[v]);
          }
          incidents.add(new Incident(k, t, m + " VP(s), " + np + " prefixes via AS" + q));
          return true;
        }
        case UPSTREAM_ADDED -> {
          // m ≥ 3 VPs (peer ASNs) switch to a new upstream; every old upstream keeps a VP
          int m = MIN_PEER_ASNS + r.nextInt(Math.max(1, vps / 3 - MIN_PEER_ASNS + 1));
          List<Integer> movable = new ArrayList<>();
          Map<Long, Integer> keep = new TreeMap<>();
          List<Integer> order = new ArrayList<>();
          for (int v = 0; v < vps; v++) {
            order.add(v);
          }
          shuffle(order, r);
          for (int v : order) {
            if (keep.merge(cur[v], 1, Integer::sum) > 1 && movable.size() < m) {
              movable.add(v);
            }
          }
          if (movable.size() < MIN_PEER_ASNS) {
            return false;
          }
          boolean single = present().size() == 1;
          long was = present().iterator().next();
          long nu = nextUpstream++;
          move(t, n + movable.size() + " VPs via new AS" + nu, movable, nu);
          incidents.add(new Incident(k, t, "AS" + nu + " via " + movable.size() + " VPs"));
          sample(t + 30 * M);
          sampleOf(t + 30 * M, nu);
          alert(t, HOLD, "NewUpstream", "FIRING", up(nu), 0, "new upstream");
          if (single) {
            alert(t, CLEAR, "SingleHomed", "RESOLVED", up(was), 0, "second upstream");
          }
          return true;
        }
        case UPSTREAM_SWAP -> {
          // X → N through a dual-homed phase: m ≥ 3 of X's VPs first, the rest 60–90 min later
          List<Long> cand = new ArrayList<>();
          for (long u : present()) {
            if (via(u).size() >= MIN_PEER_ASNS + 1) {
              cand.add(u);
            }
          }
          if (cand.isEmpty()) {
            return false;
          }
          long x = cand.get(r.nextInt(cand.size()));
          List<Integer> who = new ArrayList<>(via(x));
          shuffle(who, r);
          int m = MIN_PEER_ASNS + r.nextInt(who.size() - MIN_PEER_ASNS);
          boolean single = present().size() == 1;
          long nu = nextUpstream++;
          long d = minutes(60, 90);
          move(t, n + "swap: " + m + " VPs via new AS" + nu, who.subList(0, m), nu);
          sample(t + d / 2);
          move(t + d, n + "swap: AS" + x + " gone", who.subList(m, who.size()), nu);
          incidents.add(new Incident(k, t, "AS" + x + " -> AS" + nu));
          sampleOf(t + d + 30 * M, nu);
          sampleOf(t + d + 30 * M, x);
          alert(t, HOLD, "NewUpstream", "FIRING", up(nu), 0, "new upstream");
          if (single) {
            alert(t, CLEAR, "SingleHomed", "RESOLVED", up(x), 0, "second upstream");
          }
          alert(t + d, HOLD, "LostUpstream", "FIRING", up(x), 0, "old upstream gone");
          if (single) {
            alert(t + d, SINGLE_HOMED_HOLD, "SingleHomed", "FIRING", up(nu), 0, "new one only");
          }
          return true;
        }
        default -> throw new IllegalStateException(k.name());
      }
    }
  }

  /**
   * The timeline's truth: the VP-weighted share of {@code upstream} among {@code net}'s (VP,
   * prefix) paths at {@code at}, replaying its changes (a late VP's routes count from its {@code
   * up}).
   */
  public static double share(Network net, Map<Integer, Long> up, long at, long upstream) {
    Map<String, Long> routes = new TreeMap<>();
    for (Change c : net.changes()) {
      if (c.atMicros() > at) {
        continue;
      }
      for (int v : c.vps()) {
        for (String p : c.prefixes()) {
          if (c.upstream() == 0) {
            routes.remove(v + " " + p);
          } else {
            routes.put(v + " " + p, c.upstream());
          }
        }
      }
    }
    int total = 0;
    int via = 0;
    for (Map.Entry<String, Long> e : routes.entrySet()) {
      int v = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf(' ')));
      if (up.getOrDefault(v, T0) > at) {
        continue;
      }
      total++;
      if (e.getValue() == upstream) {
        via++;
      }
    }
    return total == 0 ? 0 : (double) via / total;
  }

  static String vpName(int v) {
    return String.format("vp%02d", v + 1);
  }

  static String pathName(long origin, long upstream) {
    return "o" + origin + "u" + upstream;
  }

  /**
   * The batch (or only {@code onlySeed} of it, over the batch's VPs and session start times) as a
   * scenario file: shipped defaults, the full-feed threshold at one prefix, one watch entry per
   * origin (the ASN, no overrides).
   */
  public static String yaml(Batch b, String name, Long onlySeed) {
    return yaml(b, name, onlySeed, 720);
  }

  /** As {@link #yaml(Batch, String, Long)}, played at {@code speed} (60–720). */
  public static String yaml(Batch b, String name, Long onlySeed, double speed) {
    List<Network> nets = onlySeed == null ? b.networks() : List.of(b.network(onlySeed));
    StringBuilder y = new StringBuilder();
    y.append("# Generated by ScenarioGenerator (issue 15): do not edit by hand; schema in\n")
        .append("# scenarios/README.md. Reproduce: ScenarioGenerator.batch(")
        .append(b.seeds())
        .append(", ")
        .append(b.vps())
        .append(")\n");
    y.append("name: ").append(name).append('\n');
    y.append("description: >\n  generated networks of seeds ");
    for (int i = 0; i < nets.size(); i++) {
      Network n = nets.get(i);
      y.append(i == 0 ? "" : ", ").append(n.seed()).append(" (AS").append(n.origin()).append(": ");
      y.append(n.incidents().stream().map(x -> x.kind().name()).toList()).append(')');
    }
    y.append(", ").append(b.vps()).append(" VPs");
    if (!b.upMicros().isEmpty()) {
      y.append(", ").append(b.upMicros().size()).append(" coming up late");
    }
    y.append('\n');
    y.append("origin: AS").append(nets.get(0).origin()).append('\n');
    y.append("origins: [")
        .append(String.join(", ", nets.stream().map(n -> "AS" + n.origin()).toList()))
        .append("]\n");
    y.append("start: ").append(iso(T0)).append('\n');
    long end = nets.stream().mapToLong(Network::lastMicros).max().orElse(T0 + H) + 30 * M;
    y.append("end: ").append(iso(end)).append('\n');
    y.append("speed: ").append(Math.round(speed)).append("\ncollector-asn: 65000\n");
    // the monitor has been running: the alert service first sees the networks as state holds them
    y.append("watch-after-baseline: true\n\n");
    y.append("prefixes:\n");
    for (Network n : nets) {
      for (String p : n.prefixes()) {
        y.append("  - \"").append(p).append("\"\n");
      }
    }
    // the paths each VP uses
    Map<Integer, Map<String, String>> paths = new TreeMap<>();
    for (Network n : nets) {
      for (Change c : n.changes()) {
        if (c.upstream() != 0) {
          for (int v : c.vps()) {
            paths
                .computeIfAbsent(v, z -> new TreeMap<>())
                .put(
                    pathName(n.origin(), c.upstream()),
                    VP_ASNS[v] + " " + c.upstream() + " " + n.origin());
          }
        }
      }
    }
    y.append("\nvps:\n");
    for (int v = 0; v < b.vps(); v++) {
      y.append("  - name: ").append(vpName(v)).append('\n');
      y.append("    asn: ").append(VP_ASNS[v]).append('\n');
      y.append("    address: 127.0.0.").append(131 + v).append('\n');
      if (b.upMicros().containsKey(v)) {
        y.append("    up: ").append(iso(b.upMicros().get(v))).append('\n');
      }
      y.append("    paths:\n");
      paths
          .getOrDefault(v, Map.of())
          .forEach((k, p) -> y.append("      ").append(k).append(": \"").append(p).append("\"\n"));
    }
    List<Object[]> steps = new ArrayList<>();
    for (Network n : nets) {
      for (Change c : n.changes()) {
        steps.add(new Object[] {c.atMicros(), n, c});
      }
    }
    steps.sort(Comparator.comparingLong(o -> (Long) o[0]));
    y.append("\ntimeline:\n");
    for (Object[] o : steps) {
      Network n = (Network) o[1];
      Change c = (Change) o[2];
      y.append("  - at: ").append(iso(c.atMicros())).append('\n');
      y.append("    note: \"").append(c.note()).append("\"\n");
      String who = c.vps().stream().map(ScenarioGenerator::vpName).toList().toString();
      String which = c.prefixes().stream().map(p -> "\"" + p + "\"").toList().toString();
      if (c.upstream() == 0) {
        y.append("    withdraw: {vps: ").append(who).append(", prefixes: ").append(which);
      } else {
        y.append("    announce: {vps: ")
            .append(who)
            .append(", prefixes: ")
            .append(which)
            .append(", path: ")
            .append(pathName(n.origin(), c.upstream()));
      }
      y.append("}\n");
    }
    y.append(
        """

        config:
          routewatch.state.engine.full-feed-v4: "1"
          routewatch.state.engine.full-feed-v6: "1"
          # the shipped durations (docs/configuration.md) in scenario time, compressed by service-env
          routewatch.state.engine.outage-hold: 5m
          routewatch.state.engine.outage-clear: 10m
          routewatch.state.engine.settle: 5m
          routewatch.state.engine.warmup: 15m
          routewatch.alert.baseline-period: 10m
          routewatch.alert.rules.defaults.hold: 5m
          routewatch.alert.rules.defaults.clear: 10m
          routewatch.alert.rules.single-homed.hold: 10m
          routewatch.alert.rules.new-upstream.auto-resolve: 24h
          routewatch.alert.rules.lost-upstream.auto-resolve: 24h
          routewatch.alert.rules.upstream-share-shift.auto-resolve: 6h
          routewatch.alert.tick-interval: 30s

        watch:
        """);
    for (Network n : nets) {
      y.append("  - {value: AS")
          .append(n.origin())
          .append(", description: \"generated network of seed ")
          .append(n.seed())
          .append("\"}\n");
    }
    y.append("\nexpect:\n  alerts:\n");
    for (Network n : nets) {
      for (Alert a : n.alerts()) {
        y.append("    - {at: ")
            .append(iso(a.atMicros()))
            .append(", type: ")
            .append(a.type())
            .append(", state: ")
            .append(a.state())
            .append(", labels: {");
        List<String> ls = new ArrayList<>();
        a.labels().forEach((k, v) -> ls.add(k + ": \"" + v + "\""));
        y.append(String.join(", ", ls)).append("}, hold: ").append(a.holdMicros() / S).append('s');
        if (a.durationMicros() > 0) {
          y.append(", duration: ").append(a.durationMicros() / S).append('s');
        }
        y.append(", note: \"s").append(n.seed()).append(' ').append(a.note()).append("\"}\n");
      }
    }
    y.append("  shares:\n");
    for (Network n : nets) {
      for (Share s : n.shares()) {
        y.append("    - {at: ")
            .append(iso(s.atMicros()))
            .append(", origin: AS")
            .append(n.origin())
            .append(", upstream: AS")
            .append(s.upstream())
            .append(
                String.format(
                    ", vp-share: %.6f}", share(n, b.upMicros(), s.atMicros(), s.upstream())))
            .append('\n');
      }
    }
    return y.toString();
  }

  static String iso(long micros) {
    return java.time.Instant.ofEpochSecond(micros / S, (micros % S) * 1000).toString();
  }

  /** Every origin of a batch, by the seed whose network it is. */
  public static Map<String, Long> seedsByAsn(Batch b) {
    Map<String, Long> m = new LinkedHashMap<>();
    b.networks().forEach(n -> m.put("AS" + n.origin(), n.seed()));
    return m;
  }
}
