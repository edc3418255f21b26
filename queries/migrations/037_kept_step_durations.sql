-- Migration 037: the durations of the funnel's steps, kept for the Funnel's velocity tab.
--
-- stage_velocity (queries/sql/funnel.sql) takes the exact median and 80th percentile of the
-- seconds each step took, over the steps completed in the period: a year at 5M leads reads
-- ~1.4M steps out of four range scans of the leads and deals (~130 of its ~190 ms), on each
-- opening of the tab. A quantile needs every value, so nothing smaller than the steps can be
-- kept; but the scans can: the refresh keeps one narrow row per completed step (the day it
-- completed, the lead's or deal's source, segment and region, the step, its seconds) through
-- the macro below, the one definition, which the tests compare the kept rows with, ordered by
-- day so a period reads its days' row groups only. The query reads them under the recorded
-- MQL rule (a score rule decides by the threshold it is given), with the Funnel's kept days
-- (026: no owner filter, kept from the records there are now) and without a product filter
-- (a lead's first deal of some products is not kept); otherwise it reads the records.
--
-- The steps as stage_velocity counts them under the recorded rule: an MQL by its recorded
-- MQL date; an MQL that reached SQL by its SQL date; a SQL that reached opportunity by the
-- lead's first deal (migration 011); a won deal, not left out (016), by its closed date. A
-- step whose start is not recorded keeps a null: counted, not in the quantiles.

create macro step_durations_now() as table
select
    mql_at::date as day,
    source,
    segment,
    region,
    1::utinyint as step_order,
    date_diff('second', created_at, mql_at) as seconds
from raw_leads
where mql_at is not null
union all
select
    sql_at::date,
    source,
    segment,
    region,
    2::utinyint,
    date_diff('second', coalesce(mql_at, created_at), sql_at)
from raw_leads
where sql_at is not null and mql_at is not null
union all
select
    first_deal_at::date,
    source,
    segment,
    region,
    3::utinyint,
    date_diff('second', sql_at, first_deal_at)
from raw_leads
where first_deal_at is not null and sql_at is not null
union all
select
    closed_at::date,
    source,
    segment,
    region,
    4::utinyint,
    date_diff('second', created_at, closed_at)
from raw_deals
where is_excluded is not true and outcome = 'won' and closed_at is not null;

create table kept_step_durations (
    day date not null,
    source varchar,
    segment varchar,
    region varchar,
    step_order utinyint not null,
    seconds bigint
);

insert into kept_step_durations select * from step_durations_now() order by day;
