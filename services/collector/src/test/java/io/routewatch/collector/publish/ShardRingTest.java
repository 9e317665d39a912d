package io.routewatch.collector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.routewatch.proto.v1.Afi;
import io.routewatch.proto.v1.Prefix;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardRingTest {
  static final List<String> THREE = List.of("state-0", "state-1", "state-2");

  /** Distinct random IPv4 /24s (fixed seed). */
  static List<Prefix> randomSlash24s(int n, long seed) {
    Random rnd = new Random(seed);
    Set<Integer> seen = new LinkedHashSet<>();
    while (seen.size() < n) {
      seen.add(rnd.nextInt(1 << 24));
    }
    List<Prefix> out = new ArrayList<>(n);
    for (int net : seen) {
      out.add(v4(net >>> 16 & 0xff, net >>> 8 & 0xff, net & 0xff, 0, 24));
    }
    return out;
  }

  static Prefix v4(int a, int b, int c, int d, int length) {
    byte[] addr = {(byte) a, (byte) b, (byte) c, (byte) d};
    return Prefix.newBuilder()
        .setAfi(Afi.IPV4)
        .setAddress(ByteString.copyFrom(addr, 0, (length + 7) / 8))
        .setLength(length)
        .build();
  }

  @Test
  void deterministic() {
    ShardRing a = new ShardRing(THREE);
    ShardRing b = new ShardRing(List.of("state-0", "state-1", "state-2"));
    for (Prefix p : randomSlash24s(5_000, 7)) {
      assertEquals(a.owner(p), b.owner(p));
      assertEquals(a.owner(p), a.owner(p));
    }
    // The hash is a contract (whoever else computes owners must agree): FNV-1a 64 and SplitMix64
    // reference values.
    assertEquals(0xcbf29ce484222325L, ShardRing.fnv1a(0xcbf29ce484222325L, new byte[0], 0, 0));
    assertEquals(0xaf63dc4c8601ec8cL, ShardRing.fnv1a(0xcbf29ce484222325L, new byte[] {'a'}, 0, 1));
    assertEquals(0xe220a8397b1dcdafL, ShardRing.mix(0x9e3779b97f4a7c15L));
    // One shard owns everything.
    ShardRing one = new ShardRing(List.of("only"));
    for (Prefix p : randomSlash24s(100, 1)) {
      assertEquals(0, one.owner(p));
    }
  }

  @Test
  void samePrefixSamePositionWhateverTheEncoding() {
    Prefix shortForm = v4(10, 1, 2, 0, 24); // 3 significant bytes
    Prefix fullForm =
        Prefix.newBuilder()
            .setAfi(Afi.IPV4)
            .setAddress(ByteString.copyFrom(new byte[] {10, 1, 2, 0}))
            .setLength(24)
            .build();
    Prefix hostBits =
        fullForm.toBuilder().setAddress(ByteString.copyFrom(new byte[] {10, 1, 2, 77})).build();
    assertEquals(ShardRing.position(shortForm), ShardRing.position(fullForm));
    assertEquals(ShardRing.position(shortForm), ShardRing.position(hostBits));
    Prefix odd = v4(10, 1, 0b1100_0000, 0, 18);
    Prefix oddWithHostBits = v4(10, 1, 0b1111_1111, 0, 18);
    assertEquals(ShardRing.position(odd), ShardRing.position(oddWithHostBits));
    // ... but length and AFI are part of the key
    assertNotEquals(
        ShardRing.position(v4(10, 1, 2, 0, 24)), ShardRing.position(v4(10, 1, 2, 0, 23)));
    Prefix v6 = shortForm.toBuilder().setAfi(Afi.IPV6).build();
    assertNotEquals(ShardRing.position(shortForm), ShardRing.position(v6));
  }

  @Test
  void everyShardGetsAFairShare() {
    ShardRing ring = new ShardRing(THREE);
    int n = 30_000;
    int[] counts = new int[3];
    for (Prefix p : randomSlash24s(n, 42)) {
      counts[ring.owner(p)]++;
    }
    for (int i = 0; i < 3; i++) {
      double share = counts[i] / (double) n;
      assertTrue(share >= 0.20 && share <= 0.45, THREE.get(i) + " got " + share);
    }
  }

  @Test
  void aFourthShardTakesAboutAQuarterAndMovesNothingElse() {
    ShardRing three = new ShardRing(THREE);
    ShardRing four = new ShardRing(List.of("state-0", "state-1", "state-2", "state-3"));
    int n = 30_000;
    int moved = 0;
    for (Prefix p : randomSlash24s(n, 4242)) {
      int before = three.owner(p);
      int after = four.owner(p);
      if (before != after) {
        assertEquals(3, after, "a prefix moved between old shards: " + p);
        moved++;
      }
    }
    double share = moved / (double) n;
    assertTrue(share >= 0.15 && share <= 0.35, "moved to the new shard: " + share);
  }

  @Test
  void badNames() {
    assertThrows(IllegalArgumentException.class, () -> new ShardRing(List.of()));
    assertThrows(IllegalArgumentException.class, () -> new ShardRing(List.of("a", "a")));
    assertThrows(IllegalArgumentException.class, () -> new ShardRing(List.of("a", "")));
  }
}
