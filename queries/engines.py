"""Pull vs push: the two engines compared by quarter, short term against long term.

Deal metrics and CAC come from ``sql/engines.sql``, grouped by quarter: the definitions of
``metrics.deal_metrics_by`` and ``metrics.headline`` (tests/test_engines.py holds them equal on
calendar quarters), bucketed by the workspace's fiscal quarters (``fiscal_year_start_month``;
January = calendar quarters, the date arithmetic in ``planning.fiscal``). The value of a
lead by age is ``planning.lead_value`` over the cohorts of ``queries.funnel.lead_cohort_wins``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from planning import fiscal
from queries import metrics, period
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


def fiscal_start_month(ws: Workspace) -> int:
    """The workspace's fiscal year start month (1 = calendar quarters)."""
    return fiscal.start_month(ws.settings())


def quarter_start(day: date, start: int = 1) -> date:
    return fiscal.quarter_start(day, start)


def quarter_end(day: date, start: int = 1) -> date:
    return fiscal.quarter_end(day, start)


def quarter_label(day: date, start: int = 1, lang: str = "en") -> str:
    """``2025-Q1`` for a calendar quarter, ``FY2026/27 Q1`` for a fiscal one (planning.fiscal)."""
    return fiscal.quarter_label(day, start, lang)


def whole_quarters(filters: Filters, start: int = 1) -> Filters:
    """The filters widened to whole quarters (fiscal ones when ``start`` is not 1), so no
    quarter is cut by the period."""
    return replace(
        filters,
        date_from=quarter_start(filters.date_from, start),
        date_to=quarter_end(filters.date_to, start),
    )


def _label(df: pd.DataFrame, start: int, lang: str) -> pd.DataFrame:
    """Add ``quarter``, the label of ``quarter_start``, as the first column."""
    days = pd.to_datetime(df["quarter_start"]).dt.date
    df = df.assign(quarter_start=days)
    df.insert(0, "quarter", [quarter_label(d, start, lang) for d in days])
    return df


def cac_by_quarter(
    ws: Workspace, filters: Filters, *, lang: str = "en", live: bool = False
) -> pd.DataFrame:
    """One row per quarter (fiscal, after the workspace's setting) and motion group: new
    customers, spend charged, CAC (NaN without new customers or without spend charged). Each
    customer's first win from the kept first wins (migrations 025, 030) unless ``live`` or an
    owner filter asks for the records (the form the kept one is tested against)."""
    start = fiscal_start_month(ws)
    df = ws.query(
        "cac_by_quarter",
        **filters.params(),
        pull_share_of_sales=metrics.pull_share_of_sales(ws),
        fiscal_start_month=start,
        live=live,
    )
    return _label(df, start, lang)


def deals_by_quarter(
    ws: Workspace, filters: Filters, *, lang: str = "en", live: bool = False
) -> pd.DataFrame:
    """One row per quarter (fiscal, after the workspace's setting) and motion group: won, lost,
    won amount, win rate, average deal size and sales cycle of the deals closed in it. From the
    kept period facts (migration 025) unless ``live`` or an owner filter asks for the records
    (the form the kept one is tested against)."""
    start = fiscal_start_month(ws)
    df = ws.query("deals_by_quarter", **filters.params(), fiscal_start_month=start, live=live)
    return _label(df, start, lang)


def engines_by_quarter(ws: Workspace, filters: Filters, *, lang: str = "en") -> pd.DataFrame:
    """One row per whole quarter overlapping the period and motion group ('overall', 'pull',
    'push', maybe 'unmapped'): won amount, new customers, win rate, average deal size, sales
    cycle and CAC. Quarters are fiscal ones when the workspace's fiscal year does not start in
    January (labels ``FY2026/27 Q1``; ``lang`` translates them). ``is_partial`` marks quarters
    the data do not cover entirely; ``quarter_start`` orders them.
    """
    start = fiscal_start_month(ws)
    wide = whole_quarters(filters, start)
    deals = deals_by_quarter(ws, wide, lang=lang)
    cac = cac_by_quarter(ws, wide, lang=lang)
    df = deals[
        [
            "quarter",
            "quarter_start",
            "motion_group",
            "won",
            "lost",
            "won_amount",
            "win_rate",
            "avg_deal_size",
            "sales_cycle_days",
        ]
    ].merge(
        cac[["quarter", "quarter_start", "motion_group", "new_customers", "cac"]],
        on=["quarter", "quarter_start", "motion_group"],
        how="outer",
    )
    if df.empty:
        return df.assign(is_partial=pd.Series(dtype=bool))
    df["won_amount"] = df["won_amount"].fillna(0.0)
    df["new_customers"] = df["new_customers"].fillna(0).astype(int)
    first, last = period.data_span(ws)
    partial = set()
    if first is not None and last is not None:
        for day in fiscal.quarter_starts(wide.date_from, wide.date_to, start):
            if day < first or quarter_end(day, start) > last:
                partial.add(day)
    df["is_partial"] = df["quarter_start"].isin(partial)
    return df.sort_values(["quarter_start", "motion_group"]).reset_index(drop=True)


def channel_spend_vs_leads(ws: Workspace, filters: Filters, *, live: bool = False) -> pd.DataFrame:
    """One row per marketing channel and month: spend on it and leads from it that month. The
    leads come from the kept period facts (migration 025) unless ``live`` or an owner filter
    asks for the records (the form the kept one is tested against)."""
    return ws.query("channel_spend_vs_leads", **filters.params(), live=live)
