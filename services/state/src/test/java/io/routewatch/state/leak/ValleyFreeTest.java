package io.routewatch.state.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.routewatch.state.route.AsPath;
import org.junit.jupiter.api.Test;

/** RFC 7908 §3 types on hand-built topologies (ASNs from the documentation range). */
class ValleyFreeTest {
  // 64500 origin; 64501, 64502 transit providers of 64503 (multihomed); 64504, 64505 peers of
  // 64503; 64501 provider of 64500; 64506 customer of 64503.
  private static final AsRelationships R =
      new AsRelationships.Builder()
          .put(64501, 64500, AsRelationships.PROVIDER)
          .put(64501, 64503, AsRelationships.PROVIDER)
          .put(64502, 64503, AsRelationships.PROVIDER)
          .put(64504, 64503, AsRelationships.PEER)
          .put(64505, 64503, AsRelationships.PEER)
          .put(64503, 64506, AsRelationships.PROVIDER)
          .put(64504, 64500, AsRelationships.PROVIDER)
          .build();

  private static String leak(String path) {
    int[] enc = AsPath.parse(path).encoding();
    long l = ValleyFree.check(enc, R);
    if (l == ValleyFree.NONE) {
      return "none";
    }
    return "type "
        + ValleyFree.type(l)
        + " "
        + enc[ValleyFree.toIndex(l)]
        + " "
        + enc[ValleyFree.leakerIndex(l)]
        + " "
        + enc[ValleyFree.fromIndex(l)];
  }

  @Test
  void valleyFreePathsPass() {
    assertEquals("none", leak("64501 64500")); // provider of the origin
    assertEquals("none", leak("64503 64501 64500")); // down from a provider to a customer
    assertEquals("none", leak("64502 64503 64506")); // up from a customer
    assertEquals("none", leak("64504 64503 64506")); // customer route to a peer
    assertEquals("none", leak("64506 64503 64504 64500")); // peer route to a customer
  }

  @Test
  void hairpinIsType1() {
    assertEquals("type 1 64502 64503 64501", leak("64502 64503 64501 64500"));
    assertEquals("type 1 64502 64503 64501", leak("3356 64502 64503 64503 64501 64500"));
  }

  @Test
  void lateralIsType2() {
    assertEquals("type 2 64505 64503 64504", leak("64505 64503 64504 64500"));
  }

  @Test
  void providerRouteToPeerIsType3() {
    assertEquals("type 3 64504 64503 64501", leak("64504 64503 64501 64500"));
  }

  @Test
  void peerRouteToProviderIsType4() {
    assertEquals("type 4 64502 64503 64504", leak("64502 64503 64504 64500"));
  }

  @Test
  void unknownHopsAndSetsAreNotJudged() {
    assertEquals("none", leak("65000 64503 64501 64500")); // 65000 unknown to 64503
    assertEquals("none", leak("64502 {64503} 64501 64500"));
    assertEquals("none", leak("64502 64503 {64501,64507} 64500"));
    assertEquals("none", leak(""));
    assertEquals(ValleyFree.NONE, ValleyFree.check(new int[0], AsRelationships.EMPTY));
  }

  @Test
  void theLeakNearestTheOriginWins() {
    AsRelationships r =
        new AsRelationships.Builder()
            .put(1, 2, AsRelationships.PROVIDER)
            .put(3, 2, AsRelationships.PROVIDER) // 2 learns from provider 3, sends to provider 1
            .put(3, 4, AsRelationships.PEER)
            .put(5, 4, AsRelationships.PROVIDER) // 4 learns from provider 5, sends to peer 3
            .build();
    int[] enc = AsPath.parse("1 2 3 4 5 6").encoding();
    long l = ValleyFree.check(enc, r);
    assertEquals(4, enc[ValleyFree.leakerIndex(l)]);
    assertEquals(3, ValleyFree.type(l));
    enc = AsPath.parse("1 2 3 9").encoding(); // only the first leak remains
    assertEquals(2, enc[ValleyFree.leakerIndex(ValleyFree.check(enc, r))]);
  }
}
