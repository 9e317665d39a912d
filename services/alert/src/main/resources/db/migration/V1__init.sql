-- routewatch alert schema, version 1. Times are µs since the epoch (BIGINT) on the alert clock.

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
    value       VARCHAR(64)  NOT NULL,   -- AS131279 | 175.45.176.0/22 | KP
    overrides   TEXT         NOT NULL DEFAULT '{}',  -- JSON object of per-entry rule overrides
    description VARCHAR(200) NOT NULL DEFAULT '',
    source      VARCHAR(16)  NOT NULL DEFAULT 'api', -- api | file
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (kind, value)
);

-- Alert states: one row per alert identity; PENDING → FIRING → RESOLVED, reused when it fires again.
CREATE TABLE alert (
    id              VARCHAR(300) PRIMARY KEY,  -- type + identifying labels
    type            VARCHAR(40)  NOT NULL,
    state           VARCHAR(16)  NOT NULL,     -- PENDING | FIRING | RESOLVED
    severity        VARCHAR(16)  NOT NULL,
    labels          TEXT         NOT NULL,     -- JSON object
    summary         TEXT         NOT NULL,
    description     TEXT         NOT NULL,
    context         TEXT         NOT NULL DEFAULT '{}',  -- JSON: numbers the rule needs on resolve
    generator_url   VARCHAR(300) NOT NULL DEFAULT '',
    pending_since   BIGINT       NOT NULL,     -- condition first seen (becomes startsAt)
    fire_at         BIGINT,                    -- pending_since + hold
    starts_at       BIGINT,
    clearing_since  BIGINT,                    -- recovery first seen (becomes endsAt)
    resolve_at      BIGINT,                    -- clearing_since + clear
    auto_resolve_at BIGINT,                    -- event-like alerts resolve on their own
    auto_resolve_micros BIGINT   NOT NULL DEFAULT 0,
    ends_at         BIGINT,
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX alert_pending ON alert (state, fire_at);

-- History: every fire and resolve transition (ListAlerts).
CREATE TABLE alert_event (
    id           BIGSERIAL PRIMARY KEY,
    alert_id     VARCHAR(300) NOT NULL,
    type         VARCHAR(40)  NOT NULL,
    state        VARCHAR(16)  NOT NULL,     -- FIRING | RESOLVED
    severity     VARCHAR(16)  NOT NULL,
    asn          BIGINT       NOT NULL DEFAULT 0,
    country      VARCHAR(8)   NOT NULL DEFAULT '',
    labels       TEXT         NOT NULL,
    summary      TEXT         NOT NULL,
    description  TEXT         NOT NULL,
    generator_url VARCHAR(300) NOT NULL DEFAULT '',
    starts_at    BIGINT       NOT NULL,
    ends_at      BIGINT,
    at_micros    BIGINT       NOT NULL
);
CREATE INDEX alert_event_time ON alert_event (at_micros);

-- What the alert service knows of each watched network: its upstreams (for SingleHomed, the
-- gauges and baselines) and its visibility. target = "AS131279" or "KP".
CREATE TABLE network_upstream (
    target      VARCHAR(40) NOT NULL,
    upstream    BIGINT      NOT NULL,
    share       DOUBLE PRECISION NOT NULL,
    vp_count    INT         NOT NULL,
    peer_asns   TEXT        NOT NULL,      -- comma-separated
    since       BIGINT      NOT NULL,      -- change time the upstream appeared
    baseline    BOOLEAN     NOT NULL,      -- appeared during the network's baseline (not "new")
    PRIMARY KEY (target, upstream)
);

CREATE TABLE network_target (
    target      VARCHAR(40) PRIMARY KEY,
    first_seen  BIGINT      NOT NULL,      -- change time of the first observation (baseline start)
    visibility  DOUBLE PRECISION            -- last reported visibility (NULL = unknown)
);

-- Outbox: one notification per Alertmanager, kept until delivered (retry with backoff).
CREATE TABLE notification_outbox (
    id           BIGSERIAL PRIMARY KEY,
    alert_id     VARCHAR(300) NOT NULL,
    target       VARCHAR(300) NOT NULL,
    payload      TEXT         NOT NULL,   -- JSON of one alert for POST /api/v2/alerts
    resend       BOOLEAN      NOT NULL DEFAULT false, -- periodic re-send of a firing alert (deleted once delivered)
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    attempts     INT          NOT NULL DEFAULT 0,
    next_attempt TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_error   VARCHAR(300),
    delivered_at TIMESTAMPTZ
);
CREATE INDEX notification_outbox_pending ON notification_outbox (target, id) WHERE delivered_at IS NULL;
