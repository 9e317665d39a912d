package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * A watched prefix, network or country is seen by too few full-feed VPs: an outage (North Korea 22
 * Dec 2014, ~9.5 h). Fires on OUTAGE_OPENED or on VISIBILITY_CROSSED at or below the threshold;
 * resolves on OUTAGE_CLOSED or visibility back above it, and the resolve message carries how long
 * the outage lasted.
 */
@ApplicationScoped
public class VisibilityLossRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.VISIBILITY_LOSS;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    ChangeKind k = c.getKind();
    if (k != ChangeKind.VISIBILITY_CROSSED
        && k != ChangeKind.OUTAGE_OPENED
        && k != ChangeKind.OUTAGE_CLOSED) {
      return List.of();
    }
    Target t = ctx.target();
    String prefix = Fmt.prefix(c.getPrefix());
    Labels l = Labels.of(type(), t).prefix(prefix);
    double threshold = ctx.thresholds(type()).visibilityThreshold();
    boolean down =
        k == ChangeKind.OUTAGE_OPENED
            || (k == ChangeKind.VISIBILITY_CROSSED
                && Thresholds.lostVisibility(c.getVisibility(), threshold));
    if (!down) {
      return List.of(Signal.resolve(type(), l.key()));
    }
    String what = prefix.isEmpty() ? t.display() : prefix + " of " + t.display();
    String summary =
        what + " lost visibility: seen by " + Fmt.pct(c.getVisibility()) + " of full-feed VPs";
    String desc =
        what
            + " is visible from only "
            + Fmt.pct(c.getVisibility())
            + " of full-feed VPs ("
            + c.getVpCount()
            + (c.getVpCount() == 1 ? " VP" : " VPs")
            + ") since "
            + Fmt.time(c.getTimeMicros())
            + ", at or below the "
            + Fmt.pct(threshold)
            + " threshold"
            + (k == ChangeKind.OUTAGE_OPENED ? "; state opened an outage" : "")
            + ".";
    return List.of(
        new Signal(
            type(),
            l.key(),
            true,
            l.map(),
            summary,
            desc,
            new Evidence(null, new long[0], c.getVpCount(), 1 - c.getVisibility()),
            Map.of("what", what, "visibility", Double.toString(c.getVisibility()))));
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    String what = a.context().getOrDefault("what", "");
    String dur = Fmt.duration(endsAt - a.startsAtMicros());
    return new Annotations(
        "Resolved: " + what + " is visible again after " + dur,
        "Outage of "
            + what
            + " "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + "; lowest reported visibility "
            + Fmt.pct(Double.parseDouble(a.context().getOrDefault("visibility", "0")))
            + ".");
  }
}
