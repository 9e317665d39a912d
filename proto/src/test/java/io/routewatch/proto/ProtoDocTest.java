package io.routewatch.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md is the API reference rendered from the protos' comments ({@link ProtoDoc}); it must
 * be current: a contract change without its regenerated reference fails here. To rewrite it: {@code
 * ./mvnw -pl proto test -Dtest=ProtoDocTest -Droutewatch.proto.doc.update=true}.
 */
class ProtoDocTest {
  private static final Path PROTO = Path.of("src/main/proto");
  private static final Path DOC = Path.of("../docs/api.md");

  static String render() throws IOException {
    StringBuilder b =
        new StringBuilder(
            """
            # routewatch API reference (gRPC, `routewatch.v1`)

            Generated from the comments in `proto/src/main/proto` by `ProtoDocTest` (do not edit: change
            the proto and run `./mvnw -pl proto test -Dtest=ProtoDocTest -Droutewatch.proto.doc.update=true`).
            Conventions: times are `int64 *_micros`, µs since the epoch (state refuses values outside
            1990–2200 with INVALID_ARGUMENT); ASNs are `uint32` (AS0 refused where an origin is asked);
            every call carries `authorization: Bearer <token>` when the service has a token; the servers
            offer gRPC reflection, from which a client can be built without these files
            (`e2e/src/test/python/conformance.py`). `IngestService` and `StateShard` are internal
            (collector → state, state → state). REST equivalents: docs/security.md lists the paths.

            """);
    List<Path> files;
    try (Stream<Path> s = Files.walk(PROTO)) {
      files = s.filter(p -> p.toString().endsWith(".proto")).sorted().toList();
    }
    for (Path p : files) {
      b.append(
          ProtoDoc.render(
              PROTO.relativize(p).toString().replace('\\', '/'),
              Files.readString(p, StandardCharsets.UTF_8)));
    }
    return b.toString().stripTrailing() + "\n";
  }

  @Test
  void apiReferenceIsCurrent() throws IOException {
    String doc = render();
    if (Boolean.getBoolean("routewatch.proto.doc.update")) {
      Files.writeString(DOC, doc, StandardCharsets.UTF_8);
      return;
    }
    assertTrue(Files.exists(DOC), DOC + " missing: run with -Droutewatch.proto.doc.update=true");
    assertEquals(
        Files.readString(DOC, StandardCharsets.UTF_8),
        doc,
        "docs/api.md is stale: run ./mvnw -pl proto test -Dtest=ProtoDocTest"
            + " -Droutewatch.proto.doc.update=true");
  }

  /** Every RPC, message and enum of the protos is in the reference (the renderer misses none). */
  @Test
  void referenceListsEveryDeclaration() throws IOException {
    String doc = render();
    Pattern decl = Pattern.compile("(?m)^\\s*(rpc|message|enum|service)\\s+(\\w+)");
    try (Stream<Path> s = Files.walk(PROTO)) {
      for (Path p : s.filter(x -> x.toString().endsWith(".proto")).toList()) {
        Matcher m = decl.matcher(Files.readString(p, StandardCharsets.UTF_8));
        while (m.find()) {
          String want =
              m.group(1).equals("rpc")
                  ? "| `" + m.group(2) + "` |"
                  : "### " + m.group(1) + " `" + m.group(2) + "`";
          assertTrue(doc.contains(want), p + ": " + m.group(0).strip() + " not in the reference");
        }
      }
    }
  }

  @Test
  void rendersFieldsOneofsAndComments() {
    String md =
        ProtoDoc.render(
            "x.proto",
            """
            // The file.
            syntax = "proto3";
            package x.v1;

            // A service.
            service S {
              // Streams things.
              rpc Watch(Req) returns (stream Thing);
            }

            // A request.
            message Req {
              oneof target {
                uint32 asn = 1;        // origin AS
                string country = 2;    // ISO code
              }
              // when
              int64 at_micros = 3;
              repeated uint32 peers = 4 [packed = true];  // a | b
              map<string, string> labels = 5;  // labels
              reserved 6 to 8;
            }

            enum Kind {
              KIND_UNSPECIFIED = 0;
              KIND_A = 1;  // the first
            }

            // Nothing to ask.
            message Empty {}

            // After an empty one.
            message Next {
              string name = 1;  // its name
            }
            """);
    assertTrue(md.startsWith("## `x.proto`\n\nThe file.\n\n"), md);
    assertTrue(md.contains("### service `S`\n\nA service."), md);
    assertTrue(md.contains("| `Watch` | `Req` | stream `Thing` | Streams things. |"), md);
    assertTrue(md.contains("| `asn` | 1 | `uint32` | oneof `target`: origin AS |"), md);
    assertTrue(md.contains("| `at_micros` | 3 | `int64` | when |"), md);
    assertTrue(md.contains("| `peers` | 4 | `repeated uint32` | a \\| b |"), md);
    assertTrue(md.contains("| `labels` | 5 | `map<string, string>` | labels |"), md);
    assertTrue(md.contains("| _reserved 6 to 8_ | | | never reused |"), md);
    assertTrue(md.contains("| `KIND_A` | 1 | the first |"), md);
    assertTrue(md.contains("### message `Empty`\n\nNothing to ask.\n\n### message `Next`"), md);
    assertTrue(md.contains("| `name` | 1 | `string` | its name |"), md);
  }
}
