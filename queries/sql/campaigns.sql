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
-- One row per campaign with leads, first touch (leads.campaign_id): leads created up to $as_of,
-- of them the MQLs by the workspace's MQL definition ($mql_rule, $mql_threshold: the is_mql
-- macro of migration 012, as on Funnel health) whose MQL moment, coalesce(mql_at, created_at),
-- came up to $as_of, and the campaign's spend recorded up to $as_of.
with
campaign_leads as (
    select
        campaign_id,
        count(*) as count_leads,
        count(*) filter (
            where
                is_mql($mql_rule, $mql_threshold, mql_at, lead_score)
                and coalesce(mql_at, created_at) < $as_of::date + 1
        ) as count_mqls
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
-- One row per quarter touching $date_from..$date_to (quarter_start, its first day) and journey
-- stage (objective), in journey order: the number of campaigns chosen as in campaign_calendar
-- running on at least one day of that quarter inside the period (0 = a gap in the customer
-- journey). Quarters follow $fiscal_start_month (1–12, the workspace's fiscal_year_start_month;
-- 1 = calendar quarters): the first starts where the calendar quarter of $date_from shifted
-- back by ($fiscal_start_month - 1) months starts, shifted forward again (planning/fiscal.py's
-- quarter_start). queries/campaigns.py labels them.
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
                fiscal_quarter_start($date_from::date, $fiscal_start_month),
                $date_to::date,
                interval 3 month
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
group by q.quarter_start, st.objective, st.stage_order
order by q.quarter_start, st.stage_order;

-- name: campaign_count
-- One row: how many campaigns the workspace holds, whatever their dates or segments (0: none was
-- ever imported or created, the cause of every empty campaign view).
select count(*)::bigint as count_campaigns
from campaigns;

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
    import_id,
    by_user
from campaign_changes
where undone_at is null
order by change_id desc
limit 1;

-- name: campaign_spend_to_date
-- One row per campaign with spend recorded against it up to $as_of: that spend (the spend
-- column of campaign_lead_results without reading the leads).
select
    campaign_id,
    sum(amount)::double as spend
from spend
where campaign_id is not null and spent_on <= $as_of
group by campaign_id
order by campaign_id;

-- name: attribution_credit
-- One row per kind of conversion ('lead': leads created up to $as_of, credited over each lead's
-- touches up to its creation; 'deal': deals created, or without a created date closed, up to
-- $as_of, credited over the touches of the deal's lead up to the deal's creation), campaign
-- (null: touches without one), channel and attribution model: the conversions credited to those
-- touches (count_credited) and, of them, MQLs and SQLs (leads) or pipeline, won deals and won
-- revenue (deals won up to $as_of). Per path and model the weights sum to 1 (the rules of
-- planning/attribution.py, whose constants come in as $u_ends, $u_middle, $w_key, $w_others;
-- time decay halves per $half_life_days before the conversion, ages capped at 1,000 half-lives).
-- A path without recorded touches has one from its record: the lead's or deal's campaign_id and
-- source (a deal's: its campaign's channel, else its source), at its creation. Ties in time are
-- ordered by touch_id. $won_deals_only: weigh only the won deals' paths (no leads). A lead is an
-- MQL by the workspace's definition ($mql_rule, $mql_threshold, as in campaign_lead_results);
-- deals left out by the outlier setting (migration 016) earn no credit.
-- Read from the touch facts (migration 022: each touch's place in its path, kept by every
-- import): a model's weight depends only on that place, so the touches are first summed per
-- place and campaign (one pass, integer keys), then weighed per model on those few rows.
-- $use_kept (queries/campaigns.py: the as-of day on or after every date of the facts, MQL as
-- recorded, the kept half-life): those sums as kept by the refresh (migration 028) instead;
-- DuckDB folds the parameter, so the branch not taken reads nothing.
with
-- what a path carries: a lead's MQL and SQL flags, a deal's amount, won flag and won amount;
-- time decay as kept (at decay_half_life), else from the path's ages. The two branches filter
-- on the kept half-life: the statistics of the facts skip the branch that does not apply
chosen as (
    select
        is_deal,
        group_id,
        count_touches,
        touch_order,
        lead_order,
        converted_at,
        mql_at,
        lead_score,
        sql_at,
        amount,
        won_at,
        w_decay as w_time_decay
    from touch_facts
    where decay_half_life = $half_life_days
    union all
    select
        is_deal,
        group_id,
        count_touches,
        touch_order,
        lead_order,
        converted_at,
        mql_at,
        lead_score,
        sql_at,
        amount,
        won_at,
        case
            when path_ages is null then 1.0
            else
                pow(2.0, -least(path_ages[touch_order + 1] / $half_life_days, 1000))
                / list_sum(
                    list_transform(
                        path_ages, lambda age: pow(2.0, -least(age / $half_life_days, 1000))
                    )
                )
        end
    from touch_facts
    where decay_half_life <> $half_life_days
),

valued as (
    select
        is_deal,
        group_id,
        count_touches,
        touch_order,
        lead_order,
        case
            when is_deal then amount
            else
                coalesce(
                    is_mql($mql_rule, $mql_threshold, mql_at, lead_score)
                    and coalesce(mql_at, converted_at) < $as_of::date + 1,
                    false
                )::double
        end as value_1,
        coalesce(case when is_deal then won_at else sql_at end < $as_of::date + 1, false)::double
            as value_2,
        case when won_at < $as_of::date + 1 then amount else 0 end as value_3,
        w_time_decay
    from chosen
    where
        not $use_kept
        and converted_at < $as_of::date + 1
        and (not $won_deals_only or won_at < $as_of::date + 1)
),

-- one row per place in a path and group of campaign and channel: the paths' values summed
per_place as (
    -- kept: every path counted; the won deals' paths only are the won ones (value_2) with their
    -- won amount (value_3) as value_1
    select
        is_deal,
        group_id,
        count_touches,
        touch_order,
        lead_order,
        case when $won_deals_only then value_2 else count_paths end as count_paths,
        case when $won_deals_only then value_3 else value_1 end as value_1,
        value_2,
        value_3,
        case when $won_deals_only then decay_2 else decay end as decay,
        case when $won_deals_only then decay_3 else decay_1 end as decay_1,
        decay_2,
        decay_3
    from kept_touch_places
    where $use_kept and (not $won_deals_only or (is_deal and value_2 > 0))
    union all
    select
        is_deal,
        group_id,
        count_touches,
        touch_order,
        lead_order,
        count(*)::double as count_paths,
        sum(value_1) as value_1,
        sum(value_2) as value_2,
        sum(value_3) as value_3,
        sum(w_time_decay) as decay,
        sum(w_time_decay * value_1) as decay_1,
        sum(w_time_decay * value_2) as decay_2,
        sum(w_time_decay * value_3) as decay_3
    from valued
    group by is_deal, group_id, count_touches, touch_order, lead_order
),

flagged as (
    select
        *,
        touch_order = 0 as is_first,
        touch_order = count_touches - 1 as is_last,
        coalesce(touch_order = lead_order, false) as is_lead,
        lead_order is not null as has_lead,
        -- touches that are neither first, last nor the lead-creation touch (W-shaped)
        count_touches - 1 - (count_touches > 1)::int
        - coalesce(lead_order > 0 and lead_order < count_touches - 1, false)::int
            as count_others
    from per_place
),

weighted as (
    select
        f.is_deal,
        g.campaign_id,
        -- the channel: a lead's own source as it is (0), a touch's channel else its
        -- campaign's (1), a deal's campaign's channel else its source (2)
        case g.channel_rule
            when 0 then g.channel
            when 1 then coalesce(g.channel, c.channel)
            else coalesce(c.channel, g.channel)
        end as channel,
        f.count_paths,
        f.value_1,
        f.value_2,
        f.value_3,
        f.decay,
        f.decay_1,
        f.decay_2,
        f.decay_3,
        f.is_first::double as w_first_touch,
        f.is_last::double as w_last_touch,
        1.0 / f.count_touches as w_linear,
        (
            $u_ends * f.is_first::int
            + $u_ends * f.is_last::int
            + case
                when not (f.is_first or f.is_last) then $u_middle / (f.count_touches - 2) else 0
            end
        )
        / (2 * $u_ends + case when f.count_touches >= 3 then $u_middle else 0 end) as w_u_shaped,
        (
            $w_key * (f.is_first::int + f.is_lead::int + f.is_last::int)
            + case
                when not (f.is_first or f.is_last or f.is_lead) then $w_others / f.count_others
                else 0
            end
        )
        / ($w_key * (2 + f.has_lead::int) + case when f.count_others > 0 then $w_others else 0 end)
            as w_w_shaped
    from flagged as f
    inner join touch_groups as g on f.group_id = g.group_id
    left join campaigns as c
        on
            g.campaign_id = c.campaign_id
            and (g.channel_rule = 2 or (g.channel_rule = 1 and g.channel is null))
),

-- the sums per campaign and channel, every model side by side (unpivoted below)
per_group as (
    select
        is_deal,
        campaign_id,
        channel,
        sum(w_first_touch * count_paths) as credit__first_touch,
        sum(w_first_touch * value_1) as value_1__first_touch,
        sum(w_first_touch * value_2) as value_2__first_touch,
        sum(w_first_touch * value_3) as value_3__first_touch,
        sum(w_last_touch * count_paths) as credit__last_touch,
        sum(w_last_touch * value_1) as value_1__last_touch,
        sum(w_last_touch * value_2) as value_2__last_touch,
        sum(w_last_touch * value_3) as value_3__last_touch,
        sum(w_linear * count_paths) as credit__linear,
        sum(w_linear * value_1) as value_1__linear,
        sum(w_linear * value_2) as value_2__linear,
        sum(w_linear * value_3) as value_3__linear,
        sum(w_u_shaped * count_paths) as credit__u_shaped,
        sum(w_u_shaped * value_1) as value_1__u_shaped,
        sum(w_u_shaped * value_2) as value_2__u_shaped,
        sum(w_u_shaped * value_3) as value_3__u_shaped,
        sum(w_w_shaped * count_paths) as credit__w_shaped,
        sum(w_w_shaped * value_1) as value_1__w_shaped,
        sum(w_w_shaped * value_2) as value_2__w_shaped,
        sum(w_w_shaped * value_3) as value_3__w_shaped,
        sum(decay) as credit__time_decay,
        sum(decay_1) as value_1__time_decay,
        sum(decay_2) as value_2__time_decay,
        sum(decay_3) as value_3__time_decay
    from weighted
    group by is_deal, campaign_id, channel
)

select
    case when is_deal then 'deal' else 'lead' end as kind,
    campaign_id,
    channel,
    model,
    credit as count_credited,
    case when is_deal then 0 else value_1 end as count_mqls,
    case when is_deal then 0 else value_2 end as count_sqls,
    case when is_deal then value_1 else 0 end as pipeline,
    case when is_deal then value_2 else 0 end as won,
    case when is_deal then value_3 else 0 end as won_amount
from (
    unpivot per_group
    on
        (credit__first_touch, value_1__first_touch, value_2__first_touch, value_3__first_touch)
            as first_touch,
        (credit__last_touch, value_1__last_touch, value_2__last_touch, value_3__last_touch)
            as last_touch,
        (credit__linear, value_1__linear, value_2__linear, value_3__linear) as linear,
        (credit__u_shaped, value_1__u_shaped, value_2__u_shaped, value_3__u_shaped) as u_shaped,
        (credit__w_shaped, value_1__w_shaped, value_2__w_shaped, value_3__w_shaped) as w_shaped,
        (credit__time_decay, value_1__time_decay, value_2__time_decay, value_3__time_decay)
            as time_decay
    into name model value credit, value_1, value_2, value_3
)
order by kind, campaign_id, channel, model;

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
-- (leads and deals tagged with the campaign, up to $as_of; deals left out by the outlier
-- setting are not counted, as in `deals`): channel_lags_at (migration 035), or when $kept
-- (queries/campaigns.py: $as_of on or after the last day counted, the campaigns and records
-- those counted) the medians the refresh keeps with every record counted (the other part's
-- condition is false once the parameters are bound).
select channel, days_to_lead, days_to_deal, days_to_won
from channel_lags_at($as_of::date)
where not $kept
union all
select channel, days_to_lead, days_to_deal, days_to_won
from kept_channel_lags
where $kept
order by channel;

-- name: channel_lags_kept
-- One row: whether the kept channel lags (migration 035) answer channel_lags for $as_of: the
-- day on or after the last one they counted, and the campaigns those they were counted from.
select coalesce(last_day <= $as_of::date, false) and campaigns_fp = campaigns_fingerprint()
    as is_fresh
from kept_channel_lags_stamp;

-- name: channel_motions
-- One row per lead source of the source -> motion mapping: the motion a channel of that name
-- belongs to (a campaign's channel and a touch's channel are read as sources).
select
    source as channel,
    motion
from source_motion
order by source;

-- name: attribution_deal_has_multi_touch
-- One row: whether any deal created (or, without a created date, closed) up to $as_of has two or
-- more touches of its lead up to its creation (a multi-touch path of attribution_credit; the
-- touch facts of migration 022). Asked before attribution_lead_has_multi_touch.
select exists (
    select 1
    from touch_facts
    where is_deal and count_touches > 1 and converted_at < $as_of::date + 1
) as has_multi_touch;

-- name: attribution_lead_has_multi_touch
-- One row: whether any lead created up to $as_of has two or more touches up to its creation (a
-- multi-touch path of attribution_credit; the touch facts of migration 022).
select exists (
    select 1
    from touch_facts
    where not is_deal and count_touches > 1 and converted_at < $as_of::date + 1
) as has_multi_touch;

-- name: attribution_kept_state
-- One row: what the kept sums of the touch facts per place (migration 028) were kept at: the
-- latest day of any conversion, MQL, SQL or win they count (settled_on: null when none is
-- kept), and the half-lives of time decay they hold (the same for every row).
select
    max(settled_on) as settled_on,
    min(decay_half_life) as min_half_life,
    max(decay_half_life) as max_half_life
from kept_touch_places;
