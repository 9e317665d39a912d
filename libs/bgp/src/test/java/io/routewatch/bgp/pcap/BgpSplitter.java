package io.routewatch.bgp.pcap;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Test helper: splits a BGP TCP stream into messages by the RFC 4271 §4.1 header (16-byte all-ones
 * marker, 2-byte length 19..65535). On a bad header it reports and scans for the next marker.
 */
final class BgpSplitter {
  private byte[] buf = new byte[0];
  private boolean resync;

  int buffered() {
    return buf.length;
  }

  void gap() {
    buf = new byte[0];
    resync = true;
  }

  void feed(byte[] data, Consumer<byte[]> out, Consumer<String> error) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(buf.length + data.length);
    b.write(buf, 0, buf.length);
    b.write(data, 0, data.length);
    byte[] all = b.toByteArray();
    int p = 0;
    while (all.length - p >= 19) {
      if (!markerAt(all, p)) {
        if (!resync) {
          error.accept("BGP marker is not all ones at buffered byte " + p + " (RFC 4271 §4.1)");
          resync = true;
        }
        p++;
        continue;
      }
      int len = ((all[p + 16] & 0xff) << 8) | (all[p + 17] & 0xff);
      if (len < 19) {
        error.accept("BGP length " + len + " below 19 (RFC 4271 §4.1)");
        p++;
        resync = true;
        continue;
      }
      if (all.length - p < len) {
        break;
      }
      resync = false;
      out.accept(Arrays.copyOfRange(all, p, p + len));
      p += len;
    }
    buf = Arrays.copyOfRange(all, p, all.length);
  }

  private static boolean markerAt(byte[] b, int p) {
    for (int i = 0; i < 16; i++) {
      if (b[p + i] != (byte) 0xff) {
        return false;
      }
    }
    return true;
  }
}
