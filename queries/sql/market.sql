-- name: market_years
-- One row per year that has market sizing assumptions or competitor shares, newest first.
select year from market_segments
union
select year from competitors
order by year desc;

-- name: market_segment_sizes
-- One row per segment and year of the market assumptions (all years, segments in the
-- sidebar filter): top-down TAM / SAM / SOM, growth, and the bottom-up size
-- target accounts × expected ACV.
select
    segment,
    year,
    tam,
    sam,
    som,
    growth_pct,
    target_accounts,
    expected_acv,
    target_accounts * expected_acv as bottom_up
from market_segments
where matches_filter($segments, segment)
order by year, segment;

-- name: market_competitor_shares
-- One row per competitor and year: market share (percent), price and quality index in the
-- segment $segment, or across all segments in the sidebar filter when $segment is null.
-- Across segments a competitor's share is weighted by each segment's TAM (a competitor absent
-- from a segment holds 0% of it); its indices are weighted by the revenue they stand for
-- (share × TAM). A year where some segment in scope lacks a TAM weighs segments equally.
with
scoped_segments as (
    select segment, year, tam
    from market_segments
    where matches_filter($segments, segment) and ($segment is null or segment = $segment)
),

scoped_competitors as (
    select *
    from competitors
    where matches_filter($segments, segment) and ($segment is null or segment = $segment)
),

-- every segment that is in scope in a year, with or without a TAM
segment_years as (
    select segment, year from scoped_segments
    union
    select segment, year from scoped_competitors
),

weights as (
    select
        sy.segment,
        sy.year,
        sy_tam.tam,
        bool_and(sy_tam.tam is not null) over (partition by sy.year) as is_tam_complete
    from segment_years as sy
    left join scoped_segments as sy_tam
        on sy.segment = sy_tam.segment and sy.year = sy_tam.year
),

segment_weights as (
    select
        segment,
        year,
        case when is_tam_complete then tam else 1.0 end as weight
    from weights
),

year_weights as (
    select year, sum(weight) as total_weight
    from segment_weights
    group by year
),

weighted as (
    select
        c.competitor,
        c.year,
        c.share_pct,
        c.price_index,
        c.quality_index,
        sw.weight
    from scoped_competitors as c
    inner join segment_weights as sw on c.segment = sw.segment and c.year = sw.year
)

select
    w.competitor,
    w.year,
    sum(w.share_pct * w.weight) / nullif(yw.total_weight, 0) as share_pct,
    coalesce(
        sum(w.price_index * w.share_pct * w.weight)
        / nullif(sum(w.share_pct * w.weight) filter (where w.price_index is not null), 0),
        avg(w.price_index)
    ) as price_index,
    coalesce(
        sum(w.quality_index * w.share_pct * w.weight)
        / nullif(sum(w.share_pct * w.weight) filter (where w.quality_index is not null), 0),
        avg(w.quality_index)
    ) as quality_index
from weighted as w
inner join year_weights as yw on w.year = yw.year
group by w.competitor, w.year, yw.total_weight
order by w.year, share_pct desc, w.competitor;

-- name: market_segment_names
-- One row per segment named in the market assumptions or competitor shares (sidebar filter).
select segment from market_segments where matches_filter($segments, segment)
union
select segment from competitors where matches_filter($segments, segment)
order by segment;

-- name: market_competitor_rows
-- One row per competitor, segment and year as stored (the page's editable table).
select competitor, segment, year, share_pct, price_index, quality_index
from competitors
order by segment, year, share_pct desc, competitor;
