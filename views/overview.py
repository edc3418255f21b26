"""Overview: the charts of the company's two engines at a glance."""

from __future__ import annotations

import pandas as pd

from components import (
    charts,
)
from queries import metrics
from views.registry import view
from views.spec import ChartSpec, Context


def _share(part: float, whole: float) -> float:
    return part / whole if whole else float("nan")


@view("overview", "won_by_month")
def won_by_month(ctx: Context) -> ChartSpec:
    key = "overview.won_by_month"
    title = ctx.t("overview.chart_won_title", currency=ctx.fmt.currency)
    caption = ctx.t("overview.chart_won_caption")
    df = ctx.ask(metrics.won_revenue_by_month, ctx.filters)
    if df.empty:
        return ctx.empty(key, title, caption)
    labels = ctx.motion_labels
    fig = charts.motion_time_series(
        df,
        x="month",
        y="won_amount",
        title=title,
        y_title=ctx.t("overview.won_axis"),
        motion_labels=labels,
        y_prefix=ctx.fmt.currency_symbol,
    )
    totals = df.groupby("motion")["won_amount"].sum()
    pull, push = float(totals.get("pull", 0.0)), float(totals.get("push", 0.0))
    takeaway = ctx.t(
        "pack.won_takeaway",
        share=ctx.fmt.pct(_share(pull, pull + push), digits=0),
        pull=ctx.fmt.money(pull, compact=True),
        push=ctx.fmt.money(push, compact=True),
    )
    data = pd.DataFrame(
        {
            ctx.t("pack.col_month"): pd.to_datetime(df["month"]).dt.strftime("%Y-%m"),
            ctx.t("pack.col_motion"): df["motion"].map(lambda m: labels.get(m, m)),
            ctx.t("pack.col_won", currency=ctx.fmt.currency): df["won_amount"].astype(float),
        }
    )
    return ChartSpec(key, "overview", title, fig, data, caption, takeaway)
