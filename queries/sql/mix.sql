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

-- name: mix_won_deal_size_classes
-- One row per motion and size class of the deals won in the period (sidebar filters) with a
-- positive amount: the class is the step of the 1-2-5 series the amount falls in,
-- step × 10^decade ≤ amount < the next step (1 → 2 → 5 → 10), with the number of deals; every
-- row also carries the smallest and largest such amount (the histogram's range). The edges
-- are computed as queries/mix.py computes them (pow(10.0, decade) times 1, 2 or 5), so a deal
-- lands in the same bin as a Python binning of the amounts would put it.
with
won as (
    select
        coalesce(sm.motion, 'unmapped') as motion,
        d.amount::double as amount
    from raw_deals as d
    left join source_motion as sm on d.source = sm.source
    where
        d.is_excluded is not true
        and d.outcome = 'won'
        and d.closed_at >= $date_from::timestamp
        and d.closed_at < $date_to::timestamp + interval 1 day
        and d.amount > 0
        and matches_filter($segments, d.segment)
        and matches_filter($regions, d.region)
        and matches_filter($products, d.product)
        and matches_filter($owners, d.owner)
),

-- floor(log10()) can be one off at an exact power of ten: the edges decide
first_guess as (
    select motion, amount, floor(log10(amount))::integer as guess from won
),

decades as (
    select
        motion,
        amount,
        case
            when amount < pow(10.0, guess) then guess - 1
            when amount >= pow(10.0, guess + 1) then guess + 1
            else guess
        end as decade
    from first_guess
),

classes as (
    select
        motion,
        decade,
        case
            when amount >= 5 * pow(10.0, decade) then 5
            when amount >= 2 * pow(10.0, decade) then 2
            else 1
        end as step,
        count(*) as deals
    from decades
    group by all
)

select c.motion, c.decade, c.step, c.deals, r.min_amount, r.max_amount
from classes as c
cross join (select min(amount) as min_amount, max(amount) as max_amount from won) as r
order by c.motion, c.decade, c.step;

-- name: mix_promotion_by_channel
-- One row per marketing channel (a marketing spend channel, or a lead source mapped to pull):
-- spend, leads, pipeline created and won revenue in the period. A channel's spend is
-- spend.channel of category 'marketing' (company-wide: not split by the sidebar filters); its
-- leads are leads whose source is the channel name; a deal belongs to the channel of its lead
-- (its own source when it has no lead). won_per_spend is null here for a channel with no deal
-- in the period (has_period_deals false): queries/mix.py makes it 0 when the channel has deals
-- at other times, as won 0 ÷ spend.
-- The lead is found by its integer lead_key (migration 013: set by every write's refresh)
-- rather than by comparing the text lead_id of every lead, then held to the lead the deal
-- names by id (lead_key may also point a deal to a lead by conversion or e-mail, which this
-- figure does not follow); tests/test_mix_promotion_keys.py compares with the lead_id join.
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

-- a range on created_at (zone maps skip the rest of the history); no motion is needed, so
-- raw_leads rather than the view and its join to source_motion; when $kept, the leads counted
-- per day (migration 026)
channel_leads as (
    select source as channel, count(*) as leads
    from raw_leads
    where
        not $kept
        and created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($owners, owner)
    group by source
    union all
    select source, sum(count_leads)::bigint
    from kept_funnel_lead_days
    where
        $kept
        and created_day >= $date_from::date
        and created_day <= $date_to::date
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
    group by source
),

-- only deals that count (created, or won, in the period) look up their lead: the lookup
-- probes every lead, so the fewer deals the cheaper. Not when $kept (queries/mix.py: no owner
-- filter, the kept rows fresh): the deals are then counted per day and channel already
-- (migration 034)
period_deals as (
    select
        lead_id,
        lead_key,
        source,
        amount,
        created_at >= $date_from::timestamp
        and created_at < $date_to::timestamp + interval 1 day as is_created_in_period,
        outcome = 'won'
        and closed_at >= $date_from::timestamp
        and closed_at < $date_to::timestamp + interval 1 day as is_won_in_period
    from raw_deals
    where
        not $kept
        and raw_deals.is_excluded is not true
        and (
            (
                created_at >= $date_from::timestamp
                and created_at < $date_to::timestamp + interval 1 day
            )
            or (
                outcome = 'won'
                and closed_at >= $date_from::timestamp
                and closed_at < $date_to::timestamp + interval 1 day
            )
        )
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

channel_deals as (
    select
        -- the lead the deal names by id (lead_key may also point by conversion or e-mail)
        coalesce(case when l.lead_id = d.lead_id then l.source end, d.source) as channel,
        count(*) filter (where d.is_created_in_period) as opportunities,
        coalesce(sum(d.amount) filter (where d.is_created_in_period), 0)::double
            as pipeline_created,
        count(*) filter (where d.is_won_in_period) as won,
        coalesce(sum(d.amount) filter (where d.is_won_in_period), 0)::double as won_amount
    from period_deals as d
    left join raw_leads as l on d.lead_key = l.lead_key
    group by 1
    union all
    select
        channel,
        coalesce(sum(deals) filter (where kind = 'created'), 0)::bigint,
        coalesce(sum(amount) filter (where kind = 'created'), 0)::double,
        coalesce(sum(deals) filter (where kind = 'won'), 0)::bigint,
        coalesce(sum(amount) filter (where kind = 'won'), 0)::double
    from kept_channel_deal_days
    where
        $kept
        and day >= $date_from::date
        and day <= $date_to::date
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
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
    cd.won_amount / nullif(cs.spend, 0) as won_per_spend,
    cd.channel is not null as has_period_deals
from channels
left join source_motion as sm on channels.channel = sm.source
left join channel_spend as cs on channels.channel = cs.channel
left join channel_leads as cl on channels.channel = cl.channel
left join channel_deals as cd on channels.channel = cd.channel
order by spend desc, leads desc, channels.channel;

-- name: mix_channels_with_deals
-- One row per channel of $channels that has any deal at all (at any time; the sidebar's
-- segment, region, product and owner filters apply): a deal belongs to the source of its lead,
-- or to its own source when it has no lead with a source. Asked only for channels with spend
-- and no deal in the period (rare), to tell a won-per-spend of 0 from none.
with
filtered_deals as (
    select lead_id, source
    from raw_deals
    where
        raw_deals.is_excluded is not true
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

channel_leads as (
    select lead_id, source from raw_leads where list_contains($channels, source)
),

own_source_deals as (
    select lead_id, source from filtered_deals where list_contains($channels, source)
)

select distinct l.source as channel
from channel_leads as l
inner join filtered_deals as d on l.lead_id = d.lead_id
union
select distinct d.source
from own_source_deals as d
left join raw_leads as l on d.lead_id = l.lead_id
where l.source is null;

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

-- name: mix_price_realisation
-- One row per product of the deals won in the period (sidebar filters) whose list price is
-- known: won deals, won amount, list amount and their ratio, the price realisation (1 = sold at
-- list price). A deal's list amount is its price before the recorded discount (amount ÷ (1 −
-- discount ÷ 100)) or, without a discount, its product's list price from the products import
-- (matched by product name or id; one unit per deal). list_from_products: how many deals took
-- their list amount from the products table.
with
list_prices as (
    select
        match_key,
        min(list_price)::double as list_price
    from (
        select name as match_key, list_price from products where list_price > 0
        union all
        select product_id, list_price from products where list_price > 0
    )
    group by match_key
),

won as (
    select
        d.product,
        d.amount::double as amount,
        case
            when d.discount_pct is not null and d.discount_pct < 100
                then d.amount::double / (1 - d.discount_pct / 100.0)
            when d.discount_pct is null then p.list_price
        end as list_amount,
        d.discount_pct is null and p.list_price is not null as from_products
    from raw_deals as d
    left join list_prices as p on d.product = p.match_key
    where
        d.is_excluded is not true
        and d.outcome = 'won'
        and d.closed_at >= $date_from::timestamp
        and d.closed_at < $date_to::timestamp + interval 1 day
        -- no amount, or an amount of 0 that means "not entered" (migration 019): nothing to
        -- realise
        and shown_amount(d.amount) is not null
        and matches_filter($segments, d.segment)
        and matches_filter($regions, d.region)
        and matches_filter($products, d.product)
        and matches_filter($owners, d.owner)
),

by_product as (
    select
        product,
        count(*) as won,
        sum(amount) as won_amount,
        sum(list_amount) as list_amount,
        count(*) filter (where from_products) as list_from_products
    from won
    where list_amount is not null
    group by product
)

select
    product,
    won,
    won_amount,
    list_amount,
    won_amount / nullif(list_amount, 0) as realisation,
    list_from_products
from by_product
order by product;
