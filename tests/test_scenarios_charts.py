"""The planner's chart builders, read back from the figure JSON: trace kinds, names, colours,
bands, markers, escaping and axis formats."""

from __future__ import annotations

import json

import pandas as pd

from components.charts import scenario as scenario_charts
from components.charts.theme import PULL_COLOR, PUSH_COLOR
from tests.apptest_utils import plain

LABELS = {"pull": "Pull", "push": "Push"}


def _spec(fig) -> dict:
    return plain(json.loads(fig.to_json()))


def _quarterly() -> pd.DataFrame:
    rows = []
    for q, quarter in enumerate(["2026-Q4", "2027-Q1"]):
        for engine, scale in (("pull", 2.0), ("push", 1.0)):
            for metric in ("revenue", "cac"):
                v = 100.0 * scale * (q + 1)
                rows.append(
                    {
                        "quarter": quarter,
                        "engine": engine,
                        "metric": metric,
                        "value": v,
                        "low": v * 0.9,
                        "high": v * 1.1,
                    }
                )
    return pd.DataFrame(rows)


def test_projection_draws_a_band_and_a_line_per_engine_in_its_colour():
    spec = _spec(
        scenario_charts.projection_grid(
            _quarterly(),
            title="Projection (USD)",
            panel_titles={"revenue": "Revenue", "cac": "CAC"},
            motion_labels=LABELS,
            band_label="p10–p90",
            money_prefix="$",
        )
    )
    data = spec["data"]
    assert len(data) == 2 * 2 * 3  # panels × engines × (upper edge, lower edge, line)
    lines = [t for t in data if t.get("mode") == "lines+markers"]
    assert [t["line"]["color"] for t in lines] == [PULL_COLOR, PUSH_COLOR] * 2
    assert [t["name"] for t in lines if t["showlegend"]] == ["Pull", "Push"]
    assert lines[0]["y"] == [200.0, 400.0]
    fills = [t for t in data if t.get("fill") == "tonexty"]
    assert len(fills) == 4 and fills[0]["y"] == [180.0, 360.0]
    assert fills[0]["fillcolor"].startswith("rgba(27,158,138")  # the pull colour, translucent
    assert spec["layout"]["yaxis"]["tickprefix"] == "$"
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["Revenue", "CAC"]


def test_response_curves_mark_today_and_the_optimum_and_escape_channel_names():
    curves = pd.DataFrame(
        {
            "channel": ["<i>Ads</i>"] * 3,
            "spend": [0.0, 10.0, 20.0],
            "leads": [0.0, 5.0, 8.0],
            "low": [0.0, 4.0, 7.0],
            "high": [0.0, 6.0, 9.0],
        }
    )
    marks = pd.DataFrame(
        {
            "channel": ["<i>Ads</i>", "<i>Ads</i>"],
            "mark": ["today", "optimum"],
            "spend": [10.0, 20.0],
            "leads": [5.0, 8.0],
        }
    )
    spec = _spec(
        scenario_charts.response_curves(
            curves,
            marks,
            title="Curves",
            x_title="Spend",
            y_title="Leads",
            mark_labels={"today": "Today", "optimum": "Optimum"},
            band_label="band",
        )
    )
    names = [t.get("name") for t in spec["data"]]
    assert "Today" in names and "Optimum" in names
    today = next(t for t in spec["data"] if t.get("name") == "Today")
    assert today["marker"]["symbol"] == "circle-open" and today["x"] == [10.0]
    assert spec["layout"]["annotations"][0]["text"] == "&lt;i&gt;Ads&lt;/i&gt;"
    curve = next(
        t for t in spec["data"] if t.get("mode") == "lines" and t.get("line", {}).get("width") == 3
    )
    assert curve["line"]["color"] == PULL_COLOR


def test_scenario_bars_stack_pull_and_push_with_a_whisker_on_the_total():
    df = pd.DataFrame(
        {
            "scenario": ["A", "A", "B", "B"],
            "engine": ["pull", "push"] * 2,
            "revenue": [3.0, 1.0, 2.0, 2.0],
            "total_low": [3.5, 3.5, 3.0, 3.0],
            "total_high": [4.5, 4.5, 5.0, 5.0],
        }
    )
    spec = _spec(
        scenario_charts.scenario_revenue(
            df, title="T", y_title="Y", motion_labels=LABELS, band_label="band"
        )
    )
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert [t["marker"]["color"] for t in bars] == [PULL_COLOR, PUSH_COLOR]
    assert spec["layout"]["barmode"] == "stack"
    whisker = spec["data"][-1]
    assert whisker["y"] == [4.0, 4.0]
    assert whisker["error_y"]["array"] == [0.5, 1.0]
    assert whisker["error_y"]["arrayminus"] == [0.5, 1.0]


def test_tornado_puts_the_largest_swing_on_top():
    df = pd.DataFrame({"input": ["small", "big"], "low": [-1.0, -10.0], "high": [1.0, 8.0]})
    spec = _spec(
        scenario_charts.tornado(df, title="T", x_title="X", low_label="−20%", high_label="+20%")
    )
    # plotly draws the first category at the bottom: the biggest swing comes last
    assert spec["data"][0]["y"] == ["small", "big"]
    assert spec["data"][0]["x"] == [-1.0, -10.0]
    assert spec["data"][1]["name"] == "+20%"


def test_cumulative_lines_have_one_line_per_scenario():
    df = pd.DataFrame(
        {
            "scenario": ["A", "A", "<b>B</b>", "<b>B</b>"],
            "quarter": ["Q1", "Q2"] * 2,
            "revenue_cum": [1.0, 2.0, 0.5, 2.5],
        }
    )
    spec = _spec(scenario_charts.scenario_cumulative(df, title="T", y_title="Y"))
    assert [t["name"] for t in spec["data"]] == ["A", "&lt;b&gt;B&lt;/b&gt;"]
    assert spec["data"][1]["y"] == [0.5, 2.5]


def test_backtest_grid_has_projected_lines_and_actual_points_per_panel():
    months = pd.to_datetime(["2026-01-01", "2026-02-01"])
    df = pd.DataFrame(
        {
            "month": list(months) * 2,
            "engine": ["pull", "pull", "push", "push"],
            "metric": ["leads"] * 4,
            "predicted": [1.0, 2.0, 3.0, 4.0],
            "actual": [1.5, 2.0, 2.5, 4.5],
        }
    )
    spec = _spec(
        scenario_charts.backtest_grid(
            df,
            title="T",
            panel_titles={("pull", "leads"): "Pull", ("push", "leads"): "Push"},
            predicted_label="Projected",
            actual_label="Actual",
        )
    )
    assert len(spec["data"]) == 4
    assert spec["data"][0]["line"]["color"] == PULL_COLOR
    assert spec["data"][2]["line"]["color"] == PUSH_COLOR
    assert spec["data"][1]["mode"] == "markers" and spec["data"][1]["y"] == [1.5, 2.0]
    assert spec["data"][0]["x"] == ["2026-01", "2026-02"]
