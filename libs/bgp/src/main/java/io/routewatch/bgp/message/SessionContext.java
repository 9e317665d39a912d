package io.routewatch.bgp.message;

import io.routewatch.bgp.attr.DecodeContext;

/**
 * What a receiver negotiated and the decoder needs: 4-octet AS (RFC 6793), add-path receive per
 * AFI/SAFI (RFC 7911), extended messages up to 65535 bytes (RFC 8654).
 */
public record SessionContext(
    boolean as4, DecodeContext.AddPath addPathReceive, boolean extendedMessages) {
  public static final SessionContext LEGACY =
      new SessionContext(false, DecodeContext.AddPath.NONE, false);
  public static final SessionContext AS4 =
      new SessionContext(true, DecodeContext.AddPath.NONE, false);

  public int maxMessageLength() {
    return extendedMessages ? 65535 : 4096;
  }

  public DecodeContext attributes() {
    return new DecodeContext(as4, addPathReceive, false);
  }

  /** The context for messages received from the speaker that sent theirs, given ours. */
  public static SessionContext negotiated(Open ours, Open theirs) {
    boolean as4 = ours.has(Capability.FOUR_OCTET_AS) && theirs.has(Capability.FOUR_OCTET_AS);
    boolean ext = ours.has(Capability.EXTENDED_MESSAGE) && theirs.has(Capability.EXTENDED_MESSAGE);
    DecodeContext.AddPath ap =
        (afi, safi) -> {
          boolean theySend = false, weReceive = false;
          for (Capability c : theirs.capabilities())
            if (c.code() == Capability.ADD_PATH && c.addPathSends(afi, safi)) theySend = true;
          for (Capability c : ours.capabilities()) {
            if (c.code() != Capability.ADD_PATH) continue;
            byte[] v = c.value();
            for (int i = 0; i + 3 < v.length; i += 4) {
              if (((v[i] & 0xff) << 8 | (v[i + 1] & 0xff)) == afi
                  && (v[i + 2] & 0xff) == safi
                  && (v[i + 3] & 1) != 0) weReceive = true;
            }
          }
          return theySend && weReceive;
        };
    return new SessionContext(as4, ap, ext);
  }
}
