-- Migration 033: the won deals of each day's leads, kept for the lead cohorts.
--
-- lead_cohort_wins (queries/sql/funnel.sql: the cohort curves of the Funnel and the planner's
-- lead value by age) joined every won deal to its lead on each view: ~200K won deals read and
-- probed at 5M leads, ~60 ms of the planner's page. What it sums depends on a won deal only
-- through its lead's creation day, source, segment and region, its product and its month of
-- closing, and on each lead's first win: the refresh keeps both (keep_cohort_wins in
-- queries/sql/workspace.sql) through the macros below, the one definition, which the tests
-- compare the kept rows with. The query reads them with the Funnel's kept days (026: no owner
-- filter, kept from the records there are now) and without a product filter (a lead's first
-- win of a product is not kept); otherwise it reads the records. Deals left out of the
-- figures (016), deals without a closed date and leads without a created date count nowhere.

-- the won amount closed each month by the deals of the leads created each day, per lead
-- source, segment and region and deal product
create macro cohort_amounts_now() as table
select
    l.created_at::date as created_day,
    l.source,
    l.segment,
    l.region,
    d.product,
    date_trunc('month', d.closed_at)::date as closed_month,
    sum(d.amount) as won_amount
from raw_leads as l
inner join raw_deals as d on l.lead_key = d.lead_key
where
    d.is_excluded is not true
    and d.outcome = 'won'
    and d.closed_at is not null
    and l.created_at is not null
group by all;

-- the leads created each day, per source, segment and region, whose first won deal closed in
-- each month
create macro cohort_firsts_now() as table
select created_day, source, segment, region, first_month, count(*) as leads
from (
    select
        l.created_at::date as created_day,
        l.source,
        l.segment,
        l.region,
        date_trunc('month', min(d.closed_at))::date as first_month
    from raw_leads as l
    inner join raw_deals as d on l.lead_key = d.lead_key
    where
        d.is_excluded is not true
        and d.outcome = 'won'
        and d.closed_at is not null
        and l.created_at is not null
    group by l.lead_key, l.created_at, l.source, l.segment, l.region
)
group by all;

create table kept_cohort_amounts (
    created_day date not null,
    source varchar,
    segment varchar,
    region varchar,
    product varchar,
    closed_month date not null,
    won_amount decimal(38, 2)
);

create table kept_cohort_firsts (
    created_day date not null,
    source varchar,
    segment varchar,
    region varchar,
    first_month date not null,
    leads bigint not null
);

insert into kept_cohort_amounts select * from cohort_amounts_now() order by created_day;
insert into kept_cohort_firsts select * from cohort_firsts_now() order by created_day;
