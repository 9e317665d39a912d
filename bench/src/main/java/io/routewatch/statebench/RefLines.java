package io.routewatch.statebench;

import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
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
import java.util.zip.GZIPInputStream;

/**
 * Route events from bgpdump {@code -m} reference text (the corpus's {@code *.bgpdump-m.txt.gz},
 * made by bgpdump itself, not by our codec): RIB entries (B), announcements (A) and withdrawals
 * (W), parsed before any timing starts. Equal AS paths and attribute sets share one object, as the
 * batch translator in state would hand them over.
 */
final class RefLines {
  /** One event; {@code path == null} for a withdrawal. */
  record Event(int peer, long tsMicros, Prefix prefix, AsPath path, RouteAttributes attrs) {}

  final List<String> peers = new ArrayList<>(); // "address|asn"
  final List<Event> events = new ArrayList<>();

  static Path data() {
    return Path.of(System.getProperty("routewatch.data", "../shared/data"));
  }

  static RefLines read(String relative) throws IOException {
    RefLines r = new RefLines();
    Map<String, Integer> peerIds = new HashMap<>();
    Map<String, AsPath> paths = new HashMap<>();
    Map<String, RouteAttributes> attrs = new HashMap<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(data().resolve(relative)), 1 << 16),
                StandardCharsets.ISO_8859_1))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split("\\|", -1);
        if (f.length < 6 || !(f[2].equals("A") || f[2].equals("B") || f[2].equals("W"))) {
          continue;
        }
        int peer =
            peerIds.computeIfAbsent(
                f[3] + "|" + f[4],
                k -> {
                  r.peers.add(k);
                  return r.peers.size() - 1;
                });
        long ts = (long) (Double.parseDouble(f[1]) * 1e6);
        Prefix p = Prefix.parse(f[5]);
        if (f[2].equals("W")) {
          r.events.add(new Event(peer, ts, p, null, null));
          continue;
        }
        AsPath path = paths.computeIfAbsent(f[6], AsPath::parse);
        String ak = f[7] + "|" + f[8] + "|" + f[9] + "|" + f[10] + "|" + f[11];
        RouteAttributes a =
            attrs.computeIfAbsent(
                ak,
                k ->
                    new RouteAttributes(
                        RouteAttributes.parseOrigin(f[7]),
                        f[8].isEmpty() ? null : address(f[8]),
                        f[10].isEmpty() ? RouteAttributes.ABSENT : Long.parseLong(f[10]),
                        f[9].isEmpty() ? RouteAttributes.ABSENT : Long.parseLong(f[9]),
                        false,
                        communities(f[11])));
        r.events.add(new Event(peer, ts, p, path, a));
      }
    }
    return r;
  }

  static byte[] address(String ip) {
    return Prefix.parse(ip + (ip.contains(":") ? "/128" : "/32")).address();
  }

  static int[] communities(String s) {
    if (s.isBlank()) {
      return null;
    }
    String[] parts = s.trim().split(" ");
    int[] c = new int[parts.length];
    int n = 0;
    for (String p : parts) {
      int colon = p.indexOf(':');
      if (colon > 0 && p.indexOf(':', colon + 1) < 0) {
        try {
          int hi = Integer.parseInt(p.substring(0, colon));
          int lo = Integer.parseInt(p.substring(colon + 1));
          if (hi <= 0xffff && lo <= 0xffff) {
            c[n++] = (hi << 16) | lo;
          }
        } catch (NumberFormatException e) {
          // not a standard community (e.g. a large community): not kept by the engine either
        }
      }
    }
    return java.util.Arrays.copyOf(c, n);
  }
}
