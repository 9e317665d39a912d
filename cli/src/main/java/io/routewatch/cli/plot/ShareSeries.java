package io.routewatch.cli.plot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Upstream share of one origin over a time range as step functions: at {@code times[i]} the share
 * of each upstream becomes {@code values[u][i]} and holds until {@code times[i+1]} (or {@code to}).
 * Built from state's share samples, each of which is a full picture of the origin's upstreams at
 * that moment (an upstream missing from a picture has share 0; upstream 0 means "no route").
 *
 * @param asn the origin
 * @param from start of the range, µs
 * @param to end of the range, µs
 * @param times step starts, ascending, first == from
 * @param upstreams upstream ASNs in stacking order (bottom first: the earliest seen)
 * @param values values[u][i]: share of upstreams[u] from times[i]
 * @param outages [start, end] µs of the origin's outages, clipped to the range
 */
public record ShareSeries(
    long asn,
    long from,
    long to,
    long[] times,
    long[] upstreams,
    double[][] values,
    List<long[]> outages) {

  /** One share sample as the API gives it (time, upstream, share). */
  public record Sample(long timeMicros, long upstream, double share) {}

  /**
   * @param initial shares at {@code from} (upstream → share), e.g. from GetUpstreams at=from
   * @param samples samples in (from, to], any order; same-time samples form one picture
   * @param outageSpans [start, end] with end 0 for an open outage
   */
  public static ShareSeries build(
      long asn,
      long from,
      long to,
      Map<Long, Double> initial,
      List<Sample> samples,
      List<long[]> outageSpans) {
    if (to <= from) {
      throw new IllegalArgumentException("empty time range: --from must be before --to");
    }
    TreeMap<Long, Map<Long, Double>> pictures = new TreeMap<>();
    pictures.put(from, new LinkedHashMap<>(initial));
    java.util.Set<Long> sampled = new java.util.HashSet<>();
    for (Sample s : samples) {
      if (s.timeMicros() < from || s.timeMicros() > to) {
        continue;
      }
      // a sample at exactly `from` replaces the initial picture; later ones at one time merge
      if (sampled.add(s.timeMicros())) {
        pictures.put(s.timeMicros(), new LinkedHashMap<>());
      }
      Map<Long, Double> p = pictures.get(s.timeMicros());
      if (s.upstream() != 0) {
        p.put(s.upstream(), s.share());
      }
    }
    // stacking order: first appearance, so the long-standing upstream stays at the bottom
    List<Long> order = new ArrayList<>();
    for (Map<Long, Double> p : pictures.values()) {
      p.entrySet().stream()
          .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
          .forEach(
              e -> {
                if (!order.contains(e.getKey())) order.add(e.getKey());
              });
    }
    long[] times = pictures.keySet().stream().mapToLong(Long::longValue).toArray();
    long[] ups = order.stream().mapToLong(Long::longValue).toArray();
    double[][] values = new double[ups.length][times.length];
    int i = 0;
    for (Map<Long, Double> p : pictures.values()) {
      for (int u = 0; u < ups.length; u++) {
        values[u][i] = p.getOrDefault(ups[u], 0.0);
      }
      i++;
    }
    List<long[]> outs = new ArrayList<>();
    for (long[] o : outageSpans) {
      long end = o[1] == 0 ? to : o[1];
      if (end < from || o[0] > to) {
        continue;
      }
      outs.add(new long[] {Math.max(from, o[0]), Math.min(to, end)});
    }
    return new ShareSeries(asn, from, to, times, ups, values, outs);
  }

  /** Share of {@code upstream} at time {@code t} (0 when unknown upstream). */
  public double shareAt(long upstream, long t) {
    int u = indexOf(upstream);
    if (u < 0) {
      return 0;
    }
    int i = Arrays.binarySearch(times, t);
    if (i < 0) {
      i = -i - 2;
    }
    return i < 0 ? 0 : values[u][i];
  }

  int indexOf(long upstream) {
    for (int u = 0; u < upstreams.length; u++) {
      if (upstreams[u] == upstream) {
        return u;
      }
    }
    return -1;
  }

  /**
   * The same series on another clock: {@code from} becomes {@code origin} and every span is
   * stretched by {@code speed} — a replay compressed N× (a scenario played at 720×) drawn on the
   * clock of the events it replays.
   */
  public ShareSeries rebase(long origin, double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be > 0, not " + speed);
    }
    java.util.function.LongUnaryOperator m = t -> origin + Math.round((t - from) * speed);
    long[] ts = Arrays.stream(times).map(m).toArray();
    List<long[]> outs = new ArrayList<>();
    for (long[] o : outages) {
      outs.add(new long[] {m.applyAsLong(o[0]), m.applyAsLong(o[1])});
    }
    return new ShareSeries(asn, origin, m.applyAsLong(to), ts, upstreams, values, outs);
  }
}
