package io.routewatch.collector.publish;

import io.routewatch.proto.v1.Prefix;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Consistent hashing of the prefix space over named state shards.
 *
 * <p>Every shard name gets {@value #VNODES} virtual nodes on a 64-bit ring; node {@code i} of shard
 * {@code name} sits at {@code mix(fnv1a64(utf8(name + "#" + i)))}. A prefix sits at {@code
 * mix(fnv1a64(afi, address, length))} and belongs to the first virtual node at or after it
 * (clockwise, wrapping around). {@code fnv1a64} is FNV-1a 64 (offset basis {@code
 * 0xcbf29ce484222325}, prime {@code 0x100000001b3}); {@code mix} is the SplitMix64 finaliser.
 * Positions compare as signed longs.
 *
 * <p>The prefix bytes hashed are: the AFI number (one byte), the {@code (length + 7) / 8}
 * significant address bytes with the host bits of the last one cleared (missing bytes count as
 * zero, extra bytes are ignored), and the length (one byte). So the same prefix lands on the same
 * shard however its address was encoded.
 *
 * <p>Adding a shard moves only the prefixes the new shard takes over (about {@code 1/n} of them);
 * none move between the shards that were already there. Pure Java, immutable, thread-safe.
 */
public final class ShardRing {
  /** Virtual nodes per shard name. */
  public static final int VNODES = 128;

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final List<String> names;
  private final long[] positions; // sorted
  private final int[] owners; // owners[k] owns positions[k]

  /** A ring over the shard names, in order: {@link #owner} answers indexes into this list. */
  public ShardRing(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException("a shard ring needs at least one shard name");
    }
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (n == null || n.isEmpty()) {
        throw new IllegalArgumentException("empty shard name");
      }
      if (!seen.add(n)) {
        throw new IllegalArgumentException("duplicate shard name: " + n);
      }
    }
    this.names = List.copyOf(names);
    int total = this.names.size() * VNODES;
    long[][] nodes = new long[total][];
    int k = 0;
    for (int s = 0; s < this.names.size(); s++) {
      for (int i = 0; i < VNODES; i++) {
        byte[] key = (this.names.get(s) + "#" + i).getBytes(StandardCharsets.UTF_8);
        nodes[k++] = new long[] {mix(fnv1a(FNV_OFFSET, key, 0, key.length)), s};
      }
    }
    // Ties (practically impossible) go to the shard listed first: deterministic either way.
    Arrays.sort(
        nodes, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    positions = new long[total];
    owners = new int[total];
    for (int j = 0; j < total; j++) {
      positions[j] = nodes[j][0];
      owners[j] = (int) nodes[j][1];
    }
  }

  /** The shard names, in the order given. */
  public List<String> names() {
    return names;
  }

  public int size() {
    return names.size();
  }

  /** Index (into {@link #names}) of the shard that owns the prefix. */
  public int owner(Prefix p) {
    return ownerOf(position(p));
  }

  /** Name of the shard that owns the prefix. */
  public String ownerName(Prefix p) {
    return names.get(owner(p));
  }

  int ownerOf(long position) {
    int i = Arrays.binarySearch(positions, position);
    if (i < 0) {
      i = -i - 1; // first node after the position
    } else {
      while (i > 0 && positions[i - 1] == position) {
        i--; // first of equal nodes
      }
    }
    if (i == positions.length) {
      i = 0; // wrap around
    }
    return owners[i];
  }

  /** Ring position of a prefix (see the class comment for the bytes hashed). */
  static long position(Prefix p) {
    int length = p.getLength();
    int n = (length + 7) / 8;
    byte[] key = new byte[n + 2];
    key[0] = (byte) p.getAfiValue();
    var address = p.getAddress();
    for (int i = 0; i < n && i < address.size(); i++) {
      key[1 + i] = address.byteAt(i);
    }
    if (length % 8 != 0) {
      key[n] &= (byte) (0xff << (8 - length % 8)); // clear host bits of the last byte
    }
    key[n + 1] = (byte) length;
    return mix(fnv1a(FNV_OFFSET, key, 0, key.length));
  }

  static long fnv1a(long h, byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      h ^= bytes[i] & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }

  /** SplitMix64 finaliser: spreads FNV's weak low-entropy inputs over the whole ring. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
