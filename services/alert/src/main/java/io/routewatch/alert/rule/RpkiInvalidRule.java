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
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A prefix inside a PREFIX watch entry is announced with an RPKI-invalid origin (RFC 6811: a VRP
 * covers it, but none authorises that origin — {@code invalid-origin} — or none allows its length —
 * {@code invalid-length}); BGPalerter's {@code monitorRPKI}, ARTEMIS' ROV-invalid tagging. The
 * verdict is state's: it validates every PREFIX_ANNOUNCED / ORIGIN_CHANGED / MORE_SPECIFIC against
 * its VRP set ({@code Change.origin_rov_states}); without a VRP set nothing fires.
 *
 * <p>Under an ASN entry: a prefix no PREFIX entry covers, announced RPKI-invalid by the watched AS
 * itself (BGPalerter's {@code monitorRPKI} with {@code monitorASns}); the matcher sends such
 * announcements to the AS's entry. Other origins of such a prefix are not its business.
 *
 * <p>One alert per announced prefix (key: the prefix), whoever the invalid origin is — a hijacker
 * (also a Hijack or OriginChange alert; Alertmanager groups them by {@code asn}) or the owner
 * itself (a more-specific beyond the ROA's maxLength, a ROA not updated after a move: routes that
 * ROV-enforcing networks drop). It fires at first sight and resolves when the prefix has no invalid
 * origin any more (ORIGIN_CHANGED: the invalid route is gone, or a valid one replaced it) or is
 * gone everywhere (PREFIX_WITHDRAWN).
 *
 * <p>The VRP set changes too: state re-validates the watched routes at each VRP load and sends
 * ROV_CHANGED for a prefix whose verdict changed without a route change (a ROA removed, shrunk or
 * expired; a ROA fixed). Such a change fires when it makes the prefix invalid (its time is the
 * alert's start) and resolves the alert when it makes it valid or not-found, under the entry a
 * PREFIX_ANNOUNCED of that prefix would reach.
 */
@ApplicationScoped
public class RpkiInvalidRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.RPKI_INVALID;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    ChangeKind k = c.getKind();
    if (k != ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED
        && k != ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN
        && k != ChangeKind.ORIGIN_CHANGED
        && k != ChangeKind.MORE_SPECIFIC
        && k != ChangeKind.CHANGE_KIND_ROV_CHANGED) {
      return List.of();
    }
    Target t = ctx.target();
    boolean asnEntry = t.kind() == Target.Kind.ASN;
    if (t.kind() != Target.Kind.PREFIX && !asnEntry) {
      return List.of();
    }
    if (asnEntry
        && k != ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED
        && k != ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN
        && k != ChangeKind.CHANGE_KIND_ROV_CHANGED) {
      return List.of(); // a prefix reaches an ASN entry only as announced, gone or re-validated
    }
    String prefix = Fmt.prefix(c.getPrefix());
    Labels l = Labels.of(type(), t).prefix(prefix);
    if (!asnEntry) {
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
    if (now.isEmpty() || c.getRovState() == RovState.ROV_STATE_UNSPECIFIED) {
      return List.of(); // not validated (RPKI off in state, an older producer): nothing to judge
    }
    if (asnEntry && !now.contains(t.asn())) {
      return List.of(); // not an announcement of the watched AS
    }
    Set<Long> invalid = new TreeSet<>();
    for (long o : now) {
      // under an ASN entry (a prefix no PREFIX entry covers) only the AS's own announcement is
      // its business; a foreign origin on a prefix of its is a PREFIX entry's Hijack
      if (Rov.invalid(Rov.of(c, o)) && (!asnEntry || o == t.asn())) {
        invalid.add(o);
      }
    }
    if (invalid.isEmpty()) {
      if (k == ChangeKind.MORE_SPECIFIC) {
        return List.of(); // says nothing of the origins the prefix had before
      }
      return List.of(Signal.resolve(type(), key));
    }
    RovState rov = Rov.worst(c, invalid);
    Set<Long> expected =
        asnEntry ? Set.of(t.asn()) : ctx.thresholds(AlertType.HIJACK).expectedOrigins();
    String who = invalid.stream().map(Fmt::as).collect(Collectors.joining(" and "));
    String why =
        rov == RovState.ROV_STATE_INVALID_LENGTH
            ? "longer than its ROAs allow (invalid-length)"
            : "by an origin no ROA authorises (invalid-origin)";
    String summary = "RPKI invalid: " + prefix + " is announced by " + who + ", " + why;
    Map<String, String> before = ctx.active(key).map(ActiveAlert::context).orElse(Map.of());
    String firstSeen = before.getOrDefault("first_seen", Long.toString(c.getTimeMicros()));
    long[] peers = Labels.peers(c.getPeerAsnsList());
    int vps = c.getVpCount();
    String owner =
        expected.isEmpty()
            ? ""
            : invalid.stream().allMatch(expected::contains)
                ? (asnEntry
                        ? " It is the watched AS's own announcement, outside its PREFIX entries:"
                        : " The invalid origin is the entry's own:")
                    + " ROV-enforcing networks drop the route; fix the ROA or the announcement."
                : " Expected origin "
                    + expected.stream().sorted().map(Fmt::as).collect(Collectors.joining(" or "))
                    + ".";
    String desc =
        summary
            + (t.description().isEmpty() ? "" : " [" + t.description() + "]")
            + (asnEntry || prefix.equals(t.value()) ? "" : " (watched " + t.value() + ")")
            + ". "
            + revalidated(c)
            + Rov.describe(c, now)
            + "; first seen "
            + Fmt.time(Long.parseLong(firstSeen))
            + (c.getAsPath().isEmpty() ? "" : " on the path " + c.getAsPath())
            + "; seen now by "
            + (peers.length == 0
                ? vps + (vps == 1 ? " VP" : " VPs")
                : Fmt.seenBy(vps, peers, new long[0]))
            + "."
            + owner;
    l.put("rov", Rov.label(rov));
    Map<String, String> context = new HashMap<>();
    context.put("prefix", prefix);
    context.put("watched", t.value());
    context.put("origin", who);
    context.put("rov", Rov.label(rov));
    context.put("first_seen", firstSeen);
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

  /** For a ROV_CHANGED: the route did not change, state's VRP set did ("" for a route change). */
  private static String revalidated(Change c) {
    if (c.getKind() != ChangeKind.CHANGE_KIND_ROV_CHANGED) {
      return "";
    }
    String was = Rov.label(c.getRovStateBefore());
    return "The route did not change, the VRP set did"
        + (was.isEmpty() ? "" : " (it was " + was + ")")
        + " at "
        + Fmt.time(c.getTimeMicros())
        + ". ";
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    Map<String, String> x = a.context();
    String p = x.getOrDefault("prefix", "");
    return new Annotations(
        "Resolved: "
            + p
            + " is no longer announced RPKI-invalid by "
            + x.getOrDefault("origin", ""),
        "The RPKI-invalid ("
            + x.getOrDefault("rov", "")
            + ") announcement of "
            + p
            + " (watched "
            + x.getOrDefault("watched", "")
            + ") by "
            + x.getOrDefault("origin", "")
            + " lasted "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + "; first seen "
            + Optional.ofNullable(x.get("first_seen"))
                .map(s -> Fmt.time(Long.parseLong(s)))
                .orElse("?")
            + ".");
  }
}
