package io.routewatch.collector.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.publish.StateLink;
import io.routewatch.proto.v1.RouteEventBatch;
import jakarta.enterprise.inject.Vetoed;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A job stopped in the middle of its file (the collector shutting down: {@link ImportJobs}
 * interrupts its thread) must send only batches that are the file's own batches at their sequence
 * numbers. A watched file is imported again after the restart under the same stream id and state
 * skips every sequence it holds, so a batch cut short by the stop (the interrupted file channel
 * reads as a truncated archive) would lose the rest of that batch, and its end-of-stream flag would
 * end the archive's tables early.
 */
@QuarkusTest
@TestProfile(MrtWatcherTest.Watching.class)
class ImportJobRunTest {
  static final Path FILE = MrtWatcherTest.DATA.resolve("ripe-bgpdump/updates.et-header.2015.gz");

  @Inject CollectorConfig config;
  @Inject MeterRegistry registry;

  /**
   * Takes every batch at once (a state that acknowledges everything); keeps a digest per sequence.
   */
  @Vetoed // not a bean: StateLink's scope is inherited
  static final class RecordingLink extends StateLink {
    final Map<Long, String> digests = new ConcurrentHashMap<>();
    final Map<Long, Boolean> ends = new ConcurrentHashMap<>();

    @Override
    public void send(RouteEventBatch b) {
      try {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toByteArray());
        digests.put(b.getSequence(), java.util.HexFormat.of().formatHex(d));
        ends.put(b.getSequence(), b.getEndOfStream());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public boolean awaitAcknowledged(String streamId, long sequence, Duration timeout) {
      return true;
    }

    @Override
    public long acknowledged(String streamId) {
      return 0;
    }
  }

  @Test
  void aJobStoppedMidFileSendsOnlyTheFilesOwnBatches() throws Exception {
    RecordingLink full = new RecordingLink();
    ImportJobRun whole =
        new ImportJobRun("t-full", FILE, 0, "t", "t/watch/s", full, config, registry);
    whole.run();
    assertEquals(io.routewatch.proto.v1.ImportState.DONE, whole.state());
    int batches = full.digests.size();
    assertTrue(batches > 100, "batches of the whole file: " + batches);

    for (int attempt = 0; attempt < 3; attempt++) {
      RecordingLink cut = new RecordingLink();
      ImportJobRun job =
          new ImportJobRun("t-cut-" + attempt, FILE, 0, "t", "t/watch/s", cut, config, registry);
      Thread t = new Thread(job::run, "mrt-import-test");
      t.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (cut.digests.size() < 10 + 20 * attempt
          && t.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      t.interrupt(); // what ImportJobs does on shutdown (shutdownNow)
      t.join(30_000);
      assertFalse(t.isAlive(), "job did not stop");
      assertTrue(job.interrupted(), "job not marked interrupted: " + job.toProto());
      assertTrue(cut.digests.size() < batches, "the job was not stopped mid-file");
      for (Map.Entry<Long, String> e : cut.digests.entrySet()) {
        long seq = e.getKey();
        assertNotNull(full.digests.get(seq), "sequence " + seq);
        assertEquals(
            full.digests.get(seq),
            e.getValue(),
            "batch "
                + seq
                + " sent by the stopped job is not the file's batch "
                + seq
                + " (end of stream: "
                + cut.ends.get(seq)
                + ")");
        assertFalse(
            cut.ends.get(seq), "the stopped job sent batch " + seq + " as the end of the stream");
      }
    }
  }
}
