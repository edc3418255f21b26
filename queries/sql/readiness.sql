-- name: readiness_counts
-- One row: what this workspace holds of each input the pages need (views/readiness.py says
-- which page needs which): leads and those with a source, a creation date (the date every
-- period counts a lead by) or a first-touch date; deals, those
-- with a pull or push motion (their own source, their lead's or the deal source rule's) and
-- with a segment (their own or their account's); won, lost and open deals and the open ones
-- with an amount; marketing spend rows with a channel and sales spend rows; sales reps and
-- those with a monthly cost; touches, campaigns, accounts and market assumption rows.
-- The lead and deal counts are kept by the refresh (migration 024), deals per source so the
-- motion lookup stays live (as in motion_coverage); the other tables are small.
with
-- each part one row of its own columns, stacked by name and folded into one row: one
-- aggregate over a union instead of eight relations joined, whose join order DuckDB spent
-- about 10 ms of the query's 17 ms planning (nothing to order in single rows)
parts as (
    -- the lead and per-source deal counts the refresh keeps (migration 024); no kept row: none
    select
        coalesce(sum(leads), 0)::bigint as leads,
        coalesce(sum(leads_with_source), 0)::bigint as leads_with_source,
        coalesce(sum(leads_with_created), 0)::bigint as leads_with_created,
        coalesce(sum(leads_with_first_touch), 0)::bigint as leads_with_first_touch
    from kept_lead_readiness
    union all by name
    select
        coalesce(sum(d.deals), 0)::bigint as deals,
        coalesce(sum(d.deals) filter (where sm.motion is not null), 0)::bigint
            as deals_with_motion,
        coalesce(sum(d.with_segment), 0)::bigint as deals_with_segment,
        coalesce(sum(d.won), 0)::bigint as won_deals,
        coalesce(sum(d.lost), 0)::bigint as lost_deals,
        coalesce(sum(d.open), 0)::bigint as open_deals,
        coalesce(sum(d.open_with_amount), 0)::bigint as open_with_amount
    from kept_deal_source_readiness as d
    left join source_motion as sm on d.source = sm.source
    union all by name
    select
        count(*) filter (
            where category = 'marketing' and channel is not null
        ) as marketing_spend_rows,
        count(*) filter (where category = 'sales') as sales_spend_rows
    from spend
    union all by name
    select
        count(*) as sales_reps,
        count(*) filter (where monthly_cost > 0) as reps_with_cost
    from sales_reps
    union all by name
    select count(*) as touches from touches
    union all by name
    select count(*) as campaigns from campaigns
    union all by name
    select count(*) as accounts from accounts
    union all by name
    select count(*) as market_assumptions from market_segments
)
select any_value(columns(*)) from parts;

-- name: undated_activity
-- One row: how many leads and deals the workspace holds (records) and how many of them carry
-- a date a period can count them by (dated: a lead's creation date, a deal's creation or close
-- date). queries/period.py says so when records exist and none is dated.
select
    (select count(*) from raw_leads) + (select count(*) from raw_deals) as records,
    (select count(created_at) from raw_leads)
    + (select count(coalesce(created_at, closed_at)) from raw_deals) as dated;
