-- The watched space the alert service set last (SetWatchedSpace), so a restarted state judges
-- changes against it from its first batch instead of from the alert service's reconnect.
CREATE TABLE watched_space (
    id          SMALLINT    PRIMARY KEY CHECK (id = 1),  -- one row
    request     BYTEA       NOT NULL,  -- the routewatch.v1.SetWatchedSpaceRequest, lossless
    prefixes    INTEGER     NOT NULL,
    asns        INTEGER     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
