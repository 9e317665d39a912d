package io.routewatch.state.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.route.Prefix;
import org.junit.jupiter.api.Test;

class PrefixTest {
  @Test
  void ipv4ParseFormatAndMask() {
    Prefix p = Prefix.parse("175.45.177.9/22");
    assertEquals("175.45.176.0/22", p.toString());
    assertEquals(Prefix.AFI_IPV4, p.afi());
    assertEquals(1024.0, p.addressCount());
    assertEquals(Prefix.parse("175.45.176.0/22"), p);
    assertTrue(p.covers(Prefix.parse("175.45.179.0/24")));
    assertFalse(p.covers(Prefix.parse("175.45.180.0/24")));
    assertEquals("0.0.0.0/0", Prefix.parse("0.0.0.0/0").toString());
  }

  @Test
  void ipv6Rfc5952Text() {
    assertEquals(
        "2001:7f8:30:0:2:1:0:8447/128",
        Prefix.parse("2001:7f8:30::2:1:0:8447/128").toString()); // one zero group: not compressed
    assertEquals("2804:14d::/40", Prefix.parse("2804:14d::/40").toString());
    assertEquals("2001:db8::/32", Prefix.parse("2001:0db8:ffff::/32").toString());
    assertEquals("::/0", Prefix.parse("::/0").toString());
    assertEquals(Math.scalb(1.0, 80), Prefix.parse("2001:df0:bd::/48").addressCount());
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.0.0/8"));
    assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.0.0.0"));
  }
}
