-- link_work as it was before it stacked its checks (queries/sql/workspace.sql): eight EXISTS
-- subqueries, the oracle tests/test_link_work.py holds the stacked form to.
-- One row: which of the inheriting refresh statements can change anything (each is skipped
-- when not: a first import of a million deals with no accounts or team pays nothing for them).
-- EXISTS stops at the first match.
select
    exists (select 1 from raw_leads)
    or exists (select 1 from raw_deals where lead_key is not null) as deal_leads,
    exists (
        select 1 from raw_deals where source is null or source_origin is not null
    ) as deal_sources,
    exists (select 1 from accounts)
    or exists (select 1 from sales_reps)
    or exists (
        select 1
        from raw_deals
        where
            account_origin is not null
            or segment_origin is not null
            or region_origin is not null
            or (account is null and account_id is not null)
    ) as deal_accounts,
    exists (select 1 from accounts)
    or exists (
        select 1 from raw_leads where segment_origin is not null or region_origin is not null
    ) as lead_accounts;
