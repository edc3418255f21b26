-- Migration 024: the answers every page's sidebar asks for, kept instead of recomputed.
--
-- Every page opens with the filter values (segment, region, product, owner) and the readiness
-- counts (what the workspace holds of each input). Both scan every lead and deal: ~250 ms of
-- CPU at 5M leads and 1-3 s at 50M, paid by the first view of each page after any write, on
-- every server. They change only when leads or deals do, and every writer of those ends with
-- the refresh (queries/workspace.py refresh_lead_facts), which now keeps them
-- (keep_sidebar_answers in queries/sql/workspace.sql) through the macros below: the one
-- definition, also what the tests compare the kept rows with.
--
-- An empty workspace keeps no row (a new workspace holds nothing a copy would replace); the
-- readiness query reads the sums, so no row is zero leads.

create macro filter_values_now() as table
with
segments as (
    select distinct segment as value from raw_deals
    union
    select distinct segment from raw_leads
),

regions as (
    select distinct region as value from raw_deals
    union
    select distinct region from raw_leads
),

products as (
    select distinct product as value from raw_deals
),

owners as (
    select distinct owner as value from raw_deals
    union
    select distinct owner from raw_leads
),

options as (
    select 'segment' as dimension, value from segments
    union all
    select 'region', value from regions
    union all
    select 'product', value from products
    union all
    select 'owner', value from owners
)

select dimension, value
from options
where value is not null;

create macro lead_readiness_now() as table
select
    count(*) as leads,
    count(source) as leads_with_source,
    count(created_at) as leads_with_created,
    count(first_touch_at) as leads_with_first_touch
from raw_leads
having count(*) > 0;

create macro deal_source_readiness_now() as table
select
    source,
    count(*) as deals,
    count(segment) as with_segment,
    count(*) filter (where outcome = 'won') as won,
    count(*) filter (where outcome = 'lost') as lost,
    count(*) filter (where outcome = 'open') as open,
    count(amount) filter (where outcome = 'open') as open_with_amount
from raw_deals
group by source;

create table kept_filter_values (
    dimension varchar not null,
    value varchar not null
);

create table kept_lead_readiness (
    leads bigint not null,
    leads_with_source bigint not null,
    leads_with_created bigint not null,
    leads_with_first_touch bigint not null
);

create table kept_deal_source_readiness (
    source varchar,
    deals bigint not null,
    with_segment bigint not null,
    won bigint not null,
    lost bigint not null,
    open bigint not null,
    open_with_amount bigint not null
);

insert into kept_filter_values select * from filter_values_now();
insert into kept_lead_readiness select * from lead_readiness_now();
insert into kept_deal_source_readiness select * from deal_source_readiness_now();
