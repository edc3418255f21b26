"""Campaign calendar: plan campaigns across the customer journey, edit the plan, pace the spend,
judge results under an attribution model, and forecast what a planned campaign should bring.

Layout only: every chart, its takeaway and its caption come from ``views/campaigns.py``, the
functions the meeting pack and ``flywheel export`` draw; the editor lives in
``components/ui/campaign_forms.py``.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from components.i18n import t
from components.ui import campaign_forms as forms
from components.ui import page, state
from planning import attribution
from queries import campaigns
from views import campaigns as views

f = page.filters()
fmt = state.formatter()
ctx = page.context()
as_of = views.as_of(ctx)


def stage(s: object) -> str:
    return views.stage_label(ctx, s)


page.header("campaigns.title", "campaigns.intro")
as_of_key = "campaigns.as_of_today" if as_of == date.today() else "campaigns.as_of_data"
st.caption(
    page.period_caption(f) + " · " + t("campaigns.scope") + " " + t(as_of_key, date=fmt.date(as_of))
)


def plan() -> None:
    group_by, color_by, window = forms.calendar_controls(as_of)
    spec = views.timeline(ctx, group_by=group_by, color_by=color_by, **window)
    page.show(spec, key="campaigns_timeline")
    if views.no_campaigns_reason(ctx) is None:  # the timeline above says none exists
        forms.overlaps_table(views.overlaps(ctx, **window))
    page.show(views.coverage(ctx, **window), key="campaigns_coverage")


def edit() -> None:
    rows = state.call(campaigns.plan_rows)
    forms.undo_bar()
    forms.campaign_form(rows, as_of, stage)
    forms.plan_table(rows, stage)
    forms.import_plan()
    forms.export_plan(rows, stage)


def pacing() -> None:
    forms.kpi_row(views.pacing_kpis(ctx))
    page.show(views.pacing(ctx, rows=None), key="campaigns_pacing")
    if views.no_campaigns_reason(ctx) is None:  # the chart above says none exists
        forms.channel_pacing_table(views.channel_pacing(ctx))
    page.show(views.channel_month(ctx), key="campaigns_channel_month")


def results() -> None:
    allowed = views.models(ctx)
    model, half_life = forms.model_controls(allowed)
    if len(allowed) < len(attribution.MODELS):
        st.info(t("campaigns.single_touch_only"))
    st.caption(t(f"campaigns.model_help.{model}", half_life=f"{half_life:g}"))
    if none := views.no_campaigns_reason(ctx):
        st.info(none)
    else:
        forms.results_table(views.campaign_results(ctx, model=model, half_life=half_life), stage)
    st.caption(views.results_caption(ctx, model=model))
    spec = views.top_campaigns(ctx, model=model, half_life=half_life)
    page.show(spec, key="campaigns_top")
    page.show(views.credit_by_model(ctx, half_life=half_life), key="campaigns_compare")


def forecast() -> None:
    planned = views.planned_campaigns(ctx)
    if planned.empty:
        st.info(
            views.no_campaigns_reason(ctx) or t("campaigns.forecast_none", date=fmt.date(as_of))
        )
        return
    p1, p2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = p1.selectbox(
        t("campaigns.forecast_pick"),
        options=planned.index.tolist(),
        format_func=lambda c: f"{planned.loc[c, 'name']} ({c})",
        key="campaigns_forecast_pick",
    )
    budget = p2.number_input(
        t("campaigns.forecast_budget", currency=fmt.currency),
        min_value=0.0,
        value=float(planned.loc[pick, "budget"] or 0.0),
        step=1000.0,
        format="%.0f",
        key=f"campaigns_forecast_budget_{pick}",
    )
    if kpis := views.forecast_kpis(ctx, campaign_id=pick, budget=float(budget)):
        forms.kpi_row(kpis)
    page.show(views.forecast(ctx, campaign_id=pick, budget=float(budget)), key="campaigns_forecast")


# lazy tabs: only the open tab runs (attribution over every lead's path is not cheap)
page.tabs(
    "campaigns_tab",
    {"plan": plan, "edit": edit, "pacing": pacing, "results": results, "forecast": forecast},
    "campaigns.tab.",
)
