-- name: workspace_settings
-- One row per workspace setting (currency, locale, sample flag, cost split...).
select key, value from settings order by key;

-- name: source_motion_mapping
-- One row per lead source seen in leads, deals or the mapping, with its motion (null = unmapped).
-- The leads and deals per source the refresh keeps (migrations 024, 032), unless $live asks for
-- the records (one of the two runs: the other's condition is false once the parameters are
-- bound).
with
lead_counts as (
    select source, leads as count_leads
    from kept_lead_sources
    where not $live and source is not null
    union all
    select source, leads from lead_sources_now() where $live and source is not null
),

deal_counts as (
    select source, deals as count_deals
    from kept_deal_source_readiness
    where not $live and source is not null
    union all
    select source, deals from deal_source_readiness_now() where $live and source is not null
),

seen as (
    select source from lead_counts
    union
    select source from deal_counts
    union
    select source from source_motion
)

select
    seen.source,
    sm.motion,
    coalesce(l.count_leads, 0) as count_leads,
    coalesce(d.count_deals, 0) as count_deals
from seen
left join source_motion as sm on seen.source = sm.source
left join lead_counts as l on seen.source = l.source
left join deal_counts as d on seen.source = d.source
order by count_leads desc, seen.source;

-- name: filter_options
-- One row per filter dimension and value present in the data (for the sidebar filters): the
-- values the refresh keeps (migration 024, filter_values_now), not a scan of every record.
select dimension, value
from kept_filter_values
order by dimension, value;

-- name: keep_sidebar_answers
-- Not a read (six statements): keeps the sidebar's filter values and the lead and deal
-- readiness counts (migration 024) as the records now are. The end of every refresh, after
-- the statements that set inherited sources, segments and regions.
delete from kept_filter_values;
insert into kept_filter_values select * from filter_values_now();
delete from kept_lead_readiness;
insert into kept_lead_readiness select * from lead_readiness_now();
delete from kept_deal_source_readiness;
insert into kept_deal_source_readiness select * from deal_source_readiness_now();

-- name: keep_period_facts
-- Not a read (twenty-two statements): keeps the headline's period facts (migration 025) as the
-- records now are. In the refresh after the statements that set inherited sources, segments,
-- regions and accounts, and the deals left out.
delete from kept_lead_days;
insert into kept_lead_days select * from lead_days_now() order by day;
delete from kept_lead_months;
insert into kept_lead_months select * from lead_months_now() order by month;
delete from kept_lead_totals;
insert into kept_lead_totals select * from lead_totals_now();
delete from kept_activity_range;
insert into kept_activity_range select * from activity_range_now();
delete from kept_deal_days;
insert into kept_deal_days select * from deal_days_now() order by day;
delete from kept_deal_months;
insert into kept_deal_months select * from deal_months_now() order by month;
delete from kept_won_cycles;
insert into kept_won_cycles select * from won_cycles_now() order by day;
delete from kept_first_wins;
insert into kept_first_wins select * from first_wins_now() order by first_closed_at;
delete from kept_customer_firsts;
insert into kept_customer_firsts select * from customer_firsts_now() order by first_closed_at;
delete from kept_deal_totals;
insert into kept_deal_totals select * from deal_totals_now();
delete from kept_irregular_deals;
insert into kept_irregular_deals select * from irregular_deals_now();

-- name: data_date_range
-- One row: the first and last day with any lead, deal or spend in the workspace (first_day,
-- last_day), and the first and last day with a lead or a deal (first_activity_day,
-- last_activity_day: the days the default period is chosen from; spend alone is no activity).
-- The activity days are kept by the refresh (migration 025: a scan of every lead and deal).
with
activity as (
    select
        max(first_activity_day) as first_activity_day,
        max(last_activity_day) as last_activity_day
    from kept_activity_range
)

select
    least(first_activity_day, (select min(spent_on) from spend))::date as first_day,
    greatest(last_activity_day, (select max(spent_on) from spend))::date as last_day,
    first_activity_day,
    last_activity_day
from activity;

-- name: table_counts
-- One row per contract table with its row count (Data page summary).
select 'leads' as table_name, count(*) as count_rows from raw_leads
union all select 'deals', count(*) from raw_deals
union all select 'campaigns', count(*) from campaigns
union all select 'spend', count(*) from spend
union all select 'source_motion', count(*) from source_motion
union all select 'imports', count(*) from imports
union all select 'accounts', count(*) from accounts
union all select 'reps', count(*) from sales_reps
union all select 'products', count(*) from products
union all select 'touches', count(*) from touches;

-- name: assign_lead_keys
-- Not a read: gives each lead without a lead_key (migration 013) the next numbers above every
-- key in raw_leads and replaced_leads. First of the refresh_lead_facts statements.
update raw_leads
set lead_key = numbered.lead_key
from (
    select
        lead_id,
        (
            coalesce(
                (
                    select max(lead_key)
                    from (
                        select lead_key from raw_leads
                        union all
                        select lead_key from replaced_leads
                    )
                ),
                0
            )
            + row_number() over (order by lead_id)
        )::integer as lead_key
    from raw_leads
    where lead_key is null
) as numbered
where raw_leads.lead_id = numbered.lead_id and raw_leads.lead_key is null;

-- name: point_deals_to_lead_keys
-- Not a read: sets each deal's lead_key to its lead's (null when it names no lead the workspace
-- holds), on the deals where it differs. A deal finds its lead by the lead id it carries, else
-- by the lead whose converted-opportunity id is the deal's id (Salesforce), else by the
-- contact's e-mail (case folded); the lowest key wins when several leads match. Second of the
-- refresh_lead_facts statements.
with
by_conversion as (
    select
        converted_deal_id,
        min(lead_key) as lead_key
    from raw_leads
    where converted_deal_id is not null
    group by converted_deal_id
),

deal_emails as (
    select distinct lower(contact_email) as email
    from raw_deals
    where contact_email is not null
),

by_email as (
    select
        lower(raw_leads.email) as email,
        min(raw_leads.lead_key) as lead_key
    from raw_leads
    where raw_leads.email is not null and lower(raw_leads.email) in (select email from deal_emails)
    group by lower(raw_leads.email)
)

update raw_deals
set lead_key = pointed.lead_key
from (
    select
        raw_deals.deal_id,
        coalesce(by_id.lead_key, by_conversion.lead_key, by_email.lead_key) as lead_key
    from raw_deals
    left join raw_leads as by_id on raw_deals.lead_id = by_id.lead_id
    left join by_conversion on raw_deals.deal_id = by_conversion.converted_deal_id
    left join by_email on lower(raw_deals.contact_email) = by_email.email
    where
        raw_deals.lead_key
        is distinct from coalesce(by_id.lead_key, by_conversion.lead_key, by_email.lead_key)
) as pointed
where raw_deals.deal_id = pointed.deal_id;

-- name: refresh_lead_facts
-- Not a read: sets each lead's deal facts (deal_count, won_deal_count, first_deal_at,
-- first_won_at; see migration 011) from raw_deals, on the leads whose facts changed only.
-- Run at the end of every transaction that writes raw_leads or raw_deals, after the keys are
-- set (the deals are matched to their leads by the integer lead_key). Comparing every lead is
-- cheaper than tracking which ones an import touched, and cannot drift. A deal left out of
-- every figure (is_excluded, migration 016) is no deal of its lead, as in `deals`.
update raw_leads
set
    deal_count = changed.deal_count,
    won_deal_count = changed.won_deal_count,
    first_deal_at = changed.first_deal_at,
    first_won_at = changed.first_won_at
from (
    select
        raw_leads.lead_key,
        coalesce(per_lead.deal_count, 0) as deal_count,
        coalesce(per_lead.won_deal_count, 0) as won_deal_count,
        per_lead.first_deal_at,
        per_lead.first_won_at
    from raw_leads
    left join (
        select
            lead_key,
            count(*) as deal_count,
            count(*) filter (where outcome = 'won') as won_deal_count,
            min(created_at) as first_deal_at,
            min(closed_at) filter (where outcome = 'won') as first_won_at
        from raw_deals
        where
            lead_key is not null
            and is_excluded is not true
        group by lead_key
    ) as per_lead on raw_leads.lead_key = per_lead.lead_key
    where
        raw_leads.deal_count is distinct from coalesce(per_lead.deal_count, 0)
        or raw_leads.won_deal_count is distinct from coalesce(per_lead.won_deal_count, 0)
        or raw_leads.first_deal_at is distinct from per_lead.first_deal_at
        or raw_leads.first_won_at is distinct from per_lead.first_won_at
) as changed
where raw_leads.lead_key = changed.lead_key

-- name: link_work
-- One row: which of the inheriting refresh statements can change anything (each is skipped
-- when not: a first import of a million deals with no accounts or team pays nothing for them).
with
-- each EXISTS a one-row part of its own (LIMIT 1 stops at the first match), stacked by name and
-- folded: one aggregate over a union instead of eight subqueries joined, whose join order cost
-- more to plan than the checks cost to run
found as (
    select any_value(columns(*)) from (
        (select true as leads from raw_leads limit 1)
        union all by name
        (select true as deals_with_lead_key from raw_deals where lead_key is not null limit 1)
        union all by name
        (
            select true as deals_to_source
            from raw_deals
            where source is null or source_origin is not null
            limit 1
        )
        union all by name
        (select true as accounts from accounts limit 1)
        union all by name
        (select true as reps from sales_reps limit 1)
        union all by name
        (
            select true as deals_to_account
            from raw_deals
            where
                account_origin is not null
                or segment_origin is not null
                or region_origin is not null
                or (account is null and account_id is not null)
            limit 1
        )
        union all by name
        (
            select true as leads_to_account
            from raw_leads
            where segment_origin is not null or region_origin is not null
            limit 1
        )
    )
)

select
    coalesce(leads, false) or coalesce(deals_with_lead_key, false) as deal_leads,
    coalesce(deals_to_source, false) as deal_sources,
    coalesce(accounts, false) or coalesce(reps, false) or coalesce(deals_to_account, false)
        as deal_accounts,
    coalesce(accounts, false) or coalesce(leads_to_account, false) as lead_accounts
from found;

-- name: inherit_deal_sources
-- Not a read: a deal without a source of its own takes its lead's source (source_origin
-- 'lead'), else, when the workspace's deal_source_rule says so, one made from a column of the
-- deal ('deal_type': "Type: <type>") or its owner's role in sales_reps ('rep_role': "Rep role:
-- <role>"; origin 'rule'); a deal with neither keeps no source. Only deals with no own source
-- are read (the candidates, joined to just their leads: 5 ms instead of 130 ms when none at 5M
-- leads), and only those whose inherited value changed are written (migration 014).
update raw_deals
set
    source = linked.source,
    source_origin = linked.source_origin
from (
    with
    candidates as materialized (
        select
            deal_id,
            lead_key,
            owner,
            deal_type,
            source,
            source_origin
        from raw_deals
        where source is null or source_origin is not null
    ),

    lead_sources as (
        select
            lead_key,
            source
        from raw_leads
        where lead_key in (select lead_key from candidates)
    ),

    rule as (select any_value(value) as value from settings where key = 'deal_source_rule'),

    reps as (select owner_key, role from rep_keys where role is not null)

    select
        c.deal_id,
        coalesce(
            l.source,
            case rule.value
                when 'deal_type' then 'Type: ' || c.deal_type
                when 'rep_role' then 'Rep role: ' || reps.role
            end
        ) as source,
        case
            when l.source is not null then 'lead'
            when
                (rule.value = 'deal_type' and c.deal_type is not null)
                or (rule.value = 'rep_role' and reps.role is not null)
                then 'rule'
        end as source_origin,
        c.source as old_source,
        c.source_origin as old_origin
    from candidates as c
    cross join rule
    left join lead_sources as l on c.lead_key = l.lead_key
    left join reps on c.owner = reps.owner_key
) as linked
where
    raw_deals.deal_id = linked.deal_id
    and (
        linked.old_source is distinct from linked.source
        or linked.old_origin is distinct from linked.source_origin
    );

-- name: inherit_deal_accounts
-- Not a read: a deal linked to an account (by account id, or by its account text as an id or a
-- name) takes the account's name when it has only the id, and the account's segment (else its
-- industry) and region (else its country) where it has none of its own; origin 'account'. A
-- deal with no region then takes its owner's region in the sales team (origin 'rep'; Maven's
-- regional offices). Migration 014. Values the file gave are never overwritten.
update raw_deals
set
    account = linked.account,
    account_origin = linked.account_origin,
    segment = linked.segment,
    segment_origin = linked.segment_origin,
    region = linked.region,
    region_origin = linked.region_origin
from (
    select
        d.deal_id,
        kept_or_linked(d.account, d.account_origin, coalesce(a.name, d.account_id)) as account,
        origin_mark(
            d.account,
            d.account_origin,
            coalesce(a.name, d.account_id),
            case when a.name is not null then 'account' else 'id' end
        ) as account_origin,
        kept_or_linked(d.segment, d.segment_origin, a.segment) as segment,
        origin_mark(d.segment, d.segment_origin, a.segment, 'account') as segment_origin,
        kept_or_linked(d.region, d.region_origin, coalesce(a.region, reps.region)) as region,
        origin_mark(
            d.region,
            d.region_origin,
            coalesce(a.region, reps.region),
            case when a.region is not null then 'account' else 'rep' end
        ) as region_origin
    from raw_deals as d
    left join account_keys as a
        on a.match_key = coalesce(d.account_id, case when d.account_origin is null then d.account end)
    left join rep_keys as reps on d.owner = reps.owner_key
    where
        d.account_origin is not null or d.segment_origin is not null
        or d.region_origin is not null
        or (d.account is null and d.account_id is not null)
        -- with no accounts and no team there is nothing to take (a first deals import: 1M
        -- deals without segment or region cost 230 ms to compare for nothing)
        or (
            (d.segment is null or d.region is null)
            and coalesce(d.account_id, d.account) is not null
            and exists (select 1 from accounts)
        )
        or (d.region is null and d.owner is not null and exists (select 1 from sales_reps))
) as linked
where
    raw_deals.deal_id = linked.deal_id
    and (
        raw_deals.account is distinct from linked.account
        or raw_deals.account_origin is distinct from linked.account_origin
        or raw_deals.segment is distinct from linked.segment
        or raw_deals.segment_origin is distinct from linked.segment_origin
        or raw_deals.region is distinct from linked.region
        or raw_deals.region_origin is distinct from linked.region_origin
    );

-- name: inherit_lead_accounts
-- Not a read: a lead whose account (company) is an account's id or name takes the account's
-- segment (else industry) and region (else country) where it has none of its own; origin
-- 'account' (migration 014).
update raw_leads
set
    segment = linked.segment,
    segment_origin = linked.segment_origin,
    region = linked.region,
    region_origin = linked.region_origin
from (
    select
        l.lead_id,
        kept_or_linked(l.segment, l.segment_origin, a.segment) as segment,
        origin_mark(l.segment, l.segment_origin, a.segment, 'account') as segment_origin,
        kept_or_linked(l.region, l.region_origin, a.region) as region,
        origin_mark(l.region, l.region_origin, a.region, 'account') as region_origin
    from raw_leads as l
    left join account_keys as a on l.account = a.match_key
    where
        l.segment_origin is not null or l.region_origin is not null
        or (
            (l.segment is null or l.region is null)
            and l.account is not null
            and exists (select 1 from accounts)
        )
) as linked
where
    raw_leads.lead_id = linked.lead_id
    and (
        raw_leads.segment is distinct from linked.segment
        or raw_leads.segment_origin is distinct from linked.segment_origin
        or raw_leads.region is distinct from linked.region
        or raw_leads.region_origin is distinct from linked.region_origin
    );

-- name: touch_fact_keyed
-- One row: whether the kept touch facts (migrations 022, 023) carry path keys made by this
-- DuckDB (hash() may change between its versions): if not, the next refresh rebuilds every
-- path whatever the writer noted.
select coalesce(any_value(keyed_by) = version(), false) as keyed
from touch_fact_stamps;

-- name: touch_fact_changes_table
-- Not a read: the temp table in which a writer notes, inside its transaction, the leads (lead
-- paths, and the paths of their deals) and deals whose touch-fact inputs it wrote; the refresh
-- that ends the transaction rebuilds their paths and drops it.
create temp table if not exists touch_fact_changes (lead_id varchar, deal_id varchar);

-- name: touch_fact_noted
-- One row: whether a writer noted anything in touch_fact_changes in this transaction (noted),
-- and whether it noted more than 10,000 leads and deals and a tenth of them (most): then a
-- rebuild of every path costs less than copying the rows of theirs (a replace import of the
-- deals).
with noted as (
    select count(distinct lead_id) + count(distinct deal_id) as count_noted
    from touch_fact_changes
)

select
    count_noted > 0 as noted,
    count_noted > 10000
    and count_noted * 10 > (select count(*) from raw_leads) + (select count(*) from raw_deals)
        as most
from noted;

-- name: note_touch_changes
-- Not a read: notes the leads of the touches import $import_id loaded and of those it replaced
-- (after the import writes, or before its undo removes them: the same rows either way).
insert into touch_fact_changes
select lead_id, null from touches where import_id = $import_id and lead_id is not null
union all
select lead_id, null from replaced_touches where replaced_by = $import_id and lead_id is not null;

-- name: note_lead_changes
-- Not a read: notes the leads import $import_id loaded and those it replaced.
insert into touch_fact_changes
select lead_id, null from raw_leads where import_id = $import_id
union all
select lead_id, null from replaced_leads where replaced_by = $import_id;

-- name: note_deal_changes
-- Not a read: notes the deals import $import_id loaded and those it replaced.
insert into touch_fact_changes
select null, deal_id from raw_deals where import_id = $import_id
union all
select null, deal_id from replaced_deals where replaced_by = $import_id;

-- name: note_changed_ids
-- Not a read: notes the leads $lead_ids and deals $deal_ids a writer other than an import
-- changed (queries/workspace.py, note_changes).
insert into touch_fact_changes
select unnest($lead_ids::varchar []), null
union all
select null, unnest($deal_ids::varchar []);

-- name: keep_derived_deal_inputs
-- Not a read: keeps, before the refresh flags excluded deals and hands leads' sources on, the
-- two touch-fact inputs it may change of the deals it may change them on (a source that is
-- none or inherited; an exclusion set or to be set): note_derived_deal_changes compares.
create or replace temp table touch_fact_deal_inputs as
select deal_id, source, is_excluded
from raw_deals
where
    source is null
    or source_origin is not null
    or is_excluded is not null
    or deal_id in (select deal_id from deal_exclusions);

-- name: note_derived_deal_changes
-- Not a read (two statements): notes the deals whose inherited source or exclusion the refresh
-- changed (against keep_derived_deal_inputs).
insert into touch_fact_changes
select null, d.deal_id
from touch_fact_deal_inputs as b
inner join raw_deals as d on b.deal_id = d.deal_id
where d.source is distinct from b.source or d.is_excluded is distinct from b.is_excluded;

drop table touch_fact_deal_inputs;

-- name: touch_fact_scope_all
-- Not a read (four statements): every path is stale (a sample load, a writer that does not
-- say, most paths noted, keys missing or made by another DuckDB): the rebuild reads the whole
-- tables.
delete from touch_facts;

create or replace temp view touch_fact_leads as select rowid as path_id, * from raw_leads;

create or replace temp view touch_fact_lead_dates as select lead_id, created_at from raw_leads;

create or replace temp view touch_fact_deals as select rowid as path_id, * from raw_deals;

create or replace temp view touch_fact_touches as select * from touches;

-- name: touch_fact_scope_noted
-- Not a read (several statements): the paths of what touch_fact_changes notes are stale — the
-- lead paths of its leads, the deal paths of its deals and of its leads' deals. Their rows are
-- deleted (by path_key: hash(is_deal, id), migration 023) and the rebuild reads copies of just
-- their deals, their leads (and their deals' leads' creation) and their leads' touches: one
-- scan of each table, of the columns the paths read only (the semi-joins filter after the
-- scan: every column named is read in full).
create or replace temp table touch_fact_lead_ids as
select distinct lead_id from touch_fact_changes where lead_id is not null;

create or replace temp table touch_fact_deal_rows as
select
    rowid as path_id,
    deal_id,
    lead_id,
    campaign_id,
    source,
    created_at,
    closed_at,
    amount,
    outcome,
    is_excluded
from raw_deals
where
    deal_id in (select deal_id from touch_fact_changes where deal_id is not null)
    or lead_id in (select lead_id from touch_fact_lead_ids);

create or replace temp table touch_fact_lead_rows as
select
    rowid as path_id,
    lead_id,
    created_at,
    campaign_id,
    source,
    mql_at,
    lead_score,
    sql_at,
    lead_id in (select lead_id from touch_fact_lead_ids) as is_stale
from raw_leads
where
    lead_id in (
        select lead_id from touch_fact_lead_ids
        union
        select lead_id from touch_fact_deal_rows
    );

create or replace temp table touch_fact_touches_rows as
select
    touch_id,
    lead_id,
    campaign_id,
    channel,
    touched_at
from touches
where
    lead_id in (
        select lead_id from touch_fact_lead_ids
        union
        select lead_id from touch_fact_deal_rows
    );

create or replace temp view touch_fact_leads as
select * exclude (is_stale) from touch_fact_lead_rows where is_stale;

create or replace temp view touch_fact_lead_dates as
select lead_id, created_at from touch_fact_lead_rows;

create or replace temp view touch_fact_deals as select * from touch_fact_deal_rows;

create or replace temp view touch_fact_touches as select * from touch_fact_touches_rows;

delete from touch_facts
where
    path_key in (
        select hash(false, lead_id) from touch_fact_lead_ids
        union all
        select hash(true, deal_id) from touch_fact_changes where deal_id is not null
        union all
        select hash(true, deal_id) from touch_fact_deal_rows
    );

-- name: refresh_lead_touch_facts
-- Not a read (two statements): builds the touch facts of the stale leads' own paths (migration
-- 022; touch_fact_leads and touch_fact_touches: the scope the refresh set) — the lead's
-- touches up to its creation, else one from its record (its campaign_id and source, at its
-- creation) — numbering first any campaign and channel pair not yet in touch_groups. A lead's
-- creation is its lead touch: every touch of its path comes up to it, so the last is the
-- lead-creation touch. Time decay is kept at the half-life of touch_fact_stamps (7 days,
-- planning/attribution.py's default); path_ages serve any other.
insert into touch_groups
select
    coalesce((select max(group_id) from touch_groups), 0) + row_number() over ()::integer,
    campaign_id,
    channel,
    channel_rule
from (
    select campaign_id, channel, 1::utinyint as channel_rule from touch_fact_touches
    union
    select campaign_id, source, 0::utinyint from touch_fact_leads where created_at is not null
    except
    select campaign_id, channel, channel_rule from touch_groups
);

insert into touch_facts by name
with
paths as (
    select
        path_id,
        hash(false, lead_id) as path_key,
        lead_id,
        created_at,
        campaign_id,
        source,
        mql_at,
        lead_score,
        sql_at
    from touch_fact_leads
    where created_at is not null
),

path_touches as (
    select
        p.path_id,
        p.path_key,
        t.touch_id,
        case when t.touch_id is null then p.campaign_id else t.campaign_id end as campaign_id,
        case when t.touch_id is null then p.source else t.channel end as channel,
        case when t.touch_id is null then 0 else 1 end::utinyint as channel_rule,
        coalesce(t.touched_at, p.created_at) as touched_at,
        p.created_at as converted_at,
        p.mql_at,
        p.lead_score,
        p.sql_at,
        greatest(epoch(p.created_at) - epoch(coalesce(t.touched_at, p.created_at)), 0) / 86400
            as age_days
    from paths as p
    left join touch_fact_touches as t on p.lead_id = t.lead_id and t.touched_at <= p.created_at
)

select
    false as is_deal,
    t.path_key,
    g.group_id,
    (row_number() over lead_path - 1)::uinteger as touch_order,
    (count(*) over lead_path_all)::uinteger as count_touches,
    (count(*) over lead_path_all - 1)::integer as lead_order,
    t.converted_at,
    pow(2.0, -least(t.age_days / 7.0, 1000))
    / sum(pow(2.0, -least(t.age_days / 7.0, 1000))) over lead_path_all as w_decay,
    7.0 as decay_half_life,
    -- oldest first: the path's order (ties in time have the same age)
    case
        when count(*) over lead_path_all > 1
            then list_sort(list(t.age_days) over lead_path_all, 'desc')
    end as path_ages,
    t.mql_at,
    t.lead_score,
    t.sql_at
from path_touches as t
inner join touch_groups as g
    on
        t.campaign_id is not distinct from g.campaign_id
        and t.channel is not distinct from g.channel
        and t.channel_rule = g.channel_rule
-- an ordered window for the rank only: aggregates over an ordered window are ordered
-- aggregates, ~1,000x slower here
window
    lead_path as (partition by t.path_id order by t.touched_at, t.touch_id),
    lead_path_all as (partition by t.path_id);

-- name: refresh_deal_touch_facts
-- Not a read (two statements): builds the touch facts of the stale deals' paths (migration
-- 022; touch_fact_deals and touch_fact_touches: the scope the refresh set): a deal counted in
-- the figures (not is_excluded, migration 016) with a created date, else a closed date (its
-- opening), and the touches of its lead up to that opening, else one from its record (its
-- campaign_id and, channel, its campaign's channel else its source; rule 2). The
-- lead-creation touch is the last touch up to its lead's creation (none: null).
insert into touch_groups
select
    coalesce((select max(group_id) from touch_groups), 0) + row_number() over ()::integer,
    campaign_id,
    channel,
    channel_rule
from (
    select campaign_id, channel, 1::utinyint as channel_rule from touch_fact_touches
    union
    select campaign_id, source, 2::utinyint from touch_fact_deals
    except
    select campaign_id, channel, channel_rule from touch_groups
);

insert into touch_facts by name
with
paths as (
    select
        d.path_id,
        hash(true, d.deal_id) as path_key,
        d.lead_id,
        d.campaign_id,
        d.source,
        l.created_at as lead_created_at,
        coalesce(d.created_at, d.closed_at) as opened_at,
        coalesce(d.amount, 0)::double as amount,
        case when d.outcome = 'won' then d.closed_at end as won_at
    from touch_fact_deals as d
    left join touch_fact_lead_dates as l on d.lead_id = l.lead_id
    where d.is_excluded is not true and coalesce(d.created_at, d.closed_at) is not null
),

path_touches as (
    select
        p.path_id,
        p.path_key,
        t.touch_id,
        case when t.touch_id is null then p.campaign_id else t.campaign_id end as campaign_id,
        case when t.touch_id is null then p.source else t.channel end as channel,
        case when t.touch_id is null then 2 else 1 end::utinyint as channel_rule,
        coalesce(t.touched_at, p.opened_at) as touched_at,
        p.lead_created_at,
        p.opened_at as converted_at,
        p.amount,
        p.won_at,
        greatest(epoch(p.opened_at) - epoch(coalesce(t.touched_at, p.opened_at)), 0) / 86400
            as age_days
    from paths as p
    left join touch_fact_touches as t on p.lead_id = t.lead_id and t.touched_at <= p.opened_at
)

select
    true as is_deal,
    t.path_key,
    g.group_id,
    (row_number() over deal_path - 1)::uinteger as touch_order,
    (count(*) over deal_path_all)::uinteger as count_touches,
    -- the touches up to the lead's creation come first in time order: the last of them is the
    -- lead-creation touch
    (nullif(count(*) filter (where t.touched_at <= t.lead_created_at) over deal_path_all, 0) - 1)
    ::integer as lead_order,
    t.converted_at,
    pow(2.0, -least(t.age_days / 7.0, 1000))
    / sum(pow(2.0, -least(t.age_days / 7.0, 1000))) over deal_path_all as w_decay,
    7.0 as decay_half_life,
    -- oldest first: the path's order (ties in time have the same age)
    case
        when count(*) over deal_path_all > 1
            then list_sort(list(t.age_days) over deal_path_all, 'desc')
    end as path_ages,
    t.amount,
    t.won_at
from path_touches as t
inner join touch_groups as g
    on
        t.campaign_id is not distinct from g.campaign_id
        and t.channel is not distinct from g.channel
        and t.channel_rule = g.channel_rule
-- an ordered window for the rank only: aggregates over an ordered window are ordered
-- aggregates, ~1,000x slower here
window
    deal_path as (partition by t.path_id order by t.touched_at, t.touch_id),
    deal_path_all as (partition by t.path_id);

-- name: stamp_touch_facts
-- Not a read: after a rebuild of every path, records that the keys are this DuckDB's
-- (touch_fact_keyed); the 022 fingerprints are no longer kept (null).
merge into touch_fact_stamps as k
using (select 1 as one) as n
on true
when matched then update set
    touch_fp = null,
    lead_fp = null,
    lead_link_fp = null,
    deal_fp = null,
    keyed_by = version()
when not matched then insert (half_life_days, keyed_by) values (7.0, version());

-- name: touch_fact_scope_done
-- Not a read: drops what the refresh and the writer's notes left in the session (temp tables
-- and views), so that the next transaction of this cursor starts with nothing noted.
drop view if exists touch_fact_leads;
drop view if exists touch_fact_lead_dates;
drop view if exists touch_fact_deals;
drop view if exists touch_fact_touches;
drop table if exists touch_fact_lead_ids;
drop table if exists touch_fact_deal_rows;
drop table if exists touch_fact_lead_rows;
drop table if exists touch_fact_touches_rows;
drop table if exists touch_fact_changes;

-- name: keep_touch_places
-- Not a read (two statements): keeps the touch facts summed per place in a path (migration 028,
-- read by attribution_credit) as the facts now are. The end of every refresh that rebuilt
-- touch facts (refresh_touch_facts in queries/workspace.py).
delete from kept_touch_places;
insert into kept_touch_places select * from touch_places_now();

-- name: keep_data_answers
-- Not a read (ten statements): keeps what the Data page reports of the whole workspace
-- (migration 032) as the records now are: leads per source, deals per source and link flags,
-- the deals' owners, leads and deals per month, the median amounts of won and open deals. In
-- the refresh after keep_funnel_days, whose counts say whether these are fresh.
delete from kept_lead_sources;
insert into kept_lead_sources select * from lead_sources_now();
delete from kept_deal_link_groups;
insert into kept_deal_link_groups select * from deal_link_groups_now();
delete from kept_deal_owners;
insert into kept_deal_owners select * from deal_owners_now();
delete from kept_record_months;
insert into kept_record_months select * from record_months_now() order by table_name, month;
delete from kept_deal_medians;
insert into kept_deal_medians select * from deal_medians_now();

-- name: keep_cohort_wins
-- Not a read (four statements): keeps the won deals of each day's leads (migration 033: their
-- won amount per closing month, and the leads' first wins per month) as the records now are,
-- for lead_cohort_wins. In the refresh after the statements that key leads and deals and flag
-- the deals left out. Ordered by day, so a period reads its days' row groups only.
delete from kept_cohort_amounts;
insert into kept_cohort_amounts select * from cohort_amounts_now() order by created_day;
delete from kept_cohort_firsts;
insert into kept_cohort_firsts select * from cohort_firsts_now() order by created_day;

-- name: keep_channel_deal_days
-- Not a read (two statements): keeps the deals created and won per day and channel (migration
-- 034) as the records now are, for the 4P promotion table. In the refresh after the statements
-- that key leads and deals and flag the deals left out. Ordered by day, so a period reads its
-- days' row groups only.
delete from kept_channel_deal_days;
insert into kept_channel_deal_days select * from channel_deal_days_now() order by day;

-- name: keep_channel_lags
-- Not a read (four statements): keeps the campaign channels' median lags with every record
-- counted (migration 035), the last day of the records and the campaigns' fingerprint, for
-- the calendar's forecast. In the refresh after the statements that key leads and deals and
-- flag the deals left out.
delete from kept_channel_lags;
insert into kept_channel_lags select * from channel_lags_at('infinity'::date);
delete from kept_channel_lags_stamp;
insert into kept_channel_lags_stamp select * from channel_lags_stamp_now();

-- name: keep_lead_score_months
-- Not a read (two statements): keeps the scored leads counted per month of creation, source,
-- segment, region, score and won flag (migration 036) as the leads now are, for the Funnel's
-- lead-score tab. In the refresh after the lead facts (the won flag is theirs).
delete from kept_lead_score_months;
insert into kept_lead_score_months select * from lead_score_months_now() order by month;

-- name: keep_step_durations
-- Not a read (two statements): keeps one row per completed funnel step (migration 037: its day,
-- source, segment, region, step and seconds) as the records now are, for the Funnel's velocity
-- tab. In the refresh after the lead facts (a lead's first deal is theirs) and the flags of the
-- deals left out. Ordered by day, so a period reads its days' row groups only.
delete from kept_step_durations;
insert into kept_step_durations select * from step_durations_now() order by day;

-- name: keep_funnel_days
-- Not a read (six statements): keeps the leads and the closed deals counted per day (migration
-- 026) as the records now are, for the Funnel's data checks, and how many leads and deals
-- they were counted from. In the refresh after the statements that flag the excluded deals
-- and set inherited sources, segments and regions.
delete from kept_funnel_lead_days;
insert into kept_funnel_lead_days select * from funnel_lead_days_now();
delete from kept_closed_deal_days;
insert into kept_closed_deal_days select * from closed_deal_days_now();
delete from kept_funnel_day_counts;
-- no row in a workspace without a lead or a deal: a new workspace holds nothing a copy into it
-- would replace (the checks then read the records, which is as quick)
insert into kept_funnel_day_counts
select leads, deals
from (select (select count(*) from raw_leads) as leads, (select count(*) from raw_deals) as deals)
where leads + deals > 0;
