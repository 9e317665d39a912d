package io.routewatch.collector.publish;

import com.google.protobuf.ByteString;
import io.routewatch.bgp.attr.MpReachNlri;
import io.routewatch.bgp.attr.PathAttribute;
import io.routewatch.bgp.attr.PathAttributes;
import io.routewatch.bgp.attr.Simple;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.Aggregator;
import io.routewatch.proto.v1.AsPath;
import io.routewatch.proto.v1.Attributes;
import io.routewatch.proto.v1.ErrorAction;
import io.routewatch.proto.v1.LargeCommunity;
import io.routewatch.proto.v1.Origin;
import io.routewatch.proto.v1.PathSegment;
import io.routewatch.proto.v1.PathSegmentType;
import io.routewatch.proto.v1.Prefix;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Codec values → route-event protos. One instance per batch: decoded attribute sets that are the
 * same object (all prefixes of one UPDATE) map to one {@link Attributes} entry without rehashing.
 */
public final class EventMapper {
  private final BatchBuilder batch;
  private final Map<PathAttributes, Integer> seen = new IdentityHashMap<>();

  public EventMapper(BatchBuilder batch) {
    this.batch = batch;
  }

  /** Index of the attribute set in the batch (interned). */
  public int attributes(PathAttributes attrs) {
    Integer ref = seen.get(attrs);
    if (ref == null) {
      ref = batch.attributes(toProto(attrs, batch));
      seen.put(attrs, ref);
    }
    return ref;
  }

  static Attributes toProto(PathAttributes a, BatchBuilder batch) {
    Attributes.Builder b = Attributes.newBuilder();
    io.routewatch.bgp.attr.AsPath path = a.asPath();
    b.setAsPathRef(path == null ? -1 : batch.asPath(asPath(path)));
    Simple.Origin origin = a.origin();
    b.setOrigin(origin == null ? Origin.ORIGIN_MISSING : origin(origin.value()));
    Simple.NextHop nh = a.nextHop();
    MpReachNlri mp = a.mpReach();
    if (mp != null && mp.nextHop() != null && mp.nextHop().length > 0) {
      b.setNextHop(ByteString.copyFrom(mp.nextHop()));
    } else if (nh != null) {
      b.setNextHop(ByteString.copyFrom(ipv4(nh.address())));
    }
    for (PathAttribute attr : a.all()) {
      if (attr instanceof Simple.MultiExitDisc m) {
        b.setMed((int) m.value());
      } else if (attr instanceof Simple.LocalPref lp) {
        b.setLocalPref((int) lp.value());
      } else if (attr instanceof Simple.AtomicAggregate) {
        b.setAtomicAggregate(true);
      } else if (attr instanceof Simple.Communities c) {
        for (int v : c.values()) {
          b.addCommunities(v);
        }
      } else if (attr instanceof Simple.ExtendedCommunities x) {
        for (long v : x.values()) {
          b.addExtendedCommunities(v);
        }
      } else if (attr instanceof Simple.LargeCommunities l) {
        int[] v = l.values();
        for (int i = 0; i + 2 < v.length; i += 3) {
          b.addLargeCommunities(
              LargeCommunity.newBuilder()
                  .setGlobalAdmin(v[i])
                  .setLocalData1(v[i + 1])
                  .setLocalData2(v[i + 2]));
        }
      }
    }
    Simple.Aggregator ag = a.aggregator();
    if (ag != null) {
      b.setAggregator(
          Aggregator.newBuilder()
              .setAsn((int) ag.as())
              .setAddress(ByteString.copyFrom(ipv4(ag.address()))));
    }
    if (a.action() != Rfc7606Action.NONE) {
      b.setErrorAction(action(a.action()));
      if (!a.errors().isEmpty()) {
        b.setErrorDetail(String.join("; ", a.errors()));
      }
    }
    return b.build();
  }

  public static AsPath asPath(io.routewatch.bgp.attr.AsPath p) {
    int[] d = p.segments();
    AsPath.Builder b = AsPath.newBuilder();
    for (int i = 0; i + 1 < d.length; i += 2 + d[i + 1]) {
      PathSegment.Builder s = PathSegment.newBuilder().setType(segmentType(d[i]));
      for (int j = 0; j < d[i + 1] && i + 2 + j < d.length; j++) {
        s.addAsns(d[i + 2 + j]);
      }
      b.addSegments(s);
    }
    return b.build();
  }

  public static Prefix prefix(io.routewatch.bgp.nlri.Prefix p) {
    byte[] addr = new byte[p.afi().bytes];
    p.copyAddress(addr, 0);
    return Prefix.newBuilder()
        .setAfi(p.afi() == io.routewatch.bgp.nlri.Afi.IPV6 ? Afi.IPV6 : Afi.IPV4)
        .setAddress(ByteString.copyFrom(addr, 0, p.wireBytes())) // only significant bytes travel
        .setLength(p.length())
        .build();
  }

  public static ErrorAction action(Rfc7606Action a) {
    return switch (a) {
      case NONE -> ErrorAction.ERROR_ACTION_NONE;
      case TREAT_AS_WITHDRAW -> ErrorAction.TREAT_AS_WITHDRAW;
      case ATTRIBUTE_DISCARD -> ErrorAction.ATTRIBUTE_DISCARD;
      case SESSION_RESET -> ErrorAction.SESSION_RESET;
      case AFI_SAFI_DISABLE -> ErrorAction.AFI_SAFI_DISABLE;
    };
  }

  static Origin origin(int v) {
    return switch (v) {
      case 0 -> Origin.ORIGIN_IGP;
      case 1 -> Origin.ORIGIN_EGP;
      case 2 -> Origin.ORIGIN_INCOMPLETE;
      default -> Origin.ORIGIN_MISSING;
    };
  }

  static PathSegmentType segmentType(int t) {
    return switch (t) {
      case 1 -> PathSegmentType.AS_SET;
      case 2 -> PathSegmentType.AS_SEQUENCE;
      case 3 -> PathSegmentType.AS_CONFED_SEQUENCE;
      case 4 -> PathSegmentType.AS_CONFED_SET;
      default -> PathSegmentType.SEGMENT_TYPE_UNSPECIFIED;
    };
  }

  static byte[] ipv4(int a) {
    return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
  }
}
