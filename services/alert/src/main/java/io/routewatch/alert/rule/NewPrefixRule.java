package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.RovState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A watched network announces a prefix its watch entries do not list (info: worth a look, not a
 * page). Two shapes, as BGPalerter's {@code monitorAS} and {@code monitorNewPrefix}:
 *
 * <ul>
 *   <li><b>outside</b>: an AS with an ASN entry, named in the {@code origins} of at least one
 *       PREFIX entry, originates a prefix no PREFIX entry covers (the change reaches this rule with
 *       the ASN entry as target; see {@code WatchMatcher}). An AS with no PREFIX entry has no list
 *       to be outside of, so nothing fires for it;
 *   <li><b>more-specific</b>: a more-specific of a PREFIX entry with {@code origins}, announced by
 *       those origins only (a foreign origin is a Hijack; the owner de-aggregating its own space is
 *       this). Not with {@code more-specific.enabled: false} on the entry.
 * </ul>
 *
 * <p>One alert per (AS, prefix); it fires at first sight (a prefix present when the watch starts is
 * reported too: the list is incomplete) and resolves when the prefix is gone everywhere, when a
 * foreign origin takes it (the Hijack is then the page), or after the auto-resolve time (by then it
 * is the network's normal; add it to the list).
 */
@ApplicationScoped
public class NewPrefixRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.NEW_PREFIX;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    ChangeKind k = c.getKind();
    if (k != ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED
        && k != ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN
        && k != ChangeKind.ORIGIN_CHANGED) {
      return List.of();
    }
    Target t = ctx.target();
    if (!c.hasPrefix() || !ctx.thresholds(type()).enabled()) {
      return List.of();
    }
    String prefix = Fmt.prefix(c.getPrefix());
    Set<Long> allowed;
    String shape;
    if (t.kind() == Target.Kind.ASN) {
      if (k == ChangeKind.ORIGIN_CHANGED || !ctx.hasPrefixList()) {
        // only announced / withdrawn reach an ASN entry for a prefix; an AS without a prefix
        // list has no list to be outside of
        return List.of();
      }
      allowed = Set.of(t.asn());
      shape = "outside";
    } else if (t.kind() == Target.Kind.PREFIX) {
      allowed = ctx.thresholds(AlertType.HIJACK).expectedOrigins();
      if (allowed.isEmpty()
          || allowed.contains(HijackRule.NOT_ANNOUNCED)
          || prefix.equals(t.value())
          || !ctx.thresholds(AlertType.MORE_SPECIFIC).enabled()) {
        return List.of(); // no owner named, squatting space, the entry itself, or ignored
      }
      shape = "more-specific";
    } else {
      return List.of();
    }
    Labels l = Labels.of(type(), t).prefix(prefix);
    if (shape.equals("more-specific")) {
      l.put("watched_prefix", t.value());
    }
    String key = l.key();
    if (k == ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN) {
      return List.of(Signal.resolve(type(), key));
    }
    Set<Long> now = new LinkedHashSet<>();
    c.getOriginsAfterList().forEach(a -> now.add(RuleText.u32(a)));
    if (now.isEmpty() && c.getAsn() != 0) {
      now.add(RuleText.u32(c.getAsn()));
    }
    if (now.isEmpty()) {
      return List.of(); // no single origin (AS_SET): nothing to judge
    }
    if (!allowed.containsAll(now)) {
      // a foreign origin on it: for a PREFIX entry that is a Hijack (its own page); for an
      // ASN entry the watched AS shares the prefix with others (a MOAS, reported to the
      // prefix's entry if there is one): still the AS's own new prefix if it is among them
      if (t.kind() == Target.Kind.PREFIX || !now.contains(t.asn())) {
        return List.of(Signal.resolve(type(), key));
      }
    }
    if (k == ChangeKind.ORIGIN_CHANGED) {
      return List.of(); // the owner's prefix still: the firing alert (if any) stands
    }
    Map<String, String> before = ctx.active(key).map(ActiveAlert::context).orElse(Map.of());
    int vps = c.getVpCount();
    long[] peers = Labels.peers(c.getPeerAsnsList());
    String firstSeen = before.getOrDefault("first_seen", Long.toString(c.getTimeMicros()));
    String path = !c.getAsPath().isEmpty() ? c.getAsPath() : before.getOrDefault("first_path", "");
    String origins = now.stream().map(Fmt::as).collect(Collectors.joining(", "));
    String summary =
        shape.equals("outside")
            ? Fmt.as(t.asn()) + " announces " + prefix + ", outside its watched prefixes"
            : origins + " announces " + prefix + ", a more-specific of the watched " + t.value();
    String covering =
        c.hasCoveringPrefix()
            ? " inside "
                + Fmt.prefix(c.getCoveringPrefix())
                + (c.getOriginsBeforeCount() == 0
                    ? ""
                    : " (announced by "
                        + c.getOriginsBeforeList().stream()
                            .map(a -> Fmt.as(RuleText.u32(a)))
                            .collect(Collectors.joining(", "))
                        + ")")
            : "";
    String desc =
        "A new prefix "
            + prefix
            + covering
            + " is announced by "
            + origins
            + (t.description().isEmpty() ? "" : " [" + t.description() + "]")
            + " since "
            + Fmt.time(Long.parseLong(firstSeen))
            + (path.isEmpty() ? "" : " on the path " + path)
            + "; seen now by "
            + (peers.length == 0
                ? vps + (vps == 1 ? " VP" : " VPs")
                : Fmt.seenBy(vps, peers, new long[0]))
            + (shape.equals("outside")
                ? ". No PREFIX entry of " + Fmt.as(t.asn()) + " covers it."
                : ". The entry lists " + t.value() + " only.");
    RovState rov = Rov.worst(c, now);
    String rpki = Rov.describe(c, now);
    if (!rpki.isEmpty()) {
      desc = desc + " " + rpki + ".";
    }
    l.put("rov", Rov.label(rov)); // told, not identity
    Map<String, String> context = new HashMap<>();
    context.put("prefix", prefix);
    context.put("origin", origins);
    context.put("shape", shape);
    context.put("first_seen", firstSeen);
    context.put("first_path", path);
    context.put("watched", t.kind() == Target.Kind.PREFIX ? t.value() : Fmt.as(t.asn()));
    return List.of(
        new Signal(
            type(),
            key,
            true,
            l.map(),
            summary,
            desc,
            new Evidence(peers.length == 0 ? null : peers, new long[0], vps, Double.NaN),
            context));
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    Map<String, String> x = a.context();
    String p = x.getOrDefault("prefix", "");
    return new Annotations(
        "Resolved: new prefix " + p + " of " + x.getOrDefault("watched", ""),
        p
            + " ("
            + (x.getOrDefault("shape", "").equals("more-specific")
                ? "a more-specific of " + x.getOrDefault("watched", "")
                : "outside the watched prefixes of " + x.getOrDefault("watched", ""))
            + ", announced by "
            + x.getOrDefault("origin", "")
            + ", first seen "
            + Optional.ofNullable(x.get("first_seen"))
                .map(s -> Fmt.time(Long.parseLong(s)))
                .orElse("?")
            + ") was reported "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + ".");
  }
}
