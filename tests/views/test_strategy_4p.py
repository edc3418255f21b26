"""The 4P views, "given these rows → this spec", on the tiny workspace with the discounts of
tests/test_mix.py (January 2025). Every expected figure is worked out by hand from
tests/fixtures.py: no AppTest, no Streamlit."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from queries import plans
from queries.filters import Filters
from queries.workspace import Workspace
from tests.test_mix import mix_path  # noqa: F401 - the tiny workspace with discounts
from views import registry
from views import strategy_4p as views
from views.spec import Context

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
EMPTY = Filters(date(2026, 12, 1), date(2026, 12, 31))  # after the last row of the fixture


@pytest.fixture
def ws(mix_path: Path, tmp_path: Path) -> Iterator[Workspace]:  # noqa: F811
    copy = tmp_path / "mix.duckdb"
    shutil.copy(mix_path, copy)  # some tests save a plan
    w = Workspace(copy)
    yield w
    w.close()


@pytest.fixture
def ctx(ws: Workspace) -> Context:
    return Context(ws, JAN)


def _rows(spec, *cols: str) -> list[tuple]:
    return [tuple(r) for r in spec.data[list(cols)].itertuples(index=False)]


# -- registry ---------------------------------------------------------------------------------
def test_the_pack_keeps_its_two_4p_charts_and_every_other_view_is_page_only():
    assert registry.preset("strategy_4p") == ["strategy_4p.kpi_tracker", "strategy_4p.budget_plan"]
    keys = [e.key for e in registry.entries() if e.page == "strategy_4p"]
    assert len(keys) == 18  # one per chart of the page's six tabs


# -- Product ----------------------------------------------------------------------------------
def test_product_revenue_leader_is_the_product_with_most_won_revenue_overall(ctx):
    spec = views.product_revenue(ctx)
    # Core: D1 10,000 + D2 5,000 (Webinar) + D7 3,000 (Paid Search), all pull, and push's open
    # D5 (a measured zero); Plus: D4 2,000 (Outbound, push). D3 is lost: no revenue.
    assert sorted(_rows(spec, "product", "motion_group", "won_amount")) == [
        ("Core", "pull", 18_000.0),
        ("Core", "push", 0.0),
        ("Plus", "push", 2_000.0),
    ]
    assert spec.takeaway == "Core leads on Revenue won."
    assert spec.title == "Won revenue by product, pull vs push (USD)"


def test_product_win_rate_counts_lost_deals_and_leaves_open_ones_out(ctx):
    spec = views.product_win_rate(ctx)
    # Core 3 won / 3 closed = 100 %; Plus: D4 won, D3 lost = 50 % (D5 is open)
    rates = {(p, m): r for p, m, r in _rows(spec, "product", "motion_group", "win_rate")}
    assert rates[("Core", "pull")] == pytest.approx(1.0)
    assert rates[("Plus", "push")] == pytest.approx(0.5)
    assert spec.takeaway == "Best Win rate: Core." + THIN


def test_product_trend_draws_the_chosen_metric_and_marks_a_partial_quarter(ctx):
    spec = views.product_trend(ctx, metric="win_rate")
    # January is a third of 2025-Q1: the quarter is marked partial
    assert set(spec.data["quarter"]) == {"2025-Q1 (partial)"}
    assert dict(_rows(spec, "product", "win_rate")) == {"Core": 1.0, "Plus": 0.5}
    assert spec.title == "Win rate by product and quarter (%)"
    assert spec.figure.layout.yaxis.tickformat == ".0%"


# January closes 5 deals: the win-rate, deal-size and cycle takeaways carry the thin-data caveat
THIN = " Only 5 deals closed in the period (fewer than 30): one deal moves this figure a lot."


# -- Price ------------------------------------------------------------------------------------
def test_realisation_takeaway_is_won_over_list_weighted_by_amount(ctx):
    spec = views.price_realisation(ctx)
    # won 10,000 + 5,000 + 3,000 + 2,000 = 20,000; list 10,000 + 5,000/0.95 + 3,000/0.75 +
    # 2,000/0.88 = 21,535.89 → 92.9 %, not the mean of Core's 93.4 % and Plus's 88 %
    assert spec.takeaway == "We realise 92.9% of list price on the deals we win."


def test_discount_takeaway_names_the_band_with_the_highest_overall_win_rate(ctx):
    spec = views.discount_win_rate(ctx)
    # overall: none (D1 won) 100 %, 0–5 % (D2; D8 is December's) 100 %, 10–15 % (D4 won, D3
    # lost) 50 %, 20–30 % (D7 won) 100 %
    overall = spec.data[spec.data["motion_group"] == "overall"]
    assert dict(zip(overall["band_index"], overall["win_rate"], strict=True)) == {
        0: 1.0,
        1: 1.0,
        3: 0.5,
        5: 1.0,
    }
    # three bands tie at 100 % on one deal each: none is crowned (issue 16), all three named
    assert spec.takeaway == ("Highest Win rate, level in: No discount, 0–5%, 20–30%: 100%." + THIN)


def test_deal_size_takeaway_names_the_band_of_the_largest_average_won_deal(ctx):
    spec = views.discount_deal_size(ctx)
    # average won deal: none 10,000 (D1), 0–5 % 5,000 (D2), 10–15 % 2,000 (D4), 20–30 % 3,000
    assert spec.takeaway == (
        "Highest Average deal size: deals without a discount (both engines)." + THIN
    )


# -- Place ------------------------------------------------------------------------------------
def test_the_shortest_cycle_is_the_best_place(ctx):
    spec = views.place_cycle(ctx)
    # EMEA: D1 70, D2 20, D7 28.5 days → median 28.5; North America: D4 10 days
    assert spec.takeaway == "Best Sales cycle (days): North America." + THIN
    assert spec.title == "Sales cycle by region (days)"


def test_place_splits_by_channel_when_asked(ctx):
    spec = views.place_revenue(ctx, dimension="source")
    assert set(spec.data["source"]) == {"Webinar", "Paid Search", "Outbound"}
    assert spec.takeaway == "Best Revenue won: Webinar."  # D1 10,000 + D2 5,000
    with pytest.raises(ValueError, match="unknown place dimension"):
        views.place_win_rate(ctx, dimension="owner")


# -- Promotion --------------------------------------------------------------------------------
def test_promotion_names_the_channel_that_creates_most_pipeline(ctx):
    spec = views.promotion(ctx)
    # pipeline created in January: Webinar 5,000 (D2 via L1); Paid Search 3,000 (D7)
    assert spec.takeaway == "Webinar creates the most pipeline."


def test_cheapest_leads_leave_out_channels_without_spend(ctx):
    spec = views.cost_per_lead(ctx)
    # Webinar 3,000 ÷ 1 lead; Paid Search 1,500 ÷ 1 lead; Referral has no spend: not drawn
    assert dict(_rows(spec, "channel", "cost_per_lead")) == {
        "Webinar": 3_000.0,
        "Paid Search": 1_500.0,
    }
    assert spec.takeaway == "Paid Search brings the cheapest leads: $1,500 each."


def test_promotion_table_says_dash_where_a_ratio_has_no_input(ctx, ws):
    table = views.promotion_table(ctx).set_index("Channel")
    # CAC = spend ÷ deals won: Webinar 3,000 ÷ 2 (D1, D2); Paid Search 1,500 ÷ 1 (D7)
    assert table["Cost per won deal (CAC)"].to_dict() == {
        "Webinar": "$1,500",
        "Paid Search": "$1,500",
    }
    # December 2024: Webinar spent 999 and brought L4, but no deal was won → no CAC, not $0
    december = views.promotion_table(Context(ws, Filters(date(2024, 12, 1), date(2024, 12, 31))))
    row = december.set_index("Channel").loc["Webinar"]
    assert row["Cost per won deal (CAC)"] == "—"
    assert "None" not in december.to_string() and "nan" not in december.to_string()


# -- Budget split -----------------------------------------------------------------------------
def test_budget_split_takeaway_is_the_largest_share_of_marketing_spend(ctx):
    spec = views.budget_split(ctx)
    # January marketing spend: Webinar 3,000, Paid Search 1,500 → 66.7 % and 33.3 %
    assert spec.takeaway == "Webinar takes the largest share of marketing spend (66.7%)."
    engines = views.engine_split(ctx)
    assert engines.data.iloc[:, 1].tolist() == [4_500.0, 6_000.0]  # marketing, sales


# -- Budget plan ------------------------------------------------------------------------------
LINES = pd.DataFrame(
    {
        "kind": ["channel", "channel", "mix"],
        "line": ["Webinar", "Paid Search", "product"],
        "amount": [4_000.0, 1_500.0, 500.0],
    }
)


def test_budget_plan_takeaway_sums_the_bars_and_names_the_biggest_change(ctx):
    spec = views.budget_plan(ctx, year=2026, lines=LINES, saved=True)
    # planned 4,000 + 1,500 + 500 = 6,000 against 3,000 + 1,500 spent; Webinar moves +1,000,
    # the product line has no spend history (no change, not a change of 500)
    assert spec.takeaway == (
        "The 2026 plan puts $6,000 into the mix against $4,500 spent in the period; "
        "the biggest change is Webinar (+$1,000)."
    )
    assert spec.title == "Budget plan 2026 against last period's spend, by line (USD)"
    change = spec.data.set_index("Line")["Change against last period (USD)"]
    assert change["Webinar"] == 1_000.0 and pd.isna(change["Product"])


def test_an_unsaved_budget_plan_says_so_and_starts_at_last_periods_spend(ctx):
    spec = views.budget_plan(ctx)  # what the pack draws: the year after the period
    assert spec.title.startswith("Budget plan 2026 ")
    assert spec.takeaway == (
        "The 2026 plan puts $4,500 into the mix, every line at last period's spend. "
        "(Not saved yet.)"
    )


def test_the_pack_draws_the_saved_budget_plan(ctx, ws):
    plans.save_budget(ws, 2026, 6_000.0, LINES)
    spec = views.budget_plan(ctx)
    assert "(Not saved yet.)" not in spec.takeaway
    assert "Webinar (+$1,000)" in spec.takeaway


# -- the plan and the KPI tracker -------------------------------------------------------------
def _save_plan(ws: Workspace) -> None:
    rows = []
    for segment, kpis in (
        ("SMB", {"price": ("win_rate", 50.0)}),
        ("Enterprise", {"product": ("win_rate", 80.0)}),
    ):
        for p in ("product", "price", "place", "promotion"):
            kpi, target = kpis.get(p, (None, None))
            rows.append(
                {
                    "segment": segment,
                    "p": p,
                    "decisions": "",
                    "rationale": "",
                    "kpi": kpi,
                    "target": target,
                    "owner": "",
                    "due_date": None,
                }
            )
    plans.save_version(ws, pd.DataFrame(rows), "Plan 1")


def test_tracker_counts_the_lights_of_the_bars_it_draws(ctx, ws):
    _save_plan(ws)
    spec = views.tracker(ctx)
    # SMB closed in January: D2, D4 both won → 100 % against 50 %: green. Enterprise: D1, D7
    # won, D3 lost → 66.7 % against 80 % = 83 % of target, beyond the 10 % band: red.
    status = dict(zip(spec.data["Segment"], spec.data["Status"], strict=True))
    assert status == {"SMB": "on target", "Enterprise": "off target"}
    assert spec.takeaway == "1 of 2 KPIs on target, 1 off target."
    assert len(spec.figure.data[0].y) == 2


def test_without_a_plan_the_tracker_is_a_titled_empty_chart(ctx):
    spec = views.tracker(ctx)
    assert spec.is_empty and spec.title == "Plan KPIs: actual as a share of target (%)"


def test_a_missing_segment_reads_as_a_dash_never_none(ctx):
    assert views.card_title(ctx, "product", None) == "Product · —"
    assert views.card_title(ctx, "product", float("nan")) == "Product · —"
    assert views.card_title(ctx, "price", "<b>SMB</b>") == "Price · &lt;b&gt;SMB&lt;/b&gt;"
    track = pd.DataFrame(
        {
            "segment": [None],
            "p": ["price"],
            "kpi": ["win_rate"],
            "target": [30.0],
            "actual": [float("nan")],
            "previous": [float("nan")],
            "light": ["grey"],
            "attainment": [float("nan")],
            "trend": [""],
        }
    )
    row = views.tracker_table(ctx, track).iloc[0].tolist()
    assert row == ["—", "Price", "Win rate", "30.0%", "—", "—", "—", "no data"]


# -- nothing in the period --------------------------------------------------------------------
@pytest.mark.parametrize(
    "build",
    [e.build for e in registry.entries() if e.page == "strategy_4p"],
    ids=lambda b: b.__name__,
)
def test_every_view_says_why_it_is_empty_when_the_period_has_no_rows(ws, build):
    spec = build(Context(ws, EMPTY))
    assert spec.is_empty
    assert spec.figure.layout.title.text == spec.title
    assert spec.figure.layout.annotations[0].text == spec.empty_reason


# -- issue 16: "best" only where there is a real difference ----------------------------------
def test_every_product_at_100_percent_is_level_not_best(ctx):
    # Olist: every category closes all its deals won; "Best win rate: air_conditioning" lied
    rates = pd.Series({"air_conditioning": 1.0, "bed_bath_table": 1.0, "toys": 1.0})
    said = views.leader_takeaway(
        ctx, rates, "strategy_4p.takeaway_best", metric="win_rate", what="product"
    )
    assert said == "Win rate is level across every product: 100%."


def test_a_shared_best_and_a_single_value_crown_nothing(ctx):
    tied = pd.Series({"Core": 0.8, "Plus": 0.8, "Max": 0.5})
    said = views.leader_takeaway(
        ctx, tied, "strategy_4p.takeaway_best", metric="win_rate", what="product"
    )
    assert said == "Win rate: Core, Plus share the best value, 80%."
    one = pd.Series({"Core": 0.8})
    said = views.leader_takeaway(
        ctx, one, "strategy_4p.takeaway_best", metric="win_rate", what="product"
    )
    assert said == (
        "Only one product has a figure (Core): there is nothing to compare its Win rate with."
    )
    ahead = pd.Series({"Core": 12.0, "Plus": 30.0})  # days: the shorter cycle is ahead
    said = views.leader_takeaway(
        ctx,
        ahead,
        "strategy_4p.takeaway_best",
        metric="sales_cycle_days",
        what="region",
        lowest=True,
    )
    assert said == "Best Sales cycle (days): Core."


def test_without_spend_the_budget_says_so_instead_of_zero_dollars(ws):
    with ws.transaction() as cur:
        cur.execute("delete from spend")
    ctx = Context(ws, JAN)
    spec = views.engine_split(ctx)
    assert spec.empty_reason.startswith("No spend imported for this period")
    assert "$0.00" not in spec.caption
    # a plan of 1,000 with no spend in the period to set it against, and no cost per lead
    implied = pd.DataFrame(
        {
            "label": ["Webinar"],
            "amount": [1000.0],
            "actual": [float("nan")],
            "change": [float("nan")],
            "implied_leads": [float("nan")],
            "implied_opportunities": [float("nan")],
            "implied_pipeline": [float("nan")],
        }
    )
    said = views.budget_takeaway(ctx, implied, year=2025, saved=True)
    assert said == (
        "The 2025 plan puts $1,000 into the mix; no spend was imported for the period to "
        "compare it with."
    )
    assert views.implied_totals(ctx, implied).startswith("**The plan implies** — leads")
