package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A watched network or country is down to one upstream: one failure away from an outage (North
 * Korea through AS4837 alone until 2017). Evaluated on every upstream change against the network's
 * upstreams after the change; fires at the baseline too, since that is the truth. Keyed by the
 * single upstream: if it changes, one alert resolves and another fires. A network going dark does
 * not resolve it (it has no second upstream; the outage is VisibilityLoss's), but a still-pending
 * one is dropped (the cascade of an outage passes through "one upstream left").
 *
 * <p>Hysteresis: it fires on exactly one upstream, and once firing only a second upstream with
 * evidence resolves it — seen by at least {@code min-peer-asns} peer ASNs (and {@code
 * min-vp-share}), the bar anything else must clear to fire. One or two VPs showing a second
 * upstream for a few minutes (noise, a route leak seen by one peer) do not resolve it, so it cannot
 * resolve and fire again when the noise ends; the clear time counts from the report that brought
 * the second upstream's evidence up to the bar. A pending one is still dropped by any second
 * upstream: while a network's baseline arrives VP by VP, its second upstream gathers peer ASNs one
 * report at a time, and that must not page the network as single-homed.
 */
@ApplicationScoped
public class SingleHomedRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.SINGLE_HOMED;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    ChangeKind k = c.getKind();
    if (k != ChangeKind.UPSTREAM_ADDED
        && k != ChangeKind.UPSTREAM_REMOVED
        && k != ChangeKind.SHARE_MOVED) {
      return List.of();
    }
    Target t = ctx.target();
    String prefix = Labels.of(type(), t).key() + "|upstream=";
    List<Signal> out = new ArrayList<>();
    UpstreamView single = single(ctx, t);
    String firingKey = null;
    if (single != null) {
      UpstreamView u = single;
      Labels l = Labels.of(type(), t).upstream(u.upstream());
      firingKey = l.key();
      long[] adj = Labels.adjacent(u.peerAsns(), t.asn(), u.upstream());
      String summary = t.display() + " is single-homed behind " + Fmt.as(u.upstream());
      String desc =
          t.display()
              + " is reached only through "
              + Fmt.as(u.upstream())
              + " ("
              + Fmt.pct(u.share())
              + " of VP paths, upstream since "
              + Fmt.time(u.sinceMicros())
              + "), seen by "
              + Fmt.seenBy(u.vpCount(), u.peerAsns(), adj)
              + ": losing it disconnects the network.";
      out.add(
          new Signal(
              type(),
              firingKey,
              true,
              l.map(),
              summary,
              desc,
              new Evidence(u.peerAsns(), adj, u.vpCount(), u.share()),
              Map.of("network", t.display(), "upstream", Fmt.as(u.upstream()))));
    }
    boolean dark = ctx.upstreams().isEmpty();
    for (ActiveAlert a : ctx.activeWithPrefix(prefix)) {
      if (dark && a.firing()) {
        // the network went dark: an outage (VisibilityLoss), not a second upstream; it still
        // depends on that one upstream when it comes back, so the page stands (one incident)
        continue;
      }
      if (!a.key().equals(firingKey)) {
        out.add(Signal.resolve(type(), a.key()));
      }
    }
    return out;
  }

  /**
   * The one upstream the network depends on, or null: the only upstream present; or, while this
   * rule's alert for an upstream still present is firing, that upstream as long as every other
   * present upstream is short of evidence (noise does not end single-homing).
   */
  private UpstreamView single(RuleContext ctx, Target t) {
    if (ctx.upstreams().size() == 1) {
      return ctx.upstreams().values().iterator().next();
    }
    Thresholds th = ctx.thresholds(type());
    UpstreamView held = null;
    for (UpstreamView u : ctx.upstreams().values()) {
      if (ctx.active(Labels.of(type(), t).upstream(u.upstream()).key())
          .filter(ActiveAlert::firing)
          .isPresent()) {
        held = u;
        break;
      }
    }
    if (held == null) {
      return null;
    }
    for (UpstreamView u : ctx.upstreams().values()) {
      if (u.upstream() == held.upstream()) {
        continue;
      }
      long[] adj = Labels.adjacent(u.peerAsns(), t.asn(), u.upstream());
      if (new Evidence(u.peerAsns(), adj, u.vpCount(), u.share()).shortOf(th).isEmpty()) {
        return null; // a second upstream with evidence: no longer single-homed
      }
    }
    return held;
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    String net = a.context().getOrDefault("network", "");
    String up = a.context().getOrDefault("upstream", "");
    return new Annotations(
        "Resolved: " + net + " is no longer single-homed behind " + up,
        net + " depended on " + up + " alone " + RuleText.span(a.startsAtMicros(), endsAt) + ".");
  }
}
