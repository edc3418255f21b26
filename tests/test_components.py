"""Chart builders, theme, formatting and the scoreboard, without Streamlit."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from components.charts import base as charts
from components.charts.theme import PULL_COLOR, PUSH_COLOR, TEMPLATE
from components.fmt import Formatter
from views import scoreboard

LABELS = {"pull": "Pull", "push": "Push"}


def monthly() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01"]),
            "motion": ["push", "pull", "pull"],
            "won_amount": [2000.0, 18000.0, 4000.0],
        }
    )


def test_time_series_paints_pull_and_push_in_their_colours():
    fig = charts.motion_time_series(
        monthly(), x="month", y="won_amount", title="Won", y_title="USD", motion_labels=LABELS
    )
    by_name = {tr.name: tr for tr in fig.data}
    assert list(by_name) == ["Pull", "Push"]  # pull first whatever the row order
    assert by_name["Pull"].marker.color == PULL_COLOR
    assert by_name["Push"].marker.color == PUSH_COLOR
    assert list(by_name["Pull"].y) == [18000.0, 4000.0]
    assert fig.layout.title.text == "Won"
    assert fig.layout.yaxis.title.text == "USD"


def test_figures_carry_our_template_not_the_default():
    fig = charts.motion_time_series(
        monthly(),
        x="month",
        y="won_amount",
        title="W",
        y_title="",
        motion_labels=LABELS,
        kind="line",
    )
    assert fig.layout.template.layout.font.family == TEMPLATE.layout.font.family
    assert fig.data[0].line.color == PULL_COLOR


def test_grouped_bars_have_one_trace_per_motion():
    df = pd.DataFrame(
        {
            "segment": ["SMB", "SMB", "Ent"],
            "motion": ["pull", "push", "pull"],
            "win_rate": [0.4, 0.2, 0.3],
        }
    )
    fig = charts.motion_bars(
        df,
        category="segment",
        value="win_rate",
        title="Win rate",
        value_title="%",
        motion_labels=LABELS,
        horizontal=True,
    )
    assert [tr.name for tr in fig.data] == ["Pull", "Push"]
    assert fig.data[0].orientation == "h"
    assert fig.layout.barmode == "group"


def test_empty_figure_says_why():
    fig = charts.empty_figure(title="T", message="No data")
    assert fig.layout.annotations[0].text == "No data"


@pytest.mark.parametrize(
    ("locale", "currency", "value", "expected"),
    [
        ("en_US", "USD", 1234567.4, "$1,234,567"),
        ("de_DE", "EUR", 1234.5, "1.234 €"),
        ("en_US", "USD", 12.5, "$12.50"),
        ("zh_CN", "CNY", 1234567, "¥1,234,567"),
    ],
)
def test_money_follows_the_workspace_locale(locale, currency, value, expected):
    assert Formatter(locale, currency).money(value).replace("\xa0", " ") == expected


def test_missing_values_show_a_dash():
    fmt = Formatter()
    assert fmt.money(None) == fmt.pct(float("nan")) == fmt.days(None) == "—"


def test_bad_locale_settings_fall_back_safely():
    assert Formatter.safe("xx_YY", "dollars") == Formatter("en_US", "USD")


def test_dates_follow_the_locale():
    assert Formatter("zh_CN").date(date(2025, 1, 5)) == "2025年1月5日"


def test_scoreboard_rates_change_in_points_and_costs_improve_downwards():
    idx = ["overall", "pull", "push"]
    now = pd.DataFrame({k.key: [0.30, 0.40, 0.20] for k in scoreboard.SCOREBOARD}, index=idx)
    before = pd.DataFrame({k.key: [0.25, 0.40, 0.25] for k in scoreboard.SCOREBOARD}, index=idx)
    rows = scoreboard.rows(now, before, Formatter(), "pp").set_index(["kpi", "group"])
    assert rows.loc[("win_rate", "overall"), "change"] == pytest.approx(0.05)
    assert rows.loc[("win_rate", "overall"), "change_text"] == "+5.0 pp"
    assert rows.loc[("won_amount", "overall"), "change"] == pytest.approx(0.2)
    # CAC went up 20 %: that is worse
    assert (
        rows.loc[("cac", "overall"), "improved"] is False
        or not rows.loc[("cac", "overall"), "improved"]
    )
    assert rows.loc[("cac", "push"), "improved"]  # CAC fell: better
    assert rows.loc[("win_rate", "pull"), "change_text"] == "±0.0 pp"


def test_scoreboard_change_is_undefined_from_zero():
    kpi = scoreboard.Kpi("won_amount", "money")
    assert scoreboard.change(kpi, 100.0, 0.0) is None


def test_scoreboard_change_is_a_dash_when_either_side_is_absent():
    # an empty previous period, or an absent figure now (open pipeline without amounts): the
    # change is undefined and reads "—", never −100 % (and is text: a column of None alone
    # turns into NaN, which is truthy and has no .replace)
    idx = ["overall", "pull", "push"]
    now = pd.DataFrame({k.key: [1.0, float("nan"), 1.0] for k in scoreboard.SCOREBOARD}, index=idx)
    before = pd.DataFrame(
        {k.key: [float("nan"), 2.0, 2.0] for k in scoreboard.SCOREBOARD}, index=idx
    )
    rows = scoreboard.rows(now, before, Formatter(), "pp").set_index(["kpi", "group"])
    for kpi in scoreboard.SCOREBOARD:
        assert rows.loc[(kpi.key, "overall"), "change_text"] == "—"
        assert rows.loc[(kpi.key, "pull"), "change_text"] == "—"
        assert rows.loc[(kpi.key, "pull"), "text"] == "—"
        assert rows.loc[(kpi.key, "pull"), "improved"] is None
        assert rows.loc[(kpi.key, "push"), "change_text"] != "—"  # both sides present
    assert rows.loc[("won_amount", "push"), "change_text"] == "−50.0%"


def test_scoreboard_rows_carry_the_note_of_their_group_and_kpi():
    idx = ["overall", "pull", "push"]
    now = pd.DataFrame({k.key: [1.0, 1.0, float("nan")] for k in scoreboard.SCOREBOARD}, index=idx)
    notes = {"push": {"cac": "No sales spend imported."}}
    rows = scoreboard.rows(now, now, Formatter(), "pp", notes).set_index(["kpi", "group"])
    assert rows.loc[("cac", "push"), "note"] == "No sales spend imported."
    assert rows.loc[("cac", "pull"), "note"] == ""
    assert rows.loc[("win_rate", "push"), "note"] == ""
