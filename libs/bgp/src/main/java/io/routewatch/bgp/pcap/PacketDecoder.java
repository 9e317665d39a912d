package io.routewatch.bgp.pcap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Takes the TCP segment out of a captured frame: link layer ({@link LinkType}), IPv4 (RFC 791) or
 * IPv6 (RFC 8200, walking extension headers), TCP (RFC 9293). Anything else (ARP, UDP, ICMP,
 * non-first fragments, frames cut by the snap length inside a header) gives {@code null}.
 */
public final class PacketDecoder {
  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86DD;
  private static final int ETHERTYPE_VLAN = 0x8100;
  private static final int ETHERTYPE_QINQ = 0x88A8;
  private static final int ETHERTYPE_QINQ_OLD = 0x9100;
  private static final int ETHERTYPE_MPLS = 0x8847;
  private static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
  private static final int PROTO_TCP = 6;

  private PacketDecoder() {}

  /** The TCP segment in this frame, or {@code null} if it holds none we can use. */
  public static TcpSegment tcp(CaptureFrame frame) {
    byte[] b = frame.data();
    int ip = ipOffset(frame.linkType(), b);
    if (ip < 0 || ip >= b.length) {
      return null;
    }
    int version = (b[ip] & 0xff) >>> 4;
    if (version == 4) {
      return ipv4(frame, b, ip);
    }
    if (version == 6) {
      return ipv6(frame, b, ip);
    }
    return null;
  }

  /** Offset of the IP header for a link type, or -1 if the frame carries no IP. */
  static int ipOffset(int linkType, byte[] b) {
    switch (linkType) {
      case LinkType.ETHERNET:
        {
          int p = 12;
          while (p + 2 <= b.length) {
            int type = u16(b, p);
            // IEEE 802.1Q / 802.1ad: 4-byte tags before the real EtherType.
            if (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
              p += 4;
              continue;
            }
            return payload(b, type, p + 2);
          }
          return -1;
        }
      case LinkType.NULL:
      case LinkType.LOOP:
        // Address family: AF_INET is 2 everywhere; AF_INET6 differs by OS (10, 24, 28, 30).
        // The IP version nibble is checked by the caller, so any 4-byte header is accepted.
        return b.length > 4 ? 4 : -1;
      case LinkType.RAW:
      case LinkType.RAW_BSD:
      case LinkType.RAW_OPENBSD:
      case LinkType.IPV4:
      case LinkType.IPV6:
        return 0;
      case LinkType.C_HDLC:
        return b.length >= 4 ? payload(b, u16(b, 2), 4) : -1;
      case LinkType.FRELAY:
        return frameRelay(b);
      case LinkType.PPP:
      case LinkType.PPP_HDLC:
        {
          int p = b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0x03 ? 2 : 0;
          if (p + 2 > b.length) {
            return -1;
          }
          int proto = u16(b, p);
          // RFC 1661/5072: 0x0021 IPv4, 0x0057 IPv6.
          return proto == 0x0021 || proto == 0x0057 ? p + 2 : -1;
        }
      case LinkType.LINUX_SLL:
        return b.length >= 16 ? payload(b, u16(b, 14), 16) : -1;
      case LinkType.LINUX_SLL2:
        return b.length >= 20 ? payload(b, u16(b, 0), 20) : -1;
      default:
        return -1;
    }
  }

  private static boolean isIp(int etherType) {
    return etherType == ETHERTYPE_IPV4 || etherType == ETHERTYPE_IPV6;
  }

  /** IP offset after an EtherType at {@code p}: IP directly, or under an MPLS label stack. */
  private static int payload(byte[] b, int etherType, int p) {
    if (isIp(etherType)) {
      return p;
    }
    if (etherType == ETHERTYPE_MPLS || etherType == ETHERTYPE_MPLS_MULTICAST) {
      // RFC 3032 §2.1: 4-byte label stack entries; bit S (0x01 of the third byte) marks the last.
      while (p + 4 <= b.length) {
        boolean bottom = (b[p + 2] & 0x01) != 0;
        p += 4;
        if (bottom) {
          return p;
        }
      }
    }
    return -1;
  }

  /**
   * Frame Relay: a Q.922 address of 2–4 bytes (EA bit ends it), then either a Cisco-style EtherType
   * or RFC 2427 multiprotocol encapsulation (control 0x03, optional pad, NLPID 0xcc IPv4 / 0x8e
   * IPv6 / 0x80 SNAP).
   */
  private static int frameRelay(byte[] b) {
    int p = 0;
    while (p < b.length && p < 4 && (b[p] & 0x01) == 0) {
      p++;
    }
    p++;
    if (p + 2 > b.length) {
      return -1;
    }
    int maybeType = u16(b, p);
    if (isIp(maybeType)) {
      return p + 2;
    }
    if ((b[p] & 0xff) != 0x03) {
      return -1;
    }
    p++;
    if (p < b.length && b[p] == 0) {
      p++;
    }
    if (p >= b.length) {
      return -1;
    }
    int nlpid = b[p] & 0xff;
    if (nlpid == 0xcc || nlpid == 0x8e) {
      return p + 1;
    }
    if (nlpid == 0x80 && p + 6 <= b.length) {
      return payload(b, u16(b, p + 4), p + 6);
    }
    return -1;
  }

  private static TcpSegment ipv4(CaptureFrame f, byte[] b, int ip) {
    if (ip + 20 > b.length) {
      return null;
    }
    int ihl = (b[ip] & 0x0f) * 4;
    int total = u16(b, ip + 2);
    int fragment = u16(b, ip + 6);
    int proto = b[ip + 9] & 0xff;
    // RFC 791: fragment offset (low 13 bits) or More Fragments (0x2000) means a fragment we
    // do not reassemble.
    if (ihl < 20 || proto != PROTO_TCP || (fragment & 0x3fff) != 0) {
      return null;
    }
    // Total length 0 happens with TCP segmentation offload captures: use what was captured.
    int end = total == 0 ? b.length : Math.min(b.length, ip + total);
    InetAddress src = addr(b, ip + 12, 4);
    InetAddress dst = addr(b, ip + 16, 4);
    return tcpSegment(f, b, ip + ihl, end, src, dst);
  }

  private static TcpSegment ipv6(CaptureFrame f, byte[] b, int ip) {
    if (ip + 40 > b.length) {
      return null;
    }
    int payloadLength = u16(b, ip + 4);
    int next = b[ip + 6] & 0xff;
    int end = payloadLength == 0 ? b.length : Math.min(b.length, ip + 40 + payloadLength);
    InetAddress src = addr(b, ip + 8, 16);
    InetAddress dst = addr(b, ip + 24, 16);
    int p = ip + 40;
    // RFC 8200 §4: hop-by-hop (0), routing (43), destination options (60): length in 8-octet
    // units not counting the first 8; fragment (44) is fixed 8 bytes and we do not reassemble.
    while (next != PROTO_TCP) {
      if (p + 8 > end) {
        return null;
      }
      if (next == 0 || next == 43 || next == 60) {
        int len = ((b[p + 1] & 0xff) + 1) * 8;
        next = b[p] & 0xff;
        p += len;
      } else if (next == 51) {
        // RFC 4302 AH: length in 4-octet units minus 2.
        int len = ((b[p + 1] & 0xff) + 2) * 4;
        next = b[p] & 0xff;
        p += len;
      } else {
        return null;
      }
    }
    return tcpSegment(f, b, p, end, src, dst);
  }

  private static TcpSegment tcpSegment(
      CaptureFrame f, byte[] b, int t, int end, InetAddress src, InetAddress dst) {
    if (t + 20 > end) {
      return null;
    }
    int srcPort = u16(b, t);
    int dstPort = u16(b, t + 2);
    long seq = u32(b, t + 4);
    int dataOffset = ((b[t + 12] & 0xff) >>> 4) * 4;
    int flags = b[t + 13] & 0xff;
    if (dataOffset < 20 || t + dataOffset > end) {
      return null;
    }
    byte[] payload = Arrays.copyOfRange(b, t + dataOffset, end);
    return new TcpSegment(
        new FlowKey(src, srcPort, dst, dstPort),
        seq,
        flags,
        payload,
        f.frameNumber(),
        f.timestampNanos());
  }

  private static InetAddress addr(byte[] b, int off, int len) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(b, off, off + len));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always a valid address", e);
    }
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  private static long u32(byte[] b, int off) {
    return ((b[off] & 0xffL) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }
}
