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
 * Prefix hijacks of a PREFIX watch entry that lists its {@code origins} (BGPalerter's {@code
 * hijack} monitor, ARTEMIS' exact-prefix, sub-prefix and squatting types):
 *
 * <ul>
 *   <li><b>exact-prefix</b>: the watched prefix announced by an origin outside {@code origins}
 *       (alone or beside the owner: MOAS);
 *   <li><b>sub-prefix</b>: a more-specific of the watched prefix announced by a foreign origin,
 *       whether the watched prefix itself is announced or not (state reports a prefix's first
 *       announcement, PREFIX_ANNOUNCED, with or without a covering prefix);
 *   <li><b>squatting</b>: any announcement of watched space whose entry says it is not announced at
 *       all: {@code origins: AS0} (as an AS0 ROA, RFC 6483 §4).
 * </ul>
 *
 * <p>It fires at first sight: a prefix first announced with a foreign origin is an alert, never a
 * baseline. One alert per announced prefix (key: the prefix); it resolves when the prefix's origins
 * are all allowed again (ORIGIN_CHANGED) or the prefix is gone everywhere (PREFIX_WITHDRAWN). While
 * the hijack spreads, state's follow-up reports update the firing alert's description (VP count and
 * peer ASNs now, the most VPs seen); labels stay as they were at firing.
 *
 * <p>Graded by RPKI (RFC 6811, state's verdict in {@code Change.origin_rov_states}): foreign
 * origins that are all ROA-valid (a scrubbing service the owner's ROA names) fire with the entry's
 * {@code severity-rov-valid} (info), an invalid one with {@code severity-rov-invalid} (critical);
 * the {@code rov} label says which (not part of the key: one hijack, one alert).
 *
 * <p>For an entry with {@code origins}, this rule is the one page: {@link OriginChangeRule} and
 * {@link MoreSpecificRule} stand down for it ({@link #covers}).
 */
@ApplicationScoped
public class HijackRule implements AlertRule {
  /** The origin that means "this space is not announced" (AS0, as in an AS0 ROA). */
  static final long NOT_ANNOUNCED = 0;

  @Override
  public AlertType type() {
    return AlertType.HIJACK;
  }

  /**
   * True when this rule watches the change's target (a PREFIX entry with origins, the type
   * enabled): the origin-change and more-specific rules then leave it to this one.
   */
  static boolean covers(RuleContext ctx) {
    if (ctx.target().kind() != Target.Kind.PREFIX) {
      return false;
    }
    Thresholds th = ctx.thresholds(AlertType.HIJACK);
    return th.enabled() && !th.expectedOrigins().isEmpty();
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    if (!covers(ctx)) {
      return List.of();
    }
    ChangeKind k = c.getKind();
    if (k != ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED
        && k != ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN
        && k != ChangeKind.ORIGIN_CHANGED) {
      return List.of();
    }
    Target t = ctx.target();
    Set<Long> allowed = ctx.thresholds(type()).expectedOrigins();
    boolean squat = allowed.size() == 1 && allowed.contains(NOT_ANNOUNCED);
    String prefix = Fmt.prefix(c.getPrefix());
    String kind = squat ? "squatting" : prefix.equals(t.value()) ? "exact-prefix" : "sub-prefix";
    if (kind.equals("sub-prefix") && !ctx.thresholds(AlertType.MORE_SPECIFIC).enabled()) {
      return List.of(); // the entry ignores more-specifics (BGPalerter's ignoreMorespecifics)
    }
    Labels l =
        Labels.of(type(), t).prefix(prefix).put("watched_prefix", t.value()).put("hijack", kind);
    if (k == ChangeKind.CHANGE_KIND_PREFIX_WITHDRAWN) {
      return List.of(Signal.resolve(type(), l.key()));
    }
    Set<Long> now = new LinkedHashSet<>();
    c.getOriginsAfterList().forEach(a -> now.add(RuleText.u32(a)));
    if (now.isEmpty() && c.getAsn() != 0) {
      now.add(RuleText.u32(c.getAsn()));
    }
    if (now.isEmpty()) {
      return List.of(); // no single origin (AS_SET): nothing to judge
    }
    Set<Long> foreign = new TreeSet<>(now);
    foreign.removeAll(allowed);
    if (foreign.isEmpty()) {
      return List.of(Signal.resolve(type(), l.key()));
    }
    Map<String, String> before = ctx.active(l.key()).map(ActiveAlert::context).orElse(Map.of());
    int vps = c.getVpCount();
    int maxVps = Math.max(vps, parse(before.get("max_vps")));
    long[] peers = Labels.peers(c.getPeerAsnsList());
    String firstSeen = before.getOrDefault("first_seen", Long.toString(c.getTimeMicros()));
    String path = !c.getAsPath().isEmpty() ? c.getAsPath() : before.getOrDefault("first_path", "");
    String owners =
        squat
            ? "nobody (the entry says it is not announced)"
            : allowed.stream().sorted().map(Fmt::as).collect(Collectors.joining(" or "));
    String hijackers = foreign.stream().map(Fmt::as).collect(Collectors.joining(" and "));
    String originsBefore = originsBefore(c, k, allowed, squat);
    String covering =
        c.hasCoveringPrefix()
            ? Fmt.prefix(c.getCoveringPrefix()) + " announced"
            : k == ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED ? "no covering prefix announced" : "";
    String summary =
        switch (kind) {
          case "squatting" ->
              "Squatting: " + prefix + " (not announced space) is announced by " + hijackers;
          case "exact-prefix" ->
              "Hijack: " + prefix + " is announced by " + hijackers + " instead of " + owners;
          default ->
              "Sub-prefix hijack: "
                  + prefix
                  + " of "
                  + t.value()
                  + " is announced by "
                  + hijackers
                  + " instead of "
                  + owners;
        };
    String desc =
        summary
            + (t.description().isEmpty() ? "" : " [" + t.description() + "]")
            + ". Origin "
            + originsBefore
            + " → "
            + now.stream().map(Fmt::as).collect(Collectors.joining(", "))
            + "; first seen "
            + Fmt.time(Long.parseLong(firstSeen))
            + (path.isEmpty() ? "" : " on the path " + path)
            + "; seen now by "
            + (peers.length == 0
                ? vps + (vps == 1 ? " VP" : " VPs")
                : Fmt.seenBy(vps, peers, new long[0]))
            + ", at most "
            + maxVps
            + (maxVps == 1 ? " VP" : " VPs")
            + (covering.isEmpty() ? "" : "; " + covering)
            + ".";
    RovState rov = Rov.worst(c, foreign);
    String rpki = Rov.describe(c, foreign);
    if (!rpki.isEmpty()) {
      desc = desc.substring(0, desc.length() - 1) + "; " + rpki + ".";
    }
    String key = l.key(); // the ROV state is told, not identity: one hijack, one alert
    l.put("rov", Rov.label(rov));
    Map<String, String> context = new HashMap<>();
    context.put("prefix", prefix);
    context.put("watched", t.value());
    context.put("kind", kind);
    context.put("origin", hijackers);
    context.put("first_seen", firstSeen);
    context.put("first_path", path);
    context.put("vps", Integer.toString(vps));
    context.put("max_vps", Integer.toString(maxVps));
    context.put("vps_at_fire", before.getOrDefault("vps_at_fire", Integer.toString(vps)));
    context.put("rov", Rov.label(rov));
    return List.of(
        new Signal(
            type(),
            key,
            true,
            l.map(),
            summary,
            desc,
            new Evidence(peers.length == 0 ? null : peers, new long[0], vps, Double.NaN),
            context,
            Rov.severity(ctx.thresholds(type()), rov)));
  }

  /** "AS36561" for a sub-prefix (the covering prefix's origins), the prefix's own before, etc. */
  private static String originsBefore(Change c, ChangeKind k, Set<Long> allowed, boolean squat) {
    if (c.getOriginsBeforeCount() > 0) {
      return c.getOriginsBeforeList().stream()
          .map(a -> Fmt.as(RuleText.u32(a)))
          .collect(Collectors.joining(", "));
    }
    if (k == ChangeKind.CHANGE_KIND_PREFIX_ANNOUNCED) {
      return squat
          ? "none (not announced)"
          : "none announced (expected "
              + allowed.stream().sorted().map(Fmt::as).collect(Collectors.joining(" or "))
              + ")";
    }
    return "unknown";
  }

  private static int parse(String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    Map<String, String> x = a.context();
    String p = x.getOrDefault("prefix", "");
    String who = x.getOrDefault("origin", "");
    return new Annotations(
        "Resolved: " + p + " is no longer announced by " + who,
        "The "
            + x.getOrDefault("kind", "")
            + " hijack of "
            + p
            + " (watched "
            + x.getOrDefault("watched", "")
            + ") by "
            + who
            + " lasted "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + "; first seen "
            + Optional.ofNullable(x.get("first_seen"))
                .map(s -> Fmt.time(Long.parseLong(s)))
                .orElse("?")
            + ", "
            + x.getOrDefault("vps_at_fire", "?")
            + " VPs at firing, at most "
            + x.getOrDefault("max_vps", "?")
            + (x.getOrDefault("rov", "").isEmpty() ? "" : "; RPKI " + x.get("rov") + " at firing")
            + ".");
  }
}
