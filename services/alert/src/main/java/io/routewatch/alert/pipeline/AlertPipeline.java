package io.routewatch.alert.pipeline;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.routewatch.alert.AlertConfig;
import io.routewatch.alert.link.AlertCursor;
import io.routewatch.alert.link.ChangeHandler;
import io.routewatch.alert.link.StateSubscription;
import io.routewatch.alert.metrics.AlertMetrics;
import io.routewatch.alert.rule.ActiveAlert;
import io.routewatch.alert.rule.AlertRule;
import io.routewatch.alert.rule.AlertType;
import io.routewatch.alert.rule.RuleContext;
import io.routewatch.alert.rule.Signal;
import io.routewatch.alert.rule.Target;
import io.routewatch.alert.rule.Thresholds;
import io.routewatch.alert.rule.UpstreamView;
import io.routewatch.alert.watch.WatchEntry;
import io.routewatch.alert.watch.WatchMatcher;
import io.routewatch.alert.watch.WatchOverrides;
import io.routewatch.alert.watch.WatchService;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.Upstream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SortedMap;
import org.jboss.logging.Logger;

/**
 * State's changes → alerts: watch list (is it ours?) → network view → rules → noise filter → state
 * machine (hold/clear) → outbox. Runs inside the transaction that advances the cursor.
 */
@ApplicationScoped
public class AlertPipeline implements ChangeHandler {
  private static final Logger LOG = Logger.getLogger(AlertPipeline.class);

  @Inject WatchService watch;
  @Inject NetworkViewRepository views;
  @Inject Instance<AlertRule> rules;
  @Inject ThresholdResolver thresholds;
  @Inject AlertStateMachine machine;
  @Inject AlertClock clock;
  @Inject AlertConfig config;
  @Inject AlertMetrics metrics;
  @Inject PipelineLock lock;
  @Inject NetworkSeeder seeder;
  @Inject StateSubscription subscription;

  /** The rule beans, looked up once (an {@link Instance} resolves them on every iteration). */
  private volatile List<AlertRule> ruleList;

  private List<AlertRule> rules() {
    List<AlertRule> l = ruleList;
    if (l == null) {
      l = rules.stream().toList();
      ruleList = l;
    }
    return l;
  }

  @Override
  public void handle(Change c) {
    handleAll(List.of(c));
  }

  /**
   * A batch of changes in sequence order, in the caller's transaction. The watch list is matched in
   * memory; state is asked about networks without a view before the pipeline lock is taken (as for
   * one change); then, under the lock, the views of every network the batch touches are read in a
   * few queries and the changes run against them in memory (see {@link TxCache}): the rows written
   * go out in one flush at commit.
   */
  @Override
  public void handleAll(List<Change> changes) {
    Map<String, Target> networks = new LinkedHashMap<>();
    for (Change c : changes) {
      watch
          .matcher()
          .match(c)
          .map(WatchMatcher.Match::target)
          .filter(AlertPipeline::isNetwork)
          .ifPresent(t -> networks.putIfAbsent(t.value(), t));
    }
    Map<String, Optional<StateSeed>> seeds = new HashMap<>();
    if (!networks.isEmpty()) {
      Set<String> viewed = views.withUpstreams(networks.keySet());
      for (Map.Entry<String, Target> e : networks.entrySet()) {
        if (!viewed.contains(e.getKey())) {
          seeds.put(e.getKey(), seeder.query(e.getValue()));
        }
      }
    }
    lock.lock();
    views.preload(networks.keySet());
    for (Change c : changes) {
      try {
        handleMatched(c, seeds);
      } finally {
        subscription.handledUpTo(since(c, clock.nowMicros()));
      }
    }
  }

  /** When hold and clear times of what {@code c} causes start: its own time when it is live. */
  private long since(Change c, long now) {
    long age = now - c.getTimeMicros();
    return age >= 0 && age <= config.liveWindow().toNanos() / 1000 ? c.getTimeMicros() : now;
  }

  private void handleMatched(Change c, Map<String, Optional<StateSeed>> seeds) {
    Optional<WatchMatcher.Match> m = watch.matcher().match(c);
    if (m.isEmpty()) {
      return;
    }
    Target t = m.get().target();
    WatchEntry entry = m.get().entry();
    // First sight of a network: state's current upstreams are its baseline, not this change —
    // unless state's answer is newer than this change (the journal went on meanwhile: a replay).
    // State was asked before the lock; a network that lost its view since is asked now.
    Optional<StateSeed> seed = Optional.empty();
    if (isNetwork(t) && !views.hasUpstreams(t.value())) {
      Target q = t;
      seed =
          seeds
              .computeIfAbsent(t.value(), k -> seeder.query(q))
              .filter(s -> s.journalSequence() <= c.getSequence());
    }
    lock.lock();
    if (seed.isPresent() && !views.hasUpstreams(t.value())) {
      seedView(t, entry, seed.get());
    }
    t = views.identity(t);
    long darkWindow =
        Math.max(
            thresholds.resolve(AlertType.LOST_UPSTREAM, entry).holdMicros(),
            config.tickInterval().toNanos() / 1000);
    long fluxWindow = thresholds.resolve(AlertType.UPSTREAM_SHARE_SHIFT, entry).holdMicros();
    NetworkViewRepository.View view = views.apply(c, t, darkWindow, fluxWindow);
    evaluate(c, t, entry, view);
  }

  static boolean isNetwork(Target t) {
    return t.kind() == Target.Kind.ASN || t.kind() == Target.Kind.COUNTRY;
  }

  /**
   * Seeds a watched network's view from state's answer when it has none yet (its own transaction;
   * the caller asked state outside it). False when it has one already, or when changes up to the
   * answer's journal position are not all handled yet (they come first).
   */
  public boolean seed(Target t, WatchEntry entry, StateSeed s) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              lock.lock();
              if (views.hasUpstreams(t.value())) {
                return false; // it has a view (a target row alone, from a visibility change, is not
                // one)
              }
              AlertCursor cur = AlertCursor.findById(StateSubscription.SUBSCRIBER);
              long handled = cur == null ? 0 : cur.sequence;
              if (handled < s.journalSequence()) {
                return false;
              }
              seedView(t, entry, s);
              return true;
            });
  }

  /** Writes the seeded view and evaluates the rules on it: one UPSTREAM_ADDED per upstream. */
  private void seedView(Target t, WatchEntry entry, StateSeed s) {
    String country =
        t.kind() == Target.Kind.COUNTRY
            ? t.value()
            : t.country().isEmpty() ? s.country() : t.country();
    Target named = new Target(t.kind(), t.value(), t.asn(), country, t.description());
    SortedMap<Long, UpstreamView> ups = views.seed(named, country.isEmpty() ? null : country, s);
    LOG.infof("%s seeded from state: upstreams %s", t.value(), ups.keySet());
    NetworkViewRepository.View view = new NetworkViewRepository.View(ups, true);
    for (Upstream u : s.upstreams()) {
      Change.Builder b =
          Change.newBuilder()
              .setKind(ChangeKind.UPSTREAM_ADDED)
              .setTimeMicros(s.timeMicros())
              .setAsn((int) named.asn())
              .setCountry(country)
              .setUpstream(u.getAsn())
              .setShareAfter(u.getVpShare())
              .setVpCount(u.getVpCount())
              .addAllPeerAsns(u.getPeerAsnsList())
              .setDetail("seeded from state");
      evaluate(b.build(), named, entry, view);
    }
  }

  private void evaluate(Change c, Target t, WatchEntry entry, NetworkViewRepository.View view) {
    long now = clock.nowMicros();
    long since = since(c, now);
    // timers fall due only as far as the stream is handled (this change included)
    long dueBy = Math.min(now, Math.max(subscription.handledThroughMicros(), since));
    String gen = GeneratorUrls.of(config.stateUrl(), t);
    Ctx ctx = new Ctx(t, entry, view);
    for (AlertRule r : rules()) {
      for (Signal s : r.evaluate(c, ctx)) {
        Thresholds th = ctx.thresholds(s.type());
        Optional<String> rejected = NoiseFilter.reject(s, th);
        if (rejected.isPresent()) {
          metrics.suppressed(s.type(), rejected.get());
          LOG.debugf("%s suppressed (%s) for change %d", s.key(), rejected.get(), c.getSequence());
          if (!rejected.get().equals("disabled")) {
            // evidence fell below the bar: a still-pending alert is dropped, a firing one kept
            machine
                .active(s.key())
                .filter(a -> !a.firing())
                .ifPresent(
                    a ->
                        machine.apply(Signal.resolve(s.type(), s.key()), th, gen, now, now, dueBy));
          }
          continue;
        }
        LOG.debugf(
            "%s %s (change %d %s AS%d)",
            s.key(),
            s.fire() ? "fire" : "resolve",
            c.getSequence(),
            c.getKind(),
            c.getUpstream() & 0xffffffffL);
        // a hijack (an RPKI-invalid route) starts when the foreign route was first seen (event
        // time), also when the change
        // arrives late (an archive replay, a catch-up after a restart): that moment is the fact
        machine.apply(
            s,
            th,
            gen,
            now,
            s.type() == AlertType.HIJACK || s.type() == AlertType.RPKI_INVALID
                ? Math.min(c.getTimeMicros(), now)
                : since,
            dueBy);
      }
    }
  }

  /**
   * Fires and resolves what the clock says is due; its own transaction, same lock. Due means by the
   * clock and by the stream: a timer that falls due after the last change handled waits while
   * changes are still on their way (a burst being worked off), so the change that cancels it (the
   * last upstream of an outage going, a recovery) is handled first, whatever the backlog.
   */
  public int tick() {
    lock.lock();
    long now = clock.nowMicros();
    return machine.tick(now, Math.min(now, subscription.handledThroughMicros()));
  }

  private final class Ctx implements RuleContext {
    private final Target target;
    private final WatchEntry entry;
    private final NetworkViewRepository.View view;

    Ctx(Target target, WatchEntry entry, NetworkViewRepository.View view) {
      this.target = target;
      this.entry = entry;
      this.view = view;
    }

    @Override
    public Target target() {
      return target;
    }

    @Override
    public Thresholds thresholds(AlertType type) {
      return thresholds.resolve(type, entry);
    }

    @Override
    public SortedMap<Long, UpstreamView> upstreams() {
      return view.upstreams();
    }

    @Override
    public boolean baseline() {
      return view.baseline();
    }

    @Override
    public List<Long> wentDark() {
      return view.wentDark();
    }

    @Override
    public Optional<UpstreamView> removed() {
      return Optional.ofNullable(view.removed());
    }

    @Override
    public OptionalDouble shareReference() {
      return view.shareReference() == null
          ? OptionalDouble.empty()
          : OptionalDouble.of(view.shareReference());
    }

    @Override
    public boolean hasPrefixList() {
      return target.kind() == Target.Kind.ASN && watch.matcher().listsPrefixesOf(target.asn());
    }

    @Override
    public long[] shareReferencePeers() {
      return view.shareReferencePeers().clone();
    }

    @Override
    public Set<Long> allowedNeighbors(String side) {
      return entry == null ? Set.of() : WatchOverrides.neighbors(entry.overrides(), side);
    }

    @Override
    public Optional<ActiveAlert> active(String key) {
      return machine.active(key);
    }

    @Override
    public List<ActiveAlert> activeWithPrefix(String keyPrefix) {
      return machine.activeWithPrefix(keyPrefix);
    }
  }
}
