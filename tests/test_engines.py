"""Pull vs push: the engines by quarter and channel response, against figures computed by hand
from tests/fixtures.py; the chart builders; the page through AppTest. Lead value by age:
tests/test_planning_lead_value.py."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from components.charts import engines as engines_charts
from components.charts.theme import PULL_COLOR, PUSH_COLOR, TEMPLATE, motion_color
from components.i18n import translate
from queries import engines, metrics
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.apptest_utils import figures, plain
from tests.fixtures import build_tiny_workspace

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
Q1 = Filters(date(2025, 1, 1), date(2025, 3, 31))
DEC_JAN = Filters(date(2024, 12, 1), date(2025, 1, 31))
MOTION_LABELS = {"pull": "Pull", "push": "Push", "overall": "Overall"}


def _row(df: pd.DataFrame, quarter: str, group: str) -> pd.Series:
    return df[(df["quarter"] == quarter) & (df["motion_group"] == group)].iloc[0]


# -- quarters --------------------------------------------------------------------------------
def test_whole_quarters_widen_the_period_to_calendar_quarter_bounds():
    wide = engines.whole_quarters(Filters(date(2025, 2, 10), date(2025, 11, 5), segments=("SMB",)))
    assert (wide.date_from, wide.date_to) == (date(2025, 1, 1), date(2025, 12, 31))
    assert wide.segments == ("SMB",)
    assert engines.quarter_end(date(2024, 2, 29)) == date(2024, 3, 31)
    assert engines.quarter_label(date(2025, 8, 1)) == "2025-Q3"


# -- CAC by quarter: the headline definition, grouped ----------------------------------------
def test_cac_by_quarter_equals_headline_cac_for_that_quarter(tiny_ws):
    by_quarter = engines.cac_by_quarter(tiny_ws, Q1)
    head = metrics.headline(tiny_ws, Q1)
    for group in ("overall", "pull", "push"):
        row = _row(by_quarter, "2025-Q1", group)
        assert row["new_customers"] == head.loc[group, "new_customers"]
        assert row["cac"] == pytest.approx(head.loc[group, "cac"])
    # by hand: A1, A2, A6 first won through pull deals, A4 through push; spend 4,500 marketing
    # and 12,000 sales in the quarter
    assert _row(by_quarter, "2025-Q1", "pull")["cac"] == pytest.approx(4500 / 3)
    assert _row(by_quarter, "2025-Q1", "push")["cac"] == pytest.approx(12000 / 1)
    assert _row(by_quarter, "2025-Q1", "overall")["cac"] == pytest.approx(16500 / 4)


def test_cac_by_quarter_has_no_cac_for_a_quarter_without_new_customers(tiny_ws):
    df = engines.cac_by_quarter(tiny_ws, Filters(date(2024, 10, 1), date(2025, 3, 31)))
    q4 = _row(df, "2024-Q4", "overall")
    assert q4["marketing_spend"] == pytest.approx(999)
    assert q4["new_customers"] == 0
    assert pd.isna(q4["cac"])


def test_cac_by_quarter_charges_the_set_share_of_sales_spend_to_pull(tmp_path: Path):
    ws = Workspace(build_tiny_workspace(tmp_path / "share.duckdb"))
    try:
        ws.set_setting("pull_share_of_sales", "0.25")
        df = engines.cac_by_quarter(ws, Q1)
        head = metrics.headline(ws, Q1)
        assert _row(df, "2025-Q1", "pull")["cac"] == pytest.approx((4500 + 3000) / 3)
        assert _row(df, "2025-Q1", "push")["cac"] == pytest.approx(9000 / 1)
        assert _row(df, "2025-Q1", "pull")["cac"] == pytest.approx(head.loc["pull", "cac"])
    finally:
        ws.close()


# -- engines by quarter ----------------------------------------------------------------------
def test_engines_by_quarter_covers_the_whole_quarter_of_the_period(tiny_ws):
    df = engines.engines_by_quarter(tiny_ws, JAN)  # January widens to 2025-Q1
    assert set(df["quarter"]) == {"2025-Q1"}
    pull = _row(df, "2025-Q1", "pull")
    # won in Q1 through pull: D1 10,000, D2 5,000, D6 4,000 (15 February), D7 3,000
    assert pull["won_amount"] == pytest.approx(22000)
    assert pull["win_rate"] == pytest.approx(1.0)
    assert pull["new_customers"] == 3
    push = _row(df, "2025-Q1", "push")
    assert push["win_rate"] == pytest.approx(0.5)  # D4 won, D3 lost
    assert push["cac"] == pytest.approx(12000)


def test_engines_by_quarter_reuses_deal_metrics_by(tiny_ws):
    df = engines.engines_by_quarter(tiny_ws, JAN)
    deals = metrics.deal_metrics_by(tiny_ws, Q1, "closed_quarter")
    expected = deals[deals["motion_group"] == "overall"].iloc[0]
    row = _row(df, "2025-Q1", "overall")
    for key in ("won_amount", "win_rate", "avg_deal_size", "sales_cycle_days"):
        assert row[key] == pytest.approx(expected[key])


def test_engines_by_quarter_flags_quarters_the_data_do_not_cover(tiny_ws):
    # the tiny data run from 1 October 2024 to 15 February 2025
    df = engines.engines_by_quarter(tiny_ws, Filters(date(2024, 10, 1), date(2025, 3, 31)))
    partial = df.drop_duplicates("quarter").set_index("quarter")["is_partial"].to_dict()
    assert partial == {"2024-Q4": False, "2025-Q1": True}


def test_engines_by_quarter_is_empty_without_data(tiny_ws):
    df = engines.engines_by_quarter(tiny_ws, Filters(date(2030, 1, 1), date(2030, 3, 31)))
    assert df.empty


def _fiscal_ws(tmp_path: Path, month: int) -> Workspace:
    ws = Workspace(build_tiny_workspace(tmp_path / f"fiscal{month}.duckdb"))
    ws.set_setting("fiscal_year_start_month", str(month))
    return ws


def test_engines_by_quarter_follows_a_fiscal_year_from_april(tmp_path: Path):
    # April start: January–March 2025 is Q4 of FY2024/25, October–December 2024 its Q3; the
    # figures are those of the calendar quarters, under their fiscal names
    ws = _fiscal_ws(tmp_path, 4)
    try:
        df = engines.engines_by_quarter(ws, JAN)
        assert set(df["quarter"]) == {"FY2024/25 Q4"}
        pull = _row(df, "FY2024/25 Q4", "pull")
        assert pull["won_amount"] == pytest.approx(22000)  # D1, D2, D6, D7
        assert pull["new_customers"] == 3
        assert _row(df, "FY2024/25 Q4", "push")["cac"] == pytest.approx(12000)
        wide = engines.engines_by_quarter(ws, Filters(date(2024, 10, 1), date(2025, 3, 31)))
        partial = wide.drop_duplicates("quarter").set_index("quarter")["is_partial"].to_dict()
        assert partial == {"FY2024/25 Q3": False, "FY2024/25 Q4": True}
        zh = engines.engines_by_quarter(ws, JAN, lang="zh")
        assert set(zh["quarter"]) == {"2024/25财年第4季度"}
    finally:
        ws.close()


def test_engines_by_quarter_with_quarters_across_calendar_ones(tmp_path: Path):
    # February start: November 2024–January 2025 is Q4 of FY2024/25, February–April 2025 Q1 of
    # FY2025/26. By hand: D8 (15 Dec, lost, push), D1 10,000, D2 5,000, D7 3,000 (pull, won),
    # D4 2,000 (push, won), D3 (push, lost) close in Q4; D6 4,000 (pull, won) in Q1.
    ws = _fiscal_ws(tmp_path, 2)
    try:
        df = engines.engines_by_quarter(ws, Filters(date(2024, 12, 1), date(2025, 2, 10)))
        assert df.drop_duplicates("quarter")["quarter"].tolist() == ["FY2024/25 Q4", "FY2025/26 Q1"]
        overall = _row(df, "FY2024/25 Q4", "overall")
        assert overall["won_amount"] == pytest.approx(20000)
        assert overall["win_rate"] == pytest.approx(4 / 6)
        pull = _row(df, "FY2024/25 Q4", "pull")
        assert pull["avg_deal_size"] == pytest.approx(6000)
        assert pull["sales_cycle_days"] == pytest.approx(28.5)  # of 70, 20 and 28.5 days
        # new customers: A1, A2 (pull), A4 (push); spend 999 + 3,000 + 1,500 marketing, 6,000
        # sales from November to January
        assert pull["new_customers"] == 2
        assert pull["cac"] == pytest.approx(5499 / 2)
        assert _row(df, "FY2024/25 Q4", "push")["win_rate"] == pytest.approx(1 / 3)
        assert _row(df, "FY2024/25 Q4", "overall")["cac"] == pytest.approx(11499 / 3)
        assert _row(df, "FY2025/26 Q1", "pull")["won_amount"] == pytest.approx(4000)
    finally:
        ws.close()


def test_fiscal_whole_quarters_widen_to_fiscal_bounds():
    wide = engines.whole_quarters(Filters(date(2025, 12, 10), date(2026, 2, 5)), 2)
    assert (wide.date_from, wide.date_to) == (date(2025, 11, 1), date(2026, 4, 30))
    assert engines.quarter_label(date(2026, 2, 5), 2) == "FY2026/27 Q1"


# -- channel response ------------------------------------------------------------------------
def test_channel_response_pairs_monthly_spend_with_leads_from_the_same_source(tiny_ws):
    df = engines.channel_spend_vs_leads(tiny_ws, DEC_JAN)
    rows = {(r.channel, pd.Timestamp(r.month).strftime("%Y-%m-%d")): r for r in df.itertuples()}
    assert set(rows) == {
        ("Paid Search", "2025-01-01"),
        ("Webinar", "2024-12-01"),
        ("Webinar", "2025-01-01"),
    }
    assert (
        rows[("Webinar", "2024-12-01")].spend_amount,
        rows[("Webinar", "2024-12-01")].count_leads,
    ) == (999, 1)
    assert rows[("Webinar", "2025-01-01")].cost_per_lead == pytest.approx(3000)
    assert "Sales team" not in set(df["channel"])  # sales spend is not marketing response


def test_channel_response_filters_leads_but_not_spend(tiny_ws):
    smb = Filters(DEC_JAN.date_from, DEC_JAN.date_to, segments=("SMB",))
    df = engines.channel_spend_vs_leads(tiny_ws, smb)
    december = df[(df["channel"] == "Webinar") & (df["month"] == pd.Timestamp("2024-12-01"))]
    # L4 is an Enterprise lead: December keeps its spend, with no SMB lead to show for it
    assert december[["spend_amount", "count_leads"]].iloc[0].tolist() == [999, 0]
    assert pd.isna(december["cost_per_lead"].iloc[0])


# -- chart builders --------------------------------------------------------------------------
def _spec(fig) -> dict:
    return plain(json.loads(fig.to_json()))


def _quarters_frame() -> pd.DataFrame:
    rows = []
    for quarter, partial in (("2025-Q1", False), ("2025-Q2", True)):
        for group, scale in (("overall", 3), ("pull", 2), ("push", 1)):
            rows.append(
                {
                    "quarter": quarter,
                    "motion_group": group,
                    "won_amount": 1000.0 * scale,
                    "new_customers": scale,
                    "win_rate": 0.1 * scale,
                    "avg_deal_size": 500.0 * scale,
                    "sales_cycle_days": 10.0 * scale,
                    "cac": 100.0 * scale,
                    "is_partial": partial,
                }
            )
    return pd.DataFrame(rows)


def test_engines_chart_draws_one_panel_per_metric_with_pull_and_push_lines():
    panels = {k: k.upper() for k in engines.ENGINE_METRICS}
    spec = _spec(
        engines_charts.engines_by_quarter(
            _quarters_frame(),
            title="Engines by quarter (USD)",
            panel_titles=panels,
            motion_labels=MOTION_LABELS,
            money_prefix="$",
        )
    )
    assert len(spec["data"]) == 2 * len(engines.ENGINE_METRICS)
    assert {t["line"]["color"] for t in spec["data"][0::2]} == {PULL_COLOR}
    assert {t["line"]["color"] for t in spec["data"][1::2]} == {PUSH_COLOR}
    assert [t["showlegend"] for t in spec["data"][:4]] == [True, True, False, False]
    assert [a["text"] for a in spec["layout"]["annotations"]] == list(panels.values())
    # the partial quarter carries a star and a hollow point
    assert spec["data"][0]["x"] == ["2025-Q1", "2025-Q2*"]
    assert spec["data"][0]["marker"]["symbol"] == ["circle", "circle-open"]
    assert spec["data"][4]["y"] == [0.2, 0.2]  # pull win rate in the third panel
    assert spec["layout"]["yaxis3"]["tickformat"] == ".0%"
    assert spec["layout"]["yaxis"]["tickprefix"] == "$"


def test_value_curve_has_a_line_per_motion_in_its_colour():
    df = pd.DataFrame(
        {
            "motion": ["pull", "pull", "push", "push"],
            "months_since": [0, 1, 0, 1],
            "count_cohorts": [2, 1, 2, 1],
            "count_leads": [3, 1, 2, 1],
            "won_per_lead": [10.0, 50.0, 20.0, 25.0],
        }
    )
    spec = _spec(
        engines_charts.value_per_lead_curve(
            df,
            title="Won revenue per lead",
            x_title="Months",
            y_title="Per lead",
            motion_labels=MOTION_LABELS,
            cohorts_label="Cohorts",
            y_prefix="$",
        )
    )
    assert [t["name"] for t in spec["data"]] == ["Pull", "Push"]
    assert [t["line"]["color"] for t in spec["data"]] == [PULL_COLOR, PUSH_COLOR]
    assert spec["data"][0]["y"] == [10.0, 50.0]
    assert spec["layout"]["xaxis"]["title"]["text"] == "Months"


def test_channel_grid_has_one_scatter_per_channel_and_escapes_names():
    df = pd.DataFrame(
        {
            "channel": ["<b>Events</b>", "Webinar", "Webinar"],
            "month": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01"]),
            "spend_amount": [100.0, 200.0, 300.0],
            "count_leads": [1, 2, 3],
            "cost_per_lead": [100.0, 100.0, 100.0],
        }
    )
    spec = _spec(
        engines_charts.channel_response_grid(
            df, title="Spend vs leads", x_title="Spend", y_title="Leads", cost_label="CPL"
        )
    )
    assert len(spec["data"]) == 2
    assert all(t["marker"]["color"] == PULL_COLOR for t in spec["data"])
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles == ["&lt;b&gt;Events&lt;/b&gt;", "Webinar"]
    assert spec["data"][1]["x"] == [200.0, 300.0]


def _slow_engines_chart(df: pd.DataFrame, panels: dict, *, cols: int = 3) -> go.Figure:
    """The engines chart drawn the plain plotly way (make_subplots, add_trace per panel,
    update_*axes per panel): the builder assembles the same figure in one go."""
    metrics_ = list(panels)
    rows = -(-len(metrics_) // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=list(panels.values()),
        horizontal_spacing=0.08,
        vertical_spacing=0.16,
    )
    fig.update_layout(
        template=TEMPLATE,
        height=640,
        title={"text": "T", "y": 0.985, "yref": "container", "yanchor": "top"},
        legend={"y": 1.08, "yanchor": "bottom"},
        margin={"t": 115},
    )
    quarters = sorted(df["quarter"].unique())
    partial = set(df.loc[df["is_partial"], "quarter"])
    labels = [q + ("*" if q in partial else "") for q in quarters]
    for i, metric in enumerate(metrics_):
        row, col = i // cols + 1, i % cols + 1
        kind, tick = engines_charts.METRIC_FORMATS[metric]
        prefix = "$" if kind == "money" else ""
        for m in ("pull", "push"):
            part = df[df["motion_group"] == m].set_index("quarter").reindex(quarters)
            fig.add_trace(
                go.Scatter(
                    x=labels,
                    y=part[metric],
                    name=MOTION_LABELS[m],
                    legendgroup=m,
                    showlegend=i == 0,
                    mode="lines+markers",
                    line={"color": motion_color(m), "width": 3},
                    marker={
                        "size": 8,
                        "symbol": ["circle-open" if q in partial else "circle" for q in quarters],
                        "line": {"width": 2, "color": motion_color(m)},
                    },
                    connectgaps=False,
                    hovertemplate=(
                        f"{MOTION_LABELS[m]}<br>%{{x}}: {prefix}"
                        f"%{{y:{engines_charts._HOVER[kind]}}}<extra></extra>"
                    ),
                ),
                row=row,
                col=col,
            )
        fig.update_yaxes(tickprefix=prefix, tickformat=tick, rangemode="tozero", row=row, col=col)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    fig.update_annotations(font={"size": 14})
    return fig


@pytest.mark.parametrize("cols", [3, 2])
def test_engines_chart_is_the_figure_plotly_subplots_would_build(cols):
    panels = {k: k.upper() for k in engines.ENGINE_METRICS[: 5 if cols == 2 else 6]}
    for _ in range(2):  # the second build reuses the cached grid: it must come out the same
        fast = engines_charts.engines_by_quarter(
            _quarters_frame(),
            title="T",
            panel_titles=panels,
            motion_labels=MOTION_LABELS,
            money_prefix="$",
            cols=cols,
        )
        assert _spec(fast) == _spec(_slow_engines_chart(_quarters_frame(), panels, cols=cols))


def test_channel_grid_puts_each_channel_on_its_own_axes_titled_on_the_outer_edge():
    df = pd.DataFrame(
        {
            "channel": ["A", "B", "C", "D"],
            "month": pd.to_datetime(["2025-01-01"] * 4),
            "spend_amount": [1.0, 2.0, 3.0, 4.0],
            "count_leads": [1, 2, 3, 4],
            "cost_per_lead": [1.0, 1.0, 1.0, 1.0],
        }
    )
    layout = _spec(
        engines_charts.channel_response_grid(
            df, title="T", x_title="Spend", y_title="Leads", cost_label="CPL", cols=3
        )
    )["layout"]
    expected = make_subplots(
        rows=2,
        cols=3,
        subplot_titles=list("ABCD"),
        horizontal_spacing=0.08,
        vertical_spacing=0.14,
    )
    for key in ("xaxis", "xaxis2", "xaxis4", "yaxis", "yaxis4", "yaxis5"):
        assert layout[key]["domain"] == list(expected.layout[key].domain)
    # x titles on the last row (D, panel 4), y titles in the first column (A and D)
    assert [k for k in layout if k.startswith("xaxis") and "title" in layout[k]] == ["xaxis4"]
    assert [k for k in layout if k.startswith("yaxis") and "title" in layout[k]] == [
        "yaxis",
        "yaxis4",
    ]
    assert all(a["font"]["size"] == 14 for a in layout["annotations"])


# -- the page --------------------------------------------------------------------------------
def _page(sample_path: Path, monkeypatch: pytest.MonkeyPatch, **query: str):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FLYWHEEL_DB", str(sample_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120
    )
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/scenarios.py").run()
    return at


def _figures(at) -> list[dict]:
    return [plain(f) for f in figures(at)]


def test_scenarios_page_shows_its_three_charts_on_the_sample_workspace(sample_path, monkeypatch):
    at = _page(sample_path, monkeypatch)
    assert not at.exception
    assert not at.error
    figs = _figures(at)
    assert len(figs) == 3
    assert len(figs[0]["data"]) == 2 * len(engines.ENGINE_METRICS)
    assert [t["name"] for t in figs[1]["data"]] == [
        translate("motion.pull", "en"),
        translate("motion.push", "en"),
    ]
    assert len(figs[2]["data"]) >= 3  # one scatter per paid marketing channel


def test_scenarios_page_quarters_follow_the_period_filter(sample_path, monkeypatch):
    at = _page(sample_path, monkeypatch, **{"from": "2025-01-01", "to": "2025-06-30"})
    quarters = _figures(at)[0]["data"][0]["x"]
    assert [q.rstrip("*") for q in quarters] == ["2025-Q1", "2025-Q2"]
    at = _page(sample_path, monkeypatch, **{"from": "2024-04-01", "to": "2025-06-30"})
    assert len(_figures(at)[0]["data"][0]["x"]) == 5


def test_scenarios_page_survives_a_period_with_no_data(sample_path, monkeypatch):
    at = _page(sample_path, monkeypatch, **{"from": "2040-01-01", "to": "2040-03-31"})
    assert not at.exception
    assert not at.error
    assert all(fig["data"] == [] for fig in _figures(at))


def test_cac_by_quarter_is_unknown_not_zero_in_a_quarter_without_spend(tmp_path: Path):
    # no marketing spend at all: pull is charged nothing in 2025-Q1 (the share of sales is 0),
    # so its CAC is unknown, though it won 3 new customers; push and overall keep the sales
    # spend of the quarter (6,000 + 6,000)
    ws = Workspace(build_tiny_workspace(tmp_path / "no_marketing.duckdb"))
    try:
        with ws.transaction() as cur:
            cur.execute("delete from spend where category = 'marketing'")
        df = engines.cac_by_quarter(ws, Q1)
    finally:
        ws.close()
    pull = _row(df, "2025-Q1", "pull")
    assert pull["new_customers"] == 3
    assert pd.isna(pull["cac"])
    assert _row(df, "2025-Q1", "push")["cac"] == pytest.approx(12000 / 1)
    assert _row(df, "2025-Q1", "overall")["cac"] == pytest.approx(12000 / 4)


def test_engines_chart_slants_long_quarter_labels_with_room_below_each_row():
    # Chinese quarter labels ("2025年第1季度") are too long to lie flat in a third of the width:
    # slanted, with more space between the rows and a taller figure so that they clear the
    # titles of the panels below; the short labels stay flat at the given height
    panels = {k: k.upper() for k in engines.ENGINE_METRICS}
    zh = _quarters_frame().replace(
        {"quarter": {"2025-Q1": "2025年第1季度", "2025-Q2": "2025年第2季度"}}
    )
    args = {"title": "t", "panel_titles": panels, "motion_labels": MOTION_LABELS, "height": 640}
    flat = _spec(engines_charts.engines_by_quarter(_quarters_frame(), **args))
    slanted = _spec(engines_charts.engines_by_quarter(zh, **args))
    assert "tickangle" not in flat["layout"]["xaxis"] and flat["layout"]["height"] == 640
    axes = ["xaxis", *(f"xaxis{i}" for i in range(2, 7))]
    assert {slanted["layout"][a]["tickangle"] for a in axes} == {-45}
    assert slanted["layout"]["height"] == 640 + 2 * 70  # two rows of three panels
    # the second row's panels start lower: the gap between the rows grew
    gap = slanted["layout"]["yaxis"]["domain"][0] - slanted["layout"]["yaxis4"]["domain"][1]
    flat_gap = flat["layout"]["yaxis"]["domain"][0] - flat["layout"]["yaxis4"]["domain"][1]
    assert gap > flat_gap


def test_channel_response_reads_the_kept_leads_as_the_records_give_them(sample_path, tmp_path):
    """The kept form (migration 025's lead rows) equals the live one on the sample and the
    tiny workspace, over periods of a day to years, cut anywhere in a month, with and without
    segment and region filters; an owner filter reads the records."""
    from tests.test_headline_kept import _periods

    copy = tmp_path / "sample.duckdb"  # another test of this process may hold the sample open
    shutil.copy(sample_path, copy)
    tiny = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"), read_only=True)
    sample = Workspace(copy, read_only=True)
    rows = 0
    try:
        for ws, first, last in (
            (sample, date(2023, 1, 1), date(2026, 6, 30)),
            (tiny, date(2024, 11, 1), date(2025, 3, 1)),
        ):
            segment = ws.scalar("select min(segment) from raw_leads")
            region = ws.scalar("select max(region) from raw_leads")
            for start, end in _periods(first, last, 8, seed=11):
                for filters in (
                    Filters(start, end),
                    Filters(start, end, segments=(segment,)),
                    Filters(start, end, segments=(segment,), regions=(region,)),
                ):
                    live = engines.channel_spend_vs_leads(ws, filters, live=True)
                    kept = engines.channel_spend_vs_leads(ws, filters)
                    pd.testing.assert_frame_equal(live, kept, obj=str(filters))
                    rows += int(live["count_leads"].gt(0).sum())
        assert rows > 100  # the periods hold leads to compare, not only empty frames
        owner = sample.scalar(
            "select owner from raw_leads where created_at >= '2025-01-01' and owner is not null "
            "group by owner order by count(*) desc, owner limit 1"
        )
        mine = Filters(date(2025, 1, 1), date(2025, 6, 30), owners=(owner,))
        every = Filters(date(2025, 1, 1), date(2025, 6, 30))
        owned = engines.channel_spend_vs_leads(sample, mine)["count_leads"].sum()
        assert 0 < owned < engines.channel_spend_vs_leads(sample, every)["count_leads"].sum()
    finally:
        sample.close()
        tiny.close()


def test_channel_response_really_reads_the_kept_rows(tmp_path):
    """Emptied behind the refresh's back, the kept lead rows give no leads; the live form
    still counts them (so the equality above compares two different readings)."""
    ws = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"))
    try:
        before = engines.channel_spend_vs_leads(ws, DEC_JAN)["count_leads"].sum()
        with ws.transaction() as cur:
            cur.execute("delete from kept_lead_days")
            cur.execute("delete from kept_lead_months")
        assert before > 0
        assert engines.channel_spend_vs_leads(ws, DEC_JAN)["count_leads"].sum() == 0
        assert engines.channel_spend_vs_leads(ws, DEC_JAN, live=True)["count_leads"].sum() == before
    finally:
        ws.close()


def test_the_quarter_series_kept_forms_equal_the_live_ones(sample_path, tmp_path):
    """deals_by_quarter and cac_by_quarter from the kept period facts equal their live forms
    on the edge deals of
    tests/test_deal_metrics_live.py (no dates, closed before created, amounts of 0, excluded)
    and on the sample: periods cut anywhere, calendar and fiscal quarters, filters, and both
    readings of a 0 amount. Emptied behind the refresh's back, the kept rows change the
    answer, so the kept form is what is read; an owner filter reads the records."""
    from tests.test_deal_metrics_kept import _edge_workspace
    from tests.test_headline_kept import _periods

    copy = tmp_path / "sample.duckdb"  # another test of this process may hold the sample open
    shutil.copy(sample_path, copy)
    edges = _edge_workspace(tmp_path / "edges.duckdb")
    sample = Workspace(copy)
    rows = 0
    try:
        for ws, first, last in (
            (edges, date(2024, 11, 1), date(2025, 3, 1)),
            (sample, date(2023, 1, 1), date(2026, 6, 30)),
        ):
            segment = ws.scalar("select min(segment) from raw_deals")
            product = ws.scalar("select max(product) from raw_deals")
            for zero in ("0", "1"):
                ws.set_setting("zero_amount_is_missing", zero)
                for start, end in _periods(first, last, 5, seed=5):
                    for fiscal in (1, 4):
                        for filters in (
                            Filters(start, end),
                            Filters(start, end, segments=(segment,), products=(product,)),
                        ):
                            params = {**filters.params(), "fiscal_start_month": fiscal}
                            label = (ws.path, zero, filters, fiscal)
                            for name, extra in (
                                ("deals_by_quarter", {}),
                                ("cac_by_quarter", {"pull_share_of_sales": 0.25}),
                            ):
                                live = ws.query(name, **params, **extra, live=True)
                                kept = ws.query(name, **params, **extra, live=False)
                                pd.testing.assert_frame_equal(
                                    live, kept, rtol=1e-12, obj=str((name, *label))
                                )
                                rows += len(live)
        assert rows > 400
        year = Filters(date(2025, 1, 1), date(2025, 12, 31))
        owner = sample.scalar("select min(owner) from raw_deals where owner is not null")
        mine = Filters(year.date_from, year.date_to, owners=(owner,))
        won = engines.deals_by_quarter(sample, year)["won"].sum()
        assert 0 < engines.deals_by_quarter(sample, mine)["won"].sum() < won
        with sample.transaction() as cur:
            cur.execute("delete from kept_deal_days")
            cur.execute("delete from kept_deal_months")
        assert engines.deals_by_quarter(sample, year)["won"].sum() < won
        assert engines.deals_by_quarter(sample, year, live=True)["won"].sum() == won
    finally:
        sample.close()
        edges.close()


def _first_win_deals(path: Path) -> Workspace:
    """Won deals (Webinar is pull, Outbound push, Mystery unmapped): A wins in SMB in February
    (Webinar) and in ENT in May (Outbound); B in April (Outbound) after a win closed on Mar 1
    but created Mar 10 (irregular, Webinar); C in January (Mystery), then February (Webinar);
    D only an irregular win, closed Jul 30 (Outbound, ENT); F1, no account and no source, in
    November; a lost deal of E."""
    ws = Workspace(build_tiny_workspace(path))
    rows = [
        ("A1", "A", "2025-01-20", "2025-02-10", "won", "Webinar", "SMB"),
        ("A2", "A", "2025-04-01", "2025-05-05", "won", "Outbound", "ENT"),
        ("B1", "B", "2025-03-10", "2025-03-01", "won", "Webinar", "SMB"),
        ("B2", "B", "2025-04-02", "2025-04-20", "won", "Outbound", "SMB"),
        ("C1", "C", "2025-01-02", "2025-01-15", "won", "Mystery", "SMB"),
        ("C2", "C", "2025-01-03", "2025-02-01", "won", "Webinar", "SMB"),
        ("D1", "D", "2025-08-02", "2025-07-30", "won", "Outbound", "ENT"),
        ("F1", None, "2025-10-01", "2025-11-11", "won", None, "SMB"),
        ("E1", "E", "2025-06-01", "2025-06-30", "lost", "Webinar", "SMB"),
    ]
    with ws.transaction() as cur:
        cur.execute("delete from raw_deals")
        cur.execute("delete from raw_leads")
        cur.execute("delete from spend")
        cur.execute("insert or replace into source_motion values ('Outbound', 'push')")
        cur.executemany(
            "insert into raw_deals (deal_id, account, created_at, closed_at, outcome, amount, "
            "source, segment, region, owner, stage, currency) "
            "values (?, ?, ?, ?, ?, 100, ?, ?, 'EMEA', 'Ann', 'x', 'USD')",
            rows,
        )
        refresh_lead_facts(cur)
    return ws


def _new_customers(ws: Workspace, filters: Filters, live: bool) -> dict:
    df = engines.cac_by_quarter(ws, filters, live=live)
    return {
        (q.month, g): int(n)
        for q, g, n in zip(
            df["quarter_start"], df["motion_group"], df["new_customers"], strict=True
        )
    }


def test_cac_by_quarter_counts_each_customer_at_its_first_win_by_hand(tmp_path):
    """A customer is new in the quarter of its first win of all (an irregular one included),
    with that win's motion (none: unmapped); under a segment filter, its first win there.
    Both forms; the kept rows are what is read, and an owner filter reads the records."""
    ws = _first_win_deals(tmp_path / "wins.duckdb")
    try:
        assert ws.scalar("select source from source_motion where source = 'Mystery'") is None
        year = Filters(date(2025, 1, 1), date(2025, 12, 31))
        expected = {
            (1, "overall"): 3, (1, "pull"): 2, (1, "unmapped"): 1,  # A, B (Mar 1); C
            (7, "overall"): 1, (7, "push"): 1,  # D
            (10, "overall"): 1, (10, "unmapped"): 1,  # F1
        }  # fmt: skip
        enterprise = Filters(year.date_from, year.date_to, segments=("ENT",))
        # in ENT: A's first win there is May's, D's July's
        in_ent = {(4, "overall"): 1, (4, "push"): 1, (7, "overall"): 1, (7, "push"): 1}
        # from March: B is new (Mar 1); A and C won before
        march = Filters(date(2025, 3, 1), year.date_to)
        from_march = {
            (1, "overall"): 1,
            (1, "pull"): 1,
            **{k: v for k, v in expected.items() if k[0] > 1},
        }
        for filters, want in ((year, expected), (enterprise, in_ent), (march, from_march)):
            for live in (True, False):
                assert _new_customers(ws, filters, live) == want, (filters, live)
        ann = Filters(year.date_from, year.date_to, owners=("Ann",))
        assert _new_customers(ws, ann, False) == expected
        with ws.transaction() as cur:
            cur.execute("delete from kept_customer_firsts")
            cur.execute("delete from kept_irregular_deals")
        # what is left kept: B's first regular win (April, Outbound), B having an irregular one
        assert _new_customers(ws, year, False) == {(4, "overall"): 1, (4, "push"): 1}
        assert _new_customers(ws, year, True) == expected
        assert _new_customers(ws, ann, False) == expected  # owners are not kept
    finally:
        ws.close()
