package io.routewatch.bgp.fuzz;

import io.routewatch.bgp.TestData;
import io.routewatch.bgp.mrt.Bgp4mpMessage;
import io.routewatch.bgp.mrt.MrtReader;
import io.routewatch.bgp.mrt.MrtRecord;
import io.routewatch.bgp.mrt.MrtType;
import io.routewatch.bgp.wire.ByteReader;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Cuts fuzz seeds out of the shared corpus: for each file, the first small record of every (type,
 * subtype) as a one-record MRT stream, its BGP message, and its attribute field. Run by hand:
 * {@code java ... SeedExtractor src/test/resources/fuzz}. Seeds stay under 4 KiB.
 */
public final class SeedExtractor {
  private SeedExtractor() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    for (String d : new String[] {"bgp", "attrs", "mrt"}) Files.createDirectories(out.resolve(d));
    for (Path f : TestData.mrtFilesWithReference()) {
      String stem = f.getFileName().toString().replaceAll("[^A-Za-z0-9]+", "_");
      Set<String> seen = new HashSet<>();
      try (MrtReader r = MrtReader.open(f, MrtReader.Mode.LENIENT)) {
        int scanned = 0;
        for (MrtRecord rec : r) {
          if (++scanned > 20000) break;
          String key = rec.type() + "_" + rec.subtype();
          if (rec.length() > 3000 || !seen.add(key)) continue;
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          int len = rec.length() + (rec.type() == MrtType.BGP4MP_ET ? 4 : 0);
          b.write(
              new byte[] {
                (byte) (rec.timestamp() >>> 24),
                (byte) (rec.timestamp() >>> 16),
                (byte) (rec.timestamp() >>> 8),
                (byte) rec.timestamp(),
                (byte) (rec.type() >>> 8),
                (byte) rec.type(),
                (byte) (rec.subtype() >>> 8),
                (byte) rec.subtype(),
                (byte) (len >>> 24),
                (byte) (len >>> 16),
                (byte) (len >>> 8),
                (byte) len
              });
          if (rec.type() == MrtType.BGP4MP_ET) {
            int m = rec.microseconds();
            b.write(new byte[] {(byte) (m >>> 24), (byte) (m >>> 16), (byte) (m >>> 8), (byte) m});
          }
          b.write(rec.body());
          Files.write(out.resolve("mrt").resolve(stem + "-" + key + ".bin"), b.toByteArray());
          if (MrtType.isBgp4mp(rec.type()) && MrtType.isBgp4mpMessage(rec.subtype())) {
            try {
              Bgp4mpMessage m = Bgp4mpMessage.of(rec);
              byte[] msg = m.messageBytes();
              int sess = (m.as4() ? 1 : 0) | (m.addPath() ? 2 : 0);
              byte[] seed = new byte[msg.length + 1];
              seed[0] = (byte) sess;
              System.arraycopy(msg, 0, seed, 1, msg.length);
              Files.write(out.resolve("bgp").resolve(stem + "-" + key + ".bin"), seed);
              if (msg.length > 23 && msg[18] == 2) {
                ByteReader br = new ByteReader(msg, 19, msg.length - 19);
                br.skip(br.u16());
                int alen = br.u16();
                if (alen <= br.remaining()) {
                  byte[] a = new byte[alen + 1];
                  a[0] = (byte) sess;
                  System.arraycopy(msg, br.position(), a, 1, alen);
                  Files.write(out.resolve("attrs").resolve(stem + "-" + key + ".bin"), a);
                }
              }
            } catch (RuntimeException ignored) {
              // damaged record: still a good MRT seed
            }
          }
        }
      }
    }
  }
}
