package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.RouteLeakType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A route leak (RFC 7908) on a watched network's routes: state found, from its AS relationships, a
 * VP's best path in which an AS passed a route learned from a provider or peer on to a provider or
 * peer (BGPalerter's path monitors and ARTEMIS's path checks look for such paths by hand-written
 * rules). One alert per (prefix, leaker); labels name the leaker and the offending segment, the
 * description the type, the path and the VPs carrying it. Resolves when no VP's best path carries
 * the leak ({@code CHANGE_KIND_ROUTE_LEAK_ENDED}).
 */
@ApplicationScoped
public class RouteLeakRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.ROUTE_LEAK;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    if (c.getKind() != ChangeKind.CHANGE_KIND_ROUTE_LEAK
        && c.getKind() != ChangeKind.CHANGE_KIND_ROUTE_LEAK_ENDED) {
      return List.of();
    }
    Target t = ctx.target();
    String prefix = Fmt.prefix(c.getPrefix());
    long leaker = RuleText.u32(c.getLeakerAsn());
    String segment = segment(c);
    Labels l =
        Labels.of(type(), t).prefix(prefix).put("leaker", Fmt.as(leaker)).put("segment", segment);
    if (c.getKind() == ChangeKind.CHANGE_KIND_ROUTE_LEAK_ENDED) {
      return List.of(Signal.resolve(type(), l.key()));
    }
    long[] peers = Labels.peers(c.getPeerAsnsList());
    String kind = kind(c.getLeakType());
    String summary = "Route leak of " + prefix + " by " + Fmt.as(leaker) + " (" + kind + ")";
    String desc =
        Fmt.as(leaker)
            + " passed "
            + prefix
            + (c.getAsn() != 0 ? " (origin " + Fmt.as(RuleText.u32(c.getAsn())) + ")" : "")
            + " "
            + direction(c.getLeakType(), c)
            + ": segment "
            + segment
            + ", RFC 7908 "
            + kind
            + ", since "
            + Fmt.time(c.getTimeMicros())
            + "; path "
            + c.getAsPath()
            + "; carried by "
            + Fmt.seenBy(c.getVpCount(), peers, new long[0])
            + "; watched: "
            + t.value()
            + (t.description().isEmpty() ? "" : " [" + t.description() + "]")
            + ".";
    return List.of(
        new Signal(
            type(),
            l.key(),
            true,
            l.map(),
            summary,
            desc,
            new Evidence(peers.length == 0 ? null : peers, new long[0], c.getVpCount(), Double.NaN),
            Map.of(
                "prefix", prefix,
                "leaker", Fmt.as(leaker),
                "segment", segment,
                "kind", kind,
                "since", Long.toString(c.getTimeMicros()))));
  }

  /** "701 396531 33154": the segment in path order, as the label and the path print it. */
  static String segment(Change c) {
    StringJoiner j = new StringJoiner(" ");
    for (int a : c.getLeakSegmentList()) {
      j.add(Long.toString(RuleText.u32(a)));
    }
    return j.toString();
  }

  static String kind(RouteLeakType t) {
    return switch (t) {
      case ROUTE_LEAK_TYPE_HAIRPIN -> "type 1, hairpin turn";
      case ROUTE_LEAK_TYPE_LATERAL -> "type 2, lateral ISP-ISP-ISP";
      case ROUTE_LEAK_TYPE_PROVIDER_TO_PEER -> "type 3, provider prefixes to a peer";
      case ROUTE_LEAK_TYPE_PEER_TO_PROVIDER -> "type 4, peer prefixes to a provider";
      default -> "unclassified";
    };
  }

  /** "learned from its provider AS10 and passed to its provider AS30". */
  private static String direction(RouteLeakType t, Change c) {
    if (c.getLeakSegmentCount() != 3) {
      return "against its export rules";
    }
    String to = Fmt.as(RuleText.u32(c.getLeakSegment(0)));
    String from = Fmt.as(RuleText.u32(c.getLeakSegment(2)));
    boolean fromProvider =
        t == RouteLeakType.ROUTE_LEAK_TYPE_HAIRPIN
            || t == RouteLeakType.ROUTE_LEAK_TYPE_PROVIDER_TO_PEER;
    boolean toProvider =
        t == RouteLeakType.ROUTE_LEAK_TYPE_HAIRPIN
            || t == RouteLeakType.ROUTE_LEAK_TYPE_PEER_TO_PROVIDER;
    return "learned from its "
        + (fromProvider ? "provider " : "peer ")
        + from
        + " and passed to its "
        + (toProvider ? "provider " : "peer ")
        + to;
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    Map<String, String> x = a.context();
    return new Annotations(
        "Resolved: route leak of " + x.get("prefix") + " by " + x.get("leaker"),
        "The leak of "
            + x.get("prefix")
            + " by "
            + x.get("leaker")
            + " (segment "
            + x.get("segment")
            + ", "
            + x.get("kind")
            + ") is carried by no VP any more; it was seen "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + ".");
  }
}
