-- Performance notes (the same rules as headline_metrics in metrics.sql): every scan filters one
-- timestamp by a plain range (`ts >= $date_from::timestamp and ts < $date_to::timestamp +
-- interval 1 day`, the in_period macro written out) so DuckDB can skip row groups; leads and
-- deals are read from raw_leads / raw_deals and counted by `source` first, and the motion is
-- looked up in source_motion on those few rows (the `leads` and `deals` views join it to
-- every row). Percentiles need the single values, so those queries join the mapping to the
-- rows of the period only.

-- name: funnel_by_cohort
-- One row per motion ('pull', 'push', 'unmapped') and lifecycle stage (lead, mql, sql,
-- opportunity, won): of the leads created in the period, how many ever reached the stage (or a
-- later one), their share of the cohort, and the conversion from the previous stage.
-- A lead is an opportunity when a deal names it in deals.lead_id, won when one of them is won.
with
cohort_leads as (
    select
        lead_id,
        source,
        mql_at,
        sql_at
    from raw_leads
    where
        created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
),

lead_deals as (
    select
        lead_id,
        bool_or(outcome = 'won') as has_won_deal
    from raw_deals
    where lead_id is not null and matches_filter($products, product)
    group by lead_id
),

-- the furthest stage each lead reached: a lead that skipped a stage (a deal without an SQL
-- date) still passed through it, so each stage holds every lead of the stages after it;
-- counted by source, then by motion
source_furthest as (
    select
        cohort_leads.source,
        case
            when lead_deals.has_won_deal then 5
            when lead_deals.lead_id is not null then 4
            when cohort_leads.sql_at is not null then 3
            when cohort_leads.mql_at is not null then 2
            else 1
        end as furthest_stage_order,
        count(*) as count_leads
    from cohort_leads
    left join lead_deals on cohort_leads.lead_id = lead_deals.lead_id
    group by all
),

motion_furthest as (
    select
        coalesce(source_motion.motion, 'unmapped') as motion,
        source_furthest.furthest_stage_order,
        sum(source_furthest.count_leads) as count_leads
    from source_furthest
    left join source_motion on source_furthest.source = source_motion.source
    group by all
),

stages as (
    select *
    from (
        values (1, 'lead'), (2, 'mql'), (3, 'sql'), (4, 'opportunity'), (5, 'won')
    ) as stage_list (stage_order, stage)
),

stage_counts as (
    select
        motion_furthest.motion,
        stages.stage_order,
        stages.stage,
        coalesce(
            sum(motion_furthest.count_leads) filter (
                where motion_furthest.furthest_stage_order >= stages.stage_order
            ),
            0
        )::bigint as count_reached
    from motion_furthest
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
-- a lead becomes an opportunity when its first deal is created: leads whose first deal was
-- created in the period are those with a deal created in it and none created before it
period_first_deals as (
    select
        lead_id,
        min(created_at) as opportunity_at
    from raw_deals
    where
        lead_id is not null
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($products, product)
    group by lead_id
),

first_deals as (
    select
        lead_id,
        opportunity_at
    from period_first_deals
    where lead_id not in (
        select lead_id
        from raw_deals
        where
            lead_id is not null
            and created_at < $date_from::timestamp
            and matches_filter($products, product)
    )
),

-- the leads with an SQL date, read once for two steps (materialized: filtered on sql_at before
-- lead_id is read, which is cheaper than letting the join probe every lead's id)
sql_leads as materialized (
    select
        lead_id,
        source,
        mql_at,
        sql_at
    from raw_leads
    where
        sql_at is not null
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
),

-- each branch keeps the steps whose later stage was reached in the period
step_durations as (
    select
        source,
        1 as step_order,
        date_diff('second', created_at, mql_at) / 86400.0 as days
    from raw_leads
    where
        mql_at >= $date_from::timestamp
        and mql_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    union all
    select
        source,
        2,
        date_diff('second', mql_at, sql_at) / 86400.0
    from sql_leads
    where
        sql_at >= $date_from::timestamp
        and sql_at < $date_to::timestamp + interval 1 day
        and mql_at is not null
    union all
    select
        sql_leads.source,
        3,
        date_diff('second', sql_leads.sql_at, first_deals.opportunity_at) / 86400.0
    from sql_leads
    inner join first_deals on sql_leads.lead_id = first_deals.lead_id
    union all
    select
        source,
        4,
        date_diff('second', created_at, closed_at) / 86400.0
    from raw_deals
    where
        outcome = 'won'
        and closed_at >= $date_from::timestamp
        and closed_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

step_quantiles as (
    select
        coalesce(source_motion.motion, 'unmapped') as motion,
        step_durations.step_order,
        count(*) as count_steps,
        -- one pass for both: the same values as median() and quantile_cont(days, 0.8)
        quantile_cont(step_durations.days, [0.5, 0.8]) as quantiles
    from step_durations
    left join source_motion on step_durations.source = source_motion.source
    group by all
)

select
    motion,
    step_order,
    ['lead_to_mql', 'mql_to_sql', 'sql_to_opportunity', 'opportunity_to_won'][step_order]
        as step,
    count_steps,
    quantiles[1]::double as median_days,
    quantiles[2]::double as p80_days
from step_quantiles
order by motion, step_order;

-- name: handoff_sla
-- One row per motion: the MQLs reached in the period, how many had a first sales touch, how many
-- within $sla_hours of becoming MQL, that share of all MQLs, and the median and 80th-percentile
-- response hours. A touch before mql_at (sales worked the lead first) counts as 0 hours; an
-- MQL never touched counts against the SLA.
with
period_mqls as (
    select
        coalesce(source_motion.motion, 'unmapped') as motion,
        -- greatest() skips nulls, so an untouched MQL must stay null explicitly
        case
            when raw_leads.first_touch_at is not null
                then greatest(
                    date_diff('second', raw_leads.mql_at, raw_leads.first_touch_at) / 3600.0, 0
                )
        end as response_hours
    from raw_leads
    left join source_motion on raw_leads.source = source_motion.source
    where
        raw_leads.mql_at >= $date_from::timestamp
        and raw_leads.mql_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, raw_leads.segment)
        and matches_filter($regions, raw_leads.region)
        and matches_filter($owners, raw_leads.owner)
),

motion_stats as (
    select
        motion,
        count(*) as count_mqls,
        count(response_hours) as count_touched,
        count(*) filter (where response_hours <= $sla_hours) as count_within_sla,
        -- one pass for both: the same values as median() and quantile_cont(hours, 0.8)
        quantile_cont(response_hours, [0.5, 0.8]) as quantiles
    from period_mqls
    group by motion
)

select
    motion,
    count_mqls,
    count_touched,
    count_within_sla,
    count_within_sla / count_mqls as share_within_sla,
    quantiles[1]::double as median_hours,
    quantiles[2]::double as p80_hours
from motion_stats
order by motion;

-- name: handoff_response_curve
-- One row per motion and hour bucket (0, 1, 2 ... up to $max_hours): how many MQLs of the period
-- had their first sales touch within bucket_start_hours..+1 hours of mql_at, and the cumulative
-- share of all the motion's MQLs first touched before the bucket's end (untouched MQLs stay in
-- the denominator, so at the SLA this is the share within SLA of handoff_sla).
with
period_mqls as (
    select
        source,
        -- greatest() skips nulls, so an untouched MQL must stay null explicitly
        case
            when first_touch_at is not null
                then greatest(date_diff('second', mql_at, first_touch_at) / 3600.0, 0)
        end as response_hours
    from raw_leads
    where
        mql_at >= $date_from::timestamp
        and mql_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
),

-- counted by source (bucket null: all the source's MQLs), then by motion
source_counts as (
    select
        source,
        case
            when response_hours < $max_hours then floor(response_hours)::integer
        end as bucket_start_hours,
        count(*) as count_mqls
    from period_mqls
    group by all
),

motion_counts as (
    select
        coalesce(source_motion.motion, 'unmapped') as motion,
        source_counts.bucket_start_hours,
        sum(source_counts.count_mqls)::bigint as count_mqls
    from source_counts
    left join source_motion on source_counts.source = source_motion.source
    group by all
),

mql_totals as (
    select
        motion,
        sum(count_mqls) as count_all_mqls
    from motion_counts
    group by motion
),

hour_counts as (
    select
        motion,
        bucket_start_hours,
        count_mqls
    from motion_counts
    where bucket_start_hours is not null
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

-- cohort sizes, counted by source and day of creation (cheap keys) before month and motion
cohort_days as (
    select
        source,
        created_at::date as cohort_day,
        count(*) as count_leads
    from raw_leads
    where
        created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    group by all
),

-- the won deals of the cohort's leads (the join lets DuckDB skip the leads without one early)
won_deals as (
    select
        raw_leads.lead_id,
        raw_leads.source,
        date_trunc('month', raw_leads.created_at)::date as cohort_month,
        raw_deals.closed_at,
        raw_deals.amount
    from raw_leads
    inner join raw_deals on raw_leads.lead_id = raw_deals.lead_id
    where
        raw_leads.created_at >= $date_from::timestamp
        and raw_leads.created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, raw_leads.segment)
        and matches_filter($regions, raw_leads.region)
        and matches_filter($owners, raw_leads.owner)
        and raw_deals.outcome = 'won'
        and matches_filter($products, raw_deals.product)
),

won_months as (
    select
        lead_id,
        source,
        cohort_month,
        -- a deal closed before its lead was created (a CRM back-fill) counts in month 0
        greatest(date_diff('month', cohort_month, date_trunc('month', closed_at)), 0)
            as months_to_close,
        amount
    from won_deals
),

-- per cohort month and source: leads (months_since null), leads first won in each month since
-- creation, and the won amount closed in it; then summed by motion
source_counts as (
    select
        date_trunc('month', cohort_day)::date as cohort_month,
        source,
        null::bigint as months_since,
        sum(count_leads) as count_leads,
        null::bigint as count_new_won,
        null::decimal(38, 2) as won_amount
    from cohort_days
    group by all
    union all
    select
        cohort_month,
        source,
        months_since,
        null,
        count(*),
        null
    from (
        select
            cohort_month,
            source,
            min(months_to_close) as months_since
        from won_months
        group by lead_id, cohort_month, source
    ) as first_wins
    group by all
    union all
    select
        cohort_month,
        source,
        months_to_close,
        null,
        null,
        sum(amount)
    from won_months
    group by all
),

motion_counts as (
    select
        source_counts.cohort_month,
        coalesce(source_motion.motion, 'unmapped') as motion,
        source_counts.months_since,
        sum(source_counts.count_leads)::bigint as count_leads,
        sum(source_counts.count_new_won)::bigint as count_new_won,
        sum(source_counts.won_amount)::double as won_amount
    from source_counts
    left join source_motion on source_counts.source = source_motion.source
    group by all
),

cohort_sizes as (
    select
        cohort_month,
        motion,
        count_leads
    from motion_counts
    where months_since is null
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
        sum(coalesce(by_month.count_new_won, 0)) over by_cohort as count_won_leads,
        sum(coalesce(by_month.won_amount, 0)) over by_cohort as won_amount,
        grid.cohort_month + to_months(grid.months_since + 1)
        <= (select last_at from as_of)::date + 1 as is_observed
    from grid
    left join motion_counts as by_month
        on
            grid.cohort_month = by_month.cohort_month
            and grid.motion = by_month.motion
            and grid.months_since = by_month.months_since
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
