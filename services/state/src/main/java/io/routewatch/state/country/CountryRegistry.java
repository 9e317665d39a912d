package io.routewatch.state.country;

import io.routewatch.state.route.Prefix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

/**
 * Country of ASNs and prefixes from RIR statistics exchange files ("delegated-*", format {@code
 * registry|cc|type|start|value|date|status}; ipv4 value = address count, ipv6 value = prefix
 * length, asn value = count). Countries get small int indexes. Immutable once built.
 */
public final class CountryRegistry {
  private final List<String> codes = new ArrayList<>();
  private final ObjectIntHashMap<String> index = new ObjectIntHashMap<>();
  private final IntIntHashMap asnCountry = new IntIntHashMap(); // asn → index
  private final List<IntArrayList> asnsOf = new ArrayList<>();
  // Ranges sorted by start; v4 as unsigned 32-bit in longs, v6 by the first 64 bits.
  private long[] v4Start = new long[0];
  private long[] v4End = new long[0];
  private int[] v4Cc = new int[0];
  private long[] v6Start = new long[0];
  private long[] v6End = new long[0];
  private int[] v6Cc = new int[0];

  private CountryRegistry() {}

  public static CountryRegistry empty() {
    return new CountryRegistry();
  }

  /**
   * Loads every {@code delegated-*} file of a directory except IANA's (which maps to RIRs, not
   * countries). Where one registry has several snapshots (suffix {@code .YYYYMMDD}) only the newest
   * is read.
   */
  public static CountryRegistry loadDirectory(Path dir) throws IOException {
    Map<String, Path> newest = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().startsWith("delegated-"))
          .filter(p -> !p.getFileName().toString().contains("iana"))
          .sorted()
          .forEach(
              p -> {
                String n = p.getFileName().toString();
                int dot = n.lastIndexOf('.');
                newest.put(dot > 0 ? n.substring(0, dot) : n, p); // sorted: later date wins
              });
    }
    Builder b = new Builder();
    for (Path p : newest.values()) {
      try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.ISO_8859_1)) {
        b.read(r);
      }
    }
    return b.build();
  }

  /** Reads one or more delegated files given as readers. */
  public static CountryRegistry load(Reader... readers) throws IOException {
    Builder b = new Builder();
    for (Reader r : readers) {
      b.read(new BufferedReader(r));
    }
    return b.build();
  }

  /** Country index of an ASN, or -1. */
  public int countryOfAsn(long asn) {
    return asnCountry.getIfAbsent((int) asn, -1);
  }

  /** Country index of the block holding the prefix's first address, or -1. */
  public int countryOfPrefix(Prefix p) {
    return p.isIpv4()
        ? find(v4Start, v4End, v4Cc, p.high64())
        : find(v6Start, v6End, v6Cc, p.high64());
  }

  private static int find(long[] start, long[] end, int[] cc, long addr) {
    int lo = 0;
    int hi = start.length - 1;
    int best = -1;
    while (lo <= hi) { // last range with start <= addr
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(start[mid], addr) <= 0) {
        best = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best >= 0 && Long.compareUnsigned(addr, end[best]) <= 0 ? cc[best] : -1;
  }

  /** Index of a two-letter code, or -1. */
  public int index(String cc) {
    return index.getIfAbsent(cc.toUpperCase(), -1);
  }

  public String code(int idx) {
    return idx < 0 ? null : codes.get(idx);
  }

  /** ASNs delegated to a country. */
  public int[] domesticAsns(int idx) {
    return idx < 0 || idx >= asnsOf.size() ? new int[0] : asnsOf.get(idx).toArray();
  }

  public int countryCount() {
    return codes.size();
  }

  private static final class Builder {
    private final CountryRegistry r = new CountryRegistry();
    private final TreeMap<Long, long[]> v4 = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<Long, long[]> v6 = new TreeMap<>(Long::compareUnsigned);

    void read(BufferedReader in) throws IOException {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty() || line.charAt(0) == '#') {
          continue;
        }
        String[] f = line.split("\\|", -1);
        // Version and summary lines have fewer fields or a '*' country.
        if (f.length < 7 || f[1].isEmpty() || f[1].equals("*") || f[1].equals("ZZ")) {
          continue;
        }
        String status = f[6];
        if (!status.equals("allocated") && !status.equals("assigned")) {
          continue;
        }
        try {
          int cc = country(f[1]);
          switch (f[2]) {
            case "asn" -> {
              long start = Long.parseLong(f[3]);
              long n = Long.parseLong(f[4]);
              for (long a = start; a < start + n && a <= 0xffffffffL; a++) {
                r.asnCountry.put((int) a, cc);
              }
            }
            case "ipv4" -> {
              long start = Prefix.parse(f[3] + "/32").high64();
              v4.put(start, new long[] {start + Long.parseLong(f[4]) - 1, cc});
            }
            case "ipv6" -> {
              Prefix p = Prefix.parse(f[3] + "/" + f[4]);
              long start = p.high64();
              int len = Math.min(p.length(), 64);
              long span = len == 0 ? -1L : (len == 64 ? 0 : (-1L >>> len));
              v6.put(start, new long[] {start + span, cc});
            }
            default -> {}
          }
        } catch (IllegalArgumentException e) {
          // A malformed record is skipped: one bad line must not lose the whole registry.
        }
      }
    }

    private int country(String code) {
      String c = code.toUpperCase();
      int i = r.index.getIfAbsent(c, -1);
      if (i < 0) {
        i = r.codes.size();
        r.codes.add(c);
        r.index.put(c, i);
      }
      return i;
    }

    CountryRegistry build() {
      for (int i = 0; i < r.codes.size(); i++) {
        r.asnsOf.add(new IntArrayList());
      }
      r.asnCountry.forEachKeyValue((asn, cc) -> r.asnsOf.get(cc).add(asn));
      r.asnsOf.forEach(IntArrayList::sortThis);
      fill(v4, true);
      fill(v6, false);
      return r;
    }

    private void fill(TreeMap<Long, long[]> m, boolean ipv4) {
      long[] s = new long[m.size()];
      long[] e = new long[m.size()];
      int[] c = new int[m.size()];
      int i = 0;
      for (Map.Entry<Long, long[]> en : m.entrySet()) {
        s[i] = en.getKey();
        e[i] = en.getValue()[0];
        c[i++] = (int) en.getValue()[1];
      }
      if (ipv4) {
        r.v4Start = s;
        r.v4End = e;
        r.v4Cc = c;
      } else {
        r.v6Start = s;
        r.v6End = e;
        r.v6Cc = c;
      }
    }
  }
}
