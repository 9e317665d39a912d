package io.routewatch.state.rpki;

import static io.routewatch.state.rpki.RovState.INVALID_ASN;
import static io.routewatch.state.rpki.RovState.INVALID_LENGTH;
import static io.routewatch.state.rpki.RovState.NOT_FOUND;
import static io.routewatch.state.rpki.RovState.VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.routewatch.state.route.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VrpTableTest {
  private static Vrp vrp(String prefix, int max, long asn) {
    return new Vrp(Prefix.parse(prefix), max, asn);
  }

  private static RovState check(VrpTable t, String prefix, long origin) {
    return t.validate(Prefix.parse(prefix), origin);
  }

  @Test
  void rfc6811StatesWithMaxLength() {
    VrpTable t = VrpTable.of(List.of(vrp("10.0.0.0/16", 24, 65001)));
    assertEquals(VALID, check(t, "10.0.0.0/16", 65001));
    assertEquals(VALID, check(t, "10.0.1.0/24", 65001));
    assertEquals(INVALID_LENGTH, check(t, "10.0.1.0/25", 65001));
    assertEquals(INVALID_ASN, check(t, "10.0.1.0/24", 65002));
    assertEquals(INVALID_ASN, check(t, "10.0.1.0/25", 65002));
    // a less-specific or disjoint prefix is not covered
    assertEquals(NOT_FOUND, check(t, "10.0.0.0/8", 65001));
    assertEquals(NOT_FOUND, check(t, "10.1.0.0/16", 65001));
    assertEquals(NOT_FOUND, check(t, "11.0.0.0/24", 65001));
  }

  @Test
  void anyMatchingVrpMakesItValid() {
    VrpTable t =
        VrpTable.of(
            List.of(
                vrp("10.0.0.0/8", 8, 65002),
                vrp("10.0.0.0/16", 16, 65003),
                vrp("10.0.0.0/16", 24, 65003),
                vrp("10.0.0.0/20", 20, 65004)));
    // covered by a VRP for the origin, but every maxLength too short
    assertEquals(INVALID_LENGTH, check(t, "10.0.1.0/24", 65002));
    assertEquals(VALID, check(t, "10.0.1.0/24", 65003));
    assertEquals(VALID, check(t, "10.0.0.0/20", 65004));
    assertEquals(INVALID_ASN, check(t, "10.0.1.0/24", 65005));
    assertEquals(4, t.size());
    assertEquals(4, t.covering(Prefix.parse("10.0.1.0/24")).size());
    assertEquals(3, t.covering(Prefix.parse("10.0.16.0/24")).size());
    assertEquals(INVALID_ASN, check(t, "10.0.16.0/24", 65004));
    assertEquals(4, t.covering(Prefix.parse("10.0.0.0/20")).size());
  }

  @Test
  void as0NeverValidates() {
    VrpTable t = VrpTable.of(List.of(vrp("192.0.2.0/24", 24, 0)));
    assertEquals(INVALID_ASN, check(t, "192.0.2.0/24", 0));
    assertEquals(INVALID_ASN, check(t, "192.0.2.0/24", 64500));
    t = VrpTable.of(List.of(vrp("192.0.2.0/24", 24, 0), vrp("192.0.2.0/24", 24, 64500)));
    assertEquals(VALID, check(t, "192.0.2.0/24", 64500));
    assertEquals(INVALID_ASN, check(t, "192.0.2.0/24", 0));
  }

  @Test
  void asSetOriginIsNoneAndNeverMatches() {
    VrpTable t = VrpTable.of(List.of(vrp("192.0.2.0/24", 24, 64500)));
    assertEquals(INVALID_ASN, check(t, "192.0.2.0/24", VrpTable.ORIGIN_NONE));
    assertEquals(NOT_FOUND, check(t, "198.51.100.0/24", VrpTable.ORIGIN_NONE));
  }

  @Test
  void ipv6AndFourByteAsns() {
    VrpTable t =
        VrpTable.of(
            List.of(
                vrp("2001:db8::/32", 48, 4_200_000_000L),
                vrp("2001:db8:ffff:ffff:ffff:ffff:ffff:ff00/120", 128, 64501),
                vrp("0.0.0.0/0", 32, 4_294_967_295L)));
    assertEquals(VALID, check(t, "2001:db8:1::/48", 4_200_000_000L));
    assertEquals(INVALID_LENGTH, check(t, "2001:db8:1::/49", 4_200_000_000L));
    assertEquals(INVALID_ASN, check(t, "2001:db8::/32", 64500));
    assertEquals(NOT_FOUND, check(t, "2001:db9::/32", 4_200_000_000L));
    assertEquals(VALID, check(t, "2001:db8:ffff:ffff:ffff:ffff:ffff:ff01/128", 64501));
    assertEquals(INVALID_ASN, check(t, "2001:db8:ffff:ffff:ffff:ffff:ffff:fe01/128", 64501));
    // the IPv4 default VRP covers every IPv4 route and no IPv6 one
    assertEquals(VALID, check(t, "203.0.113.7/32", 4_294_967_295L));
    assertEquals(INVALID_ASN, check(t, "203.0.113.0/24", 64500));
    assertEquals(1, t.ipv4Size());
    assertEquals(2, t.ipv6Size());
  }

  @Test
  void duplicatesAreMerged() {
    VrpTable t =
        VrpTable.of(
            List.of(
                vrp("1.1.1.0/24", 24, 13335),
                vrp("1.1.1.0/24", 24, 13335),
                vrp("1.1.1.0/24", 32, 13335)));
    assertEquals(2, t.size());
    assertEquals(VALID, check(t, "1.1.1.128/25", 13335));
  }

  /** Random VRPs and routes in a small space, against the RFC 6811 §2 text evaluated literally. */
  @Test
  void agreesWithLiteralRfcOnRandomSets() {
    Random rnd = new Random(6811);
    for (int round = 0; round < 50; round++) {
      List<Vrp> vrps = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        boolean v4 = rnd.nextBoolean();
        int len = v4 ? 8 + rnd.nextInt(17) : 16 + rnd.nextInt(80);
        Prefix p = randomPrefix(rnd, v4, len);
        int max = len + rnd.nextInt((v4 ? 32 : 128) - len + 1);
        vrps.add(new Vrp(p, max, rnd.nextInt(4)));
      }
      VrpTable t = VrpTable.of(vrps);
      for (int i = 0; i < 400; i++) {
        boolean v4 = rnd.nextBoolean();
        Prefix route = randomPrefix(rnd, v4, v4 ? 8 + rnd.nextInt(25) : 16 + rnd.nextInt(113));
        long origin = rnd.nextInt(5) - 1; // -1 = NONE, 0 = AS0
        assertEquals(
            literal(vrps, route, origin), t.validate(route, origin), route + " AS" + origin);
      }
    }
  }

  /** Addresses drawn from a few bits so random VRPs and routes overlap often. */
  private static Prefix randomPrefix(Random rnd, boolean v4, int len) {
    byte[] a = new byte[v4 ? 4 : 16];
    a[0] = (byte) (v4 ? 10 : 0x20);
    a[1] = (byte) (rnd.nextInt(2));
    a[2] = (byte) (rnd.nextInt(2) << 7);
    a[a.length - 1] = (byte) rnd.nextInt(2);
    return Prefix.of(a, len);
  }

  private static RovState literal(List<Vrp> vrps, Prefix route, long origin) {
    boolean covered = false;
    boolean originCovered = false;
    for (Vrp v : vrps) {
      if (!v.prefix().covers(route)) {
        continue;
      }
      covered = true;
      if (origin > 0 && v.asn() == origin) {
        if (route.length() <= v.maxLength()) {
          return VALID;
        }
        originCovered = true;
      }
    }
    return !covered ? NOT_FOUND : originCovered ? INVALID_LENGTH : INVALID_ASN;
  }
}
