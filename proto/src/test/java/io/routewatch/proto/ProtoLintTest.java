package io.routewatch.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Proto lint for every .proto in src/main/proto: naming (UpperCamel messages, services, RPCs and
 * enums; lower_snake fields; UPPER_SNAKE enum values prefixed with the enum's name; zero value
 * {@code *_UNSPECIFIED}), a comment on every message, field, RPC and enum value, no field number
 * used twice or inside a reserved range, and no field renumbered against {@code field-numbers.txt}.
 *
 * <p>Violations that existed when the lint came are listed in {@code lint-baseline.txt}: a new
 * violation fails, and so does a baseline line that no longer occurs (remove it). To rewrite both
 * files after a deliberate change: {@code -Droutewatch.proto.lint.update=true}.
 */
class ProtoLintTest {

  private static final Path PROTO = Path.of("src/main/proto");
  private static final Path BASELINE = Path.of("lint-baseline.txt");
  private static final Path NUMBERS = Path.of("field-numbers.txt");

  @Test
  void protosFollowTheLintRulesBeyondTheBaseline() throws IOException {
    Set<String> found = new TreeSet<>();
    Map<String, Integer> numbers = new TreeMap<>();
    Map<String, ProtoLint.Violation> where = new TreeMap<>();
    lintTree(found, numbers, where);
    if (Boolean.getBoolean("routewatch.proto.lint.update")) {
      write(
          BASELINE,
          "# Proto lint violations that predate ProtoLintTest; fix and remove, never add.",
          found);
      write(
          NUMBERS,
          "# Field numbers of every message field; ProtoLintTest fails when one changes.",
          numbers.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList());
      return;
    }
    Set<String> baseline = read(BASELINE);
    List<String> problems = new ArrayList<>();
    for (String v : found) {
      if (!baseline.contains(v)) problems.add("new violation: " + where.get(v));
    }
    for (String b : baseline) {
      if (!found.contains(b))
        problems.add("stale baseline line (fixed? remove it from lint-baseline.txt): " + b);
    }
    problems.addAll(renumbered(numbers, read(NUMBERS)));
    if (!problems.isEmpty()) fail(String.join("\n", problems));
  }

  @Test
  void badProtoFailsEveryRule() {
    String bad =
        """
        syntax = "proto3";
        package bad.v1;

        message lower_message {
          string CamelField = 1;
          // fine
          uint32 twice = 1;  // reuses 1
          reserved 5 to 7;
          // in a reserved range
          uint64 reserved_used = 6;
        }

        // Kinds.
        enum ChangeKind {
          // no zero UNSPECIFIED
          ADDED = 0;
          // not upper snake
          CHANGE_KIND_lower = 1;
          CHANGE_KIND_UNCOMMENTED = 2;
        }

        service bad_service {
          rpc get_thing(lower_message) returns (lower_message);
        }
        """;
    ProtoLint.Result r = ProtoLint.lint("bad.proto", bad);
    Set<String> keys =
        r.violations().stream()
            .map(ProtoLint.Violation::key)
            .collect(Collectors.toCollection(TreeSet::new));
    for (String want :
        List.of(
            "bad.proto lower_message message-name-upper-camel",
            "bad.proto lower_message message-comment",
            "bad.proto lower_message.CamelField field-name-lower-snake",
            "bad.proto lower_message.CamelField field-comment",
            "bad.proto lower_message.twice field-number-reused(1 also CamelField)",
            "bad.proto lower_message.reserved_used field-number-reserved",
            "bad.proto ChangeKind.ADDED enum-value-prefix(CHANGE_KIND_)",
            "bad.proto ChangeKind.ADDED enum-zero-value-unspecified",
            "bad.proto ChangeKind.CHANGE_KIND_lower enum-value-upper-snake",
            "bad.proto ChangeKind.CHANGE_KIND_UNCOMMENTED enum-value-comment",
            "bad.proto bad_service service-name-upper-camel",
            "bad.proto bad_service service-comment",
            "bad.proto bad_service.get_thing rpc-name-upper-camel",
            "bad.proto bad_service.get_thing rpc-comment")) {
      assertTrue(keys.contains(want), "missing " + want + " in " + keys);
    }
    assertEquals(14, keys.size(), keys.toString());
    assertEquals(
        Map.of(
            "bad.v1.lower_message.CamelField",
            1,
            "bad.v1.lower_message.twice",
            1,
            "bad.v1.lower_message.reserved_used",
            6),
        r.fieldNumbers());
  }

  @Test
  void goodProtoPassesAndRenumberingIsCaught() {
    String good =
        """
        syntax = "proto3";
        package good.v1;

        // A thing.
        message Thing {
          string name = 1;  // its name
          // Its kind.
          ThingKind kind = 2;
          oneof payload {
            // Set for a big thing.
            uint64 size = 3;
          }
          reserved 4;
        }

        // Kinds of things.
        enum ThingKind {
          THING_KIND_UNSPECIFIED = 0;  // never sent
          // A large one.
          THING_KIND_LARGE = 1;
        }

        // Things.
        service ThingService {
          // One thing.
          rpc GetThing(Thing) returns (Thing);
        }
        """;
    ProtoLint.Result r = ProtoLint.lint("good.proto", good);
    assertEquals(List.of(), r.violations());
    Map<String, Integer> now = r.fieldNumbers();
    assertEquals(
        List.of(),
        renumbered(now, Set.of("good.v1.Thing.name = 1", "good.v1.Thing.kind = 2")).stream()
            .filter(p -> !p.startsWith("field not in"))
            .toList());
    List<String> p =
        renumbered(
            now,
            Set.of("good.v1.Thing.name = 1", "good.v1.Thing.kind = 5", "good.v1.Thing.size = 3"));
    assertEquals(
        List.of("field renumbered: good.v1.Thing.kind was 5 in field-numbers.txt, now 2"), p);
  }

  @Test
  void upperSnakeOfEnumNames() {
    assertEquals("CHANGE_KIND", ProtoLint.upperSnake("ChangeKind"));
    assertEquals("AFI", ProtoLint.upperSnake("Afi"));
    assertEquals("BGP_STATE", ProtoLint.upperSnake("BGPState"));
  }

  /** Differences between today's field numbers and the committed snapshot. */
  static List<String> renumbered(Map<String, Integer> now, Set<String> snapshotLines) {
    Map<String, Integer> was = new TreeMap<>();
    for (String l : snapshotLines) {
      String[] kv = l.split(" = ");
      was.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
    }
    List<String> out = new ArrayList<>();
    for (var e : was.entrySet()) {
      Integer n = now.get(e.getKey());
      if (n != null && !n.equals(e.getValue())) {
        out.add(
            "field renumbered: "
                + e.getKey()
                + " was "
                + e.getValue()
                + " in field-numbers.txt, now "
                + n);
      } else if (n == null) {
        out.add(
            "field gone (reserve its number and name, then remove the line): "
                + e.getKey()
                + " = "
                + e.getValue());
      }
    }
    for (var e : now.entrySet()) {
      if (!was.containsKey(e.getKey())) {
        out.add("field not in field-numbers.txt (add: " + e.getKey() + " = " + e.getValue() + ")");
      }
    }
    return out;
  }

  private static void lintTree(
      Set<String> found, Map<String, Integer> numbers, Map<String, ProtoLint.Violation> where)
      throws IOException {
    try (Stream<Path> s = Files.walk(PROTO)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".proto")).sorted().toList()) {
        String name = PROTO.relativize(f).toString().replace('\\', '/');
        ProtoLint.Result r = ProtoLint.lint(name, Files.readString(f, StandardCharsets.UTF_8));
        for (ProtoLint.Violation v : r.violations()) {
          found.add(v.key());
          where.put(v.key(), v);
        }
        numbers.putAll(r.fieldNumbers());
      }
    }
  }

  private static Set<String> read(Path p) throws IOException {
    Set<String> out = new TreeSet<>();
    for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
      if (!l.isBlank() && !l.startsWith("#")) out.add(l.trim());
    }
    return out;
  }

  private static void write(Path p, String header, Iterable<String> lines) throws IOException {
    StringBuilder sb = new StringBuilder(header).append('\n');
    for (String l : lines) sb.append(l).append('\n');
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
  }
}
