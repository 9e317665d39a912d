package io.routewatch.collector.bgp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One configured neighbour ({@code routewatch.collector.bgp.neighbors} entry): {@code
 * address=127.0.0.2;asn=65002;name=gobgp;max-prefix=1000;max-prefix-action=close}.
 *
 * @param name metric label and log name (default: the address)
 * @param address the only address this neighbour may connect from
 * @param asn the AS it must open with; 0 = any
 * @param maxPrefix routes (prefix, path id) it may hold; 0 = unlimited
 * @param closeOnMaxPrefix true = NOTIFICATION Cease/1 and close (RFC 4486 §4); false = warn only
 */
public record BgpNeighbor(
    String name, InetAddress address, long asn, long maxPrefix, boolean closeOnMaxPrefix) {

  /** Parses one entry; throws {@link IllegalArgumentException} saying what is wrong. */
  public static BgpNeighbor parse(String spec) {
    Map<String, String> kv = new HashMap<>();
    for (String part : spec.trim().split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "neighbor entry '" + spec + "': '" + part + "' is not key=value");
      }
      kv.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
    }
    String addr = kv.remove("address");
    if (addr == null || addr.isEmpty()) {
      throw new IllegalArgumentException("neighbor entry '" + spec + "' has no address=");
    }
    InetAddress a;
    try {
      a = InetAddress.getByName(addr);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("neighbor entry '" + spec + "': bad address " + addr, e);
    }
    String name = kv.getOrDefault("name", a.getHostAddress());
    kv.remove("name");
    long asn = Long.parseLong(kv.getOrDefault("asn", "0"));
    kv.remove("asn");
    long max = Long.parseLong(kv.getOrDefault("max-prefix", "0"));
    kv.remove("max-prefix");
    String action = kv.getOrDefault("max-prefix-action", "close");
    kv.remove("max-prefix-action");
    if (!action.equals("close") && !action.equals("warn")) {
      throw new IllegalArgumentException(
          "neighbor entry '" + spec + "': max-prefix-action must be warn or close");
    }
    if (!kv.isEmpty()) {
      throw new IllegalArgumentException(
          "neighbor entry '" + spec + "': unknown keys " + kv.keySet());
    }
    return new BgpNeighbor(name, a, asn, max, action.equals("close"));
  }

  public static List<BgpNeighbor> parseAll(Optional<List<String>> specs) {
    List<BgpNeighbor> out = new ArrayList<>();
    specs.ifPresent(
        l -> l.stream().filter(s -> !s.isBlank()).map(BgpNeighbor::parse).forEach(out::add));
    return out;
  }
}
