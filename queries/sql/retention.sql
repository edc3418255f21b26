-- name: undo_expiring
-- One row per import whose undo is still kept but has expired under the retention setting:
-- past the newest $keep_imports imports, or imported more than $keep_days days before $now
-- (a null limit does not apply). The expired imports are a prefix in time: the newest import
-- past either limit and every import before it, so an import whose rows a later import
-- replaced never keeps its undo longer than that later import.
with
ranked as (
    select
        import_id,
        kind,
        imported_at,
        undo_expired_at,
        row_number() over (order by imported_at desc, import_id desc) as recency
    from imports
),
cut as (
    select max(imported_at) as cut_at
    from ranked
    where
        ($keep_imports is not null and recency > $keep_imports)
        or (
            $keep_days is not null
            and imported_at < $now::timestamp - to_days($keep_days::integer)
        )
)
select ranked.import_id, ranked.kind, ranked.imported_at
from ranked, cut
where ranked.undo_expired_at is null and ranked.imported_at <= cut.cut_at
order by ranked.imported_at, ranked.import_id;

-- name: undo_rows_held
-- One row per table that keeps undo data or rejects: how many of its rows belong to the
-- imports $ids: rows they replaced, their rejected rows, the lead sources they added.
select 'replaced_leads' as table_name, count(*) as count_rows from replaced_leads
where replaced_by in (select unnest($ids::varchar[]))
union all
select 'replaced_deals' as table_name, count(*) as count_rows from replaced_deals
where replaced_by in (select unnest($ids::varchar[]))
union all
select 'replaced_campaigns' as table_name, count(*) as count_rows from replaced_campaigns
where replaced_by in (select unnest($ids::varchar[]))
union all
select 'replaced_spend' as table_name, count(*) as count_rows from replaced_spend
where replaced_by in (select unnest($ids::varchar[]))
union all
select 'replaced_accounts' as table_name, count(*) as count_rows from replaced_accounts
where replaced_by in (select unnest($ids::varchar[]))
union all
select 'replaced_reps' as table_name, count(*) as count_rows from replaced_reps
where replaced_by in (select unnest($ids::varchar[]))
union all
select 'replaced_products' as table_name, count(*) as count_rows from replaced_products
where replaced_by in (select unnest($ids::varchar[]))
union all
select 'replaced_touches' as table_name, count(*) as count_rows from replaced_touches
where replaced_by in (select unnest($ids::varchar[]))
union all
select 'import_rejects', count(*) from import_rejects
where import_id in (select unnest($ids::varchar[]))
union all
select 'import_sources', count(*) from import_sources
where import_id in (select unnest($ids::varchar[]));

-- name: undo_rows_total
-- One row per table that keeps undo data or rejects, with the rows it holds in all.
select 'replaced_leads' as table_name, count(*) as count_rows from replaced_leads
union all
select 'replaced_deals' as table_name, count(*) as count_rows from replaced_deals
union all
select 'replaced_campaigns' as table_name, count(*) as count_rows from replaced_campaigns
union all
select 'replaced_spend' as table_name, count(*) as count_rows from replaced_spend
union all
select 'replaced_accounts' as table_name, count(*) as count_rows from replaced_accounts
union all
select 'replaced_reps' as table_name, count(*) as count_rows from replaced_reps
union all
select 'replaced_products' as table_name, count(*) as count_rows from replaced_products
union all
select 'replaced_touches' as table_name, count(*) as count_rows from replaced_touches
union all
select 'import_rejects', count(*) from import_rejects
union all
select 'import_sources', count(*) from import_sources;

-- name: table_blocks
-- One row: the storage blocks the table $table_name occupies (a block may be shared with
-- another small table, so this over-counts small tables).
select count(distinct block_id) as blocks
from pragma_storage_info($table_name)
where block_id is not null;

-- name: database_blocks
-- One row: the workspace file's block size, its blocks in all, those in use and those free.
select block_size, total_blocks, used_blocks, free_blocks
from pragma_database_size()
where database_name = current_database();

-- name: mark_undo_expired
-- Not a read: marks the imports $ids as having lost their undo at $now (they stay in the
-- history).
update imports
set undo_expired_at = $now::timestamp
where import_id in (select unnest($ids::varchar[]));

-- name: drop_replaced_leads
-- Not a read: drops the leads rows the imports $ids replaced (kept for their undo).
delete from replaced_leads
where replaced_by in (select unnest($ids::varchar[]));

-- name: drop_replaced_deals
-- Not a read: drops the deals rows the imports $ids replaced (kept for their undo).
delete from replaced_deals
where replaced_by in (select unnest($ids::varchar[]));

-- name: drop_replaced_campaigns
-- Not a read: drops the campaigns rows the imports $ids replaced (kept for their undo).
delete from replaced_campaigns
where replaced_by in (select unnest($ids::varchar[]));

-- name: drop_replaced_spend
-- Not a read: drops the spend rows the imports $ids replaced (kept for their undo).
delete from replaced_spend
where replaced_by in (select unnest($ids::varchar[]));

-- name: drop_replaced_accounts
-- Not a read: drops the accounts rows the imports $ids replaced (kept for their undo).
delete from replaced_accounts
where replaced_by in (select unnest($ids::varchar[]));

-- name: drop_replaced_reps
-- Not a read: drops the reps rows the imports $ids replaced (kept for their undo).
delete from replaced_reps
where replaced_by in (select unnest($ids::varchar[]));

-- name: drop_replaced_products
-- Not a read: drops the products rows the imports $ids replaced (kept for their undo).
delete from replaced_products
where replaced_by in (select unnest($ids::varchar[]));

-- name: drop_replaced_touches
-- Not a read: drops the touches rows the imports $ids replaced (kept for their undo).
delete from replaced_touches
where replaced_by in (select unnest($ids::varchar[]));

-- name: drop_import_rejects
-- Not a read: drops the rejected rows of the imports $ids.
delete from import_rejects
where import_id in (select unnest($ids::varchar[]));

-- name: drop_import_sources
-- Not a read: forgets which lead sources the imports $ids added (only undo needs it).
delete from import_sources
where import_id in (select unnest($ids::varchar[]));

-- name: undo_expired_at
-- One row for the import $import_id when its undo has expired: the moment it did.
select undo_expired_at
from imports
where import_id = $import_id and undo_expired_at is not null;

-- name: expired_imports
-- One row per import whose undo has expired (compaction dropped its undo history and rejects),
-- with the moment it did: the import history marks them and offers no undo.
select import_id, undo_expired_at
from imports
where undo_expired_at is not null
order by imported_at;

-- name: lake_table_bytes
-- A workspace on DuckLake: each table's Parquet data and delete files in the current snapshot,
-- in bytes (DuckLake's metadata function; the lake is attached as flywheel_lake, see
-- queries/lake.py). Tables whose rows are all still inlined in the catalog count 0.
select table_name, sum(file_size_bytes + delete_file_size_bytes)::bigint as bytes
from ducklake_table_info('flywheel_lake')
group by table_name;
