-- An upstream that disappears is remembered, not deleted: whether it is "new" when it comes back
-- depends on its history (a baseline upstream returning after an outage is not new).
ALTER TABLE network_upstream ADD COLUMN present    BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE network_upstream ADD COLUMN removed_at BIGINT;          -- change time it disappeared
ALTER TABLE network_upstream ADD COLUMN dark_loss  BOOLEAN NOT NULL DEFAULT FALSE; -- gone with the whole network
-- Evidence of a loss: everyone who saw the upstream during its presence, and its peak share
-- (an upstream fades VP by VP; the last report before removal has only the last one).
ALTER TABLE network_upstream ADD COLUMN seen_by    TEXT NOT NULL DEFAULT '';  -- comma-separated peer ASNs
ALTER TABLE network_upstream ADD COLUMN peak_share DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE network_upstream ADD COLUMN peak_vps   INT NOT NULL DEFAULT 0;
-- Share shifts are measured against a reference share, re-taken while the set of upstreams is in
-- flux (a shift explained by an upstream appearing or vanishing is that, not a shift).
ALTER TABLE network_upstream ADD COLUMN ref_share DOUBLE PRECISION;
ALTER TABLE network_target ADD COLUMN set_changed_at BIGINT;  -- change time an upstream last came or went
CREATE INDEX network_upstream_absent ON network_upstream (removed_at) WHERE NOT present;
