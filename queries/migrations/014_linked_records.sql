-- Migration 014: the records a CRM links to each other, and the kinds that were missing.
--
-- A deal links to its lead (by lead id, the lead's converted-opportunity id or the contact's
-- e-mail) and to its account (by id or name). A deal without a source of its own takes its
-- lead's source, so its motion; a deal or lead without a segment or region takes its account's.
-- What was inherited is marked in *_origin columns ('lead', 'rule', 'account'; null: the
-- record's own value, or none), so the refresh can recompute it when the linked record changes
-- or is undone, and never overwrites a value the file gave. Flywheel sets the inherited values,
-- never an imported file: the refresh statements (queries/sql/workspace.sql) end every import,
-- undo and sample load, in the same transaction.

-- A lead file may have no date at all (X Education): its leads import, outside period views.
alter table raw_leads alter column created_at drop not null;
alter table raw_leads add column email varchar;
alter table raw_leads add column account varchar;
alter table raw_leads add column converted boolean;
alter table raw_leads add column converted_deal_id varchar;
alter table raw_leads add column segment_origin varchar;
alter table raw_leads add column region_origin varchar;
alter table replaced_leads add column email varchar;
alter table replaced_leads add column account varchar;
alter table replaced_leads add column converted boolean;
alter table replaced_leads add column converted_deal_id varchar;
alter table replaced_leads add column segment_origin varchar;
alter table replaced_leads add column region_origin varchar;

alter table raw_deals add column account_id varchar;
alter table raw_deals add column contact_email varchar;
alter table raw_deals add column deal_type varchar;
alter table raw_deals add column source_origin varchar;
alter table raw_deals add column segment_origin varchar;
alter table raw_deals add column region_origin varchar;
alter table raw_deals add column account_origin varchar;
alter table replaced_deals add column account_id varchar;
alter table replaced_deals add column contact_email varchar;
alter table replaced_deals add column deal_type varchar;
alter table replaced_deals add column source_origin varchar;
alter table replaced_deals add column segment_origin varchar;
alter table replaced_deals add column region_origin varchar;
alter table replaced_deals add column account_origin varchar;

-- The sales team, imported (Maven's sales_teams, Salesforce User, HubSpot owners): a file may
-- have no hire dates; role, manager and quota join what the sample company had.
alter table sales_reps alter column hired_on drop not null;
alter table sales_reps add column rep_id varchar;
alter table sales_reps add column email varchar;
alter table sales_reps add column role varchar;
alter table sales_reps add column manager varchar;
alter table sales_reps add column quota decimal(18, 2);
alter table sales_reps add column import_id varchar;
create table replaced_reps as select *, null::varchar as replaced_by from sales_reps where false;

create table accounts (
    account_id varchar not null,
    name varchar,
    industry varchar,
    segment varchar,
    region varchar,
    country varchar,
    employees double,
    annual_revenue decimal(18, 2),
    created_at timestamp,
    owner varchar,
    parent varchar,
    import_id varchar
);
create table replaced_accounts as
select *, null::varchar as replaced_by from accounts where false;

create table products (
    product_id varchar not null,
    name varchar,
    family varchar,
    list_price decimal(18, 2),
    currency varchar,
    import_id varchar
);
create table replaced_products as
select *, null::varchar as replaced_by from products where false;

create table replaced_touches as select *, null::varchar as replaced_by from touches where false;

-- The one rule of every inherited column: a value the file gave (no origin mark) stays; else the
-- linked record's value, marked with where it came from (null when there is none).
create macro kept_or_linked(own, origin, linked) as (
    case when origin is null and own is not null then own else linked end
);
create macro origin_mark(own, origin, linked, mark) as (
    case when origin is null and own is not null then null when linked is not null then mark end
);

-- Every key a deal or lead may name an account by — its id (rank 1), else its name (2) — with
-- what a linked record takes from it: the refresh statements and the link report read it.
create view account_keys as
select
    match_key,
    arg_min(name, rank) as name,
    arg_min(segment, rank) as segment,
    arg_min(region, rank) as region
from (
    select
        account_id as match_key,
        1 as rank,
        name,
        coalesce(segment, industry) as segment,
        coalesce(region, country) as region
    from accounts
    union all
    select
        name,
        2,
        name,
        coalesce(segment, industry),
        coalesce(region, country)
    from accounts
    where name is not null
)
group by match_key;

-- Every key a deal's owner may name a rep by: the name, or (API exports: OwnerId,
-- hubspot_owner_id, Pipedrive user_id) the CRM's user id; with the rep's role and region.
create view rep_keys as
select
    owner_key,
    any_value(role) filter (where role is not null) as role,
    any_value(region) filter (where region is not null) as region
from (
    select owner as owner_key, role, region from sales_reps
    union all
    select rep_id, role, region from sales_reps where rep_id is not null
)
group by owner_key;

-- imports.kind had a check for the four first kinds: the table is rebuilt without it (ids stay
-- unique by the engine, as for the record tables since 005).
create table imports_014 as select * from imports;
drop table imports;
alter table imports_014 rename to imports;

-- The contract views show the new columns (extended, never renamed).
drop view leads;
drop view deals;

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
    l.import_id,
    l.email,
    l.account,
    l.converted
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
    d.import_id,
    d.account_id,
    d.deal_type,
    d.source_origin
from raw_deals as d
left join source_motion as sm on d.source = sm.source;
