package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.LongStream;

/**
 * The share of an upstream fell by at least {@code share-shift-points} while the network kept the
 * same upstreams (North Korea, 2 Oct 2017: 175.45.176.0/24 stops using TransTeleCom and its share
 * falls 60 % → 40 %). Measured against a reference share, so a slow drift in small steps still
 * fires. A shift is reported once, on the upstream that lost share (the gainers are the mirror
 * image and are named in the description). Moves explained by an upstream appearing or vanishing
 * are not shifts: NewUpstream and LostUpstream say that, and while the set of upstreams is in flux
 * the reference follows the share (state's view, {@link RuleContext#shareReference()}). Resolves
 * when the share is back within the band of the reference, or after auto-resolve (the new split
 * became normal).
 */
@ApplicationScoped
public class UpstreamShareShiftRule implements AlertRule {
  @Override
  public AlertType type() {
    return AlertType.UPSTREAM_SHARE_SHIFT;
  }

  @Override
  public List<Signal> evaluate(Change c, RuleContext ctx) {
    long up = RuleText.u32(c.getUpstream());
    if (up == 0) {
      return List.of();
    }
    Target t = ctx.target();
    if (c.getKind() == ChangeKind.UPSTREAM_ADDED || c.getKind() == ChangeKind.UPSTREAM_REMOVED) {
      // an upstream came or went: shifts still in their hold time were part of that
      List<Signal> out = new ArrayList<>();
      for (ActiveAlert a : ctx.activeWithPrefix(Labels.of(type(), t).key() + "|upstream=")) {
        if (!a.firing()) {
          out.add(Signal.resolve(type(), a.key()));
        }
      }
      return out;
    }
    if (c.getKind() != ChangeKind.SHARE_MOVED) {
      return List.of();
    }
    Labels l = Labels.of(type(), t).upstream(up);
    Optional<ActiveAlert> active = ctx.active(l.key());
    OptionalDouble ref = ctx.shareReference();
    if (active.isEmpty() && ref.isEmpty()) {
      return List.of(); // the split is still forming after an upstream came or went
    }
    double points = ctx.thresholds(type()).shareShiftPoints();
    double baseline =
        active
            .map(a -> Double.parseDouble(a.context().getOrDefault("baseline", "0")))
            .orElse(ref.orElse(0));
    double after = c.getShareAfter();
    if (baseline - after + 1e-9 < points) {
      return active.isPresent() ? List.of(Signal.resolve(type(), l.key())) : List.of();
    }
    long[] peers = Labels.peers(c.getPeerAsnsList());
    long[] adj = Labels.adjacent(peers, t.asn(), up);
    // the evidence of a fall: the peer ASNs on the upstream at the reference (the ones that moved
    // away are among them) and the ones on it now, so a fall that leaves one VP on the upstream
    // pages the same whether state reported it in one step or in several
    long[] left =
        Arrays.stream(ctx.shareReferencePeers())
            .filter(a -> Arrays.stream(peers).noneMatch(p -> p == a))
            .sorted()
            .toArray();
    long[] evidence = LongStream.concat(Arrays.stream(peers), Arrays.stream(left)).toArray();
    String summary =
        "Share of upstream "
            + Fmt.as(up)
            + " for "
            + t.display()
            + " fell from "
            + Fmt.pct(baseline)
            + " to "
            + Fmt.pct(after);
    String desc =
        "The share of "
            + t.display()
            + "'s VP paths through "
            + Fmt.as(up)
            + " fell by "
            + Fmt.pct(baseline - after).replace("%", " points")
            + " ("
            + Fmt.pct(baseline)
            + " → "
            + Fmt.pct(after)
            + ") at "
            + Fmt.time(c.getTimeMicros())
            + "; now seen by "
            + Fmt.seenBy(c.getVpCount(), peers, adj)
            + RuleText.viaPrefix(c)
            + (left.length == 0 ? "" : "; no longer seen by " + Fmt.peers(left, adj))
            + ". Upstreams now: "
            + RuleText.upstreams(ctx.upstreams())
            + ".";
    return List.of(
        new Signal(
            type(),
            l.key(),
            true,
            l.map(),
            summary,
            desc,
            new Evidence(
                evidence, Labels.adjacent(evidence, t.asn(), up), c.getVpCount(), baseline - after),
            Map.of(
                "baseline", Double.toString(baseline),
                "after", Double.toString(after),
                "network", t.display(),
                "upstream", Fmt.as(up))));
  }

  @Override
  public Annotations resolved(ActiveAlert a, long endsAt) {
    String net = a.context().getOrDefault("network", "");
    String up = a.context().getOrDefault("upstream", "");
    double base = Double.parseDouble(a.context().getOrDefault("baseline", "0"));
    return new Annotations(
        "Resolved: share of upstream " + up + " for " + net + " settled",
        "The share of "
            + net
            + "'s VP paths through "
            + up
            + " moved away from "
            + Fmt.pct(base)
            + " "
            + RuleText.span(a.startsAtMicros(), endsAt)
            + "; it is back near its baseline or the new split is now normal.");
  }
}
