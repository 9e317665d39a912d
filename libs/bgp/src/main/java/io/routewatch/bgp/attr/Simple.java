package io.routewatch.bgp.attr;

import io.routewatch.bgp.nlri.IpText;
import io.routewatch.bgp.wire.ByteWriter;
import java.util.Arrays;

/**
 * The fixed-size attributes, one small record each (RFC 4271 §5.1, RFC 4456 §8, RFC
 * 1997/4360/8092).
 */
public final class Simple {
  private Simple() {}

  static String ip(int a) {
    return IpText.format(
        new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
  }

  /**
   * ORIGIN (type 1, RFC 4271 §5.1.1). Shared instances for the three values with standard flags.
   */
  public record Origin(int value, int flags) implements PathAttribute {
    public static final int TYPE = 1;
    public static final Origin IGP = new Origin(0, 0x40),
        EGP = new Origin(1, 0x40),
        INCOMPLETE = new Origin(2, 0x40);

    public static Origin of(int value, int flags) {
      if (flags == 0x40 && value >= 0 && value <= 2)
        return value == 0 ? IGP : value == 1 ? EGP : INCOMPLETE;
      return new Origin(value, flags);
    }

    public int type() {
      return TYPE;
    }

    public void encodeValue(ByteWriter w, EncodeContext c) {
      w.u8(value);
    }

    @Override
    public String toString() {
      return value == 0
          ? "IGP"
          : value == 1 ? "EGP" : value == 2 ? "INCOMPLETE" : "ORIGIN(" + value + ")";
    }
  }

  /** NEXT_HOP (type 3, RFC 4271 §5.1.3), IPv4 as a network-order int. */
  public record NextHop(int address, int flags) implements PathAttribute {
    public static final int TYPE = 3;

    public int type() {
      return TYPE;
    }

    public void encodeValue(ByteWriter w, EncodeContext c) {
      w.u32(address);
    }

    @Override
    public String toString() {
      return "NEXT_HOP " + ip(address);
    }
  }

  /** MULTI_EXIT_DISC (type 4, RFC 4271 §5.1.4). */
  public record MultiExitDisc(long value, int flags) implements PathAttribute {
    public static final int TYPE = 4;

    public int type() {
      return TYPE;
    }

    public void encodeValue(ByteWriter w, EncodeContext c) {
      w.u32((int) value);
    }
  }

  /** LOCAL_PREF (type 5, RFC 4271 §5.1.5). */
  public record LocalPref(long value, int flags) implements PathAttribute {
    public static final int TYPE = 5;

    public int type() {
      return TYPE;
    }

    public void encodeValue(ByteWriter w, EncodeContext c) {
      w.u32((int) value);
    }
  }

  /** ATOMIC_AGGREGATE (type 6, RFC 4271 §5.1.6), no value. */
  public record AtomicAggregate(int flags) implements PathAttribute {
    public static final int TYPE = 6;
    public static final AtomicAggregate STANDARD = new AtomicAggregate(0x40);

    public int type() {
      return TYPE;
    }

    public void encodeValue(ByteWriter w, EncodeContext c) {}
  }

  /**
   * AGGREGATOR (type 7, RFC 4271 §5.1.7) and AS4_AGGREGATOR (type 18, RFC 6793 §3). The AS width on
   * the wire follows the session for type 7 and is always 4 bytes for type 18.
   */
  public record Aggregator(int type, long as, int address, int flags) implements PathAttribute {
    public static final int TYPE = 7, AS4_TYPE = 18;

    public void encodeValue(ByteWriter w, EncodeContext c) {
      if (type == AS4_TYPE || c.as4()) w.u32((int) as);
      else w.u16((int) as);
      w.u32(address);
    }

    @Override
    public String toString() {
      return (type == TYPE ? "AGGREGATOR " : "AS4_AGGREGATOR ") + as + " " + ip(address);
    }
  }

  /** COMMUNITIES (type 8, RFC 1997): each value is (AS << 16 | value). */
  public record Communities(int[] values, int flags) implements PathAttribute {
    public static final int TYPE = 8;

    public int type() {
      return TYPE;
    }

    public void encodeValue(ByteWriter w, EncodeContext c) {
      for (int v : values) w.u32(v);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Communities x && x.flags == flags && Arrays.equals(x.values, values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("COMMUNITIES");
      for (int v : values) sb.append(' ').append(v >>> 16).append(':').append(v & 0xffff);
      return sb.toString();
    }
  }

  /** ORIGINATOR_ID (type 9, RFC 4456 §8). */
  public record OriginatorId(int id, int flags) implements PathAttribute {
    public static final int TYPE = 9;

    public int type() {
      return TYPE;
    }

    public void encodeValue(ByteWriter w, EncodeContext c) {
      w.u32(id);
    }
  }

  /** CLUSTER_LIST (type 10, RFC 4456 §8). */
  public record ClusterList(int[] ids, int flags) implements PathAttribute {
    public static final int TYPE = 10;

    public int type() {
      return TYPE;
    }

    public void encodeValue(ByteWriter w, EncodeContext c) {
      for (int v : ids) w.u32(v);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ClusterList x && x.flags == flags && Arrays.equals(x.ids, ids);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
      return "CLUSTER_LIST " + Arrays.toString(ids);
    }
  }

  /** EXTENDED_COMMUNITIES (type 16, RFC 4360 §2): 8-byte values. */
  public record ExtendedCommunities(long[] values, int flags) implements PathAttribute {
    public static final int TYPE = 16;

    public int type() {
      return TYPE;
    }

    public void encodeValue(ByteWriter w, EncodeContext c) {
      for (long v : values) {
        w.u32((int) (v >>> 32));
        w.u32((int) v);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ExtendedCommunities x
          && x.flags == flags
          && Arrays.equals(x.values, values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "EXTENDED_COMMUNITIES " + values.length;
    }
  }

  /** LARGE_COMMUNITIES (type 32, RFC 8092 §3): triples (global, local1, local2) flattened. */
  public record LargeCommunities(int[] values, int flags) implements PathAttribute {
    public static final int TYPE = 32;

    public int type() {
      return TYPE;
    }

    public void encodeValue(ByteWriter w, EncodeContext c) {
      for (int v : values) w.u32(v);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LargeCommunities x && x.flags == flags && Arrays.equals(x.values, values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("LARGE_COMMUNITIES");
      for (int i = 0; i + 2 < values.length; i += 3)
        sb.append(' ')
            .append(Integer.toUnsignedString(values[i]))
            .append(':')
            .append(Integer.toUnsignedString(values[i + 1]))
            .append(':')
            .append(Integer.toUnsignedString(values[i + 2]));
      return sb.toString();
    }
  }

  /** Any attribute this codec does not interpret (or one discarded as malformed), kept raw. */
  public record Unknown(int type, int flags, byte[] value) implements PathAttribute {
    public void encodeValue(ByteWriter w, EncodeContext c) {
      w.bytes(value);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Unknown x
          && x.type == type
          && x.flags == flags
          && Arrays.equals(x.value, value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value) * 31 + type;
    }

    @Override
    public String toString() {
      return "ATTR(" + type + ", flags " + flags + ", " + value.length + " bytes)";
    }
  }
}
