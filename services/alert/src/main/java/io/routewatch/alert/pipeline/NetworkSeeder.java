package io.routewatch.alert.pipeline;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.routewatch.alert.AlertConfig;
import io.routewatch.alert.link.StateSubscription;
import io.routewatch.alert.rule.Target;
import io.routewatch.alert.watch.WatchEntry;
import io.routewatch.alert.watch.WatchService;
import io.routewatch.alert.watch.WatchValues;
import io.routewatch.proto.v1.GetStatsRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.GetUpstreamsRequest;
import io.routewatch.proto.v1.GetUpstreamsResponse;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.proto.v1.Upstream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * First sight of a watched network without a change: state may hold its routes and report nothing
 * (it records a network silently while it warms up, an archive replay included), so the alert
 * service asks. Every {@code routewatch.alert.seed-interval}, at start and when a watch entry is
 * added, each watched ASN or country without a view is looked up with state's {@code GetUpstreams};
 * once state is warm and names upstreams — and the alert service has handled every change journaled
 * before the answer — they become the network's baseline view and the rules evaluate it (a network
 * behind one upstream is SingleHomed). A network with a view is never asked about again: the view
 * lives in PostgreSQL, so this is idempotent across restarts.
 */
@ApplicationScoped
public class NetworkSeeder {
  private static final Logger LOG = Logger.getLogger(NetworkSeeder.class);

  /** Deadline of one question to state. */
  static final long QUERY_MILLIS = 3000;

  /** How long a pass waits for the change stream to catch up with state's answer. */
  static final long CATCH_UP_MILLIS = 2000;

  @GrpcClient("state")
  Channel channel;

  @Inject WatchService watch;
  @Inject AlertPipeline pipeline;
  @Inject NetworkViewRepository views;
  @Inject StateSubscription subscription;
  @Inject AlertConfig config;

  private ScheduledExecutorService exec;

  /** State's {@link #mark} at the last pass in which it knew none of them (-1: ask anyway). */
  private volatile long quietAt = -1;

  void onStart(@Observes StartupEvent ev) {
    exec =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "network-seeder");
              t.setDaemon(true);
              return t;
            });
    long ms = Math.max(50, config.seedInterval().toMillis());
    exec.scheduleWithFixedDelay(this::safePass, 0, ms, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (exec != null) {
      exec.shutdownNow();
    }
  }

  /** A watch entry was added: look it up now rather than at the next interval. */
  void onWatchAdded(@Observes WatchService.Added added) {
    quietAt = -1;
    if (exec != null && !exec.isShutdown()) {
      exec.execute(this::safePass);
    }
  }

  private void safePass() {
    try {
      pass();
    } catch (RuntimeException e) {
      LOG.warnf("seeding watched networks failed (retried): %s", e.toString());
    }
  }

  /**
   * One look at every watched network without a view; returns how many were seeded. Public so tests
   * can run one pass at a known moment.
   */
  public synchronized int pass() {
    List<WatchEntry> unseen = unseen();
    if (unseen.isEmpty()) {
      return 0;
    }
    Optional<GetStatsResponse> stats = stats();
    if (stats.isEmpty() || !stats.get().getWarm() || mark(stats.get()) == quietAt) {
      return 0; // unreachable, still warming up (its picture is partial), or nothing new since
    }
    int seeded = 0;
    int answered = 0;
    for (WatchEntry e : unseen) {
      Target t = target(e);
      Optional<StateSeed> s = query(t);
      if (s.isEmpty()) {
        continue;
      }
      answered++;
      awaitHandled(s.get().journalSequence());
      if (pipeline.seed(t, e, s.get())) {
        seeded++;
      }
    }
    // state knew none of them: ask again only once it has applied something new
    quietAt = answered == 0 ? mark(stats.get()) : -1;
    return seeded;
  }

  /**
   * State's upstreams of {@code t} now, with the journal position after the answer; empty when
   * state is unreachable, still warming up, or names no upstream. Never inside a transaction that
   * holds the pipeline lock for long: one call is bounded by {@link #QUERY_MILLIS}.
   */
  public Optional<StateSeed> query(Target t) {
    if (!AlertPipeline.isNetwork(t)) {
      return Optional.empty();
    }
    try {
      GetUpstreamsRequest.Builder req = GetUpstreamsRequest.newBuilder();
      if (t.kind() == Target.Kind.ASN) {
        req.setAsn((int) t.asn());
      } else {
        req.setCountry(t.value());
      }
      GetUpstreamsResponse r = stub().getUpstreams(req.build());
      Optional<GetStatsResponse> after = stats();
      if (after.isEmpty() || !after.get().getWarm()) {
        return Optional.empty();
      }
      List<Upstream> present =
          r.getUpstreamsList().stream().filter(u -> u.getAsn() != 0 && u.getVpCount() > 0).toList();
      if (present.isEmpty()) {
        return Optional.empty();
      }
      long time =
          present.stream()
              .mapToLong(u -> Math.max(u.getLastSeenMicros(), u.getSinceMicros()))
              .max()
              .orElse(0);
      String country = t.kind() == Target.Kind.COUNTRY ? t.value() : r.getCountry();
      if (country.length() != 2) {
        country = ""; // state names no country for an ASN (yet)
      }
      return Optional.of(
          new StateSeed(present, country, time, after.get().getLastChangeSequence()));
    } catch (StatusRuntimeException e) {
      LOG.debugf("state's upstreams of %s not available: %s", t.value(), e.getStatus());
      return Optional.empty();
    }
  }

  /** Moves whenever state applied something (events or batches). */
  private static long mark(GetStatsResponse s) {
    return s.getEventsApplied() * 31 + s.getBatchesApplied();
  }

  private Optional<GetStatsResponse> stats() {
    try {
      return Optional.of(stub().getStats(GetStatsRequest.getDefaultInstance()));
    } catch (StatusRuntimeException e) {
      LOG.debugf("state's stats not available: %s", e.getStatus());
      return Optional.empty();
    }
  }

  private StateQueryGrpc.StateQueryBlockingStub stub() {
    return StateQueryGrpc.newBlockingStub(channel)
        .withDeadlineAfter(QUERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void awaitHandled(long sequence) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_MILLIS);
    while (subscription.position() < sequence && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private List<WatchEntry> unseen() {
    List<WatchEntry> networks =
        watch.list().stream()
            .filter(e -> e.kind() == WatchEntry.Kind.ASN || e.kind() == WatchEntry.Kind.COUNTRY)
            .toList();
    if (networks.isEmpty()) {
      return List.of();
    }
    Set<String> known = new HashSet<>();
    QuarkusTransaction.requiringNew().run(() -> known.addAll(views.targetsWithUpstreams()));
    return networks.stream().filter(e -> !known.contains(target(e).value())).toList();
  }

  static Target target(WatchEntry e) {
    Target t =
        e.kind() == WatchEntry.Kind.ASN
            ? Target.asn(WatchValues.asn(e.value()), "")
            : Target.country(e.value());
    return t.withDescription(e.description());
  }
}
