package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * A network (or a country, for international upstreams) is reached through an upstream it did not
 * have: Star JV's AS20485 on 1 Oct 2017. Fires on UPSTREAM_ADDED outside the baseline; resolves
 * when that upstream is removed again or after the auto-resolve time (it became normal).
 */
@ApplicationScoped
public class NewUpstreamRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.NEW_UPSTREAM;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    long up = RuleText.u32(c.getUpstream());
    if (up == 0) {
      return List.of();
    }
    Target t = ctx.target();
    Labels l = Labels.of(type(), t).upstream(up);
    switch (c.getKind()) {
      case UPSTREAM_ADDED, SHARE_MOVED -> {
        // SHARE_MOVED too: evidence grows after the upstream first appears (1 peer, then 5)
        UpstreamView u = ctx.upstreams().get(up);
        if (u == null
            || u.baseline()
            || (c.getKind() == ChangeKind.UPSTREAM_ADDED && ctx.baseline())) {
          return List.of(); // the upstreams a network has when we start watching are not "new"
        }
        long age = ctx.thresholds(type()).autoResolveMicros();
        if (age > 0 && c.getTimeMicros() - u.sinceMicros() >= age) {
          return List.of(); // no longer new
        }
        long[] peers = Labels.peers(c.getPeerAsnsList());
        long[] adj = Labels.adjacent(peers, t.asn(), up);
        String summary = "New upstream " + Fmt.as(up) + " for " + t.display();
        String desc =
            t.display()
                + " is reached through a new upstream "
                + Fmt.as(up)
                + " since "
                + Fmt.time(u.sinceMicros())
                + ": "
                + Fmt.pct(c.getShareAfter())
                + " of VP paths, seen by "
                + Fmt.seenBy(c.getVpCount(), peers, adj)
                + RuleText.viaPrefix(c)
                + ". Upstreams now: "
                + RuleText.upstreams(ctx.upstreams())
                + ".";
        return List.of(
            new Signal(
                type(),
                l.key(),
                true,
                l.map(),
                summary,
                desc,
                new Evidence(peers, adj, c.getVpCount(), c.getShareAfter()),
                Map.of(
                    "since",
                    Long.toString(u.sinceMicros()),
                    "network",
                    t.display(),
                    "upstream",
                    Fmt.as(up))));
      }
      case UPSTREAM_REMOVED -> {
        return List.of(Signal.resolve(type(), l.key()));
      }
      default -> {
        return List.of();
      }
    }
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    String net = a.context().getOrDefault("network", "");
    String up = a.context().getOrDefault("upstream", "");
    return new Annotations(
        "Resolved: new upstream " + up + " for " + net,
        up
            + " was a new upstream of "
            + net
            + " "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + ".");
  }
}
