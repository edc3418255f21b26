-- Migration 032: what the Data page reports of the whole workspace, kept instead of recounted.
--
-- The Data page opens with how the records link up (link_state), the records per month
-- (records_per_month), the deals far above their kind's median amount (workspace_outliers)
-- and the lead sources' mapping (source_motion_mapping). Each scanned every deal (and every
-- lead) on every view: ~190 ms of its ~450 at 5M leads, ~2.8 s at 50M. They change only when
-- leads or deals do, and every writer of those ends with the refresh (queries/workspace.py
-- refresh_lead_facts), which now keeps them (keep_data_answers in queries/sql/workspace.sql)
-- through the macros below: the one definition, which the live forms read too and the tests
-- compare the kept rows with. The queries read the kept rows when the Funnel's kept counts
-- (kept_funnel_day_counts, 026, kept in the same refresh) say they were counted from the
-- records there are now; after a write that skipped the refresh they read the records.

-- leads per source (null included), for the lead sources' mapping
create macro lead_sources_now() as table
select source, count(*) as leads
from raw_leads
group by source;

-- deals per source and link flags: where the source came from (null = their own, 'lead',
-- 'rule'), whether their lead is in the workspace, whether they name one, whether they have
-- an account (a few groups)
create macro deal_link_groups_now() as table
select
    source,
    source_origin,
    lead_key is not null as has_lead,
    lead_id is not null as names_lead,
    account is not null or account_id is not null as has_account,
    count(*) as deals
from raw_deals
group by all;

-- the owners the deals name
create macro deal_owners_now() as table
select distinct owner
from raw_deals
where owner is not null;

-- leads and deals per month of creation (records without a created date have no month)
create macro record_months_now() as table
select 'leads' as table_name, make_date(y, m, 1) as month, n as count_records
from (
    -- grouped on two small integers, then made a date: several times faster than date_trunc
    -- on millions of timestamps
    select year(created_at) as y, month(created_at) as m, count(*) as n
    from raw_leads
    where created_at is not null
    group by y, m
)
union all
select 'deals', make_date(y, m, 1), n
from (
    select year(created_at) as y, month(created_at) as m, count(*) as n
    from raw_deals
    where created_at is not null
    group by y, m
);

-- the median amount of each kind of deal ('won', 'open') over the deals with an amount above
-- 0, left-out deals included, and how many there are: what a deal's amount is compared with
-- (the median of decimal amounts is a decimal of their scale, as stored)
create macro deal_medians_now() as table
select
    outcome as kind,
    median(amount) as median_amount,
    count(*) as count_priced
from raw_deals
where amount > 0 and outcome in ('won', 'open')
group by outcome;

create table kept_lead_sources (
    source varchar,
    leads bigint not null
);

create table kept_deal_link_groups (
    source varchar,
    source_origin varchar,
    has_lead boolean not null,
    names_lead boolean not null,
    has_account boolean not null,
    deals bigint not null
);

create table kept_deal_owners (
    owner varchar not null
);

create table kept_record_months (
    table_name varchar not null,
    month date not null,
    count_records bigint not null
);

create table kept_deal_medians (
    kind varchar not null,
    median_amount decimal(18, 2) not null,
    count_priced bigint not null
);

insert into kept_lead_sources select * from lead_sources_now();
insert into kept_deal_link_groups select * from deal_link_groups_now();
insert into kept_deal_owners select * from deal_owners_now();
insert into kept_record_months select * from record_months_now();
insert into kept_deal_medians select * from deal_medians_now();
