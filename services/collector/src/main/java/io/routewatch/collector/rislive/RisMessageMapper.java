package io.routewatch.collector.rislive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.routewatch.bgp.nlri.IpText;
import io.routewatch.bgp.nlri.Prefix;
import io.routewatch.collector.publish.LiveEvent;
import io.routewatch.proto.v1.Aggregator;
import io.routewatch.proto.v1.AsPath;
import io.routewatch.proto.v1.Attributes;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.Origin;
import io.routewatch.proto.v1.PathSegment;
import io.routewatch.proto.v1.PathSegmentType;
import io.routewatch.proto.v1.VantagePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One RIS Live frame (JSON) → route events. {@code ris_message} UPDATEs become announcements (one
 * per prefix, attributes from {@code path}, {@code origin}, {@code community}, {@code med}, {@code
 * aggregator}, the announcement's {@code next_hop}) and withdrawals; RIS_PEER_STATE becomes PEER_UP
 * / PEER_DOWN; OPEN, NOTIFICATION, KEEPALIVE and {@code ris_error} carry no route. The VP is (RIS
 * collector {@code host}, {@code peer}, {@code peer_asn}).
 */
public final class RisMessageMapper {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A frame that is not a well-formed RIS Live message. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    Malformed(String reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }

    /** Metric label: malformed_json or invalid_message. */
    public String reason() {
      return reason;
    }
  }

  /** Parsed frame: its type label for metrics and the events it yields. */
  public record Result(String type, List<LiveEvent> events) {}

  public Result map(String frame, long nowMicros) throws Malformed {
    JsonNode root;
    try {
      root = JSON.readTree(frame);
    } catch (JsonProcessingException e) {
      throw new Malformed("malformed_json", e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new Malformed("malformed_json", "not a JSON object");
    }
    String type = root.path("type").asText("");
    if (type.equals("ris_error")) {
      return new Result("ris_error", List.of());
    }
    if (type.equals("pong") || type.equals("ris_rrc_list") || type.equals("ris_subscribe_ok")) {
      return new Result("control", List.of());
    }
    if (!type.equals("ris_message")) {
      throw new Malformed("invalid_message", "unknown message type '" + type + "'");
    }
    JsonNode d = root.path("data");
    String kind = d.path("type").asText("").toLowerCase(Locale.ROOT);
    try {
      return switch (kind) {
        case "update" -> new Result("update", update(d, vp(d), nowMicros));
        case "ris_peer_state" -> new Result("ris_peer_state", peerState(d, nowMicros));
        case "open", "notification", "keepalive" -> new Result(kind, List.of());
        default ->
            throw new Malformed("invalid_message", "unknown ris_message type '" + kind + "'");
      };
    } catch (IllegalArgumentException e) {
      throw new Malformed("invalid_message", e.getMessage());
    }
  }

  private static VantagePoint vp(JsonNode d) {
    String peer = d.path("peer").asText(null);
    if (peer == null) {
      throw new IllegalArgumentException("ris_message without peer");
    }
    return VantagePoint.newBuilder()
        .setCollector(d.path("host").asText("ris-live"))
        .setPeerAddress(ByteString.copyFrom(ip(peer)))
        .setPeerAsn((int) Long.parseLong(d.path("peer_asn").asText("0")))
        .build();
  }

  private static List<LiveEvent> peerState(JsonNode d, long now) {
    String state = d.path("state").asText("");
    EventKind k =
        switch (state) {
          case "connected", "up" -> EventKind.PEER_UP;
          case "down" -> EventKind.PEER_DOWN;
          default -> null;
        };
    return k == null ? List.of() : List.of(LiveEvent.of(k, vp(d), now));
  }

  private static List<LiveEvent> update(JsonNode d, VantagePoint vp, long now) {
    List<LiveEvent> out = new ArrayList<>();
    for (JsonNode w : d.path("withdrawals")) {
      out.add(LiveEvent.withdraw(vp, now, Prefix.parse(w.asText())));
    }
    AsPath path = path(d.path("path"));
    for (JsonNode a : d.path("announcements")) {
      Attributes attrs = attributes(d, a.path("next_hop").asText(null));
      for (JsonNode p : a.path("prefixes")) {
        out.add(LiveEvent.announce(vp, now, Prefix.parse(p.asText()), path, attrs));
      }
    }
    return out;
  }

  private static Attributes attributes(JsonNode d, String nextHop) {
    Attributes.Builder b = Attributes.newBuilder();
    b.setOrigin(
        switch (d.path("origin").asText("").toLowerCase(Locale.ROOT)) {
          case "igp" -> Origin.ORIGIN_IGP;
          case "egp" -> Origin.ORIGIN_EGP;
          case "incomplete" -> Origin.ORIGIN_INCOMPLETE;
          default -> Origin.ORIGIN_MISSING;
        });
    if (nextHop != null) {
      // "2001:db8::1,fe80::1": global and link-local next hops.
      ByteString nh = ByteString.EMPTY;
      for (String part : nextHop.split(",")) {
        nh = nh.concat(ByteString.copyFrom(ip(part.trim())));
      }
      b.setNextHop(nh);
    }
    if (d.has("med")) {
      b.setMed(d.path("med").asInt());
    }
    for (JsonNode c : d.path("community")) {
      if (c.isArray() && c.size() == 2) {
        b.addCommunities(c.get(0).asInt() << 16 | (c.get(1).asInt() & 0xffff));
      }
    }
    String agg = d.path("aggregator").asText(null);
    if (agg != null && agg.contains(":")) {
      int colon = agg.indexOf(':');
      b.setAggregator(
          Aggregator.newBuilder()
              .setAsn((int) Long.parseLong(agg.substring(0, colon)))
              .setAddress(ByteString.copyFrom(ip(agg.substring(colon + 1)))));
    }
    return b.build();
  }

  /** RIS Live paths: numbers are AS_SEQUENCE members, a nested list is an AS_SET. */
  static AsPath path(JsonNode p) {
    AsPath.Builder b = AsPath.newBuilder();
    PathSegment.Builder seq = null;
    for (JsonNode n : p) {
      if (n.isArray()) {
        if (seq != null) {
          b.addSegments(seq);
          seq = null;
        }
        PathSegment.Builder set = PathSegment.newBuilder().setType(PathSegmentType.AS_SET);
        n.forEach(x -> set.addAsns((int) x.asLong()));
        b.addSegments(set);
      } else {
        if (seq == null) {
          seq = PathSegment.newBuilder().setType(PathSegmentType.AS_SEQUENCE);
        }
        seq.addAsns((int) n.asLong());
      }
    }
    if (seq != null) {
      b.addSegments(seq);
    }
    return b.build();
  }

  private static byte[] ip(String s) {
    byte[] b = IpText.parse(s);
    if (b == null) {
      throw new IllegalArgumentException("bad address " + s);
    }
    return b;
  }
}
