-- name: link_state
-- One row: how the workspace's records link up (shown after every import): deals by where their
-- motion comes from (own source, their lead's, the deal source rule, none), deals with no
-- source by why (a lead without a source, a lead the workspace lacks, no lead at all), deals
-- with an account, leads without a created date, deal owners found in the sales team, imported
-- touches (imported ones only: the sample's generated touches all have their lead, and
-- checking ten million of them costs a second). Deals are counted by source and link flags (a
-- few groups), then the sources looked up; the groups, the owners and the leads' dates are
-- those the refresh keeps (migrations 024, 032), unless $live asks for the records (one of the
-- two runs: the other's condition is false once the parameters are bound).
with
per_group as (
    select * from kept_deal_link_groups where not $live
    union all
    select * from deal_link_groups_now() where $live
),

deal_links as (
    select
        coalesce(sum(g.deals), 0) as deals,
        coalesce(sum(g.deals) filter (where sm.motion is not null), 0) as with_motion,
        coalesce(
            sum(g.deals) filter (where sm.motion is not null and g.source_origin is null), 0
        ) as own,
        coalesce(
            sum(g.deals) filter (where sm.motion is not null and g.source_origin = 'lead'), 0
        ) as from_lead,
        coalesce(
            sum(g.deals) filter (where sm.motion is not null and g.source_origin = 'rule'), 0
        ) as from_rule,
        coalesce(
            sum(g.deals) filter (where g.source is not null and sm.motion is null), 0
        ) as unmapped_source,
        coalesce(
            sum(g.deals) filter (where g.source is null and g.has_lead), 0
        ) as lead_without_source,
        coalesce(
            sum(g.deals) filter (where g.source is null and not g.has_lead and g.names_lead), 0
        ) as lead_missing,
        coalesce(
            sum(g.deals) filter (where g.source is null and not g.has_lead and not g.names_lead),
            0
        ) as orphan,
        coalesce(sum(g.deals) filter (where g.has_account), 0) as with_account
    from per_group as g
    left join source_motion as sm on g.source = sm.source
),

owners as (
    select
        count(*) as owners,
        count(*) filter (where owner in (select owner_key from rep_keys)) as owners_in_team
    from (
        select owner from kept_deal_owners where not $live
        union all
        select owner from deal_owners_now() where $live
    )
),

lead_dates as (
    select coalesce(sum(leads - leads_with_created), 0) as leads_no_date
    from kept_lead_readiness
    where not $live
    union all
    select count(*) from raw_leads where $live and created_at is null
)

select
    deal_links.*,
    (select count(*) from raw_leads) as leads,
    (select sum(leads_no_date) from lead_dates)::bigint as leads_no_date,
    (select count(*) from accounts) as accounts,
    owners.owners,
    owners.owners_in_team,
    (select count(*) from sales_reps) as reps,
    (select count(*) from touches where import_id is not null) as touches
from deal_links, owners;

-- name: touch_links
-- One row: the imported touches whose lead the workspace holds (asked only when there are
-- imported touches).
select count(*) as touches_linked
from touches
where import_id is not null and lead_id in (select lead_id from raw_leads);

-- name: deal_account_links
-- One row: the deals linked to an imported account, by account id or by their account text as
-- an id or a name (asked only when the workspace has accounts).
select count(*) as account_linked
from raw_deals
where
    account_id in (select match_key from account_keys)
    or account in (select match_key from account_keys);

-- name: motion_coverage
-- One row: the workspace's deals, and how many have a pull or push motion (their own source's,
-- their lead's, or the deal source rule's): the pages say so when some have none. The deals
-- per source are those the refresh keeps for the sidebar (migration 024), so only the few
-- sources are looked up.
select
    coalesce(sum(k.deals), 0) as deals,
    coalesce(sum(k.deals) filter (where sm.motion is not null), 0) as with_motion
from kept_deal_source_readiness as k
left join source_motion as sm on k.source = sm.source;

