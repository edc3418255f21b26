-- Migration 002: the two predicates every filtered query shares, defined once in the file so
-- named queries stay runnable in the DuckDB shell.

-- True when no filter list is given (null) or the value is in it.
create macro matches_filter(allowed, value) as (allowed is null or list_contains(allowed, value));

-- True when a timestamp or date falls on a day between date_from and date_to, both inclusive.
create macro in_period(ts, date_from, date_to) as (
    ts >= date_from::timestamp and ts < date_to::timestamp + interval 1 day
);
