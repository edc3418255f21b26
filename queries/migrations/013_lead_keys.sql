-- Migration 013: an integer key for each lead, copied onto its deals.
--
-- Where the funnel must still join deals to their leads (a product filter asks about the deals
-- of some products; the cohort heatmap needs each won deal's amount and close), comparing
-- integers is several times cheaper than comparing the text lead_id of millions of rows.
-- raw_leads.lead_key is unique across raw_leads and replaced_leads (a new lead takes the next
-- number above both, so undo can restore a replaced lead with its key); raw_deals.lead_key is
-- its lead's key, null when the deal names no lead or a lead the workspace does not hold.
-- Flywheel sets both, never an imported file: the refresh_lead_facts statements
-- (queries/sql/workspace.sql) run at the end of every import, undo and sample load.
alter table raw_leads add column lead_key integer;
alter table replaced_leads add column lead_key integer;
alter table raw_deals add column lead_key integer;
alter table replaced_deals add column lead_key integer;

update raw_leads
set lead_key = numbered.lead_key
from (
    select lead_id, (row_number() over (order by lead_id))::integer as lead_key
    from raw_leads
) as numbered
where raw_leads.lead_id = numbered.lead_id;

update raw_deals
set lead_key = raw_leads.lead_key
from raw_leads
where raw_deals.lead_id = raw_leads.lead_id;
