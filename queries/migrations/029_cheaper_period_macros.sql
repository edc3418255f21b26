-- Migration 029: two of migration 025's macros in cheaper forms, the same rows.
--
-- At 5M leads / 1M deals the refresh every writer runs took ~6.5 s of CPU, 4.2 s of it keeping
-- the period facts; two macros were most of that. deal_days_now read its regular deals (a CTE
-- used twice) through a materialized copy of every deal's columns: each use now calls
-- counted_deals_now() itself, so each scans raw_deals for the columns it reads (1.5-2.1 ->
-- 1.1-1.25 s of CPU at 5M). A NOT MATERIALIZED hint on the CTE would do the same, but DuckDB
-- (1.5.5) drops that hint when it stores a macro in the file: reopened, it is materialized
-- again. first_wins_now scanned the won deals twice (the customers with an irregular win, then
-- the first regular wins): one grouping now keeps both, each group saying whether it holds an
-- irregular win, and a window over the customer's groups says whether any does. The tests
-- compare these macros with 025's forms, the kept rows with the macros, and the kept headline
-- with the live query (tests/test_headline_kept.py); the kept tables need no rebuild.

drop macro table deal_days_now;

create macro deal_days_now() as table
with
creations as (
    select *, outcome = 'open' or coalesce(closed_day > created_day, false) as opens
    from counted_deals_now()
    where not irregular and created_day is not null
),

closes as (
    select *, created_day is not null and closed_day > created_day as was_open
    from counted_deals_now()
    where not irregular and outcome <> 'open' and closed_day is not null
),

events as (
    select
        created_day as day,
        source,
        segment,
        region,
        product,
        1 as created,
        0 as won,
        0 as lost,
        null::decimal(18, 2) as won_amount,
        0 as won_amount_n,
        0 as won_zero_n,
        opens::int as open_n,
        case when opens then amount end as open_amount,
        (opens and amount is not null)::int as open_amount_n,
        coalesce(opens and amount = 0, false)::int as open_zero_n
    from creations
    union all
    select
        closed_day,
        source,
        segment,
        region,
        product,
        0,
        (outcome = 'won')::int,
        (outcome = 'lost')::int,
        case when outcome = 'won' then amount end,
        (outcome = 'won' and amount is not null)::int,
        coalesce(outcome = 'won' and amount = 0, false)::int,
        -was_open::int,
        case when was_open then -amount end,
        -(was_open and amount is not null)::int,
        -coalesce(was_open and amount = 0, false)::int
    from closes
)

select
    day,
    source,
    segment,
    region,
    product,
    sum(created) as created,
    sum(won) as won,
    sum(lost) as lost,
    coalesce(sum(won_amount), 0) as won_amount,
    sum(won_amount_n) as won_amount_n,
    sum(won_zero_n) as won_zero_n,
    sum(open_n) as open_n,
    coalesce(sum(open_amount), 0) as open_amount,
    sum(open_amount_n) as open_amount_n,
    sum(open_zero_n) as open_zero_n
from events
group by all;

drop macro table first_wins_now;

-- each customer's first win among the regular won deals of one segment, region and product,
-- and whether the customer has an irregular won deal in any of its groups
create macro first_wins_now() as table
select
    customer_key,
    segment,
    region,
    product,
    first_closed_at,
    first_source,
    bool_or(has_irregular_here) over (partition by customer_key) as has_irregular
from (
    select
        customer_key,
        segment,
        region,
        product,
        min(closed_at) filter (where not irregular and closed_at is not null) as first_closed_at,
        arg_min(source, closed_at) filter (
            where not irregular and closed_at is not null
        ) as first_source,
        bool_or(irregular) as has_irregular_here
    from counted_deals_now()
    where outcome = 'won'
    group by customer_key, segment, region, product
)
qualify first_closed_at is not null;
