package io.routewatch.alert.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The watch list: validated CRUD on PostgreSQL and an in-memory {@link WatchMatcher} that the
 * change handler reads without touching the database.
 */
@ApplicationScoped
public class WatchService {
  private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

  @Inject ObjectMapper json;
  @Inject Event<Added> added;
  @Inject DataSource dataSource;

  @Inject Event<Changed> changed;

  /** Fired after an entry was added or replaced (the matcher already has it). */
  public record Added(WatchEntry entry) {}

  /**
   * Fired after the list changed in any way (added, replaced, removed, re-read); the matcher
   * already has it. Observers see the list through {@link #matcher()}.
   */
  public record Changed() {}

  private volatile WatchMatcher matcher = new WatchMatcher(List.of());

  /** Validates and canonicalises; throws IllegalArgumentException saying what is wrong. */
  public static WatchEntry validate(
      String kind, String value, Map<String, String> overrides, String description, String source) {
    WatchEntry.Kind k;
    try {
      k = WatchEntry.Kind.valueOf(kind == null ? "" : kind.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("kind '" + kind + "' must be ASN, PREFIX or COUNTRY");
    }
    String d = description == null ? "" : description.trim();
    if (d.length() > 200) {
      throw new IllegalArgumentException("description is longer than 200 characters");
    }
    return new WatchEntry(
        k, WatchValues.canonical(k, value), WatchOverrides.validate(overrides), d, source);
  }

  public WatchMatcher matcher() {
    return matcher;
  }

  public List<WatchEntry> list() {
    return matcher.entries();
  }

  /** Inserts or replaces (overrides, description) the entry with the same kind and value. */
  public WatchEntry upsert(WatchEntry e) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              WatchEntryEntity row =
                  WatchEntryEntity.<WatchEntryEntity>find(
                          "kind = ?1 and value = ?2", e.kind().name(), e.value())
                      .firstResult();
              if (row == null) {
                row = new WatchEntryEntity();
                row.kind = e.kind().name();
                row.value = e.value();
              }
              row.overrides = write(e.overrides());
              row.description = e.description();
              row.source = e.source();
              row.persist();
            });
    reload();
    added.fire(new Added(e));
    return e;
  }

  /** How an import went: entries new to the list, entries replaced. */
  public record ImportResult(int added, int updated) {}

  /** Entries one import may carry (the gRPC request says the same). */
  public static final int MAX_IMPORT = 10_000;

  /**
   * Adds or replaces many validated entries in one transaction (all or nothing) and swaps the
   * matcher once: an import of 50,000 prefixes is a few batched statements, not 50,000 transactions
   * each rebuilding the matcher. A later entry with the same kind and value wins.
   */
  public synchronized ImportResult upsertAll(List<WatchEntry> entries) {
    if (entries.size() > MAX_IMPORT) {
      throw new IllegalArgumentException(
          "an import carries at most "
              + MAX_IMPORT
              + " entries, not "
              + entries.size()
              + " (split it)");
    }
    Map<String, WatchEntry> unique = new LinkedHashMap<>();
    for (WatchEntry e : entries) {
      unique.put(e.kind().name() + " " + e.value(), e);
    }
    long fresh =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  try (Connection c = dataSource.getConnection()) {
                    long before = count(c);
                    try (PreparedStatement ps =
                        c.prepareStatement(
                            "INSERT INTO watch_entry (kind, value, overrides, description, source)"
                                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, value) DO UPDATE SET"
                                + " overrides = EXCLUDED.overrides, description = EXCLUDED.description,"
                                + " source = EXCLUDED.source")) {
                      int n = 0;
                      for (WatchEntry e : unique.values()) {
                        ps.setString(1, e.kind().name());
                        ps.setString(2, e.value());
                        ps.setString(3, write(e.overrides()));
                        ps.setString(4, e.description());
                        ps.setString(5, e.source());
                        ps.addBatch();
                        if (++n % 1_000 == 0) {
                          ps.executeBatch();
                        }
                      }
                      ps.executeBatch();
                    }
                    // nothing deletes inside this transaction: the growth is what was new
                    return count(c) - before;
                  } catch (SQLException ex) {
                    throw new IllegalStateException("watch import failed: " + ex.getMessage(), ex);
                  }
                });
    // the rows are what was validated: merge them into the list rather than re-reading it all
    // (a 50k import in 25 requests would otherwise re-read the table 25 times)
    synchronized (this) {
      Map<String, WatchEntry> all = new LinkedHashMap<>();
      for (WatchEntry e : matcher.entries()) {
        all.put(e.kind().name() + " " + e.value(), e);
      }
      all.putAll(unique);
      matcher = new WatchMatcher(sorted(new ArrayList<>(all.values())), matcher);
    }
    unique.values().stream()
        .filter(e -> e.kind() != WatchEntry.Kind.PREFIX)
        .findFirst()
        .ifPresent(e -> added.fire(new Added(e)));
    changed.fire(new Changed());
    return new ImportResult((int) fresh, unique.size() - (int) fresh);
  }

  private static long count(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM watch_entry")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<WatchEntry> sorted(List<WatchEntry> l) {
    l.sort(
        java.util.Comparator.comparing((WatchEntry e) -> e.kind().name())
            .thenComparing(WatchEntry::value));
    return l;
  }

  /** Removes an entry; false when it was not on the list. */
  public boolean remove(WatchEntry.Kind kind, String value) {
    long n =
        QuarkusTransaction.requiringNew()
            .call(() -> WatchEntryEntity.delete("kind = ?1 and value = ?2", kind.name(), value));
    reload();
    return n > 0;
  }

  /** Re-reads the list from the database (at start and after every change). */
  public void reload() {
    reloadMatcher();
    changed.fire(new Changed());
  }

  private synchronized void reloadMatcher() {
    List<WatchEntry> out = new ArrayList<>();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (WatchEntryEntity r : WatchEntryEntity.<WatchEntryEntity>listAll()) {
                out.add(
                    new WatchEntry(
                        WatchEntry.Kind.valueOf(r.kind),
                        r.value,
                        read(r.overrides),
                        r.description,
                        r.source));
              }
            });
    matcher = new WatchMatcher(sorted(out));
  }

  public Optional<WatchEntry> find(WatchEntry.Kind kind, String value) {
    return list().stream().filter(e -> e.kind() == kind && e.value().equals(value)).findFirst();
  }

  private String write(Map<String, String> m) {
    try {
      return json.writeValueAsString(m);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private Map<String, String> read(String s) {
    try {
      return json.readValue(s == null || s.isBlank() ? "{}" : s, MAP);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("watch_entry.overrides is not a JSON object: " + s, ex);
    }
  }
}
