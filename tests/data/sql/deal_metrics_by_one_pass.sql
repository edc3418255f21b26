-- The one-pass form of deal_metrics_by (queries/sql/metrics.sql) before issue 18 split it into
-- passes per date: tests/test_deal_metrics_live.py holds the two equal. Not loaded by the app.
with
-- only deals created or closed in the period can count; the range test lets DuckDB skip the
-- rest of the history early
filtered_deals as (
    select *
    from deals
    where
        coalesce(created_at, closed_at) < $date_to::timestamp + interval 1 day
        and (created_at >= $date_from::timestamp or closed_at >= $date_from::timestamp)
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
),

keyed as (
    select
        *,
        case $dimension
            when 'segment' then segment
            when 'region' then region
            when 'product' then product
            when 'owner' then owner
            when 'source' then source
            when 'campaign_id' then campaign_id
            when 'discount_band' then case
                when discount_pct <= 0 then '0'
                when discount_pct <= 5 then '1'
                when discount_pct <= 10 then '2'
                when discount_pct <= 15 then '3'
                when discount_pct <= 20 then '4'
                when discount_pct <= 30 then '5'
                when discount_pct > 30 then '6'
            end
        end as dimension_value,
        -- a second dimension: one pass instead of one call per value of it
        case $pair
            when 'segment' then segment
            when 'region' then region
            when 'product' then product
            when 'source' then source
        end as pair_value,
        -- the first day of the closing quarter, a fiscal one after $fiscal_start_month as in
        -- engines.sql (planning/fiscal.py's quarter_start); queries/metrics.py labels it
        case
            when $dimension = 'closed_quarter'
                then
                    (
                        date_trunc('quarter', closed_at - to_months($fiscal_start_month - 1))
                        + to_months($fiscal_start_month - 1)
                    )::date
        end as quarter_start,
        in_period(created_at, $date_from, $date_to)
        and $dimension not in ('closed_quarter', 'discount_band') as is_created_in_period,
        in_period(closed_at, $date_from, $date_to) and outcome = 'won' as is_won_in_period,
        in_period(closed_at, $date_from, $date_to) and outcome = 'lost' as is_lost_in_period,
        date_diff('second', created_at, closed_at) / 86400.0 as cycle_days
    from filtered_deals
),

grouped as (
    select
        keyed.dimension_value,
        quarter_start,
        pair_value,
        case when grouping(motion) = 1 then 'overall' else coalesce(motion, 'unmapped') end
            as motion_group,
        count(*) filter (where is_created_in_period) as opportunities,
        count(*) filter (where is_won_in_period) as won,
        count(*) filter (where is_lost_in_period) as lost,
        coalesce(sum(amount) filter (where is_won_in_period), 0)::double as won_amount,
        avg(amount) filter (where is_won_in_period)::double as avg_deal_size,
        median(cycle_days) filter (where is_won_in_period)::double as sales_cycle_days
    from keyed
    group by grouping sets (
        (keyed.dimension_value, quarter_start, pair_value, motion),
        (keyed.dimension_value, quarter_start, pair_value)
    )
)

select
    *,
    won / nullif(won + lost, 0) as win_rate
from grouped
where opportunities + won + lost > 0
order by dimension_value, quarter_start, pair_value, motion_group;
