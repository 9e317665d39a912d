package io.routewatch.alert.pipeline;

import io.routewatch.alert.link.ChangeHandler;
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
import io.routewatch.alert.watch.WatchService;
import io.routewatch.proto.v1.Change;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import org.jboss.logging.Logger;

/**
 * State's changes → alerts: watch list (is it ours?) → network view → rules → noise filter →
 * state machine (hold/clear) → outbox. Runs inside the transaction that advances the cursor.
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

  @Override
  public void handle(Change c) {
    Optional<WatchMatcher.Match> m = watch.matcher().match(c);
    if (m.isEmpty()) {
      return;
    }
    lock.lock();
    Target t = m.get().target();
    WatchEntry entry = m.get().entry();
    long darkWindow = Math.max(
        thresholds.resolve(AlertType.LOST_UPSTREAM, entry).holdMicros(), config.tickInterval().toNanos() / 1000);
    long fluxWindow = thresholds.resolve(AlertType.UPSTREAM_SHARE_SHIFT, entry).holdMicros();
    NetworkViewRepository.View view = views.apply(c, t, darkWindow, fluxWindow);
    long now = clock.nowMicros();
    long age = now - c.getTimeMicros();
    long since = age >= 0 && age <= config.liveWindow().toNanos() / 1000 ? c.getTimeMicros() : now;
    String gen = GeneratorUrls.of(config.stateUrl(), t);
    Ctx ctx = new Ctx(t, entry, view);
    for (AlertRule r : rules) {
      for (Signal s : r.evaluate(c, ctx)) {
        Thresholds th = ctx.thresholds(s.type());
        Optional<String> rejected = NoiseFilter.reject(s, th);
        if (rejected.isPresent()) {
          metrics.suppressed(s.type(), rejected.get());
          LOG.debugf("%s suppressed (%s) for change %d", s.key(), rejected.get(), c.getSequence());
          if (!rejected.get().equals("disabled")) {
            // evidence fell below the bar: a still-pending alert is dropped, a firing one kept
            machine.active(s.key()).filter(a -> !a.firing()).ifPresent(a -> machine.apply(Signal.resolve(s.type(), s.key()), th, gen, now));
          }
          continue;
        }
        LOG.debugf("%s %s (change %d %s AS%d)", s.key(), s.fire() ? "fire" : "resolve", c.getSequence(), c.getKind(),
            c.getUpstream() & 0xffffffffL);
        machine.apply(s, th, gen, now, since);
      }
    }
  }

  /** Fires and resolves what the clock says is due; its own transaction, same lock. */
  public int tick() {
    lock.lock();
    return machine.tick(clock.nowMicros());
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
      return view.shareReference() == null ? OptionalDouble.empty() : OptionalDouble.of(view.shareReference());
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
