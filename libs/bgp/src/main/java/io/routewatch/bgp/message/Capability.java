package io.routewatch.bgp.message;

import io.routewatch.bgp.wire.ByteReader;
import java.util.Arrays;

/**
 * One OPEN capability (RFC 5492) kept as code + raw value, with typed readers for the ones this
 * codec uses: multiprotocol (1, RFC 4760), route refresh (2, RFC 2918), extended message (6, RFC
 * 8654), graceful restart (64, RFC 4724), 4-octet AS (65, RFC 6793), add-path (69, RFC 7911).
 * Unknown capabilities stay raw.
 */
public record Capability(int code, byte[] value) {
  public static final int MULTIPROTOCOL = 1,
      ROUTE_REFRESH = 2,
      EXTENDED_MESSAGE = 6,
      GRACEFUL_RESTART = 64,
      FOUR_OCTET_AS = 65,
      ADD_PATH = 69;

  public static Capability multiprotocol(int afi, int safi) {
    return new Capability(
        MULTIPROTOCOL, new byte[] {(byte) (afi >>> 8), (byte) afi, 0, (byte) safi});
  }

  public static Capability fourOctetAs(long as) {
    return new Capability(
        FOUR_OCTET_AS,
        new byte[] {(byte) (as >>> 24), (byte) (as >>> 16), (byte) (as >>> 8), (byte) as});
  }

  /** MP: AFI. */
  public int afi() {
    return ByteReader.getShort(value, 0);
  }

  /** MP: SAFI. */
  public int safi() {
    return value[3] & 0xff;
  }

  /** 4-octet AS: the speaker's AS. */
  public long asn() {
    return ByteReader.getInt(value, 0) & 0xffffffffL;
  }

  /**
   * Add-path (RFC 7911 §4): true if the sender of this OPEN can send (2) or both (3) for afi/safi,
   * i.e. the receiver of this OPEN should expect path ids.
   */
  public boolean addPathSends(int afi, int safi) {
    for (int i = 0; i + 3 < value.length; i += 4) {
      if (ByteReader.getShort(value, i) == afi
          && (value[i + 2] & 0xff) == safi
          && ((value[i + 3] & 2) != 0)) return true;
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Capability c && c.code == code && Arrays.equals(c.value, value);
  }

  @Override
  public int hashCode() {
    return code * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return switch (code) {
      case MULTIPROTOCOL -> "MP(" + afi() + "/" + safi() + ")";
      case ROUTE_REFRESH -> "ROUTE_REFRESH";
      case EXTENDED_MESSAGE -> "EXTENDED_MESSAGE";
      case GRACEFUL_RESTART -> "GRACEFUL_RESTART";
      case FOUR_OCTET_AS -> "AS4(" + asn() + ")";
      case ADD_PATH -> "ADD_PATH";
      default -> "CAP(" + code + ")";
    };
  }
}
