-- Migration 016: deals left out of every figure, and amounts of 0 that mean "not entered".
--
-- A deal far above the others of its kind can make a figure on its own (one 30× deal turns
-- an average of 5,000 into 31,000); a CRM that stores "not declared" as 0 (Olist: 797 of 842
-- won deals) halves an average with deals that have no amount. Two workspace settings answer
-- them, read here so that every page, pack and command line follows one rule:
--   exclude_outlier_deals = '1'    the deals above 20× the median amount of their kind are
--                                  written to deal_exclusions and left out of `deals`; the
--                                  refresh that ends every import, undo and sample load
--                                  (queries/workspace.py) checks them again
--                                  (`sync_outlier_exclusions`, queries/sql/data_checks.sql)
--   zero_amount_is_missing = '1'   an amount of 0 is shown by `deals` as null (not entered):
--                                  averages count only the deals with an amount
-- The lead facts (migration 011) leave the excluded deals out too (`refresh_lead_facts`).

-- One row per deal left out: why ('outlier': above 20× the median amount of its kind,
-- whole workspace), its amount when it was left out, when and by whom. Deal ids stay unique
-- by the statements that write it (no key: DuckLake has none, and MERGE keeps it).
create table deal_exclusions (
    deal_id varchar not null,
    reason varchar not null,
    amount decimal(18, 2),
    excluded_at timestamp not null default current_timestamp,
    excluded_by varchar not null default 'local'
);

-- raw_deals.is_excluded: true on the deals in deal_exclusions, null on every other (set by
-- `flag_excluded_deals` in the same refresh; Flywheel sets it, never a file). The view reads
-- this flag rather than anti-joining deal_exclusions: on 1M deals the anti-join (hashing every
-- deal id) doubled the CPU time of a won-revenue query even with nothing excluded, while the
-- flag — one all-null column when nothing is — costs a few per cent. replaced_deals keeps the
-- column so undo restores rows by name.
alter table raw_deals add column is_excluded boolean;
alter table replaced_deals add column is_excluded boolean;

-- The contract view as in migration 014, every column kept, with the two rules above; the
-- setting is one uncorrelated lookup, evaluated once per query.
drop view deals;

create view deals as
select
    d.deal_id,
    d.name,
    d.account,
    d.lead_id,
    d.created_at,
    d.closed_at,
    d.stage,
    d.outcome,
    case
        when
            d.amount = 0
            and (select max(value) = '1' from settings where key = 'zero_amount_is_missing')
            then null
        else d.amount
    end as amount,
    d.currency,
    d.product,
    d.segment,
    d.region,
    d.owner,
    d.source,
    sm.motion,
    d.campaign_id,
    d.discount_pct,
    d.lost_reason,
    d.import_id,
    d.account_id,
    d.deal_type,
    d.source_origin
from raw_deals as d
left join source_motion as sm on d.source = sm.source
where d.is_excluded is not true;
