-- routewatch alert schema, version 1.

-- Where the alert service stands in state's change stream (resume point after a restart).
CREATE TABLE alert_cursor (
    subscriber  VARCHAR(64) PRIMARY KEY,
    sequence    BIGINT      NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Watch list: what to alert on. Empty list = alert on nothing.
CREATE TABLE watch_entry (
    id          BIGSERIAL PRIMARY KEY,
    kind        VARCHAR(16)  NOT NULL,   -- ASN | PREFIX | COUNTRY
    value       VARCHAR(64)  NOT NULL,
    overrides   TEXT,                    -- JSON of per-entry rule overrides
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (kind, value)
);

-- Alert states (one row per alert identity; fire → resolve).
CREATE TABLE alert (
    id           VARCHAR(200) PRIMARY KEY,  -- type + identifying labels
    type         VARCHAR(40)  NOT NULL,
    state        VARCHAR(16)  NOT NULL,     -- PENDING | FIRING | RESOLVED
    labels       TEXT         NOT NULL,     -- JSON
    summary      TEXT         NOT NULL,
    description  TEXT         NOT NULL,
    starts_at    BIGINT       NOT NULL,     -- µs
    ends_at      BIGINT,                    -- µs
    updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX alert_time ON alert (starts_at);

-- Outbox: notifications to deliver to each Alertmanager, kept until delivered.
CREATE TABLE notification_outbox (
    id           BIGSERIAL PRIMARY KEY,
    alert_id     VARCHAR(200) NOT NULL,
    target       VARCHAR(300) NOT NULL,
    payload      TEXT         NOT NULL,   -- JSON body for POST /api/v2/alerts
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    attempts     INT          NOT NULL DEFAULT 0,
    next_attempt TIMESTAMPTZ  NOT NULL DEFAULT now(),
    delivered_at TIMESTAMPTZ
);
CREATE INDEX notification_outbox_pending ON notification_outbox (delivered_at, next_attempt);
