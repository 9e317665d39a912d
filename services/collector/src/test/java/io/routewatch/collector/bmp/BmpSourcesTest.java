package io.routewatch.collector.bmp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** allowed-sources: CIDR blocks, and the default (loopback + configured routers). */
class BmpSourcesTest {
  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void cidrBlocksMatchOnTheirPrefixBitsOnly() throws Exception {
    BmpSources s =
        BmpSources.of(Optional.of(List.of("10.1.0.0/17", "2001:db8::/32", "192.0.2.7")), List.of());
    assertTrue(s.allows(ip("10.1.127.255")));
    assertFalse(s.allows(ip("10.1.128.0"))); // bit 17 set
    assertTrue(s.allows(ip("2001:db8:ffff::1")));
    assertFalse(s.allows(ip("2001:db9::1")));
    assertTrue(s.allows(ip("192.0.2.7")));
    assertFalse(s.allows(ip("192.0.2.8")));
    assertFalse(s.allows(ip("127.0.0.1")), "a configured list replaces the default");
  }

  @Test
  void theDefaultIsLoopbackAndTheConfiguredRouters() throws Exception {
    BmpSources s = BmpSources.of(Optional.empty(), List.of(ip("198.51.100.1")));
    assertTrue(s.allows(ip("127.0.0.1")));
    assertTrue(s.allows(ip("127.0.0.2")));
    assertTrue(s.allows(ip("::1")));
    assertTrue(s.allows(ip("198.51.100.1")));
    assertFalse(s.allows(ip("198.51.100.2")));
    assertFalse(s.allows(ip("10.0.0.1")));
  }

  @Test
  void aBadEntryIsNamed() {
    for (String bad : List.of("10.0.0.0/33", "::/129", "10.0.0.0/x", "router.example.net", "")) {
      if (bad.isEmpty()) {
        continue; // blank entries are skipped, not errors
      }
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> BmpSources.of(Optional.of(List.of(bad)), List.of()));
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
  }
}
