-- Migration 017: undo history is kept for a while, not forever.
--
-- `flywheel compact` (and the Data page's Compact button) drops the rows an import replaced
-- (replaced_<kind>), its rejected rows and its sources once its undo has expired under the
-- retention setting (settings undo_keep_imports, undo_keep_days; queries/retention.py). The
-- import stays in the history with the moment its undo expired, and undo of it is refused.
alter table imports add column undo_expired_at timestamp;
