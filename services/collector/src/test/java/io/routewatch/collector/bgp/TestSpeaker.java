package io.routewatch.collector.bgp;

import io.routewatch.bgp.message.BgpMessageEncoder;
import io.routewatch.bgp.message.Capability;
import io.routewatch.bgp.message.Keepalive;
import io.routewatch.bgp.message.Open;
import io.routewatch.bgp.message.SessionContext;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HexFormat;
import java.util.List;

/** A scripted BGP peer for tests: connects from a chosen 127.0.0.x, speaks raw bytes. */
final class TestSpeaker implements AutoCloseable {
  static final BgpMessageEncoder ENC = new BgpMessageEncoder(SessionContext.LEGACY);
  final Socket socket = new Socket();
  final DataInputStream in;

  TestSpeaker(String from, int port) throws IOException {
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 3000);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
  }

  /** OPEN (4-octet AS, IPv4 unicast) + KEEPALIVE, and reads the collector's OPEN + KEEPALIVE. */
  TestSpeaker establish(long as, int hold) throws IOException {
    Open o =
        new Open(
            4,
            (int) Math.min(as, 23456),
            hold,
            0x0a000000 | (int) (as & 0xffff),
            List.of(Capability.multiprotocol(1, 1), Capability.fourOctetAs(as)),
            List.of(),
            false);
    send(ENC.encode(o));
    send(ENC.encode(Keepalive.INSTANCE));
    int t1 = readType();
    int t2 = readType();
    if (t1 != 1 || t2 != 4) {
      throw new IOException("expected OPEN, KEEPALIVE; got " + t1 + ", " + t2);
    }
    return this;
  }

  void send(byte[] b) throws IOException {
    socket.getOutputStream().write(b);
    socket.getOutputStream().flush();
  }

  void keepalive() throws IOException {
    send(ENC.encode(Keepalive.INSTANCE));
  }

  /**
   * UPDATE announcing 10.{as%256}.{i}.0/24 with ORIGIN IGP, AS_PATH [as 65100] (4-byte), NEXT_HOP
   * 192.0.2.2. {@code origin} other than 0–2 makes it malformed (RFC 7606 §7.1).
   */
  void announce(long as, int i, int origin) throws IOException {
    String attrs =
        "400101"
            + String.format("%02x", origin)
            + "40020a0202"
            + String.format("%08x", as)
            + "0000fe4c"
            + "400304c0000202";
    String nlri = "180a" + String.format("%02x%02x", as & 0xff, i);
    String body = "0000" + String.format("%04x", attrs.length() / 2) + attrs + nlri;
    send(message(2, body));
  }

  static byte[] message(int type, String bodyHex) {
    byte[] body = HexFormat.of().parseHex(bodyHex);
    byte[] m = new byte[19 + body.length];
    for (int i = 0; i < 16; i++) {
      m[i] = (byte) 0xff;
    }
    m[16] = (byte) (m.length >>> 8);
    m[17] = (byte) m.length;
    m[18] = (byte) type;
    System.arraycopy(body, 0, m, 19, body.length);
    return m;
  }

  /** Type of the next message (skipping its body), or -1 at end of stream. */
  int readType() throws IOException {
    byte[] h = new byte[19];
    try {
      in.readFully(h);
    } catch (java.io.EOFException e) {
      return -1;
    }
    int len = (h[16] & 0xff) << 8 | (h[17] & 0xff);
    lastBody = new byte[len - 19];
    in.readFully(lastBody);
    return h[18] & 0xff;
  }

  byte[] lastBody;

  /** Reads until a NOTIFICATION; returns {code, subcode} or null if the stream ended first. */
  int[] awaitNotification() throws IOException {
    for (int i = 0; i < 100; i++) {
      int t = readType();
      if (t < 0) {
        return null;
      }
      if (t == 3) {
        return new int[] {lastBody[0] & 0xff, lastBody[1] & 0xff};
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
