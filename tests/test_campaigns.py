"""Campaign calendar: the plan, its pacing and its first-touch results, against the tiny
workspace plus a few campaign rows added here (figures worked out by hand below), the chart
builders read as plotly JSON, and the page through AppTest on the sample company.

Added to tests/fixtures.py's workspace:
- spend against C1 (Webinar, 2024-12-01..2025-01-31, budget 4000): 1500 on 2024-12-15 and 3000
  on 2025-01-15 -> 4500, over budget; against C2 (Paid Search, 2025-01-01..03-31, budget 4500):
  1200 on 2025-01-20;
- C3 "Outbound blitz" (channel Outbound -> push, purchase, 2025-04-01..04-30, budget 1000,
  Enterprise, planned), no spend;
- deals D1 (won 10000) and D2 (won 5000) tagged C1, D7 (won 3000) tagged C2.
Leads of C1: L1, L4 (both MQL); of C2: L2 (no MQL).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.charts import campaign as campaign_charts
from components.charts.theme import PULL_COLOR, PUSH_COLOR
from components.i18n import translate
from planning import campaign_plan
from queries import campaigns
from queries.filters import Filters
from queries.workspace import Workspace
from tests.apptest_utils import figures, figures_of_every_tab, open_tab, plain
from tests.fixtures import build_tiny_workspace

APP = str(Path(__file__).resolve().parent.parent / "app.py")
JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
DEC_TO_APR = Filters(date(2024, 12, 1), date(2025, 4, 30))
LATE = date(2025, 12, 31)  # an "as of" day after everything happened


@pytest.fixture(scope="module")
def camp_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_tiny_workspace(tmp_path_factory.mktemp("camp") / "camp.duckdb")
    ws = Workspace(path)
    try:
        with ws.transaction() as cur:
            cur.execute(
                "insert into spend (spent_on, category, channel, campaign_id, amount) values "
                "('2024-12-15', 'marketing', 'Webinar', 'C1', 1500), "
                "('2025-01-15', 'marketing', 'Webinar', 'C1', 3000), "
                "('2025-01-20', 'marketing', 'Paid Search', 'C2', 1200)"
            )
            cur.execute(
                "insert into campaigns (campaign_id, name, channel, objective, start_date, "
                "end_date, budget, status, owner, segment) values ('C3', 'Outbound blitz', "
                "'Outbound', 'purchase', '2025-04-01', '2025-04-30', 1000, 'planned', 'Bob', "
                "'Enterprise')"
            )
            cur.execute("update raw_deals set campaign_id = 'C1' where deal_id in ('D1', 'D2')")
            cur.execute("update raw_deals set campaign_id = 'C2' where deal_id = 'D7'")
    finally:
        ws.close()
    return path


@pytest.fixture
def ws(camp_path: Path) -> Iterator[Workspace]:
    w = Workspace(camp_path, read_only=True)
    yield w
    w.close()


# -- which campaigns a view holds -------------------------------------------------------------
def test_calendar_lists_campaigns_running_on_a_day_of_the_period(ws: Workspace):
    assert campaigns.calendar(ws, JAN, LATE)["campaign_id"].tolist() == ["C1", "C2"]
    april = Filters(date(2025, 4, 1), date(2025, 4, 30))
    assert campaigns.calendar(ws, april, LATE)["campaign_id"].tolist() == ["C3"]
    # C1 ends on Jan 31: a period starting Feb 1 no longer holds it
    feb = Filters(date(2025, 2, 1), date(2025, 2, 28))
    assert campaigns.calendar(ws, feb, LATE)["campaign_id"].tolist() == ["C2"]


def test_segment_filter_keeps_campaigns_aimed_at_all_segments(ws: Workspace):
    enterprise = Filters(DEC_TO_APR.date_from, DEC_TO_APR.date_to, segments=("Enterprise",))
    # C1 is SMB only; C2 has no segment (all); C3 is Enterprise
    assert campaigns.calendar(ws, enterprise, LATE)["campaign_id"].tolist() == ["C2", "C3"]


def test_a_campaigns_motion_is_the_motion_of_its_channel(ws: Workspace):
    df = campaigns.calendar(ws, DEC_TO_APR, LATE).set_index("campaign_id")
    assert df["motion"].to_dict() == {"C1": "pull", "C2": "pull", "C3": "push"}


# -- pacing -------------------------------------------------------------------------------------
def test_spend_to_date_counts_spend_up_to_and_including_the_as_of_day(ws: Workspace):
    mid_jan = campaigns.calendar(ws, JAN, date(2025, 1, 15)).set_index("campaign_id")
    assert mid_jan["spend_to_date"].to_dict() == {"C1": 4500.0, "C2": 0.0}
    later = campaigns.calendar(ws, JAN, date(2025, 1, 20)).set_index("campaign_id")
    assert later.loc["C2", "spend_to_date"] == 1200.0


def test_over_budget_means_spend_to_date_above_budget(ws: Workspace):
    df = campaigns.calendar(ws, DEC_TO_APR, LATE).set_index("campaign_id")
    assert df["is_over_budget"].to_dict() == {"C1": True, "C2": False, "C3": False}


def test_linear_pace_is_budget_times_share_of_days_elapsed(ws: Workspace):
    df = campaigns.calendar(ws, JAN, date(2025, 1, 15)).set_index("campaign_id")
    # C1: Dec 1..Jan 15 = 46 of 62 days; C2: Jan 1..15 = 15 of 90 days
    assert df.loc["C1", "planned_to_date"] == pytest.approx(4000 * 46 / 62)
    assert df.loc["C2", "planned_to_date"] == pytest.approx(4500 * 15 / 90)
    before = campaigns.calendar(ws, Filters(date(2025, 4, 1), date(2025, 4, 30)), JAN.date_to)
    assert before.loc[0, "planned_to_date"] == 0  # C3 has not started by Jan 31


def test_budget_is_spread_evenly_over_a_campaigns_days_per_month(ws: Workspace):
    df = campaigns.budget_by_channel_month(ws, Filters(date(2024, 12, 1), date(2025, 3, 31)))
    got = {
        (r.channel, r.month.strftime("%Y-%m")): (r.planned_budget, r.spend) for r in df.itertuples()
    }
    assert got == {
        # C1: 4000 over 62 days, 31 in December and 31 in January
        ("Webinar", "2024-12"): (pytest.approx(2000), 1500),
        ("Webinar", "2025-01"): (pytest.approx(2000), 3000),
        # C2: 4500 over 90 days: 31, 28 and 31 of them
        ("Paid Search", "2025-01"): (pytest.approx(1550), 1200),
        ("Paid Search", "2025-02"): (pytest.approx(1400), 0),
        ("Paid Search", "2025-03"): (pytest.approx(1550), 0),
        # months without a campaign on the channel are zeros, not missing rows
        ("Paid Search", "2024-12"): (0, 0),
        ("Webinar", "2025-02"): (0, 0),
        ("Webinar", "2025-03"): (0, 0),
    }


def test_budget_by_month_keeps_only_the_months_of_the_period(ws: Workspace):
    df = campaigns.budget_by_channel_month(ws, JAN)
    assert sorted(df["month"].dt.strftime("%Y-%m").unique()) == ["2025-01"]


# -- results (first touch) ----------------------------------------------------------------------
def test_results_count_leads_and_deals_by_the_campaign_on_the_record(ws: Workspace):
    df = campaigns.results(ws, DEC_TO_APR, LATE).set_index("campaign_id")
    assert df.loc["C1", ["count_leads", "count_mqls", "won"]].tolist() == [2, 2, 2]
    assert df.loc["C2", ["count_leads", "count_mqls", "won"]].tolist() == [1, 0, 1]
    assert df.loc["C1", "won_amount"] == 15000
    assert df.loc["C2", "won_amount"] == 3000


def test_cost_per_lead_and_roi(ws: Workspace):
    df = campaigns.results(ws, DEC_TO_APR, LATE).set_index("campaign_id")
    assert df.loc["C1", "cost_per_lead"] == pytest.approx(4500 / 2)
    assert df.loc["C1", "roi"] == pytest.approx((15000 - 4500) / 4500)
    assert df.loc["C2", "cost_per_lead"] == pytest.approx(1200)
    assert df.loc["C2", "roi"] == pytest.approx((3000 - 1200) / 1200)


def test_roi_and_cost_per_lead_are_undefined_without_spend(ws: Workspace):
    c3 = campaigns.results(ws, DEC_TO_APR, LATE).set_index("campaign_id").loc["C3"]
    assert pd.isna(c3["roi"]) and pd.isna(c3["cost_per_lead"])
    assert (c3["count_leads"], c3["won"], c3["spend"]) == (0, 0, 0)


def test_results_are_sorted_by_won_revenue(ws: Workspace):
    assert campaigns.results(ws, DEC_TO_APR, LATE)["campaign_id"].tolist() == ["C1", "C2", "C3"]


# -- journey coverage ---------------------------------------------------------------------------
def test_journey_coverage_counts_campaigns_per_quarter_and_stage_with_zero_gaps(ws: Workspace):
    df = campaigns.journey_coverage(ws, Filters(date(2024, 10, 1), date(2025, 6, 30)))
    assert df["quarter_label"].unique().tolist() == ["2024 Q4", "2025 Q1", "2025 Q2"]
    assert df["objective"].unique().tolist() == list(campaigns.JOURNEY_STAGES)
    grid = df.pivot_table(index="objective", columns="quarter_label", values="count_campaigns")
    assert grid.loc["consideration"].tolist() == [1, 1, 0]  # C1 Dec..Jan
    assert grid.loc["awareness"].tolist() == [0, 1, 0]  # C2 Q1
    assert grid.loc["purchase"].tolist() == [0, 0, 1]  # C3 April
    assert grid.loc[["loyalty", "advocacy"]].to_numpy().sum() == 0  # gaps


def test_journey_coverage_counts_only_days_inside_the_period(ws: Workspace):
    # C1 runs in December 2024, but the period starts in January: Q4 is outside it
    df = campaigns.journey_coverage(ws, JAN)
    assert df["quarter_label"].unique().tolist() == ["2025 Q1"]
    assert int(df["count_campaigns"].sum()) == 2


# -- the view window ------------------------------------------------------------------------------
def test_as_of_is_today_unless_the_data_stops_earlier():
    assert campaign_plan.as_of_day(date(2026, 11, 27), date(2026, 10, 31)) == date(2026, 10, 31)
    assert campaign_plan.as_of_day(date(2026, 11, 27), date(2026, 11, 27)) == date(2026, 11, 27)
    assert campaign_plan.as_of_day(date(2026, 11, 27), None) == date(2026, 11, 27)


def test_upcoming_extends_the_window_six_months_past_as_of():
    start, end = campaign_plan.calendar_window(
        JAN.date_from, JAN.date_to, date(2025, 1, 31), upcoming=True
    )
    assert (start, end) == (JAN.date_from, date(2025, 8, 2))
    assert campaign_plan.calendar_window(
        JAN.date_from, JAN.date_to, date(2025, 1, 31), upcoming=False
    ) == (
        JAN.date_from,
        JAN.date_to,
    )


def test_axis_is_clipped_to_the_campaigns_and_stretched_to_a_near_as_of(ws: Workspace):
    plan = campaigns.calendar(ws, JAN, LATE)  # C1 from 2024-12-01, C2 to 2025-03-31
    everything = Filters()  # "all time": 1900..2999
    assert campaign_plan.axis_range(everything.date_from, everything.date_to, LATE, plan) == (
        date(2024, 12, 1),
        date(2025, 4, 1),
    )
    # as_of a month after the last campaign ends: the axis reaches a week past it
    assert campaign_plan.axis_range(
        everything.date_from, everything.date_to, date(2025, 4, 30), plan
    ) == (date(2024, 12, 1), date(2025, 5, 8))


def test_every_query_returns_empty_frames_on_an_empty_workspace(tmp_path: Path):
    empty = Workspace(tmp_path / "empty.duckdb")
    try:
        assert campaigns.calendar(empty, JAN, LATE).empty
        assert campaigns.budget_by_channel_month(empty, JAN).empty
        assert campaigns.results(empty, JAN, LATE).empty
        cov = campaigns.journey_coverage(empty, JAN)
        assert len(cov) == 5 and cov["count_campaigns"].sum() == 0
    finally:
        empty.close()


# -- charts -------------------------------------------------------------------------------------
STAGES = {s: s.title() for s in campaigns.JOURNEY_STAGES}
MOTIONS = {"pull": "Pull (marketing)", "push": "Push (sales)", "unmapped": "Unmapped"}
HOVER = {k: k.title() for k in ("budget", "spend", "owner", "segment", "status", "all_segments")}


def _timeline(ws: Workspace, **kw: object) -> dict:
    plan = campaigns.calendar(ws, DEC_TO_APR, LATE)
    options = {
        "title": "Campaign calendar",
        "group_by": "channel",
        "color_by": "objective",
        "stage_labels": STAGES,
        "motion_labels": MOTIONS,
        "hover_labels": HOVER,
        "today": date(2025, 1, 15),
        "x_range": (date(2024, 12, 1), date(2025, 5, 1)),
    } | kw
    return json.loads(campaign_charts.campaign_timeline(plan, **options).to_json())


def test_timeline_draws_one_bar_per_campaign_from_its_first_to_last_day(ws: Workspace):
    spec = _timeline(ws)
    bars = [tr for tr in spec["data"] if tr["type"] == "bar"]
    assert sum(len(b["base"]) for b in bars) == 3
    c1 = next(b for b in bars if b["name"] == "Consideration")
    assert c1["base"] == ["2024-12-01"]
    assert c1["orientation"] == "h"
    assert spec["layout"]["xaxis"]["type"] == "date"


def test_timeline_colours_by_journey_stage_or_by_motion(ws: Workspace):
    by_stage = {
        b["name"]: b["marker"]["color"] for b in _timeline(ws)["data"] if b["type"] == "bar"
    }
    assert by_stage == {
        "Awareness": campaign_charts.STAGE_COLORS["awareness"],
        "Consideration": campaign_charts.STAGE_COLORS["consideration"],
        "Purchase": campaign_charts.STAGE_COLORS["purchase"],
    }
    by_motion = {
        b["name"]: b["marker"]["color"]
        for b in _timeline(ws, color_by="motion")["data"]
        if b["type"] == "bar"
    }
    assert by_motion == {"Pull (marketing)": PULL_COLOR, "Push (sales)": PUSH_COLOR}


def test_timeline_groups_rows_by_channel_or_by_journey_stage_in_journey_order(ws: Workspace):
    order = _timeline(ws)["data"][0]["y"]  # the invisible trace holds the row order
    assert order[0] == ["Outbound", "Paid Search", "Webinar"]
    order = _timeline(ws, group_by="objective")["data"][0]["y"]
    assert order[0] == ["Awareness", "Consideration", "Purchase"]
    assert order[1] == ["Search always-on", "Winter webinar series", "Outbound blitz"]


def test_timeline_marks_today_only_when_it_is_on_the_axis(ws: Workspace):
    shapes = _timeline(ws)["layout"]["shapes"]
    assert [(s["x0"], s["line"]["dash"]) for s in shapes] == [("2025-01-15", "dash")]
    assert "shapes" not in _timeline(ws, today=date(2026, 1, 1))["layout"]


def test_timeline_escapes_campaign_names(ws: Workspace):
    plan = campaigns.calendar(ws, JAN, LATE)
    plan.loc[0, "name"] = "<b>Launch</b> & more"
    fig = campaign_charts.campaign_timeline(
        plan,
        title="t",
        group_by="channel",
        color_by="objective",
        stage_labels=STAGES,
        motion_labels=MOTIONS,
        hover_labels=HOVER,
    )
    text = json.dumps(json.loads(fig.to_json()), ensure_ascii=False)
    assert "<b>Launch</b>" not in text
    assert "&lt;b&gt;Launch&lt;/b&gt; &amp; more" in text


def test_pacing_chart_flags_only_campaigns_over_budget(ws: Workspace):
    plan = campaigns.calendar(ws, DEC_TO_APR, LATE)
    labels = {"budget": "Budget", "spend": "Spend", "planned": "Pace", "over_budget": "Over"}
    spec = json.loads(
        campaign_charts.budget_pacing(
            plan, title="Budget", labels=labels, motion_labels=MOTIONS, money_prefix="$"
        ).to_json()
    )
    traces = {tr["name"]: tr for tr in spec["data"]}
    assert traces["Over"]["y"] == ["Winter webinar series (C1)"]
    assert traces["Spend · Pull (marketing)"]["marker"]["color"] == PULL_COLOR
    assert traces["Spend · Push (sales)"]["marker"]["color"] == PUSH_COLOR
    assert spec["layout"]["xaxis"]["tickprefix"] == "$"


def test_channel_month_chart_has_a_panel_per_channel_in_its_motion_colour(ws: Workspace):
    df = campaigns.budget_by_channel_month(ws, Filters(date(2024, 12, 1), date(2025, 3, 31)))
    spec = json.loads(
        campaign_charts.channel_month_pacing(
            df,
            title="Spend by month",
            labels={"spend": "Spend", "planned": "Planned"},
            channel_motion={"Webinar": "pull", "Paid Search": "pull"},
        ).to_json()
    )
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["Paid Search", "Webinar"]
    bars = [tr for tr in spec["data"] if tr["type"] == "bar"]
    assert len(bars) == 2 and {b["marker"]["color"] for b in bars} == {PULL_COLOR}
    lines = [tr for tr in spec["data"] if tr["type"] == "scatter"]
    assert [tr["showlegend"] for tr in lines] == [True, False]


def test_top_campaigns_chart_orders_by_won_revenue_and_skips_campaigns_without_wins(
    ws: Workspace,
):
    res = campaigns.results(ws, DEC_TO_APR, LATE)
    spec = json.loads(
        campaign_charts.top_campaigns(
            res, title="Top", labels={"won": "Won", "spend": "Spend"}, motion_labels=MOTIONS
        ).to_json()
    )
    assert spec["layout"]["yaxis"]["categoryarray"] == [
        "Winter webinar series (C1)",
        "Search always-on (C2)",
    ]
    assert [tr["name"] for tr in spec["data"]] == ["Won · Pull (marketing)", "Spend"]


def test_coverage_heatmap_paints_empty_cells_as_gaps(ws: Workspace):
    df = campaigns.journey_coverage(ws, Filters(date(2024, 10, 1), date(2025, 6, 30)))
    spec = json.loads(
        campaign_charts.journey_coverage(df, title="Coverage", stage_labels=STAGES).to_json()
    )
    heat = spec["data"][0]
    assert heat["type"] == "heatmap"
    assert heat["y"] == list(STAGES.values())
    assert heat["x"] == ["2024 Q4", "2025 Q1", "2025 Q2"]
    assert heat["colorscale"][0][1] == campaign_charts.GAP_COLOR
    assert heat["text"][1] == ["1", "1", "0"]  # consideration


# -- the page (AppTest) -------------------------------------------------------------------------
@pytest.fixture
def app(sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("FLYWHEEL_DB", str(sample_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/campaigns.py").run()
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


TABS = [
    translate(f"campaigns.tab.{k}", "en") for k in ("plan", "edit", "pacing", "results", "forecast")
]


def _figs_of_every_tab(at: AppTest) -> list[dict]:
    """The tabs are lazy (only the open one runs): every tab's charts, in tab order."""
    return figures_of_every_tab(at, "campaigns_tab", TABS)


def test_only_the_open_tab_runs(app: AppTest):
    assert [f["layout"]["title"]["text"][:26] for f in figures(app)] == [
        "Campaign calendar by chann",
        "Campaigns running per quar",
    ]


def test_campaign_page_runs_on_the_sample_and_draws_every_chart(app: AppTest):
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    titles = [f["layout"]["title"]["text"] for f in _figs_of_every_tab(app)]
    assert len(titles) == 7
    assert titles[0].startswith("Campaign calendar by channel")
    assert titles[1].startswith("Campaigns running per quarter")
    assert titles[2].startswith("Budget against spend to date")
    assert titles[5].startswith("Won revenue credited to each channel under each attribution")
    assert titles[6].startswith("Expected pipeline and won revenue of")
    open_tab(app, "campaigns_tab", translate("campaigns.tab.results", "en"))
    assert any("Model: First touch" in c.value for c in app.caption)


def test_rows_control_regroups_the_timeline_by_journey_stage(app: AppTest, sample_names):
    groups = set(figures(app)[0]["data"][0]["y"][0])
    assert sample_names.label("Webinar") in groups
    app.segmented_control(key="campaigns_group_by").set_value("objective").run()
    assert not app.exception
    fig = figures(app)[0]
    assert fig["layout"]["title"]["text"].startswith("Campaign calendar by journey stage")
    assert set(fig["data"][0]["y"][0]) <= {
        "Awareness",
        "Consideration",
        "Purchase",
        "Loyalty",
        "Advocacy",
    }


def test_colour_control_paints_the_timeline_in_motion_colours(app: AppTest):
    app.segmented_control(key="campaigns_color_by").set_value("motion").run()
    bars = [tr for tr in figures(app)[0]["data"] if tr["type"] == "bar"]
    assert {b["marker"]["color"] for b in bars} <= {PULL_COLOR, PUSH_COLOR}


def test_upcoming_toggle_adds_the_planned_campaigns(app: AppTest):
    def count() -> int:
        return sum(len(tr["base"]) for tr in figures(app)[0]["data"] if tr["type"] == "bar")

    with_upcoming = count()
    app.toggle(key="campaigns_upcoming").set_value(False).run()
    assert not app.exception
    assert 0 < count() < with_upcoming


def test_campaign_page_draws_empty_charts_on_an_empty_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    empty = tmp_path / "empty.duckdb"
    Workspace(empty).close()
    monkeypatch.setenv("FLYWHEEL_DB", str(empty))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/campaigns.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    figs = _figs_of_every_tab(at)
    assert len(figs) == 6  # no planned campaign: the expected pipeline says so in words
    notes = [a["text"] for f in figs[:4] for a in f["layout"].get("annotations", [])]
    # no campaign at all: the cause is the missing import, not the filters (issue 16)
    none = "No campaigns imported: on the Data page, under “Import CRM data”, import a file"
    assert sum(none in n for n in notes) == 4, notes
    assert "No data for these filters" not in notes
    st.cache_resource.clear()
    st.cache_data.clear()


# -- pacing flags, attribution and forecast charts, zoom ------------------------------------------
def test_pacing_chart_marks_projected_end_spend_and_under_pacing(ws: Workspace):
    from planning import pacing

    plan = pacing.pace(campaigns.calendar(ws, DEC_TO_APR, date(2025, 1, 20)))
    # C1 spent 4500 of 4000 in 51 of its 62 days: projected 4500 * 62 / 51, over; C2 spent 1200
    # in its first 20 of 90 days: a run rate of 1200 / (20/90) = 5400 > 4500 * 1.1: over too;
    # C3 has not started: projected at its budget
    assert plan.set_index("campaign_id")["pace_status"].to_dict() == {
        "C1": "over",
        "C2": "over",
        "C3": "not_started",
    }
    labels = {
        "budget": "Budget",
        "spend": "Spend",
        "planned": "Pace",
        "over_budget": "Over",
        "projected": "Projected",
        "under": "Under",
    }
    spec = plain(
        json.loads(
            campaign_charts.budget_pacing(
                plan, title="Budget", labels=labels, motion_labels=MOTIONS, money_prefix="$"
            ).to_json()
        )
    )
    traces = {tr["name"]: tr for tr in spec["data"]}
    assert traces["Projected"]["x"] == pytest.approx([4500 * 62 / 51, 5400, 1000])
    assert traces["Over"]["y"] == ["Winter webinar series (C1)", "Search always-on (C2)"]
    assert traces["Under"]["visible"] == "legendonly"  # nothing under pace: kept in the legend


def test_model_comparison_has_a_bar_per_model_and_channels_in_motion_colours():
    df = pd.DataFrame(
        {
            "channel": ["Webinar", "Outbound", "Webinar", "Outbound"],
            "model": ["first_touch", "first_touch", "linear", "linear"],
            "won_amount": [100.0, 50.0, 80.0, 70.0],
        }
    )
    spec = plain(
        json.loads(
            campaign_charts.model_comparison(
                df,
                title="Credit",
                model_labels={"first_touch": "First touch", "linear": "Linear"},
                channel_motion={"Webinar": "pull", "Outbound": "push"},
                money_prefix="$",
            ).to_json()
        )
    )
    bars = spec["data"]
    assert [b["name"] for b in bars] == ["First touch", "Linear"]
    assert bars[0]["marker"]["color"] == campaign_charts.MODEL_COLORS["first_touch"]
    assert bars[0]["y"] == ["Webinar", "Outbound"]  # pull channels first
    assert bars[1]["x"] == [80.0, 70.0]
    ticks = spec["layout"]["yaxis"]["ticktext"]
    assert PULL_COLOR in ticks[0] and PUSH_COLOR in ticks[1]


def test_expected_pipeline_chart_bars_in_the_channels_motion_colour():
    from planning import campaign_forecast

    prof = pd.DataFrame(
        {
            "month_offset": [0, 1],
            "count_campaigns": [2, 1],
            "spend": [1.0, 1.0],
            "pipeline": [1.0, 1.0],
            "won": [0.0, 1.0],
            "pipeline_per_spend": [2.0, 1.0],
            "won_per_spend": [0.0, 0.5],
        }
    )
    exp = campaign_forecast.expected_pipeline(prof, budget=1000, start=date(2026, 11, 5))
    spec = plain(
        json.loads(
            campaign_charts.expected_pipeline(
                exp,
                title="Expected",
                labels={
                    "pipeline": "Pipeline",
                    "cumulative_pipeline": "Cum. pipeline",
                    "cumulative_won": "Cum. won",
                },
                motion="pull",
            ).to_json()
        )
    )
    bar = spec["data"][0]
    assert bar["type"] == "bar" and bar["marker"]["color"] == PULL_COLOR
    assert spec["data"][2]["y"] == [0.0, 500.0]


def test_zoom_control_shows_the_quarter_holding_the_as_of_day(app: AppTest):
    app.segmented_control(key="campaigns_zoom").set_value("quarter").run()
    assert not app.exception, [e.value for e in app.exception]
    fig = figures(app)[0]
    # the sample's data ends on 2026-10-31: Q4 2026
    assert fig["layout"]["xaxis"]["range"] == ["2026-10-01", "2027-01-01"]
    bars = [tr for tr in fig["data"] if tr["type"] == "bar"]
    assert sum(len(b["base"]) for b in bars) > 0
    assert all(b >= "2026" for tr in bars for b in [max(tr["base"])])


def test_timeline_hover_names_overlapping_campaigns(app: AppTest):
    hovers = [h for tr in figures(app)[0]["data"] if tr["type"] == "bar" for h in tr["hovertext"]]
    assert any("Overlaps (same segment and stage):" in h for h in hovers)
