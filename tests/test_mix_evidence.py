"""The evidence queries added for the plan (price realisation, open pipeline by segment, the
funnel per segment, cost per won deal) and their chart builders, against hand-computed
figures on the tiny workspace with the discounts of tests/test_mix.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from components.charts import market as market_charts
from components.charts import mix as mix_charts
from components.charts.theme import OVERALL_COLOR, PULL_COLOR, PUSH_COLOR
from planning import budget_mix, market_sizing
from queries import market, mix
from queries.filters import Filters
from queries.metrics import deal_metrics_by
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace
from tests.test_mix import DISCOUNTS

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))


@pytest.fixture(scope="module")
def evidence_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_tiny_workspace(tmp_path_factory.mktemp("evidence") / "evidence.duckdb")
    ws = Workspace(path)
    with ws.transaction() as cur:
        for deal_id, pct in DISCOUNTS.items():
            cur.execute("update raw_deals set discount_pct = ? where deal_id = ?", [pct, deal_id])
    ws.close()
    return path


@pytest.fixture
def ws(evidence_path: Path) -> Iterator[Workspace]:
    w = Workspace(evidence_path, read_only=True)
    yield w
    w.close()


def test_price_realisation_is_won_amount_over_list_price_per_product(ws):
    out = mix.price_realisation(ws, JAN).set_index("product")
    # Core: D1 10,000 at 0 %, D2 5,000 at 5 %, D7 3,000 at 25 % → list 10,000 + 5,263.16 + 4,000
    core_list = 10_000 + 5_000 / 0.95 + 3_000 / 0.75
    assert out.loc["Core", "won"] == 3
    assert out.loc["Core", "list_amount"] == pytest.approx(core_list)
    assert out.loc["Core", "realisation"] == pytest.approx(18_000 / core_list)
    # Plus: D4 2,000 at 12 % → list 2,272.73; D3 is lost and does not count
    assert out.loc["Plus", "realisation"] == pytest.approx(0.88)


def test_open_pipeline_counts_deals_open_on_the_last_day(ws):
    out = market.open_pipeline_by_segment(ws, JAN).set_index("segment")["open_pipeline"]
    # D5 (7,000, open) and D6 (4,000, closes 15 Feb) are open on 31 Jan; both SMB
    assert out.to_dict() == {"SMB": 11_000.0}


def test_funnel_by_segment_takes_opportunities_win_rate_and_deal_size_from_deal_metrics(ws):
    funnel = market_sizing.funnel_by_segment(
        deal_metrics_by(ws, JAN, "segment"), market.open_pipeline_by_segment(ws, JAN)
    ).set_index("segment")
    # SMB in January: created D2, D4, D5 (3); won D2 5,000 and D4 2,000, none lost
    assert funnel.loc["SMB", "opportunities"] == 3
    assert funnel.loc["SMB", "win_rate"] == 1.0
    assert funnel.loc["SMB", "avg_deal_size"] == 3_500.0
    assert funnel.loc["SMB", "open_pipeline"] == 11_000.0
    # Enterprise: created D3, D7 (2); won D1, D7, lost D3 → 2 ÷ 3; no open pipeline
    assert funnel.loc["Enterprise", "win_rate"] == pytest.approx(2 / 3)
    assert pd.isna(funnel.loc["Enterprise", "open_pipeline"])


def test_cost_per_won_deal_divides_channel_spend_by_its_wins():
    df = pd.DataFrame({"channel": ["A", "B", "C"], "spend": [900.0, 0.0, 50.0], "won": [3, 2, 0]})
    out = budget_mix.with_cac(df).set_index("channel")["cost_per_won_deal"]
    assert out["A"] == 300.0
    assert pd.isna(out["B"]) and pd.isna(out["C"])


def test_sizing_funnel_draws_two_funnels_with_values_and_shares_of_the_first_stage():
    fig = market_charts.sizing_funnel(
        {"tam": 1_000.0, "sam": 400.0, "som": 40.0},
        {"bottom_up": 50.0, "deliverable": 20.0, "won_amount": 0.0},
        title="t",
        top_down_title="Top-down",
        bottom_up_title="Bottom-up",
        labels={"tam": "TAM", "sam": "SAM", "som": "SOM"},
        money_text=lambda v: f"${v:,.0f}",
    )
    spec = json.loads(fig.to_json())
    top, bottom = spec["data"]
    assert (top["type"], bottom["type"]) == ("funnel", "funnel")
    assert top["y"] == ["TAM", "SAM", "SOM"]
    assert top["text"] == ["$1,000", "$400 · 40.0%", "$40 · 4.0%"]
    assert len(bottom["y"]) == 2  # nothing won: the stage is left out, not drawn at zero
    assert spec["layout"]["template"]["layout"]["font"]["size"] == 14  # our template


def test_som_check_draws_what_the_funnel_delivers_as_diamonds():
    df = pd.DataFrame(
        {
            "segment": ["A<b>", "B"],
            "som": [100.0, 50.0],
            "won_pull": [10.0, 5.0],
            "won_push": [5.0, 5.0],
            "deliverable": [40.0, 60.0],
            "som_status": ["unreachable", "reachable"],
        }
    )
    fig = market_charts.som_check(
        df,
        title="t",
        som_label="SOM",
        motion_labels={"pull": "Pull", "push": "Push"},
        status_labels={"unreachable": "unreachable", "reachable": "reachable"},
        coverage_texts={"A<b>": "needs ×2.5"},
        x_title="USD",
        deliverable_label="Funnel can deliver",
    )
    spec = json.loads(fig.to_json())
    diamonds = spec["data"][-1]
    assert diamonds["marker"]["symbol"] == "diamond" and diamonds["name"] == "Funnel can deliver"
    assert diamonds["y"] == ["A&lt;b&gt;", "B"]  # CRM strings escaped
    assert spec["data"][1]["marker"]["color"] == PULL_COLOR
    assert spec["data"][2]["marker"]["color"] == PUSH_COLOR
    assert any("needs ×2.5 · unreachable" in a["text"] for a in spec["layout"]["annotations"])


def test_positioning_map_adds_the_target_as_a_hollow_diamond_with_an_arrow_from_us():
    rivals = pd.DataFrame(
        {"competitor": ["X"], "price_index": [4.0], "quality_index": [6.0], "share_pct": [20.0]}
    )
    fig = market_charts.positioning_map(
        rivals,
        title="t",
        x_title="Breadth",
        y_title="Depth",
        us_label="Us",
        us_price=3.0,
        us_quality=3.0,
        target_x=5.0,
        target_y=7.0,
        target_label="Target",
    )
    spec = json.loads(fig.to_json())
    target = next(d for d in spec["data"] if d["name"] == "Target")
    assert target["marker"]["symbol"] == "diamond-open"
    arrow = next(a for a in spec["layout"]["annotations"] if a.get("showarrow"))
    assert (arrow["ax"], arrow["ay"], arrow["x"], arrow["y"]) == (3.0, 3.0, 5.0, 7.0)
    # a small 0..10 scale gets a small pad, not the 8 points of the 0..150 indices
    low, high = spec["layout"]["xaxis"]["range"]
    assert 2.0 < low < 3.0 and 5.0 < high < 6.0


def test_kpi_attainment_bars_take_the_traffic_light_colours_and_a_target_line():
    df = pd.DataFrame(
        {
            "label": ["SMB · Price · Win rate", "SMB · Place · Cycle"],
            "attainment": [0.8, 1.2],
            "light": ["red", "green"],
            "detail": ["a", "b"],
        }
    )
    fig = mix_charts.kpi_attainment(df, title="t", x_title="x", light_labels={"red": "off"})
    spec = json.loads(fig.to_json())
    bar = spec["data"][0]
    assert bar["marker"]["color"] == [
        mix_charts.LIGHT_COLORS["red"],
        mix_charts.LIGHT_COLORS["green"],
    ]
    assert bar["text"][0] == "80% · off"
    assert spec["layout"]["shapes"][0]["x0"] == 1
    assert spec["layout"]["shapes"][0]["line"]["color"] == OVERALL_COLOR


def test_budget_against_actual_draws_planned_beside_last_periods_spend():
    df = pd.DataFrame(
        {"label": ["Webinar", "Product"], "amount": [1_000.0, 300.0], "actual": [500.0, None]}
    )
    fig = mix_charts.budget_vs_actual(
        df, title="t", labels={"amount": "Planned", "actual": "Actual"}, x_title="USD"
    )
    spec = json.loads(fig.to_json())
    assert [d["name"] for d in spec["data"]] == ["Actual", "Planned"]
    assert spec["layout"]["barmode"] == "group"
