-- Migration 018: who did what. On a shared server each write records the signed-in e-mail
-- address; on one machine without sign-in it records 'local'. Rows written before this
-- migration keep NULL: nobody knows who made them, and the app says so instead of guessing.

alter table imports add column by_user varchar;
alter table campaign_changes add column by_user varchar;
alter table campaign_changes add column undone_by varchar;
alter table plan_versions add column by_user varchar;
alter table target_decisions add column by_user varchar;
alter table scenarios add column by_user varchar;

-- An undone import leaves `imports` (its rows go with it); this keeps who took it back, when,
-- and what it was, so the history can still say it.
create table import_undos (
    import_id varchar not null,
    file_name varchar,
    kind varchar,
    rows_loaded bigint,
    undone_at timestamp not null,
    by_user varchar
);
