package io.routewatch.bgp.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden test against tshark 4.0 for raw BGP sessions: every capture under {@code bgp-pcap/} is
 * reassembled (TCP port 179, both directions), split into BGP messages by marker and length (RFC
 * 4271 §4.1), and the count of each message type must equal the {@code bgp.type} occurrences in
 * the tshark reference. New captures are picked up automatically.
 */
class BgpCaptureCountsTest {
  static final int BGP_PORT = 179;

  /** Files where tshark 4.0 is known to disagree, with the reason (none so far). */
  static final Map<String, String> KNOWN = Map.of();

  @TestFactory
  Stream<DynamicTest> everyBgpCaptureMatchesTshark() throws IOException {
    List<Path> files = Corpus.captures("bgp-pcap");
    assertFalse(files.isEmpty(), "no BGP captures under " + Corpus.dir().resolve("bgp-pcap"));
    return files.stream()
        .map(f -> DynamicTest.dynamicTest(Corpus.dir().relativize(f).toString(), () -> check(f)));
  }

  private static void check(Path capture) throws IOException {
    String name = Corpus.dir().relativize(capture).toString();
    Result r = replay(capture);
    Map<Integer, Long> tshark = Corpus.countField(Corpus.tsharkReference(capture), "bgp.type");
    if (!KNOWN.containsKey(name)) {
      assertEquals(tshark, r.counts(), name + " BGP message counts");
    }
    assertTrue(r.errors().isEmpty(), name + ": " + r.errors());
  }

  /**
   * Per-type counts of BGP messages, the messages in capture order, framing errors, and streams
   * whose capture ends inside a message (not an error: tshark does not count those either).
   */
  record Result(
      Map<Integer, Long> counts, List<byte[]> messages, List<String> errors, List<String> unfinished) {}

  static Result replay(Path capture) throws IOException {
    Map<Integer, Long> counts = new TreeMap<>();
    List<byte[]> messages = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<String> unfinished = new ArrayList<>();
    Map<Long, BgpSplitter> splitters = new HashMap<>();
    for (StreamEvent e : Corpus.events(capture)) {
      if (e.flow().srcPort() != BGP_PORT && e.flow().dstPort() != BGP_PORT) {
        continue;
      }
      BgpSplitter s = splitters.computeIfAbsent(e.streamId(), k -> new BgpSplitter());
      switch (e.kind()) {
        case DATA -> s.feed(e.data(), m -> {
          counts.merge(m[18] & 0xff, 1L, Long::sum);
          messages.add(m);
        }, err -> errors.add(e.flow() + ": " + err));
        case GAP -> s.gap();
        case END -> {
          if (s.buffered() > 0) {
            unfinished.add(e.flow() + ": " + s.buffered() + " bytes");
          }
        }
      }
    }
    return new Result(counts, messages, errors, unfinished);
  }
}
