"""Market analysis views: given these rows → this spec, without Streamlit.

The tiny workspace (tests/fixtures.py) plus the market rows below. Deals closed in January 2025
(the sidebar period here): D1 won Enterprise pull 10,000 (Core, 70 days), D2 won SMB pull
5,000 (Core, 20 days), D3 lost Enterprise push (Plus), D4 won SMB push 2,000 (Plus, 10 days),
D7 won Enterprise pull 3,000 (Core, 28.5 days). The data spans 2024-10-01 to 2025-02-15, so
2025 is the newest market year the data reaches (no year is covered in full).
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from queries import plans
from queries.filters import Filters
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace
from views import market as v
from views import registry
from views.spec import Context, context

# segment, year, tam, sam, som, growth_pct, target_accounts, expected_acv
MARKET = [
    ("SMB", 2025, 1e6, 4e5, 15_000, 12.0, 100, 500.0),  # bottom-up 50,000 = 3.3× SOM
    ("Enterprise", 2025, 5e6, 1e6, 10_000, 5.0, 10, 3_000.0),  # bottom-up 30,000 = 3× SOM
    ("Mid-Market", 2025, 4e6, 8e5, 0, 8.0, 20, 1_000.0),  # no SOM
    ("SMB", 2026, 1.1e6, 4.4e5, 400_000, 12.0, 110, 520.0),  # beyond the funnel's reach
]
# competitor, segment, year, share_pct, price_index, quality_index
COMPETITORS = [
    ("Acme", "SMB", 2025, 20.0, 90.0, 100.0),
    ("Globex", "SMB", 2025, 15.0, 120.0, 90.0),
    ("Tiny Test Co", "SMB", 2025, 2.0, 105.0, 95.0),  # market research's row for us
    ("Others", "SMB", 2025, 50.0, None, None),  # a residual group, not a competitor
    ("Acme", "Enterprise", 2025, 10.0, 110.0, 120.0),
]
JANUARY = Filters(date(2025, 1, 1), date(2025, 1, 31))
PULL, PUSH = "Pull (marketing)", "Push (sales)"


@pytest.fixture(scope="module")
def market_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_tiny_workspace(tmp_path_factory.mktemp("market_views") / "market.duckdb")
    ws = Workspace(path)
    with ws.transaction() as cur:
        cur.executemany("insert into market_segments values (?, ?, ?, ?, ?, ?, ?, ?)", MARKET)
        cur.executemany("insert into competitors values (?, ?, ?, ?, ?, ?)", COMPETITORS)
    ws.close()
    return path


@pytest.fixture
def ws(market_path: Path) -> Iterator[Workspace]:
    w = Workspace(market_path, read_only=True)
    yield w
    w.close()


@pytest.fixture
def ctx(ws: Workspace) -> Context:
    return context(ws, JANUARY)


# -- the market year -------------------------------------------------------------------------
def test_default_year_is_the_newest_the_data_reaches_and_labels_say_how_much(ctx):
    assert v.years(ctx) == [2026, 2025]
    assert v.default_year(ctx) == 2025
    assert v.year_label(ctx, 2025) == "2025 (2 months of data)"  # January and February
    assert v.year_label(ctx, 2026) == "2026 (no CRM data)"


# -- sizing ----------------------------------------------------------------------------------
def test_sizing_takeaway_names_the_segment_where_the_methods_disagree_most(ctx):
    spec = v.sizing(ctx)
    assert spec.title == "Market size by segment, 2025: top-down and bottom-up (USD)"
    # SMB 50,000 ÷ 15,000 = 3.3×, Enterprise 30,000 ÷ 10,000 = 3×, Mid-Market has no SOM
    assert spec.takeaway == "Biggest gap between methods: SMB, bottom-up is 3.3× the SOM."
    assert spec.data["Bottom-up (accounts × ACV) (USD)"].tolist() == [30_000, 20_000, 50_000]


def test_a_bottom_up_four_times_too_small_is_as_far_off_as_four_times_too_big():
    rows = pd.DataFrame(
        {
            "segment": ["Low", "High", "None"],
            "som": [400.0, 100.0, 0.0],
            "bottom_up": [100.0, 300.0, 5.0],
        }
    )
    # 0.25× is further off than 3× on the chart's logarithmic axis (|ln 0.25| > |ln 3|)
    assert v.sizing_gap(rows) == ("Low", 0.25)
    assert v.sizing_gap(rows.iloc[2:]) is None  # no SOM: no ratio to speak of


def test_som_check_flags_a_som_beyond_the_funnels_pace(ctx):
    # January: SMB created D2, D4, D5 = 3 opportunities → 3 × 365 ÷ 31 a year, won 2 of 2,
    # average 3,500 → delivers 123,629 a year; SOM 400,000 needs ×3.2 (> 2: unreachable)
    spec = v.som_check(ctx, year=2026)
    assert spec.takeaway == "The funnel cannot reach the SOM of SMB at its current pace."
    deliverable = spec.data["Funnel can deliver per year (USD)"].iloc[0]
    assert deliverable == pytest.approx(3 * 365 / 31 * 1.0 * 3_500)
    assert spec.data["Funnel growth needed to reach SOM (×)"].iloc[0] == pytest.approx(
        400_000 / deliverable
    )
    assert v.unreachable_flags(ctx, 2026) == [
        "SMB: SOM $400K, the funnel delivers $123.6K a year — ×3.2 short."
    ]
    assert v.som_check(ctx).takeaway.startswith("The funnel's current pace can reach")


def test_the_sizing_funnel_of_all_segments_adds_them_up(ctx):
    spec = v.sizing_funnel(ctx, year=2025)
    assert spec.data["Won in 2025 (USD)"].sum() == 24_000  # 13,000 + 0 + 11,000
    one = v.sizing_funnel(ctx, year=2025, segment="SMB")
    assert one.title.startswith("Market sizing, top-down against bottom-up: SMB, 2025")
    assert one.data["SOM (USD)"].tolist() == [15_000]


def test_reach_table_shows_a_missing_win_rate_as_a_dash_not_zero(ctx):
    table = v.reach_table(ctx, 2025).set_index("Segment")
    assert table.loc["Mid-Market", "Win rate"] == "—"  # no deal closed there
    assert table.loc["SMB", "Win rate"] == "100%"
    assert table.loc["SMB", "SAM ÷ TAM"] == "40%"


# -- attractiveness --------------------------------------------------------------------------
def test_attractiveness_ranks_by_size_growth_and_win_rate_together(ctx):
    # 2025 scaled 0..1: SAM SMB 0, Enterprise 1, Mid 0.67; growth SMB 1, Ent 0, Mid 3/7;
    # win rate (calendar 2025) SMB 1, Ent 0 (2/3 is the lowest), Mid none → 0
    spec = v.attractiveness(ctx)
    assert spec.takeaway == "SMB ranks first on size, growth and our win rate together."
    assert spec.data["Segment"].tolist() == ["SMB", "Mid-Market", "Enterprise"]
    assert spec.data["Score (0–100)"].tolist() == [67, 37, 33]
    ranked = v.ranked_segments(ctx, 2025)
    assert ranked["Segment"].tolist() == ["SMB", "Mid-Market", "Enterprise"]


# -- share and positioning -------------------------------------------------------------------
def test_the_share_leader_is_a_competitor_not_the_residual_group(ctx):
    spec = v.competitor_share(ctx, segment="SMB")
    assert spec.takeaway == "Acme leads with 20.0% in 2025."  # "Others" holds 50%


def test_our_share_is_won_revenue_over_tam_and_a_partial_year_is_marked(ctx):
    spec = v.our_share(ctx, segment="SMB")
    # 2025: D2 5,000 + D4 2,000 + D6 4,000 = 11,000 of a 1,000,000 TAM
    assert spec.takeaway == "Our CRM share of the market: 1.10% in 2025."
    ticks = spec.figure.layout.xaxis.ticktext
    assert "2025<br>(2 months)" in ticks


def test_positioning_starts_us_at_market_researchs_position(ctx):
    spec = v.positioning(ctx, segment="SMB")
    assert spec.data["Competitor"].tolist() == ["Acme", "Globex"]  # Others has no position
    star = next(d for d in spec.figure.data if d.name == "Us")
    assert (list(star.x), list(star.y)) == ([105.0], [95.0])
    assert spec.takeaway == ""  # no target position yet


def test_positioning_with_a_target_says_the_plan_moves_us(market_path, tmp_path):
    copy = tmp_path / "w.duckdb"
    shutil.copy(market_path, copy)
    ws = Workspace(copy)
    try:
        values = pd.DataFrame(
            {
                "kind": ["us", "us", "target", "target", "competitor", "competitor"],
                "player": ["", "", "", "", "Acme", "Acme"],
                "axis": ["price_index", "breadth"] * 3,
                "value": [100.0, 3.0, 110.0, 5.0, 90.0, 4.0],
            }
        )
        plans.save_positioning(ws, values)
        ctx = context(ws, JANUARY)
        assert v.positioning_axes(ctx, None) == ["price_index", "quality_index", "breadth"]
        spec = v.positioning(ctx, x_axis="price_index", y_axis="breadth")
        assert spec.title == "Positioning: Price index against breadth, All segments"
        assert spec.takeaway == (
            "The plan moves us on Price index and breadth towards the target position."
        )
        assert spec.data.to_dict("list") == {
            "Competitor": ["Acme"],
            "Price index": [90.0],
            "breadth": [4.0],
            # 2025 across segments, weighted by TAM: (20 × 1M + 10 × 5M) ÷ 10M
            "Share of TAM (%)": [7.0],
        }
    finally:
        ws.close()


# -- customer insight: one takeaway rule for the page and the pack ---------------------------
# January closes 5 deals (4 won, 1 lost): every win-rate, deal-size and cycle takeaway says so
THIN = " Only 5 deals closed in the period (fewer than 30): one deal moves this figure a lot."


def test_the_pack_draws_the_pages_first_insight_chart():
    entry = registry.REGISTRY["market.win_rate_by_segment"]
    assert entry.build is v.win_rate_by_segment and entry.pack
    defaults = inspect.signature(v.win_rate_by_segment).parameters
    assert (defaults["dimension"].default, defaults["metric"].default) == ("segment", "win_rate")


def test_win_rate_takeaway_names_the_widest_pull_push_gap(ctx):
    # Enterprise: pull 2 of 2, push 0 of 1; SMB: pull 1 of 1, push 1 of 1 (no gap)
    spec = v.win_rate_by_segment(ctx)
    assert spec.takeaway == (
        f"Widest gap between the engines in Win rate: Enterprise, {PULL} 100% against {PUSH} 0%."
        + THIN
    )
    assert spec.data["Deals lost"].sum() == 1


def test_deal_size_gap_is_in_money(ctx):
    spec = v.win_rate_by_segment(ctx, metric="avg_deal_size")
    assert spec.title == "Average deal size by segment (USD)"
    # SMB pull 5,000 against push 2,000; Enterprise has no push win, so no gap there
    assert spec.takeaway == (
        f"Widest gap between the engines in Average deal size: SMB, {PULL} $5,000 against "
        f"{PUSH} $2,000." + THIN
    )


def test_without_both_engines_in_one_place_the_best_bar_is_named(ctx):
    # products: Core only pull (3 of 3), Plus only push (1 of 2)
    spec = v.win_rate_by_segment(ctx, dimension="product")
    assert spec.takeaway == f"Best Win rate: Core, {PULL}." + THIN


def test_the_shortest_sales_cycle_is_the_best(ctx):
    # Core pull: median of 70, 20, 28.5 days = 28.5; Plus push: 10 days
    spec = v.win_rate_by_segment(ctx, dimension="product", metric="sales_cycle_days")
    assert spec.takeaway == f"Best Sales cycle (days): Plus, {PUSH}." + THIN


def test_level_bars_are_called_level_not_best(ws):
    # SMB only: EMEA pull 1 of 1, North America push 1 of 1
    only_smb = context(ws, Filters(date(2025, 1, 1), date(2025, 1, 31), segments=("SMB",)))
    spec = v.win_rate_by_segment(only_smb, dimension="region")
    # and one-sided: no deal lost among the two closed, so 100% may be an export gap
    assert spec.takeaway == (
        "Win rate is level across every region and both engines: 100%."
        " No lost deals imported: 100% may only mean lost deals were not exported."
        " Only 2 deals closed in the period (fewer than 30): one deal moves this figure a lot."
    )


def test_equal_engines_everywhere_fall_back_to_the_best_segment(ctx):
    data = pd.DataFrame(
        {
            "segment": ["SMB", "SMB", "Enterprise", "Enterprise"],
            "motion_group": ["pull", "push", "pull", "push"],
            "win_rate": [0.5, 0.5, 0.8, 0.8],
        }
    )
    said = v.insight_takeaway(
        ctx, data, dimension="segment", metric="win_rate", metric_label="Win rate"
    )
    assert said == f"Best Win rate: Enterprise, {PULL}."


# -- absence ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "build",
    [
        v.sizing,
        v.sizing_funnel,
        v.som_check,
        v.attractiveness,
        v.competitor_share,
        v.our_share,
        v.positioning,
        v.win_rate_by_segment,
    ],
)
def test_an_empty_workspace_gives_titled_charts_that_say_why(build, tmp_path):
    ws = Workspace(tmp_path / "empty.duckdb")
    try:
        spec = build(context(ws, JANUARY))
        assert spec.is_empty and spec.data.empty
        assert spec.takeaway == spec.empty_reason
        assert spec.figure.layout.title.text == spec.title
        assert "nan" not in spec.title.lower() and "None" not in spec.title
    finally:
        ws.close()


# -- issue 16: "best" only where there is a real difference ----------------------------------
def test_every_segment_at_100_percent_is_level_not_best(ctx):
    # one engine only (no gap to state) and every segment won all its deals: nothing is best
    data = pd.DataFrame(
        {
            "segment": ["air_conditioning", "bed_bath", "toys"],
            "motion_group": ["push", "push", "push"],
            "win_rate": [1.0, 1.0, 1.0],
        }
    )
    said = v.insight_takeaway(
        ctx, data, dimension="segment", metric="win_rate", metric_label="Win rate"
    )
    assert said == f"Win rate is level across every segment ({PUSH} only): 100%."
    assert "Best" not in said


def test_a_shared_best_names_every_value_at_it(ctx):
    data = pd.DataFrame(
        {
            "segment": ["SMB", "Enterprise", "Mid"],
            "motion_group": ["pull", "pull", "pull"],
            "win_rate": [0.8, 0.8, 0.4],
        }
    )
    said = v.insight_takeaway(
        ctx, data, dimension="segment", metric="win_rate", metric_label="Win rate"
    )
    assert said == "Win rate is highest in Enterprise, SMB, level at 80%."


def test_one_segment_has_nothing_to_compare_with(ctx):
    data = pd.DataFrame({"segment": ["SMB"], "motion_group": ["pull"], "win_rate": [0.25]})
    said = v.insight_takeaway(
        ctx, data, dimension="segment", metric="win_rate", metric_label="Win rate"
    )
    assert said == (
        "Only one segment has closed deals (SMB: Win rate 25%): there is nothing to compare it "
        "with."
    )
