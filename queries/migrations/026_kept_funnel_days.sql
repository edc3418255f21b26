-- Migration 026: the leads and the closed deals counted per day, kept for the Funnel's data
-- checks instead of recounted on every filter change.
--
-- The Funnel's trust badges (funnel_lead_trust), its lead-score range (lead_score_bounds) and
-- the deal balance every Funnel, Market and 4P view checks (deal_balance, zero_amount_balance)
-- count the period's leads or closed deals: ~1.9M leads and ~0.4M deals scanned and grouped on
-- each filter change at 5M leads. Counted once per day and per filter value (owner left out:
-- ~8,000 owners at 5M would multiply the rows; an owner filter or split reads the records, as
-- before), the same answers read ~1/40 of the leads' rows and ~1/5 of the deals'. Every writer
-- of leads or deals ends with the refresh (queries/workspace.py refresh_lead_facts), which
-- keeps them (keep_funnel_days in queries/sql/workspace.sql) through the macros below: the one
-- definition, also what the tests compare the kept rows with. With them, how many leads and
-- deals there were (kept_funnel_day_counts): a write that skipped the refresh (a script, a
-- test) leaves other counts, and the checks then read the records.

-- One row per day of creation, source, segment and region of the leads with a created date:
-- how many, with an MQL date, an SQL date, a first touch, a lead score, the lowest and highest
-- score (null when none has one), and how many got furthest to each stage under the recorded
-- MQL date (the cohort funnel of cohort_stage_counts under the 'recorded' rule: a won deal,
-- else a deal, else an SQL date, else an MQL date; the rest stayed leads), and how many
-- have an MQL date but no SQL date (with a product filter a lead's own fields place it:
-- an SQL date, else an MQL date).
create macro funnel_lead_days_now() as table
select
    created_day,
    source,
    segment,
    region,
    count(*) as count_leads,
    count(mql_at) as count_mql_at,
    count(sql_at) as count_sql_at,
    count(first_touch_at) as count_first_touch,
    count(lead_score) as count_scored,
    min(lead_score) as min_score,
    max(lead_score) as max_score,
    count(*) filter (where recorded_stage = 2) as count_furthest_mql,
    count(*) filter (where recorded_stage = 3) as count_furthest_sql,
    count(*) filter (where recorded_stage = 4) as count_furthest_opportunity,
    count(*) filter (where recorded_stage = 5) as count_furthest_won,
    count(*) filter (where mql_at is not null and sql_at is null) as count_mql_not_sql
from (
    select
        created_at::date as created_day,
        source,
        segment,
        region,
        mql_at,
        sql_at,
        first_touch_at,
        lead_score,
        case
            when won_deal_count > 0 then 5
            when deal_count > 0 then 4
            when sql_at is not null then 3
            when mql_at is not null then 2
            else 1
        end as recorded_stage
    from raw_leads
    where created_at is not null
) as leads
group by created_day, source, segment, region;

-- One row per day of closing, outcome, segment, region and product of the closed (won or
-- lost) deals with a closed date that no figure leaves out (raw_deals.is_excluded, migration
-- 016): how many, and how many with an amount of 0 and with none.
create macro closed_deal_days_now() as table
select
    closed_at::date as closed_day,
    outcome,
    segment,
    region,
    product,
    count(*) as count_deals,
    count(*) filter (where amount = 0) as count_zero_amount,
    count(*) filter (where amount is null) as count_no_amount
from raw_deals
where
    is_excluded is not true
    and outcome in ('won', 'lost')
    and closed_at is not null
group by all;

create table kept_funnel_lead_days (
    created_day date not null,
    source varchar,
    segment varchar,
    region varchar,
    count_leads bigint not null,
    count_mql_at bigint not null,
    count_sql_at bigint not null,
    count_first_touch bigint not null,
    count_scored bigint not null,
    min_score double,
    max_score double,
    count_furthest_mql bigint not null,
    count_furthest_sql bigint not null,
    count_furthest_opportunity bigint not null,
    count_furthest_won bigint not null,
    count_mql_not_sql bigint not null
);

create table kept_closed_deal_days (
    closed_day date not null,
    outcome varchar not null,
    segment varchar,
    region varchar,
    product varchar,
    count_deals bigint not null,
    count_zero_amount bigint not null,
    count_no_amount bigint not null
);

-- One row: how many leads and deals the kept days were counted from.
create table kept_funnel_day_counts (
    leads bigint not null,
    deals bigint not null
);

insert into kept_funnel_lead_days select * from funnel_lead_days_now();
insert into kept_closed_deal_days select * from closed_deal_days_now();
-- no row in a workspace without a lead or a deal: a new workspace holds nothing a copy into it
-- would replace (the checks then read the records, which is as quick)
insert into kept_funnel_day_counts
select leads, deals
from (select (select count(*) from raw_leads) as leads, (select count(*) from raw_deals) as deals)
where leads + deals > 0;
