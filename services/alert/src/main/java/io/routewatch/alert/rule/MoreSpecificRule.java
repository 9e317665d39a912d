package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.RovState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A more-specific of a watched prefix announced by an origin that is not allowed for it (a
 * sub-prefix hijack wins on longest match everywhere). Resolves when that more-specific drops below
 * the visibility threshold, or after auto-resolve.
 */
@ApplicationScoped
public class MoreSpecificRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.MORE_SPECIFIC;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    Target t = ctx.target();
    if (t.kind() != Target.Kind.PREFIX || HijackRule.covers(ctx)) {
      return List.of(); // an entry with origins: the Hijack alert is its one page
    }
    String prefix = Fmt.prefix(c.getPrefix());
    if (prefix.equals(t.value())) {
      return List.of(); // not a more-specific: the watched prefix itself
    }
    Labels l = Labels.of(type(), t).prefix(prefix);
    if (c.getKind() == ChangeKind.VISIBILITY_CROSSED
        && Thresholds.lostVisibility(
            c.getVisibility(), ctx.thresholds(type()).visibilityThreshold())) {
      return List.of(Signal.resolve(type(), l.key()));
    }
    if (c.getKind() != ChangeKind.MORE_SPECIFIC) {
      return List.of();
    }
    long origin = RuleText.u32(c.getAsn());
    Set<Long> expected = ctx.thresholds(type()).expectedOrigins();
    if (expected.contains(origin)) {
      return List.of(); // the owner de-aggregating its own space
    }
    String should =
        expected.isEmpty()
            ? ""
            : ". It should be announced by "
                + expected.stream().sorted().map(Fmt::as).collect(Collectors.joining(" or "));
    String summary =
        "A more-specific " + prefix + " of " + t.value() + " is announced by " + Fmt.as(origin);
    String desc =
        "A new prefix "
            + prefix
            + " is announced by "
            + Fmt.as(origin)
            + " since "
            + Fmt.time(c.getTimeMicros())
            + ", inside the watched "
            + t.value()
            + (t.description().isEmpty() ? "" : " [" + t.description() + "]")
            + should
            + "; seen by "
            + c.getVpCount()
            + (c.getVpCount() == 1 ? " VP" : " VPs")
            + " ("
            + Fmt.pct(c.getVisibility())
            + " of full-feed VPs).";
    long[] peers = Labels.peers(c.getPeerAsnsList());
    RovState rov = Rov.worst(c, List.of(origin));
    String rpki = Rov.describe(c, List.of(origin));
    if (!rpki.isEmpty()) {
      desc = desc + " " + rpki + ".";
    }
    String key = l.key();
    l.put("rov", Rov.label(rov));
    return List.of(
        new Signal(
            type(),
            key,
            true,
            l.map(),
            summary,
            desc,
            new Evidence(
                peers.length == 0 ? null : peers, new long[0], c.getVpCount(), c.getVisibility()),
            Map.of("prefix", prefix, "watched", t.value(), "origin", Fmt.as(origin)),
            Rov.severity(ctx.thresholds(type()), rov)));
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    Map<String, String> x = a.context();
    return new Annotations(
        "Resolved: more-specific "
            + x.get("prefix")
            + " of "
            + x.get("watched")
            + " by "
            + x.get("origin"),
        "The more-specific "
            + x.get("prefix")
            + " of "
            + x.get("watched")
            + " was announced by "
            + x.get("origin")
            + " "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + ".");
  }
}
