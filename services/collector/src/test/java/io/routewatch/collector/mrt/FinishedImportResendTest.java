package io.routewatch.collector.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.publish.FakeState;
import io.routewatch.collector.publish.StateLink;
import io.routewatch.collector.publish.TestLinks;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.RouteEventBatch;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State acknowledges what it applied, not what a snapshot holds: a state that restarts from an
 * older snapshot (or none) after an import finished holds less of that stream than it acknowledged.
 * The collector keeps finished imports as their streams' sources and re-sends exactly what state
 * lost — the same batches under the same sequences — unless the file changed or the import was
 * forgotten (then it says so and counts it). Against a loopback state with state's contiguity
 * rules.
 */
class FinishedImportResendTest {
  static final Path FILE =
      MrtWatcherTest.DATA.resolve(
          "libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2");
  static final Duration WAIT = Duration.ofSeconds(30);

  final List<AutoCloseable> closing = new ArrayList<>();
  @TempDir Path tmp;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private ImportJobs jobs(FakeState state, int keepFinished) throws Exception {
    SmallRyeConfig cfg =
        TestLinks.config(
            Map.of(
                "routewatch.collector.publish.batch-size",
                "50",
                "routewatch.collector.mrt.keep-finished",
                Integer.toString(keepFinished),
                // the API's start checks the path: the corpus and this test's copies
                "routewatch.collector.mrt.import-dirs",
                MrtWatcherTest.DATA + "," + tmp));
    StateLink link = TestLinks.unsharded(cfg, state.port(), closing);
    ImportJobs jobs = new ImportJobs();
    jobs.link = link;
    jobs.config = cfg.getConfigMapping(CollectorConfig.class);
    jobs.registry = new SimpleMeterRegistry();
    jobs.metrics();
    closing.add(() -> jobs.onStop(null));
    return jobs;
  }

  @Test
  void aStateThatLostBatchesOfAFinishedImportGetsExactlyThoseAgain() throws Exception {
    FakeState state = new FakeState("state");
    closing.add(state);
    ImportJobs jobs = jobs(state, 10);
    ImportJobRun first = jobs.start(FILE.toString(), 0, "rv-test");
    await("the import DONE", () -> first.state() == ImportState.DONE);
    String stream = first.streamId();
    long last = state.position(stream);
    assertTrue(last > 20, "batches of the file: " + last);
    Map<Long, RouteEventBatch> original = batches(state, stream);

    state.restart(stream, 7); // back from a snapshot that held 7 batches of it
    ImportJobRun resend = awaitResend(jobs, first);
    await("the re-send DONE", () -> resend.state() == ImportState.DONE);
    assertEquals(last, state.position(stream), "state holds the whole stream again");
    assertEquals(0, state.gaps(), "sequences stayed contiguous");
    assertEquals(original, batches(state, stream), "the same batches under the same sequences");
    assertEquals(stream, resend.streamId());
    assertEquals(first, resend.resendOf());
    assertEquals(
        1.0, jobs.registry.get("routewatch_collector_mrt_resends_total").counter().count());

    // The re-send is now the stream's source: a second loss is re-sent again (here: everything).
    state.restart(stream, 0);
    ImportJobRun again = awaitResend(jobs, resend);
    await("the second re-send DONE", () -> again.state() == ImportState.DONE);
    assertEquals(original, batches(state, stream));
    assertEquals(0, state.gaps());
  }

  @Test
  void aChangedFileIsNotReSentAndTheJobSaysWhy() throws Exception {
    Path copy = Files.copy(FILE, tmp.resolve("updates.bz2"));
    FakeState state = new FakeState("state");
    closing.add(state);
    ImportJobs jobs = jobs(state, 10);
    ImportJobRun first = jobs.start(copy.toString(), 0, "rv-test");
    await("the import DONE", () -> first.state() == ImportState.DONE);
    Files.setLastModifiedTime(
        copy, FileTime.fromMillis(Files.getLastModifiedTime(copy).toMillis() + 60_000));

    state.restart(first.streamId(), 3);
    ImportJobRun resend = awaitResend(jobs, first);
    await("the re-send ended", resend::finished);
    assertEquals(ImportState.FAILED, resend.state());
    String error = resend.toProto().getErrors(0).getMessage();
    assertTrue(error.contains("the file changed since it was imported"), error);
    assertEquals(3, state.position(first.streamId()), "nothing of another file was sent");
  }

  @Test
  void onlyTheNewestFinishedImportsAreKept() throws Exception {
    FakeState state = new FakeState("state");
    closing.add(state);
    ImportJobs jobs = jobs(state, 1);
    ImportJobRun older = jobs.start(FILE.toString(), 0, "rv-a");
    await("the first import DONE", () -> older.state() == ImportState.DONE);
    ImportJobRun newer = jobs.start(FILE.toString(), 0, "rv-b");
    await(
        "the second import kept, the first forgotten",
        () -> jobs.keeps(newer) && !jobs.keeps(older));
    assertNotEquals(older.streamId(), newer.streamId());

    state.restart(older.streamId(), 0);
    SimpleMeterRegistry linkMetrics = TestLinks.registry(jobs.link);
    await(
        "the forgotten import counted as lost",
        () ->
            linkMetrics.find("routewatch_collector_streams_lost_total").counter() != null
                && linkMetrics.get("routewatch_collector_streams_lost_total").counter().count()
                    == 1.0);
    // The link reads state's positions before it opens its publish call: a restart between the two
    // would leave it reconciled against positions from before the restart. A restarted real state
    // is a new process, which fails that call; the fake must be let finish the reconnect first.
    await("the link's new publish call", () -> state.openCalls() > 0);
    state.restart(newer.streamId(), 0);
    ImportJobRun resend = awaitResend(jobs, newer);
    await("the kept import re-sent", () -> resend.state() == ImportState.DONE);
    assertTrue(
        jobs.all().stream().noneMatch(j -> j.resendOf() == older),
        "the forgotten import was re-sent");
  }

  private static ImportJobRun awaitResend(ImportJobs jobs, ImportJobRun of)
      throws InterruptedException {
    Optional<ImportJobRun>[] found = new Optional[] {Optional.empty()};
    await(
        "a re-send of " + of.id(),
        () ->
            (found[0] = jobs.all().stream().filter(j -> j.resendOf() == of).findFirst())
                .isPresent());
    return found[0].get();
  }

  private static Map<Long, RouteEventBatch> batches(FakeState state, String stream) {
    Map<Long, RouteEventBatch> out = new TreeMap<>();
    for (RouteEventBatch b : state.applied()) {
      if (b.getStreamId().equals(stream)) {
        out.put(b.getSequence(), b);
      }
    }
    return out;
  }

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    TestLinks.await(what, WAIT, done);
  }
}
