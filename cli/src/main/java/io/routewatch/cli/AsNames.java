package io.routewatch.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * AS names bundled with the CLI: a subset of pyasn's asnames.json.gz (2016 snapshot, MIT) — the
 * ~15k ASNs seen in a transit position in the shared MRT corpus plus those named in scenarios/
 * (written by scripts/asnames-subset.sh; provenance in resources/io/routewatch/cli/README.md).
 * State does not know names, so this is the only source; unknown ASNs show no name.
 */
public final class AsNames {
  private static volatile Map<Long, String> names;

  private AsNames() {}

  /** The registered name, or "" when not in the bundled subset. */
  public static String of(long asn) {
    return table().getOrDefault(asn, "");
  }

  /** "AS4837 CHINA169-BACKBONE CNCGROUP China169 Backbone, CN" cut to {@code max} characters. */
  public static String label(long asn, int max) {
    String n = of(asn);
    String s = n.isEmpty() ? "AS" + asn : "AS" + asn + " " + n;
    return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
  }

  private static Map<Long, String> table() {
    Map<Long, String> t = names;
    if (t == null) {
      synchronized (AsNames.class) {
        if (names == null) {
          names = load();
        }
        t = names;
      }
    }
    return t;
  }

  private static Map<Long, String> load() {
    Map<Long, String> m = new HashMap<>(32_768);
    InputStream in = AsNames.class.getResourceAsStream("asnames.tsv.gz");
    if (in == null) {
      return m;
    }
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          m.put(Long.parseLong(line.substring(0, tab)), line.substring(tab + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("bundled AS names unreadable", e);
    }
    return m;
  }
}
