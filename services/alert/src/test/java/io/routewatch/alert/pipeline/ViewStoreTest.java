package io.routewatch.alert.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.alert.rule.Target;
import io.routewatch.alert.support.Changes;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The network views held across transactions ({@link ViewStore}) against real PostgreSQL: what a
 * committed transaction changed is in the tables, a rolled-back one leaves neither the tables nor
 * the memory changed, and rows the memory forgets are deleted. Each test uses its own network.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class ViewStoreTest {
  private static final long T0 = Changes.micros("2026-01-01T00:00:00Z");
  private static final long HOUR = 3_600_000_000L;

  @Inject NetworkViewRepository views;
  @Inject PipelineLock lock;
  @Inject ViewStore store;

  static <T> T tx(Supplier<T> s) {
    return QuarkusTransaction.requiringNew().call(s::get);
  }

  static Target asn(long asn) {
    return new Target(Target.Kind.ASN, "AS" + asn, asn, "NL", "");
  }

  /** Applies the change under the pipeline lock in the caller's transaction. */
  NetworkViewRepository.View apply(Change c, Target t) {
    lock.lock();
    return views.apply(c, t, 0, 0);
  }

  static Change up(
      ChangeKind kind, long time, long asn, long upstream, double before, double after) {
    return Changes.upstream(kind, time, asn, "NL", null, upstream, before, after, 10, 64496);
  }

  static NetworkUpstreamEntity row(String target, long up) {
    return tx(
        () ->
            NetworkUpstreamEntity.<NetworkUpstreamEntity>find(
                    "target = ?1 and upstream = ?2", target, up)
                .firstResult());
  }

  @Test
  void committedChangesAreWrittenAndRolledBackOnesForgotten() {
    Target t = asn(64700);
    tx(() -> apply(up(ChangeKind.UPSTREAM_ADDED, T0, 64700, 174, 0, 0.5), t));
    tx(() -> apply(up(ChangeKind.UPSTREAM_ADDED, T0 + 1, 64700, 3356, 0, 0.5), t));
    assertEquals(0.5, row("AS64700", 174).share);
    NetworkTargetEntity nt = tx(() -> NetworkTargetEntity.<NetworkTargetEntity>findById("AS64700"));
    assertNotNull(nt);
    assertEquals(T0 + 1, nt.setChangedAt);

    tx(() -> apply(up(ChangeKind.SHARE_MOVED, T0 + 2, 64700, 174, 0.5, 0.8), t));
    NetworkUpstreamEntity moved = row("AS64700", 174);
    assertEquals(0.8, moved.share);
    assertEquals(0.8, moved.peakShare);

    // a transaction that fails after changing the view: neither the table nor the next
    // transaction's view holds its change
    assertThrows(
        IllegalStateException.class,
        () ->
            tx(
                () -> {
                  apply(up(ChangeKind.SHARE_MOVED, T0 + 3, 64700, 174, 0.8, 0.1), t);
                  apply(up(ChangeKind.UPSTREAM_REMOVED, T0 + 3, 64700, 3356, 0.5, 0), t);
                  throw new IllegalStateException("rolled back on purpose");
                }));
    assertEquals(0.8, row("AS64700", 174).share);
    assertTrue(row("AS64700", 3356).present);
    NetworkViewRepository.View v =
        tx(() -> apply(up(ChangeKind.SHARE_MOVED, T0 + 4, 64700, 3356, 0.5, 0.6), t));
    assertEquals(List.of(174L, 3356L), List.copyOf(v.upstreams().keySet()));
    assertEquals(0.8, v.upstreams().get(174L).share(), "not the rolled-back 0.1");
    assertEquals(0.6, row("AS64700", 3356).share);
  }

  @Test
  void anUpstreamForgottenInMemoryIsDeletedFromTheTable() {
    Target t = asn(64701);
    tx(() -> apply(up(ChangeKind.UPSTREAM_ADDED, T0, 64701, 174, 0, 0.5), t));
    tx(() -> apply(up(ChangeKind.UPSTREAM_ADDED, T0, 64701, 1299, 0, 0.5), t));
    tx(() -> apply(up(ChangeKind.UPSTREAM_REMOVED, T0 + 1, 64701, 1299, 0.5, 0), t));
    NetworkUpstreamEntity gone = row("AS64701", 1299);
    assertFalse(gone.present);
    assertEquals(T0 + 1, gone.removedAt);
    // long after (beyond the upstream memory), the next removal forgets it
    long later = T0 + 24 * 400 * HOUR;
    tx(() -> apply(up(ChangeKind.UPSTREAM_REMOVED, later, 64701, 174, 0.5, 0), t));
    assertNull(row("AS64701", 1299));
    assertFalse(row("AS64701", 174).present);
  }

  @Test
  void aNetworkDroppedFromMemoryIsReadAgainAsCommitted() {
    int was = store.capacity(1);
    try {
      Target a = asn(64702);
      Target b = asn(64703);
      tx(() -> apply(up(ChangeKind.UPSTREAM_ADDED, T0, 64702, 174, 0, 0.5), a));
      tx(() -> apply(up(ChangeKind.UPSTREAM_ADDED, T0, 64703, 174, 0, 0.5), b));
      assertEquals(1, store.size(), "the older network went");
      NetworkViewRepository.View v =
          tx(() -> apply(up(ChangeKind.SHARE_MOVED, T0 + 1, 64702, 174, 0.5, 0.7), a));
      assertEquals(0.5, v.shareReference(), "its reference share came back from PostgreSQL");
      assertEquals(0.7, row("AS64702", 174).share);
      assertEquals(0.7, row("AS64702", 174).peakShare);
    } finally {
      store.capacity(was);
    }
  }
}
