-- Migration 001: the workspace contract of DESIGN.md, plus the plan tables the pages need.
-- Leads and deals are stored in raw_* tables; the contract names `leads` and `deals` are
-- views that derive `motion` from `source_motion`, so the mapping has one source of truth.

create table settings (
    key varchar primary key,
    value varchar not null
);

create table source_motion (
    source varchar primary key,
    motion varchar not null check (motion in ('pull', 'push'))
);

create table imports (
    import_id varchar primary key,
    file_name varchar not null,
    sha256 varchar,
    kind varchar not null check (kind in ('leads', 'deals', 'campaigns', 'spend')),
    preset varchar,
    mode varchar not null check (mode in ('append', 'replace', 'upsert')),
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    imported_at timestamp not null
);

create table import_rejects (
    import_id varchar not null,
    row_number bigint not null,
    reason varchar not null,
    raw varchar
);

create table campaigns (
    campaign_id varchar primary key,
    name varchar not null,
    channel varchar not null,
    objective varchar check (
        objective in ('awareness', 'consideration', 'purchase', 'loyalty', 'advocacy')
    ),
    start_date date not null,
    end_date date not null,
    budget decimal(18, 2),
    status varchar,
    owner varchar,
    segment varchar,
    import_id varchar
);

create table raw_leads (
    lead_id varchar primary key,
    created_at timestamp not null,
    source varchar,
    campaign_id varchar,
    segment varchar,
    region varchar,
    lead_score double,
    mql_at timestamp,
    sql_at timestamp,
    first_touch_at timestamp,
    owner varchar,
    import_id varchar
);

create table raw_deals (
    deal_id varchar primary key,
    name varchar,
    account varchar,
    lead_id varchar,
    created_at timestamp,
    closed_at timestamp,
    stage varchar,
    outcome varchar not null check (outcome in ('open', 'won', 'lost')),
    amount decimal(18, 2),
    currency varchar,
    product varchar,
    segment varchar,
    region varchar,
    owner varchar,
    source varchar,
    campaign_id varchar,
    discount_pct double,
    lost_reason varchar,
    import_id varchar
);

create table spend (
    spent_on date not null,
    category varchar not null check (category in ('marketing', 'sales')),
    channel varchar,
    campaign_id varchar,
    amount decimal(18, 2) not null,
    import_id varchar
);

-- Sales headcount: who sold, from when, at what loaded monthly cost (scenario planner input).
create table sales_reps (
    owner varchar primary key,
    team varchar,
    region varchar,
    hired_on date not null,
    left_on date,
    monthly_cost decimal(18, 2)
);

-- Market sizing assumptions per segment and year (editable on the Market analysis page).
create table market_segments (
    segment varchar not null,
    year integer not null,
    tam double,
    sam double,
    som double,
    growth_pct double,
    target_accounts integer,
    expected_acv double,
    primary key (segment, year)
);

create table competitors (
    competitor varchar not null,
    segment varchar not null,
    year integer not null,
    share_pct double not null,
    price_index double,
    quality_index double,
    primary key (competitor, segment, year)
);

-- The contract views: motion always follows the current source -> motion mapping.
create view leads as
select
    l.lead_id,
    l.created_at,
    l.source,
    sm.motion,
    l.campaign_id,
    l.segment,
    l.region,
    l.lead_score,
    l.mql_at,
    l.sql_at,
    l.first_touch_at,
    l.owner,
    l.import_id
from raw_leads as l
left join source_motion as sm on l.source = sm.source;

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
    d.amount,
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
    d.import_id
from raw_deals as d
left join source_motion as sm on d.source = sm.source;
