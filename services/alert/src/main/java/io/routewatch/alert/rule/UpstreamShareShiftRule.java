package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * The share of an existing upstream moved by at least {@code share-shift-points} (TransTeleCom
 * taking ~60 % of North Korea's paths). Compared with the share before the first move, so a slow
 * drift in small steps still fires; resolves when the share is back within the band of that
 * baseline, or after auto-resolve (the new split became normal).
 */
@ApplicationScoped
public class UpstreamShareShiftRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.UPSTREAM_SHARE_SHIFT;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    long up = RuleText.u32(c.getUpstream());
    if (up == 0 || c.getKind() != io.routewatch.proto.v1.ChangeKind.SHARE_MOVED) {
      return List.of();
    }
    Target t = ctx.target();
    Labels l = Labels.of(type(), t).upstream(up);
    double points = ctx.thresholds(type()).shareShiftPoints();
    double baseline =
        ctx.active(l.key())
            .map(a -> Double.parseDouble(a.context().getOrDefault("baseline", "0")))
            .orElse(c.getShareBefore());
    double after = c.getShareAfter();
    if (Math.abs(after - baseline) + 1e-9 < points) {
      return List.of(Signal.resolve(type(), l.key()));
    }
    long[] peers = Labels.peers(c.getPeerAsnsList());
    long[] adj = Labels.adjacent(peers, t.asn(), up);
    String dir = after > baseline ? "rose" : "fell";
    String summary =
        "Share of upstream " + Fmt.as(up) + " for " + t.display() + " " + dir + " from "
            + Fmt.pct(baseline) + " to " + Fmt.pct(after);
    String desc =
        "The share of " + t.display() + "'s VP paths through " + Fmt.as(up) + " " + dir + " by "
            + Fmt.pct(Math.abs(after - baseline)).replace("%", " points") + " (" + Fmt.pct(baseline)
            + " → " + Fmt.pct(after) + ") at " + Fmt.time(c.getTimeMicros()) + "; now seen by "
            + Fmt.seenBy(c.getVpCount(), peers, adj) + ". Upstreams now: "
            + RuleText.upstreams(ctx.upstreams()) + ".";
    return List.of(
        new Signal(
            type(), l.key(), true, l.map(), summary, desc,
            new Evidence(peers, adj, c.getVpCount(), Math.abs(after - baseline)),
            Map.of(
                "baseline", Double.toString(baseline),
                "after", Double.toString(after),
                "network", t.display(),
                "upstream", Fmt.as(up))));
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    String net = a.context().getOrDefault("network", "");
    String up = a.context().getOrDefault("upstream", "");
    double base = Double.parseDouble(a.context().getOrDefault("baseline", "0"));
    return new Annotations(
        "Resolved: share of upstream " + up + " for " + net + " settled",
        "The share of " + net + "'s VP paths through " + up + " moved away from " + Fmt.pct(base)
            + " " + RuleText.span(a.startsAtMicros(), endsAt) + "; it is back near its baseline or the new split is now normal.");
  }
}
