package io.routewatch.state.ingest;

import io.routewatch.proto.v1.Attributes;
import io.routewatch.proto.v1.ErrorAction;
import io.routewatch.proto.v1.PathSegment;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.VantagePoint;
import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.RoutingEngine;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;

/**
 * Proto → engine values for one batch. The batch's shared tables (VPs, AS paths, attribute sets)
 * are converted once each, lazily, so a 2,048-event batch referencing 300 attribute sets converts
 * 300, not 2,048.
 */
final class EventTranslator {
  private final RouteEventBatch batch;
  private final RoutingEngine engine;
  private final int[] vps;
  private final AsPath[] paths;
  private final RouteAttributes[] attrs;

  EventTranslator(RouteEventBatch batch, RoutingEngine engine) {
    this.batch = batch;
    this.engine = engine;
    this.vps = new int[batch.getVantagePointsCount()];
    java.util.Arrays.fill(vps, -1);
    this.paths = new AsPath[batch.getAsPathsCount()];
    this.attrs = new RouteAttributes[batch.getAttributesCount()];
  }

  int vp(int ref) {
    if (ref < 0 || ref >= vps.length) {
      throw new IllegalArgumentException(
          "vp_ref " + ref + " outside the batch's " + vps.length + " VPs");
    }
    if (vps[ref] < 0) {
      VantagePoint v = batch.getVantagePoints(ref);
      String collector = v.getCollector().isEmpty() ? batch.getCollector() : v.getCollector();
      vps[ref] =
          engine.vantagePoint(
              collector, v.getPeerAddress().toByteArray(), v.getPeerAsn(), v.getPeerBgpId());
    }
    return vps[ref];
  }

  AsPath path(int attrRef) {
    Attributes a = attributes(attrRef);
    int ref = a.getAsPathRef();
    if (ref < 0) {
      return AsPath.EMPTY;
    }
    if (ref >= paths.length) {
      throw new IllegalArgumentException("as_path_ref " + ref + " outside the batch");
    }
    if (paths[ref] == null) {
      io.routewatch.proto.v1.AsPath p = batch.getAsPaths(ref);
      int n = p.getSegmentsCount();
      int[] types = new int[n];
      int[][] segs = new int[n][];
      for (int i = 0; i < n; i++) {
        PathSegment s = p.getSegments(i);
        types[i] = s.getTypeValue();
        segs[i] = new int[s.getAsnsCount()];
        for (int j = 0; j < segs[i].length; j++) {
          segs[i][j] = s.getAsns(j);
        }
      }
      paths[ref] = n == 0 ? AsPath.EMPTY : AsPath.of(types, segs);
    }
    return paths[ref];
  }

  Attributes attributes(int ref) {
    if (ref < 0 || ref >= attrs.length) {
      throw new IllegalArgumentException("attributes_ref " + ref + " outside the batch");
    }
    return batch.getAttributes(ref);
  }

  /** RFC 7606: a route whose UPDATE had a treat-as-withdraw error is a withdrawal. */
  boolean treatAsWithdraw(int attrRef) {
    ErrorAction a = attributes(attrRef).getErrorAction();
    return a == ErrorAction.TREAT_AS_WITHDRAW || a == ErrorAction.SESSION_RESET;
  }

  RouteAttributes routeAttributes(int ref) {
    if (attrs[ref] == null) {
      Attributes a = attributes(ref);
      int[] comms = new int[a.getCommunitiesCount()];
      for (int i = 0; i < comms.length; i++) {
        comms[i] = a.getCommunities(i);
      }
      attrs[ref] =
          new RouteAttributes(
              a.getOriginValue() > 2 ? RouteAttributes.ORIGIN_INCOMPLETE : a.getOriginValue(),
              a.getNextHop().isEmpty() ? null : a.getNextHop().toByteArray(),
              a.hasMed() ? Integer.toUnsignedLong(a.getMed()) : RouteAttributes.ABSENT,
              a.hasLocalPref() ? Integer.toUnsignedLong(a.getLocalPref()) : RouteAttributes.ABSENT,
              a.getAtomicAggregate(),
              comms);
    }
    return attrs[ref];
  }

  static Prefix prefix(io.routewatch.proto.v1.Prefix p) {
    int len = p.getLength();
    byte[] a = new byte[p.getAfi() == io.routewatch.proto.v1.Afi.IPV6 ? 16 : 4];
    byte[] given = p.getAddress().toByteArray();
    if (given.length > a.length || len > a.length * 8) {
      throw new IllegalArgumentException(
          "bad prefix: " + given.length + " address bytes, length " + len);
    }
    System.arraycopy(given, 0, a, 0, given.length);
    return Prefix.of(a, len);
  }
}
