package io.routewatch.alert.support;

import com.google.protobuf.ByteString;
import io.routewatch.alert.rule.IpPrefix;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.Prefix;
import java.time.Instant;

/** Builders for state's Change messages as the lead's ChangePublisher fills them. */
public final class Changes {
  private Changes() {}

  public static long micros(String rfc3339) {
    Instant i = Instant.parse(rfc3339);
    return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
  }

  public static Prefix prefix(String text) {
    IpPrefix p = IpPrefix.parse(text);
    int n = (p.length() + 7) / 8;
    return Prefix.newBuilder()
        .setAfi(p.address().length == 16 ? Afi.IPV6 : Afi.IPV4)
        .setAddress(ByteString.copyFrom(p.address(), 0, n))
        .setLength(p.length())
        .build();
  }

  /** An origin-scoped upstream change. */
  public static Change upstream(
      ChangeKind kind,
      long time,
      long asn,
      String cc,
      String prefix,
      long upstream,
      double before,
      double after,
      int vps,
      int... peers) {
    Change.Builder b =
        Change.newBuilder()
            .setKind(kind)
            .setTimeMicros(time)
            .setAsn((int) asn)
            .setCountry(cc)
            .setUpstream((int) upstream)
            .setShareBefore(before)
            .setShareAfter(after)
            .setVpCount(vps);
    if (prefix != null) {
      b.setPrefix(prefix(prefix));
    }
    for (int p : peers) {
      b.addPeerAsns(p);
    }
    return b.build();
  }

  public static Change visibility(
      ChangeKind kind, long time, long asn, String cc, String prefix, double vis, int vps) {
    Change.Builder b =
        Change.newBuilder()
            .setKind(kind)
            .setTimeMicros(time)
            .setAsn((int) asn)
            .setCountry(cc)
            .setVisibility(vis)
            .setVpCount(vps);
    if (prefix != null) {
      b.setPrefix(prefix(prefix));
    }
    return b.build();
  }

  public static Change prefixEvent(
      ChangeKind kind, long time, long origin, String cc, String prefix, double vis, int vps) {
    return visibility(kind, time, origin, cc, prefix, vis, vps);
  }

  public static Change feed(ChangeKind kind, long time, String feed, int vps) {
    return Change.newBuilder()
        .setKind(kind)
        .setTimeMicros(time)
        .setFeed(feed)
        .setVpCount(vps)
        .build();
  }

  public static Change withSequence(Change c, long seq) {
    return c.toBuilder().setSequence(seq).build();
  }
}
