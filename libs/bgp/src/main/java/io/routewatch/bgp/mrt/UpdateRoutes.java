package io.routewatch.bgp.mrt;

import io.routewatch.bgp.attr.MpReachNlri;
import io.routewatch.bgp.attr.MpUnreachNlri;
import io.routewatch.bgp.attr.PathAttributes;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.message.Update;
import io.routewatch.bgp.nlri.Nlri;
import io.routewatch.bgp.nlri.Safi;
import java.util.List;

/**
 * One decoded UPDATE → route records, in bgpdump's order: withdrawn routes, MP_UNREACH_NLRI, NLRI,
 * MP_REACH_NLRI (RFC 4271 §4.3, RFC 4760 §3–4). All records share the UPDATE's {@link
 * PathAttributes} object.
 */
final class UpdateRoutes {
  private UpdateRoutes() {}

  static void emit(Update u, RecordFrame f, RouteRecordSink sink) {
    PathAttributes attrs = u.attributes();
    Rfc7606Action action = u.action();
    if (u.isEndOfRib()) {
      // RFC 4724 §2: empty UPDATE (IPv4 unicast) or a lone empty MP_UNREACH_NLRI.
      int[] fam = u.endOfRibAfiSafi();
      sink.route(
          f.make(RouteRecord.Kind.END_OF_RIB, null, fam[0], fam[1], attrs, action, false, 0));
      return;
    }
    withdraw(u.withdrawn(), 1, Safi.UNICAST, attrs, action, f, sink);
    MpUnreachNlri mpu = attrs.mpUnreach();
    if (mpu != null) withdraw(mpu.withdrawn(), mpu.afi(), mpu.safi(), attrs, action, f, sink);
    // RFC 7606 §2: treat-as-withdraw (and anything more severe, where the attribute set cannot be
    // trusted at all) turns the announced routes into withdrawals; say so on the record.
    boolean taw = action.compareTo(Rfc7606Action.TREAT_AS_WITHDRAW) >= 0;
    RouteRecord.Kind kind = taw ? RouteRecord.Kind.WITHDRAW : RouteRecord.Kind.ANNOUNCE;
    announce(u.nlri(), 1, Safi.UNICAST, kind, taw, attrs, action, f, sink);
    MpReachNlri mpr = attrs.mpReach();
    if (mpr != null) announce(mpr.nlri(), mpr.afi(), mpr.safi(), kind, taw, attrs, action, f, sink);
  }

  private static void withdraw(
      List<Nlri> list,
      int afi,
      int safi,
      PathAttributes attrs,
      Rfc7606Action action,
      RecordFrame f,
      RouteRecordSink sink) {
    for (int i = 0, n = list.size(); i < n; i++) {
      sink.route(
          f.make(RouteRecord.Kind.WITHDRAW, list.get(i), afi, safi, attrs, action, false, 0));
    }
  }

  private static void announce(
      List<Nlri> list,
      int afi,
      int safi,
      RouteRecord.Kind kind,
      boolean taw,
      PathAttributes attrs,
      Rfc7606Action action,
      RecordFrame f,
      RouteRecordSink sink) {
    for (int i = 0, n = list.size(); i < n; i++)
      sink.route(f.make(kind, list.get(i), afi, safi, attrs, action, taw, 0));
  }
}
