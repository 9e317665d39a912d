package io.routewatch.bgp.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routewatch.bgp.TestData;
import io.routewatch.bgp.attr.AsPath;
import io.routewatch.bgp.text.KnownDifferences;
import io.routewatch.bgp.text.TextBuffer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * bgpdump is the oracle for {@link MrtRouteReader}: for every MRT file with a bgpdump -m reference,
 * our route records per kind must equal the reference's lines per kind, and (kind, peer, peer AS,
 * prefix, path id, AS path) must agree as multisets. Mapping: B = RIB_ENTRY of the subtypes bgpdump
 * prints (TABLE_DUMP, TABLE_DUMP_V2 IPv4/IPv6 unicast incl. add-path; it skips multicast and
 * RIB_GENERIC), A = ANNOUNCE plus treat-as-withdraw WITHDRAW (bgpdump has no RFC 7606 and prints
 * those as A), W = other WITHDRAW, STATE = STATE. bgpdump prints nothing for End-of-RIB.
 */
class RouteRecordParityTest {

  @TestFactory
  Stream<DynamicTest> routeRecordsMatchBgpdump() throws IOException {
    assumeTrue(TestData.available(), "shared data not found at " + TestData.mrt());
    List<DynamicTest> tests = new ArrayList<>();
    for (Path f : TestData.mrtFilesWithReference()) {
      String rel = TestData.mrt().relativize(f).toString().replace('\\', '/');
      tests.add(DynamicTest.dynamicTest(rel, () -> compare(f, rel)));
    }
    return tests.stream();
  }

  static void compare(Path file, String rel) throws IOException {
    KnownDifferences.Known known = KnownDifferences.FILES.get(rel);
    Path ref =
        known != null && known.reference() != null
            ? TestData.mrt(known.reference())
            : TestData.reference(file);
    Map<String, Integer> expectedKinds = new TreeMap<>();
    Map<String, Integer> expectedKeys = new HashMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(ref), 1 << 16),
                StandardCharsets.ISO_8859_1),
            1 << 16)) {
      for (String l; (l = r.readLine()) != null; ) {
        String[] f = l.split("\\|", -1);
        expectedKinds.merge(f[2], 1, Integer::sum);
        expectedKeys.merge(refKey(f), 1, Integer::sum);
      }
    }
    Map<String, Integer> kinds = new TreeMap<>();
    Map<String, Integer> keys = new HashMap<>();
    int[] extra = new int[3]; // END_OF_RIB, RIB entries bgpdump does not print, treat-as-withdraw
    MrtRouteReader reader = MrtRouteReader.open(file, MrtReader.Mode.LENIENT);
    try (reader) {
      reader.readAll(
          rec -> {
            String k = letter(rec, extra);
            if (k == null) return;
            kinds.merge(k, 1, Integer::sum);
            keys.merge(ourKey(rec, k), 1, Integer::sum);
          });
    }
    int keyDiff = 0;
    String firstDiff = null;
    Map<String, Integer> all = new HashMap<>(expectedKeys);
    keys.forEach((k, v) -> all.merge(k, 0, (a, b) -> a));
    for (String k : all.keySet()) {
      int e = expectedKeys.getOrDefault(k, 0), a = keys.getOrDefault(k, 0);
      if (e != a) {
        keyDiff += Math.abs(e - a);
        if (firstDiff == null) firstDiff = k + " bgpdump=" + e + " ours=" + a;
      }
    }
    System.out.printf(
        "ROUTES %-72s ref=%s ours=%s eor=%d unprinted-rib=%d taw=%d keydiff=%d problems=%d%s%n",
        rel,
        expectedKinds,
        kinds,
        extra[0],
        extra[1],
        extra[2],
        keyDiff,
        reader.problems().size(),
        firstDiff == null ? "" : "\n  first " + firstDiff);
    if (known != null && known.routes() != null) {
      // The reference is wrong or we deliberately differ: pin our exact counts, argued in
      // KnownDifferences.
      String why = known.reason() + (known.routesNote() == null ? "" : "; " + known.routesNote());
      assertEquals(parseCounts(known.routes()), kinds, rel + ": " + why);
      return;
    }
    assertEquals(expectedKinds, kinds, rel + " counts per kind");
    assertEquals(
        0, keyDiff, rel + " (kind, peer, prefix, path id, AS path) multiset; first " + firstDiff);
  }

  static Map<String, Integer> parseCounts(String s) {
    Map<String, Integer> m = new TreeMap<>();
    for (String kv : s.split(" ")) {
      if (!kv.isEmpty())
        m.put(
            kv.substring(0, kv.indexOf('=')), Integer.parseInt(kv.substring(kv.indexOf('=') + 1)));
    }
    return m;
  }

  /** bgpdump's kind letter for a record, or null when bgpdump prints no line for it. */
  static String letter(RouteRecord r, int[] extra) {
    switch (r.kind()) {
      case END_OF_RIB -> {
        extra[0]++;
        return null;
      }
      case RIB_ENTRY -> {
        boolean printed =
            r.safi() == 1
                && (r.mrtType() == MrtType.TABLE_DUMP
                    || (r.mrtSubtype() != MrtType.RIB_GENERIC
                        && r.mrtSubtype() != MrtType.RIB_GENERIC_ADDPATH));
        if (!printed) extra[1]++;
        return printed ? "B" : null;
      }
      case ANNOUNCE -> {
        return "A";
      }
      case WITHDRAW -> {
        if (r.treatAsWithdraw()) extra[2]++;
        return r.treatAsWithdraw() ? "A" : "W";
      }
      default -> {
        return "STATE";
      }
    }
  }

  static String ourKey(RouteRecord r, String letter) {
    TextBuffer t = new TextBuffer(128);
    t.ascii(letter).ch('|');
    byte[] peer = r.peer().address();
    if (peer.length == 16) t.ipv6(peer, 0);
    else t.ipv4(peer, 0);
    t.ch('|').num(r.peer().asn()).ch('|');
    if (r.kind() == RouteRecord.Kind.STATE)
      return t.num(r.oldState()).ch('|').num(r.newState()).toString();
    byte[] a = r.prefix().address();
    if (r.mrtType() == MrtType.BGP && letter.equals("W")) t.ch('*'); // see refKey
    else if (a.length == 16) t.ipv6(a, 0);
    else t.ipv4(a, 0);
    t.ch('/').num(r.prefix().length()).ch('|');
    if (r.pathId() >= 0) t.num(r.pathId());
    if (letter.equals("W")) return t.toString();
    AsPath p = r.asPath();
    return t.ch('|').ascii(p == null ? "" : p.toString()).toString();
  }

  static String refKey(String[] f) {
    boolean ap = f[0].endsWith("_AP");
    StringBuilder sb =
        new StringBuilder()
            .append(f[2])
            .append('|')
            .append(f[3])
            .append('|')
            .append(f[4])
            .append('|');
    if (f[2].equals("STATE")) return sb.append(f[5]).append('|').append(f[6]).toString();
    // Type 5 withdrawals print the peer address in place of the prefix address (docs/codec.md).
    String prefix =
        f[0].equals("BGP") && f[2].equals("W") ? "*" + f[5].substring(f[5].indexOf('/')) : f[5];
    sb.append(prefix).append('|');
    if (ap) sb.append(f[6]);
    if (f[2].equals("W")) return sb.toString();
    return sb.append('|').append(f[ap ? 7 : 6]).toString();
  }
}
