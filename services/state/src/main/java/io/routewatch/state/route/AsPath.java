package io.routewatch.state.route;

import java.util.Arrays;

/**
 * An AS_PATH: segments of type AS_SET / AS_SEQUENCE (RFC 4271 §4.3) or AS_CONFED_SEQUENCE /
 * AS_CONFED_SET (RFC 5065 §3), each a list of 4-byte ASNs held as unsigned ints (RFC 6793).
 * Immutable; stored flat as {@code [type, n, asn1..asnN]*} so one array holds the whole path.
 */
public final class AsPath {
  public static final int AS_SET = 1;
  public static final int AS_SEQUENCE = 2;
  public static final int AS_CONFED_SEQUENCE = 3;
  public static final int AS_CONFED_SET = 4;

  public static final AsPath EMPTY = new AsPath(new int[0]);

  private final int[] enc;
  private final int hash;

  private AsPath(int[] enc) {
    this.enc = enc;
    this.hash = Arrays.hashCode(enc);
  }

  /** A path that is one AS_SEQUENCE of the given ASNs (0..2^32-1). */
  public static AsPath sequence(long... asns) {
    if (asns.length == 0) {
      return EMPTY;
    }
    int[] e = new int[asns.length + 2];
    e[0] = AS_SEQUENCE;
    e[1] = asns.length;
    for (int i = 0; i < asns.length; i++) {
      e[i + 2] = checkAsn(asns[i]);
    }
    return new AsPath(e);
  }

  private static int checkAsn(long asn) {
    if (asn < 0 || asn > 0xffffffffL) {
      throw new IllegalArgumentException("ASN out of range: " + asn);
    }
    return (int) asn;
  }

  /** Builds a path from segment types and ASNs (as unsigned ints). */
  public static AsPath of(int[] types, int[][] segments) {
    if (types.length != segments.length) {
      throw new IllegalArgumentException("types and segments differ in length");
    }
    int n = 0;
    for (int[] s : segments) {
      n += s.length + 2;
    }
    int[] e = new int[n];
    int o = 0;
    for (int i = 0; i < types.length; i++) {
      if (types[i] < AS_SET || types[i] > AS_CONFED_SET) {
        throw new IllegalArgumentException("unknown segment type " + types[i]);
      }
      e[o++] = types[i];
      e[o++] = segments[i].length;
      System.arraycopy(segments[i], 0, e, o, segments[i].length);
      o += segments[i].length;
    }
    return new AsPath(e);
  }

  /**
   * Parses bgpdump text: {@code 2914 1239 {4837,4538}}; confederation segments as {@code (65001
   * 65002)} (sequence) and {@code [65001,65002]} (set).
   */
  public static AsPath parse(String text) {
    int[] e = new int[16];
    int o = 0;
    int i = 0;
    int n = text.length();
    int seqHeader = -1; // index of the open AS_SEQUENCE header, -1 if none
    while (i < n) {
      char c = text.charAt(i);
      if (c == ' ') {
        i++;
        continue;
      }
      if (c == '{' || c == '(' || c == '[') {
        char close = c == '{' ? '}' : c == '(' ? ')' : ']';
        int type = c == '{' ? AS_SET : c == '(' ? AS_CONFED_SEQUENCE : AS_CONFED_SET;
        int end = text.indexOf(close, i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed segment in AS path: " + text);
        }
        String[] parts = text.substring(i + 1, end).trim().split("[ ,]+");
        if (o + parts.length + 2 > e.length) {
          e = Arrays.copyOf(e, Math.max(e.length * 2, o + parts.length + 2));
        }
        e[o++] = type;
        e[o++] = parts.length;
        for (String p : parts) {
          e[o++] = checkAsn(Long.parseLong(p));
        }
        seqHeader = -1;
        i = end + 1;
        continue;
      }
      int j = i;
      while (j < n
          && text.charAt(j) != ' '
          && text.charAt(j) != '{'
          && text.charAt(j) != '('
          && text.charAt(j) != '[') {
        j++;
      }
      int asn = checkAsn(parseAsn(text, i, j));
      if (o + 3 > e.length) {
        e = Arrays.copyOf(e, e.length * 2);
      }
      if (seqHeader < 0) {
        seqHeader = o;
        e[o++] = AS_SEQUENCE;
        e[o++] = 0;
      }
      e[o++] = asn;
      e[seqHeader + 1]++;
      i = j;
    }
    return o == 0 ? EMPTY : new AsPath(Arrays.copyOf(e, o));
  }

  private static long parseAsn(String s, int from, int to) {
    int dot = s.indexOf('.', from);
    if (dot >= 0 && dot < to) { // asdot notation (RFC 5396): high.low
      return Long.parseLong(s.substring(from, dot)) << 16
          | Long.parseLong(s.substring(dot + 1, to));
    }
    return Long.parseLong(s, from, to, 10);
  }

  /**
   * The flat encoding {@code [type, n, asn1..asnN]*} (ASNs as unsigned ints). Shared, not copied,
   * because the upstream rule walks it once per distinct path: callers must not modify it.
   */
  public int[] encoding() {
    return enc;
  }

  public int segmentCount() {
    int c = 0;
    for (int o = 0; o < enc.length; o += enc[o + 1] + 2) {
      c++;
    }
    return c;
  }

  /** Total number of ASNs over all segments. */
  public int asnCount() {
    int c = 0;
    for (int o = 0; o < enc.length; o += enc[o + 1] + 2) {
      c += enc[o + 1];
    }
    return c;
  }

  public boolean isEmpty() {
    return enc.length == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AsPath p && p.hash == hash && Arrays.equals(p.enc, enc);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int o = 0; o < enc.length; o += enc[o + 1] + 2) {
      int type = enc[o];
      int len = enc[o + 1];
      if (sb.length() > 0) {
        sb.append(' ');
      }
      String open =
          type == AS_SET
              ? "{"
              : type == AS_CONFED_SEQUENCE ? "(" : type == AS_CONFED_SET ? "[" : "";
      String close =
          type == AS_SET
              ? "}"
              : type == AS_CONFED_SEQUENCE ? ")" : type == AS_CONFED_SET ? "]" : "";
      String sep = type == AS_SET || type == AS_CONFED_SET ? "," : " ";
      sb.append(open);
      for (int k = 0; k < len; k++) {
        if (k > 0) {
          sb.append(sep);
        }
        sb.append(Integer.toUnsignedString(enc[o + 2 + k]));
      }
      sb.append(close);
    }
    return sb.toString();
  }
}
