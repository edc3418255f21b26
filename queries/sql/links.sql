-- name: link_state
-- One row: how the workspace's records link up (shown after every import): deals by where their
-- motion comes from (own source, their lead's, the deal source rule, none), deals with no
-- source by why (a lead without a source, a lead the workspace lacks, no lead at all), deals
-- linked to an imported account, leads without a created date, deal owners found in the sales
-- team, touches whose lead the workspace holds.
with
deal_links as (
    select
        count(*) as deals,
        count(*) filter (where sm.motion is not null) as with_motion,
        count(*) filter (where sm.motion is not null and d.source_origin is null) as own,
        count(*) filter (where sm.motion is not null and d.source_origin = 'lead') as from_lead,
        count(*) filter (where sm.motion is not null and d.source_origin = 'rule') as from_rule,
        count(*) filter (where d.source is not null and sm.motion is null) as unmapped_source,
        count(*) filter (
            where d.source is null and d.lead_key is not null
        ) as lead_without_source,
        count(*) filter (
            where d.source is null and d.lead_key is null and d.lead_id is not null
        ) as lead_missing,
        count(*) filter (
            where d.source is null and d.lead_key is null and d.lead_id is null
        ) as orphan,
        count(*) filter (
            where d.account is not null or d.account_id is not null
        ) as with_account,
        count(*) filter (
            where
                d.account_id in (select match_key from account_keys)
                or d.account in (select match_key from account_keys)
        ) as account_linked
    from raw_deals as d
    left join source_motion as sm on d.source = sm.source
),

owners as (
    select
        count(*) as owners,
        count(*) filter (where owner in (select owner_key from rep_keys)) as owners_in_team
    from (select distinct owner from raw_deals where owner is not null)
)

select
    deal_links.*,
    (select count(*) from raw_leads) as leads,
    (select count(*) from raw_leads where created_at is null) as leads_no_date,
    (select count(*) from accounts) as accounts,
    owners.owners,
    owners.owners_in_team,
    (select count(*) from sales_reps) as reps,
    (select count(*) from touches) as touches,
    (
        select count(*) from touches
        where lead_id in (select lead_id from raw_leads)
    ) as touches_linked
from deal_links, owners;

-- name: motion_coverage
-- One row: the workspace's deals, and how many have a pull or push motion (their own source's,
-- their lead's, or the deal source rule's): the pages say so when some have none.
-- Deals are counted per source first, then the few sources looked up (every page runs it:
-- 12 ms instead of 29 ms at 1M deals).
with
per_source as (
    select
        source,
        count(*) as deals
    from raw_deals
    group by source
)

select
    coalesce(sum(per_source.deals), 0) as deals,
    coalesce(sum(per_source.deals) filter (where sm.motion is not null), 0) as with_motion
from per_source
left join source_motion as sm on per_source.source = sm.source;
