package io.routewatch.bgp.message;

import java.util.Arrays;

/** NOTIFICATION (RFC 4271 §4.5): error code, subcode and data. */
public record Notification(int code, int subcode, byte[] data) implements BgpMessage {
  public int type() {
    return NOTIFICATION;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Notification n
        && n.code == code
        && n.subcode == subcode
        && Arrays.equals(n.data, data);
  }

  @Override
  public int hashCode() {
    return code * 256 + subcode;
  }

  @Override
  public String toString() {
    return "NOTIFICATION " + code + "/" + subcode + " (" + data.length + " bytes)";
  }
}
