package io.routewatch.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An RFC 6455 WebSocket server on 127.0.0.1 standing in for RIS Live: on the first connection it
 * completes the handshake, waits for the subscription, sends its messages (one longer than {@link
 * #FRAGMENT} bytes goes as a text frame and continuation frames, RFC 6455 §5.4) and then answers
 * pings until the client leaves. Later connections get nothing but pongs.
 */
final class LoopbackWebSocket implements AutoCloseable {
  static final int FRAGMENT = 60_000;

  private final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
  private final List<String> messages;
  final AtomicInteger connections = new AtomicInteger();

  /** The first connection's stream once its messages went out: where {@link #send} writes. */
  private volatile OutputStream live;

  private final CountDownLatch liveReady = new CountDownLatch(1);

  LoopbackWebSocket(List<String> messages) throws IOException {
    this.messages = messages;
    Thread t = new Thread(this::acceptLoop, "loopback-ws");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        int n = connections.incrementAndGet();
        Thread t = new Thread(() -> serve(s, n), "loopback-ws-" + n);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s, int n) {
    try (s) {
      s.setSoTimeout(300_000);
      DataInputStream in = new DataInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      String key = handshakeKey(in);
      String accept =
          Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-1")
                      .digest(
                          (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                              .getBytes(StandardCharsets.US_ASCII)));
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + accept
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      readText(in, out); // the ris_subscribe
      if (n == 1) {
        for (String m : messages) {
          byte[] p = m.getBytes(StandardCharsets.UTF_8);
          for (int off = 0; off == 0 || off < p.length; off += FRAGMENT) {
            int len = Math.min(FRAGMENT, p.length - off);
            boolean fin = off + len == p.length;
            frame(
                out,
                (fin ? 0x80 : 0) | (off == 0 ? 0x1 : 0x0),
                Arrays.copyOfRange(p, off, off + len));
          }
        }
        live = out;
        liveReady.countDown();
      }
      while (true) {
        readText(in, out);
      }
    } catch (Exception e) {
      // client went away
    }
  }

  private static String handshakeKey(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    String key = null;
    int prev = -1;
    for (int c; (c = in.read()) >= 0; prev = c) {
      if (c == '\n' && prev == '\r') {
        String l = line.toString(StandardCharsets.US_ASCII).trim();
        line.reset();
        if (l.isEmpty()) {
          return key;
        }
        if (l.toLowerCase().startsWith("sec-websocket-key:")) {
          key = l.substring(l.indexOf(':') + 1).trim();
        }
      } else if (c != '\r' && line.size() < 8192) {
        line.write(c);
      }
    }
    throw new IOException("handshake ended early");
  }

  /** Reads client frames (masked, small) until a text frame; answers pings. */
  private static String readText(DataInputStream in, OutputStream out) throws IOException {
    while (true) {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = in.readLong();
      }
      if (len > 1 << 20) {
        throw new IOException("client frame of " + len + " bytes");
      }
      byte[] mask = new byte[4];
      if ((b1 & 0x80) != 0) {
        in.readFully(mask);
      }
      byte[] p = new byte[(int) len];
      in.readFully(p);
      for (int i = 0; i < p.length; i++) {
        p[i] ^= mask[i % 4];
      }
      int op = b0 & 0x0f;
      if (op == 0x9) {
        frame(out, 0x80 | 0xA, p);
      } else if (op == 0x8) {
        throw new IOException("closed");
      } else if (op == 0x1) {
        return new String(p, StandardCharsets.UTF_8);
      }
    }
  }

  /** {@code b0}: FIN bit and opcode. Payloads up to 65535 bytes. */
  private static synchronized void frame(OutputStream out, int b0, byte[] p) throws IOException {
    out.write(b0);
    if (p.length < 126) {
      out.write(p.length);
    } else {
      out.write(126);
      out.write(p.length >>> 8);
      out.write(p.length);
    }
    out.write(p);
    out.flush();
  }

  /**
   * Sends one more text message on the first connection (after its initial messages), waiting up to
   * 60 s for that connection: a replay paced by the test.
   */
  void send(String message) throws IOException, InterruptedException {
    if (!liveReady.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no RIS Live client subscribed within 60 s");
    }
    frame(live, 0x81, message.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
