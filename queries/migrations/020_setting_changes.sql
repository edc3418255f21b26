-- Migration 020: who changed which workspace setting, when, from what to what.
--
-- One row per change made by someone (queries/settings.py `write` appends it in the same
-- transaction as the setting; writing the value a setting already holds appends nothing).
-- A new workspace's starting settings (queries/workspaces.py, sample_data/seed.py) are not
-- changes and have no row: the log starts at the first edit. old_value is null when the
-- setting was not set, new_value null when it was removed. A long value (the logo, key
-- 'brand_logo', is logged as its file name, size and digest) is logged by its digest, never
-- in full. by_user: the signed-in e-mail address, or 'local' (migration 018). Compaction
-- (queries/retention.py) keeps every row: this is history, not undo data.
create table setting_changes (
    change_id bigint not null,
    key varchar not null,
    old_value varchar,
    new_value varchar,
    changed_at timestamp not null,
    by_user varchar
);
