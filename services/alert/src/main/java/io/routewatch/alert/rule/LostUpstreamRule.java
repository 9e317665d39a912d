package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A network lost one of its upstreams (AS20485 gone at 10:14:45 on 1 Oct 2017). Fires on
 * UPSTREAM_REMOVED; resolves when the upstream is back (UPSTREAM_ADDED) or after auto-resolve.
 * Nobody open-source alerts on this; Dyn did, as a service.
 */
@ApplicationScoped
public class LostUpstreamRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.LOST_UPSTREAM;
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
      case UPSTREAM_REMOVED -> {
        if (!ctx.wentDark().isEmpty()) {
          // the whole network went dark: an outage (VisibilityLoss says so), not lost links;
          // drop the still-pending losses of everything that went with it
          List<Signal> out = new ArrayList<>();
          for (long gone : ctx.wentDark()) {
            String k = Labels.of(type(), t).upstream(gone).key();
            ctx.active(k)
                .filter(a -> !a.firing())
                .ifPresent(a -> out.add(Signal.resolve(type(), k)));
          }
          return out;
        }
        // evidence: everyone who saw it during its presence (it fades VP by VP, so the last
        // report before the removal names only the last one), at its peak share
        Optional<UpstreamView> was = ctx.removed();
        long[] peers = was.map(UpstreamView::peerAsns).orElse(Labels.peers(c.getPeerAsnsList()));
        int vps = was.map(UpstreamView::vpCount).orElse(c.getVpCount());
        double share = was.map(UpstreamView::share).orElse(c.getShareBefore());
        long[] adj = Labels.adjacent(peers, t.asn(), up);
        String summary = t.display() + " lost upstream " + Fmt.as(up);
        String desc =
            t.display()
                + " is no longer reached through "
                + Fmt.as(up)
                + " since "
                + Fmt.time(c.getTimeMicros())
                + ": it carried up to "
                + Fmt.pct(share)
                + " of VP paths"
                + was.map(u -> " since " + Fmt.time(u.sinceMicros())).orElse("")
                + " and was seen by "
                + Fmt.seenBy(vps, peers, adj)
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
                new Evidence(peers, adj, vps, share),
                Map.of("network", t.display(), "upstream", Fmt.as(up))));
      }
      case UPSTREAM_ADDED -> {
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
        "Resolved: " + net + " lost upstream " + up,
        up
            + " was missing as an upstream of "
            + net
            + " "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + ".");
  }
}
