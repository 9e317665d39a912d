-- routewatch state schema, version 1.

-- The change journal: every derived change, with the sequence subscribers resume from.
CREATE TABLE change_journal (
    seq          BIGINT PRIMARY KEY,
    time_micros  BIGINT      NOT NULL,
    kind         VARCHAR(32) NOT NULL,
    asn          BIGINT,
    country      VARCHAR(2),
    payload      BYTEA       NOT NULL,  -- the routewatch.v1.Change message, lossless
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX change_journal_asn ON change_journal (asn, seq);
CREATE INDEX change_journal_recorded ON change_journal (recorded_at);

-- Upstream episodes: (origin, upstream) seen from first_seen to last_seen (NULL = ongoing).
CREATE TABLE upstream_episode (
    id           BIGSERIAL PRIMARY KEY,
    origin_asn   BIGINT NOT NULL,
    upstream_asn BIGINT NOT NULL,
    first_seen   BIGINT NOT NULL,   -- µs since epoch
    last_seen    BIGINT             -- µs since epoch; NULL while ongoing
);
CREATE INDEX upstream_episode_origin ON upstream_episode (origin_asn, first_seen);

-- Share samples taken at a configurable interval.
CREATE TABLE share_sample (
    id            BIGSERIAL PRIMARY KEY,
    origin_asn    BIGINT           NOT NULL,
    upstream_asn  BIGINT           NOT NULL,
    time_micros   BIGINT           NOT NULL,
    vp_share      DOUBLE PRECISION NOT NULL,
    address_share DOUBLE PRECISION NOT NULL
);
CREATE INDEX share_sample_origin ON share_sample (origin_asn, time_micros);

-- Outage intervals per prefix, origin or country.
CREATE TABLE outage (
    id          BIGSERIAL PRIMARY KEY,
    scope       VARCHAR(16)  NOT NULL,  -- PREFIX | ORIGIN | COUNTRY
    subject     VARCHAR(64)  NOT NULL,  -- prefix text, ASN or country code
    start_micros BIGINT      NOT NULL,
    end_micros  BIGINT,
    depth       DOUBLE PRECISION NOT NULL
);
CREATE INDEX outage_subject ON outage (scope, subject, start_micros);

-- Ingest positions: the last batch applied per collector stream (exactly-once delivery).
CREATE TABLE ingest_position (
    stream_id   VARCHAR(512) PRIMARY KEY,
    collector   VARCHAR(128) NOT NULL,
    sequence    BIGINT       NOT NULL,
    snapshot_id BIGINT
);
