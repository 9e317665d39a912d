package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.NeighborSide;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * A watched AS has a neighbour it did not have: an AS adjacent to it on VPs' best paths, upstream
 * (toward the VP) or downstream (toward the origin), outside the baseline state keeps (BGPalerter's
 * {@code monitorPathNeighbors}; ARTEMIS's neighbour hijack checks look at the same edge). Info by
 * default: a transit adding a customer or a peer is usually business, worth a look because a leak
 * or a path hijack also starts as an edge nobody saw before. One alert per (AS, neighbour, side),
 * on {@code CHANGE_KIND_NEIGHBOR_APPEARED} and its spread updates (the evidence grows per peer AS);
 * a VP whose peer AS is the watched AS or the neighbour itself is marked adjacent (it sees the edge
 * because it peers there; {@code exclude-adjacent} leaves it out of the count). Resolves on {@code
 * CHANGE_KIND_NEIGHBOR_GONE} or after the auto-resolve time (by then it is the network's normal).
 */
@ApplicationScoped
public class NewNeighborRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.NEW_NEIGHBOR;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    if (c.getKind() != ChangeKind.CHANGE_KIND_NEIGHBOR_APPEARED
        && c.getKind() != ChangeKind.CHANGE_KIND_NEIGHBOR_GONE) {
      return List.of();
    }
    Target t = ctx.target();
    long asn = RuleText.u32(c.getAsn());
    long neighbor = RuleText.u32(c.getNeighborAsn());
    String side = side(c.getNeighborSide());
    if (t.kind() != Target.Kind.ASN || asn != t.asn() || neighbor == 0 || side.isEmpty()) {
      return List.of();
    }
    Labels l = Labels.of(type(), t).put("neighbor", Fmt.as(neighbor)).put("side", side);
    if (c.getKind() == ChangeKind.CHANGE_KIND_NEIGHBOR_GONE
        || ctx.allowedNeighbors(side).contains(neighbor)) {
      // gone, or listed by the entry (BGPalerter's upstreams / downstreams): never an alert, and
      // one that fired before the operator listed it ends
      return List.of(Signal.resolve(type(), l.key()));
    }
    if (ctx.baseline()) {
      // the network's first observations (baseline-period, as NewUpstream): state reports the
      // edges of a VP that settled before its routes came (an empty End-of-RIB) as news
      return List.of();
    }
    Thresholds th = ctx.thresholds(type());
    long since = c.getNeighborSinceMicros() != 0 ? c.getNeighborSinceMicros() : c.getTimeMicros();
    if (th.autoResolveMicros() > 0 && c.getTimeMicros() - since >= th.autoResolveMicros()) {
      return List.of(); // evidence that grows a day later is about the normal, not the new
    }
    long[] peers = Labels.peers(c.getPeerAsnsList());
    long[] adj = Labels.adjacent(peers, asn, neighbor);
    String summary = "New " + side + " neighbour " + Fmt.as(neighbor) + " of " + t.display();
    String desc =
        t.display()
            + (t.description().isEmpty() ? "" : " [" + t.description() + "]")
            + " has a new "
            + side
            + " neighbour "
            + Fmt.as(neighbor)
            + " since "
            + Fmt.time(since)
            + " ("
            + (side.equals("upstream")
                ? Fmt.as(asn) + " passes routes to " + Fmt.as(neighbor)
                : Fmt.as(asn) + " carries routes from " + Fmt.as(neighbor))
            + "); first path "
            + c.getAsPath()
            + (c.hasPrefix() ? " for " + Fmt.prefix(c.getPrefix()) : "")
            + "; seen by "
            + Fmt.seenBy(c.getVpCount(), peers, adj)
            + ".";
    return List.of(
        new Signal(
            type(),
            l.key(),
            true,
            l.map(),
            summary,
            desc,
            new Evidence(peers, adj, c.getVpCount(), Double.NaN),
            Map.of(
                "network",
                t.display(),
                "neighbor",
                Fmt.as(neighbor),
                "side",
                side,
                "since",
                Long.toString(since),
                "first_path",
                c.getAsPath())));
  }

  /** The {@code side} label: "upstream" / "downstream", "" when unset. */
  static String side(NeighborSide s) {
    return switch (s) {
      case NEIGHBOR_SIDE_UPSTREAM -> "upstream";
      case NEIGHBOR_SIDE_DOWNSTREAM -> "downstream";
      default -> "";
    };
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    Map<String, String> x = a.context();
    String n = x.getOrDefault("neighbor", "");
    String side = x.getOrDefault("side", "");
    String net = x.getOrDefault("network", "");
    return new Annotations(
        "Resolved: new " + side + " neighbour " + n + " of " + net,
        n
            + " was a new "
            + side
            + " neighbour of "
            + net
            + " (first path "
            + x.getOrDefault("first_path", "")
            + ") "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + ".");
  }
}
