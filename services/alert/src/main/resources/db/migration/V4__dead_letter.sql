-- Dead letters: notifications an Alertmanager refused for good (a 4xx other than 408/429: the
-- alert itself is bad, so a retry gets the same answer and would block every later alert behind
-- it), and queued notifications for an Alertmanager URL no longer configured (moved here at start).
-- Kept for routewatch.alert.alertmanager.dead-letter-retention, for an operator to inspect.
CREATE TABLE notification_dead_letter (
    id               BIGSERIAL PRIMARY KEY,
    outbox_id        BIGINT        NOT NULL,   -- notification_outbox.id it came from
    alert_id         VARCHAR(300)  NOT NULL,   -- alert identity (alert.id: type + identifying labels)
    target           VARCHAR(300)  NOT NULL,   -- Alertmanager base URL
    payload          TEXT          NOT NULL,   -- JSON of the alert as it was posted
    resend           BOOLEAN       NOT NULL,
    reason           VARCHAR(32)   NOT NULL,   -- bad_request | unauthorized | not_found | too_large | other_4xx | target_removed
    http_status      INT           NOT NULL,   -- Alertmanager's answer; 0 = never sent (target_removed)
    response_body    VARCHAR(1024) NOT NULL DEFAULT '',  -- first 1024 chars of the answer
    attempts         INT           NOT NULL,   -- failed attempts before (transient errors)
    queued_at        TIMESTAMPTZ   NOT NULL,   -- notification_outbox.created_at
    dead_lettered_at TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX notification_dead_letter_time ON notification_dead_letter (dead_lettered_at);
CREATE INDEX notification_dead_letter_alert ON notification_dead_letter (alert_id, target);
