"""Scenario planner: the two engines by quarter and the value of a lead over time."""

from __future__ import annotations

import pandas as pd

from components import (
    engines_charts,
)
from queries import engines
from views.registry import view
from views.spec import ChartSpec, Context

HORIZON_MONTHS = 12  # the value-per-lead curve's default horizon


@view("scenarios", "engines_by_quarter")
def engines_by_quarter(ctx: Context) -> ChartSpec:
    key = "scenarios.engines_by_quarter"
    cur = ctx.fmt.currency
    title = ctx.t("pack.engines_title", currency=cur)
    share = float(ctx.settings.get("pull_share_of_sales", "0") or 0)
    caption = ctx.t("pack.engines_caption", share=ctx.fmt.pct(share, digits=0))
    df = ctx.ask(engines.engines_by_quarter, ctx.filters)
    if df.empty:
        return ctx.empty(key, title, caption)
    labels = ctx.motion_labels
    fig = engines_charts.engines_by_quarter(
        df,
        title=title,
        panel_titles={k: ctx.t(f"pack.panel.{k}", currency=cur) for k in engines.ENGINE_METRICS},
        motion_labels=labels,
        money_prefix=ctx.fmt.currency_symbol,
    )
    complete = df[~df["is_partial"]] if "is_partial" in df else df
    last_q = complete["quarter"].max() if not complete.empty else df["quarter"].max()
    q = df[df["quarter"] == last_q].set_index("motion_group")

    def val(m: str, col: str) -> float:
        return float(q.loc[m, col]) if m in q.index and pd.notna(q.loc[m, col]) else float("nan")

    takeaway = ctx.t(
        "pack.engines_takeaway",
        quarter=last_q,
        pull_cac=ctx.fmt.money(val("pull", "cac"), compact=True),
        push_cac=ctx.fmt.money(val("push", "cac"), compact=True),
        pull_won=ctx.fmt.money(val("pull", "won_amount"), compact=True),
        push_won=ctx.fmt.money(val("push", "won_amount"), compact=True),
    )
    shown = df[df["motion_group"].isin(["pull", "push"])]
    data = pd.DataFrame(
        {
            ctx.t("pack.col_quarter"): shown["quarter"],
            ctx.t("pack.col_motion"): shown["motion_group"].map(lambda m: labels.get(m, m)),
        }
        | {
            ctx.t(f"pack.panel.{k}", currency=cur): shown[k].astype(float)
            for k in engines.ENGINE_METRICS
        }
        | {ctx.t("pack.col_partial"): shown["is_partial"].astype(bool)}
    )
    return ChartSpec(key, "scenarios", title, fig, data, caption, takeaway)


@view("scenarios", "value_per_lead")
def value_per_lead(ctx: Context) -> ChartSpec:
    key = "scenarios.value_per_lead"
    cur = ctx.fmt.currency
    title = ctx.t("pack.horizon_title", currency=cur)
    caption = ctx.t("pack.horizon_caption")
    df = ctx.ask(engines.value_per_lead_by_age, ctx.filters, HORIZON_MONTHS)
    if df.empty:
        return ctx.empty(key, title, caption)
    labels = ctx.motion_labels
    fig = engines_charts.value_per_lead_curve(
        df,
        title=title,
        x_title=ctx.t("pack.horizon_axis_x"),
        y_title=ctx.t("pack.horizon_axis_y"),
        motion_labels=labels,
        cohorts_label=ctx.t("pack.horizon_cohorts"),
        y_prefix=ctx.fmt.currency_symbol,
    )

    def at(m: str, month: int) -> float:
        part = df[(df["motion"] == m) & (df["months_since"] <= month)]
        return (
            float(part.sort_values("months_since")["won_per_lead"].iloc[-1])
            if len(part)
            else float("nan")
        )

    short, long = 3, int(df["months_since"].max())
    takeaway = ctx.t(
        "pack.horizon_takeaway",
        short=short,
        long=long,
        pull_short=ctx.fmt.money(at("pull", short)),
        push_short=ctx.fmt.money(at("push", short)),
        pull_long=ctx.fmt.money(at("pull", long)),
        push_long=ctx.fmt.money(at("push", long)),
    )
    data = pd.DataFrame(
        {
            ctx.t("pack.col_motion"): df["motion"].map(lambda m: labels.get(m, m)),
            ctx.t("pack.horizon_axis_x"): df["months_since"].astype(int),
            ctx.t("pack.col_per_lead", currency=cur): df["won_per_lead"].astype(float),
            ctx.t("pack.horizon_cohorts"): df["count_cohorts"].astype(int),
        }
    )
    return ChartSpec(key, "scenarios", title, fig, data, caption, takeaway)
