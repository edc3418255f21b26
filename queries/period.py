"""The span of the workspace's data and the default period the app and the CLI open on."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from queries.workspace import Workspace


def data_span(ws: Workspace) -> tuple[date | None, date | None]:
    """First and last day with any lead, deal or spend (None, None on an empty workspace)."""
    row = ws.query("data_date_range").iloc[0]
    first, last = row["first_day"], row["last_day"]
    if pd.isna(first) or pd.isna(last):
        return None, None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def data_range(ws: Workspace) -> tuple[date, date]:
    """The data's span, or the year up to today on an empty workspace (a date picker's range)."""
    first, last = data_span(ws)
    if first is None or last is None:
        today = date.today()
        return today - timedelta(days=364), today
    return first, last


def default_period(first: date, last: date) -> tuple[date, date]:
    """The last twelve full months of data (or all of it when there is less)."""
    end_month_start = date(last.year, last.month, 1)
    month_end = (pd.Timestamp(end_month_start) + pd.offsets.MonthEnd(0)).date()
    end = month_end if month_end == last else end_month_start - timedelta(days=1)
    if end < first:
        end = last
    start = (pd.Timestamp(end) - pd.DateOffset(years=1) + timedelta(days=1)).date()
    return max(start, first), end
