-- name: headline_metrics
-- One row per motion group ('overall', 'pull', 'push', and 'unmapped' when sources lack a
-- motion): the shared-goal metrics of DESIGN.md for the period $date_from..$date_to
-- (inclusive days). Spend is company-wide: segment/region/product/owner filters do not split it.
-- MQLs follow the workspace's saved MQL definition ($mql_rule, $mql_threshold: the is_mql macro,
-- as in funnel.sql): a lead that qualifies by score alone became an MQL when it was created.
-- A figure whose input is absent is null, never 0 (DESIGN.md, "Missing inputs"): won revenue
-- when no won deal has an amount, open pipeline when no open deal has one, spend of a category
-- with no spend recorded in the period, and the CAC that needs it.
-- Each figure is answered from the period facts kept per day and month (migration 025: the
-- kept_ parts) unless $live, an owner filter (owners are not kept) or an MQL definition other
-- than the CRM's recorded date asks for the scans of the records (the live_ parts, the
-- definition the kept parts are tested against: tests/test_headline_kept.py). Deals closed on
-- a day before their creation ("irregular") are kept one row each and counted by the live
-- rules.
with
-- lead counts per source for each stage reached in the period: each branch is a range filter
-- on one timestamp (answered from zone maps), aggregated by source before the motion is
-- looked up, so the mapping is joined to a few rows rather than to every lead
lead_stage_counts as (
    select 'lead' as stage, source, count(*) as n
    from raw_leads
    where
        created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    group by source
    union all
    select 'mql', source, count(*)
    from raw_leads
    where
        coalesce(mql_at, created_at) >= $date_from::timestamp
        and coalesce(mql_at, created_at) < $date_to::timestamp + interval 1 day
        and is_mql($mql_rule, $mql_threshold, mql_at, lead_score)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    group by source
    union all
    select 'sql', source, count(*)
    from raw_leads
    where
        sql_at >= $date_from::timestamp
        and sql_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    group by source
),

-- leads created, and MQL / SQL stages reached, in the period
live_lead_counts as (
    select
        case when grouping(sm.motion) = 1 then 'overall' else coalesce(sm.motion, 'unmapped') end
            as motion_group,
        coalesce(sum(n) filter (where stage = 'lead'), 0) as leads,
        coalesce(sum(n) filter (where stage = 'mql'), 0) as mqls,
        coalesce(sum(n) filter (where stage = 'sql'), 0) as sqls
    from lead_stage_counts as c
    left join source_motion as sm on c.source = sm.source
    group by grouping sets ((sm.motion), ())
),

-- only deals that can count: created (or, without a created date, closed) by the period's end
-- and not closed before it began (a closed deal without a close date still counts as an
-- opportunity when it was created in the period)
filtered_deals as (
    select *
    from deals
    where
        coalesce(created_at, closed_at) < $date_to::timestamp + interval 1 day
        and (outcome = 'open' or closed_at is null or closed_at >= $date_from::timestamp)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

-- a deal is open at the period's end when created by then and not closed by then
deal_facts as (
    select
        *,
        in_period(created_at, $date_from, $date_to) as is_created_in_period,
        in_period(closed_at, $date_from, $date_to) and outcome = 'won' as is_won_in_period,
        in_period(closed_at, $date_from, $date_to) and outcome = 'lost' as is_lost_in_period,
        created_at < $date_to::timestamp + interval 1 day
        and (outcome = 'open' or closed_at >= $date_to::timestamp + interval 1 day)
            as is_open_at_end,
        date_diff('second', created_at, closed_at) / 86400.0 as cycle_days
    from filtered_deals
),

live_deal_counts as (
    select
        case when grouping(motion) = 1 then 'overall' else coalesce(motion, 'unmapped') end
            as motion_group,
        count(*) filter (where is_created_in_period) as opportunities,
        count(*) filter (where is_won_in_period) as won,
        count(*) filter (where is_lost_in_period) as lost,
        sum(amount) filter (where is_won_in_period)::double as won_amount,
        count(*) filter (where is_won_in_period and amount is null) as won_without_amount,
        avg(amount) filter (where is_won_in_period)::double as avg_deal_size,
        median(cycle_days) filter (where is_won_in_period)::double as sales_cycle_days,
        count(*) filter (where is_open_at_end) as open_opportunities,
        sum(amount) filter (where is_open_at_end)::double as open_pipeline_amount,
        count(*) filter (where is_open_at_end and amount is null) as open_without_amount
    from deal_facts
    group by grouping sets ((motion), ())
),

-- a new customer is an account (or a deal without one) whose first won deal closed in the
-- period: won in the period, and no win before the period; the customer belongs to the
-- motion of that first win
won_in_period as (
    select coalesce(account, deal_id) as customer_key, motion, closed_at
    from deal_facts
    where is_won_in_period
),

live_won_before as (
    select distinct coalesce(account, deal_id) as customer_key
    from deals
    where
        outcome = 'won'
        and closed_at < $date_from::timestamp
        and coalesce(account, deal_id) in (select customer_key from won_in_period)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

-- the motion of the first win, also when it has none (arg_min would skip it: migration 030)
live_first_wins as (
    select customer_key, arg_min_null(motion, closed_at) as motion
    from won_in_period
    where customer_key not in (select customer_key from live_won_before)
    group by customer_key
),

live_customer_counts as (
    select
        case when grouping(motion) = 1 then 'overall' else coalesce(motion, 'unmapped') end
            as motion_group,
        count(*) as new_customers
    from live_first_wins
    group by grouping sets ((motion), ())
),

-- what a period can count at all: a lead without a creation date (a deal without one, a closed
-- deal without a close date) falls in no period, so a count of 0 may only mean undated records
-- (queries/metrics.py then shows "—" or says how many are left out)
live_lead_dates as (
    select
        count(*) as lead_total,
        count(created_at) as leads_dated,
        count(coalesce(mql_at, created_at)) as leads_mql_dated,
        -- leads that have what the MQL definition reads: the CRM's MQL date, the lead score,
        -- or either or both (a definition on a field no lead has counts no MQL at all)
        count(*) filter (
            where case $mql_rule
                when 'recorded' then mql_at is not null
                when 'score' then lead_score is not null
                when 'score_and_recorded' then mql_at is not null and lead_score is not null
                else mql_at is not null or lead_score is not null
            end
        ) as leads_mql_input,
        count(sql_at) as leads_sql_dated
    from raw_leads
    where
        matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
),

live_deal_dates as (
    select
        count(*) as deal_total,
        count(created_at) as deals_dated,
        count(*) filter (where outcome <> 'open') as closed_total,
        count(closed_at) filter (where outcome <> 'open') as closed_dated,
        count(*) filter (where outcome = 'open') as open_total,
        count(created_at) filter (where outcome = 'open') as open_dated
    from deals
    where
        matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

-- the period's kept lead rows (whole months per month, other days per day)
lead_rows as (
    select * from kept_lead_rows($date_from, $date_to)
),

kept_lead_counts as (
    select
        case when grouping(sm.motion) = 1 then 'overall' else coalesce(sm.motion, 'unmapped') end
            as motion_group,
        coalesce(sum(leads), 0) as leads,
        coalesce(sum(mqls), 0) as mqls,
        coalesce(sum(sqls), 0) as sqls
    from lead_rows as k
    left join source_motion as sm on k.source = sm.source
    where matches_filter($segments, k.segment) and matches_filter($regions, k.region)
    group by grouping sets ((sm.motion), ())
),

-- whether a deal's amount of 0 is a missing amount (the deals view's rule)
zero_rule as (
    select coalesce(max(value) = '1', false) as zero_is_missing
    from settings
    where key = 'zero_amount_is_missing'
),

-- the regular deals' kept rows of the period (whole months per month, other days per day)
deal_rows as (
    select * from kept_deal_rows($date_from, $date_to)
),

regular as (
    select
        sm.motion,
        k.created,
        k.won,
        k.lost,
        k.won_amount,
        k.won_amount_n - case when z.zero_is_missing then k.won_zero_n else 0 end
            as won_with_amount
    from deal_rows as k
    cross join zero_rule as z
    left join source_motion as sm on k.source = sm.source
    where
        matches_filter($segments, k.segment)
        and matches_filter($regions, k.region)
        and matches_filter($products, k.product)
),

open_changes as (
    select source, segment, region, product, open_n, open_amount, open_amount_n, open_zero_n
    from kept_deal_months
    where month < date_trunc('month', $date_to::date)
    union all
    select source, segment, region, product, open_n, open_amount, open_amount_n, open_zero_n
    from kept_deal_days
    where day between date_trunc('month', $date_to::date) and $date_to::date
),

open_at_end as (
    select
        sm.motion,
        o.open_n,
        o.open_amount,
        o.open_amount_n - case when z.zero_is_missing then o.open_zero_n else 0 end
            as open_with_amount
    from open_changes as o
    cross join zero_rule as z
    left join source_motion as sm on o.source = sm.source
    where
        matches_filter($segments, o.segment)
        and matches_filter($regions, o.region)
        and matches_filter($products, o.product)
),

-- the irregular deals by the live rules (headline_metrics' filtered_deals and deal_facts)
irregular as (
    select
        sm.motion,
        in_period(i.created_at, $date_from, $date_to)
        and i.closed_at >= $date_from::timestamp as is_created_in_period,
        in_period(i.closed_at, $date_from, $date_to)
        and i.created_at < $date_to::timestamp + interval 1 day as is_closed_in_period,
        i.outcome,
        case when i.amount = 0 and z.zero_is_missing then null else i.amount end as amount,
        i.cycle_days
    from kept_irregular_deals as i
    cross join zero_rule as z
    left join source_motion as sm on i.source = sm.source
    where
        i.created_at < $date_to::timestamp + interval 1 day
        and i.closed_at >= $date_from::timestamp
        and matches_filter($segments, i.segment)
        and matches_filter($regions, i.region)
        and matches_filter($products, i.product)
),

-- what each kept row and irregular deal adds to each figure
contributions as (
    select
        motion,
        created as opportunities,
        won,
        lost,
        won_amount,
        won_with_amount,
        0 as open_opportunities,
        null as open_amount,
        0 as open_with_amount
    from regular
    union all
    select motion, 0, 0, 0, null, 0, open_n, open_amount, open_with_amount
    from open_at_end
    union all
    select
        motion,
        is_created_in_period::int,
        (is_closed_in_period and outcome = 'won')::int,
        (is_closed_in_period and outcome = 'lost')::int,
        case when is_closed_in_period and outcome = 'won' then amount end,
        (is_closed_in_period and outcome = 'won' and amount is not null)::int,
        0,
        null,
        0
    from irregular
),

-- the won deals' sales cycles in the period, for the median
cycles as (
    select sm.motion, w.cycle_days
    from kept_won_cycles as w
    left join source_motion as sm on w.source = sm.source
    where
        w.day between $date_from::date and $date_to::date
        and matches_filter($segments, w.segment)
        and matches_filter($regions, w.region)
        and matches_filter($products, w.product)
    union all
    select motion, cycle_days
    from irregular
    where is_closed_in_period and outcome = 'won' and cycle_days is not null
),

cycle_medians as (
    select
        case when grouping(motion) = 1 then 'overall' else coalesce(motion, 'unmapped') end
            as motion_group,
        median(cycle_days)::double as sales_cycle_days
    from cycles
    group by grouping sets ((motion), ())
),

deal_sums as (
    select
        case when grouping(motion) = 1 then 'overall' else coalesce(motion, 'unmapped') end
            as motion_group,
        coalesce(sum(opportunities), 0) as opportunities,
        coalesce(sum(won), 0) as won,
        coalesce(sum(lost), 0) as lost,
        sum(won_amount)::double as won_amount,
        coalesce(sum(won) - sum(won_with_amount), 0) as won_without_amount,
        (sum(won_amount) / nullif(sum(won_with_amount), 0))::double as avg_deal_size,
        coalesce(sum(open_opportunities), 0) as open_opportunities,
        sum(open_amount)::double as open_pipeline_amount,
        coalesce(sum(open_opportunities) - sum(open_with_amount), 0) as open_without_amount
    from contributions
    group by grouping sets ((motion), ())
),

kept_deal_counts as (
    select d.*, m.sales_cycle_days
    from deal_sums as d
    left join cycle_medians as m on d.motion_group = m.motion_group
),

-- a new customer: won in the period (under the filters: its first win of a kept segment,
-- region and product there, or an irregular deal counted there by the live rules, not
-- created after the period's end) and never before it; its motion is that of its first win
-- in the period. Without a filter, a customer without an irregular win is new in the period
-- of its first win of all (kept_customer_firsts); the others' wins in the period are looked
-- up before it.
firsts_unfiltered as (
    select first_source as source
    from kept_customer_firsts
    where
        $segments is null
        and $regions is null
        and $products is null
        and not has_irregular
        and first_closed_at >= $date_from::timestamp
        and first_closed_at < $date_to::timestamp + interval 1 day
),

in_period_wins as (
    select customer_key, first_closed_at as closed_at, first_source as source
    from kept_first_wins
    where
        first_closed_at >= $date_from::timestamp
        and first_closed_at < $date_to::timestamp + interval 1 day
        and (
            has_irregular
            or $segments is not null
            or $regions is not null
            or $products is not null
        )
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
    union all
    select customer_key, closed_at, source
    from kept_irregular_deals
    where
        outcome = 'won'
        and closed_at >= $date_from::timestamp
        and closed_at < $date_to::timestamp + interval 1 day
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
),

kept_won_before as (
    select customer_key
    from kept_first_wins
    where
        first_closed_at < $date_from::timestamp
        and customer_key in (select customer_key from in_period_wins)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
    union all
    select customer_key
    from kept_irregular_deals
    where
        outcome = 'won'
        and closed_at < $date_from::timestamp
        and customer_key in (select customer_key from in_period_wins)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
),

new_firsts as (
    select source from firsts_unfiltered
    union all
    select arg_min_null(source, closed_at)
    from in_period_wins
    where customer_key not in (select customer_key from kept_won_before)
    group by customer_key
),

kept_customer_counts as (
    select
        case when grouping(sm.motion) = 1 then 'overall' else coalesce(sm.motion, 'unmapped') end
            as motion_group,
        coalesce(sum(n), 0) as new_customers
    from (select source, count(*) as n from new_firsts group by source) as f
    left join source_motion as sm on f.source = sm.source
    group by grouping sets ((sm.motion), ())
),

-- what a period can count at all (headline_metrics' lead_dates and deal_dates), kept
kept_lead_dates as (
    select
        coalesce(sum(lead_total), 0) as lead_total,
        coalesce(sum(leads_dated), 0) as leads_dated,
        coalesce(sum(leads_mql_dated), 0) as leads_mql_dated,
        coalesce(sum(leads_mql_recorded), 0) as leads_mql_input,
        coalesce(sum(leads_sql_dated), 0) as leads_sql_dated
    from kept_lead_totals
    where matches_filter($segments, segment) and matches_filter($regions, region)
),

kept_deal_dates as (
    select
        coalesce(sum(deal_total), 0) as deal_total,
        coalesce(sum(deals_dated), 0) as deals_dated,
        coalesce(sum(closed_total), 0) as closed_total,
        coalesce(sum(closed_dated), 0) as closed_dated,
        coalesce(sum(open_total), 0) as open_total,
        coalesce(sum(open_dated), 0) as open_dated
    from kept_deal_totals
    where
        matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
),

-- the kept facts' answer where they can give it, else the live scans' (one of each pair runs:
-- the other's condition is false once the parameters are bound; by name: the parts list
-- their columns in orders of their own)
lead_counts as (
    select * from kept_lead_counts where not $live and $owners is null and $mql_rule = 'recorded'
    union all by name
    select * from live_lead_counts where $live or $owners is not null or $mql_rule <> 'recorded'
),

deal_counts as (
    select * from kept_deal_counts where not $live and $owners is null and $mql_rule = 'recorded'
    union all by name
    select * from live_deal_counts where $live or $owners is not null or $mql_rule <> 'recorded'
),

customer_counts as (
    select * from kept_customer_counts where not $live and $owners is null and $mql_rule = 'recorded'
    union all by name
    select * from live_customer_counts
    where $live or $owners is not null or $mql_rule <> 'recorded'
),

lead_dates as (
    select * from kept_lead_dates where not $live and $owners is null and $mql_rule = 'recorded'
    union all by name
    select * from live_lead_dates where $live or $owners is not null or $mql_rule <> 'recorded'
),

deal_dates as (
    select * from kept_deal_dates where not $live and $owners is null and $mql_rule = 'recorded'
    union all by name
    select * from live_deal_dates where $live or $owners is not null or $mql_rule <> 'recorded'
),

-- spend of a category is null (absent) when none is recorded in the period, not 0
period_spend as (
    select
        nullif(sum(amount) filter (where category = 'marketing'), 0)::double as marketing_spend,
        nullif(sum(amount) filter (where category = 'sales'), 0)::double as sales_spend
    from spend
    where in_period(spent_on, $date_from, $date_to)
),

-- marketing spend is pull's; sales spend is push's except the share
-- $pull_share_of_sales (0..1) of it charged to pull for the sales time pull deals take.
-- group_spend is what the group's CAC divides: null when the spend it needs is absent (pull
-- needs marketing spend, push sales spend, blended any spend)
spend_by_group as (
    select
        'overall' as motion_group,
        marketing_spend,
        sales_spend,
        nullif(coalesce(marketing_spend, 0) + coalesce(sales_spend, 0), 0) as group_spend
    from period_spend
    union all
    select
        'pull',
        marketing_spend,
        case when $pull_share_of_sales > 0 then sales_spend * $pull_share_of_sales else 0.0 end,
        marketing_spend + coalesce(sales_spend * $pull_share_of_sales, 0)
    from period_spend
    union all
    select
        'push',
        0.0,
        case when $pull_share_of_sales < 1 then sales_spend * (1 - $pull_share_of_sales) else 0.0
        end,
        nullif(sales_spend * (1 - $pull_share_of_sales), 0)
    from period_spend
),

-- whether the workspace holds any spend of each category, any lead and any deal at all (the reason a
-- figure is absent: none imported, or none in this period)
spend_held as (
    select
        count(*) filter (where category = 'marketing') > 0 as has_marketing_spend,
        count(*) filter (where category = 'sales') > 0 as has_sales_spend,
        -- no lead at all: lead counts are absent, not 0
        exists (select 1 from raw_leads) as has_leads,
        exists (select 1 from raw_deals) as has_deals
    from spend
),

groups as (
    select motion_group from lead_counts
    union
    select motion_group from deal_counts
    union
    select motion_group from spend_by_group
),

combined as (
    select
        groups.motion_group,
        coalesce(lc.leads, 0) as leads,
        coalesce(lc.mqls, 0) as mqls,
        coalesce(lc.sqls, 0) as sqls,
        coalesce(dc.opportunities, 0) as opportunities,
        coalesce(dc.won, 0) as won,
        coalesce(dc.lost, 0) as lost,
        dc.won / nullif(dc.won + dc.lost, 0) as win_rate,
        -- no won deal: 0 won; won deals none of which has an amount: unknown
        case
            when coalesce(dc.won, 0) = 0 then 0.0
            when dc.won_without_amount < dc.won then dc.won_amount
        end as won_amount,
        coalesce(dc.won_without_amount, 0) as won_without_amount,
        dc.avg_deal_size,
        dc.sales_cycle_days,
        coalesce(dc.open_opportunities, 0) as open_opportunities,
        case
            when coalesce(dc.open_opportunities, 0) = 0 then 0.0
            when dc.open_without_amount < dc.open_opportunities then dc.open_pipeline_amount
        end as open_pipeline_amount,
        coalesce(dc.open_without_amount, 0) as open_without_amount,
        coalesce(cc.new_customers, 0) as new_customers,
        sg.marketing_spend,
        sg.sales_spend,
        sg.group_spend,
        spend_held.has_marketing_spend,
        spend_held.has_sales_spend,
        spend_held.has_leads,
        spend_held.has_deals,
        lead_dates.*,
        deal_dates.*
    from groups
    left join lead_counts as lc on groups.motion_group = lc.motion_group
    left join deal_counts as dc on groups.motion_group = dc.motion_group
    left join customer_counts as cc on groups.motion_group = cc.motion_group
    left join spend_by_group as sg on groups.motion_group = sg.motion_group
    cross join spend_held
    cross join lead_dates
    cross join deal_dates
)

select
    *,
    open_opportunities * win_rate * avg_deal_size / nullif(sales_cycle_days, 0)
        as pipeline_velocity,
    -- spend is company-wide: with a segment/region/product/owner filter it would be divided by
    -- a subset of the customers, so CAC is left undefined rather than overstated
    case
        when $segments is null and $regions is null and $products is null and $owners is null
            then group_spend / nullif(new_customers, 0)
    end as cac
from combined
order by
    case motion_group when 'overall' then 0 when 'pull' then 1 when 'push' then 2 else 3 end;

-- name: won_revenue_by_month
-- One row per month and motion: won revenue and won deals closed that month. From the period
-- facts kept per day and month (migration 025) unless $live or an owner filter (owners are not
-- kept) asks for the deals themselves; irregular deals (closed before their creation) from
-- their kept rows. Revenue is null when none of the month's won deals has an amount.
with
zero_rule as (
    select coalesce(max(value) = '1', false) as zero_is_missing
    from settings
    where key = 'zero_amount_is_missing'
),

kept as (
    select
        k.month,
        k.source,
        k.won,
        k.won_amount,
        k.won_amount_n - case when z.zero_is_missing then k.won_zero_n else 0 end
            as won_with_amount
    from kept_deal_rows($date_from, $date_to) as k
    cross join zero_rule as z
    where
        not $live
        and $owners is null
        and k.won > 0
        and matches_filter($segments, k.segment)
        and matches_filter($regions, k.region)
        and matches_filter($products, k.product)
    union all
    select
        date_trunc('month', i.closed_at)::date,
        i.source,
        1,
        i.amount,
        (i.amount is not null and not (i.amount = 0 and z.zero_is_missing))::int
    from kept_irregular_deals as i
    cross join zero_rule as z
    where
        not $live
        and $owners is null
        and i.outcome = 'won'
        and in_period(i.closed_at, $date_from, $date_to)
        and matches_filter($segments, i.segment)
        and matches_filter($regions, i.region)
        and matches_filter($products, i.product)
),

kept_months as (
    select
        k.month,
        coalesce(sm.motion, 'unmapped') as motion,
        case when sum(k.won_with_amount) > 0 then sum(k.won_amount)::double end as won_amount,
        sum(k.won) as won
    from kept as k
    left join source_motion as sm on k.source = sm.source
    group by all
),

live_months as (
    select
        date_trunc('month', closed_at)::date as month,
        coalesce(motion, 'unmapped') as motion,
        sum(amount)::double as won_amount,
        count(*) as won
    from deals
    where
        ($live or $owners is not null)
        and outcome = 'won'
        and in_period(closed_at, $date_from, $date_to)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
    group by all
)

select * from kept_months
union all
select * from live_months
order by month, motion;

-- name: deal_metrics_by
-- One row per value of $dimension ('segment', 'region', 'product', 'owner', 'source',
-- 'campaign_id', 'closed_quarter' or 'discount_band'), of $pair when given ('segment', 'region',
-- 'product' or 'source'; null for none: pair_value is then null) and motion group ('overall', 'pull',
-- 'push', 'unmapped'): the deal metrics of DESIGN.md (win rate, average deal size, sales
-- cycle, won amount) for deals closed in the period, and opportunities created in it (not
-- for 'closed_quarter' and 'discount_band'). Discount bands are '0'..'6' for discount_pct
-- 0, (0, 5], (5, 10], (10, 15], (15, 20], (20, 30] and above 30 (upper bounds included).
-- For 'closed_quarter' dimension_value is null and quarter_start is the first day of the
-- quarter, fiscal after $fiscal_start_month (1-12; 1 = calendar quarters): queries/metrics.py
-- names it with planning/fiscal.py's label. quarter_start is null for every other dimension.
-- $with_opportunities / $with_cycle false: the pass that counts opportunities / the median
-- cycle is skipped (opportunities are then 0, the cycle null: queries/metrics.py drops the
-- column), for a caller that reads neither.
--
-- The deals of the `deals` view (excluded ones left out, an amount of 0 read as missing when
-- the workspace says so: shown_amount) are read from raw_deals in three passes, each a range on
-- one date that zone maps answer: those created in the period (opportunities), those closed in
-- it (won, lost, won amount) and those won in it (the median cycle). Counts and sums are
-- grouped by source first and the motion looked up on those few rows; a deal created after the
-- period's end counts in none of them (as deals created or closed in the period, before).
-- tests/test_deal_metrics_live.py holds this equal to the one-pass form it replaced.
--
-- The period facts kept per day (migration 025) answer instead unless $live, an owner filter
-- (owners are not kept) or a dimension they do not keep (owner, campaign, discount) asks for
-- the deals: the regular deals' kept rows of the period, and the deals closed on a day before
-- their creation (kept one row each) by the rules above; the median cycle from the kept won
-- cycles; a closing quarter is that of the kept rows' days. Only one of the two forms runs: the other's conditions are constant once the
-- parameters are bound, and its scans are pruned. tests/test_deal_metrics_kept.py holds them
-- equal.
with
created as (
    select
        source,
        case $dimension
            when 'segment' then segment
            when 'region' then region
            when 'product' then product
            when 'owner' then owner
            when 'source' then source
            when 'campaign_id' then campaign_id
        end as dimension_value,
        -- a second dimension: one pass instead of one call per value of it
        case $pair
            when 'segment' then segment
            when 'region' then region
            when 'product' then product
            when 'source' then source
        end as pair_value,
        count(*) as opportunities
    from raw_deals
    where
        is_excluded is not true
        and $with_opportunities
        and (
            $live
            or $owners is not null
            or $dimension not in ('segment', 'region', 'product', 'source', 'closed_quarter')
        )
        and $dimension not in ('closed_quarter', 'discount_band')
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
    group by all
),

-- the deals closed in the period, won or lost, keyed as above plus the first day of the
-- closing quarter, a fiscal one after $fiscal_start_month as in engines.sql
-- (planning/fiscal.py's quarter_start); queries/metrics.py labels it
closed_keyed as (
    select
        source,
        outcome,
        shown_amount(amount) as amount,
        case $dimension
            when 'segment' then segment
            when 'region' then region
            when 'product' then product
            when 'owner' then owner
            when 'source' then source
            when 'campaign_id' then campaign_id
            when 'discount_band' then case
                when discount_pct <= 0 then '0'
                when discount_pct <= 5 then '1'
                when discount_pct <= 10 then '2'
                when discount_pct <= 15 then '3'
                when discount_pct <= 20 then '4'
                when discount_pct <= 30 then '5'
                when discount_pct > 30 then '6'
            end
        end as dimension_value,
        case $pair
            when 'segment' then segment
            when 'region' then region
            when 'product' then product
            when 'source' then source
        end as pair_value,
        case
            when $dimension = 'closed_quarter'
                then fiscal_quarter_start(closed_at, $fiscal_start_month)
        end as quarter_start
    from raw_deals
    where
        is_excluded is not true
        and (
            $live
            or $owners is not null
            or $dimension not in ('segment', 'region', 'product', 'source', 'closed_quarter')
        )
        and outcome in ('won', 'lost')
        and closed_at >= $date_from::timestamp
        and closed_at < $date_to::timestamp + interval 1 day
        and (created_at is null or created_at < $date_to::timestamp + interval 1 day)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

closed as (
    select
        source,
        dimension_value,
        pair_value,
        quarter_start,
        count(*) filter (where outcome = 'won') as won,
        count(*) filter (where outcome = 'lost') as lost,
        sum(amount) filter (where outcome = 'won') as won_sum,
        count(amount) filter (where outcome = 'won') as won_with_amount
    from closed_keyed
    group by all
),

by_source as (
    select
        coalesce(c.dimension_value, o.dimension_value) as dimension_value,
        c.quarter_start,
        coalesce(c.pair_value, o.pair_value) as pair_value,
        coalesce(c.source, o.source) as source,
        coalesce(o.opportunities, 0) as opportunities,
        coalesce(c.won, 0) as won,
        coalesce(c.lost, 0) as lost,
        c.won_sum,
        coalesce(c.won_with_amount, 0) as won_with_amount
    from closed as c
    full join created as o
        on
            c.dimension_value is not distinct from o.dimension_value
            and c.pair_value is not distinct from o.pair_value
            and c.source is not distinct from o.source
),

-- whether a deal's amount of 0 is a missing amount (the deals view's rule), for the kept rows
zero_rule as (
    select coalesce(max(value) = '1', false) as zero_is_missing
    from settings
    where key = 'zero_amount_is_missing'
),

-- the kept form: what each kept row of the regular deals and each irregular deal adds
kept_deals as (
    select
        k.source,
        k.segment,
        k.region,
        k.product,
        -- the closing quarter of the kept row's days (its month's)
        case
            when $dimension = 'closed_quarter'
                then fiscal_quarter_start(k.month, $fiscal_start_month)
        end as quarter_start,
        -- opportunities are not counted by closing quarter
        case
            when $with_opportunities and $dimension <> 'closed_quarter' then k.created else 0
        end as opportunities,
        k.won,
        k.lost,
        k.won_amount as won_sum,
        k.won_amount_n - case when z.zero_is_missing then k.won_zero_n else 0 end
            as won_with_amount
    from kept_deal_rows($date_from, $date_to) as k
    cross join zero_rule as z
    where
        not $live
        and $owners is null
        and $dimension in ('segment', 'region', 'product', 'source', 'closed_quarter')
        and matches_filter($segments, k.segment)
        and matches_filter($regions, k.region)
        and matches_filter($products, k.product)
    union all
    select
        i.source,
        i.segment,
        i.region,
        i.product,
        case
            when $dimension = 'closed_quarter'
                then fiscal_quarter_start(i.closed_at, $fiscal_start_month)
        end,
        ($with_opportunities and $dimension <> 'closed_quarter' and i.created_in)::int,
        (i.closed_in and i.outcome = 'won')::int,
        (i.closed_in and i.outcome = 'lost')::int,
        case when i.closed_in and i.outcome = 'won' then i.amount end,
        (
            i.closed_in
            and i.outcome = 'won'
            and i.amount is not null
            and not (i.amount = 0 and z.zero_is_missing)
        )::int
    from (
        select
            *,
            in_period(created_at, $date_from, $date_to) as created_in,
            in_period(closed_at, $date_from, $date_to)
            and created_at < $date_to::timestamp + interval 1 day as closed_in
        from kept_irregular_deals
    ) as i
    cross join zero_rule as z
    where
        not $live
        and $owners is null
        and $dimension in ('segment', 'region', 'product', 'source', 'closed_quarter')
        and (i.created_in or i.closed_in)
        and matches_filter($segments, i.segment)
        and matches_filter($regions, i.region)
        and matches_filter($products, i.product)
),

kept_by_source as (
    select
        case $dimension
            when 'segment' then segment
            when 'region' then region
            when 'product' then product
            when 'source' then source
        end as dimension_value,
        quarter_start,
        case $pair
            when 'segment' then segment
            when 'region' then region
            when 'product' then product
            when 'source' then source
        end as pair_value,
        source,
        sum(opportunities) as opportunities,
        sum(won) as won,
        sum(lost) as lost,
        sum(won_sum) as won_sum,
        sum(won_with_amount) as won_with_amount
    from kept_deals
    group by all
),

grouped as (
    select
        b.dimension_value,
        b.quarter_start,
        b.pair_value,
        case when grouping(sm.motion) = 1 then 'overall' else coalesce(sm.motion, 'unmapped') end
            as motion_group,
        sum(b.opportunities)::bigint as opportunities,
        sum(b.won)::bigint as won,
        sum(b.lost)::bigint as lost,
        coalesce(sum(b.won_sum), 0)::double as won_amount,
        -- the average of the won deals' amounts: a won deal without one is not in it
        (sum(b.won_sum) / nullif(sum(b.won_with_amount), 0))::double as avg_deal_size
    from (
        select * from by_source
        union all by name
        select * from kept_by_source
    ) as b
    left join source_motion as sm on b.source = sm.source
    group by grouping sets (
        (b.dimension_value, b.quarter_start, b.pair_value, sm.motion),
        (b.dimension_value, b.quarter_start, b.pair_value)
    )
),

-- a median cannot be summed from parts: the cycles of the deals won in the period, each (a
-- pass of its own: cheaper than keeping the closed deals for two reads), then grouped by motion
cycle_rows as (
    select
        case $dimension
            when 'segment' then d.segment
            when 'region' then d.region
            when 'product' then d.product
            when 'owner' then d.owner
            when 'source' then d.source
            when 'campaign_id' then d.campaign_id
            when 'discount_band' then case
                when d.discount_pct <= 0 then '0'
                when d.discount_pct <= 5 then '1'
                when d.discount_pct <= 10 then '2'
                when d.discount_pct <= 15 then '3'
                when d.discount_pct <= 20 then '4'
                when d.discount_pct <= 30 then '5'
                when d.discount_pct > 30 then '6'
            end
        end as dimension_value,
        case
            when $dimension = 'closed_quarter'
                then fiscal_quarter_start(d.closed_at, $fiscal_start_month)
        end as quarter_start,
        case $pair
            when 'segment' then d.segment
            when 'region' then d.region
            when 'product' then d.product
            when 'source' then d.source
        end as pair_value,
        d.source,
        date_diff('second', d.created_at, d.closed_at) / 86400.0 as cycle_days
    from raw_deals as d
    where
        d.is_excluded is not true
        and $with_cycle
        and (
            $live
            or $owners is not null
            or $dimension not in ('segment', 'region', 'product', 'source', 'closed_quarter')
        )
        and d.outcome = 'won'
        and d.closed_at >= $date_from::timestamp
        and d.closed_at < $date_to::timestamp + interval 1 day
        -- a won deal without a creation date has no cycle
        and d.created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, d.segment)
        and matches_filter($regions, d.region)
        and matches_filter($products, d.product)
        and matches_filter($owners, d.owner)
    union all
    -- the kept form: the regular won deals' cycles kept per close day, and the irregular ones
    select
        case $dimension
            when 'segment' then segment
            when 'region' then region
            when 'product' then product
            when 'source' then source
        end,
        case
            when $dimension = 'closed_quarter' then fiscal_quarter_start(day, $fiscal_start_month)
        end,
        case $pair
            when 'segment' then segment
            when 'region' then region
            when 'product' then product
            when 'source' then source
        end,
        source,
        cycle_days
    from (
        select source, segment, region, product, day, cycle_days
        from kept_won_cycles
        where day between $date_from::date and $date_to::date
        union all
        select source, segment, region, product, closed_at::date, cycle_days
        from kept_irregular_deals
        where
            outcome = 'won'
            and in_period(closed_at, $date_from, $date_to)
            and created_at < $date_to::timestamp + interval 1 day
            and cycle_days is not null
    )
    where
        not $live
        and $owners is null
        and $dimension in ('segment', 'region', 'product', 'source', 'closed_quarter')
        and $with_cycle
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
),

cycles as (
    select
        r.dimension_value,
        r.quarter_start,
        r.pair_value,
        case when grouping(sm.motion) = 1 then 'overall' else coalesce(sm.motion, 'unmapped') end
            as motion_group,
        median(r.cycle_days)::double as sales_cycle_days
    from cycle_rows as r
    left join source_motion as sm on r.source = sm.source
    group by grouping sets (
        (r.dimension_value, r.quarter_start, r.pair_value, sm.motion),
        (r.dimension_value, r.quarter_start, r.pair_value)
    )
)

select
    g.dimension_value,
    g.quarter_start,
    g.pair_value,
    g.motion_group,
    g.opportunities,
    g.won,
    g.lost,
    g.won_amount,
    g.avg_deal_size,
    c.sales_cycle_days,
    g.won / nullif(g.won + g.lost, 0) as win_rate
from grouped as g
left join cycles as c
    on
        g.dimension_value is not distinct from c.dimension_value
        and g.quarter_start is not distinct from c.quarter_start
        and g.pair_value is not distinct from c.pair_value
        and g.motion_group = c.motion_group
where g.opportunities + g.won + g.lost > 0
order by g.dimension_value, g.quarter_start, g.pair_value, g.motion_group;
