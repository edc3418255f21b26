-- Migration 015: every MQL definition the workspace has saved, numbered, so a team can see what
-- an earlier definition (or a candidate) would have counted over the same history (DESIGN.md:
-- "each change is kept with its date"). The settings funnel_mql_rule and
-- funnel_mql_score_threshold stay the current definition; saving a changed definition on Funnel
-- health appends a row here in the same transaction (queries/funnel.py, save_handoff).
--   version     1, 2, 3... in the order saved (no key constraint: DuckLake has none; the
--               writer numbers under the workspace's write lock)
--   rule        'recorded', 'score', 'score_or_recorded', 'score_and_recorded' (migration 012)
--   threshold   the lead-score threshold; null under 'recorded'
--   saved_at    when it was saved (for version 1 below: when this migration recorded it)
--   saved_by    who saved it: 'local' in local mode (no sign-in)
create table mql_versions (
    version integer not null,
    rule varchar not null,
    threshold double,
    saved_at timestamp not null,
    saved_by varchar not null default 'local'
);

-- the definition in force today, as planning.handoff.mql_definition reads it: a known rule, and
-- a threshold whenever the rule uses the score (a broken setting counts as no definition saved)
insert into mql_versions (version, rule, threshold, saved_at)
select
    1,
    rules.value,
    case
        when rules.value <> 'recorded'
            then try_cast(replace(thresholds.value, ',', '.') as double)
    end,
    current_timestamp::timestamp
from settings as rules
left join settings as thresholds on thresholds.key = 'funnel_mql_score_threshold'
where
    rules.key = 'funnel_mql_rule'
    and rules.value in ('recorded', 'score', 'score_or_recorded', 'score_and_recorded')
    and (
        rules.value = 'recorded'
        or isfinite(try_cast(replace(thresholds.value, ',', '.') as double))
    );
