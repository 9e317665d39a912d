package io.routewatch.collector.bmp;

import io.routewatch.bgp.nlri.IpText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which addresses may open a BMP session ({@code routewatch.collector.bmp.allowed-sources}): CIDR
 * blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is a /32 or /128). A BMP feed
 * is unauthenticated TCP (RFC 7854 §11 leaves it to the network), and what a router sends there
 * becomes routes in state, so the default is the configured routers and loopback, not the world.
 */
final class BmpSources {
  /** One block: the network's bytes and prefix length. */
  record Cidr(byte[] network, int length) {
    static Cidr parse(String spec) {
      String s = spec.trim();
      int slash = s.indexOf('/');
      String addr = slash < 0 ? s : s.substring(0, slash);
      if (addr.isEmpty() || !addr.matches("[0-9A-Fa-f:.]+")) {
        // no host names: a CIDR list must not depend on DNS at start-up
        throw new IllegalArgumentException(
            "bmp allowed source '" + spec + "': not an IP address or CIDR block");
      }
      byte[] a;
      try {
        a = InetAddress.getByName(addr).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "bmp allowed source '" + spec + "': not an IP address", e);
      }
      int len;
      try {
        len = slash < 0 ? a.length * 8 : Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "bmp allowed source '" + spec + "': bad prefix length", e);
      }
      if (len < 0 || len > a.length * 8) {
        throw new IllegalArgumentException(
            "bmp allowed source '" + spec + "': prefix length out of range");
      }
      return new Cidr(a, len);
    }

    boolean contains(InetAddress address) {
      byte[] b = address.getAddress();
      if (b.length != network.length) {
        return false; // IPv4 vs IPv6 (an IPv4-mapped peer arrives as Inet4Address in Java)
      }
      int full = length / 8;
      for (int i = 0; i < full; i++) {
        if (b[i] != network[i]) {
          return false;
        }
      }
      int rest = length % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (b[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
      return IpText.formatPrefix(network, length);
    }
  }

  private final List<Cidr> allowed;

  private BmpSources(List<Cidr> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /**
   * The configured list, or, when it is not set, loopback (127.0.0.0/8, ::1) and the addresses of
   * the configured routers. A bad entry fails the start with a message naming it.
   */
  static BmpSources of(
      java.util.Optional<List<String>> configured, Collection<InetAddress> routers) {
    List<Cidr> list = new ArrayList<>();
    if (configured.isPresent()) {
      configured.get().stream().filter(s -> !s.isBlank()).map(Cidr::parse).forEach(list::add);
    } else {
      list.add(Cidr.parse("127.0.0.0/8"));
      list.add(Cidr.parse("::1/128"));
      routers.forEach(a -> list.add(new Cidr(a.getAddress(), a.getAddress().length * 8)));
    }
    return new BmpSources(list);
  }

  boolean allows(InetAddress a) {
    for (Cidr c : allowed) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return allowed.toString();
  }
}
