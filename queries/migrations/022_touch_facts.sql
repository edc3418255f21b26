-- Migration 022: per-touch attribution facts, kept like the lead facts (migration 011).
--
-- The Campaign calendar's "Results and attribution" spread every lead and deal over its touch
-- path in one query (six models over ~10M touch rows at 5M leads: seconds and 3 GB). What a
-- touch earns under each model depends only on its place in its path, its age before the
-- conversion and the path's values; so the place is kept here, and attribution_credit
-- (queries/sql/campaigns.sql) is one grouped sum over these rows with the models' weights.
-- Flywheel sets these tables, never a file: every import, undo and sample load ends with
-- refresh_lead_facts (queries/workspace.py), which rebuilds the paths whose inputs changed
-- (touch_fact_work compares fingerprints of the touches, leads and deals with those kept).
--
-- touch_groups: one row per campaign and channel a touch of a path can carry, numbered
-- (grouping by an integer instead of two strings is 3-4x faster), with the rule that gives
-- the channel once the campaigns are known (campaigns are read at query time: editing the
-- plan must not rebuild the facts):
--   0  the lead's source as it is (a lead's path without touches, from its record)
--   1  the touch's channel, else its campaign's channel (a recorded touch)
--   2  the campaign's channel, else the deal's source (a deal's path without touches)
create table touch_groups (
    group_id integer not null,
    campaign_id varchar,
    channel varchar,
    channel_rule utinyint not null
);

-- touch_facts: one row per touch of a path. A path is a lead's touches up to its creation
-- (is_deal false), or a counted deal's lead's touches up to the deal's opening (is_deal
-- true); a path without recorded touches has one from its record.
--   touch_order    its rank in the path (0 = first), by time then touch_id
--   count_touches  the path's length (touch_order = count_touches - 1: the last touch)
--   lead_order     the rank of the path's lead-creation touch (null: none up to the lead)
--   converted_at   the conversion: the lead's creation, the deal's creation (else close)
--   w_decay        its time-decay weight at decay_half_life days (7: the default; a column,
--                  not a setting, so that a scan for another half-life skips every row group
--                  by its statistics and the default's never reads path_ages)
--   path_ages      the ages (days before the conversion) of the path's touches in order,
--                  for another half-life; null on a path of one touch (weight 1)
--   mql_at, lead_score, sql_at   a lead's (the MQL definition is applied at query time)
--   amount, won_at               a deal's amount (0 when none) and close when won
create table touch_facts (
    is_deal boolean not null,
    group_id integer not null,
    touch_order uinteger not null,
    count_touches uinteger not null,
    lead_order integer,
    converted_at timestamp not null,
    w_decay double not null,
    decay_half_life double not null,
    path_ages double[],
    mql_at timestamp,
    lead_score double,
    sql_at timestamp,
    amount double,
    won_at timestamp
);

-- touch_fact_stamps: one row, the fingerprints of the inputs the facts were built from
-- (touch_fact_work: sums of 64-bit row hashes, as decimal(38, 0) since DuckLake stores no
-- hugeint) and the half-life w_decay is kept at.
create table touch_fact_stamps (
    touch_fp decimal(38, 0),
    lead_fp decimal(38, 0),
    lead_link_fp decimal(38, 0),
    deal_fp decimal(38, 0),
    half_life_days double not null
);

-- the workspace's paths (the statements of refresh_lead_touch_facts and
-- refresh_deal_touch_facts when they shipped)
delete from touch_facts where not is_deal;

insert into touch_groups
select
    coalesce((select max(group_id) from touch_groups), 0) + row_number() over ()::integer,
    campaign_id,
    channel,
    channel_rule
from (
    select campaign_id, channel, 1::utinyint as channel_rule from touches
    union
    select campaign_id, source, 0::utinyint from raw_leads where created_at is not null
    except
    select campaign_id, channel, channel_rule from touch_groups
);

insert into touch_facts by name
with
paths as (
    select
        rowid as path_id,
        lead_id,
        created_at,
        campaign_id,
        source,
        mql_at,
        lead_score,
        sql_at
    from raw_leads
    where created_at is not null
),

path_touches as (
    select
        p.path_id,
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
    left join touches as t on p.lead_id = t.lead_id and t.touched_at <= p.created_at
)

select
    false as is_deal,
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

delete from touch_facts where is_deal;

insert into touch_groups
select
    coalesce((select max(group_id) from touch_groups), 0) + row_number() over ()::integer,
    campaign_id,
    channel,
    channel_rule
from (
    select campaign_id, channel, 1::utinyint as channel_rule from touches
    union
    select campaign_id, source, 2::utinyint from raw_deals
    except
    select campaign_id, channel, channel_rule from touch_groups
);

insert into touch_facts by name
with
paths as (
    select
        d.rowid as path_id,
        d.lead_id,
        d.campaign_id,
        d.source,
        l.created_at as lead_created_at,
        coalesce(d.created_at, d.closed_at) as opened_at,
        coalesce(d.amount, 0)::double as amount,
        case when d.outcome = 'won' then d.closed_at end as won_at
    from raw_deals as d
    left join raw_leads as l on d.lead_id = l.lead_id
    where d.is_excluded is not true and coalesce(d.created_at, d.closed_at) is not null
),

path_touches as (
    select
        p.path_id,
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
    left join touches as t on p.lead_id = t.lead_id and t.touched_at <= p.opened_at
)

select
    true as is_deal,
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

-- and the fingerprints they were built from (touch_fact_work when it shipped)
insert into touch_fact_stamps (touch_fp, lead_fp, lead_link_fp, deal_fp, half_life_days)
with
touch_fps as (
    select
        coalesce(sum(hash(touch_id, lead_id, touched_at, campaign_id, channel)::hugeint), 0)
        ::decimal(38, 0) as touch_fp
    from touches
),

lead_fps as (
    select
        coalesce(
            sum(
                hash(lead_id, created_at, campaign_id, source, mql_at, lead_score, sql_at)
                ::hugeint
            ),
            0
        )::decimal(38, 0) as lead_fp,
        coalesce(sum(hash(lead_id, created_at)::hugeint), 0)::decimal(38, 0)
            as lead_link_fp
    from raw_leads
),

deal_fps as (
    select
        coalesce(
            sum(
                hash(
                    lead_id, created_at, closed_at, campaign_id, source, amount, outcome,
                    is_excluded
                )::hugeint
            ),
            0
        )::decimal(38, 0) as deal_fp
    from raw_deals
)

select t.touch_fp, l.lead_fp, l.lead_link_fp, d.deal_fp, 7.0
from touch_fps as t
cross join lead_fps as l
cross join deal_fps as d;
