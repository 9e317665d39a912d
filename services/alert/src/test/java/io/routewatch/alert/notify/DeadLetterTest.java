package io.routewatch.alert.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.routewatch.alert.pipeline.OutboxEntity;
import io.routewatch.alert.support.AlertmanagerProcess;
import io.routewatch.alert.support.DeadLetterTestResource;
import io.routewatch.alert.support.JudgingAlertmanager;
import io.routewatch.alert.support.Waits;
import io.routewatch.pg.PostgresTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: a notification Alertmanager refuses for good goes to notification_dead_letter and no
 * longer blocks the ones queued after it; transient refusals are still retried; queued
 * notifications of an Alertmanager no longer configured are moved out of the queue. Against a
 * judging HTTP server on loopback (400 for "Poison", 429/503 for "Flaky") and a real Alertmanager
 * 0.25 (which refuses a label name with a space with 400).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = DeadLetterTestResource.class, restrictToAnnotatedClass = true)
class DeadLetterTest {
  @Inject NotifyService notify;

  JudgingAlertmanager judge() {
    return DeadLetterTestResource.judge;
  }

  AlertmanagerProcess am() {
    return DeadLetterTestResource.am;
  }

  /** An alert as the outbox holds it; {@code extra} adds a label (null = none). */
  static String payload(String alertname, String asn, String extraLabel) {
    String extra = extraLabel == null ? "" : ",\"" + extraLabel + "\":\"x\"";
    return "{\"labels\":{\"alertname\":\""
        + alertname
        + "\",\"asn\":\""
        + asn
        + "\""
        + extra
        + "},\"annotations\":{\"summary\":\"test\"},\"startsAt\":\""
        + OffsetDateTime.now().minusMinutes(1)
        + "\"}";
  }

  /** Queues notifications in one transaction, so the worker sees them in one batch. */
  static void queue(String target, String... alertIdAndPayload) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (int i = 0; i < alertIdAndPayload.length; i += 2) {
                OutboxEntity o = new OutboxEntity();
                o.alertId = alertIdAndPayload[i];
                o.target = target;
                o.payload = alertIdAndPayload[i + 1];
                o.nextAttempt = OffsetDateTime.now();
                o.persist();
              }
            });
  }

  static double deadLettered(String reason) {
    String line = "routewatch_alert_deliveries_dead_lettered_total{reason=\"" + reason + "\"}";
    return RestAssured.get("/q/metrics")
        .asString()
        .lines()
        .filter(l -> l.startsWith(line))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(line + " not exported"));
  }

  /** Samples of one stage of {@code routewatch_alert_stage_seconds} so far. */
  static double stageCount(String stage) {
    String line = "routewatch_alert_stage_seconds_count{stage=\"" + stage + "\"}";
    return RestAssured.get("/q/metrics")
        .asString()
        .lines()
        .filter(l -> l.startsWith(line))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(line + " not exported"));
  }

  static List<DeadLetterEntity> deadLetters(String alertId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> DeadLetterEntity.<DeadLetterEntity>list("alertId = ?1 order by id", alertId));
  }

  static long pending(String target) {
    return QuarkusTransaction.requiringNew()
        .call(() -> OutboxEntity.count("target = ?1 and deliveredAt is null", target));
  }

  /** A delivered transition is timed from its queueing, and each POST on its own. */
  @Test
  void aDeliveryIsTimedFromTheOutboxAndItsPostOnItsOwn() {
    double notified = stageCount("notified");
    double posts = stageCount("alertmanager");
    queue(am().url(), "Timed/AS64611", payload("Timed", "AS64611", null));
    Waits.within(Duration.ofSeconds(10), "delivered", () -> pending(am().url()) == 0);
    Waits.within(
        Duration.ofSeconds(5),
        "notified and alertmanager stages counted",
        () -> stageCount("notified") >= notified + 1 && stageCount("alertmanager") >= posts + 1);
  }

  @Test
  void aRefusedAlertIsDeadLetteredAndTheOthersInItsBatchAndAfterItFlow() {
    double before = deadLettered("bad_request");
    // the real Alertmanager refuses a label name with a space (400 "invalid label set")
    String good1 = payload("Good", "AS64601", null);
    String poison = payload("Poison", "AS64602", "not a label");
    String good2 = payload("Good", "AS64603", null);
    for (String t : List.of(judge().url(), am().url())) {
      queue(t, "Good/AS64601", good1, "Poison/AS64602", poison, "Good/AS64603", good2);
    }
    Waits.within(
        Duration.ofSeconds(10),
        "both good alerts accepted by the judge: " + judge().accepted(),
        () -> judge().accepted().stream().filter("Good"::equals).count() >= 2);
    Waits.within(
        Duration.ofSeconds(10),
        "both good alerts in the real Alertmanager",
        () ->
            am().find(Map.of("asn", "AS64601")) != null
                && am().find(Map.of("asn", "AS64603")) != null);
    Waits.within(
        Duration.ofSeconds(10),
        "queues empty",
        () -> pending(judge().url()) == 0 && pending(am().url()) == 0);
    assertFalse(judge().accepted().contains("Poison"));
    assertNull(am().find(Map.of("asn", "AS64602")), "the invalid alert is not in Alertmanager");

    List<DeadLetterEntity> dl = deadLetters("Poison/AS64602");
    assertEquals(2, dl.size(), "one dead letter per Alertmanager");
    DeadLetterEntity atJudge =
        dl.stream().filter(d -> d.target.equals(judge().url())).findFirst().orElseThrow();
    assertEquals(400, atJudge.httpStatus);
    assertEquals("bad_request", atJudge.reason);
    assertEquals(JudgingAlertmanager.REFUSAL, atJudge.responseBody);
    assertEquals(poison, atJudge.payload);
    DeadLetterEntity atAm =
        dl.stream().filter(d -> d.target.equals(am().url())).findFirst().orElseThrow();
    assertEquals(400, atAm.httpStatus);
    assertTrue(atAm.responseBody.contains("not a label"), atAm.responseBody);
    assertEquals(before + 2, deadLettered("bad_request"));
    assertTrue(
        deadLetters("Good/AS64601").isEmpty() && deadLetters("Good/AS64603").isEmpty(),
        "good alerts not dead-lettered");

    // an alert queued after the refused one still flows
    queue(judge().url(), "Later/AS64604", payload("Later", "AS64604", null));
    Waits.within(
        Duration.ofSeconds(5), "later alert accepted", () -> judge().accepted().contains("Later"));
  }

  @Test
  void transientRefusalsAreRetriedInOrderAndNeverDeadLettered() {
    double before = deadLettered("other_4xx") + deadLettered("bad_request");
    judge().transientAnswers.set(3); // 429, 503, 429, then 200
    queue(
        judge().url(),
        "Flaky/AS64611",
        payload("Flaky", "AS64611", null),
        "After/AS64612",
        payload("After", "AS64612", null));
    Waits.within(
        Duration.ofSeconds(10),
        "Flaky and After accepted: " + judge().answers(),
        () -> judge().accepted().containsAll(List.of("Flaky", "After")));
    List<String> acc = judge().accepted();
    assertTrue(acc.indexOf("Flaky") < acc.indexOf("After"), "order kept: " + acc);
    assertEquals(
        List.of(429, 503, 429, 200),
        judge().answers().subList(judge().answers().size() - 4, judge().answers().size()));
    assertEquals(
        0,
        judge().transientAnswers.get() + 1,
        "all three transient answers were given and retried");
    assertTrue(deadLetters("Flaky/AS64611").isEmpty(), "429/503 are retried, not dead-lettered");
    assertEquals(before, deadLettered("other_4xx") + deadLettered("bad_request"));
    Waits.within(Duration.ofSeconds(5), "queue empty", () -> pending(judge().url()) == 0);
  }

  @Test
  void queuedNotificationsOfARemovedAlertmanagerLeaveTheQueue() {
    String gone = "http://127.0.0.1:9/removed";
    double before = deadLettered("target_removed");
    queue(
        gone,
        "Old/AS64621",
        payload("Old", "AS64621", null),
        "Old/AS64622",
        payload("Old", "AS64622", null));
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              OutboxEntity resend = new OutboxEntity();
              resend.alertId = "Old/AS64621";
              resend.target = gone;
              resend.payload = payload("Old", "AS64621", null);
              resend.resend = true;
              resend.persist();
              OutboxEntity delivered = new OutboxEntity();
              delivered.alertId = "Old/AS64620";
              delivered.target = gone;
              delivered.payload = payload("Old", "AS64620", null);
              delivered.deliveredAt = OffsetDateTime.now();
              delivered.persist();
            });
    // what the worker does once at start
    assertEquals(2, notify.pruneUnconfigured());
    assertEquals(
        0, QuarkusTransaction.requiringNew().call(() -> OutboxEntity.count("target = ?1", gone)));
    List<DeadLetterEntity> dl =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    DeadLetterEntity.<DeadLetterEntity>list("target = ?1 order by alertId", gone));
    assertEquals(List.of("Old/AS64621", "Old/AS64622"), dl.stream().map(d -> d.alertId).toList());
    assertTrue(
        dl.stream()
            .allMatch(d -> d.httpStatus == 0 && d.reason.equals("target_removed") && !d.resend));
    assertEquals(before + 2, deadLettered("target_removed"));
    // configured Alertmanagers' queues are untouched, and a second pass finds nothing
    assertEquals(0, notify.pruneUnconfigured());
  }
}
