-- name: deals_by_quarter
-- One row per quarter (quarter_start, its first day) and motion group ('overall', 'pull',
-- 'push', 'unmapped'): the deal metrics of DESIGN.md for deals closed in the period and quarter
-- (won, lost, won amount, average deal size, median sales cycle, win rate). The definitions of
-- metrics.sql's deal_metrics_by, grouped by fiscal quarter; tests/test_engines.py holds them
-- equal to it on calendar quarters. Quarters follow $fiscal_start_month (1–12, the workspace's
-- fiscal_year_start_month; 1 = calendar quarters): the fiscal_quarter_start macro (migration
-- 031, as planning/fiscal.py's quarter_start).
-- Answered from the period facts kept per day and month (migration 025: regular deals' closes
-- and won cycles, irregular deals one row each) unless $live or an owner filter (owners are not
-- kept) asks for the records (the closed_deals form, which tests/test_engines.py holds the kept
-- one to); one of the two runs: the other's condition is false once the parameters are bound.
with
closed_deals as (
    select
        motion,
        outcome,
        amount,
        date_diff('second', created_at, closed_at) / 86400.0 as cycle_days,
        fiscal_quarter_start(closed_at, $fiscal_start_month) as quarter_start
    from deals
    where
        ($live or $owners is not null)
        and in_period(closed_at, $date_from, $date_to)
        and outcome in ('won', 'lost')
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

live_grouped as (
    select
        quarter_start,
        case when grouping(motion) = 1 then 'overall' else coalesce(motion, 'unmapped') end
            as motion_group,
        count(*) filter (where outcome = 'won') as won,
        count(*) filter (where outcome = 'lost') as lost,
        coalesce(sum(amount) filter (where outcome = 'won'), 0)::double as won_amount,
        avg(amount) filter (where outcome = 'won')::double as avg_deal_size,
        median(cycle_days) filter (where outcome = 'won')::double as sales_cycle_days
    from closed_deals
    group by grouping sets ((quarter_start, motion), (quarter_start))
),

-- whether a deal's amount of 0 is a missing amount (the deals view's rule)
zero_rule as (
    select coalesce(max(value) = '1', false) as zero_is_missing
    from settings
    where key = 'zero_amount_is_missing'
),

-- the irregular deals (closed on a day before their creation, kept one row each) closed in
-- the period, with their quarter: counted in the closes, and the won ones' cycles
irregular_closes as (
    select
        fiscal_quarter_start(i.closed_at, $fiscal_start_month) as quarter_start,
        sm.motion,
        i.outcome,
        i.amount,
        i.cycle_days
    from kept_irregular_deals as i
    left join source_motion as sm on i.source = sm.source
    where
        not $live
        and $owners is null
        and in_period(i.closed_at, $date_from, $date_to)
        and i.outcome in ('won', 'lost')
        and matches_filter($segments, i.segment)
        and matches_filter($regions, i.region)
        and matches_filter($products, i.product)
),

-- the kept rows and irregular deals of the period that close a deal, with their quarter (a
-- month lies in one quarter, fiscal or not)
kept_closes as (
    select
        fiscal_quarter_start(k.month, $fiscal_start_month) as quarter_start,
        sm.motion,
        k.won,
        k.lost,
        k.won_amount,
        k.won_amount_n - case when z.zero_is_missing then k.won_zero_n else 0 end
            as won_with_amount
    from kept_deal_rows($date_from, $date_to) as k
    cross join zero_rule as z
    left join source_motion as sm on k.source = sm.source
    where
        not $live
        and $owners is null
        and (k.won > 0 or k.lost > 0)
        and matches_filter($segments, k.segment)
        and matches_filter($regions, k.region)
        and matches_filter($products, k.product)
    union all
    select
        i.quarter_start,
        i.motion,
        (i.outcome = 'won')::int,
        (i.outcome = 'lost')::int,
        case when i.outcome = 'won' then i.amount end,
        (
            i.outcome = 'won'
            and i.amount is not null
            and not (i.amount = 0 and z.zero_is_missing)
        )::int
    from irregular_closes as i
    cross join zero_rule as z
),

-- the won deals' sales cycles of the period, with their quarter, for the median
kept_cycles as (
    select
        fiscal_quarter_start(w.day, $fiscal_start_month) as quarter_start,
        sm.motion,
        w.cycle_days
    from kept_won_cycles as w
    left join source_motion as sm on w.source = sm.source
    where
        not $live
        and $owners is null
        and w.day between $date_from::date and $date_to::date
        and matches_filter($segments, w.segment)
        and matches_filter($regions, w.region)
        and matches_filter($products, w.product)
    union all
    select quarter_start, motion, cycle_days
    from irregular_closes
    where outcome = 'won' and cycle_days is not null
),

kept_sums as (
    select
        quarter_start,
        case when grouping(motion) = 1 then 'overall' else coalesce(motion, 'unmapped') end
            as motion_group,
        sum(won)::bigint as won,
        sum(lost)::bigint as lost,
        coalesce(sum(won_amount), 0)::double as won_amount,
        (sum(won_amount) / nullif(sum(won_with_amount), 0))::double as avg_deal_size
    from kept_closes
    group by grouping sets ((quarter_start, motion), (quarter_start))
),

kept_medians as (
    select
        quarter_start,
        case when grouping(motion) = 1 then 'overall' else coalesce(motion, 'unmapped') end
            as motion_group,
        median(cycle_days)::double as sales_cycle_days
    from kept_cycles
    group by grouping sets ((quarter_start, motion), (quarter_start))
),

grouped as (
    select * from live_grouped
    union all by name
    select s.*, m.sales_cycle_days
    from kept_sums as s
    left join kept_medians as m
        on s.quarter_start = m.quarter_start and s.motion_group = m.motion_group
)

select
    quarter_start,
    motion_group,
    won,
    lost,
    won_amount,
    avg_deal_size,
    sales_cycle_days,
    won / nullif(won + lost, 0) as win_rate
from grouped
order by quarter_start, motion_group;

-- name: cac_by_quarter
-- One row per quarter (quarter_start, its first day; quarters follow $fiscal_start_month as in
-- deals_by_quarter) and motion group ('overall', 'pull', 'push', 'unmapped'): new customers won
-- in the quarter, the spend charged to the group in it, and CAC, within the period. The
-- definitions of headline_metrics, grouped by quarter: a new customer is an account whose first
-- won deal closed then; marketing spend is pull's, sales spend push's except the share
-- $pull_share_of_sales charged to pull. CAC is null (unknown) without new customers or without
-- spend charged to the group in the quarter. Each customer's first win comes from the first
-- wins the refresh keeps (migrations 025, 030) unless $live or an owner filter (owners are not
-- kept) asks for the records (the other parts' conditions are false once the parameters are
-- bound).
with
first_wins_live as (
    select
        coalesce(raw_deals.account, raw_deals.deal_id) as customer_key,
        -- the first win's motion, also when it has none (arg_min would skip it: migration 030)
        arg_min_null(source_motion.motion, raw_deals.closed_at) as motion,
        min(raw_deals.closed_at) as first_won_at
    from raw_deals
    left join source_motion on raw_deals.source = source_motion.source
    where
        ($live or $owners is not null)
        and raw_deals.is_excluded is not true
        and raw_deals.outcome = 'won'
        and matches_filter($segments, raw_deals.segment)
        and matches_filter($regions, raw_deals.region)
        and matches_filter($products, raw_deals.product)
        and matches_filter($owners, raw_deals.owner)
    group by customer_key
),

-- kept, without a filter: a customer without an irregular win (closed on an earlier day than
-- created, kept one by one) has its first regular win of all as its first win
kept_firsts as (
    select k.customer_key, sm.motion, k.first_closed_at as first_won_at
    from kept_customer_firsts as k
    left join source_motion as sm on k.first_source = sm.source
    where
        not $live
        and $owners is null
        and $segments is null
        and $regions is null
        and $products is null
        and not k.has_irregular
),

-- kept, the others: the earliest of their first wins in the groups the filter keeps and of
-- their irregular wins there
kept_wins as (
    select customer_key, first_closed_at as closed_at, first_source as source
    from kept_first_wins
    where
        not $live
        and $owners is null
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
        not $live
        and $owners is null
        and outcome = 'won'
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
),

first_wins as (
    select customer_key, motion, first_won_at from first_wins_live
    union all
    select customer_key, motion, first_won_at from kept_firsts
    union all
    select
        w.customer_key,
        arg_min_null(sm.motion, w.closed_at),
        min(w.closed_at)
    from kept_wins as w
    left join source_motion as sm on w.source = sm.source
    group by w.customer_key
),

motion_counts as (
    select
        fiscal_quarter_start(first_won_at, $fiscal_start_month) as quarter_start,
        coalesce(motion, 'unmapped') as motion_group,
        count(*) as new_customers
    from first_wins
    where
        first_won_at >= $date_from::timestamp
        and first_won_at < $date_to::timestamp + interval 1 day
    group by all
),

customer_counts as (
    select quarter_start, motion_group, new_customers
    from motion_counts
    union all
    select quarter_start, 'overall', sum(new_customers)::bigint
    from motion_counts
    group by quarter_start
),

quarter_spend as (
    select
        fiscal_quarter_start(spent_on, $fiscal_start_month) as quarter_start,
        coalesce(sum(amount) filter (where category = 'marketing'), 0)::double
            as marketing_spend,
        coalesce(sum(amount) filter (where category = 'sales'), 0)::double as sales_spend
    from spend
    where in_period(spent_on, $date_from, $date_to)
    group by quarter_start
),

spend_by_group as (
    select quarter_start, 'overall' as motion_group, marketing_spend, sales_spend
    from quarter_spend
    union all
    select quarter_start, 'pull', marketing_spend, sales_spend * $pull_share_of_sales
    from quarter_spend
    union all
    select quarter_start, 'push', 0.0, sales_spend * (1 - $pull_share_of_sales)
    from quarter_spend
),

quarter_groups as (
    select quarter_start, motion_group from customer_counts
    union
    select quarter_start, motion_group from spend_by_group
)

select
    quarter_groups.quarter_start,
    quarter_groups.motion_group,
    coalesce(customer_counts.new_customers, 0) as new_customers,
    coalesce(spend_by_group.marketing_spend, 0) as marketing_spend,
    coalesce(spend_by_group.sales_spend, 0) as sales_spend,
    -- spend is company-wide: with a segment/region/product/owner filter it would be divided
    -- by a subset of the customers, so CAC is left undefined rather than overstated; a quarter
    -- with no spend charged to the group has an unknown CAC (null), not a free customer (0)
    case
        when
            $segments is null and $regions is null and $products is null and $owners is null
            then
                nullif(
                    coalesce(spend_by_group.marketing_spend, 0)
                    + coalesce(spend_by_group.sales_spend, 0),
                    0
                )
                / nullif(customer_counts.new_customers, 0)
    end as cac
from quarter_groups
left join customer_counts
    on
        quarter_groups.quarter_start = customer_counts.quarter_start
        and quarter_groups.motion_group = customer_counts.motion_group
left join spend_by_group
    on
        quarter_groups.quarter_start = spend_by_group.quarter_start
        and quarter_groups.motion_group = spend_by_group.motion_group
order by quarter_groups.quarter_start, quarter_groups.motion_group;

-- name: channel_spend_vs_leads
-- One row per marketing channel and month of the period: the marketing spend booked on the
-- channel that month, and the leads created that month whose source has the channel's name.
-- Only channels with marketing spend in the period appear; spend is company-wide (not split by
-- the segment, region or owner filters), leads follow those filters.
with
channel_spend as (
    select
        channel,
        date_trunc('month', spent_on)::date as month,
        sum(amount)::double as spend_amount
    from spend
    where
        category = 'marketing'
        and channel is not null
        and in_period(spent_on, $date_from, $date_to)
    group by all
),

-- leads counted by source and day of creation (cheap keys, no motion needed), then by month;
-- from the period's kept lead rows (migration 025) unless $live or an owner filter (owners are
-- not kept) asks for the records (one of the two runs: the other's condition is false once the
-- parameters are bound)
lead_days as (
    select
        source as channel,
        created_at::date as created_on,
        count(*) as count_leads
    from raw_leads
    where
        ($live or $owners is not null)
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    group by all
),

lead_months as (
    select channel, date_trunc('month', created_on)::date as month, count_leads
    from lead_days
    union all
    select source, month, leads
    from kept_lead_rows($date_from, $date_to)
    where
        not $live
        and $owners is null
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
),

channel_leads as (
    select channel, month, sum(count_leads)::bigint as count_leads
    from lead_months
    where channel in (select channel from channel_spend)
    group by all
    -- a kept row may count a day's MQLs or SQLs alone (no lead created): no row, as live
    having sum(count_leads) > 0
)

select
    coalesce(channel_spend.channel, channel_leads.channel) as channel,
    coalesce(channel_spend.month, channel_leads.month) as month,
    coalesce(channel_spend.spend_amount, 0) as spend_amount,
    coalesce(channel_leads.count_leads, 0) as count_leads,
    channel_spend.spend_amount / nullif(channel_leads.count_leads, 0) as cost_per_lead
from channel_spend
full outer join channel_leads
    on
        channel_spend.channel = channel_leads.channel
        and channel_spend.month = channel_leads.month
order by channel, month;
