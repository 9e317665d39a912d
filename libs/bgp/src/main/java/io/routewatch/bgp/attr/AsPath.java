package io.routewatch.bgp.attr;

import io.routewatch.bgp.wire.ByteWriter;
import java.util.Arrays;

/**
 * AS_PATH (type 2, RFC 4271 §5.1.2) or AS4_PATH (type 17, RFC 6793 §3), stored compactly as one
 * int[]: for each segment [segmentType, count, asn...]. Segment types: AS_SET 1, AS_SEQUENCE 2,
 * AS_CONFED_SEQUENCE 3, AS_CONFED_SET 4 (RFC 5065 §3).
 */
public final class AsPath implements PathAttribute {
  public static final int TYPE = 2, AS4_TYPE = 17;
  public static final int AS_SET = 1, AS_SEQUENCE = 2, AS_CONFED_SEQUENCE = 3, AS_CONFED_SET = 4;

  private final int type;
  private final int flags;
  private final int[] data;

  public AsPath(int type, int flags, int[] data) {
    this.type = type;
    this.flags = flags;
    this.data = data;
  }

  public int type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  /** The raw [segType, count, asn...]* array (a copy). */
  public int[] segments() {
    return data.clone();
  }

  /**
   * RFC 4271 §9.1.2.2 path length: a set counts one, confederation segments none (RFC 5065 §5.3).
   */
  public int length() {
    int n = 0;
    for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
      int t = data[i];
      if (t == AS_SEQUENCE) n += data[i + 1];
      else if (t == AS_SET) n += 1;
    }
    return n;
  }

  /**
   * The origin AS: last AS of a trailing sequence, or -1 when the path ends in a set or is empty.
   */
  public long originAs() {
    long last = -1;
    for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
      last =
          data[i] == AS_SEQUENCE && data[i + 1] > 0
              ? Integer.toUnsignedLong(data[i + 1 + data[i + 1]])
              : -1;
    }
    return last;
  }

  /**
   * RFC 6793 §4.2.3: the leading (length(AS_PATH) - length(AS4_PATH)) ASes of this 2-byte path
   * followed by AS4_PATH; this path unchanged when AS4_PATH is longer.
   */
  public AsPath mergeAs4(AsPath as4) {
    int keep = length() - as4.length();
    if (keep < 0) return this;
    int[] out = new int[data.length + as4.data.length];
    int o = 0;
    for (int i = 0; i < data.length && keep > 0; i += 2 + data[i + 1]) {
      int t = data[i], n = data[i + 1];
      if (t == AS_SET) {
        System.arraycopy(data, i, out, o, 2 + n);
        o += 2 + n;
        keep--;
      } else if (t == AS_SEQUENCE) {
        int take = Math.min(n, keep);
        out[o] = t;
        out[o + 1] = take;
        System.arraycopy(data, i + 2, out, o + 2, take);
        o += 2 + take;
        keep -= take;
      } else {
        System.arraycopy(data, i, out, o, 2 + n); // confed segments do not count (RFC 5065)
        o += 2 + n;
      }
    }
    System.arraycopy(as4.data, 0, out, o, as4.data.length);
    return new AsPath(TYPE, flags, Arrays.copyOf(out, o + as4.data.length));
  }

  @Override
  public void encodeValue(ByteWriter w, EncodeContext ctx) {
    boolean four = type == AS4_TYPE || ctx.as4();
    for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
      w.u8(data[i]).u8(data[i + 1]);
      for (int k = 0; k < data[i + 1]; k++) {
        if (four) w.u32(data[i + 2 + k]);
        else w.u16(data[i + 2 + k]);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AsPath p
        && p.type == type
        && p.flags == flags
        && Arrays.equals(p.data, data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data) * 31 + type;
  }

  /** bgpdump-like text: "1 2 {3,4} (5 6) [7 8]". */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
      int t = data[i];
      if (sb.length() > 0) sb.append(' ');
      String open =
          t == AS_SET ? "{" : t == AS_CONFED_SEQUENCE ? "(" : t == AS_CONFED_SET ? "[" : "";
      String close =
          t == AS_SET ? "}" : t == AS_CONFED_SEQUENCE ? ")" : t == AS_CONFED_SET ? "]" : "";
      char sep = t == AS_SET || t == AS_CONFED_SET ? ',' : ' ';
      sb.append(open);
      for (int k = 0; k < data[i + 1]; k++) {
        if (k > 0) sb.append(sep);
        sb.append(Integer.toUnsignedString(data[i + 2 + k]));
      }
      sb.append(close);
    }
    return sb.toString();
  }
}
