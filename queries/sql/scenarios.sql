-- name: planner_monthly_streams
-- One row per month before $as_of and stream: each marketing channel with spend ('paid': its
-- spend and the pull leads whose source has its name), the other pull sources together
-- ('organic'), push leads ('push') and sales spend ('sales'). Whole workspace, no filters: the
-- planner is fitted to the company's history.
with
paid_channels as (
    select distinct channel
    from spend
    where category = 'marketing' and channel is not null and spent_on < $as_of::date
),

channel_spend as (
    select
        date_trunc('month', spent_on)::date as month,
        case when category = 'marketing' then channel else '(sales)' end as stream,
        sum(amount)::double as spend_amount
    from spend
    where spent_on < $as_of::date and (category = 'sales' or channel is not null)
    group by all
),

lead_streams as (
    select
        date_trunc('month', leads.created_at)::date as month,
        case
            when leads.motion = 'push' then '(push)'
            when leads.source in (select channel from paid_channels) then leads.source
            else '(organic)'
        end as stream,
        count(*) as count_leads
    from leads
    where leads.created_at < $as_of::timestamp and leads.motion in ('pull', 'push')
    group by all
)

select
    coalesce(channel_spend.month, lead_streams.month) as month,
    coalesce(channel_spend.stream, lead_streams.stream) as stream,
    case coalesce(channel_spend.stream, lead_streams.stream)
        when '(sales)' then 'sales'
        when '(push)' then 'push'
        when '(organic)' then 'organic'
        else 'paid'
    end as kind,
    coalesce(channel_spend.spend_amount, 0) as spend_amount,
    coalesce(lead_streams.count_leads, 0) as count_leads
from channel_spend
full outer join lead_streams
    on channel_spend.month = lead_streams.month and channel_spend.stream = lead_streams.stream
order by month, stream;

-- name: planner_opportunity_months
-- One row per month before $as_of and motion: deals (opportunities) created that month, with
-- and without a lead, and their mean amount.
select
    date_trunc('month', created_at)::date as month,
    motion,
    count(*) as count_opps,
    count(*) filter (where lead_id is null) as count_direct,
    avg(amount)::double as mean_amount
from deals
where created_at < $as_of::timestamp and motion in ('pull', 'push')
group by all
order by month, motion;

-- name: planner_funnel_cohort
-- One row per motion and whole months from lead creation to deal creation (lag_months; -1 for
-- the stage counts row): for leads created in [$mature_from, $mature_to), how many reached MQL,
-- SQL and a deal (lag -1), and how many deals were created each month after the lead (lag >= 0).
-- count_mql_sql: the SQLs among the MQLs (the MQL → SQL rate's numerator: a strict definition
-- leaves SQLs that are no MQL, which all SQLs ÷ MQLs would count, above 100 %).
-- MQL follows the workspace's MQL definition ($mql_rule, $mql_threshold: the is_mql macro, as on
-- Funnel health), reached when its MQL moment, coalesce(mql_at, created_at), came before $as_of.
with
cohort as (
    select lead_id, motion, created_at, mql_at, sql_at, lead_score
    from leads
    where
        created_at >= $mature_from::timestamp
        and created_at < $mature_to::timestamp
        and motion in ('pull', 'push')
),

first_deals as (
    select deals.lead_id, min(deals.created_at) as deal_at
    from deals
    where deals.lead_id is not null and deals.created_at < $as_of::timestamp
    group by deals.lead_id
),

cohort_deals as (
    select
        cohort.motion,
        cohort.lead_id,
        is_mql($mql_rule, $mql_threshold, cohort.mql_at, cohort.lead_score)
        and coalesce(cohort.mql_at, cohort.created_at) < $as_of::timestamp as is_mql,
        cohort.sql_at is not null and cohort.sql_at < $as_of::timestamp as is_sql,
        first_deals.deal_at,
        -- a deal logged before its lead (CRM back-fill) counts as the lead's own month
        greatest(
            0,
            date_diff(
                'month', date_trunc('month', cohort.created_at), date_trunc('month', first_deals.deal_at)
            )
        ) as lag_months
    from cohort
    left join first_deals on cohort.lead_id = first_deals.lead_id
)

select
    motion,
    -1 as lag_months,
    count(*) as count_leads,
    count(*) filter (where is_mql) as count_mql,
    count(*) filter (where is_sql) as count_sql,
    count(*) filter (where is_sql and is_mql) as count_mql_sql,
    count(deal_at) as count_deals
from cohort_deals
group by motion
union all
select motion, lag_months, null, null, null, null, count(*)
from cohort_deals
where deal_at is not null
group by motion, lag_months
order by motion, lag_months;

-- name: planner_deal_outcomes
-- One row per motion and whole months from deal creation to close (lag_months; -1 for the
-- totals row): of the deals created in [$mature_from, $mature_to), how many were won that
-- month after creation (closed before $as_of) and their amount; the totals row counts all
-- deals created, won and lost, and their mean amount.
with
cohort as (
    select
        motion,
        created_at,
        amount::double as amount,
        case when closed_at < $as_of::timestamp then outcome else 'open' end as outcome_then,
        closed_at
    from deals
    where
        created_at >= $mature_from::timestamp
        and created_at < $mature_to::timestamp
        and motion in ('pull', 'push')
)

select
    motion,
    -1 as lag_months,
    count(*) as count_deals,
    count(*) filter (where outcome_then = 'won') as count_won,
    count(*) filter (where outcome_then = 'lost') as count_lost,
    coalesce(sum(amount) filter (where outcome_then = 'won'), 0) as won_amount,
    avg(amount) as mean_amount
from cohort
group by motion
union all
select
    motion,
    greatest(0, date_diff('month', date_trunc('month', created_at), date_trunc('month', closed_at))),
    null,
    count(*),
    null,
    sum(amount),
    null
from cohort
where outcome_then = 'won'
group by all
order by motion, lag_months;

-- name: planner_rep_months
-- One row per month before $as_of and sales rep employed at mid-month (the 16th): team,
-- tenure in months of 30.44 days at mid-month, loaded monthly cost.
with
months as (
    select unnest(generate_series(
        date_trunc('month', $first_month::date), date_trunc('month', $as_of::date) - interval 1 month,
        interval 1 month
    ))::date as month
)

select
    months.month,
    sales_reps.owner,
    sales_reps.team,
    date_diff('day', sales_reps.hired_on, months.month + 15) / 30.44 as tenure_months,
    sales_reps.monthly_cost::double as monthly_cost
from months
inner join sales_reps
    on
        sales_reps.hired_on <= months.month + 15
        and (sales_reps.left_on is null or sales_reps.left_on > months.month + 15)
order by months.month, sales_reps.owner;

-- name: planner_owner_months
-- Without a sales-rep roster, the sales capacity the deals themselves show: one row per month
-- before $as_of and deal owner with a deal created or closed that month (any motion); tenure in
-- months of 30.44 days from the owner's first deal to mid-month; no cost (none is known).
with
activity as (
    select owner, date_trunc('month', created_at)::date as month
    from deals
    where owner is not null and created_at < $as_of::timestamp
    union
    select owner, date_trunc('month', closed_at)::date as month
    from deals
    where owner is not null and closed_at < $as_of::timestamp
),

first_seen as (
    select owner, min(month) as first_month
    from activity
    group by owner
)

select
    activity.month,
    activity.owner,
    null::varchar as team,
    date_diff('day', first_seen.first_month, activity.month + 15) / 30.44 as tenure_months,
    null::double as monthly_cost
from activity
inner join first_seen on activity.owner = first_seen.owner
where activity.month >= date_trunc('month', $first_month::date)
order by activity.month, activity.owner;

-- name: scenario_list
-- One row per saved scenario: its name, its inputs (JSON text) and when it was last saved.
select scenario_id, name, inputs_json, saved_at
from scenarios
order by saved_at, scenario_id;

-- name: scenario_insert
-- Save a named scenario (the caller deletes one of the same name first, in one transaction).
insert into scenarios (scenario_id, name, inputs_json, saved_at, by_user)
values ($scenario_id, $name, $inputs_json, current_timestamp::timestamp, $by_user);

-- name: scenario_delete
-- Delete the named scenario.
delete from scenarios where name = $name;

-- name: planner_won_months
-- One row per month before $as_of and motion: deals won (closed) that month and their amount.
select
    date_trunc('month', closed_at)::date as month,
    motion,
    count(*) as count_won,
    sum(amount)::double as won_amount
from deals
where outcome = 'won' and closed_at < $as_of::timestamp and motion in ('pull', 'push')
group by all
order by month, motion;

-- name: planner_pull_cohort_months
-- One row per month before $as_of: pull leads created that month and how many of them had a
-- deal created before $as_of (the raw material of "does the brand make leads warmer").
with
first_deals as (
    select lead_id, min(created_at) as deal_at
    from deals
    where lead_id is not null and created_at < $as_of::timestamp
    group by lead_id
)

select
    date_trunc('month', leads.created_at)::date as month,
    count(*) as count_leads,
    count(first_deals.deal_at) as count_deals
from leads
left join first_deals on leads.lead_id = first_deals.lead_id
where leads.motion = 'pull' and leads.created_at < $as_of::timestamp
group by all
order by month;
