package io.routewatch.state.rpki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.routewatch.state.rib.TestData;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.itadaki.bzip2.BZip2InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 acceptance 2: RFC 6811 states of every route of the largest RIB in ../shared/data
 * (route-views2 rib.20140523.0600, first MiB: 270,005 entries of 47 peers, read from its bgpdump -m
 * reference decode, which libs/bgp's decode matches; state tests do not depend on libs/bgp), by
 * {@link VrpTable} over {@link VrpReader}'s VRPs, equal per state to a plain second validation
 * written here: its own VRP parse (a regex per rpki-client line, a split per rtrclient line),
 * BigInteger masking and a map keyed by "family/masked bits/length", scanned for every length 0..L.
 * VRP sets: rpki-client 2025-07-20 (723,521) and FORT 2020-02-17 (130,043). No 2020 RIB exists in
 * the corpus, so the 2020 set is applied to the same 2014 RIB.
 *
 * <p>Origin: the last AS of a path ending in an AS_SEQUENCE; a path ending in an AS_SET (or empty)
 * has origin NONE (RFC 6811 §2), which matches no VRP: NOT_FOUND when uncovered, else Invalid.
 */
class RovReferenceTest {
  private static final String RIB = "mrt/pyasn/rib.20140523.0600_firstMB.bz2";
  private static final String VRPS_2025 =
      "incidents/rpki/jeffsw-rpkilog/rpkiclient_summary_20250720T093135Z.json.bz2";
  private static final String VRPS_2020 = "incidents/rpki/fort-rtrclient-20200217/roa.csv";
  private static final VrpReader.Limits LIMITS = new VrpReader.Limits(256L << 20, 3_000_000);

  record Route(Prefix prefix, long origin) {}

  /** (prefix, origin) → RIB entries (peers) carrying it. */
  private static final Map<Route, Integer> ROUTES = new LinkedHashMap<>();

  private static long entries;
  private static long noneOrigin;

  @BeforeAll
  static void loadRib() throws Exception {
    for (String line : TestData.gzLines(RIB + ".bgpdump-m.txt.gz")) {
      String[] f = line.split("\\|", -1);
      if (!f[2].equals("B")) {
        continue;
      }
      entries++;
      // state's own origin rule (RFC 6811 §2) on state's AsPath
      long origin = VrpTable.originOf(AsPath.parse(f[6]));
      if (origin < 0) {
        noneOrigin++;
      }
      ROUTES.merge(new Route(Prefix.parse(f[5]), origin), 1, Integer::sum);
    }
    // MANIFEST.md: 270,005 entries (bgpdump, mrtparse and libs/bgp agree); cut after 1 MiB
    assertEquals(270_005, entries);
  }

  @Test
  void rpkiClient2025() throws Exception {
    byte[] json;
    try (InputStream in =
        new BZip2InputStream(Files.newInputStream(TestData.file(VRPS_2025)), false)) {
      json = in.readAllBytes();
    }
    VrpReader.Result read = VrpReader.read(new ByteArrayInputStream(json), VRPS_2025, LIMITS);
    // MANIFEST.md §3.1: 723,521 unique VRPs, 580,366 IPv4 and 143,155 IPv6
    assertEquals(723_521, read.vrps().size());
    assertEquals(0, read.rejected(), read.problems().toString());
    VrpTable table = VrpTable.of(read.vrps());
    assertEquals(580_366, table.ipv4Size());
    assertEquals(143_155, table.ipv6Size());
    // MANIFEST.md spot checks
    assertEquals(RovState.VALID, table.validate(Prefix.parse("1.1.1.0/24"), 13335));
    assertEquals(RovState.INVALID_ASN, table.validate(Prefix.parse("208.65.153.0/24"), 36561));
    assertEquals(RovState.INVALID_ASN, table.validate(Prefix.parse("208.65.153.0/24"), 17557));
    assertEquals(RovState.INVALID_ASN, table.validate(Prefix.parse("205.251.192.0/24"), 10297));
    assertEquals(RovState.NOT_FOUND, table.validate(Prefix.parse("2a0a:f280::/32"), 1));

    Plain plain = new Plain();
    Pattern roa =
        Pattern.compile("\"asn\": (\\d+), \"prefix\": \"([^\"]+)\", \"maxLength\": (\\d+)");
    Matcher m = roa.matcher(new String(json, StandardCharsets.US_ASCII));
    while (m.find()) {
      plain.add(m.group(2), Integer.parseInt(m.group(3)), Long.parseLong(m.group(1)));
    }
    assertEquals(723_521, plain.count);
    compare("rpki-client 2025-07-20T09:31Z", table, plain);
  }

  @Test
  void fort2020() throws Exception {
    VrpReader.Result read = VrpReader.read(TestData.file(VRPS_2020), LIMITS);
    assertEquals(130_043, read.vrps().size());
    VrpTable table = VrpTable.of(read.vrps());
    Plain plain = new Plain();
    for (String line : Files.readAllLines(TestData.file(VRPS_2020), StandardCharsets.US_ASCII)) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(", ");
      // rtrclient prints the ASN signed
      plain.add(
          f[0] + "/" + f[1],
          Integer.parseInt(f[2]),
          Integer.toUnsignedLong((int) Long.parseLong(f[3])));
    }
    assertEquals(130_043, plain.count);
    // MANIFEST.md §3.2 spot checks
    assertEquals(RovState.VALID, table.validate(Prefix.parse("1.1.1.0/24"), 13335));
    assertEquals(RovState.VALID, table.validate(Prefix.parse("104.16.0.0/20"), 13335));
    assertEquals(RovState.VALID, table.validate(Prefix.parse("205.251.192.0/24"), 38895));
    compare("FORT 2020-02-17", table, plain);
  }

  private static void compare(String name, VrpTable table, Plain plain) {
    long t0 = System.nanoTime();
    Map<RovState, Long> fastEntries = new EnumMap<>(RovState.class);
    Map<RovState, Long> fastPairs = new EnumMap<>(RovState.class);
    for (Map.Entry<Route, Integer> e : ROUTES.entrySet()) {
      RovState s = table.validate(e.getKey().prefix(), e.getKey().origin());
      fastEntries.merge(s, (long) e.getValue(), Long::sum);
      fastPairs.merge(s, 1L, Long::sum);
    }
    long fastNanos = System.nanoTime() - t0;
    Map<RovState, Long> plainEntries = new EnumMap<>(RovState.class);
    Map<RovState, Long> plainPairs = new EnumMap<>(RovState.class);
    List<String> differ = new ArrayList<>();
    for (Map.Entry<Route, Integer> e : ROUTES.entrySet()) {
      RovState s = plain.validate(e.getKey().prefix().toString(), e.getKey().origin());
      plainEntries.merge(s, (long) e.getValue(), Long::sum);
      plainPairs.merge(s, 1L, Long::sum);
      RovState f = table.validate(e.getKey().prefix(), e.getKey().origin());
      if (f != s && differ.size() < 10) {
        differ.add(e.getKey() + " table " + f + " plain " + s);
      }
    }
    System.out.printf(
        "ROV %s over %s: %d RIB entries (%d with origin NONE), %d (prefix, origin) pairs;%n"
            + "  entries per state: VrpTable %s | plain %s%n"
            + "  pairs per state:   VrpTable %s | plain %s%n"
            + "  VrpTable: %.0f ns per pair%n",
        name,
        RIB,
        entries,
        noneOrigin,
        ROUTES.size(),
        fastEntries,
        plainEntries,
        fastPairs,
        plainPairs,
        (double) fastNanos / ROUTES.size());
    assertEquals(List.of(), differ);
    assertEquals(plainEntries, fastEntries);
    assertEquals(plainPairs, fastPairs);
    assertEquals(entries, fastEntries.values().stream().mapToLong(Long::longValue).sum());
    // the RIB is from 2014 and the VRPs from 2020/2025: all four states occur
    assertEquals(4, fastEntries.size(), fastEntries.toString());
  }

  /**
   * RFC 6811 §2 read literally: the candidate VRPs are those whose prefix covers the route; one
   * with the route's origin and maxLength ≥ the route's length makes it Valid.
   */
  private static final class Plain {
    final Map<String, List<long[]>> byPrefix = new HashMap<>();
    final TreeSet<Integer> unused = new TreeSet<>();
    int count;

    void add(String prefix, int maxLength, long asn) throws Exception {
      byPrefix
          .computeIfAbsent(key(prefix), k -> new ArrayList<>())
          .add(new long[] {asn, maxLength});
      count++;
    }

    /** "4|6 / masked address in hex / length". */
    static String key(String prefix) throws Exception {
      int slash = prefix.indexOf('/');
      byte[] a = InetAddress.getByName(prefix.substring(0, slash)).getAddress();
      return key(a, Integer.parseInt(prefix.substring(slash + 1)));
    }

    static String key(byte[] a, int len) {
      int bits = a.length * 8;
      BigInteger v = new BigInteger(1, a).shiftRight(bits - len).shiftLeft(bits - len);
      return (bits == 32 ? "4" : "6") + "/" + v.toString(16) + "/" + len;
    }

    RovState validate(String route, long origin) {
      int slash = route.indexOf('/');
      byte[] a;
      try {
        a = InetAddress.getByName(route.substring(0, slash)).getAddress();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      int len = Integer.parseInt(route.substring(slash + 1));
      boolean covered = false;
      boolean originMatched = false;
      for (int l = 0; l <= len; l++) {
        List<long[]> vrps = byPrefix.get(key(a, l));
        if (vrps == null) {
          continue;
        }
        covered = true;
        for (long[] v : vrps) {
          // AS0 (RFC 6483 §4) and origin NONE match nothing
          if (origin > 0 && v[0] == origin) {
            if (len <= v[1]) {
              return RovState.VALID;
            }
            originMatched = true;
          }
        }
      }
      return !covered
          ? RovState.NOT_FOUND
          : originMatched ? RovState.INVALID_LENGTH : RovState.INVALID_ASN;
    }
  }
}
