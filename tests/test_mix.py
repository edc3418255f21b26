"""4P evidence: product, price, place, promotion and budget split, against hand-computed figures.

On top of tests/fixtures.py this module records discounts (D1 0%, D2 5%, D3 12%, D4 12%,
D7 25%, D5 8% open, D8 1%; D6 none) and maps 'Referral' (no spend, no leads) to pull.
January 2025 closes: won D1 10,000 (Core, Enterprise EMEA, pull), D2 5,000 (Core, SMB EMEA,
pull), D4 2,000 (Plus, SMB NA, push), D7 3,000 (Core, Enterprise EMEA, pull); lost D3 8,000
(Plus, Enterprise NA, push).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from components.charts import mix as mix_charts
from components.charts.theme import OVERALL_COLOR, PULL_COLOR, PUSH_COLOR
from components.i18n import translate
from components.ui.page import FILTERS_KEY
from queries import mix
from queries.filters import Filters
from queries.workspace import Workspace
from tests.apptest_utils import figures, figures_of_every_tab, open_tab
from tests.fixtures import build_tiny_workspace
from views import strategy_4p as views

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
DISCOUNTS = {"D1": 0.0, "D2": 5.0, "D3": 12.0, "D4": 12.0, "D5": 8.0, "D7": 25.0, "D8": 1.0}


@pytest.fixture(scope="module")
def mix_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_tiny_workspace(tmp_path_factory.mktemp("mix") / "mix.duckdb")
    ws = Workspace(path)
    with ws.transaction() as cur:
        for deal_id, pct in DISCOUNTS.items():
            cur.execute("update raw_deals set discount_pct = ? where deal_id = ?", [pct, deal_id])
        cur.execute("insert into source_motion values ('Referral', 'pull')")
    ws.close()
    return path


@pytest.fixture
def ws(mix_path: Path) -> Iterator[Workspace]:
    w = Workspace(mix_path, read_only=True)
    yield w
    w.close()


def values(array: list | dict) -> list:
    """A figure-JSON array as a list: plotly 7 writes numeric arrays as typed base64 blobs."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


# -- product ---------------------------------------------------------------------------------
def test_product_trend_sums_won_revenue_and_win_rate_per_quarter(ws):
    trend = mix.product_trend(ws, JAN).set_index(["product", "quarter"])
    assert trend.loc[("Core", "2025-Q1"), "won_amount"] == pytest.approx(18_000)
    assert trend.loc[("Core", "2025-Q1"), "win_rate"] == pytest.approx(1.0)
    assert trend.loc[("Plus", "2025-Q1"), "win_rate"] == pytest.approx(0.5)  # D4 won, D3 lost


def test_product_trend_takes_the_products_of_the_by_product_frame(ws):
    by_product = mix.by_dimension(ws, JAN, "product")
    assert views.product_names(by_product) == ("Core", "Plus")
    handed = mix.product_trend(ws, JAN, views.product_names(by_product))
    pd.testing.assert_frame_equal(handed, mix.product_trend(ws, JAN))


def test_a_quarter_only_partly_inside_the_period_is_marked_partial(ws):
    assert mix.product_trend(ws, JAN)["is_partial"].all()
    q1, q4 = date(2025, 1, 1), date(2025, 10, 1)  # the first days of 2025-Q1 and 2025-Q4
    assert not mix.is_partial_quarter(q1, Filters(date(2025, 1, 1), date(2025, 3, 31)))
    assert mix.is_partial_quarter(q4, Filters(date(2025, 11, 1), date(2026, 10, 31)))


# -- price -----------------------------------------------------------------------------------
def _curve(ws, filters=JAN) -> pd.DataFrame:
    return mix.discount_curve(ws, filters).set_index(["band_index", "motion_group"])


def test_discount_bands_include_their_upper_bound(ws):
    curve = _curve(ws)
    assert curve.loc[(0, "overall"), "won"] == 1  # D1 at 0%
    assert curve.loc[(1, "overall"), "won"] == 1  # D2 at exactly 5% is in (0, 5]
    assert curve.loc[(1, "overall"), ["band_low_pct", "band_high_pct"]].tolist() == [0, 5]


def test_discount_band_win_rate_is_won_over_closed_in_the_period(ws):
    curve = _curve(ws)
    assert curve.loc[(3, "overall"), ["won", "lost"]].tolist() == [1, 1]  # D4 won, D3 lost
    assert curve.loc[(3, "push"), "win_rate"] == pytest.approx(0.5)
    assert curve.loc[(3, "overall"), "avg_deal_size"] == pytest.approx(2_000)
    assert curve.loc[(5, "pull"), "win_rate"] == pytest.approx(1.0)  # D7 at 25%


def test_open_deals_and_deals_without_a_discount_stay_off_the_curve(ws):
    # January + February: D6 (no discount) closes in February; D5 (8%) is open
    curve = _curve(ws, Filters(date(2025, 1, 1), date(2025, 2, 28)))
    overall = curve.xs("overall", level="motion_group")
    assert int(overall["closed"].sum()) == 5
    assert 2 not in overall.index  # the (5, 10] band only holds the open D5


def test_deal_size_bins_follow_the_1_2_5_series_and_count_by_motion():
    amounts = pd.DataFrame(
        {
            "amount": [2_000.0, 3_000.0, 5_000.0, 10_000.0],
            "motion": ["push", "pull", "pull", "pull"],
        }
    )
    bins = mix.deal_size_bins(amounts)
    assert sorted(set(zip(bins["low"], bins["high"], strict=True))) == [
        (2_000, 5_000),
        (5_000, 10_000),
        (10_000, 20_000),
    ]
    counts = bins.set_index(["low", "motion"])["deals"]
    assert counts[(2_000, "pull")] == 1 and counts[(2_000, "push")] == 1
    assert counts[(5_000, "push")] == 0  # empty bins are kept so bars line up
    assert counts[(10_000, "pull")] == 1  # an amount on an edge goes to the bin it starts


@pytest.mark.parametrize(
    "filters",
    [
        JAN,
        Filters(date(2024, 1, 1), date(2025, 12, 31)),
        Filters(date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_won_deal_size_bins_counted_in_the_database_match_the_python_binning(ws, filters):
    expected = mix.deal_size_bins(mix.won_deal_amounts(ws, filters))
    got = mix.won_deal_size_bins(ws, filters)
    if expected.empty:
        assert got.empty and list(got.columns) == list(expected.columns)
    else:
        pd.testing.assert_frame_equal(got, expected)


# amounts on and around the 1-2-5 edges, below 1 and in the millions, zero and negative
EDGE_AMOUNTS = [
    0.01,
    0.1,
    0.2,
    0.29,
    0.5,
    0.99,
    1,
    2,
    5,
    9.99,
    10,
    99.99,
    100,
    199.99,
    200,
    499.99,
    500,
    1000,
    1000.01,
    2000,
    4999.99,
    5000,
    10000,
    20000,
    1e6,
    5e6,
    0,
    -5,
]


@pytest.fixture
def edge_ws(mix_path: Path, tmp_path: Path) -> Iterator[Workspace]:
    copy = tmp_path / "edges.duckdb"
    copy.write_bytes(mix_path.read_bytes())
    w = Workspace(copy)
    with w.transaction() as cur:
        for i, amount in enumerate(EDGE_AMOUNTS):
            source = ("Webinar", "Outbound", "Mystery")[i % 3]  # pull, push, unmapped
            cur.execute(
                "insert into raw_deals (deal_id, created_at, closed_at, outcome, amount, "
                "source) values (?, '2025-01-02', '2025-01-20', 'won', ?, ?)",
                [f"E{i}", amount, source],
            )
    yield w
    w.close()


def test_won_deal_size_bins_put_edge_amounts_where_the_python_binning_does(edge_ws):
    expected = mix.deal_size_bins(mix.won_deal_amounts(edge_ws, JAN))
    got = mix.won_deal_size_bins(edge_ws, JAN)
    pd.testing.assert_frame_equal(got, expected)
    assert set(got["motion"]) == {"pull", "push", "unmapped"}
    assert got["deals"].sum() == len([a for a in EDGE_AMOUNTS if a > 0]) + 4  # + D1 D2 D4 D7


def test_won_deal_amounts_lists_each_won_deal_in_the_period(ws):
    amounts = mix.won_deal_amounts(ws, JAN)
    assert sorted(amounts["deal_id"]) == ["D1", "D2", "D4", "D7"]


# -- place -----------------------------------------------------------------------------------
def test_place_grid_gives_win_rate_per_region_and_segment(ws):
    grid = mix.place_grid(ws, JAN).set_index(["region", "segment"])
    assert grid.loc[("EMEA", "Enterprise"), ["won", "lost"]].tolist() == [2, 0]
    assert grid.loc[("North America", "Enterprise"), "win_rate"] == pytest.approx(0.0)
    assert grid.loc[("North America", "SMB"), "sales_cycle_days"] == pytest.approx(10)


def test_place_grid_splits_by_the_segments_with_deals_in_the_period(ws):
    assert sorted(mix.place_grid(ws, JAN)["segment"].unique()) == ["Enterprise", "SMB"]
    # December 2024: only D8 (SMB, lost) closes, D6 (SMB) is created; no Enterprise deal
    december = Filters(date(2024, 12, 1), date(2024, 12, 31))
    assert mix.place_grid(ws, december)["segment"].unique().tolist() == ["SMB"]
    smb = Filters(date(2025, 1, 1), date(2025, 1, 31), segments=("SMB",))
    assert mix.place_grid(ws, smb)["segment"].unique().tolist() == ["SMB"]
    nothing = Filters(date(2026, 12, 1), date(2026, 12, 31))
    assert mix.place_grid(ws, nothing).empty


# -- promotion -------------------------------------------------------------------------------
def _promo(ws, filters=JAN) -> pd.DataFrame:
    return mix.promotion(ws, filters).set_index("channel")


def test_promotion_spend_leads_and_cost_per_lead_per_channel(ws):
    promo = _promo(ws)
    assert promo.loc["Webinar", ["spend", "leads"]].tolist() == [3_000, 1]  # L4 is December's
    assert promo.loc["Webinar", "cost_per_lead"] == pytest.approx(3_000)
    assert promo.loc["Paid Search", "cost_per_lead"] == pytest.approx(1_500)


def test_pipeline_and_won_revenue_follow_the_deals_lead_source(ws):
    promo = _promo(ws)
    # created in January from a Webinar lead: D2 (L1). Won in January: D1 (L4) and D2.
    assert promo.loc["Webinar", "pipeline_created"] == pytest.approx(5_000)
    assert promo.loc["Webinar", "won_amount"] == pytest.approx(15_000)
    assert promo.loc["Webinar", "won_per_spend"] == pytest.approx(5.0)
    # D7 has no lead: it counts under its own source
    assert promo.loc["Paid Search", "pipeline_created"] == pytest.approx(3_000)


def test_a_pull_source_without_spend_is_a_channel_with_no_cost_per_lead(ws):
    referral = _promo(ws).loc["Referral"]
    assert referral["spend"] == 0
    assert pd.isna(referral["cost_per_lead"])
    assert "Outbound" not in _promo(ws).index  # push sources are not marketing channels


def test_spend_is_company_wide_but_leads_and_deals_follow_the_segment_filter(ws):
    enterprise = _promo(ws, Filters(date(2025, 1, 1), date(2025, 1, 31), segments=("Enterprise",)))
    assert enterprise.loc["Webinar", "spend"] == pytest.approx(3_000)
    assert enterprise.loc["Webinar", "leads"] == 0  # L1 is SMB
    assert enterprise.loc["Webinar", "won_amount"] == pytest.approx(10_000)  # D1 only


@pytest.fixture
def idle_ws(mix_path: Path, tmp_path: Path) -> Iterator[Workspace]:
    """The mix workspace plus March spend on Paid Search (deals in January, none in March) and
    on Brand (no lead, no deal, ever)."""
    copy = tmp_path / "idle.duckdb"
    copy.write_bytes(mix_path.read_bytes())
    w = Workspace(copy)
    with w.transaction() as cur:
        cur.execute(
            "insert into spend values ('2025-03-05', 'marketing', 'Paid Search', NULL, 700, NULL)"
        )
        cur.execute(
            "insert into spend values ('2025-03-05', 'marketing', 'Brand', NULL, 300, NULL)"
        )
    yield w
    w.close()


def test_won_per_spend_is_zero_for_a_channel_with_deals_at_other_times_and_none_without(idle_ws):
    march = _promo(idle_ws, Filters(date(2025, 3, 1), date(2025, 3, 31)))
    assert "has_period_deals" not in march.columns
    assert march.loc["Paid Search", "won_amount"] == 0
    assert march.loc["Paid Search", "won_per_spend"] == 0.0  # D7 and L2 are January's
    assert pd.isna(march.loc["Brand", "won_per_spend"])  # no deal ever
    assert pd.isna(march.loc["Webinar", "won_per_spend"])  # no spend in March
    # a segment filter that leaves Paid Search without any deal at all
    smb = _promo(idle_ws, Filters(date(2025, 3, 1), date(2025, 3, 31), segments=("SMB",)))
    assert pd.isna(smb.loc["Paid Search", "won_per_spend"])  # D7 is Enterprise


# -- budget split ----------------------------------------------------------------------------
def test_budget_split_gives_each_channel_its_share_of_its_category(ws):
    split = mix.budget_split(ws, JAN).set_index(["category", "channel"])
    assert split.loc[("marketing", "Webinar"), "share"] == pytest.approx(2 / 3)
    assert split.loc[("marketing", "Paid Search"), "share"] == pytest.approx(1 / 3)
    assert split.loc[("sales", "Sales team"), "share"] == pytest.approx(1.0)
    assert split.loc[("marketing", "Webinar"), "share_of_all"] == pytest.approx(3_000 / 10_500)


# -- chart builders --------------------------------------------------------------------------
LABELS = {"pull": "Pull", "push": "Push", "overall": "Overall"}


def test_discount_curve_draws_pull_push_and_a_dashed_overall_line():
    df = pd.DataFrame(
        {
            "band_index": [0, 0, 0, 1, 1],
            "motion_group": ["pull", "push", "overall", "pull", "overall"],
            "closed": [4, 2, 6, 3, 3],
            "win_rate": [0.5, 0.25, 0.4, 0.6, 0.6],
        }
    )
    fig = mix_charts.discount_curve(
        df,
        y="win_rate",
        title="Win rate by discount (%)",
        y_title="Win rate",
        x_title="Discount",
        band_labels={0: "None", 1: "0–5%"},
        motion_labels=LABELS,
        closed_label="Closed",
        y_format=".0%",
    )
    spec = json.loads(fig.to_json())
    colors = [d["line"]["color"] for d in spec["data"]]
    assert colors == [PULL_COLOR, PUSH_COLOR, OVERALL_COLOR]
    assert spec["data"][2]["line"]["dash"] == "dash"
    assert spec["layout"]["xaxis"]["categoryarray"] == ["None", "0–5%"]
    assert spec["layout"]["yaxis"]["title"]["text"] == "Win rate"


def test_deal_size_histogram_has_a_bar_per_motion_in_bin_order():
    bins = pd.DataFrame(
        {
            "bin_index": [1, 0, 0, 1],
            "motion": ["pull", "pull", "push", "push"],
            "deals": [3, 1, 2, 0],
        }
    )
    fig = mix_charts.deal_size_histogram(
        bins,
        title="t",
        x_title="Size",
        y_title="Deals",
        bin_labels={0: "$1K–2K", 1: "$2K–5K"},
        motion_labels=LABELS,
    )
    spec = json.loads(fig.to_json())
    assert [d["name"] for d in spec["data"]] == ["Pull", "Push"]
    assert spec["data"][0]["x"] == ["$1K–2K", "$2K–5K"]
    assert values(spec["data"][0]["y"]) == [1, 3]


def test_cost_per_lead_leaves_out_channels_without_spend_and_keeps_channel_colours():
    df = pd.DataFrame(
        {
            "channel": ["Webinar", "Referral", "Ads"],
            "cost_per_lead": [300.0, None, 100.0],
            "leads": [10, 5, 30],
        }
    )
    colors = {"Webinar": "#111111", "Referral": "#222222", "Ads": "#333333"}
    fig = mix_charts.cost_per_lead_bars(
        df, title="t", x_title="USD", leads_label="Leads", colors=colors
    )
    bar = json.loads(fig.to_json())["data"][0]
    assert bar["y"] == ["Ads", "Webinar"]  # cheapest first
    assert bar["marker"]["color"] == ["#333333", "#111111"]


def test_budget_donut_and_engine_split_use_fixed_colours():
    df = pd.DataFrame({"channel": ["Ads", "Events"], "amount": [300.0, 100.0]})
    donut = json.loads(
        mix_charts.budget_donut(
            df, title="t", colors={"Ads": "#111111", "Events": "#222222"}
        ).to_json()
    )["data"][0]
    assert donut["type"] == "pie" and donut["marker"]["colors"] == ["#111111", "#222222"]
    split = json.loads(
        mix_charts.engine_split_bar(250.0, 750.0, title="t", motion_labels=LABELS).to_json()
    )
    assert [d["marker"]["color"] for d in split["data"]] == [PULL_COLOR, PUSH_COLOR]
    assert [d["x"][0] for d in split["data"]] == [0.25, 0.75]


def test_heatmap_escapes_crm_names_and_shows_counts_in_hover():
    df = pd.DataFrame(
        {
            "region": ["EMEA", "<i>NA</i>"],
            "segment": ["SMB", "SMB"],
            "win_rate": [0.5, 0.25],
            "closed": [4, 8],
        }
    )
    fig = mix_charts.heatmap(
        df,
        rows="region",
        cols="segment",
        value="win_rate",
        count="closed",
        title="t",
        value_label="Win rate",
        count_label="Closed",
    )
    trace = json.loads(fig.to_json())["data"][0]
    assert trace["type"] == "heatmap"
    assert "&lt;i&gt;NA&lt;/i&gt;" in trace["y"]
    assert "Closed" in trace["hovertemplate"]


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
    at.switch_page("app_pages/strategy_4p.py").run()
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


P_TABS = [
    translate(f"strategy_4p.tab_{k}", "en")
    for k in ("kpis", "product", "price", "place", "promotion", "budget")
]


def _charts_of_every_tab(at) -> list[dict]:
    """The tabs are lazy (only the open one runs): every tab's charts, in tab order."""
    return figures_of_every_tab(at, "strategy_4p_tab", P_TABS)


def test_only_the_open_tab_runs_and_the_kpi_tracker_opens_first(app):
    titles = [c["layout"]["title"]["text"] for c in figures(app)]
    assert titles == ["Plan KPIs: actual as a share of target (%)"]


def test_4p_page_runs_on_the_sample_with_evidence_for_every_p(app, sample_names):
    assert not app.exception
    assert not app.error
    titles = [c["layout"]["title"]["text"] for c in _charts_of_every_tab(app)]
    assert len(titles) == 18  # + deal size, price realisation, budget plan, KPI tracker
    currency = sample_names.currency  # the sample workspace's: USD, CNY
    for expected in (
        f"Won revenue by product, pull vs push ({currency})",
        "Win rate by discount band, pull vs push (%)",
        "Win rate by region and segment, both engines (%)",
        f"Cost per lead by channel ({currency})",
        f"Marketing spend by channel, share of the total ({currency})",
    ):
        assert expected in titles


def test_4p_page_trend_switches_from_revenue_to_win_rate(app):
    open_tab(app, "strategy_4p_tab", translate("strategy_4p.tab_product", "en"))
    app.segmented_control(key="mix_trend_metric").set_value("win_rate").run()
    assert not app.exception
    trend = next(
        c
        for c in figures(app)
        if c["layout"]["title"]["text"].startswith("Win rate by product and")
    )
    assert trend["layout"]["yaxis"]["tickformat"] == ".0%"
    assert all(max(values(d["y"])) <= 1 for d in trend["data"])


def test_4p_page_survives_filters_that_leave_no_rows(app):
    # December 2026 is after the sample's last day: no lead, deal or spend in it
    december = Filters(date(2026, 12, 1), date(2026, 12, 31))
    # the sidebar's widget when app.py runs around the page, the handed-over filters when not
    app.session_state["filter_period"] = (december.date_from, december.date_to)
    app.session_state[FILTERS_KEY] = december
    app.run()
    assert any("Dec 1, 2026" in c.value for c in app.caption)  # the period the page shows
    assert not app.exception
    assert not app.error
    charts = _charts_of_every_tab(app)
    assert len(charts) == 18  # titled empty figures, no error
    # the evidence is empty; the saved plan (budget lines, KPI targets) is still drawn
    plan = ("Budget plan", "Plan KPIs")
    evidence = [c for c in charts if not c["layout"]["title"]["text"].startswith(plan)]
    assert len(evidence) == 16
    # each says why: no data, or (the engine split) no spend in the period, never "$0.00"
    no_spend = "No spend imported for this period"
    said = [c["layout"]["annotations"][0]["text"] for c in evidence]
    assert all(t == "No data for these filters" or t.startswith(no_spend) for t in said)
    assert sum(t.startswith(no_spend) for t in said) == 1
