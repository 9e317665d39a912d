package io.routewatch.bgp.pcap;

/**
 * LINKTYPE_* values (tcpdump.org link-layer header types) that {@link PacketDecoder} understands.
 */
public final class LinkType {
  /** BSD loopback: 4-byte address family in the capturing host's byte order. */
  public static final int NULL = 0;

  /** Ethernet II / 802.3, with optional 802.1Q / 802.1ad VLAN tags. */
  public static final int ETHERNET = 1;

  /** PPP (RFC 1661): 2-byte protocol, optionally preceded by 0xff 0x03. */
  public static final int PPP = 9;

  /** Raw IP on some BSDs (DLT_RAW = 12 or 14 on OpenBSD). */
  public static final int RAW_BSD = 12;

  /** Raw IP on OpenBSD (DLT_RAW = 14). */
  public static final int RAW_OPENBSD = 14;

  /** PPP in HDLC-like framing (RFC 1662). */
  public static final int PPP_HDLC = 50;

  /** Raw IPv4 or IPv6; the version nibble tells which. */
  public static final int RAW = 101;

  /** Frame Relay (Q.922 address, then Cisco EtherType or RFC 2427 NLPID). */
  public static final int FRELAY = 107;

  /** Cisco HDLC: address, control, 2-byte EtherType. */
  public static final int C_HDLC = 104;

  /** OpenBSD loopback: 4-byte address family in network byte order. */
  public static final int LOOP = 108;

  /** Linux cooked capture v1 (16-byte header, protocol at offset 14). */
  public static final int LINUX_SLL = 113;

  /** Raw IPv4 only. */
  public static final int IPV4 = 228;

  /** Raw IPv6 only. */
  public static final int IPV6 = 229;

  /** Linux cooked capture v2 (20-byte header, protocol at offset 0). */
  public static final int LINUX_SLL2 = 276;

  private LinkType() {}
}
