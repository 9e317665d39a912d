package io.routewatch.cli.watchimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.cli.watchimport.ForeignWatchList.Format;
import io.routewatch.proto.v1.WatchEntry;
import io.routewatch.proto.v1.WatchKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BGPalerter and ARTEMIS watch lists in their documented shapes, and what is refused. */
class ForeignWatchListTest {
  // the shape `bgpalerter generate -a 2914 -i` writes (docs/prefixes.md of BGPalerter)
  static final String BGPALERTER =
      """
      165.254.255.0/24:
        description: Rome peering
        asn: 2914
        ignoreMorespecifics: false
        ignore: false
        group: default
      192.147.168.0/24:
        description: delegated
        asn:
        - 2914
        - 3333
        ignoreMorespecifics: true
        group: [noc, default]
      2001:db8:1::/48:
        description: lab
        asn: 15562
        ignore: true
      2a00:1450::/32:
        asn: AS15169
        ignoreMorespecifics: false
      options:
        monitorASns:
          '2914':
            group: default
            upstreams: [1299]
          3333:
            group: noc
      """;

  // the shape of ARTEMIS's config.yaml: anchored groups, aliases in the rules
  static final String ARTEMIS =
      """
      prefixes:
        super_prefix: &super_prefix
          139.91.0.0/16
        sub_prefixes: &sub_prefixes
          - 139.91.250.0/24
          - 139.91.2.0/24
        ipv6_prefix: &ipv6_prefix
          2001:db8:abcd:12::/64
      monitors:
        riperis: ['']
      asns:
        my_asn: &my_asn
          8522
        other_origin: &other_origin
          - 5408
      rules:
      - prefixes:
        - *super_prefix
        - *ipv6_prefix
        origin_asns:
        - *my_asn
        neighbors:
        - 5408
        mitigation: manual
      - prefixes:
        - *sub_prefixes
        - *super_prefix
        origin_asns:
        - *other_origin
      """;

  static WatchEntry entry(List<WatchEntry> l, String value) {
    return l.stream()
        .filter(e -> e.getValue().equals(value))
        .findFirst()
        .orElseThrow(() -> new AssertionError(value + " not in " + l));
  }

  @Test
  void bgpalerterPrefixesBecomePrefixEntriesWithTheirOrigins() {
    ForeignWatchList.Result r =
        ForeignWatchList.parse(BGPALERTER, Format.BGPALERTER, "prefixes.yml");
    List<WatchEntry> l = r.entries();
    assertEquals(5, l.size(), l.toString()); // 3 prefixes (one ignored) + 2 monitored ASes
    WatchEntry rome = entry(l, "165.254.255.0/24");
    assertEquals(WatchKind.PREFIX, rome.getKind());
    assertEquals(Map.of("origins", "2914"), rome.getOverridesMap());
    assertEquals("Rome peering", rome.getDescription());
    assertEquals(
        Map.of("origins", "2914,3333", "more-specific.enabled", "false"),
        entry(l, "192.147.168.0/24").getOverridesMap());
    assertEquals(Map.of("origins", "15169"), entry(l, "2a00:1450::/32").getOverridesMap());
    assertEquals(WatchKind.ASN, entry(l, "AS2914").getKind());
    assertEquals(WatchKind.ASN, entry(l, "AS3333").getKind());
    assertTrue(r.notes().contains("prefixes with ignore: true skipped (1×)"), r.notes().toString());
    assertTrue(
        r.notes().stream().anyMatch(n -> n.startsWith("prefix setting 'group' not mapped")),
        r.notes().toString());
    assertTrue(
        r.notes().stream()
            .anyMatch(n -> n.startsWith("monitorASns setting 'upstreams' not mapped")),
        r.notes().toString());
  }

  @Test
  void artemisRulesResolveAliasesAndUniteOrigins() {
    ForeignWatchList.Result r = ForeignWatchList.parse(ARTEMIS, Format.ARTEMIS, "config.yaml");
    List<WatchEntry> l = r.entries();
    assertEquals(4, l.size(), l.toString());
    // in both rules: the union of their origins
    assertEquals(Map.of("origins", "8522,5408"), entry(l, "139.91.0.0/16").getOverridesMap());
    assertEquals("super_prefix", entry(l, "139.91.0.0/16").getDescription());
    assertEquals(Map.of("origins", "5408"), entry(l, "139.91.2.0/24").getOverridesMap());
    assertEquals("sub_prefixes", entry(l, "139.91.250.0/24").getDescription());
    assertEquals(Map.of("origins", "8522"), entry(l, "2001:db8:abcd:12::/64").getOverridesMap());
    assertTrue(
        r.notes().stream().anyMatch(n -> n.startsWith("rule setting 'neighbors' not mapped")),
        r.notes().toString());
  }

  @Test
  void badInputIsRefusedSayingWhere() {
    var e1 =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ForeignWatchList.parse("10.0.0.0/8:\n  asn: banana\n", Format.BGPALERTER, "p.yml"));
    assertEquals(
        "p.yml: 10.0.0.0/8.asn: 'banana' is not an AS number (1..4294967295)", e1.getMessage());
    var e2 =
        assertThrows(
            IllegalArgumentException.class,
            () -> ForeignWatchList.parse("not-a-prefix:\n  asn: 1\n", Format.BGPALERTER, "p.yml"));
    assertTrue(
        e2.getMessage().startsWith("p.yml: not-a-prefix: 'not-a-prefix' is not a prefix"),
        e2.getMessage());
    var e3 =
        assertThrows(
            IllegalArgumentException.class,
            () -> ForeignWatchList.parse("prefixes: {}\n", Format.ARTEMIS, "c.yaml"));
    assertTrue(e3.getMessage().startsWith("c.yaml: rules must be a list"), e3.getMessage());
    var e4 =
        assertThrows(
            IllegalArgumentException.class,
            () -> ForeignWatchList.parse("a: 1\na: 2\n", Format.BGPALERTER, "dup.yml"));
    assertTrue(e4.getMessage().startsWith("dup.yml: not valid YAML"), e4.getMessage());
    // no arbitrary types: the safe constructor refuses a global tag
    var e5 =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ForeignWatchList.parse(
                    "x: !!javax.script.ScriptEngineManager []\n", Format.BGPALERTER, "evil.yml"));
    assertTrue(e5.getMessage().startsWith("evil.yml: not valid YAML"), e5.getMessage());
    // a billion laughs stops at the alias bound
    StringBuilder b = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      b.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 10; i++) {
        b.append(i == 0 ? "" : ", ").append('*').append((char) (c - 1));
      }
      b.append("]\n");
    }
    b.append("rules: [{prefixes: [*k]}]\n");
    var e6 =
        assertThrows(
            IllegalArgumentException.class,
            () -> ForeignWatchList.parse(b.toString(), Format.ARTEMIS, "laughs.yaml"));
    assertTrue(e6.getMessage().startsWith("laughs.yaml:"), e6.getMessage());
  }
}
