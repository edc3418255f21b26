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

-- name: assign_lead_keys
-- Not a read: gives each lead without a lead_key (migration 013) the next numbers above every
-- key in raw_leads and replaced_leads. First of the refresh_lead_facts statements.
update raw_leads
set lead_key = numbered.lead_key
from (
    select
        lead_id,
        (
            coalesce(
                (
                    select max(lead_key)
                    from (
                        select lead_key from raw_leads
                        union all
                        select lead_key from replaced_leads
                    )
                ),
                0
            )
            + row_number() over (order by lead_id)
        )::integer as lead_key
    from raw_leads
    where lead_key is null
) as numbered
where raw_leads.lead_id = numbered.lead_id and raw_leads.lead_key is null;

-- name: point_deals_to_lead_keys
-- Not a read: sets each deal's lead_key to its lead's (null when it names no lead the workspace
-- holds), on the deals where it differs. Second of the refresh_lead_facts statements.
update raw_deals
set lead_key = pointed.lead_key
from (
    select
        raw_deals.deal_id,
        raw_leads.lead_key
    from raw_deals
    left join raw_leads on raw_deals.lead_id = raw_leads.lead_id
    where raw_deals.lead_key is distinct from raw_leads.lead_key
) as pointed
where raw_deals.deal_id = pointed.deal_id;

-- name: refresh_lead_facts
-- Not a read: sets each lead's deal facts (deal_count, won_deal_count, first_deal_at,
-- first_won_at; see migration 011) from raw_deals, on the leads whose facts changed only.
-- Run at the end of every transaction that writes raw_leads or raw_deals, after the keys are
-- set (the deals are matched to their leads by the integer lead_key). Comparing every lead is
-- cheaper than tracking which ones an import touched, and cannot drift.
update raw_leads
set
    deal_count = changed.deal_count,
    won_deal_count = changed.won_deal_count,
    first_deal_at = changed.first_deal_at,
    first_won_at = changed.first_won_at
from (
    select
        raw_leads.lead_key,
        coalesce(per_lead.deal_count, 0) as deal_count,
        coalesce(per_lead.won_deal_count, 0) as won_deal_count,
        per_lead.first_deal_at,
        per_lead.first_won_at
    from raw_leads
    left join (
        select
            lead_key,
            count(*) as deal_count,
            count(*) filter (where outcome = 'won') as won_deal_count,
            min(created_at) as first_deal_at,
            min(closed_at) filter (where outcome = 'won') as first_won_at
        from raw_deals
        where lead_key is not null
        group by lead_key
    ) as per_lead on raw_leads.lead_key = per_lead.lead_key
    where
        raw_leads.deal_count is distinct from coalesce(per_lead.deal_count, 0)
        or raw_leads.won_deal_count is distinct from coalesce(per_lead.won_deal_count, 0)
        or raw_leads.first_deal_at is distinct from per_lead.first_deal_at
        or raw_leads.first_won_at is distinct from per_lead.first_won_at
) as changed
where raw_leads.lead_key = changed.lead_key
