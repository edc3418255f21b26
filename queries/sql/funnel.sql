-- Performance notes (the same rules as headline_metrics in metrics.sql): every scan filters one
-- timestamp by a plain range (`ts >= $date_from::timestamp and ts < $date_to::timestamp +
-- interval 1 day`, the in_period macro written out) so DuckDB can skip row groups; leads and
-- deals are read from raw_leads / raw_deals and counted by `source` first, and the motion is
-- looked up in source_motion on those few rows (the `leads` and `deals` views join it to
-- every row). Percentiles need the single values, so those queries join the mapping to the
-- rows of the period only. Deals left out (raw_deals.is_excluded, migration 016: outliers the
-- Data page leaves out) are skipped by every read of raw_deals, as the `deals` view does.

-- The MQL definition (DESIGN.md: one agreed definition of a qualified lead) is a workspace
-- setting passed as $mql_rule and $mql_threshold and applied to the raw fields in each query
-- by the is_mql macro (migration 012: 'recorded', 'score', 'score_or_recorded',
-- 'score_and_recorded'). A lead that qualifies by score alone became an MQL when it was
-- created (mql_at when set).
-- $split names the column a view is split by ('source', 'segment', 'region', 'owner'; any other
-- value: no split, split_value null).

-- name: stage_velocity
-- One row per motion and stage step (lead_to_mql, mql_to_sql, sql_to_opportunity,
-- opportunity_to_won): the steps completed in the period (the later stage reached in it), and
-- the median and 80th-percentile days between the two stages. opportunity_to_won is the sales
-- cycle of DESIGN.md: days from a deal's creation to its close, deals won in the period.
-- The MQL steps follow the MQL definition: a lead that qualifies by score alone became an MQL
-- when it was created (0 days), as in the funnel counts.
-- $kept (queries/funnel.py: the recorded MQL rule, no owner or product filter, the refresh's
-- counts fresh): the steps as the refresh keeps them (migration 037) instead of the four scans
-- of the leads and deals; DuckDB folds the parameter, so the branch not taken reads nothing.
with
-- a lead becomes an opportunity when its first deal is created. Without a product filter that
-- is the lead's first_deal_at (migration 011) and this reads nothing; with one, it is the
-- lead's first deal of those products: the leads with such a deal created in the period and
-- none created before it
product_first_deals as (
    select
        lead_key,
        min(created_at) as opportunity_at
    from raw_deals
    where
        raw_deals.is_excluded is not true
        and $products is not null
        and lead_key is not null
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($products, product)
        and lead_key not in (
            select lead_key
            from raw_deals
            where
                raw_deals.is_excluded is not true
                and lead_key is not null
                and created_at < $date_from::timestamp
                and matches_filter($products, product)
        )
    group by lead_key
),

-- each branch keeps the steps whose later stage was reached in the period
live_steps as (
    -- MQLs with a recorded MQL date in the period (under a score rule, those scoring enough)
    select
        source,
        1 as step_order,
        date_diff('second', created_at, mql_at) as seconds
    from raw_leads
    where
        mql_at >= $date_from::timestamp
        and mql_at < $date_to::timestamp + interval 1 day
        and is_mql($mql_rule, $mql_threshold, mql_at, lead_score)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    union all
    -- MQLs by score alone, created in the period: qualified at creation
    select
        source,
        1,
        0
    from raw_leads
    where
        $mql_rule in ('score', 'score_or_recorded')
        and mql_at is null
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and lead_score >= $mql_threshold
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    union all
    -- MQLs (by the definition) that reached SQL in the period
    select
        source,
        2,
        date_diff('second', coalesce(mql_at, created_at), sql_at)
    from raw_leads
    where
        sql_at >= $date_from::timestamp
        and sql_at < $date_to::timestamp + interval 1 day
        and is_mql($mql_rule, $mql_threshold, mql_at, lead_score)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    union all
    select
        source,
        3,
        date_diff('second', sql_at, first_deal_at)
    from raw_leads
    where
        $products is null
        and first_deal_at >= $date_from::timestamp
        and first_deal_at < $date_to::timestamp + interval 1 day
        and sql_at is not null
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    union all
    select
        raw_leads.source,
        3,
        date_diff('second', raw_leads.sql_at, product_first_deals.opportunity_at)
    from product_first_deals
    inner join raw_leads on product_first_deals.lead_key = raw_leads.lead_key
    where
        -- leads without any deal cannot have one of the products: their keys are never read
        raw_leads.deal_count > 0
        and raw_leads.sql_at is not null
        and matches_filter($segments, raw_leads.segment)
        and matches_filter($regions, raw_leads.region)
        and matches_filter($owners, raw_leads.owner)
    union all
    select
        source,
        4,
        date_diff('second', created_at, closed_at)
    from raw_deals
    where
        raw_deals.is_excluded is not true
        and outcome = 'won'
        and closed_at >= $date_from::timestamp
        and closed_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

step_durations as (
    select
        source,
        step_order,
        seconds
    from kept_step_durations
    where
        $kept
        and day >= $date_from::date
        and day <= $date_to::date
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
    union all
    select
        source,
        step_order,
        seconds
    from live_steps
    where not $kept
),

step_quantiles as (
    select
        coalesce(source_motion.motion, 'unmapped') as motion,
        step_durations.step_order,
        count(*) as count_steps,
        -- one pass for both: the same values as median() and quantile_cont(seconds, 0.8); over
        -- whole seconds (integers sort faster than doubles), made days at the end
        quantile_cont(step_durations.seconds, [0.5, 0.8]) as quantiles
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
    quantiles[1]::double / 86400.0 as median_days,
    quantiles[2]::double / 86400.0 as p80_days
from step_quantiles
order by motion, step_order;

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

-- cohort sizes, counted by source and day of creation (cheap keys) before month and motion:
-- counted already when $kept (queries/funnel.py: no owner filter, the kept days fresh;
-- migration 026)
cohort_days as (
    select
        source,
        created_at::date as cohort_day,
        count(*) as count_leads
    from raw_leads
    where
        not $kept
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    group by all
    union all
    select
        source,
        created_day,
        sum(count_leads)
    from kept_funnel_lead_days
    where
        $kept
        and created_day >= $date_from::date
        and created_day <= $date_to::date
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
    group by all
),

-- the won deals of the cohort's leads (the join lets DuckDB skip the leads without one early),
-- unless they are kept (migration 033): $kept and no product filter
won_deals as (
    select
        raw_leads.lead_key,
        raw_leads.source,
        date_trunc('month', raw_leads.created_at)::date as cohort_month,
        raw_deals.closed_at,
        raw_deals.amount
    from raw_leads
    inner join raw_deals on raw_leads.lead_key = raw_deals.lead_key
    where
        not ($kept and $products is null)
        and raw_deals.is_excluded is not true
        and raw_leads.created_at >= $date_from::timestamp
        and raw_leads.created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, raw_leads.segment)
        and matches_filter($regions, raw_leads.region)
        and matches_filter($owners, raw_leads.owner)
        and raw_deals.outcome = 'won'
        and matches_filter($products, raw_deals.product)
),

won_months as (
    select
        lead_key,
        source,
        cohort_month,
        -- a deal closed before its lead was created (a CRM back-fill) counts in month 0
        greatest(date_diff('month', cohort_month, date_trunc('month', closed_at)), 0)
            as months_to_close,
        amount
    from won_deals
),

-- the kept won deals of the period's leads, with the month since creation as above
kept_amounts as (
    select
        date_trunc('month', created_day)::date as cohort_month,
        source,
        closed_month,
        won_amount
    from kept_cohort_amounts
    where
        $kept
        and $products is null
        and created_day >= $date_from::date
        and created_day <= $date_to::date
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
),

kept_firsts as (
    select
        date_trunc('month', created_day)::date as cohort_month,
        source,
        first_month,
        leads
    from kept_cohort_firsts
    where
        $kept
        and $products is null
        and created_day >= $date_from::date
        and created_day <= $date_to::date
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
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
        group by lead_key, cohort_month, source
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
    union all
    select
        cohort_month,
        source,
        greatest(date_diff('month', cohort_month, first_month), 0),
        null,
        sum(leads),
        null
    from kept_firsts
    group by all
    union all
    select
        cohort_month,
        source,
        greatest(date_diff('month', cohort_month, closed_month), 0),
        null,
        null,
        sum(won_amount)
    from kept_amounts
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

-- name: cohort_stage_counts
-- One row per grain, motion ('pull', 'push', 'unmapped'), split value or monthly lead cohort
-- (leads created in the period, by month of creation) and lifecycle stage (lead, mql, sql,
-- opportunity, won): grain 'month' rows count by cohort month (split_value null), 'split' rows
-- by split value (cohort_month null; one split of 8,000 owners by 36 months would be too many
-- groups); how many of the cohort's leads ever reached the stage or a later one
-- (a lead with a deal but no SQL date passed through SQL), and maturity_days, the 80th
-- percentile of days from creation to the first won deal over the period's won leads.
-- Leads are read once, with what their deals say (migration 011).
with
cohort_leads as not materialized (
    select
        lead_key,
        source,
        created_at,
        -- a month number until the end: grouping on it is cheaper than on truncated dates
        year(created_at) * 12 + month(created_at) - 1 as cohort_month,
        case $split
            when 'source' then source
            when 'segment' then segment
            when 'region' then region
            when 'owner' then owner
        end as split_value,
        -- the furthest stage the lead's own fields record: 3 SQL, 2 MQL (by the definition), 1
        case
            when sql_at is not null then 3
            when is_mql($mql_rule, $mql_threshold, mql_at, lead_score) then 2
            else 1
        end as lead_stage_order,
        deal_count,
        won_deal_count,
        first_won_at
    from raw_leads
    where
        created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
),

-- with a product filter, the cohort leads with a deal of those products: their deals grouped
-- per lead (the lead's columns then joined once per lead, not carried through the grouping)
product_deals_per_lead as (
    select
        lead_key,
        bool_or(outcome = 'won') as has_won_deal,
        min(closed_at) filter (where outcome = 'won') as first_won_at
    from raw_deals
    where
        raw_deals.is_excluded is not true
        and $products is not null
        and lead_key is not null
        and matches_filter($products, product)
    group by lead_key
),

deal_leads as (
    select
        cohort_leads.source,
        cohort_leads.cohort_month,
        cohort_leads.split_value,
        cohort_leads.lead_stage_order,
        product_deals_per_lead.has_won_deal,
        date_diff('second', cohort_leads.created_at, product_deals_per_lead.first_won_at)
        / 86400.0 as days_to_win
    from product_deals_per_lead
    inner join cohort_leads on product_deals_per_lead.lead_key = cohort_leads.lead_key
    -- leads without any deal cannot have one of the products: their keys are never read
    where cohort_leads.deal_count > 0
),

-- each lead counted once at its furthest stage. Without a product filter the lead's own deal
-- facts say it: won (5), a deal (4), else its own fields' stage. With one, every cohort lead
-- at its own fields' stage, then the leads with a deal of the products moved from there to
-- opportunity (4) or won (5)
-- the cohort leads grouped once by source, month, split value and stage, then summed to both
-- grains from those rows: one pass over the leads instead of one per grain. Not by owner
-- (~8,000 owners by months make nearly as many groups as leads): then one pass per grain.
lead_stages as not materialized (
    select
        source,
        cohort_month,
        split_value,
        case
            when $products is not null then lead_stage_order
            when won_deal_count > 0 then 5
            when deal_count > 0 then 4
            else lead_stage_order
        end as stage_order
    from cohort_leads
),

lead_counts as (
    select
        source,
        cohort_month,
        split_value,
        stage_order,
        count(*) as n
    from lead_stages
    where $split <> 'owner' and not $kept
    group by all
    union all
    -- $kept (queries/funnel.py: the 'recorded' rule, no owner filter or split, the kept days
    -- fresh): the leads already counted per day and furthest stage (migration 026); with a
    -- product filter, by the stage their own fields record (the product deals move them below)
    select
        source,
        cohort_month,
        split_value,
        stage_order,
        sum(n)
    from (
        select
            source,
            year(created_day) * 12 + month(created_day) - 1 as cohort_month,
            case $split
                when 'source' then source
                when 'segment' then segment
                when 'region' then region
            end as split_value,
            unnest([1, 2, 3, 4, 5]) as stage_order,
            unnest(
                case
                    when $products is null
                        then [
                            count_leads - count_furthest_mql - count_furthest_sql
                            - count_furthest_opportunity - count_furthest_won,
                            count_furthest_mql,
                            count_furthest_sql,
                            count_furthest_opportunity,
                            count_furthest_won
                        ]
                    else [
                        count_leads - count_mql_not_sql - count_sql_at,
                        count_mql_not_sql,
                        count_sql_at,
                        0,
                        0
                    ]
                end
            ) as n
        from kept_funnel_lead_days
        where
            $kept
            and created_day >= $date_from::date
            and created_day <= $date_to::date
            and matches_filter($segments, segment)
            and matches_filter($regions, region)
    ) as kept_stages
    where n > 0
    group by all
),

furthest_counts as (
    select
        case when grouping(cohort_month) = 1 then 'split' else 'month' end as grain,
        source,
        cohort_month,
        split_value,
        stage_order,
        sum(n) as n
    from lead_counts
    group by grouping sets (
        (source, cohort_month, stage_order), (source, split_value, stage_order)
    )
    union all
    select
        case when grouping(cohort_month) = 1 then 'split' else 'month' end,
        source,
        cohort_month,
        split_value,
        stage_order,
        count(*)
    from lead_stages
    where $split = 'owner'
    group by grouping sets (
        (source, cohort_month, stage_order), (source, split_value, stage_order)
    )
    union all
    select
        case when grouping(cohort_month) = 1 then 'split' else 'month' end,
        source,
        cohort_month,
        split_value,
        lead_stage_order,
        -count(*)
    from deal_leads
    group by grouping sets (
        (source, cohort_month, lead_stage_order), (source, split_value, lead_stage_order)
    )
    union all
    select
        case when grouping(cohort_month) = 1 then 'split' else 'month' end,
        source,
        cohort_month,
        split_value,
        case when has_won_deal then 5 else 4 end as stage_order,
        count(*)
    from deal_leads
    group by grouping sets (
        (source, cohort_month, has_won_deal), (source, split_value, has_won_deal)
    )
),

-- days from creation to the first won deal, for the maturity quantile
won_days as (
    select date_diff('second', created_at, first_won_at) / 86400.0 as days_to_win
    from cohort_leads
    where $products is null and won_deal_count > 0
    union all
    select days_to_win
    from deal_leads
),

motion_furthest as (
    select
        furthest_counts.grain,
        coalesce(source_motion.motion, 'unmapped') as motion,
        furthest_counts.split_value,
        furthest_counts.cohort_month,
        furthest_counts.stage_order as furthest_stage_order,
        sum(furthest_counts.n) as count_leads
    from furthest_counts
    left join source_motion on furthest_counts.source = source_motion.source
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
        motion_furthest.grain,
        motion_furthest.motion,
        motion_furthest.split_value,
        motion_furthest.cohort_month,
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
    grain,
    motion,
    split_value,
    make_date((cohort_month // 12)::integer, (cohort_month % 12 + 1)::integer, 1) as cohort_month,
    stage_order,
    stage,
    count_reached,
    (select quantile_cont(days_to_win, 0.8) from won_days)::double as maturity_days,
    -- the data's last timestamp: cohorts younger than maturity_days before it are maturing
    greatest(
        (select max(created_at) from raw_leads),
        (select max(created_at) from raw_deals),
        (select max(closed_at) from raw_deals)
    ) as data_end
from stage_counts
order by grain, motion, split_value, cohort_month, stage_order;

-- name: period_stage_counts
-- One row per grain, motion, month of the period or split value, and lifecycle stage: how many
-- reached the stage — leads created, leads that became MQL (by the definition) and SQL, deals
-- created (opportunities), deals won. grain 'month' rows count by month (split_value null),
-- 'split' rows by split value over the whole period (month null). With $mql_rule 'recorded'
-- the counts are those of headline_metrics (metrics.sql); a deal's motion and split follow the
-- deal's own fields. Each stage is a range scan on its own timestamp (the MQLs two: by MQL date,
-- and by creation for those qualified by score alone), the leads created read from the leads
-- counted per day (migration 026) when $kept; all are counted in one grouping, by source
-- before the motion lookup, and by month number before making dates.
with
reached as (
    -- the leads created: counted per day already when $kept (queries/funnel.py: no owner filter
    -- or split, and the kept days are fresh; migration 026), else one row per lead
    select 1 as stage_order, source, segment, region, null as owner, created_day as reached_at,
        count_leads as n
    from kept_funnel_lead_days
    where
        $kept
        and created_day >= $date_from::date
        and created_day <= $date_to::date
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
    union all
    select 1, source, segment, region, owner, created_at, 1
    from raw_leads
    where
        not $kept
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    union all
    -- MQLs with a recorded MQL date in the period (under a score rule, those scoring enough);
    -- two plain ranges, not one on coalesce(mql_at, created_at), so row groups can be skipped
    select 2, source, segment, region, owner, mql_at, 1
    from raw_leads
    where
        mql_at >= $date_from::timestamp
        and mql_at < $date_to::timestamp + interval 1 day
        and is_mql($mql_rule, $mql_threshold, mql_at, lead_score)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    union all
    -- a lead qualified by score alone became an MQL when it was created
    select 2, source, segment, region, owner, created_at, 1
    from raw_leads
    where
        $mql_rule in ('score', 'score_or_recorded')
        and mql_at is null
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and is_mql($mql_rule, $mql_threshold, mql_at, lead_score)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    union all
    select 3, source, segment, region, owner, sql_at, 1
    from raw_leads
    where
        sql_at >= $date_from::timestamp
        and sql_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    union all
    select 4, source, segment, region, owner, created_at, 1
    from raw_deals
    where
        raw_deals.is_excluded is not true
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
    union all
    select 5, source, segment, region, owner, closed_at, 1
    from raw_deals
    where
        raw_deals.is_excluded is not true
        and outcome = 'won'
        and closed_at >= $date_from::timestamp
        and closed_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

-- counted once by stage, source, split value and month (a month number: cheaper to group on
-- than dates), then summed up to both grains from those rows. Not by owner (~8,000 owners by
-- months make nearly as many groups as rows): then one pass per grain.
keyed as not materialized (
    select
        stage_order,
        source,
        case $split
            when 'source' then source
            when 'segment' then segment
            when 'region' then region
            when 'owner' then owner
        end as split_value,
        year(reached_at) * 12 + month(reached_at) - 1 as month_number,
        n
    from reached
),

stage_months as (
    select
        stage_order,
        source,
        split_value,
        month_number,
        sum(n) as n
    from keyed
    where $split <> 'owner'
    group by all
),

stage_events as (
    select
        stage_order,
        case when grouping(month_number) = 1 then 'split' else 'month' end as grain,
        source,
        split_value,
        month_number,
        sum(n) as n
    from stage_months
    group by grouping sets (
        (stage_order, source, month_number), (stage_order, source, split_value)
    )
    union all
    select
        stage_order,
        case when grouping(month_number) = 1 then 'split' else 'month' end,
        source,
        split_value,
        month_number,
        sum(n)
    from keyed
    where $split = 'owner'
    group by grouping sets (
        (stage_order, source, month_number), (stage_order, source, split_value)
    )
)

select
    stage_events.grain,
    coalesce(source_motion.motion, 'unmapped') as motion,
    stage_events.split_value,
    make_date(
        (stage_events.month_number // 12)::integer, (stage_events.month_number % 12 + 1)::integer, 1
    ) as month,
    stage_events.stage_order,
    ['lead', 'mql', 'sql', 'opportunity', 'won'][stage_events.stage_order] as stage,
    sum(stage_events.n)::bigint as count_reached
from stage_events
left join source_motion on stage_events.source = source_motion.source
group by all
order by grain, motion, split_value, month, stage_order;

-- name: handoff_detail
-- Rows of counts by motion and response-hour bucket, within-SLA flag, won flag or owner, for the
-- leads that became MQL (by the definition) in the period: count_mqls. bucket_hours is the
-- whole hours from MQL to the first sales touch (0..$max_hours - 1), $max_hours for slower
-- touches, null when never touched; a touch before the MQL (sales worked the lead first)
-- counts as 0 hours. is_within_sla: touched within $sla_hours (untouched MQLs miss it);
-- is_won: the lead has a won deal. row_kind 'hours': by motion, bucket and both flags;
-- 'owner': by motion, owner and is_within_sla; 'total': one per motion with its MQL count and
-- exact median and 80th-percentile response hours (over touched MQLs).
with
-- two range scans: MQLs with a recorded MQL date in the period (under a score rule, those
-- scoring enough), and MQLs by score alone created in the period (none under 'recorded')
period_mqls as (
    select
        lead_key,
        won_deal_count,
        source,
        owner,
        mql_at as mql_moment,
        first_touch_at
    from raw_leads
    where
        mql_at >= $date_from::timestamp
        and mql_at < $date_to::timestamp + interval 1 day
        and is_mql($mql_rule, $mql_threshold, mql_at, lead_score)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    union all
    select
        lead_key,
        won_deal_count,
        source,
        owner,
        created_at,
        first_touch_at
    from raw_leads
    where
        $mql_rule in ('score', 'score_or_recorded')
        and mql_at is null
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and lead_score >= $mql_threshold
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
),

-- with a product filter, the leads with a won deal of those products (few: a semi-join
-- instead of a join of every MQL to every deal); without one, won_deal_count says it and
-- this reads nothing
won_leads as (
    select distinct lead_key
    from raw_deals
    where
        raw_deals.is_excluded is not true
        and $products is not null
        and outcome = 'won'
        and lead_key is not null
        and matches_filter($products, product)
),

-- whole seconds from the MQL to the first touch: quantiles sort integers faster than doubles
responses as (
    select
        source,
        owner,
        -- greatest() skips nulls, so an untouched MQL must stay null explicitly
        case
            when first_touch_at is not null
                then greatest(date_diff('second', mql_moment, first_touch_at), 0)
        end as response_seconds,
        response_seconds / 3600.0 as response_hours,
        case
            when $products is null then won_deal_count > 0
            -- (a lead with no won deal at all is not looked up)
            else won_deal_count > 0 and lead_key in (select lead_key from won_leads)
        end as is_won
    from period_mqls
),

flagged as (
    select
        coalesce(source_motion.motion, 'unmapped') as motion,
        period_mqls.owner,
        case
            when period_mqls.response_hours < $max_hours
                then floor(period_mqls.response_hours)::integer
            when period_mqls.response_hours is not null then $max_hours::integer
        end as bucket_hours,
        coalesce(period_mqls.response_hours <= $sla_hours, false) as is_within_sla,
        period_mqls.is_won,
        period_mqls.response_seconds
    from responses as period_mqls
    left join source_motion on period_mqls.source = source_motion.source
)

-- three kinds of rows, each grouped as small as its use allows
select
    'hours' as row_kind,
    motion,
    null::varchar as owner,
    bucket_hours,
    is_within_sla,
    is_won,
    count(*) as count_mqls,
    null::double as median_hours,
    null::double as p80_hours
from flagged
group by all
union all
select 'owner', motion, owner, null, is_within_sla, null, count(*), null, null
from flagged
group by all
union all
-- quantiles only here: they need every value
select
    'total',
    motion,
    null,
    null,
    null,
    null,
    count_mqls,
    quantiles[1]::double / 3600.0,
    quantiles[2]::double / 3600.0
from (
    select
        motion,
        count(*) as count_mqls,
        -- one pass for both (as stage_velocity): the values of two quantile_cont calls
        quantile_cont(response_seconds, [0.5, 0.8]) as quantiles
    from flagged
    group by motion
)
order by row_kind, motion, owner, bucket_hours, is_within_sla, is_won;

-- name: lead_score_bounds
-- One row: the smallest and largest lead_score of the leads created in the period, and how
-- many of them have a score.
select
    min(lead_score)::double as min_score,
    max(lead_score)::double as max_score,
    count(lead_score) as count_scored,
    count(*) as count_leads
from raw_leads
where
    created_at >= $date_from::timestamp
    and created_at < $date_to::timestamp + interval 1 day
    and matches_filter($segments, segment)
    and matches_filter($regions, region)
    and matches_filter($owners, owner);

-- name: lead_score_bounds_kept
-- lead_score_bounds read from the leads counted per day (kept_funnel_lead_days, migration 026): the
-- same row without an owner filter (queries/funnel.py picks the form).
select
    min(min_score)::double as min_score,
    max(max_score)::double as max_score,
    coalesce(sum(count_scored), 0)::bigint as count_scored,
    coalesce(sum(count_leads), 0)::bigint as count_leads
from kept_funnel_lead_days
where
    created_day >= $date_from::date
    and created_day <= $date_to::date
    and matches_filter($segments, segment)
    and matches_filter($regions, region);

-- name: lead_score_bins
-- One row per motion, month of creation, score bin and won flag, for the leads created in the
-- period with a lead_score: count_leads. score_bin is the bin's lower edge,
-- floor(lead_score / $bin_width) * $bin_width, so "score >= t" is exact for any multiple t of
-- the width; is_won: the lead has a won deal (at any time).
with
-- with a product filter, the leads with a won deal of those products; without one, the lead's
-- won_deal_count says it (migration 011) and this reads nothing
won_leads as (
    select distinct lead_key
    from raw_deals
    where
        raw_deals.is_excluded is not true
        and $products is not null
        and outcome = 'won'
        and lead_key is not null
        and matches_filter($products, product)
),

-- the leads read from the records: every lead of the period, or when $kept (queries/funnel.py:
-- the kept rows fresh) without an owner or a product filter (neither is kept) only those of
-- the days before and after the months the period covers whole (two ranges of constants the
-- zone maps answer; those months run from the first that starts in it to the month of the day
-- after its end, excluded)
period_leads as (
    select source, created_at, lead_score, won_deal_count, lead_key
    from raw_leads
    where
        created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and (
            not ($kept and $products is null and $owners is null)
            or created_at < (date_trunc('month', $date_from::date - 1) + interval 1 month)::date
            or (date_trunc('month', $date_from::date - 1) + interval 1 month)::date
            >= date_trunc('month', $date_to::date + 1)::date
        )
        and lead_score is not null
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    union all
    select source, created_at, lead_score, won_deal_count, lead_key
    from raw_leads
    where
        $kept
        and $products is null
        and $owners is null
        and (date_trunc('month', $date_from::date - 1) + interval 1 month)::date
        < date_trunc('month', $date_to::date + 1)::date
        and created_at >= greatest(
            $date_from::timestamp, date_trunc('month', $date_to::date + 1)::date::timestamp
        )
        and created_at < $date_to::timestamp + interval 1 day
        and lead_score is not null
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
),

source_bins as (
    select
        source,
        -- a month number until the end: grouping on it is cheaper than on truncated dates
        year(created_at) * 12 + month(created_at) - 1 as month_number,
        -- the bin's index (an integer: cheaper to group on); the nudge keeps 0.3 / 0.1
        -- (= 2.999...) in bin 0.3
        floor(lead_score / $bin_width + 1e-9)::bigint as bin_index,
        case
            when $products is null then won_deal_count > 0
            -- (a lead with no won deal at all is not looked up)
            else won_deal_count > 0 and lead_key in (select lead_key from won_leads)
        end as is_won,
        count(*) as count_leads
    from period_leads
    group by all
    union all
    -- the whole months from the kept counts (migration 036), binned the same way
    select
        source,
        year(month) * 12 + month(month) - 1,
        floor(score / $bin_width + 1e-9)::bigint,
        is_won,
        sum(leads)
    from kept_lead_score_months
    where
        $kept
        and $products is null
        and $owners is null
        and month >= (date_trunc('month', $date_from::date - 1) + interval 1 month)::date
        and month < date_trunc('month', $date_to::date + 1)::date
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
    group by all
)

select
    coalesce(source_motion.motion, 'unmapped') as motion,
    make_date(
        (source_bins.month_number // 12)::integer, (source_bins.month_number % 12 + 1)::integer, 1
    ) as month,
    -- the bin's lower edge; rounding drops float dust
    round(source_bins.bin_index * $bin_width, 9)::double as score_bin,
    source_bins.is_won,
    sum(source_bins.count_leads)::bigint as count_leads
from source_bins
left join source_motion on source_bins.source = source_motion.source
group by all
order by motion, month, score_bin, is_won;

-- name: lost_reasons
-- One row per motion and lost reason ('' when the deal has none): deals lost in the period and
-- their amount. Counted by source and reason as recorded first: the motion lookup and the
-- string clean-up then run once per group, not once per deal.
with
recorded as (
    select
        source,
        lost_reason,
        count(*) as count_lost,
        sum(amount) as lost_amount
    from raw_deals
    where
        raw_deals.is_excluded is not true
        and outcome = 'lost'
        and closed_at >= $date_from::timestamp
        and closed_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
    group by all
)

select
    coalesce(source_motion.motion, 'unmapped') as motion,
    coalesce(nullif(trim(recorded.lost_reason), ''), '') as lost_reason,
    sum(recorded.count_lost)::bigint as count_lost,
    coalesce(sum(recorded.lost_amount), 0)::double as lost_amount
from recorded
left join source_motion on recorded.source = source_motion.source
group by all
order by motion, count_lost desc;

-- name: open_deals_by_stage
-- One row per motion and stage of the deals open at the end of the data (outcome 'open'):
-- how many, how many have an amount and their amount (null when none has), and the median and 80th-percentile age in days (from created_at to
-- the data's last timestamp, as_of). Deals without a created date have no age.
with
as_of as (
    select
        greatest(
            (select max(created_at) from raw_deals),
            (select max(closed_at) from raw_deals),
            (select max(created_at) from raw_leads)
        ) as last_at
),

open_deals as (
    select
        coalesce(source_motion.motion, 'unmapped') as motion,
        coalesce(raw_deals.stage, '') as stage,
        -- an amount of 0 that means "not entered" is missing, as in the deals view (019)
        shown_amount(raw_deals.amount) as amount,
        date_diff('second', raw_deals.created_at, (select last_at from as_of)) / 86400.0
            as age_days
    from raw_deals
    left join source_motion on raw_deals.source = source_motion.source
    where
        raw_deals.is_excluded is not true
        and raw_deals.outcome = 'open'
        and matches_filter($segments, raw_deals.segment)
        and matches_filter($regions, raw_deals.region)
        and matches_filter($products, raw_deals.product)
        and matches_filter($owners, raw_deals.owner)
)

select
    motion,
    stage,
    count(*) as count_open,
    -- null when no deal of the stage has an amount: an unknown pipeline, not $0
    count(amount) as count_with_amount,
    sum(amount)::double as open_amount,
    quantile_cont(age_days, 0.5)::double as median_age_days,
    quantile_cont(age_days, 0.8)::double as p80_age_days,
    (select last_at from as_of) as as_of
from open_deals
group by all
order by motion, stage;

-- name: stuck_deals
-- One row per open deal (outcome 'open') older than $multiple times the median age of the
-- open deals in its stage (all motions): its owner, amount, age in days at the data's last
-- timestamp, the stage's median age and the ratio. Deals without a created date are left out.
with
as_of as (
    select
        greatest(
            (select max(created_at) from raw_deals),
            (select max(closed_at) from raw_deals),
            (select max(created_at) from raw_leads)
        ) as last_at
),

open_deals as (
    select
        raw_deals.deal_id,
        raw_deals.name,
        raw_deals.account,
        raw_deals.owner,
        coalesce(raw_deals.stage, '') as stage,
        coalesce(source_motion.motion, 'unmapped') as motion,
        raw_deals.source,
        -- an amount of 0 that means "not entered" is missing, as in the deals view (019)
        shown_amount(raw_deals.amount)::double as amount,
        raw_deals.created_at,
        date_diff('second', raw_deals.created_at, (select last_at from as_of)) / 86400.0
            as age_days
    from raw_deals
    left join source_motion on raw_deals.source = source_motion.source
    where
        raw_deals.is_excluded is not true
        and raw_deals.outcome = 'open'
        and raw_deals.created_at is not null
        and matches_filter($segments, raw_deals.segment)
        and matches_filter($regions, raw_deals.region)
        and matches_filter($products, raw_deals.product)
        and matches_filter($owners, raw_deals.owner)
),

aged as (
    select
        *,
        median(age_days) over (partition by stage) as stage_median_days
    from open_deals
)

select
    deal_id,
    name,
    account,
    owner,
    stage,
    motion,
    source,
    amount,
    created_at,
    age_days,
    stage_median_days,
    age_days / nullif(stage_median_days, 0) as age_ratio
from aged
where age_days > $multiple * stage_median_days
order by age_ratio desc, amount desc nulls last, deal_id;

-- name: funnel_lead_trust
-- One row per motion ('pull', 'push', 'unmapped') and split value: the lead checks behind the
-- data trust badges. Leads created in the period: how many, with no source, in a catch-all
-- source (lower-cased name in $catch_all_sources, e.g. HubSpot's 'offline sources'), with an
-- MQL date, an SQL date, a first touch, a lead score. (Leads have no product: a product filter
-- does not change these, and the app caches them apart from the deal checks.)
with
lead_groups as (
    select
        source,
        case $split
            when 'source' then source
            when 'segment' then segment
            when 'region' then region
            when 'owner' then owner
        end as split_value,
        count(*) as count_leads,
        count(mql_at) as count_mql_at,
        count(sql_at) as count_sql_at,
        count(first_touch_at) as count_first_touch,
        count(lead_score) as count_scored
    from raw_leads
    where
        created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    group by all
)

-- the source checks on the grouped rows (source is a group key): string work once per source
-- rather than once per lead
select
    coalesce(source_motion.motion, 'unmapped') as motion,
    lead_groups.split_value,
    sum(lead_groups.count_leads)::bigint as count_leads,
    sum(
        case
            when lead_groups.source is null or trim(lead_groups.source) = ''
                then lead_groups.count_leads
            else 0
        end
    )::bigint as count_no_source,
    sum(
        case
            when list_contains($catch_all_sources, lower(trim(lead_groups.source)))
                then lead_groups.count_leads
            else 0
        end
    )::bigint as count_catch_all,
    sum(lead_groups.count_mql_at)::bigint as count_mql_at,
    sum(lead_groups.count_sql_at)::bigint as count_sql_at,
    sum(lead_groups.count_first_touch)::bigint as count_first_touch,
    sum(lead_groups.count_scored)::bigint as count_scored
from lead_groups
left join source_motion on lead_groups.source = source_motion.source
group by all
order by motion, split_value;

-- name: funnel_lead_trust_kept
-- funnel_lead_trust read from the leads counted per day (kept_funnel_lead_days, migration 026): the
-- same rows without an owner filter and with any split but 'owner' (the kept days have no
-- owner; queries/funnel.py picks the form).
with
lead_groups as (
    select
        source,
        case $split
            when 'source' then source
            when 'segment' then segment
            when 'region' then region
        end as split_value,
        sum(count_leads) as count_leads,
        sum(count_mql_at) as count_mql_at,
        sum(count_sql_at) as count_sql_at,
        sum(count_first_touch) as count_first_touch,
        sum(count_scored) as count_scored
    from kept_funnel_lead_days
    where
        created_day >= $date_from::date
        and created_day <= $date_to::date
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
    group by all
)

select
    coalesce(source_motion.motion, 'unmapped') as motion,
    lead_groups.split_value,
    sum(lead_groups.count_leads)::bigint as count_leads,
    sum(
        case
            when lead_groups.source is null or trim(lead_groups.source) = ''
                then lead_groups.count_leads
            else 0
        end
    )::bigint as count_no_source,
    sum(
        case
            when list_contains($catch_all_sources, lower(trim(lead_groups.source)))
                then lead_groups.count_leads
            else 0
        end
    )::bigint as count_catch_all,
    sum(lead_groups.count_mql_at)::bigint as count_mql_at,
    sum(lead_groups.count_sql_at)::bigint as count_sql_at,
    sum(lead_groups.count_first_touch)::bigint as count_first_touch,
    sum(lead_groups.count_scored)::bigint as count_scored
from lead_groups
left join source_motion on lead_groups.source = source_motion.source
group by all
order by motion, split_value;

-- name: funnel_deal_trust
-- One row per motion and split value: the deal checks behind the data trust badges. Deals
-- created or closed in the period: how many, without a created date, closed (won or lost) in
-- the period, closed without a closed date. Read in three parts that never share a deal, each
-- a plain range (or null test) DuckDB answers from the zone maps: created in the period;
-- closed in it but not created in it; neither date. One scan with "created or closed in the
-- period" read every deal.
with
scoped as (
    select source, segment, region, owner, outcome, created_at, closed_at
    from raw_deals
    where
        is_excluded is not true
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
    union all
    select source, segment, region, owner, outcome, created_at, closed_at
    from raw_deals
    where
        is_excluded is not true
        and closed_at >= $date_from::timestamp
        and closed_at < $date_to::timestamp + interval 1 day
        and not coalesce(
            created_at >= $date_from::timestamp
            and created_at < $date_to::timestamp + interval 1 day,
            false
        )
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
    union all
    select source, segment, region, owner, outcome, created_at, closed_at
    from raw_deals
    where
        is_excluded is not true
        and created_at is null
        and closed_at is null
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

deal_checks as (
    select
        source,
        case $split
            when 'source' then source
            when 'segment' then segment
            when 'region' then region
            when 'owner' then owner
        end as split_value,
        count(*) as count_deals,
        count(*) filter (where created_at is null) as count_no_created,
        count(*) filter (
            where
                outcome in ('won', 'lost')
                and closed_at >= $date_from::timestamp
                and closed_at < $date_to::timestamp + interval 1 day
        ) as count_closed,
        count(*) filter (where outcome in ('won', 'lost') and closed_at is null)
            as count_closed_undated
    from scoped
    group by all
)

select
    coalesce(source_motion.motion, 'unmapped') as motion,
    deal_checks.split_value,
    sum(deal_checks.count_deals)::bigint as count_deals,
    sum(deal_checks.count_no_created)::bigint as count_no_created,
    sum(deal_checks.count_closed)::bigint as count_closed,
    sum(deal_checks.count_closed_undated)::bigint as count_closed_undated
from deal_checks
left join source_motion on deal_checks.source = source_motion.source
group by all
order by motion, split_value;

-- name: mql_version_list
-- One row per saved MQL definition (migration 015), newest first: version, rule, threshold (null
-- under 'recorded'), saved_at and saved_by.
select version, rule, threshold, saved_at, saved_by
from mql_versions
order by version desc;

-- name: mql_version_append
-- Write: record the MQL definition ($mql_rule, $mql_threshold: null under 'recorded') as the next
-- version, saved by $saved_by, unless it is the latest version already (saving the Funnel form
-- with only the SLA changed keeps the definition, so it adds no version).
insert into mql_versions (version, rule, threshold, saved_at, saved_by)
select
    numbered.next_version,
    $mql_rule,
    $mql_threshold::double,
    current_timestamp::timestamp,
    $saved_by
from (select coalesce(max(version), 0) + 1 as next_version from mql_versions) as numbered
where not exists (
    select 1
    from mql_versions as latest
    where
        latest.version = numbered.next_version - 1
        and latest.rule = $mql_rule
        and latest.threshold is not distinct from $mql_threshold::double
);

-- name: mql_definition_comparison
-- One row per motion: the leads whose MQL moment (coalesce(mql_at, created_at), as in the
-- headline metrics) falls in the period, counted under two MQL definitions, the current one
-- ($mql_rule, $mql_threshold) and another ($other_rule, $other_threshold: an earlier version or a
-- candidate): count_mqls_*, of them count_won_* (the lead has a won deal; with a product filter,
-- a won deal of those products) and median_days_* from the lead's creation to its MQL moment (0
-- for a lead qualified by score alone). count_candidates: every lead whose MQL moment falls in
-- the period; count_scored: of them, those with a lead_score (a score rule needs one).
with
candidates as (
    select
        lead_key,
        source,
        mql_at,
        lead_score,
        won_deal_count,
        date_diff('second', created_at, coalesce(mql_at, created_at)) / 86400.0 as days_to_mql
    from raw_leads
    where
        coalesce(mql_at, created_at) >= $date_from::timestamp
        and coalesce(mql_at, created_at) < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
),

-- with a product filter, the leads with a won deal of those products; without one, the lead's
-- won_deal_count says it (migration 011) and this reads nothing
won_leads as (
    select distinct lead_key
    from raw_deals
    where
        raw_deals.is_excluded is not true
        and $products is not null
        and outcome = 'won'
        and lead_key is not null
        and matches_filter($products, product)
),

flagged as (
    select
        source,
        days_to_mql,
        lead_score is not null as is_scored,
        is_mql($mql_rule, $mql_threshold, mql_at, lead_score) as is_current,
        is_mql($other_rule, $other_threshold, mql_at, lead_score) as is_other,
        case
            when $products is null then won_deal_count > 0
            -- (a lead with no won deal at all is not looked up)
            else won_deal_count > 0 and lead_key in (select lead_key from won_leads)
        end as is_won
    from candidates
)

select
    coalesce(source_motion.motion, 'unmapped') as motion,
    count(*) as count_candidates,
    count(*) filter (where flagged.is_scored) as count_scored,
    count(*) filter (where flagged.is_current) as count_mqls_current,
    count(*) filter (where flagged.is_current and flagged.is_won) as count_won_current,
    quantile_cont(flagged.days_to_mql, 0.5) filter (where flagged.is_current)::double
        as median_days_current,
    count(*) filter (where flagged.is_other) as count_mqls_other,
    count(*) filter (where flagged.is_other and flagged.is_won) as count_won_other,
    quantile_cont(flagged.days_to_mql, 0.5) filter (where flagged.is_other)::double
        as median_days_other
from flagged
left join source_motion on flagged.source = source_motion.source
group by all
order by motion;
