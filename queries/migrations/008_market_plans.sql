-- Migration 008: the plans of the Market analysis and 4P strategy pages, in tables of their own.
-- Nothing here renames or changes a contract table (market_segments and competitors of 001
-- stay as they are: the pages edit their rows).

-- The target market decision: every save is a new, dated row; the newest is in force and
-- becomes the default of the sidebar's segment filter.
create table target_decisions (
    decision_id integer primary key,
    decided_at timestamp not null,
    segments varchar[] not null,
    rationale varchar not null,
    decided_by varchar
);

-- The 4P plan, versioned: a version is a dated snapshot of every item; the newest is the plan
-- in force, older ones stay for comparison.
create table plan_versions (
    version_id integer primary key,
    saved_at timestamp not null,
    label varchar not null,
    author varchar
);

-- One row per version, target segment and P: the decisions and the KPI that tracks them.
-- kpi is a metric key (planning.plan_versions.KPI_METRICS); target is in the metric's display
-- unit (percent for rates, money, days, counts).
create table plan_items (
    version_id integer not null,
    segment varchar not null,
    p varchar not null check (p in ('product', 'price', 'place', 'promotion')),
    decisions varchar,
    rationale varchar,
    kpi varchar,
    target double,
    owner varchar,
    due_date date,
    primary key (version_id, segment, p)
);

-- The positioning map: one value per player and axis. kind 'competitor' names a rival in
-- player; 'us' and 'target' (our position today and the one we aim for) leave player ''.
-- Axes are free names ('price_index' and 'quality_index' are the two built-in ones).
create table positioning_values (
    kind varchar not null check (kind in ('competitor', 'us', 'target')),
    player varchar not null,
    axis varchar not null,
    value double not null,
    primary key (kind, player, axis)
);

-- The marketing budget plan of a year: one amount per line, a promotion channel (kind
-- 'channel') or another P of the mix ('product', 'price', 'place'; kind 'mix'); the total
-- the lines must add up to is in budget_totals.
create table budget_plan (
    plan_year integer not null,
    kind varchar not null check (kind in ('channel', 'mix')),
    line varchar not null,
    amount decimal(18, 2) not null,
    primary key (plan_year, kind, line)
);

create table budget_totals (
    plan_year integer primary key,
    total decimal(18, 2) not null
);
