-- Migration 025: the headline's period figures kept per day, so a period is a sum of few rows.
--
-- The headline (headline_metrics in queries/sql/metrics.sql) scans every lead three times and
-- every deal twice for each period asked: ~350 ms at 5M leads, 7 s at 50M, and the Overview
-- asks for two periods. What it counts depends on the period only through a few dates per
-- record (created, MQL, SQL, closed), so the refresh every writer runs (queries/workspace.py
-- refresh_lead_facts) keeps the counts per day, source, segment, region and product through
-- the macros below: the one definition, also what the tests compare the kept rows with.
-- headline_metrics_kept (metrics.sql) answers from them; queries/metrics.py falls back to the
-- live query where they cannot answer exactly: an owner filter (thousands of owners, not
-- kept), or an MQL definition other than the CRM's recorded MQL date.
--
-- Deals whose close date falls on an earlier day than their creation ("irregular": a CRM that
-- dates migrated deals by their import) count by rules that need both dates at once: they are
-- kept one row each (kept_irregular_deals) and summed by the live rules; every other deal is
-- kept per day.

-- leads per day and source, segment and region: how many were created, reached their (CRM
-- recorded) MQL date, and their SQL date on that day
create macro lead_days_now() as table
with
events as (
    select created_at::date as day, source, segment, region, 1 as leads, 0 as mqls, 0 as sqls
    from raw_leads
    where created_at is not null
    union all
    select mql_at::date, source, segment, region, 0, 1, 0
    from raw_leads
    where mql_at is not null
    union all
    select sql_at::date, source, segment, region, 0, 0, 1
    from raw_leads
    where sql_at is not null
)

select day, source, segment, region, sum(leads) as leads, sum(mqls) as mqls, sum(sqls) as sqls
from events
group by all;

-- how many leads carry each date, whatever the period (the headline's lead_dates)
create macro lead_totals_now() as table
select
    segment,
    region,
    count(*) as lead_total,
    count(created_at) as leads_dated,
    count(coalesce(mql_at, created_at)) as leads_mql_dated,
    count(mql_at) as leads_mql_recorded,
    count(sql_at) as leads_sql_dated
from raw_leads
group by all;

-- the deals the headline counts (the deals view: not left out by the outlier setting), with
-- the day of each date and whether they are irregular
create macro counted_deals_now() as table
select
    created_at,
    closed_at,
    created_at::date as created_day,
    closed_at::date as closed_day,
    outcome,
    amount,
    source,
    segment,
    region,
    product,
    coalesce(account, deal_id) as customer_key,
    date_diff('second', created_at, closed_at) / 86400.0 as cycle_days,
    coalesce(outcome <> 'open' and closed_at::date < created_at::date, false) as irregular
from raw_deals
where is_excluded is distinct from true;

-- the regular deals per day and source, segment, region and product: created that day; won
-- and lost that day, with the won deals' amounts (how many have one, how many are 0: missing
-- under the zero_amount_is_missing setting, and their sum); and the change that day in the
-- deals open at a day's end, with their amounts (a deal opens on its creation day, and closes
-- on its close day when that is a later day), so the deals open at a period's end are the
-- sum of the changes up to its last day.
create macro deal_days_now() as table
with
regular as (
    select * from counted_deals_now() where not irregular
),

creations as (
    select *, outcome = 'open' or coalesce(closed_day > created_day, false) as opens
    from regular
    where created_day is not null
),

closes as (
    select *, created_day is not null and closed_day > created_day as was_open
    from regular
    where outcome <> 'open' and closed_day is not null
),

events as (
    select
        created_day as day,
        source,
        segment,
        region,
        product,
        1 as created,
        0 as won,
        0 as lost,
        null::decimal(18, 2) as won_amount,
        0 as won_amount_n,
        0 as won_zero_n,
        opens::int as open_n,
        case when opens then amount end as open_amount,
        (opens and amount is not null)::int as open_amount_n,
        coalesce(opens and amount = 0, false)::int as open_zero_n
    from creations
    union all
    select
        closed_day,
        source,
        segment,
        region,
        product,
        0,
        (outcome = 'won')::int,
        (outcome = 'lost')::int,
        case when outcome = 'won' then amount end,
        (outcome = 'won' and amount is not null)::int,
        coalesce(outcome = 'won' and amount = 0, false)::int,
        -was_open::int,
        case when was_open then -amount end,
        -(was_open and amount is not null)::int,
        -coalesce(was_open and amount = 0, false)::int
    from closes
)

select
    day,
    source,
    segment,
    region,
    product,
    sum(created) as created,
    sum(won) as won,
    sum(lost) as lost,
    coalesce(sum(won_amount), 0) as won_amount,
    sum(won_amount_n) as won_amount_n,
    sum(won_zero_n) as won_zero_n,
    sum(open_n) as open_n,
    coalesce(sum(open_amount), 0) as open_amount,
    sum(open_amount_n) as open_amount_n,
    sum(open_zero_n) as open_zero_n
from events
group by all;

-- the regular won deals' sales cycles in days by close day, for the median
create macro won_cycles_now() as table
select closed_day as day, source, segment, region, product, cycle_days
from counted_deals_now()
where outcome = 'won' and not irregular and closed_day is not null and cycle_days is not null;

-- each customer's first win among the regular won deals of one segment, region and product
-- (a customer is new in the period of its first win; which source won it first gives its
-- motion), and whether the customer also has an irregular won deal (whose rules need both
-- dates)
create macro first_wins_now() as table
with
irregular_customers as (
    select distinct customer_key
    from counted_deals_now()
    where outcome = 'won' and irregular
)

select
    customer_key,
    segment,
    region,
    product,
    min(closed_at) as first_closed_at,
    arg_min(source, closed_at) as first_source,
    customer_key in (select customer_key from irregular_customers) as has_irregular
from counted_deals_now()
where outcome = 'won' and closed_at is not null and not irregular
group by customer_key, segment, region, product;

-- how many deals carry each date, whatever the period (the headline's deal_dates)
create macro deal_totals_now() as table
select
    segment,
    region,
    product,
    count(*) as deal_total,
    count(created_at) as deals_dated,
    count(*) filter (where outcome <> 'open') as closed_total,
    count(closed_at) filter (where outcome <> 'open') as closed_dated,
    count(*) filter (where outcome = 'open') as open_total,
    count(created_at) filter (where outcome = 'open') as open_dated
from raw_deals
where is_excluded is distinct from true
group by all;

-- the first and last day with a lead or a deal (data_date_range's activity days: the default
-- period is chosen from them); no row without any dated lead or deal
create macro activity_range_now() as table
select *
from (
    select
        least(
            (select min(created_at) from raw_leads),
            (select min(coalesce(created_at, closed_at)) from raw_deals)
        )::date as first_activity_day,
        greatest(
            (select max(created_at) from raw_leads),
            (select max(coalesce(closed_at, created_at)) from raw_deals)
        )::date as last_activity_day
)
where first_activity_day is not null;

-- the irregular deals, one row each with what the headline reads of them
create macro irregular_deals_now() as table
select
    created_at,
    closed_at,
    outcome,
    amount,
    source,
    segment,
    region,
    product,
    customer_key,
    cycle_days
from counted_deals_now()
where irregular;

create table kept_lead_days (
    day date not null,
    source varchar,
    segment varchar,
    region varchar,
    leads bigint not null,
    mqls bigint not null,
    sqls bigint not null
);

create table kept_activity_range (
    first_activity_day date not null,
    last_activity_day date not null
);

create table kept_lead_totals (
    segment varchar,
    region varchar,
    lead_total bigint not null,
    leads_dated bigint not null,
    leads_mql_dated bigint not null,
    leads_mql_recorded bigint not null,
    leads_sql_dated bigint not null
);

create table kept_deal_days (
    day date not null,
    source varchar,
    segment varchar,
    region varchar,
    product varchar,
    created bigint not null,
    won bigint not null,
    lost bigint not null,
    won_amount decimal(38, 2) not null,
    won_amount_n bigint not null,
    won_zero_n bigint not null,
    open_n bigint not null,
    open_amount decimal(38, 2) not null,
    open_amount_n bigint not null,
    open_zero_n bigint not null
);

create table kept_won_cycles (
    day date not null,
    source varchar,
    segment varchar,
    region varchar,
    product varchar,
    cycle_days double not null
);

create table kept_first_wins (
    customer_key varchar,
    segment varchar,
    region varchar,
    product varchar,
    first_closed_at timestamp not null,
    first_source varchar,
    has_irregular boolean not null
);

create table kept_customer_firsts (
    customer_key varchar,
    first_closed_at timestamp not null,
    first_source varchar,
    has_irregular boolean not null
);

create table kept_lead_months (
    month date not null,
    source varchar,
    segment varchar,
    region varchar,
    leads bigint not null,
    mqls bigint not null,
    sqls bigint not null
);

create table kept_deal_months (
    month date not null,
    source varchar,
    segment varchar,
    region varchar,
    product varchar,
    created bigint not null,
    won bigint not null,
    lost bigint not null,
    won_amount decimal(38, 2) not null,
    won_amount_n bigint not null,
    won_zero_n bigint not null,
    open_n bigint not null,
    open_amount decimal(38, 2) not null,
    open_amount_n bigint not null,
    open_zero_n bigint not null
);

create table kept_deal_totals (
    segment varchar,
    region varchar,
    product varchar,
    deal_total bigint not null,
    deals_dated bigint not null,
    closed_total bigint not null,
    closed_dated bigint not null,
    open_total bigint not null,
    open_dated bigint not null
);

create table kept_irregular_deals (
    created_at timestamp,
    closed_at timestamp,
    outcome varchar,
    amount decimal(18, 2),
    source varchar,
    segment varchar,
    region varchar,
    product varchar,
    customer_key varchar,
    cycle_days double
);

-- the kept days summed per month: a period reads its whole months here and only the days of
-- the months it covers in part (and the deals open at its end: the changes of the months
-- before its last month, then of that month's days up to its end)
create macro lead_months_now() as table
select
    date_trunc('month', day)::date as month,
    source,
    segment,
    region,
    sum(leads) as leads,
    sum(mqls) as mqls,
    sum(sqls) as sqls
from kept_lead_days
group by all;

create macro deal_months_now() as table
select
    date_trunc('month', day)::date as month,
    source,
    segment,
    region,
    product,
    sum(created) as created,
    sum(won) as won,
    sum(lost) as lost,
    sum(won_amount) as won_amount,
    sum(won_amount_n) as won_amount_n,
    sum(won_zero_n) as won_zero_n,
    sum(open_n) as open_n,
    sum(open_amount) as open_amount,
    sum(open_amount_n) as open_amount_n,
    sum(open_zero_n) as open_zero_n
from kept_deal_days
group by all;

-- each customer's first win of all (kept_first_wins over every segment, region and product):
-- without a filter, a customer without an irregular win is new in the period of this one
create macro customer_firsts_now() as table
select
    customer_key,
    min(first_closed_at) as first_closed_at,
    arg_min(first_source, first_closed_at) as first_source,
    bool_or(has_irregular) as has_irregular
from kept_first_wins
group by customer_key;

-- a period's kept rows (date_from..date_to, inclusive days): its whole months (from the first
-- month that starts in it to the month of the day after its end, excluded) per month, its
-- other days per day, each with the month it falls in. Every bound is a range of constants
-- once the period is bound, which the kept tables' zone maps answer.
create macro kept_lead_rows(date_from, date_to) as table
select month, source, segment, region, leads, mqls, sqls
from kept_lead_months
where month >= (date_trunc('month', date_from::date - 1) + interval 1 month)::date and month < date_trunc('month', date_to::date + 1)::date
union all
select date_trunc('month', day)::date, source, segment, region, leads, mqls, sqls
from kept_lead_days
where day >= date_from::date and day <= date_to::date and day < (date_trunc('month', date_from::date - 1) + interval 1 month)::date
union all
select date_trunc('month', day)::date, source, segment, region, leads, mqls, sqls
from kept_lead_days
where
    day >= greatest(date_from::date, (date_trunc('month', date_from::date - 1) + interval 1 month)::date, date_trunc('month', date_to::date + 1)::date)
    and day <= date_to::date;

create macro kept_deal_rows(date_from, date_to) as table
select
    month,
    source,
    segment,
    region,
    product,
    created,
    won,
    lost,
    won_amount,
    won_amount_n,
    won_zero_n
from kept_deal_months
where month >= (date_trunc('month', date_from::date - 1) + interval 1 month)::date and month < date_trunc('month', date_to::date + 1)::date
union all
select
    date_trunc('month', day)::date,
    source,
    segment,
    region,
    product,
    created,
    won,
    lost,
    won_amount,
    won_amount_n,
    won_zero_n
from kept_deal_days
where day >= date_from::date and day <= date_to::date and day < (date_trunc('month', date_from::date - 1) + interval 1 month)::date
union all
select
    date_trunc('month', day)::date,
    source,
    segment,
    region,
    product,
    created,
    won,
    lost,
    won_amount,
    won_amount_n,
    won_zero_n
from kept_deal_days
where
    day >= greatest(date_from::date, (date_trunc('month', date_from::date - 1) + interval 1 month)::date, date_trunc('month', date_to::date + 1)::date)
    and day <= date_to::date;

insert into kept_lead_days select * from lead_days_now() order by day;
insert into kept_lead_months select * from lead_months_now() order by month;
insert into kept_lead_totals select * from lead_totals_now();
insert into kept_activity_range select * from activity_range_now();
insert into kept_deal_days select * from deal_days_now() order by day;
insert into kept_deal_months select * from deal_months_now() order by month;
insert into kept_won_cycles select * from won_cycles_now() order by day;
insert into kept_first_wins select * from first_wins_now() order by first_closed_at;
insert into kept_customer_firsts select * from customer_firsts_now() order by first_closed_at;
insert into kept_deal_totals select * from deal_totals_now();
insert into kept_irregular_deals select * from irregular_deals_now();
