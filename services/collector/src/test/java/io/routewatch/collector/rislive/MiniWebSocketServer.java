package io.routewatch.collector.rislive;

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
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A tiny RFC 6455 WebSocket server on 127.0.0.1 for tests: per connection it completes the
 * handshake, waits for the client's first text frame (the subscription), sends the frames the
 * script gives for that connection number, and then either drops the connection or keeps it
 * (answering pings) until the client goes away.
 */
final class MiniWebSocketServer implements AutoCloseable {
  /** What to send on connection n (1-based) and whether to drop it afterwards. */
  record Script(List<String> frames, boolean drop) {}

  private final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
  final AtomicInteger connections = new AtomicInteger();
  final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final IntFunction<Script> script;

  MiniWebSocketServer(IntFunction<Script> script) throws IOException {
    this.script = script;
    Thread t = new Thread(this::acceptLoop, "mini-ws");
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
        Thread t = new Thread(() -> serve(s, n), "mini-ws-" + n);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s, int n) {
    try (s) {
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
      received.add(readText(in, out));
      Script sc = script.apply(n);
      for (String f : sc.frames()) {
        message(out, f.getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      if (sc.drop()) {
        // Let the client read what was sent (frames in flight at a real drop are lost, which
        // would make the count depend on timing), then close abruptly, no close frame: a 1006.
        Thread.sleep(500);
        return;
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
      } else if (c != '\r') {
        line.write(c);
      }
    }
    throw new IOException("handshake ended early");
  }

  /** Reads client frames (masked) until a text frame; answers pings. */
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
        frame(out, 0xA, p);
      } else if (op == 0x8) {
        throw new IOException("closed");
      } else if (op == 0x1) {
        return new String(p, StandardCharsets.UTF_8);
      }
    }
  }

  /** Largest frame payload sent: a longer message goes as fragments (RFC 6455 §5.4). */
  static final int FRAGMENT = 60_000;

  /** One text message: a single frame, or a text frame and continuations of FRAGMENT bytes. */
  private static void message(OutputStream out, byte[] p) throws IOException {
    if (p.length <= FRAGMENT) {
      frame(out, 0x1, p);
      return;
    }
    for (int off = 0; off < p.length; off += FRAGMENT) {
      int n = Math.min(FRAGMENT, p.length - off);
      boolean fin = off + n == p.length;
      frame(
          out,
          (fin ? 0x80 : 0) | (off == 0 ? 0x1 : 0x0),
          java.util.Arrays.copyOfRange(p, off, off + n),
          true);
    }
  }

  private static void frame(OutputStream out, int op, byte[] p) throws IOException {
    frame(out, 0x80 | op, p, true);
  }

  /** {@code b0}: FIN bit and opcode as sent. */
  private static synchronized void frame(OutputStream out, int b0, byte[] p, boolean unused)
      throws IOException {
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

  @Override
  public void close() throws IOException {
    server.close();
  }
}
