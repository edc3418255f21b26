"""Quarters by closing date follow the workspace's fiscal year (issue 16): ``deal_metrics_by``
with 'closed_quarter' (the 4P product trend, Funnel's quarter charts) buckets and labels as
the engines by quarter do, and the product trend's partial quarters are fiscal ones.

Hand-worked on the tiny workspace (tests/fixtures.py), period 1 October 2024 – 28 February 2025,
deals closed in it: D8 lost 1,000 (Plus, push) 15 Dec; D1 won 10,000, D2 won 5,000, D7 won 3,000
(Core, pull), D3 lost 8,000, D4 won 2,000 (Plus, push) in January; D6 won 4,000 (Core, pull)
15 February.

A February fiscal year has quarters Feb–Apr, May–Jul, Aug–Oct, Nov–Jan, named by the two
calendar years the year spans: Nov 2024 – Jan 2025 is FY2024/25 Q4 (D1 D2 D3 D4 D7 D8: won 4,
lost 2, 20,000 won), Feb – Apr 2025 is FY2025/26 Q1 (D6). Calendar quarters: 2024-Q4 (D8 only),
2025-Q1 (the other six).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from queries import engines, metrics, mix
from queries.filters import Filters
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace
from views import spec
from views import strategy_4p as strategy_views

PERIOD = Filters(date(2024, 10, 1), date(2025, 2, 28))


def _ws(tmp_path: Path, month: int | None) -> Workspace:
    ws = Workspace(build_tiny_workspace(tmp_path / f"fy{month}.duckdb"))
    if month is not None:
        ws.set_setting("fiscal_year_start_month", str(month))
    return ws


@pytest.fixture
def february(tmp_path: Path) -> Iterator[Workspace]:
    ws = _ws(tmp_path, 2)
    yield ws
    ws.close()


@pytest.fixture
def calendar(tmp_path: Path) -> Iterator[Workspace]:
    ws = _ws(tmp_path, None)
    yield ws
    ws.close()


def _overall(df):
    return df[df["motion_group"] == "overall"].set_index("dimension_value")


def test_closed_quarters_of_a_february_year_by_hand(february):
    df = metrics.deal_metrics_by(february, PERIOD, "closed_quarter")
    # time order, one label per quarter
    assert list(dict.fromkeys(df["dimension_value"])) == ["FY2024/25 Q4", "FY2025/26 Q1"]
    overall = _overall(df)
    q4, q1 = overall.loc["FY2024/25 Q4"], overall.loc["FY2025/26 Q1"]
    assert (q4["won"], q4["lost"], q4["won_amount"]) == (4, 2, pytest.approx(20_000))
    assert q4["win_rate"] == pytest.approx(4 / 6)
    assert q4["quarter_start"] == date(2024, 11, 1)
    assert (q1["won"], q1["lost"], q1["won_amount"]) == (1, 0, pytest.approx(4_000))
    push = df[(df["motion_group"] == "push")].set_index("dimension_value").loc["FY2024/25 Q4"]
    assert (push["won"], push["lost"]) == (1, 2)  # D4 won, D3 and D8 lost


def test_calendar_quarters_keep_their_labels(calendar):
    overall = _overall(metrics.deal_metrics_by(calendar, PERIOD, "closed_quarter"))
    assert list(overall.index) == ["2024-Q4", "2025-Q1"]
    assert (overall.loc["2024-Q4", "won"], overall.loc["2024-Q4", "lost"]) == (0, 1)
    assert (overall.loc["2025-Q1", "won"], overall.loc["2025-Q1", "lost"]) == (5, 1)


def test_fiscal_labels_are_translated(february):
    df = metrics.deal_metrics_by(february, PERIOD, "closed_quarter", lang="zh")
    assert list(dict.fromkeys(df["dimension_value"])) == [
        "2024/25财年第4季度",
        "2025/26财年第1季度",
    ]


def test_closed_quarters_equal_the_engines_quarters_of_a_fiscal_year(february):
    by = _overall(metrics.deal_metrics_by(february, PERIOD, "closed_quarter"))
    eng = engines.deals_by_quarter(february, PERIOD)
    eng = eng[eng["motion_group"] == "overall"].set_index("quarter")
    assert list(eng.index) == list(by.index)
    for key in ("won", "lost", "won_amount", "win_rate", "avg_deal_size", "sales_cycle_days"):
        assert list(eng[key].astype(float)) == pytest.approx(list(by[key].astype(float))), key


def test_product_trend_and_its_partial_quarters_follow_the_fiscal_year(february, calendar):
    trend = mix.product_trend(february, PERIOD).set_index(["product", "quarter"])
    assert list(trend.index) == [
        ("Core", "FY2024/25 Q4"),
        ("Core", "FY2025/26 Q1"),
        ("Plus", "FY2024/25 Q4"),
    ]
    assert trend.loc[("Core", "FY2024/25 Q4"), "won_amount"] == pytest.approx(18_000)
    assert trend.loc[("Plus", "FY2024/25 Q4"), "win_rate"] == pytest.approx(1 / 3)
    # Nov – Jan lies inside October – February; Feb – Apr runs past it
    partial = trend["is_partial"].to_dict()
    assert partial == {
        ("Core", "FY2024/25 Q4"): False,
        ("Core", "FY2025/26 Q1"): True,
        ("Plus", "FY2024/25 Q4"): False,
    }
    # the same period in calendar quarters: Oct – Dec is whole, Jan – Mar is not
    cal = mix.product_trend(calendar, PERIOD).set_index(["product", "quarter"])["is_partial"]
    assert cal.to_dict() == {
        ("Core", "2025-Q1"): True,
        ("Plus", "2024-Q4"): False,
        ("Plus", "2025-Q1"): True,
    }


def test_is_partial_quarter_of_a_february_year():
    # FY2025/26 Q1 runs 1 February – 30 April 2025
    first = date(2025, 2, 1)
    assert not mix.is_partial_quarter(first, Filters(date(2025, 2, 1), date(2025, 4, 30)), 2)
    assert mix.is_partial_quarter(first, Filters(date(2025, 2, 1), date(2025, 3, 31)), 2)
    assert mix.is_partial_quarter(first, Filters(date(2025, 2, 2), date(2025, 12, 31)), 2)
    # a January year: 2025-Q1 runs to 31 March, past a period ending in February
    assert mix.is_partial_quarter(date(2025, 1, 1), Filters(date(2025, 1, 1), date(2025, 2, 28)))
    assert not mix.is_partial_quarter(date(2024, 11, 1), PERIOD, 2)  # FY2024/25 Q4


def test_the_4p_trend_chart_shows_fiscal_quarters(february):
    ctx = spec.context(february, PERIOD)
    data = strategy_views.product_trend(ctx, metric="won_amount").data
    assert set(data["quarter"]) == {"FY2024/25 Q4", "FY2025/26 Q1 (partial)"}
    zh = strategy_views.product_trend(spec.context(february, PERIOD, "zh"), metric="won_amount")
    assert set(zh.data["quarter"]) == {"2024/25财年第4季度", "2025/26财年第1季度（部分）"}
