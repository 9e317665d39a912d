package io.routewatch.state.rpki;

import io.routewatch.proto.v1.RoaChangeType;
import io.routewatch.state.route.Prefix;
import io.routewatch.state.route.WatchedSpace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ROA changes of the watched space between two loads of the VRP set (RoaChange, issue 19): per
 * (prefix, AS) the longest maxLength its VRPs allow, before and after. Only keys the space watched
 * at both loads are compared: a key that entered the space since (a new watch entry) is its
 * baseline, not a change, and one that left it is nobody's concern any more.
 */
public final class RoaDiff {
  private RoaDiff() {}

  /** A ROA (prefix, authorised AS; AS0 = 0). */
  public record Key(Prefix prefix, long asn) {}

  /** How (prefix, asn) changed; {@code before} / {@code after} are 0 where it had no VRP. */
  public record Delta(Prefix prefix, long asn, RoaChangeType type, int before, int after) {}

  /** The longest maxLength per (prefix, AS) of the VRPs {@code space} watches. */
  public static Map<Key, Integer> watched(Collection<Vrp> vrps, WatchedSpace space) {
    Map<Key, Integer> out = new HashMap<>();
    if (space.isEmpty()) {
      return out;
    }
    int[] origin = new int[1];
    for (Vrp v : vrps) {
      origin[0] = (int) v.asn();
      if (space.watches(v.prefix(), origin)) {
        out.merge(new Key(v.prefix(), v.asn()), v.maxLength(), Math::max);
      }
    }
    return out;
  }

  /**
   * The changes from {@code before} (filtered by {@code spaceBefore}) to {@code after} (filtered by
   * {@code spaceAfter}), sorted by prefix then AS.
   */
  public static List<Delta> diff(
      Map<Key, Integer> before,
      WatchedSpace spaceBefore,
      Map<Key, Integer> after,
      WatchedSpace spaceAfter) {
    List<Delta> out = new ArrayList<>();
    int[] origin = new int[1];
    for (Map.Entry<Key, Integer> e : before.entrySet()) {
      Key k = e.getKey();
      origin[0] = (int) k.asn();
      if (!spaceAfter.watches(k.prefix(), origin)) {
        continue; // no longer watched
      }
      Integer now = after.get(k);
      if (now == null) {
        out.add(
            new Delta(k.prefix(), k.asn(), RoaChangeType.ROA_CHANGE_TYPE_REMOVED, e.getValue(), 0));
      } else if (!now.equals(e.getValue())) {
        out.add(
            new Delta(
                k.prefix(),
                k.asn(),
                RoaChangeType.ROA_CHANGE_TYPE_MAX_LENGTH_CHANGED,
                e.getValue(),
                now));
      }
    }
    for (Map.Entry<Key, Integer> e : after.entrySet()) {
      Key k = e.getKey();
      if (before.containsKey(k)) {
        continue;
      }
      origin[0] = (int) k.asn();
      if (spaceBefore.watches(k.prefix(), origin)) {
        out.add(
            new Delta(k.prefix(), k.asn(), RoaChangeType.ROA_CHANGE_TYPE_ADDED, 0, e.getValue()));
      }
    }
    out.sort(
        (a, b) -> {
          int c = a.prefix().compareTo(b.prefix());
          return c != 0 ? c : Long.compare(a.asn(), b.asn());
        });
    return out;
  }
}
