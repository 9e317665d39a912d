package io.routewatch.bgp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.routewatch.bgp.bmp.BmpError;
import io.routewatch.bgp.bmp.BmpException;
import io.routewatch.bgp.bmp.BmpFrame;
import io.routewatch.bgp.bmp.BmpFramer;
import io.routewatch.bgp.bmp.BmpMessage;
import io.routewatch.bgp.bmp.BmpMessageDecoder;
import io.routewatch.bgp.bmp.BmpSession;
import io.routewatch.bgp.bmp.BmpStat;
import io.routewatch.bgp.bmp.PeerUpNotification;
import io.routewatch.bgp.bmp.RouteMonitoring;
import io.routewatch.bgp.bmp.StatisticsReport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target for the BMP message decoder, the framer (both error modes, split reads) and the
 * session state. The only exception allowed out of them is {@link BmpException}; anything else is a
 * bug. Seeds and kept crashers: {@code src/test/resources/fuzz/bmp/}.
 *
 * <p>Fuzz: {@code JAZZER_FUZZ=1 mvn -o -pl libs/bgp test -Dtest=BmpFuzzTest#decode} (seed the run
 * by copying {@code fuzz/bmp/*.bin} into {@code
 * .cifuzz-corpus/io.routewatch.bgp.fuzz.BmpFuzzTest/decode/}). Without JAZZER_FUZZ the
 * {@code @FuzzTest} runs as a regression test.
 */
class BmpFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void decode(byte[] data) {
    exercise(data);
  }

  /** Every seed and kept crasher runs through the target on each build. */
  @Test
  void regressionInputs() throws IOException, URISyntaxException {
    URL dir = BmpFuzzTest.class.getResource("/fuzz/bmp");
    Assertions.assertNotNull(dir, "fuzz/bmp resources");
    List<Path> inputs;
    try (Stream<Path> s = Files.list(Path.of(dir.toURI()))) {
      inputs = s.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
    }
    Assertions.assertFalse(inputs.isEmpty());
    for (Path p : inputs) {
      try (InputStream in = Files.newInputStream(p)) {
        exercise(in.readAllBytes());
      }
    }
  }

  static void exercise(byte[] data) {
    try {
      touch(BmpMessageDecoder.decode(data));
    } catch (BmpException expected) {
      expected.error().toString();
    }
    int split = data.length == 0 ? 0 : (data[data.length - 1] & 0xff) % (data.length + 1);
    for (BmpFramer.OnError mode : BmpFramer.OnError.values()) {
      BmpFramer framer = new BmpFramer(1 << 16, mode);
      BmpSession session = new BmpSession();
      BmpFramer.Sink sink =
          new BmpFramer.Sink() {
            @Override
            public void onFrame(BmpFrame frame) {
              try {
                BmpMessage m = frame.decode();
                touch(m);
                session.accept(m);
                if (m.peer() != null) {
                  session.encodingFor(m.peer());
                }
              } catch (BmpException expected) {
                expected.error().toString();
              }
            }

            @Override
            public void onError(BmpError error) {
              error.toString();
            }
          };
      framer.feed(data, 0, split, sink);
      if (split == data.length / 2) {
        framer.gap(3, sink);
      }
      framer.feed(data, split, data.length - split, sink);
    }
  }

  /** Reads every accessor a consumer would, so lazy parsing bugs surface too. */
  private static void touch(BmpMessage m) {
    m.toString();
    if (m.peer() != null) {
      m.peer().key();
      m.peer().timestampEpochMicros();
    }
    if (m instanceof RouteMonitoring rm) {
      rm.update().toByteArray();
      rm.update().type();
    } else if (m instanceof PeerUpNotification up) {
      up.tableName();
      up.sentOpen().buffer();
    } else if (m instanceof StatisticsReport s) {
      for (BmpStat st : s.stats()) {
        st.longValue();
        st.afi();
        st.safi();
        st.wellFormed();
      }
    }
  }
}
