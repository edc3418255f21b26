-- Migration 011: what each lead's deals say about it, kept on the lead.
--
-- The funnel asks of every lead "did it get a deal, when was its first, did one win, when
-- first?". Answered by joining raw_deals to raw_leads by lead_id, that join was the dearest
-- part of the funnel at scale (reading 5M lead ids). These four columns hold the answers;
-- Flywheel sets them, never an imported file: every import, undo and sample load ends with
-- the `refresh_lead_facts` query (queries/sql/workspace.sql), in the same transaction.
--   deal_count      the lead's deals (any outcome, with or without dates)
--   won_deal_count  of which won
--   first_deal_at   the earliest created_at of its deals: when it became an opportunity
--   first_won_at    the earliest closed_at of its won deals
-- A filter on product asks about the deals of some products only: queries then join the
-- deals as before.
alter table raw_leads add column deal_count integer default 0;
alter table raw_leads add column won_deal_count integer default 0;
alter table raw_leads add column first_deal_at timestamp;
alter table raw_leads add column first_won_at timestamp;

-- the rows an import replaced keep the same columns (restored as they were by undo, which
-- then refreshes the facts)
alter table replaced_leads add column deal_count integer default 0;
alter table replaced_leads add column won_deal_count integer default 0;
alter table replaced_leads add column first_deal_at timestamp;
alter table replaced_leads add column first_won_at timestamp;

-- the workspace's existing leads (the same statement as refresh_lead_facts when it shipped)
update raw_leads
set
    deal_count = per_lead.deal_count,
    won_deal_count = per_lead.won_deal_count,
    first_deal_at = per_lead.first_deal_at,
    first_won_at = per_lead.first_won_at
from (
    select
        lead_id,
        count(*) as deal_count,
        count(*) filter (where outcome = 'won') as won_deal_count,
        min(created_at) as first_deal_at,
        min(closed_at) filter (where outcome = 'won') as first_won_at
    from raw_deals
    where lead_id is not null
    group by lead_id
) as per_lead
where raw_leads.lead_id = per_lead.lead_id;
