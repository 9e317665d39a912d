package io.routewatch.bgp.bmp;

/** Annotated BMP messages shared by the unit tests and the fuzz seeds. */
final class Fixtures {
  private Fixtures() {}

  static final String MARKER = "ffffffffffffffffffffffffffffffff";

  /** Per-peer header: global peer 192.0.2.1, AS 65001 (RFC 7854 §4.2). */
  static String perPeer(String flags) {
    return """
        00                                 # peer type 0: global instance
        %s                                 # flags
        0000000000000000                   # peer distinguisher
        000000000000000000000000 c0000201  # peer address 192.0.2.1 (IPv4 in last 4 bytes)
        0000fde9                           # peer AS 65001
        c0000201                           # peer BGP ID 192.0.2.1
        00000001 00000002                  # timestamp 1 s, 2 us
        """
        .formatted(flags);
  }

  static final byte[] INITIATION =
      Hex.bytes(
          """
      03 00000017 04                     # v3, length 23, Initiation
      0001 0004 72747231                 # sysDescr "rtr1"
      0002 0005 7274722d31               # sysName "rtr-1"
      """);

  /** Peer Up: router AS 65000 sends add-path ipv4/unicast both, peer only receives. */
  static final byte[] PEER_UP =
      Hex.bytes(
          "03 000000a0 03   # v3, length 160, Peer Up\n"
              + perPeer("00")
              + """
      000000000000000000000000 c0000202  # local address 192.0.2.2
      00b3 c350                          # local port 179, remote port 50000
      """
              + MARKER
              + """
       002b 01                           # sent OPEN, length 43
      04 fde8 00b4 c0000202              # version 4, My AS 65000, hold 180, id 192.0.2.2
      0e 02 0c                           # opt params 14: capabilities, 12 bytes
      41 04 0000fde8                     # 4-octet AS 65000 (RFC 6793)
      45 04 0001 01 03                   # add-path ipv4 unicast send+receive (RFC 7911)
      """
              + MARKER
              + """
       002b 01                           # received OPEN, length 43
      04 fde9 00b4 c0000201              # My AS 65001
      0e 02 0c
      41 04 0000fde9                     # 4-octet AS 65001
      45 04 0001 01 01                   # add-path ipv4 unicast receive only
      0000 0002 6869                     # information TLV: string "hi"
      """);

  static final byte[] STATS =
      Hex.bytes(
          "03 00000056 01   # v3, length 86, Statistics Report\n"
              + perPeer("10") // O flag: Adj-RIB-Out (RFC 8671)
              + """
      00000003                           # 3 stats
      000e 0008 0000000000000064         # type 14 pre-policy Adj-RIB-Out routes = 100
      0010 000b 0002 01 00000000000000ff # type 16 per-AFI/SAFI (IPv6 unicast) = 255
      0063 0003 aabbcc                   # type 99 unknown, kept raw
      """);

  static final byte[] PEER_DOWN_NOTIFICATION =
      Hex.bytes(
          "03 00000046 02   # length 70, Peer Down\n"
              + perPeer("00")
              + "01                                 # reason 1: local NOTIFICATION follows\n"
              + MARKER
              + " 0015 03 06 02             # NOTIFICATION Cease / Administrative Shutdown\n");

  static final byte[] PEER_DOWN_FSM =
      Hex.bytes(
          "03 00000033 02   # length 51, Peer Down\n"
              + perPeer("00")
              + "02 0005                            # reason 2, FSM event 5\n");

  static final byte[] LOC_RIB_PEER_DOWN =
      Hex.bytes(
          """
      03 0000003b 02                     # length 59, Peer Down
      03 80                              # peer type 3 Loc-RIB, F flag (RFC 9069 §4.2)
      0000000000000000
      00000000000000000000000000000000   # peer address zero-filled (RFC 9069 §5.1)
      0000fde8 c0000202 00000000 00000000
      06                                 # reason 6: TLVs follow (RFC 9069 §5.3)
      0003 0006 676c6f62616c             # VRF/Table Name "global"
      """);

  static final byte[] TERMINATION =
      Hex.bytes(
          """
      03 0000000c 05                     # length 12, Termination
      0001 0002 0001                     # reason 1: unspecified
      """);

  static final byte[] ROUTE_MIRRORING =
      Hex.bytes(
          "03 00000036 06   # length 54, Route Mirroring\n"
              + perPeer("00")
              + "0001 0002 0001                     # information: messages lost\n");

  /** Route Monitoring of an UPDATE with AS_PATH 65001 (4-byte) and NLRI 198.51.100.0/24. */
  static final byte[] ROUTE_MONITORING =
      Hex.bytes(
          "03 0000005f 00   # length 95, Route Monitoring\n"
              + perPeer("00")
              + MARKER
              + """
       002f 02                           # UPDATE, length 47
      0000                               # no withdrawn routes
      0014                               # path attributes: 20 bytes
      40 01 01 00                        # ORIGIN IGP
      40 02 06 02 01 0000fde9            # AS_PATH AS_SEQUENCE [65001], 4-byte
      40 03 04 c0000201                  # NEXT_HOP 192.0.2.1
      18 c63364                          # NLRI 198.51.100.0/24
      """);
}
