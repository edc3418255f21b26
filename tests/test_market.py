"""Market analysis: sizing, attractiveness, share and positioning against hand-computed figures.

The tiny fixture has no market rows; MARKET and COMPETITORS below add them. Our won revenue
in calendar 2025 (tests/fixtures.py): SMB = D2 5,000 (pull) + D4 2,000 (push) + D6 4,000
(pull, closes in February) = 11,000; Enterprise = D1 10,000 + D7 3,000 = 13,000 (all pull),
and D3 lost. The data spans 2024-10-01 (D8 created) to 2025-02-15 (D6 closed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from components.charts import market as market_charts
from components.charts.theme import OVERALL_COLOR, PULL_COLOR, PUSH_COLOR
from components.i18n import translate
from planning import market_sizing
from queries import market
from queries.filters import Filters
from queries.workspace import Workspace
from tests.apptest_utils import figures, figures_of_every_tab, open_tab
from tests.fixtures import build_tiny_workspace
from views import market as market_views

# segment, year, tam, sam, som, growth_pct, target_accounts, expected_acv
MARKET = [
    ("SMB", 2025, 1e6, 4e5, 15_000, 12.0, 100, 500.0),  # won 11,000 / 15,000 -> near
    ("Enterprise", 2025, 5e6, 1e6, 10_000, 5.0, 10, 3_000.0),  # won 13,000 / 10,000 -> above
    ("Mid-Market", 2025, 4e6, 8e5, 0, 8.0, 20, 1_000.0),  # SOM 0 -> no_som
    ("SMB", 2024, 9e5, 3.5e5, 30_000, 10.0, 90, 450.0),  # no win in 2024 -> 0 -> below
    ("Enterprise", 2024, 4.8e6, 9e5, 18_000, 4.0, 10, 2_900.0),
    ("SMB", 2023, 8e5, 3e5, 20_000, 9.0, 80, 400.0),  # before the data starts
    ("SMB", 2026, 1.1e6, 4.4e5, 20_000, 12.0, 110, 520.0),  # Enterprise 2026 has no TAM
]
# competitor, segment, year, share_pct, price_index, quality_index
COMPETITORS = [
    ("Acme", "SMB", 2025, 20.0, 90.0, 100.0),
    ("Acme", "Enterprise", 2025, 10.0, 110.0, 120.0),
    ("Globex", "SMB", 2025, 15.0, 120.0, 90.0),
    ("Tiny Test Co", "SMB", 2025, 2.0, 105.0, 95.0),  # market research's row for us
    ("Acme", "SMB", 2026, 30.0, 90.0, 100.0),
    ("Acme", "Enterprise", 2026, 10.0, 110.0, 120.0),
    ("Others", "SMB", 2026, 50.0, None, None),
]

YEAR_2025 = Filters(date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture(scope="module")
def market_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_tiny_workspace(tmp_path_factory.mktemp("market") / "market.duckdb")
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


def _by_segment(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("segment")


# -- sizing ----------------------------------------------------------------------------------
def test_bottom_up_size_is_target_accounts_times_expected_acv(ws):
    sizing = _by_segment(market.sizing(ws, YEAR_2025, 2025))
    assert sizing.loc["SMB", "bottom_up"] == pytest.approx(100 * 500)
    assert sizing.loc["Enterprise", "bottom_up"] == pytest.approx(10 * 3_000)


def test_sizing_won_revenue_is_the_calendar_year_split_pull_and_push(ws):
    # the sidebar period (January only) does not narrow the year's revenue
    january = Filters(date(2025, 1, 1), date(2025, 1, 31))
    sizing = _by_segment(market.sizing(ws, january, 2025))
    assert sizing.loc["SMB", ["won_amount", "won_pull", "won_push"]].tolist() == [
        11_000,
        9_000,
        2_000,
    ]
    assert sizing.loc["Enterprise", "won_amount"] == pytest.approx(13_000)
    assert sizing.loc["Mid-Market", "won_amount"] == 0


def test_som_coverage_is_won_over_som_with_a_status(ws):
    sizing = _by_segment(market.sizing(ws, YEAR_2025, 2025))
    assert sizing.loc["SMB", "som_coverage"] == pytest.approx(11_000 / 15_000)
    assert sizing.loc["SMB", "som_status"] == "near"
    assert sizing.loc["Enterprise", "som_coverage"] == pytest.approx(1.3)
    assert sizing.loc["Enterprise", "som_status"] == "above"
    assert sizing.loc["Mid-Market", "som_status"] == "no_som"
    earlier = _by_segment(market.sizing(ws, YEAR_2025, 2024))
    assert earlier.loc["SMB", "som_status"] == "below"  # nothing won in 2024


def test_sidebar_segment_filter_narrows_the_market_too(ws):
    only_smb = Filters(date(2025, 1, 1), date(2025, 12, 31), segments=("SMB",))
    assert market.sizing(ws, only_smb, 2025)["segment"].tolist() == ["SMB"]


# -- attractiveness --------------------------------------------------------------------------
def test_segments_rank_by_win_rate_and_segments_without_closed_deals_rank_last(ws):
    ranked = market.attractiveness(ws, YEAR_2025, 2025)
    assert ranked["segment"].tolist() == ["SMB", "Enterprise", "Mid-Market"]
    assert ranked["rank"].tolist() == [1, 2, 3]
    rows = _by_segment(ranked)
    assert rows.loc["SMB", "win_rate"] == pytest.approx(1.0)  # D2, D4, D6 won
    assert rows.loc["Enterprise", "win_rate"] == pytest.approx(2 / 3)  # D1, D7 won; D3 lost
    assert rows.loc["Enterprise", "win_rate_push"] == pytest.approx(0.0)  # D3 was push
    assert pd.isna(rows.loc["Mid-Market", "win_rate"])


# -- share against competitors ---------------------------------------------------------------
def _shares(ws, segment):
    df = market.share_over_time(ws, YEAR_2025, segment)
    return df.set_index(["year", "player"])["share_pct"]


def test_competitor_share_across_segments_is_weighted_by_tam(ws):
    # 2025 TAMs: SMB 1M, Enterprise 5M, Mid-Market 4M = 10M
    shares = _shares(ws, None)
    assert shares[(2025, "Acme")] == pytest.approx((20 * 1e6 + 10 * 5e6) / 10e6)
    assert shares[(2025, "Globex")] == pytest.approx(15 * 1e6 / 10e6)


def test_a_year_missing_a_tam_weighs_segments_equally(ws):
    # 2026: Enterprise has competitor rows but no TAM -> SMB and Enterprise weigh 1 each
    assert _shares(ws, None)[(2026, "Acme")] == pytest.approx((30 + 10) / 2)


def test_one_segment_share_is_the_competitor_row_itself(ws):
    shares = _shares(ws, "SMB")
    assert shares[(2025, "Acme")] == pytest.approx(20)
    assert shares[(2025, "Globex")] == pytest.approx(15)


def test_our_share_is_won_revenue_in_the_year_over_tam(ws):
    smb = _shares(ws, "SMB")
    assert smb[(2025, "us")] == pytest.approx(100 * 11_000 / 1e6)
    assert smb[(2025, "pull")] == pytest.approx(100 * 9_000 / 1e6)
    assert smb[(2025, "push")] == pytest.approx(100 * 2_000 / 1e6)
    everything = _shares(ws, None)
    assert everything[(2025, "us")] == pytest.approx(100 * 24_000 / 10e6)


def test_our_share_is_absent_not_zero_for_years_outside_the_data(ws):
    smb = _shares(ws, "SMB")
    assert (2023, "us") not in smb.index  # the data starts in October 2024
    assert smb[(2024, "us")] == 0  # data exists in 2024, nothing won


def test_competitor_indices_are_weighted_by_share_times_tam(ws):
    positions = market.positioning(ws, YEAR_2025, None)
    assert positions["year"].unique().tolist() == [2026]  # the latest year
    df = ws.query("market_competitor_shares", segments=None, segment=None)
    acme = df[(df["competitor"] == "Acme") & (df["year"] == 2025)].iloc[0]
    assert acme["price_index"] == pytest.approx((90 * 20e6 + 110 * 50e6) / 70e6)
    assert acme["quality_index"] == pytest.approx((100 * 20e6 + 120 * 50e6) / 70e6)


# -- one won-by-segment frame per year, shared by every section ----------------------------
def test_sections_built_from_one_frame_per_year_equal_the_standalone_queries(ws):
    sizes = market.segment_sizes(ws, YEAR_2025)
    won = market.won_by_segment(ws, YEAR_2025, 2025)
    pd.testing.assert_frame_equal(
        market_sizing.sizing_table(sizes, won, 2025), market.sizing(ws, YEAR_2025, 2025)
    )
    pd.testing.assert_frame_equal(
        market_sizing.attractiveness_table(sizes, won, 2025),
        market.attractiveness(ws, YEAR_2025, 2025),
    )
    first, last = market.data_span(ws)
    for segment in (None, "SMB"):
        years = market_sizing.share_years(sizes, segment, first, last)
        comp = market.competitor_shares(ws, YEAR_2025, segment)
        by_year = {y: market.won_by_segment(ws, YEAR_2025, y) for y in years}
        pd.testing.assert_frame_equal(
            market_sizing.share_table(comp, sizes, segment, by_year),
            market.share_over_time(ws, YEAR_2025, segment),
        )
        pd.testing.assert_frame_equal(
            market_sizing.latest_positions(comp), market.positioning(ws, YEAR_2025, segment)
        )


def test_share_years_are_years_with_a_tam_inside_the_data_span(ws):
    sizes = market.segment_sizes(ws, YEAR_2025)
    first, last = market.data_span(ws)  # 2024-10-01 .. 2025-02-15
    assert market_sizing.share_years(sizes, None, first, last) == [2024, 2025]
    assert market_sizing.share_years(sizes, "SMB", first, last) == [2024, 2025]
    assert market_sizing.share_years(sizes, None, None, None) == []


def test_won_by_segment_splits_won_revenue_and_win_rate_by_motion(ws):
    won = market.won_by_segment(ws, YEAR_2025, 2025).set_index("segment")
    assert won.loc["SMB", ["won_amount", "won_pull", "won_push"]].tolist() == [11_000, 9_000, 2_000]
    assert won.loc["Enterprise", ["won", "lost"]].tolist() == [2, 1]
    assert won.loc["Enterprise", "win_rate_push"] == pytest.approx(0.0)
    assert won.loc["SMB", "win_rate_push"] == pytest.approx(1.0)  # D4 won, push
    assert market.won_by_segment(ws, YEAR_2025, 2030).empty


# -- pure helpers ----------------------------------------------------------------------------
def test_our_competitor_row_matches_the_company_name_ignoring_case_and_a_note():
    names = ["Acme", "Northwind Analytics", "Globex"]
    assert market_views.our_competitor_name(names, "northwind  analytics (sample)") == (
        "Northwind Analytics"
    )
    assert market_views.our_competitor_name(names, "Contoso") is None
    assert market_views.our_competitor_name(names, None) is None


def test_map_start_uses_research_position_else_the_share_weighted_average():
    positions = pd.DataFrame(
        {
            "competitor": ["A", "B", "Us", "Rest"],
            "share_pct": [30.0, 10.0, 2.0, 58.0],
            "price_index": [100.0, 140.0, 120.0, None],
            "quality_index": [80.0, 120.0, 90.0, None],
        }
    )
    with_research = market_views.map_start(positions, "Us")
    assert (with_research.price, with_research.quality) == (120.0, 90.0)
    assert with_research.is_research and with_research.research_share_pct == 2.0
    without = market_views.map_start(positions, None)
    assert without.price == pytest.approx((100 * 30 + 140 * 10 + 120 * 2) / 42)
    assert not without.is_research
    assert without.price_bounds[0] <= 80 and without.price_bounds[1] >= 160
    assert market_views.placed_rivals(positions, "Us")["competitor"].tolist() == ["A", "B"]


def test_months_covered_and_the_default_year_is_the_newest_full_year():
    first, last = date(2023, 11, 1), date(2026, 10, 31)
    assert market_sizing.months_covered(first, last, 2023) == 2
    assert market_sizing.months_covered(first, last, 2025) == 12
    assert market_sizing.months_covered(first, last, 2027) == 0
    assert market_sizing.default_year([2027, 2026, 2025, 2024, 2023], first, last) == 2025
    assert market_sizing.default_year([2026], first, last) == 2026
    assert market_sizing.default_year([], first, last) is None


# -- chart builders --------------------------------------------------------------------------
SIZING = pd.DataFrame(
    {
        "segment": ["SMB", "R&D <b>"],
        "tam": [1e9, 2e9],
        "sam": [4e8, 5e8],
        "som": [2e7, 1e7],
        "bottom_up": [3e7, 9e6],
        "won_pull": [5e6, 1e6],
        "won_push": [1e6, 0.0],
        "som_status": ["below", "near"],
    }
)


def test_sizing_chart_has_four_named_bars_on_a_log_axis_with_escaped_segments():
    labels = {"tam": "TAM", "sam": "SAM", "som": "SOM", "bottom_up": "Bottom-up"}
    fig = market_charts.sizing_bars(
        SIZING, title="Sizes (USD)", labels=labels, y_title="USD", money_text=lambda v: f"${v}"
    )
    spec = json.loads(fig.to_json())
    assert [d["name"] for d in spec["data"]] == ["TAM", "SAM", "SOM", "Bottom-up"]
    assert spec["layout"]["yaxis"]["type"] == "log"
    assert spec["data"][0]["x"][1] == "R&amp;D &lt;b&gt;"
    assert spec["data"][3]["marker"]["pattern"]["fillmode"] == "overlay"
    assert spec["layout"]["yaxis"]["ticktext"][0].startswith("$")


def test_som_chart_stacks_push_on_pull_in_the_engine_colours():
    fig = market_charts.som_check(
        SIZING,
        title="t",
        som_label="SOM",
        motion_labels={"pull": "Pull", "push": "Push"},
        status_labels={"below": "far below", "near": "near"},
        coverage_texts={"SMB": "30%"},
        x_title="USD",
    )
    spec = json.loads(fig.to_json())
    pull, push = spec["data"][1], spec["data"][2]
    assert (pull["marker"]["color"], push["marker"]["color"]) == (PULL_COLOR, PUSH_COLOR)
    assert push["base"] == [5e6, 1e6]
    assert any("far below" in a["text"] for a in spec["layout"]["annotations"])


def test_share_charts_draw_research_row_dashed_and_our_share_as_motion_bars():
    df = pd.DataFrame(
        {
            "year": [2025, 2025, 2025, 2025, 2025],
            "player": ["Acme", "Us Co", "us", "pull", "push"],
            "kind": ["competitor", "competitor", "us", "us", "us"],
            "share_pct": [20.0, 2.0, 0.3, 0.2, 0.1],
        }
    )
    lines = json.loads(
        market_charts.competitor_shares(
            df[df["kind"] == "competitor"],
            title="t",
            y_title="%",
            research_name="Us Co",
            research_label="Us Co (research)",
        ).to_json()
    )
    research = next(d for d in lines["data"] if d["name"] == "Us Co (research)")
    assert research["line"]["dash"] == "dash" and research["line"]["color"] == OVERALL_COLOR
    bars = json.loads(
        market_charts.our_share(
            df[df["kind"] == "us"],
            title="t",
            y_title="%",
            motion_labels={"pull": "Pull", "push": "Push"},
            total_label="Us",
        ).to_json()
    )
    assert [d["marker"]["color"] for d in bars["data"] if d["type"] == "bar"] == [
        PULL_COLOR,
        PUSH_COLOR,
    ]
    assert bars["layout"]["barmode"] == "stack"


def test_positioning_map_places_us_as_a_star_and_skips_unplaced_rows():
    df = pd.DataFrame(
        {
            "competitor": ["A", "B", "Rest"],
            "price_index": [90.0, 120.0, None],
            "quality_index": [80.0, 100.0, None],
            "share_pct": [20.0, 10.0, 70.0],
        }
    )
    fig = market_charts.positioning_map(
        df,
        title="t",
        x_title="Price",
        y_title="Quality",
        us_label="Us",
        us_price=105,
        us_quality=95,
    )
    spec = json.loads(fig.to_json())
    names = [d["name"] for d in spec["data"]]
    assert names == ["A", "B", "Us"]
    assert spec["data"][-1]["marker"]["symbol"] == "star"
    assert spec["layout"]["xaxis"]["title"]["text"] == "Price"


def test_nice_ticks_follow_the_1_2_5_series():
    assert market_charts.nice_ticks(2e7, 9e7, log=True) == [2e7, 5e7, 1e8]
    assert market_charts.nice_ticks(0, 35) == [0, 10, 20, 30, 40]


# -- the page --------------------------------------------------------------------------------
@pytest.fixture
def app(sample_path: Path, monkeypatch: pytest.MonkeyPatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FLYWHEEL_DB", str(sample_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120
    )
    at.run()
    at.switch_page("app_pages/market.py").run()
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


def _titles(at) -> list[str]:
    return [f["layout"]["title"]["text"] for f in figures(at)]


MARKET_TABS = [
    translate(f"market.tab.{k}", "en")
    for k in ("sizing", "segments", "competitors", "insight", "target")
]


def test_market_page_runs_on_the_sample_and_shows_every_section(app):
    assert not app.exception
    assert not app.error
    titles = [
        f["layout"]["title"]["text"] for f in figures_of_every_tab(app, "market_tab", MARKET_TABS)
    ]
    assert len(titles) == 11  # sizing, funnel, SOM check, bubbles, 2 shares, map, 4 insight
    assert any(t.startswith("Market size by segment") for t in titles)
    assert any(t.startswith("Positioning") for t in titles)


def test_market_page_only_runs_the_open_tab(app):
    titles = _titles(app)  # the sizing tab: three charts, none of the other tabs'
    assert len(titles) == 3
    assert all(t.startswith(("Market siz", "Our won revenue against SOM")) for t in titles)


def test_market_page_segment_choice_narrows_share_and_positioning(app, sample_names):
    segment = sample_names.label("Enterprise")  # 大型企业 in the Chinese sample
    open_tab(app, "market_tab", MARKET_TABS[2])
    app.selectbox(key="market_share_segment").set_value(segment).run()
    assert not app.exception
    titles = _titles(app)
    assert f"Competitors' market share by year, {segment} (%)" in titles
    assert any(t.startswith("Positioning") and segment in t for t in titles)


def test_market_page_insight_switches_from_segment_to_region(app):
    open_tab(app, "market_tab", MARKET_TABS[3])
    app.segmented_control(key="market_insight_dimension").set_value("region").run()
    assert not app.exception
    assert "Win rate by region, pull vs push (%)" in _titles(app)


@pytest.mark.parametrize("page", ["app_pages/market.py", "app_pages/strategy_4p.py"])
@pytest.mark.parametrize("which", ["empty", "tiny"])
def test_pages_run_on_an_empty_and_on_the_tiny_workspace(
    page, which, tmp_path: Path, tiny_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "empty.duckdb" if which == "empty" else tiny_path
    if which == "empty":
        Workspace(db).close()
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120
    )
    at.run()
    at.switch_page(page).run()
    try:
        assert not at.exception
        assert not at.error
        if page == "app_pages/market.py":
            assert len(figures_of_every_tab(at, "market_tab", MARKET_TABS)) >= 3
        else:
            tabs = [
                translate(f"strategy_4p.tab_{k}", "en")
                for k in ("kpis", "product", "price", "place", "promotion", "budget")
            ]
            assert len(figures_of_every_tab(at, "strategy_4p_tab", tabs)) >= 3
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


def test_market_page_without_assumptions_says_what_each_tab_needs_and_starts_sizing(
    tiny_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The tiny workspace has deals of 2025 and no market assumptions: the notice names no
    table, the Market size tab says what it needs and opens the sizes editor for 2025 (the
    latest year with deals), and the Segments tab says where sizes are added."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FLYWHEEL_DB", str(tiny_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120
    )
    at.run()
    at.switch_page("app_pages/market.py").run()
    try:
        assert not at.exception
        infos = [i.value for i in at.info]
        assert (
            translate("market.no_assumptions", "en", sizing="Market size", insight="Where we win")
            in infos
        )
        assert not [i for i in infos if "market_segments" in i or "competitors table" in i]
        assert translate("market.sizing_needs", "en") in infos
        assert at.number_input(key="market_new_year").value == 2025
        assert "Edit the market assumptions of 2025" in [e.label for e in at.expander]
        open_tab(at, "market_tab", MARKET_TABS[1])
        assert not at.exception
        assert (
            "Segment attractiveness weighs each segment's market size and growth against our "
            "results there, so it needs market sizes first — enter them in the Market size tab."
        ) in [i.value for i in at.info]
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
