package io.routewatch.alert.watch;

import java.util.Map;

/**
 * A validated watch-list entry.
 *
 * @param kind ASN, PREFIX or COUNTRY
 * @param value canonical value (AS131279, 175.45.176.0/22, KP)
 * @param overrides per-entry rule overrides (validated keys)
 * @param description operator's free text
 * @param source api or file
 */
public record WatchEntry(
    Kind kind, String value, Map<String, String> overrides, String description, String source) {
  public enum Kind {
    ASN,
    PREFIX,
    COUNTRY
  }
}
