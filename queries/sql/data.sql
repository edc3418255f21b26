-- name: records_per_month
-- One row per contract table ('leads', 'deals', 'spend') and month, from the first to the last
-- month holding any of their rows: rows dated that month (leads and deals by created_at, spend
-- by spent_on); 0 marks a month missing from the data. Leads and deals from the months the
-- refresh keeps (migration 032), unless $live asks for the records (one of the two runs: the
-- other's condition is false once the parameters are bound).
with
rows_by_month as (
    select table_name, month, count_records
    from kept_record_months
    where not $live
    union all
    select table_name, month, count_records
    from record_months_now()
    where $live
    union all
    -- counted by (year, month) and only then turned into a date, as record_months_now()
    select 'spend', make_date(y, m, 1), n
    from (
        select year(spent_on) as y, month(spent_on) as m, count(*) as n
        from spend
        group by all
    )
),

months as (
    select unnest(generate_series(min(month), max(month), interval 1 month))::date as month
    from rows_by_month
),

tables as (
    select
        unnest(['leads', 'deals', 'spend']) as table_name,
        unnest([1, 2, 3]) as table_order
)

select
    t.table_name,
    m.month,
    coalesce(r.count_records, 0) as count_records
from tables as t
cross join months as m
left join rows_by_month as r on t.table_name = r.table_name and m.month = r.month
order by t.table_order, m.month;

-- name: import_history
-- One row per import into the workspace, newest first.
select
    import_id,
    imported_at,
    file_name,
    kind,
    preset,
    mode,
    rows_read,
    rows_loaded,
    rows_rejected,
    by_user,
    warnings
from imports
order by imported_at desc, import_id;

-- name: set_source_motion
-- Write: map lead source $source to motion $motion ('pull' or 'push'), replacing its mapping.
merge into source_motion using (select $source as source, $motion as motion) as new
on source_motion.source = new.source
when matched then update set motion = new.motion
when not matched then insert (source, motion) values (new.source, new.motion);

-- name: clear_source_motion
-- Write: remove the mapping of lead source $source (its leads and deals become unmapped).
delete from source_motion where source = $source;

-- name: setting_value
-- One row (none when unset): the value of workspace setting $key. Read by queries/settings.py
-- before a write, to log the change (migration 020) only when the value changes.
select value from settings where key = $key;

-- name: set_setting
-- Write: set workspace setting $key to $value, replacing its value. Only queries/settings.py
-- runs it (`write`), which logs the change. MERGE, not insert or replace: a DuckLake workspace
-- has no primary key to replace by.
merge into settings using (select $key as key, $value as value) as new on settings.key = new.key
when matched then update set value = new.value
when not matched then insert (key, value) values (new.key, new.value);

-- name: remove_setting
-- Write: remove workspace setting $key (readers fall back to its default). Only
-- queries/settings.py runs it (`write` with no value), which logs the change.
delete from settings where key = $key;

-- name: setting_change_append
-- Write: append one row to setting_changes (migration 020): setting $key went from $old_value
-- to $new_value (null: not set), now, by $by_user. Ids count up from 1 (no sequence: writes
-- are serialised by the workspace's lock).
insert into setting_changes (change_id, key, old_value, new_value, changed_at, by_user)
select
    coalesce(max(change_id), 0) + 1,
    $key,
    $old_value,
    $new_value,
    current_timestamp::timestamp,
    $by_user
from setting_changes;

-- name: brand_logo_now
-- One row (none without a logo): the logo's PNG bytes, width_px, height_px and file_name, read
-- by queries/branding.py to log a logo change by its name, size and digest (migration 020).
select content, width_px, height_px, file_name
from brand_logo
order by uploaded_at desc
limit 1;

-- name: import_undos_recent
-- The newest $limit undone imports (import_undos, migration 018), newest first: import_id,
-- file_name, kind, rows_loaded, undone_at, by_user (who undid it), and count_all, how many
-- imports were undone in all (on every row). An undone import leaves `imports`, so the import
-- history cannot list it: the Data page's change log does.
select
    import_id,
    file_name,
    kind,
    rows_loaded,
    undone_at,
    by_user,
    count(*) over () as count_all
from import_undos
order by undone_at desc, import_id
limit $limit;

-- name: setting_changes_recent
-- The newest $limit setting changes, newest first: change_id, key, old_value, new_value,
-- changed_at, by_user (null on no row today; the Data page says "not recorded"), and
-- count_all, how many changes the log holds in all (on every row).
select
    change_id,
    key,
    old_value,
    new_value,
    changed_at,
    by_user,
    count(*) over () as count_all
from setting_changes
order by change_id desc
limit $limit;

-- name: import_rejects
-- One row per rejected row of one import, in file order: the 1-based data row, the column, the
-- reason's code, the value as it stood in the file and the English reason.
select
    row_number,
    column_name as column,
    code,
    value,
    reason
from import_rejects
where import_id = $import_id
order by row_number, column_name;
