-- Data checks shared by the Funnel health badges and the takeaways of Market and 4P: is one
-- side of the data missing (no lost deals, few closed deals, one segment), and which deals are
-- so large that they drive a figure on their own.

-- name: deal_balance
-- One row: the deals closed (won or lost) in the period under the filters — how many closed,
-- won and lost, and how many distinct segments they fall in (a blank segment is not one).
-- A deal left out of every figure (migration 016) is not counted here. Read from raw_deals
-- (the `deals` view joins every row to its motion, which this does not need).
select
    count(*)::bigint as count_closed,
    count(*) filter (where outcome = 'won')::bigint as count_won,
    count(*) filter (where outcome = 'lost')::bigint as count_lost,
    count(distinct segment)::bigint as count_segments
from raw_deals
where
    is_excluded is not true
    and outcome in ('won', 'lost')
    and closed_at >= $date_from::timestamp
    and closed_at < $date_to::timestamp + interval 1 day
    and matches_filter($segments, segment)
    and matches_filter($regions, region)
    and matches_filter($products, product)
    and matches_filter($owners, owner)
;

-- name: funnel_days_kept
-- One row when the leads and closed deals counted per day (migration 026) were counted from
-- as many leads and deals as there are now (every writer's refresh keeps them so): is_fresh.
-- No row (or false) after a write that skipped the refresh: the checks then read the records.
select
    k.leads = (select count(*) from raw_leads)
    and k.deals = (select count(*) from raw_deals) as is_fresh
from kept_funnel_day_counts as k;

-- name: deal_balance_kept
-- deal_balance read from the closed deals counted per day (kept_closed_deal_days, migration
-- 026): the same row without an owner filter (queries/data_checks.py picks the form).
select
    coalesce(sum(count_deals), 0)::bigint as count_closed,
    coalesce(sum(count_deals) filter (where outcome = 'won'), 0)::bigint as count_won,
    coalesce(sum(count_deals) filter (where outcome = 'lost'), 0)::bigint as count_lost,
    count(distinct segment)::bigint as count_segments
from kept_closed_deal_days
where
    closed_day >= $date_from::date
    and closed_day <= $date_to::date
    and matches_filter($segments, segment)
    and matches_filter($regions, region)
    and matches_filter($products, product)
;

-- name: deal_outliers
-- One row per deal whose amount is above $multiple × the median amount of its kind: won deals
-- closed in the period, and the deals open now (the period does not apply to an open deal);
-- the deal id, its kind, amount, the kind's median amount, how many deals of the kind have an
-- amount, and amount ÷ median (largest first). Deals without an amount (or of 0) are left out.
-- Read from raw_deals, so a deal already left out of the figures (migration 016) is still
-- named: is_excluded says whether it is. Two scans, the open deals and the won deals of the
-- period: the won deals' plain range on closed_at lets DuckDB skip row groups, which one scan
-- with "open or won in the period" does not.
with
scoped as (
    select
        deal_id,
        outcome as kind,
        amount,
        coalesce(is_excluded, false) as is_excluded
    from raw_deals
    where
        amount > 0
        and outcome = 'open'
        and matches_filter($segments, segment)
        and matches_filter($regions, region)
        and matches_filter($products, product)
        and matches_filter($owners, owner)
    union all
    select
        deal_id,
        outcome,
        amount,
        coalesce(is_excluded, false)
    from raw_deals
    where
        amount > 0
        and outcome = 'won'
        and closed_at >= $date_from::timestamp
        and closed_at < $date_to::timestamp + interval 1 day
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
    (scoped.amount / medians.median_amount)::double as times_median,
    scoped.is_excluded
from scoped
inner join medians on scoped.kind = medians.kind
where scoped.amount > $multiple * medians.median_amount
order by times_median desc, scoped.deal_id;


-- name: workspace_outliers
-- One row per deal of the whole workspace (no period, no filter) whose amount is above
-- $multiple × the median amount of its kind — every won deal, and the deals open now: deal_id,
-- name, kind, amount, median_amount, count_priced (deals of the kind with an amount above 0),
-- times_median and is_excluded (left out of every figure now). The rows the Data page lists
-- and the setting exclude_outlier_deals leaves out. The medians are those the refresh keeps
-- (migration 032), unless $live asks for them from the records (one of the two runs: the
-- other's condition is false once the parameters are bound); with them, the deals at or above
-- the lower of the two lines are read first (a plain range on amount), then held to their own.
with
medians as (
    select kind, median_amount, count_priced
    from kept_deal_medians
    where not $live
    union all
    select kind, median_amount, count_priced
    from deal_medians_now()
    where $live
),

above as (
    select
        deal_id,
        name,
        outcome as kind,
        amount,
        coalesce(is_excluded, false) as is_excluded
    from raw_deals
    where
        amount > 0
        and outcome in ('won', 'open')
        -- a decimal bound (a whole number at or below the line) lets the scan skip to the few
        -- rows above it; compared as a double, every priced deal was read
        and amount >= (
            select least(floor($multiple * min(median_amount)), 1e15)::decimal(18, 2)
            from medians
        )
)

select
    above.deal_id,
    above.name,
    above.kind,
    above.amount::double as amount,
    medians.median_amount::double as median_amount,
    medians.count_priced::bigint as count_priced,
    (above.amount / medians.median_amount)::double as times_median,
    above.is_excluded
from above
inner join medians on above.kind = medians.kind
where above.amount > $multiple * medians.median_amount
order by above.kind desc, times_median desc, above.deal_id;

-- name: excluded_deals
-- One row per deal left out of every figure (migration 016): deal_id, reason, the amount when
-- it was left out, excluded_at, excluded_by, and is_present (false once the deal is no longer
-- in the workspace, e.g. its import was undone).
select
    x.deal_id,
    x.reason,
    x.amount::double as amount,
    x.excluded_at,
    x.excluded_by,
    x.deal_id in (select deal_id from raw_deals) as is_present
from deal_exclusions as x
order by x.reason, x.amount desc nulls last, x.deal_id;

-- name: sync_outlier_exclusions
-- Not a read: makes the 'outlier' rows of deal_exclusions the deals of the whole workspace
-- above 20× the median amount of their kind (won; open) while the setting
-- exclude_outlier_deals is '1', and none while it is not. Run by the refresh that ends every
-- import, undo and sample load (queries/workspace.py), before the lead facts, in the same
-- transaction. 20 is planning.data_checks.OUTLIER_MULTIPLE (the refresh binds no parameter;
-- a test holds the two equal). A deal that stays an outlier keeps when it was left out.
-- excluded_by: whoever last turned the setting on (setting_changes, migration 020: the toggle
-- logs it in this same transaction); 'local' when it was turned on before that log.
-- A delete and a MERGE, not one MERGE with an update and a delete: DuckLake's MERGE takes one
-- UPDATE/DELETE action.
create or replace temp table outliers_now as
with
setting_on as (
    select 1 as is_on
    from settings
    where key = 'exclude_outlier_deals' and value = '1'
),

priced as (
    select
        deal_id,
        outcome as kind,
        amount
    from raw_deals
    where amount > 0 and outcome in ('won', 'open') and exists (select 1 from setting_on)
),

medians as (
    select
        kind,
        median(amount) as median_amount
    from priced
    group by kind
),

turned_on as (
    select coalesce(max_by(by_user, change_id), 'local') as by_user
    from setting_changes
    where key = 'exclude_outlier_deals' and new_value = '1'
),

outliers as (
    select
        priced.deal_id,
        any_value(priced.amount) as amount,
        any_value(turned_on.by_user) as by_user
    from priced
    inner join medians on priced.kind = medians.kind
    cross join turned_on
    where priced.amount > 20.0 * medians.median_amount
    group by priced.deal_id
)

select * from outliers;

delete from deal_exclusions as x
where
    x.reason = 'outlier'
    and not exists (select 1 from outliers_now as o where o.deal_id = x.deal_id);

merge into deal_exclusions as x
using outliers_now as outliers on x.deal_id = outliers.deal_id and x.reason = 'outlier'
when matched and x.amount is distinct from outliers.amount then
    update set amount = outliers.amount
when not matched then
    insert (deal_id, reason, amount, excluded_by)
    values (outliers.deal_id, 'outlier', outliers.amount, outliers.by_user);

drop table outliers_now;

-- name: flag_excluded_deals
-- Not a read: sets raw_deals.is_excluded (migration 016) to true on the deals in
-- deal_exclusions and back to null on the others, touching only the deals flagged now or to
-- be flagged. Run by the refresh right after `sync_outlier_exclusions`: the `deals` view and
-- the lead facts read the flag.
update raw_deals
set is_excluded = case when deal_id in (select deal_id from deal_exclusions) then true end
where
    is_excluded is not null
    or deal_id in (select deal_id from deal_exclusions);

-- name: zero_amount_balance
-- One row: the won deals closed in the period under the filters (count_won), how many have an
-- amount of 0 in the file (count_won_zero: in some CRMs 0 means "not entered"; Olist) and how
-- many none at all (count_won_blank). Read from raw_deals (the amounts as imported) but
-- without the deals left out of every figure.
select
    count(*)::bigint as count_won,
    count(*) filter (where d.amount = 0)::bigint as count_won_zero,
    count(*) filter (where d.amount is null)::bigint as count_won_blank
from raw_deals as d
where
    d.outcome = 'won'
    and d.closed_at >= $date_from::timestamp
    and d.closed_at < $date_to::timestamp + interval 1 day
    and matches_filter($segments, d.segment)
    and matches_filter($regions, d.region)
    and matches_filter($products, d.product)
    and matches_filter($owners, d.owner)
    and d.is_excluded is not true;

-- name: zero_amount_balance_kept
-- zero_amount_balance read from the closed deals counted per day (kept_closed_deal_days,
-- migration 026): the same row without an owner filter (queries/data_checks.py picks the form).
select
    coalesce(sum(count_deals), 0)::bigint as count_won,
    coalesce(sum(count_zero_amount), 0)::bigint as count_won_zero,
    coalesce(sum(count_no_amount), 0)::bigint as count_won_blank
from kept_closed_deal_days
where
    outcome = 'won'
    and closed_day >= $date_from::date
    and closed_day <= $date_to::date
    and matches_filter($segments, segment)
    and matches_filter($regions, region)
    and matches_filter($products, product);

-- name: workspace_zero_amounts
-- One row for the Data page, over every won deal of the workspace (no period, no filter, the
-- deals left out of every figure not counted): count_won, count_won_zero (amount 0),
-- count_won_blank (no amount), count_won_priced (above 0), and the average won amount
-- counting the zeros (avg_with_zeros) and without them (avg_priced; null when no deal has one).
select
    count(*)::bigint as count_won,
    count(*) filter (where d.amount = 0)::bigint as count_won_zero,
    count(*) filter (where d.amount is null)::bigint as count_won_blank,
    count(*) filter (where d.amount <> 0)::bigint as count_won_priced,
    avg(d.amount)::double as avg_with_zeros,
    avg(d.amount) filter (where d.amount <> 0)::double as avg_priced
from raw_deals as d
where
    d.outcome = 'won'
    and d.is_excluded is not true;
