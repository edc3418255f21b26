-- Migration 023: the touch facts (migration 022) refreshed path by path.
--
-- 022 rebuilt every path of a kind whenever a fingerprint of all the touches, leads and deals
-- changed: a 1,000-touch import at 5M leads rebuilt ~15M rows (90 s), and every refresh paid
-- the fingerprints (1.7 s). Now each row carries the key of its path, and the writer says
-- what it wrote (queries/workspace.py, Changed): an import or undo notes the leads and deals of
-- its rows, the refresh notes the deals whose inherited source or exclusion it changed, and
-- only those paths (and the deal paths of those leads) are deleted and built again.
--
-- path_key: hash(is_deal, lead_id) of a lead's path, hash(is_deal, deal_id) of a deal's (8
-- bytes a row instead of the id: deleting 1,000 paths' rows probes ~10M integers, not strings).
-- Two paths sharing a key (odds ~ paths noted x paths / 2^64, ~1e-10 for 1,000 of 6M) would
-- lose the rows of the one not noted until it is noted or every path is rebuilt.
-- hash() is DuckDB's and may change between its versions: touch_fact_stamps.keyed_by keeps
-- the version() that made the keys, and a refresh under another rebuilds every path.
-- The 022 rows here have no key: keyed_by stays null, so the first refresh rebuilds them all
-- through the same statements as any later one (meanwhile they are right, only not keyed).
-- The 022 fingerprint columns are no longer read (left null from the first refresh on).
alter table touch_facts add column path_key ubigint;

alter table touch_fact_stamps add column keyed_by varchar;
