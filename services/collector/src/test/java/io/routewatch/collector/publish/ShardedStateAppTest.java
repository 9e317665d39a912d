package io.routewatch.collector.publish;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.proto.v1.RouteEventBatch;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The running collector configured with {@code routewatch.collector.state-shards}: one stream per
 * shard (with the API token), readiness over all of them, per-shard metrics.
 */
@QuarkusTest
@QuarkusTestResource(value = ShardedStatesResource.class, restrictToAnnotatedClass = true)
class ShardedStateAppTest {
  @Inject StateLink link;

  @Test
  void everyShardGetsItsPartWithTheTokenAndTheLinkIsReadyOnlyWithAll() throws Exception {
    StateLinkShardingTest.await("all shard links up", link::isConnected);
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .body("checks.find { it.name == 'state-link' }.status", equalTo("UP"));

    String stream = StateLinkShardingTest.STREAM;
    RouteEventBatch b = StateLinkShardingTest.batch(1, 300, 1);
    link.send(b);
    assertTrue(link.awaitAcknowledged(stream, 1, Duration.ofSeconds(20)));
    List<FakeState> states = ShardedStatesResource.states;
    assertEquals(3, states.size());
    StateLinkShardingTest.assertExactlyOnceOnOwners(states, List.of(b));
    for (FakeState s : states) {
      assertEquals(List.of(1L), StateLinkShardingTest.sequences(s), s.name);
      assertTrue(!s.authorizations().isEmpty(), s.name);
      for (String auth : s.authorizations()) {
        assertEquals("Bearer " + ShardedStatesResource.TOKEN, auth, s.name);
      }
    }

    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("routewatch_collector_state_link_connected{shard=\"state-0\"} 1.0"))
        .body(containsString("routewatch_collector_state_link_connected{shard=\"state-2\"} 1.0"))
        .body(containsString("routewatch_collector_events_sent_total{shard=\"state-1\"}"));
  }
}
