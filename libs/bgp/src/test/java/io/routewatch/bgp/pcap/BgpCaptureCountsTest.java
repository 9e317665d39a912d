package io.routewatch.bgp.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.message.BgpMessage;
import io.routewatch.bgp.message.BgpMessageDecoder;
import io.routewatch.bgp.message.Open;
import io.routewatch.bgp.message.SessionContext;
import io.routewatch.bgp.message.Update;
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
 * 4271 §4.1), and the count of each message type must equal the {@code bgp.type} occurrences in the
 * tshark reference. New captures are picked up automatically.
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
    assertTrue(r.updateErrors().isEmpty(), name + " UPDATE decode: " + r.updateErrors());
  }

  /**
   * Per-type counts of BGP messages, the messages in capture order, framing errors, and streams
   * whose capture ends inside a message (not an error: tshark does not count those either).
   */
  record Result(
      Map<Integer, Long> counts,
      List<byte[]> messages,
      List<String> errors,
      List<String> unfinished,
      List<String> updateErrors) {}

  static Result replay(Path capture) throws IOException {
    Map<Integer, Long> counts = new TreeMap<>();
    List<byte[]> messages = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<String> unfinished = new ArrayList<>();
    Map<Long, BgpSplitter> splitters = new HashMap<>();
    // Every UPDATE must decode with the session context negotiated by the OPENs seen in its
    // connection (RFC 6793 4-octet AS, RFC 7911 add-path, RFC 8654): no session-reset class error.
    Map<FlowKey, Open> opens = new HashMap<>();
    List<String> updateErrors = new ArrayList<>();
    for (StreamEvent e : Corpus.events(capture)) {
      if (e.flow().srcPort() != BGP_PORT && e.flow().dstPort() != BGP_PORT) {
        continue;
      }
      BgpSplitter s = splitters.computeIfAbsent(e.streamId(), k -> new BgpSplitter());
      switch (e.kind()) {
        case DATA ->
            s.feed(
                e.data(),
                m -> {
                  counts.merge(m[18] & 0xff, 1L, Long::sum);
                  messages.add(m);
                  decode(m, e.flow(), opens, updateErrors);
                },
                err -> errors.add(e.flow() + ": " + err));
        case GAP -> s.gap();
        case END -> {
          if (s.buffered() > 0) {
            unfinished.add(e.flow() + ": " + s.buffered() + " bytes");
          }
        }
      }
    }
    return new Result(counts, messages, errors, unfinished, updateErrors);
  }

  private static void decode(
      byte[] m, FlowKey flow, Map<FlowKey, Open> opens, List<String> errors) {
    int type = m[18] & 0xff;
    try {
      if (type == BgpMessage.OPEN) {
        opens.put(flow, (Open) new BgpMessageDecoder(SessionContext.LEGACY).decode(m));
      } else if (type == BgpMessage.UPDATE) {
        Open theirs = opens.get(flow), ours = opens.get(flow.reverse());
        // Without both OPENs (capture started mid-session) nothing is negotiated: RFC 4271
        // defaults.
        SessionContext ctx =
            theirs != null && ours != null
                ? SessionContext.negotiated(ours, theirs)
                : SessionContext.LEGACY;
        Update u = (Update) new BgpMessageDecoder(ctx).decode(m);
        if (u.action().compareTo(Rfc7606Action.AFI_SAFI_DISABLE) >= 0)
          errors.add(flow + " " + u.action() + " " + u.errors());
      }
    } catch (DecodeException ex) {
      errors.add(flow + " type " + type + ": " + ex.getMessage());
    }
  }
}
