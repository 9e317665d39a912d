package io.routewatch.state.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.StateChangesGrpc;
import io.routewatch.proto.v1.SubscribeRequest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, change streams: subscribers are capped (RESOURCE_EXHAUSTED naming the key, counted), a
 * subscriber that reads nothing holds up neither a fast one nor the journal, a resume is served
 * from the ring or, behind it, from PostgreSQL, a position emptied by retention is OUT_OF_RANGE,
 * and /web/live is capped with 503 + Retry-After. Real PostgreSQL, real gRPC and HTTP.
 */
@QuarkusTest
@TestProfile(ChangeStreamsTest.FewSubscribers.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class ChangeStreamsTest {
  public static class FewSubscribers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "routewatch.state.journal.max-subscribers", "4",
          "routewatch.web.max-live-clients", "3");
    }
  }

  @Inject ChangeJournal journal;
  @Inject ChangeStreams streams;
  @Inject MeterRegistry registry;

  @TestHTTPResource("/")
  URL base;

  final List<ManagedChannel> channels = new ArrayList<>();
  final List<Sub> open = new ArrayList<>();

  /**
   * Each subscriber on its own connection, as separate alert replicas connect: on one shared HTTP/2
   * connection a client that reads nothing would hold the connection's flow-control window and
   * stall its neighbours on the client side, which is not what these tests are about.
   */
  ManagedChannel connect() {
    ManagedChannel c =
        ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
    channels.add(c);
    return c;
  }

  @AfterEach
  void disconnect() throws Exception {
    open.forEach(Sub::cancel);
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    long deadline = System.currentTimeMillis() + 5000;
    while (streams.subscribers() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, streams.subscribers(), "cancelled subscribers free their places");
  }

  /** A subscriber that asks for {@code window} messages, then only as many as the test grants. */
  final class Sub implements ClientResponseObserver<SubscribeRequest, Change> {
    final List<Change> changes = new CopyOnWriteArrayList<>();
    final CompletableFuture<Change> greeting = new CompletableFuture<>();
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    final int window;
    volatile ClientCallStreamObserver<SubscribeRequest> call;

    Sub(long from, int window) {
      this.window = window;
      StateChangesGrpc.newStub(connect())
          .subscribe(
              SubscribeRequest.newBuilder().setFromSequence(from).setSubscriber("test").build(),
              this);
      open.add(this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> c) {
      call = c;
      if (window != Integer.MAX_VALUE) {
        c.disableAutoRequestWithInitial(window);
      }
    }

    @Override
    public void onNext(Change c) {
      if (c.getKind() == ChangeKind.HEARTBEAT) {
        greeting.complete(c);
      } else {
        changes.add(c);
      }
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK);
    }

    void cancel() {
      if (call != null) {
        call.cancel("test over", null);
      }
    }

    long greetingSequence() throws Exception {
      return greeting.get(10, TimeUnit.SECONDS).getSequence();
    }

    /** Waits until the last change received has sequence {@code seq}. */
    boolean awaitThrough(long seq, long millis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + millis;
      while (System.currentTimeMillis() < deadline) {
        if (!changes.isEmpty() && changes.get(changes.size() - 1).getSequence() >= seq) {
          return true;
        }
        Thread.sleep(10);
      }
      return false;
    }

    /** Every sequence after {@code from} once, in order. */
    void assertContiguous(long from, long through) {
      assertEquals(through - from, changes.size(), "changes received");
      for (int i = 0; i < changes.size(); i++) {
        assertEquals(from + 1 + i, changes.get(i).getSequence(), "change " + i);
      }
    }
  }

  /** Appends {@code n} changes with a {@code detailBytes} detail; returns the last sequence. */
  long append(int n, int detailBytes) throws InterruptedException {
    String detail = "x".repeat(detailBytes);
    long last = 0;
    for (int i = 0; i < n; i++) {
      last =
          journal
              .append(
                  Change.newBuilder()
                      .setKind(ChangeKind.UPSTREAM_ADDED)
                      .setAsn(64700)
                      .setUpstream(64800 + i)
                      .setTimeMicros(System.currentTimeMillis() * 1000)
                      .setDetail(detail))
              .getSequence();
    }
    assertTrue(journal.awaitCommitted(last, 30_000), "journal did not commit");
    return last;
  }

  double counter(String name) {
    return registry.find(name).counter().count();
  }

  /**
   * Stage timings: a live change handed to a subscriber is timed from its event time ({@code
   * published}), one a day old (an archive, a replay) is not; the journal write is timed from its
   * oldest change's append ({@code journaled}).
   */
  @Test
  void liveChangesAreTimedFromTheirEventTimeAndJournalWritesFromTheirAppend() throws Exception {
    Timer published = registry.get("routewatch_state_stage").tag("stage", "published").timer();
    Timer journaled = registry.get("routewatch_state_stage").tag("stage", "journaled").timer();
    Sub s = new Sub(journal.lastSequence(), Integer.MAX_VALUE);
    s.greetingSequence();
    long p0 = published.count();
    double pt0 = published.totalTime(TimeUnit.MILLISECONDS);
    long j0 = journaled.count();
    long now = System.currentTimeMillis() * 1000;
    journal.append(
        Change.newBuilder()
            .setKind(ChangeKind.UPSTREAM_ADDED)
            .setAsn(64700)
            .setUpstream(64901)
            .setTimeMicros(now - 200_000));
    long last =
        journal
            .append(
                Change.newBuilder()
                    .setKind(ChangeKind.UPSTREAM_ADDED)
                    .setAsn(64700)
                    .setUpstream(64902)
                    .setTimeMicros(now - 86_400_000_000L))
            .getSequence();
    assertTrue(journal.awaitCommitted(last, 30_000), "journal did not commit");
    assertTrue(s.awaitThrough(last, 10_000), "subscriber got both");
    assertEquals(p0 + 1, published.count(), "the live change timed, the day-old one not");
    double age = published.totalTime(TimeUnit.MILLISECONDS) - pt0;
    assertTrue(age >= 200 && age < 30_000, "timed from its event time 200 ms ago: " + age);
    assertTrue(journaled.count() > j0, "the journal write timed");
  }

  @Test
  void subscribersBeyondTheCapAreRefusedWithResourceExhausted() throws Exception {
    long last = journal.lastSequence();
    List<Sub> admitted = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      admitted.add(new Sub(last, Integer.MAX_VALUE));
    }
    for (Sub s : admitted) {
      assertEquals(last, s.greetingSequence(), "greeting heartbeat carries the position");
    }
    double refusedBefore = counter("routewatch_state_change_subscribers_refused_total");
    Sub fifth = new Sub(last, Integer.MAX_VALUE);
    Status st = fifth.ended.get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, st.getCode());
    assertTrue(
        st.getDescription().contains("routewatch.state.journal.max-subscribers"),
        st.getDescription());
    assertEquals(
        refusedBefore + 1, counter("routewatch_state_change_subscribers_refused_total"), 1e-9);
    assertEquals(4.0, registry.find("routewatch_state_change_subscribers").gauge().value(), 1e-9);
    assertEquals(
        4.0, registry.find("routewatch_state_change_subscribers_limit").gauge().value(), 1e-9);

    // a place freed is a place taken
    admitted.get(0).cancel();
    long deadline = System.currentTimeMillis() + 5000;
    while (streams.subscribers() > 3 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    Sub again = new Sub(last, Integer.MAX_VALUE);
    assertEquals(last, again.greetingSequence());
    long through = append(3, 10);
    assertTrue(again.awaitThrough(through, 10_000));
    again.assertContiguous(last, through);
  }

  @Test
  void aSubscriberThatReadsNothingHoldsUpNeitherAFastOneNorTheJournal() throws Exception {
    long from = journal.lastSequence();
    Sub slow = new Sub(from, 1); // takes its greeting and then nothing
    Sub fast = new Sub(from, Integer.MAX_VALUE);
    slow.greetingSequence();
    fast.greetingSequence();
    long t0 = System.nanoTime();
    long last = append(3000, 1000); // ~3 MB: far beyond the slow one's transport window
    assertTrue(fast.awaitThrough(last, 20_000), "the fast subscriber got everything");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    fast.assertContiguous(from, last);
    System.out.printf(
        "fast subscriber: %d changes in %d ms while the slow one holds %d%n",
        last - from, ms, slow.changes.size());
    assertTrue(slow.changes.size() < 3000, "the slow subscriber did not read");
    // the slow one reads now: everything, in order, no gap
    slow.call.request(Integer.MAX_VALUE);
    assertTrue(slow.awaitThrough(last, 20_000), "the slow subscriber caught up");
    slow.assertContiguous(from, last);
  }

  @Test
  void resumeFromTheRingAndFromPostgres() throws Exception {
    long from = journal.lastSequence();
    long last = append(ChangeStreams.RING + 600, 10); // the first 600 are behind the ring
    // behind the ring: PostgreSQL pages, then the ring, then live
    Sub db = new Sub(from, Integer.MAX_VALUE);
    assertEquals(from, db.greetingSequence());
    assertTrue(db.awaitThrough(last, 20_000));
    db.assertContiguous(from, last);
    // within the ring
    Sub ring = new Sub(last - 10, Integer.MAX_VALUE);
    assertEquals(last - 10, ring.greetingSequence());
    assertTrue(ring.awaitThrough(last, 10_000));
    ring.assertContiguous(last - 10, last);
    // both follow live changes
    long more = append(5, 10);
    assertTrue(db.awaitThrough(more, 10_000));
    assertTrue(ring.awaitThrough(more, 10_000));
    db.assertContiguous(from, more);
    ring.assertContiguous(last - 10, more);
    // beyond the journal
    Sub ahead = new Sub(more + 1, Integer.MAX_VALUE);
    assertEquals(Status.Code.OUT_OF_RANGE, ahead.ended.get(10, TimeUnit.SECONDS).getCode());
  }

  @Test
  void anEmptiedJournalRefusesOldPositionsAndStartsNewOnesAtItsEnd() throws Exception {
    long last = append(ChangeStreams.RING + 10, 10);
    QuarkusTransaction.requiringNew().run(() -> JournalEntry.deleteAll()); // retention took all
    // an old position, behind the ring: what it missed is gone
    Sub old = new Sub(last - ChangeStreams.RING - 5, Integer.MAX_VALUE);
    Status st = old.ended.get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.OUT_OF_RANGE, st.getCode());
    assertTrue(st.getDescription().contains("resubscribe from 0"), st.getDescription());
    // from 0: starts after the last sequence and follows
    Sub fresh = new Sub(0, Integer.MAX_VALUE);
    assertEquals(last, fresh.greetingSequence());
    long more = append(2, 10);
    assertTrue(fresh.awaitThrough(more, 10_000));
    fresh.assertContiguous(last, more);
  }

  @Test
  void livePagesBeyondTheCapGet503WithRetryAfter() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base.getPort() + "/web/live"))
            .header("Accept", "text/event-stream")
            .build();
    List<HttpResponse<Stream<String>>> pages = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        HttpResponse<Stream<String>> r = http.send(req, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        pages.add(r);
      }
      double before = counter("routewatch_state_web_live_clients_refused_total");
      HttpResponse<String> refused = http.send(req, HttpResponse.BodyHandlers.ofString());
      assertEquals(503, refused.statusCode());
      assertEquals("30", refused.headers().firstValue("Retry-After").orElse(""));
      assertTrue(refused.body().contains("routewatch.web.max-live-clients"), refused.body());
      assertEquals(before + 1, counter("routewatch_state_web_live_clients_refused_total"), 1e-9);
      assertEquals(3.0, registry.find("routewatch_state_web_live_clients").gauge().value(), 1e-9);
      // every followed page hears of a commit
      long last = append(1, 10);
      for (HttpResponse<Stream<String>> p : pages) {
        String tick =
            p.body()
                .filter(l -> l.startsWith("data:") && l.contains("\"sequence\":" + last))
                .findFirst()
                .orElseThrow();
        assertTrue(tick.contains("\"keepAlive\":false"), tick);
      }
    } finally {
      pages.forEach(p -> p.body().close());
    }
  }
}
