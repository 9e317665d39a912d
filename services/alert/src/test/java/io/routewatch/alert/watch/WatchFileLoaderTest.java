package io.routewatch.alert.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchFileLoaderTest {
  @Test
  void parsesTheDocumentedFormat() {
    List<WatchEntry> e =
        WatchFileLoader.parse(
            String.join(
                "\n",
                "# routewatch watch list",
                "watch:",
                "  - asn: AS131279   # Star JV",
                "    description: \"Star JV, North Korea\"",
                "    overrides: {min-peer-asns: 1, NewUpstream.hold: 30s}",
                "  - prefix: 175.45.176.0/22",
                "    overrides:",
                "      origins: \"131279\"",
                "      more-specific.enabled: false",
                "  - country: kp",
                "  - prefix: 2001:DB8:0::/32",
                ""));
    assertEquals(4, e.size());
    assertEquals(
        new WatchEntry(
            WatchEntry.Kind.ASN,
            "AS131279",
            Map.of("min-peer-asns", "1", "new-upstream.hold", "30s"),
            "Star JV, North Korea",
            "file"),
        e.get(0));
    assertEquals(
        Map.of("origins", "131279", "more-specific.enabled", "false"), e.get(1).overrides());
    assertEquals("KP", e.get(2).value());
    assertEquals("2001:db8::/32", e.get(3).value());
  }

  @Test
  void errorsNameTheItemAndTheProblem() {
    assertEquals(
        "watch file: item 1: '13x' is not an AS number (AS1..AS4294967295)",
        assertThrows(
                IllegalArgumentException.class,
                () -> WatchFileLoader.parse("watch:\n  - asn: 13x\n"))
            .getMessage());
    assertEquals(
        "watch file: item 1: override 'hold': 'soon' is not a duration (30s, 5m, 1h, PT30S)",
        assertThrows(
                IllegalArgumentException.class,
                () -> WatchFileLoader.parse("watch:\n  - asn: 1\n    overrides: {hold: soon}\n"))
            .getMessage());
    assertEquals(
        "watch file line 2: tabs are not allowed for indentation",
        assertThrows(
                IllegalArgumentException.class, () -> WatchFileLoader.parse("watch:\n\t- asn: 1\n"))
            .getMessage());
  }

  @Test
  void emptyFileWatchesNothing() {
    assertEquals(List.of(), WatchFileLoader.parse("# nothing yet\nwatch:\n"));
  }
}
