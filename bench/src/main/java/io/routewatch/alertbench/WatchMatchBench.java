package io.routewatch.alertbench;

import com.google.protobuf.ByteString;
import io.routewatch.alert.watch.WatchEntry;
import io.routewatch.alert.watch.WatchMatcher;
import io.routewatch.bgp.nlri.IpText;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Issue 18 (acceptance 4): what matching one change against the watch list costs, with a list the
 * size BGPalerter users keep and beyond — {@code prefixes} PREFIX entries (IPv4 /16–/24 and IPv6
 * /29–/48, each with its origins, the form {@code watch import} writes for a prefixes.yml), 10,000
 * ASN entries and 250 COUNTRY entries — and what rebuilding the matcher (after an import slice or
 * an edit) costs.
 *
 * <p>The changes are the mix the alert pipeline sees: prefix-scoped changes (visibility, origin,
 * more-specific) half inside watched space and half outside it (the common case for a full table:
 * no entry, the longest-match walks every length), upstream changes of watched and unwatched ASNs,
 * and country-scoped changes. A pool of 8,192 changes is built once; each operation matches the
 * next one, so the branch predictor and caches see a realistic spread, not one key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class WatchMatchBench {
  @Param({"1000", "50000", "100000"})
  public int prefixes;

  static final int ASNS = 10_000;
  static final int COUNTRIES = 250;
  static final int POOL = 8192;

  List<WatchEntry> entries;
  WatchMatcher matcher;
  Change[] changes;
  int next;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(18);
    entries = new ArrayList<>(prefixes + ASNS + COUNTRIES);
    List<byte[]> watchedV4 = new ArrayList<>();
    List<byte[]> watchedV6 = new ArrayList<>();
    for (int i = 0; i < prefixes; i++) {
      long origin = 1 + rnd.nextInt(400_000);
      Map<String, String> ov = Map.of("origins", Long.toString(origin));
      if (rnd.nextInt(5) == 0) {
        int len = 29 + rnd.nextInt(20); // /29../48
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        for (int b = 2; b < 6; b++) {
          a[b] = (byte) rnd.nextInt(256);
        }
        mask(a, len);
        watchedV6.add(a);
        entries.add(
            new WatchEntry(
                WatchEntry.Kind.PREFIX, IpText.formatPrefix(a, len), ov, "", "bgpalerter"));
      } else {
        int len = 16 + rnd.nextInt(9); // /16../24
        byte[] a = new byte[4];
        a[0] = (byte) (1 + rnd.nextInt(223));
        a[1] = (byte) rnd.nextInt(256);
        a[2] = (byte) rnd.nextInt(256);
        mask(a, len);
        watchedV4.add(a);
        entries.add(
            new WatchEntry(
                WatchEntry.Kind.PREFIX,
                (a[0] & 255) + "." + (a[1] & 255) + "." + (a[2] & 255) + ".0/" + len,
                ov,
                "",
                "bgpalerter"));
      }
    }
    for (int i = 0; i < ASNS; i++) {
      entries.add(new WatchEntry(WatchEntry.Kind.ASN, "AS" + (1000 + i), Map.of(), "", "api"));
    }
    for (int i = 0; i < COUNTRIES; i++) {
      String cc = "" + (char) ('A' + i / 26) + (char) ('A' + i % 26);
      entries.add(new WatchEntry(WatchEntry.Kind.COUNTRY, cc, Map.of(), "", "api"));
    }
    matcher = new WatchMatcher(entries);

    changes = new Change[POOL];
    for (int i = 0; i < POOL; i++) {
      Change.Builder c = Change.newBuilder().setSequence(i).setTimeMicros(i);
      switch (rnd.nextInt(10)) {
        case 0, 1 -> // upstream change of a watched or an unwatched origin
            c.setKind(ChangeKind.UPSTREAM_ADDED)
                .setAsn(rnd.nextBoolean() ? 1000 + rnd.nextInt(ASNS) : 200_000 + rnd.nextInt(1000))
                .setUpstream(174);
        case 2 -> // country-level visibility
            c.setKind(ChangeKind.VISIBILITY_CROSSED)
                .setCountry((rnd.nextBoolean() ? "A" : "Z") + (char) ('A' + i % 26));
        default -> {
          ChangeKind k =
              switch (rnd.nextInt(3)) {
                case 0 -> ChangeKind.VISIBILITY_CROSSED;
                case 1 -> ChangeKind.ORIGIN_CHANGED;
                default -> ChangeKind.MORE_SPECIFIC;
              };
          c.setKind(k)
              .setAsn(300_000 + rnd.nextInt(1000))
              .setPrefix(prefix(rnd, watchedV4, watchedV6));
        }
      }
      changes[i] = c.build();
    }
  }

  /** Inside watched space (a more-specific of an entry) half the time, anywhere otherwise. */
  static Prefix prefix(SplittableRandom rnd, List<byte[]> v4, List<byte[]> v6) {
    boolean six = rnd.nextInt(5) == 0;
    boolean inside = rnd.nextBoolean();
    if (six) {
      byte[] a;
      if (inside && !v6.isEmpty()) {
        a = v6.get(rnd.nextInt(v6.size())).clone();
      } else {
        a = new byte[16];
        a[0] = 0x2a;
        for (int b = 1; b < 6; b++) {
          a[b] = (byte) rnd.nextInt(256);
        }
      }
      a[6] = (byte) rnd.nextInt(256);
      return Prefix.newBuilder()
          .setAfi(Afi.IPV6)
          .setAddress(ByteString.copyFrom(mask(a, 48)))
          .setLength(48)
          .build();
    }
    byte[] a;
    if (inside && !v4.isEmpty()) {
      a = v4.get(rnd.nextInt(v4.size())).clone();
    } else {
      a = new byte[] {(byte) (1 + rnd.nextInt(223)), (byte) rnd.nextInt(256), 0, 0};
    }
    a[2] |= (byte) rnd.nextInt(2);
    a[3] = 0;
    return Prefix.newBuilder()
        .setAfi(Afi.IPV4)
        .setAddress(ByteString.copyFrom(mask(a, 24)))
        .setLength(24)
        .build();
  }

  static byte[] mask(byte[] a, int len) {
    for (int bit = len; bit < a.length * 8; bit++) {
      a[bit >> 3] &= (byte) ~(0x80 >>> (bit & 7));
    }
    return a;
  }

  /** One change matched against the list (the per-change cost in the pipeline). */
  @Benchmark
  public Object match() {
    Change c = changes[next++ & (POOL - 1)];
    return matcher.match(c);
  }

  /**
   * A new matcher after one entry changed (an edit, or one import slice), reusing the parsed
   * prefixes of the matcher it replaces, as the service does.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Object rebuild() {
    return new WatchMatcher(entries, matcher);
  }

  /** The matcher built from nothing (a service start with this list). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Object build() {
    return new WatchMatcher(entries);
  }
}
