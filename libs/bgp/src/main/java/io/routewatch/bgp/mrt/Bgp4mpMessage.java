package io.routewatch.bgp.mrt;

import io.routewatch.bgp.attr.DecodeContext;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.message.BgpMessage;
import io.routewatch.bgp.message.BgpMessageDecoder;
import io.routewatch.bgp.message.SessionContext;
import io.routewatch.bgp.nlri.Afi;
import io.routewatch.bgp.wire.ByteReader;

/**
 * A BGP4MP / BGP4MP_ET MESSAGE* record (RFC 6396 §4.4.2, RFC 8050 §3): who sent it, when, and the
 * BGP message bytes; {@link #message()} decodes them with the session facts the subtype implies
 * (4-byte AS for *_AS4, add-path for *_ADDPATH).
 */
public record Bgp4mpMessage(
    long timestamp,
    int microseconds,
    long peerAs,
    long localAs,
    int ifIndex,
    Afi afi,
    byte[] peerIp,
    byte[] localIp,
    boolean as4,
    boolean addPath,
    boolean local,
    byte[] raw,
    int msgOffset,
    int msgLength) {

  /** Splits a record; throws a located error for unsupported AFIs or short records. */
  public static Bgp4mpMessage of(MrtRecord r) {
    int st = r.subtype();
    boolean as4 = MrtType.bgp4mpAs4(st);
    ByteReader b = new ByteReader(r.body());
    long peerAs = as4 ? b.u32L() : b.u16();
    long localAs = as4 ? b.u32L() : b.u16();
    int ifIndex = b.u16();
    Afi afi = Afi.of(b.u16());
    if (afi == null)
      throw DecodeException.at(
          "BGP4MP unsupported AFI (RFC 6396 §4.4.2)",
          r.body(),
          2 * (as4 ? 4 : 2) + 2,
          Rfc7606Action.NONE);
    byte[] peer = b.bytes(afi.bytes);
    byte[] localIp = b.bytes(afi.bytes);
    return new Bgp4mpMessage(
        r.timestamp(),
        r.microseconds(),
        peerAs,
        localAs,
        ifIndex,
        afi,
        peer,
        localIp,
        as4,
        MrtType.bgp4mpAddPath(st),
        MrtType.bgp4mpLocal(st),
        r.body(),
        b.position(),
        b.remaining());
  }

  public SessionContext session() {
    return new SessionContext(
        as4, addPath ? DecodeContext.AddPath.ALL : DecodeContext.AddPath.NONE, true);
  }

  /** The BGP message bytes (header included). */
  public byte[] messageBytes() {
    byte[] m = new byte[msgLength];
    System.arraycopy(raw, msgOffset, m, 0, msgLength);
    return m;
  }

  public BgpMessage message() {
    return new BgpMessageDecoder(session()).decode(raw, msgOffset, msgLength);
  }
}
