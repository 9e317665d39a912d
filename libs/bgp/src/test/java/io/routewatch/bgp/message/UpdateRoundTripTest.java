package io.routewatch.bgp.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routewatch.bgp.TestData;
import io.routewatch.bgp.error.DecodeException;
import io.routewatch.bgp.mrt.Bgp4mpMessage;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRecord;
import io.routewatch.bgp.mrt.MrtType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * decode → encode → decode is the identity for every UPDATE in the BGP4MP files of the corpus, and
 * re-encoding is byte-exact for every UPDATE whose NLRI carry no host bits.
 */
class UpdateRoundTripTest {

  @TestFactory
  Stream<DynamicTest> everyUpdateRoundTrips() throws Exception {
    assumeTrue(TestData.available());
    List<DynamicTest> tests = new ArrayList<>();
    for (Path f : TestData.mrtFilesWithReference()) {
      tests.add(
          DynamicTest.dynamicTest(TestData.mrt().relativize(f).toString(), () -> roundTrip(f)));
    }
    return tests.stream();
  }

  static void roundTrip(Path f) throws Exception {
    long updates = 0, exact = 0, undecodable = 0;
    try (MrtReader r = MrtReader.open(f, MrtReader.Mode.LENIENT)) {
      for (MrtRecord rec : r) {
        if (!MrtType.isBgp4mp(rec.type()) || !MrtType.isBgp4mpMessage(rec.subtype())) continue;
        BgpMessage m;
        Bgp4mpMessage mm;
        try {
          mm = Bgp4mpMessage.of(rec);
          m = mm.message();
        } catch (DecodeException e) {
          undecodable++;
          continue;
        }
        if (!(m instanceof Update u)) continue;
        updates++;
        BgpMessageEncoder enc = new BgpMessageEncoder(mm.session());
        byte[] once = enc.encode(u);
        BgpMessage again = new BgpMessageDecoder(mm.session()).decode(once);
        assertEquals(u, again, f + " record " + rec.recordNumber());
        assertArrayEquals(once, enc.encode(again), f + " record " + rec.recordNumber());
        if (java.util.Arrays.equals(once, mm.messageBytes())) exact++;
      }
    }
    System.out.printf(
        "ROUNDTRIP %-70s updates=%d byte-exact=%d undecodable=%d%n",
        f.getFileName(), updates, exact, undecodable);
    assertTrue(exact <= updates);
  }
}
