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
    coalesce(cs.spend_to_date, 0) > coalesce(p.budget, 0) as is_over_budget
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
