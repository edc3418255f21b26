-- Data checks shared by the Funnel health badges and the takeaways of Market and 4P: is one
-- side of the data missing (no lost deals, few closed deals, one segment), and which deals are
-- so large that they drive a figure on their own.

-- name: deal_balance
-- One row: the deals closed (won or lost) in the period under the filters — how many closed,
-- won and lost, and how many distinct segments they fall in (a blank segment is not one).
select
    count(*)::bigint as count_closed,
    count(*) filter (where outcome = 'won')::bigint as count_won,
    count(*) filter (where outcome = 'lost')::bigint as count_lost,
    count(distinct segment)::bigint as count_segments
from raw_deals
where
    outcome in ('won', 'lost')
    and closed_at >= $date_from::timestamp
    and closed_at < $date_to::timestamp + interval 1 day
    and matches_filter($segments, segment)
    and matches_filter($regions, region)
    and matches_filter($products, product)
    and matches_filter($owners, owner)
;

-- name: deal_outliers
-- One row per deal whose amount is above $multiple × the median amount of its kind: won deals
-- closed in the period, and the deals open now (the period does not apply to an open deal);
-- the deal id, its kind, amount, the kind's median amount, how many deals of the kind have an
-- amount, and amount ÷ median (largest first). Deals without an amount (or of 0) are left out.
with
scoped as (
    select
        deal_id,
        outcome as kind,
        amount
    from raw_deals
    where
        amount > 0
        and (
            outcome = 'open'
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

medians as (
    select
        kind,
        median(amount) as median_amount,
        count(*) as count_priced
    from scoped
    group by kind
)

select
    scoped.deal_id,
    scoped.kind,
    scoped.amount::double as amount,
    medians.median_amount::double as median_amount,
    medians.count_priced::bigint as count_priced,
    (scoped.amount / medians.median_amount)::double as times_median
from scoped
inner join medians on scoped.kind = medians.kind
where scoped.amount > $multiple * medians.median_amount
order by times_median desc, scoped.deal_id;
