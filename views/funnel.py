"""Funnel health: the lifecycle funnel and the stages between lead and won deal."""

from __future__ import annotations

import pandas as pd

from components import (
    funnel_charts,
)
from queries import funnel
from views.registry import view
from views.spec import ChartSpec, Context


@view("funnel", "lifecycle")
def lifecycle(ctx: Context) -> ChartSpec:
    key = "funnel.lifecycle"
    title = ctx.t("pack.funnel_title")
    caption = ctx.t("pack.funnel_caption")
    df = ctx.ask(funnel.funnel_by_period, ctx.filters)
    if df.empty:
        return ctx.empty(key, title, caption)
    labels = ctx.motion_labels
    stage_labels = {s: ctx.t(f"pack.stage.{s}") for s in funnel.STAGES}
    fig = funnel_charts.lifecycle_funnel(
        df,
        title=title,
        stage_labels=stage_labels,
        motion_labels=labels,
        step_label=ctx.t("pack.of_previous"),
        format_pct=lambda v: ctx.fmt.pct(v, digits=0),
        format_count=ctx.fmt.number,
    )
    won = df[df["stage"] == "won"].set_index("motion")["share_of_first"]
    pull, push = float(won.get("pull", float("nan"))), float(won.get("push", float("nan")))
    ratio = pull / push if push and pull == pull and push == push else float("nan")
    takeaway = ctx.t(
        "pack.funnel_takeaway",
        pull=ctx.fmt.pct(pull, digits=1),
        push=ctx.fmt.pct(push, digits=1),
        ratio=ctx.fmt.number(ratio, digits=1),
    )
    data = pd.DataFrame(
        {
            ctx.t("pack.col_motion"): df["motion"].map(lambda m: labels.get(m, m)),
            ctx.t("pack.col_stage"): df["stage"].map(lambda s: stage_labels.get(s, s)),
            ctx.t("pack.col_reached"): df["count_reached"].astype(int),
            ctx.t("pack.col_step"): df["step_conversion"].astype(float),
            ctx.t("pack.col_of_first"): df["share_of_first"].astype(float),
        }
    )
    return ChartSpec(key, "funnel", title, fig, data, caption, takeaway)
