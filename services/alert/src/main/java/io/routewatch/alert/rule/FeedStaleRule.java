package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * A source or VP has sent nothing for longer than its normal rhythm: without this a dead feed
 * silently means no alerts (RIS Live 1006 drops left BGPalerter users blind for days). Fires on
 * FEED_STALE, resolves on FEED_RESUMED; the feed is named by the change's typed {@code feed} field
 * (matched to a watch target by {@code WatchMatcher}).
 */
@ApplicationScoped
public class FeedStaleRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.FEED_STALE;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    if (c.getKind() != ChangeKind.FEED_STALE && c.getKind() != ChangeKind.FEED_RESUMED) {
      return List.of();
    }
    Target t = ctx.target();
    Labels l = Labels.of(type(), t);
    if (c.getKind() == ChangeKind.FEED_RESUMED) {
      return List.of(Signal.resolve(type(), l.key()));
    }
    String summary =
        "Feed " + t.value() + " is stale: no routing data since " + Fmt.time(c.getTimeMicros());
    String desc =
        "routewatch has received nothing from "
            + t.value()
            + " since "
            + Fmt.time(c.getTimeMicros())
            + (c.getVpCount() > 0
                ? " (" + c.getVpCount() + (c.getVpCount() == 1 ? " VP" : " VPs") + " affected)"
                : "")
            + ": alerts that depend on it cannot fire until it resumes.";
    return List.of(
        new Signal(
            type(),
            l.key(),
            true,
            l.map(),
            summary,
            desc,
            Evidence.NONE,
            Map.of("feed", t.value(), "since", Long.toString(c.getTimeMicros()))));
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    String feed = a.context().getOrDefault("feed", "");
    long since = RuleText.sinceMicros(a.context(), a.startsAtMicros());
    return new Annotations(
        "Resolved: feed " + feed + " resumed",
        "Feed " + feed + " was silent " + RuleText.span(since, endsAt) + ".");
  }
}
