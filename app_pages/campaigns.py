"""Campaign calendar: the plan on a timeline, budget pacing, first-touch results, journey gaps."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from components import campaign_charts, charts, filter_bar, page, state
from components.i18n import t
from queries import campaigns

f = page.filters()
fmt = state.formatter()
labels = page.motion_labels()
stage_labels = {s: t(f"campaigns.stage.{s}") for s in campaigns.JOURNEY_STAGES}
money_prefix = fmt.currency_symbol

page.header("campaigns.title", "campaigns.intro")

today = date.today()
_, last_day = state.call(filter_bar.data_range)
as_of = campaigns.as_of_day(today, last_day)
as_of_text = (
    t("campaigns.as_of_today", date=fmt.date(as_of))
    if as_of == today
    else t("campaigns.as_of_data", date=fmt.date(as_of))
)
st.caption(page.period_caption(f) + " · " + t("campaigns.scope") + " " + as_of_text)

# -- 1. the timeline ---------------------------------------------------------------------------
c1, c2, c3 = st.columns([2, 2, 3], vertical_alignment="bottom")
group_by = c1.segmented_control(
    t("campaigns.rows"),
    options=["channel", "objective"],
    format_func=lambda k: t(f"campaigns.rows.{k}"),
    default="channel",
    key="campaigns_group_by",
)
color_by = c2.segmented_control(
    t("campaigns.colour"),
    options=["objective", "motion"],
    format_func=lambda k: t(f"campaigns.colour.{k}"),
    default="objective",
    key="campaigns_color_by",
)
upcoming = c3.toggle(
    t("campaigns.upcoming"),
    value=True,
    help=t("campaigns.upcoming_help", date=fmt.date(as_of)),
    key="campaigns_upcoming",
)
group_by = group_by or "channel"  # a segmented control can be cleared
color_by = color_by or "objective"

view_from, view_to = campaigns.calendar_window(f, as_of, upcoming=upcoming)
view = replace(f, date_from=view_from, date_to=view_to)
plan = state.call(campaigns.calendar, view, as_of)
timeline_title = t(f"campaigns.timeline_title_{group_by}", count=len(plan))
if plan.empty:
    fig = charts.empty_figure(title=timeline_title, message=t("campaigns.no_campaigns"))
else:
    fig = campaign_charts.campaign_timeline(
        plan,
        title=timeline_title,
        group_by=group_by,
        color_by=color_by,
        stage_labels=stage_labels,
        motion_labels=labels,
        hover_labels={
            k: t(f"campaigns.hover.{k}")
            for k in ("budget", "spend", "owner", "segment", "status", "all_segments")
        },
        money=fmt.money,
        day=fmt.date,
        today=as_of,
        today_label=(
            t("campaigns.today")
            if as_of == today
            else t("campaigns.data_end", date=fmt.date(as_of))
        ),
        x_range=campaigns.axis_range(view_from, view_to, as_of, plan),
    )
page.chart(
    fig,
    caption=t(
        "campaigns.timeline_caption",
        marker=t("campaigns.marker_today" if as_of == today else "campaigns.marker_data"),
        upcoming=(
            t("campaigns.timeline_upcoming", date=fmt.date(view_to)) if view_to > f.date_to else ""
        ),
    ),
    key="campaigns_timeline",
)

# -- 2. budget pacing --------------------------------------------------------------------------
st.subheader(t("campaigns.pacing_header"))
in_period = state.call(campaigns.calendar, f, as_of)
k1, k2, k3 = st.columns(3)
k1.metric(
    t("campaigns.kpi.budget"),
    fmt.money(float(in_period["budget"].sum()), compact=True),
    help=t("campaigns.kpi.budget.help"),
    border=True,
)
k2.metric(
    t("campaigns.kpi.spend"),
    fmt.money(float(in_period["spend_to_date"].sum()), compact=True),
    help=t("campaigns.kpi.spend.help"),
    border=True,
)
k3.metric(
    t("campaigns.kpi.over"),
    t(
        "campaigns.kpi.over_value",
        over=int(in_period["is_over_budget"].sum()),
        count=len(in_period),
    ),
    help=t("campaigns.kpi.over.help"),
    border=True,
)

pacing_title = t("campaigns.pacing_title", currency=fmt.currency)
if in_period.empty:
    fig = charts.empty_figure(title=pacing_title, message=t("campaigns.no_campaigns"))
else:
    fig = campaign_charts.budget_pacing(
        in_period,
        title=pacing_title,
        labels={k: t(f"campaigns.pacing.{k}") for k in ("budget", "spend", "planned")}
        | {"over_budget": t("campaigns.pacing.over")},
        motion_labels=labels,
        money_prefix=money_prefix,
        value_title=t("campaigns.pacing_axis") + f" ({fmt.currency})",
    )
page.chart(
    fig,
    caption=t("campaigns.pacing_caption", date=fmt.date(as_of)),
    key="campaigns_pacing",
)

by_month = state.call(campaigns.budget_by_channel_month, f)
month_title = t("campaigns.channel_month_title", currency=fmt.currency)
if by_month.empty:
    fig = charts.empty_figure(title=month_title, message=t("campaigns.no_campaigns"))
else:
    channel_motion = dict(zip(in_period["channel"], in_period["motion"], strict=True))
    fig = campaign_charts.channel_month_pacing(
        by_month,
        title=month_title,
        labels={
            "spend": t("campaigns.channel_month.spend"),
            "planned": t("campaigns.channel_month.planned"),
        },
        channel_motion=channel_motion,
        money_prefix=money_prefix,
    )
page.chart(fig, caption=t("campaigns.channel_month_caption"), key="campaigns_channel_month")

# -- 3. results per campaign (first touch) -------------------------------------------------------
st.subheader(t("campaigns.results_header"))
results = state.call(campaigns.results, f, as_of)
if results.empty:
    st.info(t("campaigns.no_campaigns"))
else:
    cur = fmt.currency
    table = results.assign(
        objective=results["objective"].map(lambda s: stage_labels.get(s, s)),
        start_date=results["start_date"].dt.date,
        roi=results["roi"] * 100,  # shown as a percentage, sorted as a number
    )
    columns = {
        "name": st.column_config.TextColumn(
            t("campaigns.col.campaign"), pinned=True, width="medium"
        ),
        "channel": st.column_config.TextColumn(t("campaigns.col.channel")),
        "objective": st.column_config.TextColumn(t("campaigns.col.stage")),
        "start_date": st.column_config.DateColumn(t("campaigns.col.start")),
        "count_leads": st.column_config.NumberColumn(t("campaigns.col.leads"), format="localized"),
        "count_mqls": st.column_config.NumberColumn(t("campaigns.col.mqls"), format="localized"),
        "won": st.column_config.NumberColumn(t("campaigns.col.won"), format="localized"),
        "won_amount": st.column_config.NumberColumn(
            t("campaigns.col.won_amount", currency=cur), format="localized"
        ),
        "spend": st.column_config.NumberColumn(
            t("campaigns.col.spend", currency=cur), format="localized"
        ),
        "cost_per_lead": st.column_config.NumberColumn(
            t("campaigns.col.cpl", currency=cur), format="localized"
        ),
        "roi": st.column_config.NumberColumn(t("campaigns.col.roi"), format="%.0f%%"),
    }
    st.dataframe(
        table[list(columns)].round({"won_amount": 0, "spend": 0, "cost_per_lead": 0}),
        column_config=columns,
        hide_index=True,
        width="stretch",
        key="campaigns_results_table",
    )
st.caption(t("campaigns.results_caption", date=fmt.date(as_of)))

top_n = 10
top_title = t("campaigns.top_title", n=top_n, currency=fmt.currency)
if results.empty or not (results["won_amount"] > 0).any():
    fig = charts.empty_figure(title=top_title, message=t("campaigns.no_wins"))
else:
    fig = campaign_charts.top_campaigns(
        results,
        title=top_title,
        labels={"won": t("campaigns.top.won"), "spend": t("campaigns.top.spend")},
        motion_labels=labels,
        top=top_n,
        money_prefix=money_prefix,
        value_title=t("campaigns.pacing_axis") + f" ({fmt.currency})",
    )
page.chart(fig, caption=t("campaigns.top_caption", date=fmt.date(as_of)), key="campaigns_top")

# -- 4. journey coverage -------------------------------------------------------------------------
st.subheader(t("campaigns.coverage_header"))
coverage = state.call(campaigns.journey_coverage, view)
coverage_title = t("campaigns.coverage_title")
if coverage.empty:
    fig = charts.empty_figure(title=coverage_title, message=t("common.no_data"))
else:
    fig = campaign_charts.journey_coverage(
        coverage,
        title=coverage_title,
        stage_labels=stage_labels,
        colorbar_title=t("campaigns.coverage_colorbar"),
    )
page.chart(fig, caption=t("campaigns.coverage_caption"), key="campaigns_coverage")
