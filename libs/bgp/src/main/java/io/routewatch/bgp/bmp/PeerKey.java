package io.routewatch.bgp.bmp;

import java.net.InetAddress;

/**
 * Identity of a monitored peer within one BMP session: peer type, peer distinguisher, address and
 * AS (RFC 7854 §4.2 keys peers by distinguisher and address; the AS and type separate Loc-RIB and
 * RD instances that share a zero address).
 */
public record PeerKey(int peerType, long distinguisher, InetAddress address, long asn) {}
