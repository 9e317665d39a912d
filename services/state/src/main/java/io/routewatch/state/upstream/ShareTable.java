package io.routewatch.state.upstream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * Incremental (subject, upstream) counters: each (VP, prefix) best path of a subject adds one to
 * exactly one pair, so an update costs O(1) and a query O(upstreams of the subject). Subjects are
 * origin ASNs or country indexes; upstream {@link #NONE} (ASN 0, reserved by RFC 7607) collects the
 * paths without an upstream. Pairs are kept after they empty so first/last seen survive.
 */
public final class ShareTable {
  public static final int NONE = 0;

  private final LongIntHashMap pairIndex = new LongIntHashMap();
  private final IntObjectHashMap<IntArrayList> subjectPairs = new IntObjectHashMap<>();
  private final IntIntHashMap totalIndex = new IntIntHashMap(); // subject → pair of totals
  private int pairs;
  private int[] pSubject = new int[256];
  private int[] pUpstream = new int[256];
  private int[] pCount = new int[256];
  private long[] pV4 = new long[256];
  private double[] pV6 = new double[256];
  private long[] pFirst = new long[256];
  private long[] pSince = new long[256];
  private long[] pLast = new long[256];
  private IntIntHashMap[] pVps = new IntIntHashMap[256];

  /** Adds (sign +1) or removes (sign -1) one (VP, prefix) best path. */
  public void update(
      int subject, int upstream, int vp, boolean ipv4, int prefixLen, int sign, long ts) {
    int p = pair(subject, upstream);
    int t = totals(subject);
    long w4 = ipv4 ? 1L << (32 - prefixLen) : 0;
    // IPv6 weight in /64 units, so a /48 weighs 65536 and doubles stay exact for real tables.
    double w6 = ipv4 ? 0 : Math.scalb(1.0, 64 - prefixLen);
    pCount[t] += sign;
    pV4[t] += sign * w4;
    pV6[t] += sign * w6;
    int before = pCount[p];
    pCount[p] += sign;
    pV4[p] += sign * w4;
    pV6[p] += sign * w6;
    pLast[p] = ts;
    if (before == 0 && sign > 0) {
      pSince[p] = ts;
      if (pFirst[p] == 0) {
        pFirst[p] = ts;
      }
    } else if (pCount[p] == 0) {
      pSince[p] = 0;
      pV6[p] = 0; // clear rounding residue
    }
    IntIntHashMap vps = pVps[p];
    if (sign > 0) {
      vps.addToValue(vp, 1);
    } else if (vps.addToValue(vp, -1) <= 0) {
      vps.remove(vp);
    }
  }

  private int totals(int subject) {
    int t = totalIndex.getIfAbsent(subject, -1);
    if (t < 0) {
      t = newPair(subject, -1);
      totalIndex.put(subject, t);
    }
    return t;
  }

  private int pair(int subject, int upstream) {
    long key = ((long) subject << 32) | (upstream & 0xffffffffL);
    int p = pairIndex.getIfAbsent(key, -1);
    if (p < 0) {
      p = newPair(subject, upstream);
      pairIndex.put(key, p);
      subjectPairs.getIfAbsentPut(subject, IntArrayList::new).add(p);
      pVps[p] = new IntIntHashMap(4);
    }
    return p;
  }

  private int newPair(int subject, int upstream) {
    int p = pairs++;
    if (p == pSubject.length) {
      int n = p * 2;
      pSubject = Arrays.copyOf(pSubject, n);
      pUpstream = Arrays.copyOf(pUpstream, n);
      pCount = Arrays.copyOf(pCount, n);
      pV4 = Arrays.copyOf(pV4, n);
      pV6 = Arrays.copyOf(pV6, n);
      pFirst = Arrays.copyOf(pFirst, n);
      pSince = Arrays.copyOf(pSince, n);
      pLast = Arrays.copyOf(pLast, n);
      pVps = Arrays.copyOf(pVps, n);
    }
    pSubject[p] = subject;
    pUpstream[p] = upstream;
    return p;
  }

  /** All (VP, prefix) best paths of the subject. */
  public int total(int subject) {
    int t = totalIndex.getIfAbsent(subject, -1);
    return t < 0 ? 0 : pCount[t];
  }

  /** Paths of the subject through {@code upstream} (NONE for no upstream). */
  public int count(int subject, int upstream) {
    int p = pairIndex.getIfAbsent(((long) subject << 32) | (upstream & 0xffffffffL), -1);
    return p < 0 ? 0 : pCount[p];
  }

  /** Present upstreams (not NONE) and their VP-weighted shares, into the two arrays; returns n. */
  public int currentShares(int subject, int[] upstreamsOut, double[] sharesOut) {
    IntArrayList list = subjectPairs.get(subject);
    int total = total(subject);
    int n = 0;
    if (list == null || total == 0) {
      return 0;
    }
    for (int i = 0; i < list.size() && n < upstreamsOut.length; i++) {
      int p = list.get(i);
      if (pCount[p] > 0 && pUpstream[p] != NONE) {
        upstreamsOut[n] = pUpstream[p];
        sharesOut[n++] = (double) pCount[p] / total;
      }
    }
    return n;
  }

  /**
   * As {@link #currentShares(int, int[], double[])}, over the paths of the VPs {@code counted}
   * accepts only (e.g. the established VPs, without those still loading their first table).
   */
  public int currentShares(
      int subject,
      int[] upstreamsOut,
      double[] sharesOut,
      java.util.function.IntPredicate counted) {
    IntArrayList list = subjectPairs.get(subject);
    if (list == null) {
      return 0;
    }
    int[] counts = new int[list.size()];
    long total = 0;
    for (int i = 0; i < list.size(); i++) {
      int[] c = {0};
      pVps[list.get(i)].forEachKeyValue(
          (vp, n) -> {
            if (counted.test(vp)) {
              c[0] += n;
            }
          });
      counts[i] = c[0];
      total += c[0];
    }
    int n = 0;
    for (int i = 0; i < list.size() && total > 0 && n < upstreamsOut.length; i++) {
      int p = list.get(i);
      if (counts[i] > 0 && pUpstream[p] != NONE) {
        upstreamsOut[n] = pUpstream[p];
        sharesOut[n++] = (double) counts[i] / total;
      }
    }
    return n;
  }

  /**
   * Present upstreams (not NONE) of a subject by upstream ASN, with the VP-weighted and address
   * shares of {@link #view} but no evidence (cheap enough to run for many subjects at once).
   */
  public ShareSample sample(int subject) {
    IntArrayList list = subjectPairs.get(subject);
    int t = totalIndex.getIfAbsent(subject, -1);
    if (list == null || t < 0 || pCount[t] == 0) {
      return ShareSample.EMPTY;
    }
    long[] ups = new long[list.size()];
    int n = 0;
    for (int i = 0; i < list.size(); i++) {
      int p = list.get(i);
      if (pCount[p] > 0 && pUpstream[p] != NONE) {
        ups[n++] = ((pUpstream[p] & 0xffffffffL) << 32) | p; // sorts by upstream ASN
      }
    }
    Arrays.sort(ups, 0, n);
    long[] upstream = new long[n];
    double[] vp = new double[n];
    double[] addr = new double[n];
    for (int i = 0; i < n; i++) {
      int p = (int) ups[i];
      upstream[i] = ups[i] >>> 32;
      vp[i] = (double) pCount[p] / pCount[t];
      double v4 = pV4[t] == 0 ? Double.NaN : (double) pV4[p] / pV4[t];
      double v6 = pV6[t] == 0 ? Double.NaN : pV6[p] / pV6[t];
      double a = Double.isNaN(v4) ? v6 : v4;
      addr[i] = Double.isNaN(a) ? 0 : a;
    }
    return new ShareSample(upstream, vp, addr);
  }

  /** Number of pairs (present or not) of a subject: an upper bound for {@link #currentShares}. */
  public int pairCount(int subject) {
    IntArrayList list = subjectPairs.get(subject);
    return list == null ? 0 : list.size();
  }

  /** Distinct VPs that see {@code upstream} for {@code subject}. */
  public int vpCount(int subject, int upstream) {
    int p = pairIndex.getIfAbsent(((long) subject << 32) | (upstream & 0xffffffffL), -1);
    return p < 0 ? 0 : pVps[p].size();
  }

  /** Does every VP that sees {@code upstream} for {@code subject} satisfy {@code test}? */
  public boolean onlyVps(int subject, int upstream, java.util.function.IntPredicate test) {
    int p = pairIndex.getIfAbsent(((long) subject << 32) | (upstream & 0xffffffffL), -1);
    return p < 0 || pVps[p].keysView().allSatisfy(test::test);
  }

  /** Distinct peer ASNs of the VPs that see {@code upstream} for {@code subject}, sorted. */
  public long[] peerAsns(int subject, int upstream, IntToLongFunction peerAsnOfVp) {
    int p = pairIndex.getIfAbsent(((long) subject << 32) | (upstream & 0xffffffffL), -1);
    if (p < 0) {
      return new long[0];
    }
    LongHashSet set = new LongHashSet();
    pVps[p].forEachKey(vp -> set.add(peerAsnOfVp.applyAsLong(vp)));
    long[] a = set.toArray();
    Arrays.sort(a);
    return a;
  }

  /** Full view of a subject's present upstreams. */
  public UpstreamView view(String label, int subject, IntToLongFunction peerAsnOfVp) {
    IntArrayList list = subjectPairs.get(subject);
    int t = totalIndex.getIfAbsent(subject, -1);
    if (list == null || t < 0) {
      return new UpstreamView(label, 0, 0, List.of());
    }
    List<UpstreamShare> out = new ArrayList<>();
    int none = 0;
    for (int i = 0; i < list.size(); i++) {
      int p = list.get(i);
      if (pCount[p] == 0) {
        continue;
      }
      if (pUpstream[p] == NONE) {
        none = pCount[p];
        continue;
      }
      long up = pUpstream[p] & 0xffffffffL;
      long[] peers = peerAsns(subject, pUpstream[p], peerAsnOfVp);
      int[] adjacent = {0};
      pVps[p].forEachKey(
          vp -> {
            if (peerAsnOfVp.applyAsLong(vp) == up) {
              adjacent[0]++;
            }
          });
      out.add(
          new UpstreamShare(
              up,
              pCount[p],
              (double) pCount[p] / pCount[t],
              pV4[t] == 0 ? Double.NaN : (double) pV4[p] / pV4[t],
              pV6[t] == 0 ? Double.NaN : pV6[p] / pV6[t],
              pVps[p].size(),
              peers,
              adjacent[0],
              pFirst[p],
              pSince[p],
              pLast[p]));
    }
    out.sort(
        Comparator.comparingInt(UpstreamShare::paths)
            .reversed()
            .thenComparingLong(UpstreamShare::upstreamAsn));
    return new UpstreamView(label, pCount[t], none, List.copyOf(out));
  }

  /** One (subject, upstream) pair's raw counters, for a shard's partial answer. */
  @FunctionalInterface
  public interface PairCounts {
    void accept(
        int upstream, int paths, long v4, double v6, int[] vps, long first, long since, long last);
  }

  /**
   * The raw counters behind {@link #view} for one subject (the pair of totals as upstream -1, then
   * every pair the subject ever had), so shards' counts can be summed exactly.
   */
  public void forEachCount(int subject, PairCounts out) {
    IntArrayList list = subjectPairs.get(subject);
    int t = totalIndex.getIfAbsent(subject, -1);
    if (list == null || t < 0) {
      return;
    }
    out.accept(-1, pCount[t], pV4[t], pV6[t], new int[0], 0, 0, 0);
    for (int i = 0; i < list.size(); i++) {
      int p = list.get(i);
      out.accept(
          pUpstream[p],
          pCount[p],
          pV4[p],
          pV6[p],
          pVps[p].keySet().toArray(),
          pFirst[p],
          pSince[p],
          pLast[p]);
    }
  }

  /** Receives one (subject, upstream) pair's times, for a snapshot. */
  @FunctionalInterface
  public interface PairTimes {
    void accept(int subject, int upstream, long first, long since, long last);
  }

  /** Every (subject, upstream) pair, present or emptied, with its first/since/last times. */
  public void forEachPair(PairTimes out) {
    for (int p = 0; p < pairs; p++) {
      if (totalIndex.getIfAbsent(pSubject[p], -1) != p) {
        out.accept(pSubject[p], pUpstream[p], pFirst[p], pSince[p], pLast[p]);
      }
    }
  }

  /**
   * Restores a pair's times after its counts were rebuilt from the routes (snapshot load); creates
   * the pair (and its subject's totals) if it has no path now, as the original table kept it.
   */
  public void restoreTimes(int subject, int upstream, long first, long since, long last) {
    totals(subject);
    int p = pair(subject, upstream);
    pFirst[p] = first;
    pSince[p] = since;
    pLast[p] = last;
  }

  /** Number of (subject, upstream) pairs ever created. */
  public int size() {
    return pairs;
  }
}
