-- name: workspace_settings
-- One row per workspace setting (currency, locale, sample flag, cost split...).
select key, value from settings order by key;

-- name: source_motion_mapping
-- One row per lead source seen in leads, deals or the mapping, with its motion (null = unmapped).
with
-- one grouped pass over each table, then joined on the few sources
lead_counts as (
    select source, count(*) as count_leads from raw_leads where source is not null group by source
),

deal_counts as (
    select source, count(*) as count_deals from raw_deals where source is not null group by source
),

seen as (
    select source from lead_counts
    union
    select source from deal_counts
    union
    select source from source_motion
)

select
    seen.source,
    sm.motion,
    coalesce(l.count_leads, 0) as count_leads,
    coalesce(d.count_deals, 0) as count_deals
from seen
left join source_motion as sm on seen.source = sm.source
left join lead_counts as l on seen.source = l.source
left join deal_counts as d on seen.source = d.source
order by count_leads desc, seen.source;

-- name: filter_options
-- One row per filter dimension and value present in the data (for the sidebar filters).
-- Each column is made distinct before the union: far fewer rows to merge on big workspaces.
with
segments as (
    select distinct segment as value from raw_deals
    union
    select distinct segment from raw_leads
),

regions as (
    select distinct region as value from raw_deals
    union
    select distinct region from raw_leads
),

products as (
    select distinct product as value from raw_deals
),

owners as (
    select distinct owner as value from raw_deals
    union
    select distinct owner from raw_leads
),

options as (
    select 'segment' as dimension, value from segments
    union all
    select 'region', value from regions
    union all
    select 'product', value from products
    union all
    select 'owner', value from owners
)

select dimension, value
from options
where value is not null
order by dimension, value;

-- name: data_date_range
-- One row: the first and last day with any lead, deal or spend in the workspace.
select
    least(
        (select min(created_at) from raw_leads),
        (select min(created_at) from raw_deals),
        (select min(spent_on) from spend)
    )::date as first_day,
    greatest(
        (select max(created_at) from raw_leads),
        (select max(coalesce(closed_at, created_at)) from raw_deals),
        (select max(spent_on) from spend)
    )::date as last_day;

-- name: table_counts
-- One row per contract table with its row count (Data page summary).
select 'leads' as table_name, count(*) as count_rows from raw_leads
union all select 'deals', count(*) from raw_deals
union all select 'campaigns', count(*) from campaigns
union all select 'spend', count(*) from spend
union all select 'source_motion', count(*) from source_motion
union all select 'imports', count(*) from imports;
