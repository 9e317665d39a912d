-- The peer ASNs that saw an upstream when its reference share (ref_share) was taken. A share shift
-- is the move of those VPs' paths away from the upstream, so they are its evidence as much as the
-- ones still seeing it: a fall that leaves one VP on the upstream is seen by every VP that left.
-- Rows from before this column judge a shift on the peers that still see the upstream.
ALTER TABLE network_upstream ADD COLUMN ref_peers TEXT NOT NULL DEFAULT '';
