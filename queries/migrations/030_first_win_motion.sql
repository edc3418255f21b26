-- Migration 030: a new customer belongs to the motion of its first win, whatever that win's
-- source (DESIGN.md: a deal without a motion is counted as unmapped, never silently moved).
--
-- arg_min skips the rows whose value is null, so the first win's source was the first win
-- that had one: kept_first_wins passed over a first win without a source, and the live
-- headline (arg_min of the motion) over one whose source has no motion, crediting a later
-- win's motion instead. The two forms then disagreed with each other and with the definition.
-- Both now take the first win's source as it is (arg_min_null), null included; the kept rows
-- are kept again here with these macros (and by every refresh after).

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
        arg_min_null(source, closed_at) filter (
            where not irregular and closed_at is not null
        ) as first_source,
        bool_or(irregular) as has_irregular_here
    from counted_deals_now()
    where outcome = 'won'
    group by customer_key, segment, region, product
)
qualify first_closed_at is not null;

drop macro table customer_firsts_now;

-- each customer's first win of all (kept_first_wins over every segment, region and product):
-- without a filter, a customer without an irregular win is new in the period of this one
create macro customer_firsts_now() as table
select
    customer_key,
    min(first_closed_at) as first_closed_at,
    arg_min_null(first_source, first_closed_at) as first_source,
    bool_or(has_irregular) as has_irregular
from kept_first_wins
group by customer_key;

delete from kept_first_wins;
insert into kept_first_wins select * from first_wins_now() order by first_closed_at;
delete from kept_customer_firsts;
insert into kept_customer_firsts select * from customer_firsts_now() order by first_closed_at;
