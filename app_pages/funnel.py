"""Funnel health: the lifecycle funnel, stage velocity, the MQL handoff SLA and lead cohorts."""

from __future__ import annotations

import streamlit as st

from components import charts, funnel_charts, page, state
from components.i18n import t
from queries import funnel

MAX_HOURS = 168  # the response curve runs to a week; the axis opens on the first 4 days
COHORT_MONTHS = 12

f = page.filters()
fmt = state.formatter()
labels = page.motion_labels()
stage_labels = {s: t(f"funnel.stage.{s}") for s in funnel.STAGES}
step_labels = {s: t(f"funnel.step.{s}") for s in funnel.STEPS}

page.header("funnel.title", "funnel.intro")
st.caption(page.period_caption(f))

# -- 1. lifecycle funnel ---------------------------------------------------------------------
st.subheader(t("funnel.section_funnel"))
view = st.segmented_control(
    t("funnel.view"),
    options=["cohort", "period"],
    format_func=lambda v: t(f"funnel.view_{v}"),
    default="cohort",
    key="funnel_view",
)
view = view or "cohort"  # the control can be cleared; cohort is the default (DESIGN.md)
if view == "cohort":
    stages = state.call(funnel.funnel_by_cohort, f)
    title, caption = t("funnel.chart_cohort_title"), t("funnel.caption_cohort")
else:
    stages = state.call(funnel.funnel_by_period, f)
    title, caption = t("funnel.chart_period_title"), t("funnel.caption_period")
if stages.empty:
    fig = charts.empty_figure(title=title, message=t("common.no_data"))
else:
    fig = funnel_charts.lifecycle_funnel(
        stages,
        title=title,
        stage_labels=stage_labels,
        motion_labels=labels,
        step_label=t("funnel.of_previous"),
        format_pct=lambda v: fmt.pct(v, digits=0),
        format_count=fmt.number,
    )
page.chart(fig, caption=caption, key="funnel_lifecycle")

left, right = st.columns(2, gap="large")

# -- 2. stage velocity -----------------------------------------------------------------------
with left:
    st.subheader(t("funnel.section_velocity"))
    velocity = state.call(funnel.stage_velocity, f)
    title = t("funnel.velocity_title")
    if velocity.empty:
        fig = charts.empty_figure(title=title, message=t("common.no_data"))
    else:
        fig = funnel_charts.stage_velocity(
            velocity,
            title=title,
            step_labels=step_labels,
            motion_labels=labels,
            median_label=t("funnel.median"),
            p80_label=t("funnel.p80"),
            x_title=t("funnel.velocity_axis"),
        )
    page.chart(fig, caption=t("funnel.velocity_caption"), key="funnel_velocity")

# -- 3. MQL -> first sales touch handoff -----------------------------------------------------
with right:
    st.subheader(t("funnel.section_handoff"))
    sla_hours = st.number_input(
        t("funnel.sla_hours"),
        min_value=1,
        max_value=720,
        value=24,
        step=1,
        help=t("funnel.sla_help"),
        key="funnel_sla_hours",
    )
    sla = state.call(funnel.handoff_sla, f, float(sla_hours)).set_index("motion")
    shown = [m for m in ("pull", "push") if m in sla.index]
    for col, motion in zip(st.columns(max(len(shown), 1)), shown, strict=False):
        row = sla.loc[motion]
        col.metric(
            t("funnel.sla_share", motion=labels[motion], hours=sla_hours),
            fmt.pct(row["share_within_sla"]),
            help=t("funnel.sla_share_help"),
        )
        col.caption(
            t(
                "funnel.sla_detail",
                count=fmt.number(row["count_mqls"]),
                median=fmt.number(row["median_hours"], digits=1),
                untouched=fmt.number(row["count_mqls"] - row["count_touched"]),
            )
        )
    curve = state.call(funnel.handoff_response_curve, f, MAX_HOURS)
    title = t("funnel.handoff_title")
    if curve.empty:
        fig = charts.empty_figure(title=title, message=t("common.no_data"))
    else:
        fig = funnel_charts.response_curve(
            curve,
            title=title,
            motion_labels=labels,
            sla_hours=float(sla_hours),
            sla_label=t("funnel.sla_line", hours=sla_hours),
            x_title=t("funnel.handoff_axis_x"),
            y_title=t("funnel.handoff_axis_y"),
            sla_shares=sla["share_within_sla"].to_dict(),
            format_pct=fmt.pct,
        )
    page.chart(fig, caption=t("funnel.handoff_caption"), key="funnel_handoff")

# -- 4. cohort conversion heatmap ------------------------------------------------------------
st.subheader(t("funnel.section_cohorts"))
motion = st.segmented_control(
    t("funnel.cohort_motion"),
    options=["pull", "push"],
    format_func=labels.get,
    default="pull",
    key="funnel_cohort_motion",
)
motion = motion or "pull"
cohorts = state.call(funnel.lead_cohort_wins, f, COHORT_MONTHS)
title = t("funnel.cohort_title", motion=labels[motion])
if cohorts.empty or not (cohorts["motion"] == motion).any():
    fig = charts.empty_figure(title=title, message=t("common.no_data"))
else:
    fig = funnel_charts.cohort_heatmap(
        cohorts,
        title=title,
        motion=motion,
        x_title=t("funnel.cohort_axis_x"),
        y_title=t("funnel.cohort_axis_y"),
        colorbar_title=t("funnel.cohort_colorbar"),
    )
page.chart(fig, caption=t("funnel.cohort_caption"), key="funnel_cohorts")
