package io.routewatch.alert.link;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.routewatch.alert.rule.IpPrefix;
import io.routewatch.alert.watch.WatchEntry;
import io.routewatch.alert.watch.WatchService;
import io.routewatch.alert.watch.WatchValues;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.Prefix;
import io.routewatch.proto.v1.SetWatchedSpaceRequest;
import io.routewatch.proto.v1.SetWatchedSpaceResponse;
import io.routewatch.proto.v1.StateChangesGrpc;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Tells state the watched space (the watch list's PREFIX and ASN entries) with SetWatchedSpace:
 * state reports prefixes announced and gone everywhere for that space only, so the hijack rule sees
 * what it needs and a full table costs no change. Sent before every subscription to the change
 * stream (a restarted state starts with nothing watched) and after every watch-list change (on a
 * thread of its own, edits coalesced); each call carries the whole list, so the last one sent is
 * what state holds. A failure is logged and counted; the next (re)connect sends it again.
 */
@ApplicationScoped
public class WatchedSpaceSync {
  private static final Logger LOG = Logger.getLogger(WatchedSpaceSync.class);

  /** How long one call may take (state scans its prefix table for the prefixes that entered). */
  static final long DEADLINE_SECONDS = 30;

  @GrpcClient("state")
  Channel channel;

  @Inject WatchService watch;
  @Inject MeterRegistry registry;

  /** Sends on its own thread: an edit never waits for state (nor blocks a gRPC event loop). */
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "watched-space");
            t.setDaemon(true);
            return t;
          });

  /** A send is queued and has not started: a later edit rides on it (it reads the list then). */
  private final AtomicBoolean queued = new AtomicBoolean();

  void onWatchChanged(@Observes WatchService.Changed changed) {
    if (queued.compareAndSet(false, true)) {
      sender.execute(
          () -> {
            queued.set(false);
            push();
          });
    }
  }

  @PreDestroy
  void stop() {
    sender.shutdownNow();
  }

  /**
   * Sends the watch list's space to state; false (logged, counted) when state did not take it.
   * Synchronized: concurrent edits send in turn, the last with the latest list.
   */
  public synchronized boolean push() {
    SetWatchedSpaceRequest req = request(watch.list());
    try {
      SetWatchedSpaceResponse r =
          StateChangesGrpc.newBlockingStub(channel)
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .setWatchedSpace(req);
      registry.counter("routewatch_alert_watched_space_pushes_total", "result", "ok").increment();
      LOG.debugf(
          "watched space sent: %d prefixes, %d ASes; %d announced prefixes entered it",
          r.getPrefixes(), r.getAsns(), r.getReported());
      return true;
    } catch (RuntimeException e) {
      registry
          .counter("routewatch_alert_watched_space_pushes_total", "result", "failed")
          .increment();
      Status s = Status.fromThrowable(e);
      if (s.getCode() == Status.Code.UNAVAILABLE) {
        LOG.debugf("watched space not sent (state unreachable): %s", s);
      } else {
        LOG.warnf(
            "watched space not sent: %s (PERMISSION_DENIED: the alert service needs the admin"
                + " token for state; without it state reports no prefix announcements and Hijack"
                + " cannot fire)",
            s);
      }
      return false;
    }
  }

  /** The request for a watch list: its PREFIX entries' prefixes and ASN entries' ASes. */
  static SetWatchedSpaceRequest request(List<WatchEntry> entries) {
    SetWatchedSpaceRequest.Builder b = SetWatchedSpaceRequest.newBuilder();
    for (WatchEntry e : entries) {
      switch (e.kind()) {
        case PREFIX -> {
          IpPrefix p = IpPrefix.parse(e.value());
          byte[] a = p.address();
          b.addPrefixes(
              Prefix.newBuilder()
                  .setAfi(a.length == 16 ? Afi.IPV6 : Afi.IPV4)
                  .setAddress(ByteString.copyFrom(a, 0, (p.length() + 7) / 8))
                  .setLength(p.length()));
        }
        case ASN -> b.addAsns((int) WatchValues.asn(e.value()));
        default -> {}
      }
    }
    return b.build();
  }
}
