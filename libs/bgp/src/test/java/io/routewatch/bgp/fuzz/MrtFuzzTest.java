package io.routewatch.bgp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.routewatch.bgp.attr.AttributeDecoder;
import io.routewatch.bgp.attr.DecodeContext;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.message.BgpMessage;
import io.routewatch.bgp.message.BgpMessageDecoder;
import io.routewatch.bgp.message.BgpMessageEncoder;
import io.routewatch.bgp.message.SessionContext;
import io.routewatch.bgp.mrt.Bgp4mpMessage;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRecord;
import io.routewatch.bgp.mrt.MrtType;
import io.routewatch.bgp.text.BgpdumpFormatter;
import io.routewatch.bgp.text.MrtDump;
import io.routewatch.bgp.text.TextBuffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets, one per entry point of the BGP/MRT codec. The only exception allowed out of the
 * decoders is the located {@link DecodeException}; the lenient stream path allows none at all.
 * Seeds are real bytes cut from the shared corpus by {@link SeedExtractor} into {@code
 * src/test/resources/fuzz/{bgp,attrs,mrt}/}; crashers found are kept there as regression inputs.
 *
 * <p>Fuzz each target for N seconds: {@code JAZZER_FUZZ=1 mvn -o -pl libs/bgp test
 * -Dtest='MrtFuzzTest#bgpMessage' -Djazzer.max_duration=Ns} (likewise {@code #updateAttributes},
 * {@code #mrtRecord}, {@code #mrtStream}). Without JAZZER_FUZZ the targets replay their inputs as
 * regression tests.
 */
class MrtFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void bgpMessage(byte[] data) {
    bgpMessageTarget(data);
  }

  @FuzzTest(maxDuration = "30s")
  void updateAttributes(byte[] data) {
    attributesTarget(data);
  }

  @FuzzTest(maxDuration = "30s")
  void mrtRecord(byte[] data) {
    mrtRecordTarget(data);
  }

  @FuzzTest(maxDuration = "30s")
  void mrtStream(byte[] data) {
    mrtStreamTarget(data);
  }

  static void bgpMessageTarget(byte[] data) {
    if (data.length == 0) return;
    // first byte picks the session: bit0 4-byte AS, bit1 add-path, bit2 extended messages
    int s = data[0];
    SessionContext ctx =
        new SessionContext(
            (s & 1) != 0,
            (s & 2) != 0 ? DecodeContext.AddPath.ALL : DecodeContext.AddPath.NONE,
            (s & 4) != 0);
    try {
      BgpMessage m = new BgpMessageDecoder(ctx).decode(data, 1, data.length - 1);
      byte[] again = new BgpMessageEncoder(ctx).encode(m);
      BgpMessage m2 =
          new BgpMessageDecoder(new SessionContext(ctx.as4(), ctx.addPathReceive(), true))
              .decode(again);
      m2.type();
    } catch (DecodeException expected) {
      // documented
    }
  }

  static void attributesTarget(byte[] data) {
    if (data.length == 0) return;
    int s = data[0];
    DecodeContext ctx =
        new DecodeContext(
            (s & 1) != 0,
            (s & 2) != 0 ? DecodeContext.AddPath.ALL : DecodeContext.AddPath.NONE,
            (s & 4) != 0);
    try {
      var attrs = AttributeDecoder.decode(data, 1, data.length - 1, ctx);
      attrs.asPath();
      attrs.aggregator();
      attrs.toString();
    } catch (DecodeException expected) {
      // documented
    }
  }

  static void mrtRecordTarget(byte[] data) {
    try (MrtReader r =
        new MrtReader(new ByteArrayInputStream(data), "fuzz", MrtReader.Mode.STRICT)) {
      BgpdumpFormatter f = new BgpdumpFormatter();
      TextBuffer out = new TextBuffer(1024);
      for (MrtRecord rec : r) {
        try {
          f.format(rec, out);
        } catch (DecodeException expected) {
          // documented
        }
        if (MrtType.isBgp4mp(rec.type()) && MrtType.isBgp4mpMessage(rec.subtype())) {
          try {
            Bgp4mpMessage.of(rec).message();
          } catch (DecodeException expected) {
            // documented
          }
        }
        out.clear();
      }
    } catch (DecodeException expected) {
      // strict framing error: documented
    }
  }

  static void mrtStreamTarget(byte[] data) {
    try {
      MrtDump.dump(new ByteArrayInputStream(data), "fuzz", OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new AssertionError("lenient dump of in-memory bytes must not fail", e);
    }
  }

  /** Every seed and kept crasher replays on each build (resources/fuzz/{bgp,attrs,mrt}). */
  @Test
  void regressionInputs() throws IOException, URISyntaxException {
    int n = 0;
    for (String dir : new String[] {"bgp", "attrs", "mrt"}) {
      URL url = MrtFuzzTest.class.getResource("/fuzz/" + dir);
      Assertions.assertNotNull(url, "fuzz/" + dir);
      List<Path> inputs;
      try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
        inputs = s.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
      }
      for (Path p : inputs) {
        byte[] b;
        try (InputStream in = Files.newInputStream(p)) {
          b = in.readAllBytes();
        }
        switch (dir) {
          case "bgp" -> bgpMessageTarget(b);
          case "attrs" -> attributesTarget(b);
          default -> {
            mrtRecordTarget(b);
            mrtStreamTarget(b);
          }
        }
        n++;
      }
    }
    Assertions.assertTrue(n > 20, "seed count " + n);
  }
}
