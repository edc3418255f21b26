-- name: records_per_month
-- One row per contract table ('leads', 'deals', 'spend') and month, from the first to the last
-- month holding any of their rows: rows dated that month (leads and deals by created_at, spend
-- by spent_on); 0 marks a month missing from the data.
with
-- counted by (year, month) and only then turned into a date: grouping on two small integers
-- is several times faster than date_trunc on millions of timestamps
rows_by_year_month as (
    select 'leads' as table_name, year(created_at) as y, month(created_at) as m, count(*) as n
    from raw_leads
    group by y, m
    union all
    select 'deals', year(created_at), month(created_at), count(*)
    from raw_deals
    where created_at is not null
    group by all
    union all
    select 'spend', year(spent_on), month(spent_on), count(*)
    from spend
    group by all
),

rows_by_month as (
    select table_name, make_date(y, m, 1) as month, n as count_records
    from rows_by_year_month
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
insert or replace into source_motion (source, motion) values ($source, $motion);

-- name: clear_source_motion
-- Write: remove the mapping of lead source $source (its leads and deals become unmapped).
delete from source_motion where source = $source;

-- name: set_setting
-- Write: set workspace setting $key to $value, replacing its value.
insert or replace into settings (key, value) values ($key, $value);

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
