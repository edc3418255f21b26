-- name: funnel_by_cohort
-- One row per motion ('pull', 'push', 'unmapped') and lifecycle stage (lead, mql, sql,
-- opportunity, won): of the leads created in the period, how many ever reached the stage (or a
-- later one), their share of the cohort, and the conversion from the previous stage.
-- A lead is an opportunity when a deal names it in deals.lead_id, won when one of them is won.
with
cohort_leads as (
    select
        lead_id,
        coalesce(motion, 'unmapped') as motion,
        mql_at,
        sql_at
    from leads
    where
        in_period(created_at, $date_from, $date_to)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
),

lead_deals as (
    select
        lead_id,
        bool_or(outcome = 'won') as has_won_deal
    from deals
    where lead_id is not null and matches_filter($products, product)
    group by lead_id
),

-- the furthest stage each lead reached: a lead that skipped a stage (a deal without an SQL
-- date) still passed through it, so each stage holds every lead of the stages after it
furthest_stages as (
    select
        cohort_leads.motion,
        case
            when lead_deals.has_won_deal then 5
            when lead_deals.lead_id is not null then 4
            when cohort_leads.sql_at is not null then 3
            when cohort_leads.mql_at is not null then 2
            else 1
        end as furthest_stage_order
    from cohort_leads
    left join lead_deals on cohort_leads.lead_id = lead_deals.lead_id
),

stages as (
    select *
    from (
        values (1, 'lead'), (2, 'mql'), (3, 'sql'), (4, 'opportunity'), (5, 'won')
    ) as stage_list (stage_order, stage)
),

stage_counts as (
    select
        furthest_stages.motion,
        stages.stage_order,
        stages.stage,
        count(*) filter (
            where furthest_stages.furthest_stage_order >= stages.stage_order
        ) as count_reached
    from furthest_stages
    cross join stages
    group by all
)

select
    motion,
    stage_order,
    stage,
    count_reached,
    count_reached / nullif(first_value(count_reached) over by_motion, 0) as share_of_first,
    count_reached / nullif(lag(count_reached) over by_motion, 0) as step_conversion
from stage_counts
window by_motion as (partition by motion order by stage_order)
order by motion, stage_order;

-- name: stage_velocity
-- One row per motion and stage step (lead_to_mql, mql_to_sql, sql_to_opportunity,
-- opportunity_to_won): the steps completed in the period (the later stage reached in it), and
-- the median and 80th-percentile days between the two stages. opportunity_to_won is the sales
-- cycle of DESIGN.md: days from a deal's creation to its close, deals won in the period.
with
filtered_leads as (
    select *
    from leads
    where
        matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
),

filtered_deals as (
    select *
    from deals
    where
        matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

-- a lead becomes an opportunity when its first deal is created
first_deals as (
    select
        lead_id,
        min(created_at) as opportunity_at
    from deals
    where lead_id is not null and matches_filter($products, product)
    group by lead_id
),

step_durations as (
    select
        motion,
        1 as step_order,
        'lead_to_mql' as step,
        mql_at as reached_at,
        date_diff('second', created_at, mql_at) / 86400.0 as days
    from filtered_leads
    where mql_at is not null
    union all
    select
        motion,
        2,
        'mql_to_sql',
        sql_at,
        date_diff('second', mql_at, sql_at) / 86400.0
    from filtered_leads
    where mql_at is not null and sql_at is not null
    union all
    select
        filtered_leads.motion,
        3,
        'sql_to_opportunity',
        first_deals.opportunity_at,
        date_diff('second', filtered_leads.sql_at, first_deals.opportunity_at) / 86400.0
    from filtered_leads
    inner join first_deals on filtered_leads.lead_id = first_deals.lead_id
    where filtered_leads.sql_at is not null
    union all
    select
        motion,
        4,
        'opportunity_to_won',
        closed_at,
        date_diff('second', created_at, closed_at) / 86400.0
    from filtered_deals
    where outcome = 'won'
)

select
    coalesce(motion, 'unmapped') as motion,
    step_order,
    step,
    count(*) as count_steps,
    median(days)::double as median_days,
    quantile_cont(days, 0.8)::double as p80_days
from step_durations
where in_period(reached_at, $date_from, $date_to)
group by all
order by motion, step_order;

-- name: handoff_sla
-- One row per motion: the MQLs reached in the period, how many had a first sales touch, how many
-- within $sla_hours of becoming MQL, that share of all MQLs, and the median and 80th-percentile
-- response hours. A touch before mql_at (sales worked the lead first) counts as 0 hours; an
-- MQL never touched counts against the SLA.
with
period_mqls as (
    select
        coalesce(motion, 'unmapped') as motion,
        -- greatest() skips nulls, so an untouched MQL must stay null explicitly
        case
            when first_touch_at is not null
                then greatest(date_diff('second', mql_at, first_touch_at) / 3600.0, 0)
        end as response_hours
    from leads
    where
        in_period(mql_at, $date_from, $date_to)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
)

select
    motion,
    count(*) as count_mqls,
    count(response_hours) as count_touched,
    count(*) filter (where response_hours <= $sla_hours) as count_within_sla,
    count(*) filter (where response_hours <= $sla_hours) / count(*) as share_within_sla,
    median(response_hours)::double as median_hours,
    quantile_cont(response_hours, 0.8)::double as p80_hours
from period_mqls
group by motion
order by motion;

-- name: handoff_response_curve
-- One row per motion and hour bucket (0, 1, 2 ... up to $max_hours): how many MQLs of the period
-- had their first sales touch within bucket_start_hours..+1 hours of mql_at, and the cumulative
-- share of all the motion's MQLs first touched before the bucket's end (untouched MQLs stay in
-- the denominator, so at the SLA this is the share within SLA of handoff_sla).
with
period_mqls as (
    select
        coalesce(motion, 'unmapped') as motion,
        -- greatest() skips nulls, so an untouched MQL must stay null explicitly
        case
            when first_touch_at is not null
                then greatest(date_diff('second', mql_at, first_touch_at) / 3600.0, 0)
        end as response_hours
    from leads
    where
        in_period(mql_at, $date_from, $date_to)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
),

mql_totals as (
    select
        motion,
        count(*) as count_all_mqls
    from period_mqls
    group by motion
),

hour_counts as (
    select
        motion,
        floor(response_hours)::integer as bucket_start_hours,
        count(*) as count_mqls
    from period_mqls
    where response_hours < $max_hours
    group by all
)

select
    hour_counts.motion,
    hour_counts.bucket_start_hours,
    hour_counts.count_mqls,
    sum(hour_counts.count_mqls) over (
        partition by hour_counts.motion order by hour_counts.bucket_start_hours
    ) / mql_totals.count_all_mqls as cumulative_share
from hour_counts
inner join mql_totals on hour_counts.motion = mql_totals.motion
order by hour_counts.motion, hour_counts.bucket_start_hours;

-- name: lead_cohort_wins
-- One row per monthly lead cohort (leads created in the period, by month of creation), motion
-- and months since creation (0..$max_months): the cohort's size, how many of its leads had a won
-- deal by the end of that month, the won amount of its deals closed by then, and whether the
-- data reach the end of that month (is_observed; share_won is null when they do not).
with
as_of as (
    select
        greatest(
            (select max(created_at) from raw_leads),
            (select max(created_at) from raw_deals),
            (select max(closed_at) from raw_deals)
        ) as last_at
),

cohort_leads as (
    select
        lead_id,
        date_trunc('month', created_at)::date as cohort_month,
        coalesce(motion, 'unmapped') as motion
    from leads
    where
        in_period(created_at, $date_from, $date_to)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
),

won_deals as (
    select
        cohort_leads.lead_id,
        cohort_leads.cohort_month,
        cohort_leads.motion,
        -- a deal closed before its lead was created (a CRM back-fill) counts in month 0
        greatest(
            date_diff('month', cohort_leads.cohort_month, date_trunc('month', deals.closed_at)), 0
        ) as months_to_close,
        deals.amount
    from cohort_leads
    inner join deals on cohort_leads.lead_id = deals.lead_id
    where deals.outcome = 'won' and matches_filter($products, deals.product)
),

first_wins_by_month as (
    select
        cohort_month,
        motion,
        months_since,
        count(*) as count_new_won
    from (
        select
            cohort_month,
            motion,
            min(months_to_close) as months_since
        from won_deals
        group by lead_id, cohort_month, motion
    ) as first_wins
    group by all
),

amount_by_month as (
    select
        cohort_month,
        motion,
        months_to_close as months_since,
        sum(amount)::double as won_amount
    from won_deals
    group by all
),

cohort_sizes as (
    select
        cohort_month,
        motion,
        count(*) as count_leads
    from cohort_leads
    group by all
),

grid as (
    select
        cohort_sizes.*,
        month_offsets.months_since
    from cohort_sizes
    cross join (select unnest(range(0, $max_months + 1)) as months_since) as month_offsets
),

cumulative as (
    select
        grid.cohort_month,
        grid.motion,
        grid.months_since,
        grid.count_leads,
        sum(coalesce(first_wins_by_month.count_new_won, 0)) over by_cohort as count_won_leads,
        sum(coalesce(amount_by_month.won_amount, 0)) over by_cohort as won_amount,
        grid.cohort_month + to_months(grid.months_since + 1)
        <= (select last_at from as_of)::date + 1 as is_observed
    from grid
    left join first_wins_by_month
        on
            grid.cohort_month = first_wins_by_month.cohort_month
            and grid.motion = first_wins_by_month.motion
            and grid.months_since = first_wins_by_month.months_since
    left join amount_by_month
        on
            grid.cohort_month = amount_by_month.cohort_month
            and grid.motion = amount_by_month.motion
            and grid.months_since = amount_by_month.months_since
    window by_cohort as (
        partition by grid.cohort_month, grid.motion order by grid.months_since
    )
)

select
    cohort_month,
    motion,
    months_since::integer as months_since,
    count_leads,
    count_won_leads::bigint as count_won_leads,
    won_amount::double as won_amount,
    is_observed,
    case when is_observed then count_won_leads / count_leads end as share_won
from cumulative
order by motion, cohort_month, months_since;
