-- name: mix_won_deal_amounts
-- One row per deal won in the period (sidebar filters): its amount, discount and motion.
select
    deal_id,
    coalesce(motion, 'unmapped') as motion,
    amount::double as amount,
    discount_pct
from deals
where
    outcome = 'won'
    and in_period(closed_at, $date_from, $date_to)
    and matches_filter($segments, segment)
    and matches_filter($regions, region)
    and matches_filter($products, product)
    and matches_filter($owners, owner)
order by amount;

-- name: mix_promotion_by_channel
-- One row per marketing channel (a marketing spend channel, or a lead source mapped to pull):
-- spend, leads, pipeline created and won revenue in the period. A channel's spend is
-- spend.channel of category 'marketing' (company-wide: not split by the sidebar filters); its
-- leads are leads whose source is the channel name; a deal belongs to the channel of its lead
-- (its own source when it has no lead).
with
channels as (
    select distinct channel from spend where category = 'marketing' and channel is not null
    union
    select source from source_motion where motion = 'pull'
),

channel_spend as (
    select channel, sum(amount)::double as spend
    from spend
    where category = 'marketing' and in_period(spent_on, $date_from, $date_to)
    group by channel
),

channel_leads as (
    select source as channel, count(*) as leads
    from leads
    where
        in_period(created_at, $date_from, $date_to)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    group by source
),

attributed_deals as (
    select
        coalesce(l.source, d.source) as channel,
        d.amount,
        in_period(d.created_at, $date_from, $date_to) as is_created_in_period,
        in_period(d.closed_at, $date_from, $date_to) and d.outcome = 'won' as is_won_in_period
    from deals as d
    left join leads as l on d.lead_id = l.lead_id
    where
        matches_filter($segments, d.segment)
        and matches_filter($regions, d.region)
        and matches_filter($products, d.product)
        and matches_filter($owners, d.owner)
),

channel_deals as (
    select
        channel,
        count(*) filter (where is_created_in_period) as opportunities,
        coalesce(sum(amount) filter (where is_created_in_period), 0)::double
            as pipeline_created,
        count(*) filter (where is_won_in_period) as won,
        coalesce(sum(amount) filter (where is_won_in_period), 0)::double as won_amount
    from attributed_deals
    group by channel
)

select
    channels.channel,
    coalesce(sm.motion, 'unmapped') as motion,
    coalesce(cs.spend, 0) as spend,
    coalesce(cl.leads, 0) as leads,
    cs.spend / nullif(cl.leads, 0) as cost_per_lead,
    coalesce(cd.opportunities, 0) as opportunities,
    coalesce(cd.pipeline_created, 0) as pipeline_created,
    coalesce(cd.won, 0) as won,
    coalesce(cd.won_amount, 0) as won_amount,
    cd.won_amount / nullif(cs.spend, 0) as won_per_spend
from channels
left join source_motion as sm on channels.channel = sm.source
left join channel_spend as cs on channels.channel = cs.channel
left join channel_leads as cl on channels.channel = cl.channel
left join channel_deals as cd on channels.channel = cd.channel
order by spend desc, leads desc, channels.channel;

-- name: mix_spend_split
-- One row per spend category ('marketing', 'sales') and channel: the amount spent in the
-- period (company-wide: not split by the sidebar filters).
select
    category,
    coalesce(channel, '') as channel,
    sum(amount)::double as amount
from spend
where in_period(spent_on, $date_from, $date_to)
group by all
order by category, amount desc;
