package io.routewatch.bgp.bmp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An information TLV: type (2), length (2), value (RFC 7854 §4.4, also used by Peer Up §4.10,
 * Termination §4.5, Route Mirroring §4.7 and RFC 9069 §5). Unknown types are kept raw.
 */
public record BmpTlv(int type, byte[] value) {
  /** Initiation / Peer Up: free-form UTF-8 string (RFC 7854 §4.4). */
  public static final int STRING = 0;

  /** Initiation: sysDescr (RFC 7854 §4.4). */
  public static final int SYS_DESCR = 1;

  /** Initiation: sysName (RFC 7854 §4.4). */
  public static final int SYS_NAME = 2;

  /** Peer Up / Peer Down reason 6: VRF/Table Name (RFC 9069 §5.2.1, §5.3). */
  public static final int VRF_TABLE_NAME = 3;

  /** Peer Up: Admin Label (IANA "BMP Peer Up Message TLVs" registry). */
  public static final int ADMIN_LABEL = 4;

  /** Termination: Reason (RFC 7854 §4.5), 2-byte code. */
  public static final int TERMINATION_REASON = 1;

  /** Route Mirroring: BGP Message (RFC 7854 §4.7). */
  public static final int MIRROR_BGP_MESSAGE = 0;

  /** Route Mirroring: Information, 2-byte code (0 errored PDU, 1 messages lost). */
  public static final int MIRROR_INFORMATION = 1;

  /** The value decoded as UTF-8 (RFC 7854 §4.4: strings are not NUL-terminated). */
  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }

  /** The value as an unsigned 16-bit code, or -1 if the value is not 2 bytes long. */
  public int code() {
    return value.length == 2 ? ((value[0] & 0xff) << 8) | (value[1] & 0xff) : -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BmpTlv t && t.type == type && Arrays.equals(t.value, value);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "BmpTlv[type=" + type + ", length=" + value.length + "]";
  }

  /** Reads TLVs until the cursor is exhausted. */
  static List<BmpTlv> readAll(BmpCursor c, String context) {
    List<BmpTlv> out = new ArrayList<>();
    while (c.remaining() > 0) {
      int type = c.u16(context + " TLV type");
      int len = c.u16(context + " TLV length");
      out.add(new BmpTlv(type, c.bytes(len, context + " TLV value (type " + type + ")")));
    }
    return List.copyOf(out);
  }
}
