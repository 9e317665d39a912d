package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A ROA of a watched network changed (ARTEMIS has none; BGPalerter's {@code monitorROAS}): state
 * compares the ROAs of the watched space at every load of its VRP set ({@code
 * CHANGE_KIND_ROA_CHANGED}) — a VRP for a watched prefix (or one related to it) or for a watched
 * origin AS added, removed, or its maxLength changed. Info: a ROA change is an operator's own act
 * more often than not, and the routes it turns invalid page as RpkiInvalid. An event: it fires at
 * once (hold 0 s) and resolves after the auto-resolve time, or when the same ROA changes back (a
 * removal undone, a maxLength restored).
 *
 * <p>One alert per ROA (prefix, authorised AS). The description says whether the AS is one the
 * entry names in {@code origins} (a ROA for someone else on your prefix is worth reading).
 */
@ApplicationScoped
public class RoaChangeRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.ROA_CHANGE;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    if (c.getKind() != ChangeKind.CHANGE_KIND_ROA_CHANGED || !c.hasPrefix()) {
      return List.of();
    }
    Target t = ctx.target();
    if (t.kind() != Target.Kind.PREFIX && t.kind() != Target.Kind.ASN) {
      return List.of();
    }
    String prefix = Fmt.prefix(c.getPrefix());
    long roaAsn = RuleText.u32(c.getAsn());
    Labels l = Labels.of(type(), t).prefix(prefix).put("roa_asn", Fmt.as(roaAsn));
    if (t.kind() == Target.Kind.PREFIX) {
      l.put("watched_prefix", t.value());
    }
    String key = l.key();
    int before = c.getRoaMaxLengthBefore();
    int after = c.getRoaMaxLengthAfter();
    String change;
    String what;
    switch (c.getRoaChange()) {
      case ROA_CHANGE_TYPE_ADDED -> {
        change = "added";
        what = "ROA added: " + prefix + " maxLength " + after + " for " + Fmt.as(roaAsn);
      }
      case ROA_CHANGE_TYPE_REMOVED -> {
        change = "removed";
        what = "ROA removed: " + prefix + " maxLength " + before + " for " + Fmt.as(roaAsn);
      }
      case ROA_CHANGE_TYPE_MAX_LENGTH_CHANGED -> {
        change = "max-length";
        what =
            "ROA maxLength changed: "
                + prefix
                + " for "
                + Fmt.as(roaAsn)
                + ", "
                + before
                + " → "
                + after;
      }
      default -> {
        return List.of();
      }
    }
    Map<String, String> active = ctx.active(key).map(ActiveAlert::context).orElse(Map.of());
    if (undoes(active, c)) {
      return List.of(Signal.resolve(type(), key)); // back to what it was before the last change
    }
    String whose;
    if (roaAsn == 0) {
      whose = "an AS0 ROA: nobody may announce " + prefix;
    } else if (t.kind() == Target.Kind.ASN) {
      whose = Fmt.as(roaAsn) + " is the watched network";
    } else {
      Set<Long> origins = ctx.thresholds(AlertType.HIJACK).expectedOrigins();
      whose =
          origins.isEmpty() || origins.contains(roaAsn)
              ? Fmt.as(roaAsn) + " is an origin the entry names"
              : Fmt.as(roaAsn)
                  + " is not an origin the entry names ("
                  + origins.stream().sorted().map(Fmt::as).collect(Collectors.joining(", "))
                  + ")";
    }
    l.put("roa_change", change);
    String desc =
        what
            + (t.kind() == Target.Kind.PREFIX ? " (watched " + t.value() + ")" : "")
            + (t.description().isEmpty() ? "" : " [" + t.description() + "]")
            + "; "
            + whose
            + "; seen in the VRP set loaded at "
            + Fmt.time(c.getTimeMicros())
            + ".";
    return List.of(
        new Signal(
            type(),
            key,
            true,
            l.map(),
            what,
            desc,
            Evidence.NONE,
            Map.of(
                "prefix", prefix,
                "roa_asn", Fmt.as(roaAsn),
                "change", change,
                "before", Integer.toString(before),
                "after", Integer.toString(after))));
  }

  /**
   * The change reverts the one the firing alert reports (added then removed, a length restored).
   */
  private static boolean undoes(Map<String, String> active, Change c) {
    if (active.isEmpty()) {
      return false;
    }
    String was = active.get("before");
    return was != null && was.equals(Integer.toString(c.getRoaMaxLengthAfter()));
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    Map<String, String> x = a.context();
    return new Annotations(
        "Resolved: ROA change of " + x.getOrDefault("prefix", "") + " for " + x.get("roa_asn"),
        "The ROA change of "
            + x.getOrDefault("prefix", "")
            + " for "
            + x.getOrDefault("roa_asn", "")
            + " ("
            + x.getOrDefault("change", "")
            + ") was reported "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + ".");
  }
}
