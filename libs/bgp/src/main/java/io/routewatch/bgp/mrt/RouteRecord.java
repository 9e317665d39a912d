package io.routewatch.bgp.mrt;

import io.routewatch.bgp.attr.AsPath;
import io.routewatch.bgp.attr.PathAttributes;
import io.routewatch.bgp.error.Rfc7606Action;
import io.routewatch.bgp.nlri.Nlri;
import io.routewatch.bgp.nlri.Prefix;

/**
 * One route-level fact from an MRT record, the unit the collector turns into one route event.
 *
 * <ul>
 *   <li>{@link Kind#RIB_ENTRY}: one per (peer, prefix, path id) of a TABLE_DUMP / TABLE_DUMP_V2 RIB
 *       record (RFC 6396 §4.2, §4.3; RFC 8050 add-path);
 *   <li>{@link Kind#ANNOUNCE} / {@link Kind#WITHDRAW}: one per prefix of an UPDATE in BGP4MP(_ET)
 *       or type 5, NLRI and MP_REACH / withdrawn routes and MP_UNREACH (RFC 4271 §4.3, RFC 4760).
 *       When RFC 7606 decides treat-as-withdraw, the announced prefixes come as WITHDRAW with
 *       {@link #treatAsWithdraw()} true (and the malformed attributes attached);
 *   <li>{@link Kind#STATE}: a BGP4MP STATE_CHANGE(_AS4) or type-5 STATE_CHANGE, {@link #oldState()}
 *       → {@link #newState()} (RFC 4271 §8.2.2 numbering: 1 Idle … 6 Established);
 *   <li>{@link Kind#END_OF_RIB}: an RFC 4724 §2 End-of-RIB UPDATE for {@link #afi()}/{@link
 *       #safi()}.
 * </ul>
 *
 * <p>Fields that do not apply are null ({@link #nlri()}), {@link PathAttributes#EMPTY} or 0. All
 * records of one UPDATE (and all entries sharing a RIB attribute set) hold the same {@link
 * PathAttributes} object, so consumers can intern by identity first.
 *
 * @param kind what happened
 * @param peer the vantage point (shared instance per peer)
 * @param timestamp seconds since the epoch from the MRT header (the dump time for RIB entries)
 * @param microseconds BGP4MP_ET microseconds, else 0
 * @param nlri prefix and RFC 7911 path id ({@link Nlri#NO_PATH_ID} without add-path); null for
 *     STATE and END_OF_RIB
 * @param afi address family (1 IPv4, 2 IPv6) of the prefix / End-of-RIB / peer address for STATE
 * @param safi 1 unicast, 2 multicast; 0 for STATE
 * @param attributes decoded attributes (AS path merged per RFC 6793 via {@link #asPath()}); for
 *     TABLE_DUMP_V2 AS_PATH is 4-byte and MP_REACH_NLRI abbreviated (RFC 6396 §4.3.4)
 * @param action RFC 7606 decision for the UPDATE or RIB entry attributes
 * @param treatAsWithdraw true for a WITHDRAW that was announced but RFC 7606 treat-as-withdraw
 *     applies
 * @param originated RIB entry originated time (seconds), else 0
 * @param oldState STATE: FSM state before, else 0
 * @param newState STATE: FSM state after, else 0
 * @param mrtType MRT type of the source record ({@link MrtType})
 * @param mrtSubtype MRT subtype of the source record
 * @param recordNumber 1-based MRT record number
 * @param offset byte offset of the MRT record header in the decompressed stream
 */
public record RouteRecord(
    Kind kind,
    MrtPeer peer,
    long timestamp,
    int microseconds,
    Nlri nlri,
    int afi,
    int safi,
    PathAttributes attributes,
    Rfc7606Action action,
    boolean treatAsWithdraw,
    long originated,
    int oldState,
    int newState,
    int mrtType,
    int mrtSubtype,
    long recordNumber,
    long offset) {

  /** Route record kinds. */
  public enum Kind {
    RIB_ENTRY,
    ANNOUNCE,
    WITHDRAW,
    STATE,
    END_OF_RIB
  }

  /** The prefix, or null for STATE / END_OF_RIB. */
  public Prefix prefix() {
    return nlri == null ? null : nlri.prefix();
  }

  /** RFC 7911 path id, or {@link Nlri#NO_PATH_ID}. */
  public long pathId() {
    return nlri == null ? Nlri.NO_PATH_ID : nlri.pathId();
  }

  /** AS path with AS4_PATH merged (RFC 6793 §4.2.3), or null when there is none. */
  public AsPath asPath() {
    return attributes.asPath();
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder().append(kind).append(' ').append(peer).append(" t=").append(timestamp);
    if (nlri != null) sb.append(' ').append(nlri);
    if (kind == Kind.STATE) sb.append(' ').append(oldState).append("->").append(newState);
    if (kind == Kind.END_OF_RIB) sb.append(" afi ").append(afi).append(" safi ").append(safi);
    if (treatAsWithdraw) sb.append(" (treat-as-withdraw)");
    return sb.append(" #").append(recordNumber).append('@').append(offset).toString();
  }
}
