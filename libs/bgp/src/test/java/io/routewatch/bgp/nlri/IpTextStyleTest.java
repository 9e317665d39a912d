package io.routewatch.bgp.nlri;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one IP text formatter: RFC 5952 and bgpdump styles, where they agree and where not. */
class IpTextStyleTest {

  private static String rfc(String text) {
    return IpText.format(IpText.parse(text));
  }

  private static String bgpdump(String text) {
    byte[] out = new byte[IpText.MAX_IPV6_CHARS];
    int n = IpText.writeIpv6(IpText.parse(text), 0, out, 0, IpText.Style.BGPDUMP);
    return new String(out, 0, n, StandardCharsets.US_ASCII);
  }

  @Test
  void rfc5952NeverCompressesOneZeroGroup() {
    assertEquals("2001:db8:0:1:1:1:1:1", rfc("2001:db8:0:1:1:1:1:1"));
    assertEquals("2001:db8::1:1:1:1:1", bgpdump("2001:db8:0:1:1:1:1:1"));
  }

  @Test
  void bothCompressTheFirstLongestRun() {
    for (String s :
        new String[] {"2001:db8::1:0:0:1", "::", "::1", "1::", "fe80::1:2", "2001:0:0:1::1"}) {
      assertEquals(s, rfc(s), s);
      assertEquals(s, bgpdump(s), s);
    }
    assertEquals("2001:0:0:1::1", rfc("2001:0:0:1:0:0:0:1"));
    assertEquals("2001::1:0:0:1", rfc("2001:0:0:0:1:0:0:1"));
    assertEquals("2001:db8::1", rfc("2001:0DB8:0000:0000:0000:0000:0000:0001"));
  }

  @Test
  void bgpdumpWritesIpv4TailsRfcStyleDoesNot() {
    assertEquals("::ffff:192.0.2.1", bgpdump("::ffff:c000:201"));
    assertEquals("::192.0.2.1", bgpdump("::c000:201"));
    assertEquals("::1", bgpdump("::1"));
    assertEquals("::ffff:c000:201", rfc("::ffff:c000:201"));
  }

  @Test
  void prefixText() {
    assertEquals("2001:db8::/32", IpText.formatPrefix(IpText.parse("2001:db8::"), 32));
    assertEquals("192.0.2.0/24", IpText.formatPrefix(IpText.parse("192.0.2.0"), 24));
  }
}
