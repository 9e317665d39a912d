package io.routewatch.bgp.message;

/** KEEPALIVE (RFC 4271 §4.4): header only. */
public record Keepalive() implements BgpMessage {
  public static final Keepalive INSTANCE = new Keepalive();

  public int type() {
    return KEEPALIVE;
  }
}
