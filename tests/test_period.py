"""The default period and fiscal quarters, against dates worked out by hand.

queries/period.py: the latest twelve months holding deals or leads (spend alone is no data to
open on), a partial last month kept and named. planning/fiscal.py: quarters and years from the
workspace's ``fiscal_year_start_month``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from components.fmt import Formatter
from components.ui.filter_bar import period_note
from planning import fiscal
from queries import period
from queries.workspace import Workspace, refresh_lead_facts

# -- fiscal quarters ---------------------------------------------------------------------------
# (day, start month) -> (quarter start, quarter end, quarter number, fiscal year start), by hand
QUARTERS = [
    # calendar quarters (start month 1)
    (date(2026, 1, 1), 1, date(2026, 1, 1), date(2026, 3, 31), 1, date(2026, 1, 1)),
    (date(2026, 5, 10), 1, date(2026, 4, 1), date(2026, 6, 30), 2, date(2026, 1, 1)),
    (date(2024, 2, 29), 1, date(2024, 1, 1), date(2024, 3, 31), 1, date(2024, 1, 1)),
    (date(2026, 12, 31), 1, date(2026, 10, 1), date(2026, 12, 31), 4, date(2026, 1, 1)),
    # a fiscal year from April: Apr–Jun is Q1, Jan–Mar is Q4 of the year that began last April
    (date(2026, 4, 1), 4, date(2026, 4, 1), date(2026, 6, 30), 1, date(2026, 4, 1)),
    (date(2026, 5, 10), 4, date(2026, 4, 1), date(2026, 6, 30), 1, date(2026, 4, 1)),
    (date(2026, 9, 30), 4, date(2026, 7, 1), date(2026, 9, 30), 2, date(2026, 4, 1)),
    (date(2026, 12, 25), 4, date(2026, 10, 1), date(2026, 12, 31), 3, date(2026, 4, 1)),
    (date(2027, 3, 31), 4, date(2027, 1, 1), date(2027, 3, 31), 4, date(2026, 4, 1)),
    (date(2026, 3, 15), 4, date(2026, 1, 1), date(2026, 3, 31), 4, date(2025, 4, 1)),
    # a fiscal year from October (US federal): Oct–Dec is Q1
    (date(2025, 10, 1), 10, date(2025, 10, 1), date(2025, 12, 31), 1, date(2025, 10, 1)),
    (date(2026, 2, 28), 10, date(2026, 1, 1), date(2026, 3, 31), 2, date(2025, 10, 1)),
    (date(2026, 6, 30), 10, date(2026, 4, 1), date(2026, 6, 30), 3, date(2025, 10, 1)),
    (date(2026, 9, 1), 10, date(2026, 7, 1), date(2026, 9, 30), 4, date(2025, 10, 1)),
    # a fiscal year from February (retail): quarters straddle calendar ones
    (date(2026, 1, 31), 2, date(2025, 11, 1), date(2026, 1, 31), 4, date(2025, 2, 1)),
    (date(2024, 3, 5), 2, date(2024, 2, 1), date(2024, 4, 30), 1, date(2024, 2, 1)),
]


@pytest.mark.parametrize(("day", "start", "q_start", "q_end", "number", "y_start"), QUARTERS)
def test_fiscal_quarter_of_a_day(day, start, q_start, q_end, number, y_start):
    assert fiscal.quarter_start(day, start) == q_start
    assert fiscal.quarter_end(day, start) == q_end
    assert fiscal.quarter_number(day, start) == number
    assert fiscal.year_start(day, start) == y_start


def test_fiscal_year_ends_the_day_before_the_next_begins():
    assert fiscal.year_end(date(2026, 5, 10), 4) == date(2027, 3, 31)
    assert fiscal.year_end(date(2026, 5, 10), 1) == date(2026, 12, 31)
    assert fiscal.year_end(date(2026, 2, 1), 10) == date(2026, 9, 30)


def test_quarter_labels_keep_the_calendar_form_and_name_the_fiscal_year_by_its_two_years():
    assert fiscal.quarter_label(date(2025, 8, 1), 1) == "2025-Q3"
    assert fiscal.quarter_label(date(2025, 8, 1), 1, calendar_sep=" ") == "2025 Q3"
    assert fiscal.quarter_label(date(2026, 5, 10), 4) == "FY2026/27 Q1"
    assert fiscal.quarter_label(date(2027, 3, 31), 4) == "FY2026/27 Q4"
    assert fiscal.quarter_label(date(2026, 5, 10), 4, "zh") == "2026/27财年第1季度"
    assert fiscal.quarter_label(date(2025, 8, 1), 1, "zh") == "2025年第3季度"
    assert fiscal.quarter_label(date(2099, 11, 1), 10) == "FY2099/00 Q1"
    assert fiscal.year_label(date(2026, 5, 10), 4) == "FY2026/27"
    assert fiscal.year_label(date(2026, 5, 10), 1) == "2026"
    # the label's order is time order (the engines chart sorts quarters by label)
    days = [date(2025, 12, 1), date(2026, 3, 1), date(2026, 4, 1), date(2027, 1, 1)]
    labels = [fiscal.quarter_label(d, 4) for d in days]
    assert (
        labels == sorted(labels) == ["FY2025/26 Q3", "FY2025/26 Q4", "FY2026/27 Q1", "FY2026/27 Q4"]
    )


def test_quarter_starts_list_every_quarter_the_period_touches():
    assert fiscal.quarter_starts(date(2026, 3, 15), date(2026, 7, 1), 4) == [
        date(2026, 1, 1),
        date(2026, 4, 1),
        date(2026, 7, 1),
    ]
    assert fiscal.quarter_starts(date(2026, 1, 1), date(2026, 3, 31), 1) == [date(2026, 1, 1)]


def test_the_setting_is_read_as_a_month_or_january():
    assert fiscal.start_month({"fiscal_year_start_month": "4"}) == 4
    assert fiscal.start_month({"fiscal_year_start_month": 10}) == 10
    for bad in (None, "", "13", "0", "April"):
        assert fiscal.start_month({"fiscal_year_start_month": bad}) == 1
    assert fiscal.start_month({}) == 1
    with pytest.raises(ValueError):
        fiscal.quarter_start(date(2026, 1, 1), 13)


def test_sql_buckets_every_day_like_quarter_start(tmp_path: Path):
    """The SQL's quarter rule (sql/engines.sql, sql/campaigns.sql) on a spend row per day of
    two years, for every start month, equals planning.fiscal.quarter_start."""
    from queries import engines
    from queries.filters import Filters

    ws = Workspace(tmp_path / "days.duckdb")
    try:
        with ws.transaction() as cur:
            cur.execute(
                "insert into spend (spent_on, category, channel, amount) select d::date, "
                "'marketing', 'Web', 1 from range(date '2025-01-01', date '2027-01-01', "
                "interval 1 day) t(d)"
            )
        days = [date(2025, 1, 1) + (date(2025, 1, 2) - date(2025, 1, 1)) * i for i in range(730)]
        for start in range(1, 13):
            ws.set_setting("fiscal_year_start_month", str(start))
            df = engines.cac_by_quarter(ws, Filters(date(2025, 1, 1), date(2026, 12, 31)))
            got = df[df["motion_group"] == "overall"].set_index("quarter_start")["marketing_spend"]
            expected: dict[date, int] = {}
            for d in days:
                q = fiscal.quarter_start(d, start)
                expected[q] = expected.get(q, 0) + 1
            assert got.to_dict() == pytest.approx(expected), start
    finally:
        ws.close()


# -- the default period ------------------------------------------------------------------------
def test_default_period_is_the_latest_twelve_months_up_to_the_last_day():
    # the last month ends on its last day: twelve whole months
    assert period.default_period(date(2023, 11, 1), date(2026, 10, 31)) == (
        date(2025, 11, 1),
        date(2026, 10, 31),
    )
    # the data end on 14 October: November 2025 to 14 October 2026, October partial
    assert period.default_period(date(2023, 11, 1), date(2026, 10, 14)) == (
        date(2025, 11, 1),
        date(2026, 10, 14),
    )
    # less than a year of data: all of it
    assert period.default_period(date(2025, 1, 5), date(2025, 3, 14)) == (
        date(2025, 1, 5),
        date(2025, 3, 14),
    )
    # a year from 1 January to the last day of December
    assert period.default_period(date(2020, 1, 1), date(2024, 12, 31)) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
    )


def test_partial_end_names_the_last_day_only_when_it_cuts_the_period_s_last_month():
    assert period.partial_end(date(2025, 11, 1), date(2026, 10, 14), date(2026, 10, 14)) == date(
        2026, 10, 14
    )
    # the period runs past the data's end: still partial
    assert period.partial_end(date(2026, 10, 1), date(2026, 10, 31), date(2026, 10, 14)) == date(
        2026, 10, 14
    )
    assert period.partial_end(date(2025, 11, 1), date(2026, 10, 31), date(2026, 10, 31)) is None
    # the person cut the period before the data end, or it lies before them
    assert period.partial_end(date(2025, 11, 1), date(2026, 9, 30), date(2026, 10, 14)) is None
    assert period.partial_end(date(2026, 11, 1), date(2026, 11, 30), date(2026, 10, 14)) is None
    assert period.partial_end(date(2025, 1, 1), date(2025, 1, 31), None) is None


def test_period_note_says_which_month_is_partial_and_where_the_data_end():
    fmt = Formatter("en_US", "USD")
    assert (
        period_note(date(2025, 11, 1), date(2026, 10, 14), date(2026, 10, 14), fmt, "en")
        == "Nov 1, 2025 – Oct 14, 2026 (October partial: data end on Oct 14)"
    )
    assert period_note(date(2025, 11, 1), date(2026, 10, 31), date(2026, 10, 31), fmt, "en") == ""
    zh = Formatter("zh_CN", "CNY")
    assert (
        period_note(date(2024, 10, 1), date(2025, 2, 15), date(2025, 2, 15), zh, "zh")
        == "2024年10月1日至2025年2月15日（二月不完整：数据截至2月15日）"
    )
    # an English workspace locale in the Chinese interface: the month and day in Chinese
    assert period_note(date(2024, 10, 1), date(2025, 2, 15), date(2025, 2, 15), fmt, "zh") == (
        "Oct 1, 2024至Feb 15, 2025（二月不完整：数据截至2月15日）"
    )


def _workspace(path: Path, leads=(), deals=(), spend=()) -> Workspace:
    ws = Workspace(path)
    with ws.transaction() as cur:
        for i, created in enumerate(leads):
            cur.execute(
                "insert into raw_leads (lead_id, created_at, source) values (?, ?, 'Web')",
                [f"L{i}", created],
            )
        for i, (created, closed, outcome) in enumerate(deals):
            cur.execute(
                "insert into raw_deals (deal_id, created_at, closed_at, outcome, amount, "
                "currency) values (?, ?, ?, ?, 100, 'USD')",
                [f"D{i}", created, closed, outcome],
            )
        for day in spend:
            cur.execute(
                "insert into spend (spent_on, category, channel, amount) "
                "values (?, 'marketing', 'Ads', 10)",
                [day],
            )
        refresh_lead_facts(cur)  # as every writer of the records does
    return ws


def test_spend_years_before_the_first_deal_does_not_open_the_app_on_spend_alone(tmp_path):
    # ad spend from March 2019, deals from 10 June 2024 (the last closes 14 October 2026)
    ws = _workspace(
        tmp_path / "ads_first.duckdb",
        deals=[
            ("2024-06-10", "2024-08-01", "won"),
            ("2025-02-01", None, "open"),
            ("2026-09-01", "2026-10-14", "lost"),
        ],
        spend=["2019-03-01", "2022-01-15", "2026-10-01"],
    )
    try:
        assert period.data_span(ws) == (date(2019, 3, 1), date(2026, 10, 14))
        assert period.activity_span(ws) == (date(2024, 6, 10), date(2026, 10, 14))
        assert period.data_range(ws) == (date(2024, 6, 10), date(2026, 10, 14))
        assert period.default_period(*period.data_range(ws)) == (
            date(2025, 11, 1),
            date(2026, 10, 14),
        )
    finally:
        ws.close()


def test_spend_after_the_last_deal_does_not_stretch_the_period(tmp_path):
    # leads to 31 May 2018, spend to 7 February 2023: the period ends with the leads
    ws = _workspace(
        tmp_path / "ads_after.duckdb",
        leads=["2017-06-14", "2018-05-31 15:00"],
        deals=[(None, "2018-03-02", "won")],  # no creation day: its closing day counts
        spend=["2017-01-01", "2023-02-07"],
    )
    try:
        assert period.activity_span(ws) == (date(2017, 6, 14), date(2018, 5, 31))
        assert period.default_period(*period.data_range(ws)) == (
            date(2017, 6, 14),
            date(2018, 5, 31),
        )
    finally:
        ws.close()


def test_a_workspace_of_spend_only_opens_on_its_spend_with_the_partial_month(tmp_path):
    # the shape of ../shared/data's ad spend: 1 January to 7 February 2023, no deal, no lead
    ws = _workspace(tmp_path / "spend_only.duckdb", spend=["2023-01-01", "2023-02-07"])
    try:
        first, last = period.data_range(ws)
        assert (first, last) == (date(2023, 1, 1), date(2023, 2, 7))
        assert period.default_period(first, last) == (date(2023, 1, 1), date(2023, 2, 7))
        assert period.partial_end(first, last, period.activity_span(ws)[1]) == date(2023, 2, 7)
    finally:
        ws.close()


def test_an_empty_workspace_opens_on_the_year_to_today(tmp_path):
    ws = Workspace(tmp_path / "empty.duckdb")
    try:
        assert period.activity_span(ws) == (None, None)
        first, last = period.data_range(ws)
        assert last == date.today() and (last - first).days == 364
    finally:
        ws.close()


def test_the_tiny_workspace_opens_with_its_partial_february(tiny_ws):
    # deals from 1 October 2024 to 15 February 2025 (D6 closes then)
    assert period.default_period(*period.data_range(tiny_ws)) == (
        date(2024, 10, 1),
        date(2025, 2, 15),
    )
