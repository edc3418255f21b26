"""Pull vs push: the two engines compared by quarter, short term against long term.

Deal metrics come from ``metrics.deal_metrics_by`` and CAC from ``sql/engines.sql``, which keeps
the headline definition (tested equal to ``metrics.headline`` for a quarter). The value of a
lead by age is ``planning.lead_value`` over the cohorts of ``queries.funnel.lead_cohort_wins``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd

from queries import metrics
from queries.filters import Filters
from queries.workspace import Workspace

ENGINE_METRICS = (
    "won_amount",
    "new_customers",
    "win_rate",
    "avg_deal_size",
    "sales_cycle_days",
    "cac",
)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    start = quarter_start(day)
    next_start = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return next_start - timedelta(days=1)


def quarter_label(day: date) -> str:
    """The label SQL gives a quarter: ``year || '-Q' || quarter``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def whole_quarters(filters: Filters) -> Filters:
    """The filters widened to whole calendar quarters, so no quarter is cut by the period."""
    return replace(
        filters,
        date_from=quarter_start(filters.date_from),
        date_to=quarter_end(filters.date_to),
    )


def cac_by_quarter(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per quarter and motion group: new customers, spend charged, CAC."""
    return ws.query(
        "cac_by_quarter", **filters.params(), pull_share_of_sales=metrics.pull_share_of_sales(ws)
    )


def _data_days(ws: Workspace) -> tuple[date | None, date | None]:
    row = ws.query("data_date_range").iloc[0]
    if pd.isna(row["first_day"]) or pd.isna(row["last_day"]):
        return None, None
    return pd.Timestamp(row["first_day"]).date(), pd.Timestamp(row["last_day"]).date()


def engines_by_quarter(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per whole quarter overlapping the period and motion group ('overall', 'pull',
    'push', maybe 'unmapped'): won amount, new customers, win rate, average deal size, sales
    cycle and CAC. ``is_partial`` marks quarters the data do not cover entirely.
    """
    wide = whole_quarters(filters)
    deals = metrics.deal_metrics_by(ws, wide, "closed_quarter").rename(
        columns={"dimension_value": "quarter"}
    )
    deals = deals[deals["quarter"].notna()]
    cac = cac_by_quarter(ws, wide)
    df = deals[
        [
            "quarter",
            "motion_group",
            "won",
            "lost",
            "won_amount",
            "win_rate",
            "avg_deal_size",
            "sales_cycle_days",
        ]
    ].merge(
        cac[["quarter", "motion_group", "new_customers", "cac"]],
        on=["quarter", "motion_group"],
        how="outer",
    )
    if df.empty:
        return df.assign(is_partial=pd.Series(dtype=bool))
    df["won_amount"] = df["won_amount"].fillna(0.0)
    df["new_customers"] = df["new_customers"].fillna(0).astype(int)
    first, last = _data_days(ws)
    partial = set()
    if first is not None and last is not None:
        day = quarter_start(wide.date_from)
        while day <= wide.date_to:
            if day < first or quarter_end(day) > last:
                partial.add(quarter_label(day))
            day = quarter_end(day) + timedelta(days=1)
    df["is_partial"] = df["quarter"].isin(partial)
    return df.sort_values(["quarter", "motion_group"]).reset_index(drop=True)


def channel_spend_vs_leads(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per marketing channel and month: spend on it and leads from it that month."""
    return ws.query("channel_spend_vs_leads", **filters.params())
