package io.routewatch.bgp.bmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BmpFramerTest {
  final List<BmpFrame> frames = new ArrayList<>();
  final List<BmpError> errors = new ArrayList<>();
  final BmpFramer.Sink sink =
      new BmpFramer.Sink() {
        @Override
        public void onFrame(BmpFrame f) {
          frames.add(f);
        }

        @Override
        public void onError(BmpError e) {
          errors.add(e);
        }
      };

  static byte[] stream(byte[]... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] m : messages) {
      out.writeBytes(m);
    }
    return out.toByteArray();
  }

  @Test
  void oneByteAtATime() {
    byte[] s =
        stream(
            Fixtures.INITIATION, Fixtures.PEER_UP, Fixtures.ROUTE_MONITORING, Fixtures.TERMINATION);
    BmpFramer f = new BmpFramer();
    for (int i = 0; i < s.length; i++) {
      f.feed(s, i, 1, sink);
    }
    assertEquals(List.of(4, 3, 0, 5), frames.stream().map(BmpFrame::typeCode).toList());
    assertEquals(Fixtures.INITIATION.length, frames.get(1).streamOffset());
    assertEquals(4, frames.get(3).messageNumber());
    assertEquals(0, f.buffered());
    assertTrue(errors.isEmpty());
  }

  @Test
  void oversizeMessageClosesSession() {
    BmpFramer f = new BmpFramer(100, BmpFramer.OnError.CLOSE);
    byte[] s = stream(Fixtures.INITIATION, Fixtures.PEER_UP, Fixtures.TERMINATION);
    f.feed(s, 0, s.length, sink);
    assertEquals(1, frames.size());
    assertEquals(BmpError.Action.CLOSE_SESSION, errors.get(0).action());
    assertEquals(2, errors.get(0).messageNumber());
    assertEquals(Fixtures.INITIATION.length, errors.get(0).streamOffset());
    assertTrue(f.closed());
  }

  @Test
  void garbageResyncsToNextHeader() {
    byte[] garbage = {9, 9, 9, 9, 9, 9, 9};
    byte[] s = stream(Fixtures.INITIATION, garbage, Fixtures.PEER_UP, Fixtures.STATS);
    BmpFramer f = new BmpFramer(BmpFramer.DEFAULT_MAX_MESSAGE, BmpFramer.OnError.RESYNC);
    f.feed(s, 0, s.length, sink);
    assertEquals(List.of(4, 3, 1), frames.stream().map(BmpFrame::typeCode).toList());
    assertEquals(1, errors.size());
    assertEquals(BmpError.Action.RESYNC, errors.get(0).action());
  }

  @Test
  void gapDropsPartialMessage() {
    BmpFramer f = new BmpFramer();
    f.feed(Fixtures.PEER_UP, 0, 50, sink);
    f.gap(1000, sink);
    byte[] s = stream(Fixtures.STATS, Fixtures.TERMINATION);
    f.feed(s, 0, s.length, sink);
    assertEquals(List.of(1, 5), frames.stream().map(BmpFrame::typeCode).toList());
    assertEquals(50 + 1000, frames.get(0).streamOffset());
  }
}
