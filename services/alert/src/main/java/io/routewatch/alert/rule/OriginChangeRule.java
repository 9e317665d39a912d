package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.RovState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A watched prefix is originated by another AS (possible hijack) or by several (MOAS). With the
 * entry's {@code origins} override set, any origin outside it fires and an allowed origin resolves;
 * without it every origin change fires (and resolves after auto-resolve).
 */
@ApplicationScoped
public class OriginChangeRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.ORIGIN_CHANGE;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    if (c.getKind() != ChangeKind.ORIGIN_CHANGED || HijackRule.covers(ctx)) {
      return List.of(); // an entry with origins: the Hijack alert is its one page
    }
    Target t = ctx.target();
    String prefix = Fmt.prefix(c.getPrefix());
    Labels l = Labels.of(type(), t).prefix(prefix); // identity: the prefix, not the origin
    // the origins now, typed (a MOAS lists them all); older producers only set asn (0 = MOAS)
    Set<Long> now = new LinkedHashSet<>();
    c.getOriginsAfterList().forEach(a -> now.add(RuleText.u32(a)));
    if (now.isEmpty() && c.getAsn() != 0) {
      now.add(RuleText.u32(c.getAsn()));
    }
    Set<Long> expected = ctx.thresholds(type()).expectedOrigins();
    Set<Long> foreign = new TreeSet<>(now);
    foreign.removeAll(expected);
    if (!now.isEmpty() && !expected.isEmpty() && foreign.isEmpty()) {
      return List.of(Signal.resolve(type(), l.key()));
    }
    String who =
        now.isEmpty()
            ? "several origins (MOAS)"
            : now.size() == 1
                ? Fmt.as(now.iterator().next())
                : foreign.stream().map(Fmt::as).collect(Collectors.joining(" and "))
                    + (foreign.size() < now.size() ? " beside its own origin (MOAS)" : " (MOAS)");
    String instead =
        expected.isEmpty()
            ? ""
            : " instead of "
                + expected.stream().sorted().map(Fmt::as).collect(Collectors.joining(" or "));
    String before =
        c.getOriginsBeforeCount() == 0
            ? ""
            : " (before: "
                + c.getOriginsBeforeList().stream()
                    .map(a -> Fmt.as(RuleText.u32(a)))
                    .collect(Collectors.joining(", "))
                + ")";
    String summary = "The prefix " + prefix + " is announced by " + who + instead;
    String desc =
        "The prefix "
            + prefix
            + (t.kind() == Target.Kind.PREFIX && !t.value().equals(prefix)
                ? " (watched " + t.value() + ")"
                : "")
            + " is announced by "
            + who
            + instead
            + before
            + " since "
            + Fmt.time(c.getTimeMicros())
            + ", seen by "
            + c.getVpCount()
            + (c.getVpCount() == 1 ? " VP" : " VPs")
            + (t.description().isEmpty() ? "" : " [" + t.description() + "]")
            + ". Possible hijack.";
    // graded by the new origins' RPKI state: a ROA-authorised origin (a scrubbing service, a
    // customer) is info, an invalid one critical (artemis#595, BGPalerter#358)
    RovState rov = Rov.worst(c, foreign.isEmpty() ? now : foreign);
    String rpki = Rov.describe(c, now);
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
            evidence(c),
            Map.of("prefix", prefix, "who", who),
            Rov.severity(ctx.thresholds(type()), rov)));
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    String p = a.context().getOrDefault("prefix", "");
    return new Annotations(
        "Resolved: " + p + " is no longer announced by " + a.context().getOrDefault("who", ""),
        "The prefix "
            + p
            + " was announced by "
            + a.context().getOrDefault("who", "")
            + " "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + ".");
  }

  private static Evidence evidence(Change c) {
    long[] peers = Labels.peers(c.getPeerAsnsList());
    return new Evidence(peers.length == 0 ? null : peers, new long[0], c.getVpCount(), Double.NaN);
  }
}
