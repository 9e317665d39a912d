package io.routewatch.alert.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The watch list: validated CRUD on PostgreSQL and an in-memory {@link WatchMatcher} that the
 * change handler reads without touching the database.
 */
@ApplicationScoped
public class WatchService {
  private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

  @Inject ObjectMapper json;
  @Inject Event<Added> added;

  /** Fired after an entry was added or replaced (the matcher already has it). */
  public record Added(WatchEntry entry) {}

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
    return new WatchEntry(k, WatchValues.canonical(k, value), WatchOverrides.validate(overrides), d, source);
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
                  WatchEntryEntity.<WatchEntryEntity>find("kind = ?1 and value = ?2", e.kind().name(), e.value())
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
    List<WatchEntry> out = new ArrayList<>();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (WatchEntryEntity r : WatchEntryEntity.<WatchEntryEntity>listAll()) {
                out.add(
                    new WatchEntry(WatchEntry.Kind.valueOf(r.kind), r.value, read(r.overrides), r.description, r.source));
              }
            });
    out.sort((a, b) -> (a.kind() + a.value()).compareTo(b.kind() + b.value()));
    matcher = new WatchMatcher(out);
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
