-- A network's view can be seeded from state's GetUpstreams on first sight (no change needed):
-- the country its alerts carry is then kept with the network, so that an alert that already
-- fired without one (state's answer for an ASN names no country) keeps its labels when later
-- changes name the country. NULL = not known yet: the next change that names one sets it.
ALTER TABLE network_target ADD COLUMN country VARCHAR(8);
-- 'change' = first seen in state's change stream, 'state' = seeded from GetUpstreams.
ALTER TABLE network_target ADD COLUMN seeded_from VARCHAR(8) NOT NULL DEFAULT 'change';
