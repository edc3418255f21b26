-- Migration 034: the deals counted per day and channel, kept for the 4P promotion table.
--
-- mix_promotion_by_channel (queries/sql/mix.sql) credits a deal to the source of the lead it
-- names (by id), else to its own source, and counts the deals created and won in the period
-- per channel: each view looked up the lead of every deal of the period, ~150 ms at 5M leads
-- for a year. What it sums depends on a deal only through its channel, segment, region and
-- product and the day it was created or won, so the refresh keeps those counts
-- (keep_channel_deal_days in queries/sql/workspace.sql) through the macro below, the one
-- definition, which the tests compare the kept rows with. The query reads them when the
-- Funnel's kept counts (026) match the records and no owner filter is chosen (owners are not
-- kept); otherwise it reads the records. Deals left out of the figures (016) count nowhere.

-- kind 'created': the deals created each day; 'won': the deals won each day (by closed date);
-- per channel, segment, region and product, with their summed amount
create macro channel_deal_days_now() as table
with
deals as (
    select
        -- the lead the deal names by id (lead_key may also point by conversion or e-mail)
        coalesce(case when l.lead_id = d.lead_id then l.source end, d.source) as channel,
        d.segment,
        d.region,
        d.product,
        d.created_at,
        d.closed_at,
        d.outcome,
        d.amount
    from raw_deals as d
    left join raw_leads as l on d.lead_key = l.lead_key
    where d.is_excluded is not true
)

select
    created_at::date as day,
    'created' as kind,
    channel,
    segment,
    region,
    product,
    count(*) as deals,
    sum(amount) as amount
from deals
where created_at is not null
group by all
union all
select closed_at::date, 'won', channel, segment, region, product, count(*), sum(amount)
from deals
where outcome = 'won' and closed_at is not null
group by all;

create table kept_channel_deal_days (
    day date not null,
    kind varchar not null,
    channel varchar,
    segment varchar,
    region varchar,
    product varchar,
    deals bigint not null,
    amount decimal(38, 2)
);

insert into kept_channel_deal_days select * from channel_deal_days_now() order by day;
