package io.routewatch.bgp.error;

/** Lower-case hex for error messages and fixtures. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  public static String of(byte[] b) {
    return of(b, 0, b.length);
  }

  public static String of(byte[] b, int off, int len) {
    char[] out = new char[len * 2];
    for (int i = 0; i < len; i++) {
      int v = b[off + i] & 0xff;
      out[2 * i] = DIGITS[v >>> 4];
      out[2 * i + 1] = DIGITS[v & 15];
    }
    return new String(out);
  }

  /** Parses hex, ignoring whitespace and anything after '#' on a line (annotated fixtures). */
  public static byte[] parse(String s) {
    StringBuilder clean = new StringBuilder();
    boolean comment = false;
    for (char c : s.toCharArray()) {
      if (c == '#') comment = true;
      else if (c == '\n') comment = false;
      else if (!comment && Character.digit(c, 16) >= 0) clean.append(c);
    }
    byte[] out = new byte[clean.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(clean.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
