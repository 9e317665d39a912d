package io.routewatch.state.country;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.state.rib.TestData;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class CountryRegistryTest {
  @Test
  void parsesAsnIpv4AndIpv6Records() throws Exception {
    CountryRegistry r =
        CountryRegistry.load(
            new StringReader(
                String.join(
                    "\n",
                    "2|apnic|20161214|49833|19830613|20161213|+1000",
                    "apnic|*|asn|*|8417|summary",
                    "apnic|KP|asn|131279|1|20091221|allocated",
                    "apnic|CN|asn|4837|1|20000101|allocated",
                    "apnic|JP|asn|2497|3|20000101|allocated",
                    "apnic|KP|ipv4|175.45.176.0|1024|20091221|allocated",
                    "apnic|JP|ipv6|2001:200::|23|19990813|allocated",
                    "apnic||ipv4|1.0.0.0|256|20110811|reserved")));
    int kp = r.index("kp");
    assertEquals("KP", r.code(kp));
    assertEquals(kp, r.countryOfAsn(131279));
    assertEquals(r.index("JP"), r.countryOfAsn(2499)); // 2497 + 3 - 1
    assertEquals(-1, r.countryOfAsn(2500));
    assertEquals(kp, r.countryOfPrefix(Prefix.parse("175.45.179.0/24")));
    assertEquals(-1, r.countryOfPrefix(Prefix.parse("175.45.180.0/24")));
    assertEquals(r.index("JP"), r.countryOfPrefix(Prefix.parse("2001:201::/32")));
    assertEquals(-1, r.countryOfPrefix(Prefix.parse("1.0.0.0/24")));
    assertArrayEquals(new int[] {131279}, r.domesticAsns(kp));
  }

  @Test
  void realDelegatedFiles() throws Exception {
    CountryRegistry r = CountryRegistry.loadDirectory(TestData.file("registry"));
    assertEquals("KP", r.code(r.countryOfAsn(131279)));
    assertEquals("CN", r.code(r.countryOfAsn(4837)));
    assertEquals("RU", r.code(r.countryOfAsn(20485)));
    assertEquals("KP", r.code(r.countryOfPrefix(Prefix.parse("175.45.176.0/22"))));
    assertTrue(r.countryCount() > 100);
  }

  @Test
  void internationalUpstreamIsTheFirstForeignAs() throws Exception {
    CountryRegistry r =
        CountryRegistry.load(
            new StringReader(
                String.join(
                    "\n",
                    "apnic|KP|asn|131279|1|20091221|allocated",
                    "apnic|KP|asn|64000|1|20091221|allocated",
                    "apnic|CN|asn|4837|1|20000101|allocated",
                    "ripencc|RU|asn|20485|1|20010313|allocated")));
    int kp = r.index("KP");
    assertEquals(4837, InternationalUpstream.find(AsPath.parse("2914 1239 4837 131279"), r, kp));
    assertEquals(
        20485, InternationalUpstream.find(AsPath.parse("3356 20485 64000 131279 131279"), r, kp));
    assertEquals(-1, InternationalUpstream.find(AsPath.parse("64000 131279"), r, kp));
    assertEquals(-1, InternationalUpstream.find(AsPath.parse("3356 {4837,20485} 131279"), r, kp));
  }
}
