package io.routewatch.bgp.bmp;

import java.util.HexFormat;

/** Test helper: annotated hex fixtures. Everything after '#' on a line is a comment. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String annotated) {
    StringBuilder sb = new StringBuilder();
    for (String line : annotated.split("\n")) {
      int hash = line.indexOf('#');
      sb.append((hash >= 0 ? line.substring(0, hash) : line).replaceAll("\\s", ""));
    }
    return HexFormat.of().parseHex(sb.toString());
  }
}
