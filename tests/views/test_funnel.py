"""Funnel health views: given the tiny workspace's January rows (tests/fixtures.py) → this spec.

Figures computed by hand from the fixture rows. January leads: pull L1 (Webinar, score 80,
MQL 6 Jan 00:00, first touch 04:00, won through D2), L2 (Paid Search, score 40, never MQL);
push L3 (Outbound, score 60, MQL and first touch 20 Jan 09:00, no won deal); unmapped L5
(Mystery, score 10). L4 is a December pull lead that became MQL on 2 Jan (touched 3 Jan 12:00).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from queries.filters import Filters
from views import funnel as fv
from views import registry
from views.spec import context

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
EMPTY = Filters(date(2040, 1, 1), date(2040, 3, 31))


@pytest.fixture
def ctx(tiny_ws):
    return context(tiny_ws, JAN)


def _funnel_x(spec, motion_label: str) -> list[int]:
    trace = next(t for t in spec.figure.data if t.name == motion_label)
    return [int(x) for x in trace.x]


# -- the lifecycle funnel: one function for the page and the pack -----------------------------
def test_the_pack_draws_the_period_funnel_and_its_takeaway_states_wins_over_leads(ctx):
    spec = fv.lifecycle(ctx)  # the defaults are what the pack draws
    assert spec.key == "funnel.lifecycle"
    assert spec.title.startswith("Lifecycle funnel in the period")
    # pull: leads L1, L2; MQLs L1, L4; SQL L1; deals D1, D2 created; won D1, D2, D7 → 3 ÷ 2
    assert _funnel_x(spec, "Pull (marketing)") == [2, 2, 1, 2, 3]
    assert spec.takeaway == (
        "Deals won equalled 150.0% of pull leads and 100.0% of push leads in the period (1.5×)."
    )
    assert "the CRM records an MQL date" in spec.caption  # the counts follow the definition
    assert "a step can exceed 100%" in spec.caption  # as the 150% above does


def test_the_chart_compares_the_engines_but_unmapped_leads_stay_in_its_data(ctx):
    spec = fv.lifecycle(ctx)
    assert [t.name for t in spec.figure.data] == ["Pull (marketing)", "Push (sales)"]
    engines = set(spec.data["Engine"])
    assert "Unmapped" in " ".join(engines)  # L5 from the unmapped source 'Mystery'
    assert len(spec.data) == 3 * 5


def test_the_cohort_funnel_states_no_ratio_when_an_engine_won_nothing(ctx):
    spec = fv.lifecycle(ctx, mode="cohort")
    assert "by lead cohort" in spec.title
    # of January's leads: pull L1 reached every stage, L2 none; push L3 all but won
    assert _funnel_x(spec, "Pull (marketing)") == [2, 1, 1, 1, 1]
    assert _funnel_x(spec, "Push (sales)") == [1, 1, 1, 1, 0]
    assert spec.takeaway == ""  # 50% against 0%: no "n× better" to state


def test_compare_names_the_better_engine_first_with_the_ratio(ctx):
    text = fv.compare(ctx, {"pull": 0.1, "push": 0.3}, "funnel.takeaway_funnel")
    assert text == "Push (sales) turns 30.0% of its leads into wins, 3.0× Pull (marketing) (10.0%)"
    assert fv.compare(ctx, {"pull": 0.1}, "funnel.takeaway_funnel") == ""


def test_an_unknown_funnel_view_is_refused(ctx):
    with pytest.raises(ValueError, match="funnel view"):
        fv.lifecycle(ctx, mode="weekly")


def test_conversion_by_segment_divides_each_values_wins_by_its_leads(ctx):
    spec = fv.conversion_by_split(ctx, split="segment")
    rows = spec.data.set_index(["Split value", "Motion"])["Conversion"]
    assert rows[("SMB", "pull")] == pytest.approx(0.5)  # L1 won of L1, L2
    assert rows[("Enterprise", "push")] == pytest.approx(0.0)  # L3, no won deal
    assert "Segment" in spec.title


def test_monthly_cohort_caption_gives_the_maturity_in_days(ctx):
    spec = fv.monthly_conversion(ctx)
    # L1 created 5 Jan 09:00, won 30 Jan: 24 days 15 hours → "25" days
    assert "younger than 25 days" in spec.caption


# -- the handoff ---------------------------------------------------------------------------------
def test_sla_takeaway_and_cards_from_the_mqls_of_january(ctx):
    # pull MQLs: L1 touched after 4 h (within 24 h), L4 after 36 h (outside); push L3 after 0 h
    spec = fv.response_curve(ctx)
    assert spec.takeaway == (
        "Push (sales) handles 100.0% of its MQLs within the SLA, against 50.0% for Pull (marketing)"
    )
    cards = {c.label: c for c in fv.handoff_cards(ctx)}
    pull = cards["Pull (marketing): within 24 h"]
    assert pull.value == "50.0%"
    assert pull.caption == "2 MQLs · median 20.0 h · 0 never touched"  # median of 4 h and 36 h


def test_a_saved_sla_of_48_hours_changes_every_handoff_view(ctx):
    wide = replace(ctx, settings={"funnel_sla_hours": "48"})
    assert fv.response_curve(wide).takeaway == (  # L4's 36 h now within: both engines 100%
        # level: no engine is crowned (issue 16)
        "Pull (marketing) and Push (sales) each handle 100.0% of their MQLs within the SLA"
    )
    assert fv.handoff_cards(wide)[0].value == "100.0%"
    assert "(48 h)" in fv.breaches_by_owner(wide).title
    assert fv.definitions(wide).endswith("SLA: 48 h")


# -- the lead-score threshold --------------------------------------------------------------------
def test_the_best_threshold_is_the_score_of_the_only_won_lead(ctx):
    scores = fv.score_range(ctx)
    # scores 10..80 span 70: bins of 1 (at most 100 bins); nothing saved → start at the best
    assert (scores.low, scores.high, scores.width, scores.start) == (10.0, 80.0, 1.0, 80.0)
    takeaway = fv.threshold_tuner(ctx).takeaway
    assert takeaway == "A lead score of 80 separates leads that win from those that do not best"


def test_score_cards_at_50_count_leads_above_and_their_won_share(ctx):
    overall = fv.score_cards(ctx, threshold=50)[0]
    # at or above 50: L1 (80, won), L3 (60); below: L2 (40), L5 (10), neither won
    assert overall.value == "2"
    assert overall.caption == "won above 50.0% · below 0.0% · best threshold 80"
    spec = fv.qualified_by_month(ctx, threshold=50)
    assert "score of 50" in spec.title
    assert spec.data.set_index("Motion")["Count qualified"].to_dict() == {"pull": 1, "push": 1}


# -- unit economics ------------------------------------------------------------------------------
def test_ltv_to_cac_takeaway_from_the_default_assumptions(ctx):
    # pull: LTV 6,000 × 0.75 ÷ 0.15 = 30,000 over CAC 4,500 ÷ 2 = 2,250 → 13.3×
    # push: LTV 2,000 × 5 = 10,000 over CAC 6,000 ÷ 1 = 6,000 → 1.7×
    spec = fv.ltv_to_cac(ctx)
    assert spec.takeaway == (
        "Pull (marketing) returns 13.3× its acquisition cost, against 1.7× for Push (sales)."
        # the tiny workspace closes 5 deals in January: the LTV carries the thin-data caveat
        " Only 5 deals closed in the period (fewer than 30): one deal moves this figure a lot."
    )
    overall = fv.unit_cards(ctx)[0]
    # overall: CAC 10,500 ÷ 3 = 3,500; LTV 5,000 × 5 = 25,000; payback 3,500 ÷ 312.5 = 11.2
    assert overall.value == "$3,500"
    assert overall.caption == (
        "LTV $25,000 · LTV:CAC 7.1× · payback 11.2 months · 3 new customers"
        # 5 deals closed in January: the overall card says what makes its LTV thin, once
        " Only 5 deals closed in the period (fewer than 30): one deal moves this figure a lot."
    )
    assert all("Only 5 deals" not in c.caption for c in fv.unit_cards(ctx)[1:])


def test_a_lower_saved_margin_lowers_ltv_to_cac(ctx):
    half = replace(ctx, settings={"unit_gross_margin": "0.375"})
    assert fv.unit_cards(half)[0].caption.startswith("LTV $12,500 · LTV:CAC 3.6×")


# -- data checks ---------------------------------------------------------------------------------
def test_trust_badges_name_the_engines_with_few_closed_deals(ctx):
    checks = fv.trust(ctx)
    assert checks.state == "warnings"
    assert checks.badges == [
        "Pull (marketing): only 3 deals closed (fewer than 30): win rates are thin",
        "Push (sales): only 2 deals closed (fewer than 30): win rates are thin",
    ]


# -- absence -------------------------------------------------------------------------------------
def test_every_funnel_view_says_why_it_is_empty_in_a_period_without_data(tiny_ws):
    ctx = context(tiny_ws, EMPTY)
    for entry in registry.entries():
        if entry.page != "funnel" or entry.key == "funnel.pipeline":  # open deals: today's
            continue
        spec = entry.build(ctx)
        assert spec.is_empty, entry.key
        assert spec.figure.data == (), entry.key
    assert fv.trust(ctx).state == "empty"
    assert fv.handoff_cards(ctx) == [] and fv.unit_cards(ctx) == []
    assert fv.score_range(ctx) is None
    assert fv.velocity_cards(ctx)[0].value == "—"  # no closed deals: no velocity, not $0


def test_only_the_lifecycle_funnel_is_in_the_funnel_pack_and_keys_are_the_page_chart_keys():
    assert registry.preset("funnel") == ["funnel.lifecycle"]
    keys = [e.key for e in registry.entries() if e.page == "funnel"]
    assert "funnel.q_sales_cycle_days" in keys and "funnel.won_sla" in keys
    assert "funnel.mql_compare" in keys  # the MQL definitions compared (handoff tab)
    assert len(keys) == len(set(keys)) == 20


def test_every_funnel_view_is_translated_into_chinese(tiny_ws):
    en, zh = context(tiny_ws, JAN), context(tiny_ws, JAN, lang="zh")
    for entry in registry.entries():
        if entry.page == "funnel":  # a missing Chinese text would fall back to the English one
            english, chinese = entry.build(en), entry.build(zh)
            assert chinese.title != english.title, entry.key
            assert chinese.caption != english.caption, entry.key
            assert chinese.takeaway != english.takeaway or not english.takeaway, entry.key
