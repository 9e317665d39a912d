package io.routewatch.alert.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.routewatch.alert.rule.IpPrefix;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.Prefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Prefix matching of the watch list: the most specific covering entry, as a linear scan finds. */
class WatchMatcherTest {
  private static WatchEntry prefix(String p, String origins) {
    return new WatchEntry(
        WatchEntry.Kind.PREFIX,
        p,
        origins.isEmpty() ? Map.of() : Map.of("origins", origins),
        "",
        "api");
  }

  private static Change visibility(byte[] addr, int len) {
    int n = (len + 7) / 8; // the wire form: only the bytes the length needs
    return Change.newBuilder()
        .setKind(ChangeKind.VISIBILITY_CROSSED)
        .setPrefix(
            Prefix.newBuilder()
                .setAfi(addr.length == 16 ? Afi.IPV6 : Afi.IPV4)
                .setAddress(ByteString.copyFrom(addr, 0, n))
                .setLength(len))
        .build();
  }

  private static Optional<String> matched(WatchMatcher m, String prefix) {
    IpPrefix p = IpPrefix.parse(prefix);
    return m.match(visibility(p.address(), p.length())).map(x -> x.target().value());
  }

  @Test
  void mostSpecificCoveringEntryWins() {
    WatchMatcher m =
        new WatchMatcher(
            List.of(
                prefix("175.45.176.0/22", "131279"),
                prefix("175.45.178.0/24", ""),
                prefix("0.0.0.0/0", ""),
                prefix("2001:db8::/32", ""),
                prefix("2001:db8:510::/48", "64510")));
    assertEquals(Optional.of("175.45.178.0/24"), matched(m, "175.45.178.0/24"));
    assertEquals(Optional.of("175.45.176.0/22"), matched(m, "175.45.177.0/24"));
    assertEquals(Optional.of("175.45.176.0/22"), matched(m, "175.45.176.0/22"));
    assertEquals(
        Optional.of("0.0.0.0/0"),
        matched(m, "175.45.176.0/21"),
        "less specific: only the default covers it");
    assertEquals(Optional.of("2001:db8:510::/48"), matched(m, "2001:db8:510:1::/64"));
    assertEquals(Optional.of("2001:db8::/32"), matched(m, "2001:db8:511::/48"));
    assertEquals(Optional.empty(), matched(m, "2001:db9::/32"));
    // the owner is the entry's first origin
    IpPrefix q = IpPrefix.parse("2001:db8:510:1::/64");
    assertEquals(64510, m.match(visibility(q.address(), q.length())).orElseThrow().target().asn());
  }

  @Test
  void agreesWithALinearScanOnRandomLists() throws Exception {
    Random r = new Random(20171001);
    for (int round = 0; round < 3; round++) {
      Map<String, IpPrefix> watched = new LinkedHashMap<>();
      List<WatchEntry> entries = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        IpPrefix p = random(r, r.nextInt(4) == 0, true);
        String text = text(p);
        if (watched.putIfAbsent(text, p) == null) {
          entries.add(prefix(text, ""));
        }
      }
      WatchMatcher m = new WatchMatcher(entries);
      int hits = 0;
      for (int i = 0; i < 10_000; i++) {
        IpPrefix q = random(r, r.nextInt(4) == 0, false);
        String best = null;
        int bestLen = -1;
        for (Map.Entry<String, IpPrefix> w : watched.entrySet()) {
          if (w.getValue().contains(q) && w.getValue().length() > bestLen) {
            best = w.getKey();
            bestLen = w.getValue().length();
          }
        }
        Optional<String> got =
            m.match(visibility(q.address(), q.length())).map(x -> x.target().value());
        assertEquals(Optional.ofNullable(best), got, "query " + text(q));
        hits += best == null ? 0 : 1;
      }
      assertTrue(hits > 500, "the random lists must cover a good part of the queries: " + hits);
    }
  }

  /** A random prefix from a small address space so lists and queries overlap. */
  private static IpPrefix random(Random r, boolean six, boolean watched) {
    byte[] a = new byte[six ? 16 : 4];
    if (six) {
      a[0] = 0x20;
      a[1] = 0x01;
      a[2] = 0x0d;
      a[3] = (byte) 0xb8;
      a[4] = (byte) r.nextInt(4);
      a[5] = (byte) r.nextInt(256);
      a[6] = (byte) r.nextInt(256);
    } else {
      a[0] = 10;
      a[1] = (byte) r.nextInt(8);
      a[2] = (byte) r.nextInt(256);
      a[3] = (byte) r.nextInt(256);
    }
    int max = six ? 64 : 32;
    int len =
        watched
            ? (six ? 32 + r.nextInt(25) : 8 + r.nextInt(17))
            : (six ? 32 + r.nextInt(33) : 8 + r.nextInt(25));
    len = Math.min(len, max);
    byte[] masked = Arrays.copyOf(a, a.length);
    for (int bit = len; bit < a.length * 8; bit++) {
      masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return new IpPrefix(masked, len);
  }

  private static String text(IpPrefix p) throws Exception {
    String addr = InetAddress.getByAddress(p.address()).getHostAddress();
    return WatchValues.canonical(WatchEntry.Kind.PREFIX, addr + "/" + p.length());
  }

  /**
   * docs/alerts.md, FeedStale: a feed change pages whenever the watch list is not empty, without an
   * entry of its own (an ASN entry alone here), named by state's {@code feed} field.
   */
  @Test
  void feedChangesMatchAnyNonEmptyListByTheirFeed() {
    Change stale =
        Change.newBuilder()
            .setKind(ChangeKind.FEED_STALE)
            .setFeed("rislive:ris-live")
            .setVpCount(8)
            .build();
    WatchMatcher asnOnly =
        new WatchMatcher(
            List.of(new WatchEntry(WatchEntry.Kind.ASN, "AS64500", Map.of(), "", "api")));
    Optional<WatchMatcher.Match> m = asnOnly.match(stale);
    assertTrue(m.isPresent(), "an ASN entry is enough");
    assertEquals("rislive:ris-live", m.get().target().value());
    assertEquals(io.routewatch.alert.rule.Target.Kind.FEED, m.get().target().kind());
    assertEquals(
        "vp:rrc00/192.0.2.1/AS65101",
        asnOnly
            .match(
                stale.toBuilder()
                    .setKind(ChangeKind.FEED_RESUMED)
                    .setFeed("vp:rrc00/192.0.2.1/AS65101")
                    .build())
            .orElseThrow()
            .target()
            .value());
    assertTrue(
        new WatchMatcher(List.of()).match(stale).isEmpty(), "an empty list alerts on nothing");
  }

  @Test
  void routeLeaksMatchTheirPrefixElseAnAsOnThePath() {
    WatchEntry transit = new WatchEntry(WatchEntry.Kind.ASN, "AS701", Map.of(), "", "api");
    WatchEntry origin = new WatchEntry(WatchEntry.Kind.ASN, "AS13335", Map.of(), "", "api");
    IpPrefix p = IpPrefix.parse("104.20.0.0/20");
    Change leak =
        visibility(p.address(), p.length()).toBuilder()
            .setKind(ChangeKind.CHANGE_KIND_ROUTE_LEAK)
            .setAsn(13335)
            .setLeakerAsn(396531)
            .addAllLeakSegment(List.of(701, 396531, 33154))
            .setAsPath("3356 701 396531 33154 3356 13335")
            .build();
    assertEquals(
        "104.16.0.0/12",
        new WatchMatcher(List.of(prefix("104.16.0.0/12", ""), origin, transit))
            .match(leak)
            .orElseThrow()
            .target()
            .value());
    assertEquals(
        13335, new WatchMatcher(List.of(origin, transit)).match(leak).orElseThrow().target().asn());
    assertEquals(701, new WatchMatcher(List.of(transit)).match(leak).orElseThrow().target().asn());
    WatchEntry far = new WatchEntry(WatchEntry.Kind.ASN, "AS3356", Map.of(), "", "api");
    assertEquals(3356, new WatchMatcher(List.of(far)).match(leak).orElseThrow().target().asn());
    WatchEntry none = new WatchEntry(WatchEntry.Kind.ASN, "AS64500", Map.of(), "", "api");
    assertTrue(new WatchMatcher(List.of(none)).match(leak).isEmpty());
  }

  /** A prefix re-validated when the VRP set changed goes where its announcement goes. */
  @Test
  void aRevalidatedPrefixGoesWhereItsAnnouncementGoes() {
    WatchEntry owner = new WatchEntry(WatchEntry.Kind.ASN, "AS64500", Map.of(), "", "api");
    WatchMatcher m = new WatchMatcher(List.of(prefix("192.0.2.0/24", "AS64500"), owner));
    IpPrefix inside = IpPrefix.parse("192.0.2.128/25");
    IpPrefix outside = IpPrefix.parse("198.51.100.0/24");
    Change in =
        visibility(inside.address(), inside.length()).toBuilder()
            .setKind(ChangeKind.CHANGE_KIND_ROV_CHANGED)
            .setAsn(64500)
            .addOriginsAfter(64500)
            .build();
    WatchMatcher.Match covered = m.match(in).orElseThrow();
    assertEquals(WatchEntry.Kind.PREFIX, covered.entry().kind());
    assertEquals("192.0.2.0/24", covered.target().value());
    Change out = in.toBuilder().setPrefix(visibility(outside.address(), 24).getPrefix()).build();
    WatchMatcher.Match byOrigin = m.match(out).orElseThrow();
    assertEquals(WatchEntry.Kind.ASN, byOrigin.entry().kind());
    assertEquals(64500, byOrigin.target().asn());
    Change moas = out.toBuilder().setAsn(0).clearOriginsAfter().addOriginsAfter(64666).build();
    assertTrue(m.match(moas).isEmpty(), "an origin without an entry: nobody's");
    assertEquals(
        64500,
        m.match(moas.toBuilder().addOriginsAfter(64500).build()).orElseThrow().target().asn(),
        "MOAS (asn 0): the origin that has an entry");
  }

  @Test
  void aNewNeighbourGoesToTheWatchedAsEntry() {
    WatchEntry transit = new WatchEntry(WatchEntry.Kind.ASN, "AS701", Map.of(), "", "api");
    WatchEntry neighbour = new WatchEntry(WatchEntry.Kind.ASN, "AS396531", Map.of(), "", "api");
    IpPrefix p = IpPrefix.parse("104.20.0.0/20");
    Change appeared =
        visibility(p.address(), p.length()).toBuilder()
            .setKind(ChangeKind.CHANGE_KIND_NEIGHBOR_APPEARED)
            .setAsn(701)
            .setNeighborAsn(396531)
            .setAsPath("3356 701 396531 33154 3356 13335")
            .build();
    WatchMatcher m = new WatchMatcher(List.of(prefix("104.16.0.0/12", ""), neighbour, transit));
    assertEquals(701, m.match(appeared).orElseThrow().target().asn(), "not the prefix's entry");
    Change gone = appeared.toBuilder().setKind(ChangeKind.CHANGE_KIND_NEIGHBOR_GONE).build();
    assertEquals(701, m.match(gone).orElseThrow().target().asn());
    assertTrue(new WatchMatcher(List.of(neighbour)).match(appeared).isEmpty());
  }

  @Test
  void aPrefixOutsideTheListGoesToItsListedOriginsAsnEntry() {
    WatchEntry owner = new WatchEntry(WatchEntry.Kind.ASN, "AS64500", Map.of(), "", "api");
    WatchEntry other = new WatchEntry(WatchEntry.Kind.ASN, "AS64501", Map.of(), "", "api");
    IpPrefix inside = IpPrefix.parse("192.0.2.128/25");
    IpPrefix outside = IpPrefix.parse("198.51.100.0/24");
    WatchMatcher m = new WatchMatcher(List.of(prefix("192.0.2.0/24", "AS64500"), owner, other));
    Change in =
        visibility(inside.address(), inside.length()).toBuilder()
            .setKind(ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED)
            .addOriginsAfter(64500)
            .build();
    assertEquals("192.0.2.0/24", m.match(in).orElseThrow().target().value(), "covered: its entry");
    Change out = in.toBuilder().setPrefix(visibility(outside.address(), 24).getPrefix()).build();
    WatchMatcher.Match byOwner = m.match(out).orElseThrow();
    assertEquals(WatchEntry.Kind.ASN, byOwner.entry().kind());
    assertEquals(64500, byOwner.target().asn());
    Change gone =
        out.toBuilder()
            .setKind(ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN)
            .clearOriginsAfter()
            .addOriginsBefore(64500)
            .build();
    assertEquals(64500, m.match(gone).orElseThrow().target().asn(), "withdrawn: origins before");
    assertTrue(m.listsPrefixesOf(64500));
    // AS64501 has no PREFIX entry: its own announcements still reach its ASN entry (their RPKI
    // verdict is its business), but it has no list to be outside of (NewPrefix asks)
    Change byOther = out.toBuilder().clearOriginsAfter().addOriginsAfter(64501).build();
    assertEquals(64501, m.match(byOther).orElseThrow().target().asn());
    assertFalse(m.listsPrefixesOf(64501));
    // an origin without an ASN entry reaches nothing
    Change byStranger = out.toBuilder().clearOriginsAfter().addOriginsAfter(64999).build();
    assertTrue(m.match(byStranger).isEmpty());
    // nor AS64500 without its ASN entry, nor any other kind of change
    assertTrue(new WatchMatcher(List.of(prefix("192.0.2.0/24", "AS64500"))).match(out).isEmpty());
    assertTrue(m.match(out.toBuilder().setKind(ChangeKind.ORIGIN_CHANGED).build()).isEmpty());
  }
}
