-- name: campaign_calendar
-- One row per campaign running on at least one day of $date_from..$date_to (inclusive) and aimed
-- at one of $segments (a campaign without a segment is aimed at all): its plan, the motion of its
-- channel (through source_motion), its spend recorded up to $as_of, and the spend a linear
-- pacing of its budget would have reached by $as_of.
with
chosen_campaigns as (
    select *
    from campaigns
    where
        start_date <= $date_to
        and end_date >= $date_from
        and (segment is null or matches_filter($segments, segment))
),

campaign_spend as (
    select
        campaign_id,
        sum(amount)::double as spend_to_date
    from spend
    where campaign_id is not null and spent_on <= $as_of
    group by campaign_id
),

planned as (
    select
        c.*,
        -- days of the flight elapsed by $as_of, both ends included, between 0 and all of them
        greatest(0, least(c.end_date - c.start_date + 1, $as_of::date - c.start_date + 1))
            as count_days_elapsed,
        c.end_date - c.start_date + 1 as count_days
    from chosen_campaigns as c
)

select
    p.campaign_id,
    p.name,
    p.channel,
    p.objective,
    p.start_date,
    p.end_date,
    p.budget::double as budget,
    p.status,
    p.owner,
    p.segment,
    coalesce(sm.motion, 'unmapped') as motion,
    coalesce(cs.spend_to_date, 0) as spend_to_date,
    p.budget::double * p.count_days_elapsed / p.count_days as planned_to_date,
    coalesce(cs.spend_to_date, 0) > coalesce(p.budget, 0) as is_over_budget,
    p.count_days,
    p.count_days_elapsed
from planned as p
left join source_motion as sm on p.channel = sm.source
left join campaign_spend as cs on p.campaign_id = cs.campaign_id
order by p.start_date, p.campaign_id;

-- name: campaign_budget_by_channel_month
-- One row per channel and month of $date_from..$date_to: the budget of the campaigns chosen as
-- in campaign_calendar planned for that month (each budget spread evenly over its campaign's
-- days) and the spend recorded against those campaigns in that month.
with
chosen_campaigns as (
    select *
    from campaigns
    where
        start_date <= $date_to
        and end_date >= $date_from
        and (segment is null or matches_filter($segments, segment))
),

campaign_months as (
    select
        campaign_id,
        channel,
        budget::double as budget,
        start_date,
        end_date,
        unnest(
            generate_series(date_trunc('month', start_date), end_date, interval 1 month)
        )::date as month
    from chosen_campaigns
),

planned_by_month as (
    select
        channel,
        month,
        sum(
            coalesce(budget, 0)
            * (least(end_date, last_day(month)) - greatest(start_date, month) + 1)
            / (end_date - start_date + 1)
        ) as planned_budget
    from campaign_months
    group by channel, month
),

spent_by_month as (
    select
        c.channel,
        date_trunc('month', s.spent_on)::date as month,
        sum(s.amount)::double as spend
    from spend as s
    inner join chosen_campaigns as c on s.campaign_id = c.campaign_id
    group by c.channel, month
),

combined as (
    select
        coalesce(p.channel, s.channel) as channel,
        coalesce(p.month, s.month) as month,
        coalesce(p.planned_budget, 0) as planned_budget,
        coalesce(s.spend, 0) as spend
    from planned_by_month as p
    full outer join spent_by_month as s on p.channel = s.channel and p.month = s.month
)

select
    channel,
    month,
    planned_budget,
    spend
from combined
where month >= date_trunc('month', $date_from::date) and month <= $date_to::date
order by channel, month;

-- name: campaign_lead_results
-- One row per campaign with leads, first touch (leads.campaign_id): leads and MQLs created up to
-- $as_of, and the campaign's spend recorded up to $as_of.
with
campaign_leads as (
    select
        campaign_id,
        count(*) as count_leads,
        count(*) filter (where mql_at is not null and mql_at < $as_of::date + 1) as count_mqls
    from leads
    where campaign_id is not null and created_at < $as_of::date + 1
    group by campaign_id
),

campaign_spend as (
    select
        campaign_id,
        sum(amount)::double as spend
    from spend
    where campaign_id is not null and spent_on <= $as_of
    group by campaign_id
)

select
    coalesce(l.campaign_id, s.campaign_id) as campaign_id,
    coalesce(l.count_leads, 0) as count_leads,
    coalesce(l.count_mqls, 0) as count_mqls,
    coalesce(s.spend, 0) as spend
from campaign_leads as l
full outer join campaign_spend as s on l.campaign_id = s.campaign_id
order by campaign_id;

-- name: journey_coverage
-- One row per calendar quarter touching $date_from..$date_to and journey stage (objective), in
-- journey order: the number of campaigns chosen as in campaign_calendar running on at least one
-- day of that quarter inside the period (0 = a gap in the customer journey).
with
chosen_campaigns as (
    select *
    from campaigns
    where
        start_date <= $date_to
        and end_date >= $date_from
        and (segment is null or matches_filter($segments, segment))
),

quarters as (
    select
        unnest(
            generate_series(
                date_trunc('quarter', $date_from::date), $date_to::date, interval 3 month
            )
        )::date as quarter_start
),

quarter_windows as (
    select
        quarter_start,
        greatest(quarter_start, $date_from::date) as window_start,
        least((quarter_start + interval 3 month)::date - 1, $date_to::date) as window_end
    from quarters
),

stages as (
    select
        unnest(['awareness', 'consideration', 'purchase', 'loyalty', 'advocacy']) as objective,
        unnest([1, 2, 3, 4, 5]) as stage_order
)

select
    q.quarter_start,
    year(q.quarter_start) || ' Q' || quarter(q.quarter_start) as quarter_label,
    st.objective,
    st.stage_order,
    count(c.campaign_id) as count_campaigns
from quarter_windows as q
cross join stages as st
left join chosen_campaigns as c
    on
        st.objective = c.objective
        and c.start_date <= q.window_end
        and c.end_date >= q.window_start
group by q.quarter_start, quarter_label, st.objective, st.stage_order
order by q.quarter_start, st.stage_order;

-- name: campaign_plan_rows
-- One row per campaign in the workspace, every planned field, for the editor (no filter).
select
    campaign_id,
    name,
    channel,
    objective,
    start_date,
    end_date,
    budget::double as budget,
    status,
    owner,
    segment,
    import_id
from campaigns
order by start_date, campaign_id;

-- name: campaign_known_values
-- One row per value a campaign field may take: kind 'channel' (the lead sources of the
-- source -> motion mapping and the channels campaigns already use) or 'segment' (the segments
-- of leads, deals and campaigns).
with
channels as (
    select source as value from source_motion
    union
    select channel from campaigns where channel is not null
),

segments as (
    select segment as value from raw_leads where segment is not null
    union
    select segment from raw_deals where segment is not null
    union
    select segment from campaigns where segment is not null
)

select
    'channel' as kind,
    value
from channels
union all
select
    'segment' as kind,
    value
from segments
order by kind, value;

-- name: campaign_last_change
-- The latest change to the plan that is not undone (zero or one row).
select
    change_id,
    changed_at,
    action,
    summary,
    campaign_ids,
    import_id
from campaign_changes
where undone_at is null
order by change_id desc
limit 1;

-- name: attribution_lead_paths
-- One row per touch on a lead's way to its creation (its touches up to created_at), for the
-- leads created up to $as_of, in time order per lead (touch_order 0, 1, ...). A lead without
-- recorded touches has one: its own campaign_id and source at its creation (single touch).
with
chosen_leads as (
    select
        lead_id,
        created_at,
        campaign_id,
        source,
        coalesce(mql_at < $as_of::date + 1, false) as is_mql,
        coalesce(sql_at < $as_of::date + 1, false) as is_sql
    from leads
    where created_at < $as_of::date + 1
),

recorded as (
    select
        l.lead_id as path_id,
        t.touch_id,
        t.campaign_id,
        t.channel,
        t.touched_at
    from touches as t
    inner join chosen_leads as l on t.lead_id = l.lead_id and t.touched_at <= l.created_at
),

from_record as (
    select
        l.lead_id as path_id,
        '' as touch_id,
        l.campaign_id,
        l.source as channel,
        l.created_at as touched_at
    from chosen_leads as l
    where not exists (select 1 from recorded as r where r.path_id = l.lead_id)
),

all_touches as (
    select * from recorded
    union all
    select * from from_record
),

ordered as (
    select
        a.*,
        row_number() over (partition by a.path_id order by a.touched_at, a.touch_id) - 1
            as touch_order,
        count(*) over (partition by a.path_id) as count_touches
    from all_touches as a
)

select
    o.path_id,
    o.touch_order,
    o.campaign_id,
    o.channel,
    o.touched_at,
    l.created_at as converted_at,
    o.touch_order = o.count_touches - 1 as is_lead_touch,
    l.is_mql,
    l.is_sql
from ordered as o
inner join chosen_leads as l on o.path_id = l.lead_id
order by o.path_id, o.touch_order;

-- name: attribution_deal_paths
-- One row per touch on a deal's way to its creation (the touches of its lead up to the deal's
-- created_at), for the deals created (or, without a created date, closed) up to $as_of, in time
-- order per deal. is_lead_touch marks the last touch up to the lead's creation; is_won and
-- won_amount count deals won up to $as_of. A deal without recorded touches has one: its own
-- campaign_id, the campaign's channel (else the deal's source), at its creation.
with
chosen_deals as (
    select
        d.deal_id,
        d.lead_id,
        d.campaign_id,
        d.source,
        coalesce(d.created_at, d.closed_at) as opened_at,
        coalesce(d.amount, 0)::double as amount,
        d.outcome = 'won' and d.closed_at < $as_of::date + 1 as is_won
    from deals as d
    where coalesce(d.created_at, d.closed_at) < $as_of::date + 1
),

recorded as (
    select
        d.deal_id as path_id,
        t.touch_id,
        t.campaign_id,
        t.channel,
        t.touched_at
    from touches as t
    inner join chosen_deals as d on t.lead_id = d.lead_id and t.touched_at <= d.opened_at
),

from_record as (
    select
        d.deal_id as path_id,
        '' as touch_id,
        d.campaign_id,
        coalesce(c.channel, d.source) as channel,
        d.opened_at as touched_at
    from chosen_deals as d
    left join campaigns as c on d.campaign_id = c.campaign_id
    where not exists (select 1 from recorded as r where r.path_id = d.deal_id)
),

all_touches as (
    select * from recorded
    union all
    select * from from_record
),

ordered as (
    select
        a.*,
        row_number() over (partition by a.path_id order by a.touched_at, a.touch_id) - 1
            as touch_order
    from all_touches as a
),

lead_touch as (
    select
        o.path_id,
        max(o.touch_order) as touch_order
    from ordered as o
    inner join chosen_deals as d on o.path_id = d.deal_id
    inner join leads as l on d.lead_id = l.lead_id
    where o.touched_at <= l.created_at
    group by o.path_id
)

select
    o.path_id,
    o.touch_order,
    o.campaign_id,
    o.channel,
    o.touched_at,
    d.opened_at as converted_at,
    lt.path_id is not null as is_lead_touch,
    d.amount,
    d.is_won,
    case when d.is_won then d.amount else 0 end as won_amount
from ordered as o
inner join chosen_deals as d on o.path_id = d.deal_id
left join lead_touch as lt on o.path_id = lt.path_id and o.touch_order = lt.touch_order
order by o.path_id, o.touch_order;

-- name: channel_campaign_history
-- One row per campaign that started up to $as_of: its channel, start and the spend recorded
-- against it up to $as_of (the history a planned campaign's forecast learns from).
with
campaign_spend as (
    select
        campaign_id,
        sum(amount)::double as spend
    from spend
    where campaign_id is not null and spent_on <= $as_of
    group by campaign_id
)

select
    c.campaign_id,
    c.channel,
    c.start_date,
    coalesce(s.spend, 0) as spend
from campaigns as c
left join campaign_spend as s on c.campaign_id = s.campaign_id
where c.start_date <= $as_of
order by c.channel, c.start_date;

-- name: campaign_outcomes_by_month
-- One row per campaign and month after its start month (month_offset 0 = the start month):
-- the amount of the deals tagged with the campaign (deals.campaign_id) created that month
-- (pipeline) and of those won that month (won), up to $as_of.
with
tagged_deals as (
    select
        d.campaign_id,
        c.start_date,
        d.created_at,
        d.closed_at,
        d.outcome,
        coalesce(d.amount, 0)::double as amount
    from deals as d
    inner join campaigns as c on d.campaign_id = c.campaign_id
),

created as (
    select
        campaign_id,
        datediff('month', start_date, created_at) as month_offset,
        sum(amount) as pipeline,
        0.0 as won
    from tagged_deals
    where created_at < $as_of::date + 1
    group by campaign_id, month_offset
),

won as (
    select
        campaign_id,
        datediff('month', start_date, closed_at) as month_offset,
        0.0 as pipeline,
        sum(amount) as won
    from tagged_deals
    where outcome = 'won' and closed_at < $as_of::date + 1
    group by campaign_id, month_offset
),

both_kinds as (
    select * from created
    union all
    select * from won
)

select
    campaign_id,
    month_offset,
    sum(pipeline) as pipeline,
    sum(won) as won
from both_kinds
where month_offset >= 0
group by campaign_id, month_offset
order by campaign_id, month_offset;

-- name: channel_lags
-- One row per channel of campaigns: median days from a campaign's start to its leads'
-- creation, from a lead's creation to its deal's, and from a deal's creation to its win
-- (leads and deals tagged with the campaign, up to $as_of).
with
lead_lags as (
    select
        c.channel,
        date_diff('second', c.start_date::timestamp, l.created_at) / 86400.0 as days
    from leads as l
    inner join campaigns as c on l.campaign_id = c.campaign_id
    where l.created_at < $as_of::date + 1
),

deal_lags as (
    select
        c.channel,
        date_diff('second', l.created_at, d.created_at) / 86400.0 as to_deal_days,
        case
            when d.outcome = 'won' and d.closed_at < $as_of::date + 1
                then date_diff('second', d.created_at, d.closed_at) / 86400.0
        end as to_won_days
    from deals as d
    inner join leads as l on d.lead_id = l.lead_id
    inner join campaigns as c on d.campaign_id = c.campaign_id
    where d.created_at < $as_of::date + 1
),

lead_medians as (
    select
        channel,
        median(days) as days_to_lead
    from lead_lags
    group by channel
),

deal_medians as (
    select
        channel,
        median(to_deal_days) as days_to_deal,
        median(to_won_days) as days_to_won
    from deal_lags
    group by channel
)

select
    lm.channel,
    lm.days_to_lead,
    dm.days_to_deal,
    dm.days_to_won
from lead_medians as lm
left join deal_medians as dm on lm.channel = dm.channel
order by lm.channel;

-- name: channel_motions
-- One row per lead source of the source -> motion mapping: the motion a channel of that name
-- belongs to (a campaign's channel and a touch's channel are read as sources).
select
    source as channel,
    motion
from source_motion
order by source;

-- name: attribution_has_multi_touch
-- One row: whether any lead created up to $as_of has two or more touches up to its creation, or
-- any deal created up to $as_of two or more touches of its lead up to the deal's creation (the
-- paths of attribution_lead_paths and attribution_deal_paths; else only single-touch models
-- apply). Counted in SQL: loading every path to answer this would not scale.
select
    exists (
        select 1
        from touches as t
        inner join raw_leads as l on t.lead_id = l.lead_id
        where t.touched_at <= l.created_at and l.created_at < $as_of::date + 1
        group by l.lead_id
        having count(*) > 1
    )
    or exists (
        select 1
        from touches as t
        inner join raw_deals as d on t.lead_id = d.lead_id
        where
            t.touched_at <= coalesce(d.created_at, d.closed_at)
            and coalesce(d.created_at, d.closed_at) < $as_of::date + 1
        group by d.deal_id
        having count(*) > 1
    ) as has_multi_touch;
