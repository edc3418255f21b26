"""Unit economics (planning/unit_economics.py): LTV, LTV:CAC and CAC payback by hand, the
benchmark bands, the workspace assumptions and their validation."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from planning import unit_economics as ue
from queries import funnel, metrics
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.fixtures import build_tiny_workspace


def test_ltv_is_annual_revenue_times_margin_over_churn():
    assert ue.ltv(12_000, 0.75, 0.15) == pytest.approx(60_000)
    assert math.isnan(ue.ltv(12_000, 0.75, 0))


def test_payback_is_cac_over_monthly_gross_margin():
    # 12,000 a year is 1,000 a month; at 75% margin 750 a month pays back 6,000 in 8 months
    assert ue.payback_months(6_000, 12_000, 0.75) == pytest.approx(8.0)
    assert math.isnan(ue.payback_months(6_000, 0, 0.75))


@pytest.mark.parametrize(
    ("ratio", "band"),
    [
        (3.0, "good"),
        (2.99, "ok"),
        (1.0, "ok"),
        (0.9, "poor"),
        # an unknown ratio has no band: not 'good' for +inf (no CAC), not 'poor' for -inf
        (math.nan, None),
        (math.inf, None),
        (-math.inf, None),
        (None, None),
    ],
)
def test_ltv_cac_bands(ratio, band):
    assert ue.band_ltv_cac(ratio) == band


@pytest.mark.parametrize(
    ("months", "band"),
    [
        (12.0, "good"),
        (12.1, "ok"),
        (24.0, "ok"),
        (24.5, "poor"),
        # an unknown payback has no band: +inf is not 'poor', -inf not 'good'
        (math.nan, None),
        (math.inf, None),
        (-math.inf, None),
        (None, None),
    ],
)
def test_payback_bands(months, band):
    assert ue.band_payback(months) == band


def test_unit_economics_table_from_headline_rows():
    head = pd.DataFrame(
        {
            "marketing_spend": [9_000.0, 9_000.0, 0.0],
            "sales_spend": [6_000.0, 0.0, 6_000.0],
            "new_customers": [5, 3, 2],
            "cac": [3_000.0, 3_000.0, 3_000.0],
            "avg_deal_size": [12_000.0, 24_000.0, 6_000.0],
        },
        index=["overall", "pull", "push"],
    )
    table = ue.unit_economics(head, 0.5, 0.25).set_index("motion")
    # pull: LTV = 24,000 × 0.5 ÷ 0.25 = 48,000; LTV:CAC 16; payback 3,000 ÷ 1,000 = 3 months
    assert table.loc["pull", ["ltv", "ltv_to_cac", "payback_months"]].tolist() == pytest.approx(
        [48_000, 16, 3]
    )
    # push: LTV 12,000, 4×; payback 3,000 ÷ 250 = 12 months: still good
    assert table.loc["push", ["ltv_to_cac", "payback_months"]].tolist() == pytest.approx([4, 12])
    assert table.loc["push", "payback_band"] == "good"
    assert table.loc["overall", "spend"] == pytest.approx(15_000)


def test_unit_economics_takes_cac_from_the_headline_metrics(tmp_path: Path):
    ws = Workspace(build_tiny_workspace(tmp_path / "ue.duckdb"))
    try:
        jan = Filters(date(2025, 1, 1), date(2025, 1, 31))
        head = metrics.headline(ws, jan)
        table = ue.unit_economics(head, 0.8, 0.2).set_index("motion")
        for group in ("overall", "pull", "push"):
            assert table.loc[group, "cac"] == pytest.approx(head.loc[group, "cac"], nan_ok=True)
    finally:
        ws.close()


def test_assumptions_default_when_unset_or_out_of_range():
    assert ue.assumptions({}) == (ue.DEFAULT_GROSS_MARGIN, ue.DEFAULT_ANNUAL_CHURN)
    assert ue.assumptions({"unit_gross_margin": "0.6", "unit_annual_churn": "0.1"}) == (0.6, 0.1)
    assert ue.assumptions({"unit_gross_margin": "7", "unit_annual_churn": "0"}) == (
        ue.DEFAULT_GROSS_MARGIN,
        ue.DEFAULT_ANNUAL_CHURN,
    )


def test_saving_assumptions_stores_fractions_and_refuses_bad_input(tmp_path: Path):
    ws = Workspace(build_tiny_workspace(tmp_path / "save.duckdb"))
    try:
        ok = {"gross_margin_pct": 80, "annual_churn_pct": 12.5, "pull_share_pct": 25}
        assert funnel.save_unit_assumptions(ws, ok) == []
        saved = ws.settings()
        assert (saved["unit_gross_margin"], saved["unit_annual_churn"]) == ("0.8", "0.125")
        assert metrics.pull_share_of_sales(ws) == pytest.approx(0.25)
        bad = {"gross_margin_pct": 80, "annual_churn_pct": 0, "pull_share_pct": 140}
        errors = funnel.save_unit_assumptions(ws, bad)
        assert sorted(e.field for e in errors) == ["pull_share_of_sales", "unit_annual_churn"]
        assert ws.settings() == saved
    finally:
        ws.close()


# -- issue 16: an absent input stays absent ------------------------------------------------------
def test_payback_without_a_cac_is_nan_not_zero_months():
    assert math.isnan(ue.payback_months(math.nan, 12_000, 0.75))
    assert math.isnan(ue.payback_months(0.0, 12_000, 0.75))  # no spend is not a free customer
    assert ue.band_payback(ue.payback_months(0.0, 12_000, 0.75)) is None


def test_without_spend_cac_ltv_to_cac_and_payback_are_nan_and_never_in_a_band(tmp_path: Path):
    ws = Workspace(build_tiny_workspace(tmp_path / "t.duckdb"))
    try:
        with ws.transaction() as cur:
            cur.execute("delete from spend")
        head = metrics.headline(ws, Filters(date(2025, 1, 1), date(2025, 1, 31)))
    finally:
        ws.close()
    table = ue.unit_economics(head, 0.75, 0.15).set_index("motion")
    for group in ("overall", "pull", "push"):
        row = table.loc[group]
        assert math.isnan(row["cac"]) and math.isnan(row["spend"]), group
        assert math.isnan(row["ltv_to_cac"]) and math.isnan(row["payback_months"]), group
        assert (row["ltv_cac_band"], row["payback_band"]) == (None, None), group
    # LTV needs no spend: pull's average won deal 6,000 × 0.75 ÷ 0.15
    assert table.loc["pull", "ltv"] == pytest.approx(30_000)
    assert table.loc["overall", "new_customers"] == 3


def test_without_won_amounts_ltv_and_payback_are_nan(tmp_path: Path):
    ws = Workspace(build_tiny_workspace(tmp_path / "t.duckdb"))
    try:
        with ws.transaction() as cur:
            cur.execute("update raw_deals set amount = null where outcome = 'won'")
            refresh_lead_facts(cur)  # as every writer of the records does
        head = metrics.headline(ws, Filters(date(2025, 1, 1), date(2025, 1, 31)))
    finally:
        ws.close()
    row = ue.unit_economics(head, 0.75, 0.15).set_index("motion").loc["overall"]
    assert row["cac"] == pytest.approx(10_500 / 3)  # spend and customers are there
    assert math.isnan(row["ltv"]) and math.isnan(row["payback_months"])
    assert row["payback_band"] is None
