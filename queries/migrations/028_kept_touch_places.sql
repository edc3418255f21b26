-- Migration 028: the touch facts (migration 022) summed per place in a path, kept.
--
-- attribution_credit (queries/sql/campaigns.sql) first sums the touch facts per place in a path
-- (kind, campaign and channel group, path length, rank, lead-creation rank): at 5M leads ~10M
-- rows into ~21k, 0.6-0.8 s of a 1.1-1.3 s click on the campaign calendar's results. Those sums
-- change only with the facts, except for what the query's parameters decide: the day the
-- results are as of, the MQL definition, the half-life of time decay. So they are kept here at
-- what the page asks for nearly always: every conversion, MQL, SQL and win of the facts
-- counted (an as-of day on or after `settled_on`, the latest day of any of them), MQL as
-- recorded (the 'recorded' rule), time decay at the half-life the facts keep (w_decay). The
-- query reads these rows when its parameters are those, else sums the facts as before.
-- touch_places_now() is the one definition: the migration and every refresh that rebuilt touch
-- facts (keep_touch_places in queries/sql/workspace.sql) fill the table from it, and the tests
-- compare the kept rows with it.
--
-- Per place: count_paths, and of the paths value_1 (a lead's MQL flag, a deal's amount),
-- value_2 (a lead's SQL flag, a deal's won flag), value_3 (a won deal's amount), decay_* the
-- same weighed by the kept time-decay weight. A deal with no amount has amount 0 in the facts.

create macro touch_places_now() as table
select
    is_deal,
    group_id,
    count_touches,
    touch_order,
    lead_order,
    decay_half_life,
    count(*)::double as count_paths,
    sum(value_1) as value_1,
    sum(value_2) as value_2,
    sum(value_3) as value_3,
    sum(w_decay) as decay,
    sum(w_decay * value_1) as decay_1,
    sum(w_decay * value_2) as decay_2,
    sum(w_decay * value_3) as decay_3,
    max(greatest(converted_at, mql_at, sql_at, won_at))::date as settled_on
from (
    select
        is_deal,
        group_id,
        count_touches,
        touch_order,
        lead_order,
        decay_half_life,
        w_decay,
        converted_at,
        mql_at,
        sql_at,
        won_at,
        case when is_deal then amount else (mql_at is not null)::double end as value_1,
        (case when is_deal then won_at else sql_at end is not null)::double as value_2,
        case when won_at is not null then amount else 0 end as value_3
    from touch_facts
)
group by is_deal, group_id, count_touches, touch_order, lead_order, decay_half_life;

create table kept_touch_places (
    is_deal boolean not null,
    group_id integer not null,
    count_touches uinteger not null,
    touch_order uinteger not null,
    lead_order integer,
    decay_half_life double not null,
    count_paths double not null,
    value_1 double,
    value_2 double,
    value_3 double,
    decay double,
    decay_1 double,
    decay_2 double,
    decay_3 double,
    settled_on date
);

insert into kept_touch_places select * from touch_places_now();
