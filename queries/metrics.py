"""Headline metrics of DESIGN.md ("Metric definitions"), computed once, in SQL.

The definitions live in ``sql/metrics.sql``; this module only binds parameters and shapes the
result. The CLI, the Overview page and the tests all go through ``headline``.
"""

from __future__ import annotations

import pandas as pd

from queries.filters import Filters
from queries.workspace import Workspace

MOTION_GROUPS = ("overall", "pull", "push")

# The keys `flywheel metrics --json` prints for each group, in order.
METRIC_KEYS = (
    "leads",
    "mqls",
    "sqls",
    "opportunities",
    "won",
    "lost",
    "win_rate",
    "won_amount",
    "avg_deal_size",
    "sales_cycle_days",
    "open_opportunities",
    "open_pipeline_amount",
    "pipeline_velocity",
    "new_customers",
    "marketing_spend",
    "sales_spend",
    "cac",
)


def pull_share_of_sales(ws: Workspace) -> float:
    """Share (0..1) of sales spend charged to pull in CAC; a workspace setting, default 0."""
    raw = ws.settings().get("pull_share_of_sales", "0")
    try:
        value = float(raw)
    except ValueError:
        return 0.0
    return min(max(value, 0.0), 1.0)


def headline(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per motion group (overall, pull, push, maybe unmapped), indexed by group."""
    df = ws.query(
        "headline_metrics", **filters.params(), pull_share_of_sales=pull_share_of_sales(ws)
    )
    df = df.set_index("motion_group")
    # Groups with no rows at all still appear, with zero counts and undefined ratios.
    for group in MOTION_GROUPS:
        if group not in df.index:
            df.loc[group] = {k: 0 for k in df.columns}
            for ratio in (
                "win_rate",
                "avg_deal_size",
                "sales_cycle_days",
                "pipeline_velocity",
                "cac",
            ):
                df.loc[group, ratio] = float("nan")
    return df


COUNT_KEYS = frozenset(
    {"leads", "mqls", "sqls", "opportunities", "won", "lost", "open_opportunities", "new_customers"}
)


def as_json_dict(df: pd.DataFrame) -> dict[str, dict[str, float | int | None]]:
    """``{"overall": {...}, "pull": {...}, "push": {...}}``: counts as ints, NaN as null."""
    out: dict[str, dict[str, float | int | None]] = {}
    for group in df.index:
        row: dict[str, float | int | None] = {}
        for key in METRIC_KEYS:
            value = df.loc[group, key]
            if value is None or pd.isna(value):
                row[key] = None
            elif key in COUNT_KEYS:
                row[key] = int(value)
            else:
                row[key] = float(value)
        out[str(group)] = row
    return out


def won_revenue_by_month(ws: Workspace, filters: Filters) -> pd.DataFrame:
    return ws.query("won_revenue_by_month", **filters.params())


DEAL_DIMENSIONS = (
    "segment",
    "region",
    "product",
    "owner",
    "source",
    "campaign_id",
    "closed_quarter",
    "discount_band",
)


PAIR_DIMENSIONS = ("segment", "region", "product", "source")


def deal_metrics_by(
    ws: Workspace, filters: Filters, dimension: str, *, pair: str | None = None
) -> pd.DataFrame:
    """Win rate, deal size, cycle and won amount per value of one dimension and motion group.

    The same definitions as ``headline``, grouped: use it wherever a page splits these
    metrics, so each metric keeps one implementation. ``pair`` adds a second dimension
    (column ``pair_value``): one pass over the deals instead of one call per value of it.
    """
    if dimension not in DEAL_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; expected one of {DEAL_DIMENSIONS}")
    if pair is not None and pair not in PAIR_DIMENSIONS:
        raise ValueError(f"unknown pair {pair!r}; expected one of {PAIR_DIMENSIONS}")
    return ws.query("deal_metrics_by", **filters.params(), dimension=dimension, pair=pair)
