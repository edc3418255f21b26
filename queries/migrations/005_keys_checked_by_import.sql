-- Migration 005: record ids are kept unique by the import engine, not by primary-key indexes.
--
-- Why: DuckLake (DESIGN.md, "Beyond one machine") supports no PRIMARY KEY or UNIQUE
-- constraints, and the index costs more than the rest of a million-row import together; the
-- import checks every id against the file and the workspace before it writes (duplicate_in_file,
-- already_exists, upsert) and tests hold it to that. The contract views are recreated as they
-- were.

drop view leads;
drop view deals;

create table raw_leads_005 as select * from raw_leads;
drop table raw_leads;
alter table raw_leads_005 rename to raw_leads;
alter table raw_leads alter column created_at set not null;

create table raw_deals_005 as select * from raw_deals;
drop table raw_deals;
alter table raw_deals_005 rename to raw_deals;
alter table raw_deals alter column outcome set not null;

create view leads as
select
    l.lead_id,
    l.created_at,
    l.source,
    sm.motion,
    l.campaign_id,
    l.segment,
    l.region,
    l.lead_score,
    l.mql_at,
    l.sql_at,
    l.first_touch_at,
    l.owner,
    l.import_id
from raw_leads as l
left join source_motion as sm on l.source = sm.source;

create view deals as
select
    d.deal_id,
    d.name,
    d.account,
    d.lead_id,
    d.created_at,
    d.closed_at,
    d.stage,
    d.outcome,
    d.amount,
    d.currency,
    d.product,
    d.segment,
    d.region,
    d.owner,
    d.source,
    sm.motion,
    d.campaign_id,
    d.discount_pct,
    d.lost_reason,
    d.import_id
from raw_deals as d
left join source_motion as sm on d.source = sm.source;
