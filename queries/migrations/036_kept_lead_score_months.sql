-- Migration 036: the scored leads counted per month of creation and score, kept for the
-- Funnel's lead-score tab.
--
-- lead_score_bins (queries/sql/funnel.sql) counts the period's scored leads per source, month,
-- score bin and won flag: ~1.7M leads read for a year at 5M leads, ~110 ms on each opening of
-- the tab or move of its threshold. A bin is a function of the score, so the refresh keeps the
-- leads counted per month, source, segment, region, score and won flag (keep_lead_score_months
-- in queries/sql/workspace.sql) through the macro below, the one definition, which the tests
-- compare the kept rows with: a few hundred thousand rows at 5M (a CRM's scores are whole
-- numbers or few). The query reads the months the period covers whole from them and the days
-- of the months it covers in part from the leads; with an owner or a product filter (neither
-- is kept), or after a write that skipped the refresh, it reads the leads.

create macro lead_score_months_now() as table
select
    date_trunc('month', created_at)::date as month,
    source,
    segment,
    region,
    lead_score as score,
    won_deal_count > 0 as is_won,
    count(*) as leads
from raw_leads
where created_at is not null and lead_score is not null
group by all;

create table kept_lead_score_months (
    month date not null,
    source varchar,
    segment varchar,
    region varchar,
    score double not null,
    is_won boolean,
    leads bigint not null
);

insert into kept_lead_score_months select * from lead_score_months_now() order by month;
