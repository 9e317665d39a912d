package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A watched prefix, network or country is seen by too few full-feed VPs: an outage (North Korea 22
 * Dec 2014, ~9.5 h). Fires on OUTAGE_OPENED or on VISIBILITY_CROSSED at or below the threshold;
 * resolves on OUTAGE_CLOSED or visibility back above it, and the resolve message carries how long
 * the outage lasted.
 *
 * <p>A lost prefix that state reports with a {@code covering_prefix} (a less-specific of the same
 * origin that stays visible: the network is still reached through it, as when a more-specific is
 * withdrawn for traffic engineering) fires with severity {@value #COVERED_SEVERITY}, not the
 * type's: it is news, not an outage to page for. The severity is set while the alert is pending, so
 * a cover lost within the hold time makes it fire with the type's severity.
 */
@ApplicationScoped
public class VisibilityLossRule implements AlertRule {
  /** The severity of a lost prefix that a visible less-specific of its origin still covers. */
  public static final String COVERED_SEVERITY = "warning";

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
    String subjectKey = Labels.of(type(), t).key();
    boolean underSubject = !prefix.isEmpty() && t.kind() != Target.Kind.PREFIX;
    if (underSubject && ctx.active(subjectKey).isPresent()) {
      // one incident, one page: the network's (or country's) own VisibilityLoss covers it
      return List.of();
    }
    List<Signal> out = new ArrayList<>();
    if (prefix.isEmpty() && t.kind() != Target.Kind.PREFIX) {
      // the network itself is lost: its prefixes' alerts that have not paged yet fold into it
      for (ActiveAlert a : ctx.activeWithPrefix(subjectKey + "|prefix=")) {
        if (!a.firing()) {
          out.add(Signal.resolve(type(), a.key()));
        }
      }
    }
    String what = prefix.isEmpty() ? t.display() : prefix + " of " + t.display();
    if (prefix.isEmpty() && k == ChangeKind.VISIBILITY_CROSSED) {
      // state's crossing of a network or country: the share of its prefixes that are visible
      String summary =
          what + " lost visibility: " + Fmt.pct(c.getVisibility()) + " of its prefixes visible";
      String desc =
          "Only "
              + Fmt.pct(c.getVisibility())
              + " of "
              + what
              + "'s prefixes ("
              + c.getVpCount()
              + " visible) are seen by more than half of the full-feed VPs since "
              + Fmt.time(c.getTimeMicros())
              + ", at or below the "
              + Fmt.pct(threshold)
              + " threshold; its prefixes' own alerts are folded into this one.";
      out.add(
          new Signal(
              type(),
              l.key(),
              true,
              l.map(),
              summary,
              desc,
              new Evidence(null, new long[0], c.getVpCount(), 1 - c.getVisibility()),
              Map.of("what", what, "visibility", Double.toString(c.getVisibility()))));
      return out;
    }
    String cover =
        prefix.isEmpty() || !c.hasCoveringPrefix() ? "" : Fmt.prefix(c.getCoveringPrefix());
    String summary =
        what
            + " lost visibility: seen by "
            + Fmt.pct(c.getVisibility())
            + " of full-feed VPs"
            + (cover.isEmpty() ? "" : "; " + cover + " still covers it");
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
            + "."
            + (cover.isEmpty()
                ? ""
                : " Its addresses still reach the network through "
                    + cover
                    + ", a less-specific of the same origin that stays visible: a more-specific"
                    + " withdrawn (traffic engineering, aggregation), not an outage.");
    Signal s =
        new Signal(
            type(),
            l.key(),
            true,
            l.map(),
            summary,
            desc,
            new Evidence(null, new long[0], c.getVpCount(), 1 - c.getVisibility()),
            Map.of("what", what, "visibility", Double.toString(c.getVisibility())));
    out.add(cover.isEmpty() ? s : s.withSeverity(COVERED_SEVERITY));
    return out;
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
