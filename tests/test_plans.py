"""Planning arithmetic (market sizing, plan versions, budget mix) and the plan tables' writes,
against figures computed by hand. Every write that is refused must leave the workspace as it
was."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from planning import budget_mix, market_sizing, plan_versions
from queries import plans
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace


# -- market sizing -------------------------------------------------------------------------------
def test_top_down_multiplies_the_share_assumptions_and_bottom_up_is_accounts_times_acv():
    assert market_sizing.top_down(1_000_000.0, 0.4, 0.05) == (1_000_000.0, 400_000.0, 20_000.0)
    assert market_sizing.bottom_up(250, 4_000.0) == 1_000_000.0
    assert math.isnan(market_sizing.bottom_up(None, 4_000.0))
    sam_share, som_share = market_sizing.shares(1_000.0, 400.0, 20.0)
    assert (sam_share, som_share) == (0.4, 0.05)
    assert math.isnan(market_sizing.shares(0.0, 400.0, 20.0)[0])


def test_funnel_deliverable_is_opportunities_per_year_times_win_rate_times_deal_size():
    # 30 opportunities in 73 days = 150 a year; × 20 % × 10,000 = 300,000 a year
    per_year = market_sizing.annualised(30, 73)
    assert per_year == pytest.approx(150.0)
    assert market_sizing.deliverable(per_year, 0.2, 10_000.0) == pytest.approx(300_000.0)
    assert market_sizing.deliverable(0, math.nan, math.nan) == 0.0
    assert math.isnan(market_sizing.deliverable(10, math.nan, 5.0))


@pytest.mark.parametrize(
    ("som", "deliverable", "status"),
    [
        (100.0, 100.0, "reachable"),
        (200.0, 100.0, "stretch"),  # exactly STRETCH_LIMIT × today's pace
        (201.0, 100.0, "unreachable"),
        (0.0, 100.0, "no_som"),
        (None, 100.0, "no_som"),
        (100.0, 0.0, "no_funnel"),
        (100.0, math.nan, "no_funnel"),
    ],
)
def test_a_som_beyond_twice_what_the_funnel_delivers_is_unreachable(som, deliverable, status):
    assert market_sizing.reach_status(som, deliverable) == status


def test_reach_table_scales_the_period_to_a_year_and_adds_the_open_pipeline():
    sizes = pd.DataFrame({"segment": ["A", "B", "C"], "som": [1_000.0, 5_000.0, 500.0]})
    funnel = pd.DataFrame(
        {
            "segment": ["A", "B"],
            "opportunities": [10, 4],
            "win_rate": [0.5, 0.25],
            "avg_deal_size": [100.0, 1_000.0],
            "open_pipeline": [400.0, 2_000.0],
        }
    )
    # a half-year period (182.5 days): A 20 opps/yr × 0.5 × 100 = 1,000; B 8 × 0.25 × 1,000
    # = 2,000; C has no funnel
    out = market_sizing.reach_table(sizes, funnel, 365 // 2).set_index("segment")
    assert out.loc["A", "opportunities_per_year"] == pytest.approx(10 * 365 / 182)
    out = market_sizing.reach_table(sizes, funnel, 365).set_index("segment")
    assert out.loc["A", "deliverable"] == pytest.approx(500.0)
    assert out.loc["A", "reach"] == "stretch"  # needs 2×
    assert out.loc["B", "deliverable"] == pytest.approx(1_000.0)
    assert out.loc["B", "needed_growth"] == pytest.approx(5.0)
    assert out.loc["B", "reach"] == "unreachable"
    assert out.loc["B", "pipeline_expected"] == pytest.approx(500.0)
    assert out.loc["C", "reach"] == "no_funnel"


def test_attractiveness_score_is_the_mean_of_min_max_scaled_size_growth_and_win_rate():
    df = pd.DataFrame(
        {
            "segment": ["A", "B", "C"],
            "sam": [100.0, 300.0, 200.0],
            "growth_pct": [10.0, 0.0, 5.0],
            "win_rate": [0.2, 0.4, math.nan],
        }
    )
    out = market_sizing.attractiveness_scores(df).set_index("segment")
    # A: (0 + 1 + 0) / 3; B: (1 + 0 + 1) / 3; C: (0.5 + 0.5 + 0) / 3
    assert out.loc["A", "score"] == pytest.approx(1 / 3)
    assert out.loc["B", "score"] == pytest.approx(2 / 3)
    assert out.loc["C", "score"] == pytest.approx(1 / 3)
    assert out.loc["B", "rank"] == 1
    assert out.loc["C", "rank"] == 2  # a tie on score goes to the larger SAM


def test_sizes_are_refused_when_sam_exceeds_tam_or_som_exceeds_sam():
    df = pd.DataFrame(
        {
            "segment": ["A", "A", ""],
            "tam": [100.0, 100.0, 10.0],
            "sam": [150.0, 50.0, 5.0],
            "som": [10.0, 60.0, 1.0],
            "growth_pct": [5.0, 2000.0, 1.0],
            "target_accounts": [1.5, 2, 3],
            "expected_acv": [1.0, -1.0, 1.0],
        }
    )
    found = {(e.row, e.field, e.code) for e in market_sizing.validate_sizes(df)}
    assert found == {
        (1, "sam", "sam_above_tam"),
        (1, "target_accounts", "whole_number"),
        (2, "segment", "duplicate"),
        (2, "som", "som_above_sam"),
        (2, "growth_pct", "range"),
        (2, "expected_acv", "negative"),
        (3, "segment", "required"),
    }


# -- plan versions -------------------------------------------------------------------------------
def _items(over: dict) -> pd.DataFrame:
    df = plan_versions.blank_items("SMB").astype({"kpi": object})
    for (p, field), value in over.items():
        df.loc[df["p"] == p, field] = value
    return df


def test_a_kpi_needs_a_target_in_its_unit_and_a_target_needs_a_kpi():
    df = plan_versions.blank_items("SMB").astype({"target": object, "kpi": object})
    df.loc[0, ["kpi", "target"]] = ["win_rate", 130.0]  # percent above 100
    df.loc[1, ["kpi", "target"]] = ["avg_deal_size", None]  # KPI without target
    df.loc[2, ["kpi", "target"]] = [None, 5.0]  # target without KPI
    df.loc[3, ["kpi", "target", "due_date"]] = ["sales_cycle_days", -3.0, "next week"]
    found = {(e.row, e.field, e.code) for e in plan_versions.validate_items(df)}
    assert found == {
        (1, "target", "range"),
        (2, "target", "target_required"),
        (3, "kpi", "kpi_required"),
        (4, "target", "negative"),
        (4, "due_date", "not_a_date"),
    }


def test_version_diff_marks_changed_added_and_removed_fields():
    before = plan_versions.blank_items("SMB")
    before.loc[0, "decisions"] = "Lead with Core"
    after = before.copy()
    after.loc[0, "decisions"] = "Lead with Plus"
    after.loc[1, "owner"] = "  Ann "
    after = pd.concat([after, plan_versions.blank_items("Enterprise").head(1)], ignore_index=True)
    diff = plan_versions.diff_versions(before, after)
    changed = diff[diff["change"] == "changed"]
    assert changed[["p", "field", "before", "after"]].values.tolist() == [
        ["product", "decisions", "Lead with Core", "Lead with Plus"],
        ["price", "owner", "", "Ann"],
    ]
    added = diff[diff["change"] == "added"]
    assert set(added["segment"]) == {"Enterprise"} and len(added) == len(plan_versions.ITEM_FIELDS)
    removed = plan_versions.diff_versions(after, before)
    assert set(removed.loc[removed["change"] == "removed", "segment"]) == {"Enterprise"}
    # identical versions: nothing but "same"
    assert set(plan_versions.diff_versions(before, before)["change"]) == {"same"}


@pytest.mark.parametrize(
    ("actual", "target", "higher", "light"),
    [
        (30.0, 30.0, True, "green"),
        (27.0, 30.0, True, "amber"),  # 90 % of target: still amber
        (26.9, 30.0, True, "red"),
        (60.0, 60.0, False, "green"),
        (66.0, 60.0, False, "amber"),  # 10 % over a lower-is-better target
        (66.1, 60.0, False, "red"),
        (None, 60.0, False, "grey"),
    ],
)
def test_traffic_light_is_green_on_target_amber_within_ten_percent(actual, target, higher, light):
    assert plan_versions.traffic_light(actual, target, higher_is_better=higher) == light


def test_kpi_tracker_reads_the_segment_metric_in_percent_and_mirrors_the_cycle():
    metrics = pd.DataFrame(
        {
            "segment": ["SMB", "SMB", "SMB"],
            "motion_group": ["overall", "pull", "push"],
            "win_rate": [0.25, 0.5, 0.1],
            "won_amount": [1000.0, 750.0, 250.0],
            "avg_deal_size": [500.0, 750.0, 250.0],
            "sales_cycle_days": [80.0, 70.0, 90.0],
            "opportunities": [10, 6, 4],
            "won": [2, 1, 1],
        }
    )
    before = metrics.assign(win_rate=[0.2, 0.4, 0.1], sales_cycle_days=[80.0, 60.0, 90.0])
    actual = plan_versions.kpi_actuals(metrics).set_index("kpi")["value"]
    assert actual["win_rate"] == pytest.approx(25.0)
    assert actual["pull_share_of_won"] == pytest.approx(75.0)
    items = _items(
        {
            ("price", "kpi"): "win_rate",
            ("price", "target"): 30.0,
            ("place", "kpi"): "sales_cycle_days",
            ("place", "target"): 60.0,
        }
    )
    out = plan_versions.tracker(
        items, plan_versions.kpi_actuals(metrics), plan_versions.kpi_actuals(before)
    ).set_index("p")
    assert out.loc["price", "light"] == "red"  # 25 % against 30 %: 83 %
    assert out.loc["price", "attainment"] == pytest.approx(25 / 30)
    assert out.loc["price", "trend"] == "up"
    assert out.loc["place", "attainment"] == pytest.approx(60 / 80)  # target ÷ actual
    assert out.loc["place", "trend"] == "flat"
    assert len(out) == 2  # cards without a KPI are not tracked


# -- budget mix ----------------------------------------------------------------------------------
LINES = pd.DataFrame(
    {
        "kind": ["channel", "channel", "channel", "mix"],
        "line": ["Webinar", "Paid Search", "New channel", "product"],
        "amount": [1_000.0, 600.0, 100.0, 300.0],
    }
)
HISTORY = pd.DataFrame(
    {
        "channel": ["Webinar", "Paid Search"],
        "spend": [500.0, 0.0],
        "leads": [50, 20],
        "opportunities": [10, 5],
        "pipeline_created": [25_000.0, 4_000.0],
    }
)


def test_budget_lines_must_add_up_to_the_total():
    assert budget_mix.validate_budget(2_000.0, LINES) == []
    (error,) = budget_mix.validate_budget(2_500.0, LINES)
    assert (error.field, error.code) == ("total", "total_mismatch")
    assert error.kwargs() == {"lines": 2_000.0, "total": 2_500.0, "gap": 500.0}
    bad = LINES.assign(amount=[1_000.0, -5.0, "lots", 300.0])
    found = {(e.row, e.code) for e in budget_mix.validate_budget("x", bad)}
    assert found == {(0, "not_a_number"), (2, "negative"), (3, "not_a_number")}


def test_implied_leads_and_pipeline_follow_historical_cost_per_lead_and_conversion():
    out = budget_mix.plan_against_history(LINES, HISTORY).set_index("line")
    # Webinar: 500 ÷ 50 = 10 per lead; 1,000 buys 100 leads → 20 opportunities, 50,000 pipeline
    assert out.loc["Webinar", "cost_per_lead"] == pytest.approx(10.0)
    assert out.loc["Webinar", "implied_leads"] == pytest.approx(100.0)
    assert out.loc["Webinar", "implied_opportunities"] == pytest.approx(20.0)
    assert out.loc["Webinar", "implied_pipeline"] == pytest.approx(50_000.0)
    assert out.loc["Webinar", "change"] == pytest.approx(500.0)
    # no historical spend, a new channel, another P: nothing implied (not zero)
    for line in ("Paid Search", "New channel", "product"):
        assert math.isnan(out.loc[line, "implied_leads"])
    assert out.loc["New channel", "actual"] == 0.0
    assert math.isnan(out.loc["product", "actual"])
    sums = budget_mix.totals(out.reset_index())
    assert sums["amount"] == 2_000.0 and sums["actual"] == 500.0
    assert sums["implied_leads"] == pytest.approx(100.0)


# -- the plan tables -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def plan_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_workspace(tmp_path_factory.mktemp("plans") / "plans.duckdb")


@pytest.fixture
def rw(plan_path: Path, tmp_path: Path) -> Iterator[Workspace]:
    copy = tmp_path / "plans.duckdb"
    shutil.copy(plan_path, copy)
    ws = Workspace(copy)
    yield ws
    ws.close()


def test_a_target_decision_is_dated_and_the_newest_one_is_in_force(rw):
    assert plans.target_segments(rw) == ()
    plans.save_target_decision(rw, ["SMB"], "Fast cycle", "Ann", at=datetime(2025, 1, 1))
    plans.save_target_decision(
        rw, ["Enterprise", "SMB", "SMB"], "Bigger deals", at=datetime(2025, 2, 1)
    )
    assert plans.target_segments(rw) == ("Enterprise", "SMB")
    history = plans.target_decisions(rw)
    assert history["decided_at"].tolist() == [pd.Timestamp(2025, 2, 1), pd.Timestamp(2025, 1, 1)]


def test_a_target_decision_without_segments_or_rationale_is_refused_and_nothing_saved(rw):
    with pytest.raises(plans.PlanError) as caught:
        plans.save_target_decision(rw, [], "   ")
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("segments", "required"),
        ("rationale", "required"),
    }
    assert plans.target_decisions(rw).empty


def _plan(decision: str = "Lead with Core") -> pd.DataFrame:
    df = plan_versions.blank_items("SMB")
    df.loc[0, ["decisions", "kpi", "target", "owner", "due_date"]] = [
        decision,
        "win_rate",
        30.0,
        "Ann",
        date(2025, 6, 30),
    ]
    return df


def test_each_save_is_a_new_version_and_old_versions_stay(rw):
    first = plans.save_version(rw, _plan(), "Draft", "Ann", at=datetime(2025, 1, 2))
    second = plans.save_version(rw, _plan("Lead with Plus"), "Review", at=datetime(2025, 2, 2))
    assert (first, second) == (1, 2)
    assert plans.latest_version_id(rw) == 2
    assert plans.versions(rw)["label"].tolist() == ["Review", "Draft"]
    v1 = plans.items(rw, 1)
    assert v1.loc[v1["p"] == "product", "decisions"].item() == "Lead with Core"
    assert v1.loc[v1["p"] == "product", "due_date"].item() == pd.Timestamp(2025, 6, 30)
    diff = plan_versions.diff_versions(v1, plans.items(rw, 2))
    assert diff.loc[diff["change"] != "same", "field"].tolist() == ["decisions"]


def test_an_invalid_plan_is_refused_per_field_and_no_version_is_saved(rw):
    bad = _plan()
    bad.loc[1, ["kpi", "target"]] = ["win_rate", 250.0]
    with pytest.raises(plans.PlanError) as caught:
        plans.save_version(rw, bad, "")
    found = {(e.row, e.field, e.code) for e in caught.value.errors}
    assert found == {(0, "label", "required"), (2, "target", "range")}
    assert plans.versions(rw).empty
    lines = plans.messages(caught.value.errors, lambda k, **kw: k, {"target": "Target"})
    assert "SMB · market.err.row · Target: market.err.range" in lines


def test_positioning_values_round_trip_and_bad_values_are_refused(rw):
    values = pd.DataFrame(
        {
            "kind": ["competitor", "competitor", "us", "target"],
            "player": ["Contoso", "Contoso", "", ""],
            "axis": ["price_index", "breadth", "price_index", "price_index"],
            "value": [110.0, 7.0, 95.0, 105.0],
        }
    )
    plans.save_positioning(rw, values)
    stored = plans.positioning_values(rw)
    assert len(stored) == 4
    assert set(stored["axis"]) == {"price_index", "breadth"}
    bad = values.assign(value=[110.0, "high", 95.0, 105.0])
    with pytest.raises(plans.PlanError):
        plans.save_positioning(rw, bad)
    assert len(plans.positioning_values(rw)) == 4  # unchanged


def test_a_budget_that_does_not_add_up_is_refused_and_the_saved_one_stays(rw):
    plans.save_budget(rw, 2026, 2_000.0, LINES)
    total, lines = plans.budget(rw, 2026)
    assert total == 2_000.0 and lines["amount"].sum() == 2_000.0
    with pytest.raises(plans.PlanError) as caught:
        plans.save_budget(rw, 2026, 9_999.0, LINES.assign(amount=[1.0, 2.0, 3.0, 4.0]))
    assert caught.value.errors[0].code == "total_mismatch"
    assert plans.budget(rw, 2026)[0] == 2_000.0


def test_market_assumptions_of_a_year_are_replaced_whole_or_not_at_all(rw):
    sizes = pd.DataFrame(
        {
            "segment": ["SMB", "Enterprise"],
            "tam": [1_000.0, 5_000.0],
            "sam": [400.0, 2_000.0],
            "som": [40.0, 100.0],
            "growth_pct": [10.0, 5.0],
            "target_accounts": [100, 10],
            "expected_acv": [5.0, 50.0],
        }
    )
    plans.save_market_year(rw, 2025, sizes)
    stored = rw.query("market_segment_sizes", segments=None)
    assert stored.set_index("segment")["bottom_up"].to_dict() == {"Enterprise": 500.0, "SMB": 500.0}
    with pytest.raises(plans.PlanError):
        plans.save_market_year(rw, 2025, sizes.assign(som=[40.0, 9_999.0]))
    assert rw.query("market_segment_sizes", segments=None)["som"].tolist() == [100.0, 40.0]


CSV = b"""competitor,segment,year,share_pct,price_index,quality_index
Contoso,SMB,2025,30,110,80
Fabrikam,SMB,2025,20,,
"""


def test_competitor_csv_is_validated_and_upserted_in_one_transaction(rw):
    rows = plans.parse_competitors_csv(CSV)
    assert plans.import_competitors(rw, rows) == 2
    again = plans.parse_competitors_csv(b"competitor,segment,year,share_pct\nContoso,SMB,2025,35\n")
    plans.import_competitors(rw, again)
    stored = rw.query("market_competitor_rows").set_index("competitor")
    assert stored.loc["Contoso", "share_pct"] == 35.0  # replaced, not added
    assert stored.loc["Fabrikam", "share_pct"] == 20.0  # kept
    # a file that would push SMB 2025 over 100 % with the kept rows: refused, nothing changes
    over = plans.parse_competitors_csv(b"competitor,segment,year,share_pct\nLitware,SMB,2025,50\n")
    with pytest.raises(plans.PlanError) as caught:
        plans.import_competitors(rw, over)
    assert caught.value.errors[0].code == "shares_over_100"
    assert sorted(rw.query("market_competitor_rows")["competitor"]) == ["Contoso", "Fabrikam"]


def test_a_competitor_csv_with_bad_rows_or_missing_columns_is_refused():
    with pytest.raises(plans.PlanError) as caught:
        plans.parse_competitors_csv(b"name,share\nx,1\n")
    assert caught.value.errors[0].code == "missing_columns"
    rows = plans.parse_competitors_csv(
        b"competitor,segment,year,share_pct\n,SMB,2025,10\nA,SMB,20x5,10\nB,SMB,2025,101\n"
        b"C,SMB,2025,5\nC,SMB,2025,6\n"
    )
    found = {(e.row, e.field, e.code) for e in plans.validate_competitors(rows)}
    assert found == {
        (1, "competitor", "required"),
        (2, "year", "range"),
        (3, "share_pct", "range"),
        (5, "competitor", "duplicate_of"),
    }


def test_the_sample_starting_plan_has_a_version_positions_and_a_budget_but_no_targets(
    sample_path: Path, tmp_path: Path, sample_names
):
    copy = tmp_path / "sample.duckdb"
    shutil.copy(sample_path, copy)
    ws = Workspace(copy)
    try:
        plans.seed_sample_plans(ws)
        plans.seed_sample_plans(ws)  # idempotent: a plan already there is kept
        assert plans.target_segments(ws) == ()  # the sample opens on the whole company
        assert len(plans.versions(ws)) == 1
        items = plans.items(ws, 1)
        assert set(items["segment"]) == {
            sample_names.label(s) for s in ("Mid-Market", "Enterprise")
        }
        assert len(items) == 8 and items["kpi"].notna().all()
        assert {"us", "target", "competitor"} <= set(plans.positioning_values(ws)["kind"])
        total, lines = plans.budget(ws, 2027)
        assert total == pytest.approx(lines["amount"].sum())
        assert budget_mix.validate_budget(total, lines) == []
    finally:
        ws.close()


def test_a_competitor_file_over_the_limit_is_refused_with_the_limit_in_words():
    from components.i18n import translate

    too_big = b"competitor,segment,year,share_pct\n" + b"x" * plans.COMPETITORS_MAX_BYTES
    with pytest.raises(plans.PlanError) as refused:
        plans.parse_competitors_csv(too_big)
    (error,) = refused.value.errors
    assert error.code == "too_large"
    assert translate("market.err.too_large", "en", **dict(error.params)) == (
        "the file is larger than 5 MB"
    )
