"""One MQL definition everywhere, versioned, comparable (DESIGN.md, "One MQL definition").

On the tiny workspace (tests/fixtures.py) with "score >= 35" saved. January by hand, the MQL
moment being coalesce(mql_at, created_at):
  L1 pull, score 80, MQL date 6 Jan, won (D2)       recorded: MQL   score >= 35: MQL
  L2 pull, score 40, no MQL date, created 10 Jan    recorded: —     score >= 35: MQL
  L3 push, score 60, MQL date 20 Jan, lost (D3)     recorded: MQL   score >= 35: MQL
  L4 pull, score 90, MQL date 2 Jan, won (D1)       recorded: MQL   score >= 35: MQL
  L5 unmapped, score 10                             neither
so 4 MQLs (pull 3, push 1) against the CRM's 3 (pull 2, push 1). By campaign (first touch, the
whole life): C1 = L1, L4 (2 either way), C2 = L2 (1, none by the CRM's date).

The planner's mature cohort: four leads added below, created March-May 2024 (the window runs from
the first month of data to 240 days before February 2025, the month the data ends in):
  P1 pull, score 80, no MQL date     recorded: —     score >= 35: MQL
  P2 pull, score 20, MQL 25 Mar      recorded: MQL   score >= 35: —
  P3 push, score 50, MQL 6 Apr       recorded: MQL   score >= 35: MQL
  P4 pull, score 60, no MQL date     recorded: —     score >= 35: MQL
so pull 2 and push 1 MQLs by the score (pull 1, push 1 by the CRM's date).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from planning.handoff import MqlDefinition
from queries import campaigns, funnel, metrics, scenarios
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.fixtures import build_tiny_workspace
from views import campaigns as campaign_views
from views import funnel as funnel_views
from views import overview
from views.spec import context

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
SCORE_35 = {"mql_rule": "score", "mql_threshold": "35", "sla_hours": 24}
OLD_LEADS = [
    ("P1", "2024-03-10 09:00", "Webinar", 80.0, None),
    ("P2", "2024-03-20 09:00", "Webinar", 20.0, "2024-03-25 00:00"),
    ("P3", "2024-04-05 09:00", "Outbound", 50.0, "2024-04-06 00:00"),
    ("P4", "2024-05-01 09:00", "Paid Search", 60.0, None),
]


def _workspace(tmp_path: Path, *, old_leads: bool = False) -> Workspace:
    ws = Workspace(build_tiny_workspace(tmp_path / "t.duckdb"))
    if old_leads:
        with ws.transaction() as cur:
            cur.executemany(
                "insert into raw_leads (lead_id, created_at, source, lead_score, mql_at) "
                "values (?, ?, ?, ?, ?)",
                OLD_LEADS,
            )
            refresh_lead_facts(cur)
    return ws


@pytest.fixture
def ws(tmp_path):
    ws = _workspace(tmp_path, old_leads=True)
    yield ws
    ws.close()


def _versions(ws: Workspace) -> list[tuple[int, str, float | None]]:
    df = funnel.mql_versions(ws)
    return [
        (int(r.version), r.rule, None if r.threshold != r.threshold else float(r.threshold))
        for r in df.itertuples()
    ]


# -- one definition everywhere -------------------------------------------------------------------
def test_a_saved_score_definition_sets_every_mql_count(ws):
    assert funnel.save_handoff(ws, SCORE_35) == []
    ctx = context(ws, JAN)
    # Overview headline and the `flywheel metrics --json` figures (the CLI prints this dict)
    side = {row["Metric"]: row for row in overview.side_by_side(ctx).to_dict("records")}["MQLs"]
    assert (side["Overall"], side["Pull (marketing)"], side["Push (sales)"]) == ("4", "3", "1")
    data = metrics.as_json_dict(metrics.headline(ws, JAN), JAN)
    assert [data[g]["mqls"] for g in ("overall", "pull", "push")] == [4, 3, 1]
    # campaign results, first touch on the record and credited under an attribution model
    results = campaigns.results(ws, JAN, date(2025, 3, 31)).set_index("campaign_id")
    assert results["count_mqls"].to_dict() == {"C1": 2, "C2": 1}
    credited = campaign_views.campaign_results(ctx, model="first_touch").set_index("campaign_id")
    assert credited["count_mqls"].to_dict() == {"C1": 2.0, "C2": 1.0}
    # the scenario planner's mature cohort
    hist = scenarios.planner_history(ws)
    assert (hist.cohorts["pull"].count_mql, hist.cohorts["push"].count_mql) == (2, 1)
    assert (hist.cohorts["pull"].count_leads, hist.cohorts["push"].count_leads) == (3, 1)


def test_by_the_crms_date_the_same_counts_are_the_recorded_ones(ws):
    # the definition is what changed the figures above: without one saved, the CRM's MQL date
    results = campaigns.results(ws, JAN, date(2025, 3, 31)).set_index("campaign_id")
    assert results["count_mqls"].to_dict() == {"C1": 2, "C2": 0}
    hist = scenarios.planner_history(ws)
    assert (hist.cohorts["pull"].count_mql, hist.cohorts["push"].count_mql) == (1, 1)
    scored = scenarios.planner_history(ws, mql=MqlDefinition("score", 35.0))
    assert scored.cohorts["pull"].count_mql == 2


# -- versions ----------------------------------------------------------------------------------
def test_saving_a_changed_definition_appends_a_version(tmp_path):
    ws = _workspace(tmp_path)
    try:
        assert _versions(ws) == []  # nothing saved before: the CRM's date, no version
        assert funnel.save_handoff(ws, SCORE_35) == []
        # the SLA alone changed: the definition is the latest version already
        assert funnel.save_handoff(ws, {**SCORE_35, "sla_hours": 48}) == []
        assert funnel.save_handoff(ws, {**SCORE_35, "mql_threshold": "70"}) == []
        assert funnel.save_handoff(ws, {"mql_rule": "recorded", "sla_hours": 48}) == []
        assert _versions(ws) == [(3, "recorded", None), (2, "score", 70.0), (1, "score", 35.0)]
        assert set(funnel.mql_versions(ws)["saved_by"]) == {"local"}
        # the settings stay the current definition
        assert ws.settings()["funnel_mql_rule"] == "recorded"
    finally:
        ws.close()


def test_a_refused_save_writes_neither_the_settings_nor_a_version(tmp_path):
    ws = _workspace(tmp_path)
    try:
        assert funnel.save_handoff(ws, SCORE_35) == []
        errors = funnel.save_handoff(ws, {**SCORE_35, "mql_threshold": "high"})
        assert [e.code for e in errors] == ["threshold_invalid"]
        errors = funnel.save_handoff(ws, {**SCORE_35, "mql_threshold": "80", "sla_hours": 0})
        assert [e.code for e in errors] == ["sla_invalid"]
        assert _versions(ws) == [(1, "score", 35.0)]
        assert ws.settings()["funnel_mql_score_threshold"] == "35"
    finally:
        ws.close()


def test_the_migration_records_the_definition_saved_before_it_as_version_one(tmp_path):
    path = build_tiny_workspace(tmp_path / "t.duckdb")
    ws = Workspace(path)
    with ws.transaction() as cur:  # back to a workspace from before migration 015
        cur.execute("drop table mql_versions")
        cur.execute("delete from schema_version where version = 15")
        cur.execute("insert into settings values ('funnel_mql_rule', 'score_or_recorded')")
        cur.execute("insert into settings values ('funnel_mql_score_threshold', '62.5')")
    ws.close()
    ws = Workspace(path)
    try:
        assert _versions(ws) == [(1, "score_or_recorded", 62.5)]
    finally:
        ws.close()


def test_the_migration_records_no_version_for_a_broken_saved_definition(tmp_path):
    path = build_tiny_workspace(tmp_path / "t.duckdb")
    ws = Workspace(path)
    with ws.transaction() as cur:  # a score rule without a threshold counts as none saved
        cur.execute("drop table mql_versions")
        cur.execute("delete from schema_version where version = 15")
        cur.execute("insert into settings values ('funnel_mql_rule', 'score')")
    ws.close()
    ws = Workspace(path)
    try:
        assert _versions(ws) == []
    finally:
        ws.close()


# -- the comparison ----------------------------------------------------------------------------
def test_the_comparison_counts_both_definitions_by_hand(ws):
    # current: the CRM's date; candidate "score >= 35" (not saved)
    table = funnel.compare_definitions(ws, JAN, MqlDefinition(), MqlDefinition("score", 35.0))
    row = table.set_index("motion")
    assert row.loc["pull", ["count_mqls_current", "count_mqls_other"]].tolist() == [2, 3]
    assert row.loc["pull", ["count_won_current", "count_won_other"]].tolist() == [2, 2]
    # creation -> MQL: L1 0.625 days, L4 12.625 (median 6.625); with L2 (0 days) 0.625
    assert row.loc["pull", "median_days_current"] == pytest.approx(6.625)
    assert row.loc["pull", "median_days_other"] == pytest.approx(0.625)
    assert row.loc["push", ["count_mqls_current", "count_mqls_other"]].tolist() == [1, 1]
    assert row.loc["push", "count_won_other"] == 0 and row.loc["push", "median_days_other"] == 0
    assert row.loc["unmapped", ["count_candidates", "count_mqls_other"]].tolist() == [1, 0]
    # a product filter asks for a won deal of those products: L1 and L4 won Core deals
    for products, won in ((("Core",), 2), (("Plus",), 0)):
        only = replace(JAN, products=products)
        table = funnel.compare_definitions(ws, only, MqlDefinition(), MqlDefinition("score", 35.0))
        pull = table.set_index("motion").loc["pull"]
        assert pull[["count_mqls_other", "count_won_other"]].tolist() == [3, won], products


def test_the_comparison_view_states_the_change_in_one_sentence(ws):
    spec = funnel_views.mql_comparison(context(ws, JAN), rule="score", threshold=35)
    assert not spec.is_empty
    assert spec.takeaway == (
        "MQLs under Candidate (Score ≥ 35) instead of the current definition: "
        "Pull (marketing) 3 instead of 2 (+50.0%), their win rate 66.7% against 100.0%; "
        "Push (sales) 1 instead of 1 (±0.0%), their win rate 0.0% against 0.0%."
    )
    data = spec.data.set_index("Engine")
    assert data.loc["Pull (marketing)", "MQL change"] == pytest.approx(0.5)
    assert data.loc["Pull (marketing)", "Win-rate change (points)"] == pytest.approx(2 / 3 - 1)
    assert data.loc["Pull (marketing)", "Days change"] == pytest.approx(-6.0)
    assert spec.data.columns[0] == "Engine" and len(spec.data) == 2
    zh = funnel_views.mql_comparison(context(ws, JAN, "zh"), rule="score", threshold=35)
    assert "3 个，当前为 2 个（+50.0%）" in zh.takeaway


def test_by_default_the_comparison_takes_the_newest_earlier_version_that_differs(ws):
    funnel.save_handoff(ws, SCORE_35)
    funnel.save_handoff(ws, {"mql_rule": "recorded", "sla_hours": 24})
    funnel.save_handoff(ws, {"mql_rule": "recorded", "sla_hours": 12})  # no new version
    ctx = context(ws, JAN)
    spec = funnel_views.mql_comparison(ctx)
    assert spec.takeaway.startswith("MQLs under Version 1 (Score ≥ 35, saved ")
    assert "Pull (marketing) 3 instead of 2 (+50.0%)" in spec.takeaway
    same = funnel_views.mql_comparison(ctx, version=2)
    assert same.is_empty and "exactly as the current definition" in same.empty_reason
    assert "no saved version 9" in funnel_views.mql_comparison(ctx, version=9).empty_reason


def test_a_candidate_among_leads_without_scores_says_a_score_rule_needs_them(ws):
    with ws.transaction() as cur:
        cur.execute("update raw_leads set lead_score = null")
    ctx = context(ws, JAN)
    spec = funnel_views.mql_comparison(ctx, rule="score_or_recorded", threshold=50)
    assert spec.is_empty and "No lead of this period has a lead score" in spec.empty_reason
    nothing = funnel_views.mql_comparison(ctx)
    assert nothing.is_empty and "type a candidate" in nothing.empty_reason
    bad = funnel_views.mql_comparison(ctx, rule="score")
    assert bad.is_empty and "needs a lead-score threshold" in bad.empty_reason


def test_a_period_without_mql_moments_says_so(ws):
    feb_2026 = replace(JAN, date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
    spec = funnel_views.mql_comparison(context(ws, feb_2026), rule="score", threshold=35)
    assert spec.is_empty and spec.empty_reason.startswith("No lead reached its MQL moment")


# -- the page (one AppTest: the control in the handoff tab) --------------------------------------
def test_the_handoff_tab_compares_with_an_earlier_version_or_a_typed_candidate(
    sample_path, tmp_path, monkeypatch
):
    import shutil

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from components.i18n import translate

    path = tmp_path / "sample.duckdb"
    shutil.copy(sample_path, path)
    ws = Workspace(path)
    funnel.save_handoff(ws, {"mql_rule": "score", "mql_threshold": "70", "sla_hours": 24})
    funnel.save_handoff(ws, {"mql_rule": "recorded", "sla_hours": 24})
    ws.close()
    monkeypatch.setenv("FLYWHEEL_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"))
        at.default_timeout = 120
        at.run()
        at.switch_page("app_pages/funnel.py").run()
        at.session_state["funnel_tab"] = translate("funnel.tab.handoff", "en")
        at.run()
        at.toggle(key="funnel_compare_on").set_value(True).run()
        assert not at.exception and not at.error

        def takeaways() -> list[str]:
            # the page escapes markdown: drop the backslashes to read the sentence
            texts = [m.value.replace("\\", "") for m in at.markdown]
            return [x for x in texts if "MQLs under" in x]

        assert takeaways()[0].startswith("**MQLs under Version 1 (Score ≥ 70, saved ")
        at.segmented_control(key="funnel_compare_with").set_value("candidate").run()
        at.text_input(key="funnel_compare_threshold").set_value("80").run()
        assert takeaways()[0].startswith("**MQLs under Candidate (Score ≥ 80)")
        at.text_input(key="funnel_compare_threshold").set_value("high").run()
        assert not takeaways()
        assert any("needs a lead-score threshold" in e.value for e in at.error)
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
