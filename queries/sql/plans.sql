-- name: plan_target_decisions
-- One row per saved target market decision, newest first: when, which segments, why, by whom.
select decision_id, decided_at, segments, rationale, decided_by
from target_decisions
order by decided_at desc, decision_id desc;

-- name: plan_insert_target_decision
-- Records a target market decision (the next id, dated $decided_at; $by_user signed in).
insert into target_decisions (decision_id, decided_at, segments, rationale, decided_by, by_user)
select coalesce(max(decision_id), 0) + 1, $decided_at, $segments, $rationale, $decided_by, $by_user
from target_decisions;

-- name: plan_version_list
-- One row per saved version of the 4P plan, newest first, with the number of items it holds.
select v.version_id, v.saved_at, v.label, v.author, count(i.p) as items, v.by_user
from plan_versions as v
left join plan_items as i on v.version_id = i.version_id
group by all
order by v.version_id desc;

-- name: plan_items_of_version
-- One row per target segment and P of plan version $version_id: the card's fields.
select segment, p, decisions, rationale, kpi, target, owner, due_date
from plan_items
where version_id = $version_id
order by segment, case p when 'product' then 1 when 'price' then 2 when 'place' then 3 else 4 end;

-- name: plan_insert_version
-- Records a new plan version header ($version_id, dated $saved_at; $by_user signed in).
insert into plan_versions (version_id, saved_at, label, author, by_user)
values ($version_id, $saved_at, $label, $author, $by_user);

-- name: plan_next_version_id
-- One row: the id the next saved plan version takes.
select coalesce(max(version_id), 0) + 1 as version_id from plan_versions;

-- name: plan_positioning_values
-- One row per player and axis of the positioning map: kind ('competitor', 'us', 'target'),
-- player (the competitor's name; '' for us and the target), axis and value.
select kind, player, axis, value
from positioning_values
order by case kind when 'us' then 1 when 'target' then 2 else 3 end, player, axis;

-- name: plan_clear_positioning
-- Deletes every positioning value (the page saves the whole map at once).
delete from positioning_values;

-- name: plan_budget_lines
-- One row per line of the budget plan of $plan_year: kind ('channel' or 'mix'), line, amount.
select kind, line, amount::double as amount
from budget_plan
where plan_year = $plan_year
order by kind, line;

-- name: plan_budget_total
-- One row (or none) for $plan_year: the total the budget lines must add up to.
select total::double as total from budget_totals where plan_year = $plan_year;

-- name: plan_clear_budget
-- Deletes the budget plan of $plan_year, lines and total (it is saved whole).
delete from budget_plan where plan_year = $plan_year;

-- name: plan_clear_budget_total
-- Deletes the budget total of $plan_year (saved again with its lines).
delete from budget_totals where plan_year = $plan_year;

-- name: plan_insert_budget_total
-- Records the total of the budget plan of $plan_year.
insert into budget_totals (plan_year, total) values ($plan_year, $total);

-- name: plan_clear_market_year
-- Deletes the market assumptions of $year (the page saves a year's segments at once).
delete from market_segments where year = $year;

-- name: plan_clear_competitor_rows
-- Deletes the competitor shares of segment $segment (every segment when null): the rows the
-- page's competitor table showed, saved again as edited.
delete from competitors where $segment is null or segment = $segment;

-- name: plan_delete_competitor_row
-- Deletes one competitor share (an imported row replaces the row of the same key).
delete from competitors
where competitor = $competitor and segment = $segment and year = $year;

-- name: plan_insert_items
-- Stores the items of plan version $version_id from the frame registered as new_plan_items.
insert into plan_items by name
select $version_id as version_id, segment, p, decisions, rationale, kpi, target, owner, due_date
from new_plan_items;

-- name: plan_insert_positioning
-- Stores the positioning values of the frame registered as new_positioning.
insert into positioning_values by name
select kind, player, axis, value from new_positioning;

-- name: plan_insert_budget_lines
-- Stores the lines of the budget plan of $plan_year from the frame registered as
-- new_budget_lines.
insert into budget_plan by name
select $plan_year as plan_year, kind, line, amount from new_budget_lines;

-- name: plan_insert_market_year
-- Stores the market assumptions of $year from the frame registered as new_market_sizes.
insert into market_segments by name
select
    segment,
    $year as year,
    tam,
    sam,
    som,
    growth_pct,
    target_accounts,
    expected_acv
from new_market_sizes;

-- name: plan_insert_competitors
-- Stores the competitor shares of the frame registered as new_competitors.
insert into competitors by name
select competitor, segment, year, share_pct, price_index, quality_index from new_competitors;

-- name: plan_segment_funnel
-- One row per segment: the amount of the deals open on the last day of the period (created by
-- then, not closed by then), sidebar filters; the Market page's check of the SOM multiplies it
-- by the segment's win rate (deal_metrics_by).
select segment, sum(amount)::double as open_pipeline
from raw_deals
where
    raw_deals.is_excluded is not true
    and created_at < $date_to::timestamp + interval 1 day
    and (outcome = 'open' or closed_at >= $date_to::timestamp + interval 1 day)
    and matches_filter($segments, segment)
    and matches_filter($regions, region)
    and matches_filter($products, product)
    and matches_filter($owners, owner)
group by segment
order by segment;
