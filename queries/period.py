"""The span of the workspace's data and the default period the app and the CLI open on.

One implementation: the sidebar's filter bar (``components.ui.filter_bar``), ``flywheel
export`` and the tests all open on ``default_period(*data_range(ws))``.

The default period is the latest twelve months that hold deals or leads, up to the last day
with one. Spend alone does not count: an ad-spend history that runs years before the first
deal (or after the last) must not open the app on months with nothing to measure. A workspace
with spend only opens on its spend. The last month is kept even when the data end inside it;
``partial_end`` tells the caption to say so ("October partial: data end on Oct 14").
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from queries.workspace import Workspace

MONTHS = 12  # the default period's length


def _days(row: pd.Series, first: str, last: str) -> tuple[date | None, date | None]:
    a, b = row[first], row[last]
    if pd.isna(a) or pd.isna(b):
        return None, None
    return pd.Timestamp(a).date(), pd.Timestamp(b).date()


def data_span(ws: Workspace) -> tuple[date | None, date | None]:
    """First and last day with any lead, deal or spend (None, None on an empty workspace)."""
    return _days(ws.per_version("data_date_range").iloc[0], "first_day", "last_day")


def activity_span(ws: Workspace) -> tuple[date | None, date | None]:
    """First and last day with a lead or a deal; the spend's span when there are neither
    (a workspace of ad spend only); (None, None) on an empty workspace."""
    row = ws.per_version("data_date_range").iloc[0]
    first, last = _days(row, "first_activity_day", "last_activity_day")
    if first is None:
        return _days(row, "first_day", "last_day")
    return first, last


def undated_records(ws: Workspace) -> int:
    """How many leads and deals the workspace holds when none of them has a date a period can
    count it by (X Education's leads export has no date column); 0 when some are dated or there
    are none. The default period then is the year up to today, and holds none of them: the
    caption says so instead of letting the period's zeros pass for figures."""
    row = ws.query("undated_activity").iloc[0]
    records, dated = int(row["records"]), int(row["dated"])
    return records if records and not dated else 0


def data_range(ws: Workspace) -> tuple[date, date]:
    """The days the default period is chosen from: ``activity_span``, or the year up to today
    on an empty workspace (or one whose leads and deals have no date: ``undated_records``)."""
    first, last = activity_span(ws)
    if first is None or last is None:
        today = date.today()
        return today - timedelta(days=364), today
    return first, last


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def default_period(first: date, last: date) -> tuple[date, date]:
    """The latest twelve months of ``first``..``last``: from the first day of the month eleven
    months before ``last``'s to ``last`` itself, a partial last month included (or all of it
    when there is less)."""
    return max(_month_start(last, MONTHS - 1), first), last


def partial_end(date_from: date, date_to: date, last: date | None) -> date | None:
    """``last`` (the data's last day) when the period's last month is cut short by it: the
    period holds ``last``, reaches at least to it, and ``last`` does not end its month. None
    otherwise (the caption then needs no note)."""
    if last is None or is_month_end(last) or not date_from <= last <= date_to:
        return None
    return last
