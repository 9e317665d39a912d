package io.routewatch.bgp.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Synthetic captures built byte by byte: link layers, IPv6, out-of-order and retransmission. */
class TcpStreamReaderTest {

  /** IPv6 (RFC 8200) + TCP (RFC 9293) packet from [2001:db8::1]:40000 to [2001:db8::2]:1790. */
  static byte[] ipv6Tcp(long seq, int flags, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(40 + 20 + payload.length);
    b.putInt(0x60000000); // version 6
    b.putShort((short) (20 + payload.length)); // payload length
    b.put((byte) 6).put((byte) 64); // next header TCP, hop limit
    b.put(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    b.put(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
    b.putShort((short) 40000).putShort((short) 1790);
    b.putInt((int) seq).putInt(0);
    b.put((byte) 0x50).put((byte) flags); // data offset 5 words
    b.putShort((short) 65535).putInt(0); // window, checksum, urgent
    b.put(payload);
    return b.array();
  }

  /** Linux cooked v2 header (20 bytes): protocol 0x86dd first. */
  static byte[] sll2(byte[] ip) {
    ByteBuffer b = ByteBuffer.allocate(20 + ip.length);
    b.putShort((short) 0x86dd).putShort((short) 0).putInt(1).putShort((short) 1);
    b.put((byte) 0).put((byte) 6).put(new byte[8]);
    b.put(ip);
    return b.array();
  }

  /** Classic little-endian nanosecond pcap. */
  static byte[] pcap(int linkType, List<byte[]> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xa1b23c4d)
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0)
        .putInt(0)
        .putInt(65535)
        .putInt(linkType);
    out.writeBytes(h.array());
    int i = 0;
    for (byte[] f : frames) {
      ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      r.putInt(1000 + i).putInt(500).putInt(f.length).putInt(f.length);
      out.writeBytes(r.array());
      out.writeBytes(f);
      i++;
    }
    return out.toByteArray();
  }

  static List<StreamEvent> replay(byte[] file) throws IOException {
    List<StreamEvent> out = new ArrayList<>();
    try (TcpStreamReader r =
        new TcpStreamReader(
            CaptureReader.open(new ByteArrayInputStream(file)), new TcpReassembler())) {
      for (StreamEvent e; (e = r.next()) != null; ) {
        out.add(e);
      }
    }
    return out;
  }

  static byte[] concat(List<StreamEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    events.stream()
        .filter(e -> e.kind() == StreamEvent.Kind.DATA)
        .forEach(e -> out.writeBytes(e.data()));
    return out.toByteArray();
  }

  @Test
  void reordersDropsRetransmissionsAndTrimsOverlap() throws IOException {
    long isn = 0xfffffff0L; // sequence numbers wrap during the stream
    List<byte[]> frames =
        List.of(
            sll2(ipv6Tcp(isn, 0x02, new byte[0])), // SYN
            sll2(ipv6Tcp(isn + 1 + 4, 0x18, "EFGH".getBytes())), // arrives early
            sll2(ipv6Tcp(isn + 1, 0x18, "ABCD".getBytes())), // fills the hole
            sll2(ipv6Tcp(isn + 1, 0x18, "ABCD".getBytes())), // retransmission
            sll2(ipv6Tcp(isn + 1 + 6, 0x18, "GHIJ".getBytes())), // overlaps 2 bytes
            sll2(ipv6Tcp(isn + 1 + 10, 0x11, new byte[0]))); // FIN
    List<StreamEvent> events = replay(pcap(LinkType.LINUX_SLL2, frames));
    assertArrayEquals("ABCDEFGHIJ".getBytes(), concat(events));
    StreamEvent first = events.get(0);
    assertEquals(
        3, first.frameNumber(), "in-order data is released by the frame that fills the hole");
    assertEquals(1002L * 1_000_000_000L + 500, first.timestampNanos());
    assertEquals(1790, first.flow().dstPort());
    assertEquals("2001:db8:0:0:0:0:0:2", first.flow().dstAddress().getHostAddress());
    StreamEvent last = events.get(events.size() - 1);
    assertEquals(StreamEvent.Kind.END, last.kind());
    assertEquals(10, last.streamOffset());
  }

  @Test
  void missingSegmentBecomesGapAtEnd() throws IOException {
    List<byte[]> frames =
        List.of(
            ipv6Tcp(100, 0x18, "AB".getBytes()), // no SYN: capture started mid-stream
            ipv6Tcp(105, 0x18, "FG".getBytes())); // bytes 102..104 never captured
    List<StreamEvent> events = replay(pcap(LinkType.RAW, frames));
    assertEquals(
        List.of(
            StreamEvent.Kind.DATA,
            StreamEvent.Kind.GAP,
            StreamEvent.Kind.DATA,
            StreamEvent.Kind.END),
        events.stream().map(StreamEvent::kind).toList());
    assertEquals(3, events.get(1).gapBytes());
    assertEquals(5, events.get(2).streamOffset());
  }

  @Test
  void loopbackAndSynPayloadFromCaptureGenerators() throws IOException {
    // LINKTYPE_NULL: 4-byte family in host order (AF_INET6 = 30 on macOS).
    byte[] syn = ipv6Tcp(1, 0x02, "ABC".getBytes()); // payload on the SYN, as pmacct's pcaps do
    byte[] next = ipv6Tcp(4, 0x18, "DEF".getBytes()); // continues at ISN + 3, not ISN + 4
    List<byte[]> frames = new ArrayList<>();
    for (byte[] ip : List.of(syn, next)) {
      frames.add(
          ByteBuffer.allocate(4 + ip.length)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putInt(30)
              .put(ip)
              .array());
    }
    List<StreamEvent> events = replay(pcap(LinkType.NULL, frames));
    assertArrayEquals("ABCDEF".getBytes(), concat(events));
    assertTrue(events.stream().noneMatch(e -> e.kind() == StreamEvent.Kind.GAP));
  }
}
