-- Migration 012: the MQL definition as one macro, so that every funnel query applies the same
-- rule (DESIGN.md: one agreed definition of a qualified lead). `rule` and `threshold` are the
-- saved workspace settings (funnel_mql_rule, funnel_mql_score_threshold), passed to each query
-- as $mql_rule and $mql_threshold:
--   'recorded'            the CRM's own mql_at is set
--   'score'               lead_score >= threshold
--   'score_or_recorded'   either
--   'score_and_recorded'  both
-- A lead without a score never qualifies by score (null is not >= anything).
create macro is_mql(rule, threshold, mql_at, lead_score) as coalesce(
    case rule
        when 'recorded' then mql_at is not null
        when 'score' then lead_score >= threshold
        when 'score_or_recorded' then mql_at is not null or lead_score >= threshold
        when 'score_and_recorded' then mql_at is not null and lead_score >= threshold
    end,
    false
);
