-- Migration 004: what the CRM import engine keeps beside the contract tables.

-- Each reject names the column, the problem and the value, so the page can say it in the
-- reader's language; `reason` keeps the English sentence of the contract.
alter table import_rejects add column column_name varchar;
alter table import_rejects add column code varchar;
alter table import_rejects add column value varchar;

alter table imports add column footer_lines bigint default 0;
alter table imports add column rows_replaced bigint default 0;
alter table imports add column encoding varchar;
alter table imports add column file_format varchar;

-- The column and value mappings a team confirmed, remembered per preset and kind.
create table import_mappings (
    preset varchar not null,
    kind varchar not null,
    mapping_json varchar not null,
    updated_at timestamp not null,
    primary key (preset, kind)
);

-- Rows an import displaced (replace mode, or an upsert that overwrote them), kept so that
-- undoing that import restores them exactly.
create table replaced_leads as select *, null::varchar as replaced_by from raw_leads where false;
create table replaced_deals as select *, null::varchar as replaced_by from raw_deals where false;
create table replaced_campaigns as
select *, null::varchar as replaced_by from campaigns where false;
create table replaced_spend as select *, null::varchar as replaced_by from spend where false;

-- Lead sources an import added to source_motion; undo removes them again.
create table import_sources (
    import_id varchar not null,
    source varchar not null
);
