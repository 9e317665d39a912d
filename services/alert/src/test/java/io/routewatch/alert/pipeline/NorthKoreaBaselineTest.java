package io.routewatch.alert.pipeline;

import static io.routewatch.alert.support.Changes.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.routewatch.alert.api.AlertFilter;
import io.routewatch.alert.api.AlertHistoryService;
import io.routewatch.alert.link.StateSubscription;
import io.routewatch.alert.support.AlertmanagerTestResource;
import io.routewatch.alert.support.Changes;
import io.routewatch.alert.support.ManualClock;
import io.routewatch.alert.support.PrometheusProcess;
import io.routewatch.alert.support.Waits;
import io.routewatch.alert.watch.WatchFileLoader;
import io.routewatch.alert.watch.WatchService;
import io.routewatch.pg.PostgresTestResource;
import io.routewatch.proto.v1.ChangeKind;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 4: AS131279 watched with thresholds for a one-VP archive; state's changes after
 * importing updates.et-header.2015.gz (2015-10-23, one VP in AS3856 — the archive's peer — path …
 * 4837 131279; one UPSTREAM_ADDED per origin/upstream pair, share 1.0). The only alert is
 * SingleHomed behind AS4837: the truth for that date.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AlertmanagerTestResource.class, restrictToAnnotatedClass = true)
class NorthKoreaBaselineTest {
  static final java.util.concurrent.atomic.AtomicLong SEQ =
      new java.util.concurrent.atomic.AtomicLong();
  @Inject StateSubscription subscription;
  @Inject ManualClock clock;
  @Inject AlertTicker ticker;
  @Inject WatchService watch;
  @Inject AlertHistoryService history;

  @TestHTTPResource("/")
  URL base;

  /** Acceptance 3b: a real Prometheus scrapes /q/metrics and sees the watched-network gauges. */
  @Test
  void prometheusScrapesTheWatchedNetworkGauges() throws Exception {
    watch.upsert(WatchService.validate("ASN", "AS64510", Map.of(), "", "api"));
    long t = clock.nowMicros();
    subscription.deliver(
        Changes.withSequence(
            upstream(
                ChangeKind.UPSTREAM_ADDED, t, 64510, "", null, 65010, 0, 0.75, 4, 3356, 1299, 2914),
            SEQ.incrementAndGet()));
    subscription.deliver(
        Changes.withSequence(
            upstream(
                ChangeKind.UPSTREAM_ADDED, t, 64510, "", null, 65011, 0, 0.25, 2, 3356, 1299, 2914),
            SEQ.incrementAndGet()));
    try (PrometheusProcess prom = new PrometheusProcess("127.0.0.1:" + base.getPort())) {
      Waits.within(
          Duration.ofSeconds(20),
          "Prometheus sees the share gauge",
          () ->
              prom.query(
                      "routewatch_alert_watched_upstream_share_ratio{asn=\"AS64510\",upstream=\"AS65010\"}")
                  .equals("0.75"));
      assertEquals("2", prom.query("routewatch_alert_watched_upstreams{asn=\"AS64510\"}"));
      assertEquals(
          "0",
          prom.query("sum(routewatch_alert_alerts_fired_total{type=\"OriginChange\"})"),
          "counters pre-initialised");
      assertEquals("1", prom.query("up{job=\"routewatch-alert\"}"));
    }
  }

  @Test
  void onlySingleHomedFires() {
    // the watch file an operator would write for a one-VP archive
    WatchFileLoader.parse(
            String.join(
                "\n",
                "# North Korea, one-VP archive: one peer AS is all the evidence there is",
                "watch:",
                "  - asn: AS131279",
                "    description: Star JV, North Korea",
                "    overrides:",
                "      min-peer-asns: 1",
                "      min-vp-share: 0.5",
                ""))
        .forEach(watch::upsert);
    long t = Changes.micros("2015-10-23T00:00:07Z");
    subscription.deliver(
        Changes.withSequence(
            upstream(
                ChangeKind.UPSTREAM_ADDED,
                t,
                131279,
                "KP",
                "175.45.176.0/24",
                4837,
                0,
                1.0,
                1,
                3856),
            SEQ.incrementAndGet()));
    // other origins in the archive change too; they are not watched
    subscription.deliver(
        Changes.withSequence(
            upstream(ChangeKind.UPSTREAM_ADDED, t, 4837, "CN", null, 4134, 0, 1.0, 1, 3856),
            SEQ.incrementAndGet()));
    clock.advance(Duration.ofHours(1));
    ticker.tickNow();

    Waits.within(
        Duration.ofSeconds(2),
        "an alert in Alertmanager",
        () -> !AlertmanagerTestResource.am.alerts().isEmpty());
    Waits.pause(Duration.ofMillis(500)); // anything else would have arrived by now
    List<JsonNode> active = AlertmanagerTestResource.am.alerts();
    active =
        active.stream()
            .filter(x -> x.path("labels").path("asn").asText().equals("AS131279"))
            .toList();
    assertEquals(1, active.size(), "only one alert: " + active);
    JsonNode a = active.get(0);
    assertEquals("SingleHomed", a.path("labels").path("alertname").asText());
    assertEquals("AS131279", a.path("labels").path("asn").asText());
    assertEquals("KP", a.path("labels").path("country").asText());
    assertEquals("AS4837", a.path("labels").path("upstream").asText());
    assertEquals(
        "AS131279 (KP) is single-homed behind AS4837",
        a.path("annotations").path("summary").asText());
    assertEquals(
        "AS131279 (KP) is reached only through AS4837 (100.0% of VP paths, upstream since 2015-10-23 00:00:07 UTC),"
            + " seen by 1 VP in 1 peer AS (AS3856): losing it disconnects the network.",
        a.path("annotations").path("description").asText());
    assertEquals(
        "http://127.0.0.1:8082/api/v1/upstreams/AS131279", a.path("generatorURL").asText());
    var hist = history.list(0, 0, AlertFilter.of(null, 131279, ""), 0);
    assertEquals(1, hist.size());
    assertTrue(
        hist.get(0)
            .labels()
            .equals(
                Map.of(
                    "alertname",
                    "SingleHomed",
                    "asn",
                    "AS131279",
                    "country",
                    "KP",
                    "upstream",
                    "AS4837",
                    "severity",
                    "warning")));
  }
}
