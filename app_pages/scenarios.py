"""Pull vs push & scenarios: the two engines compared by quarter, short term against long term,
and the channel spend-to-leads history the scenario planner will be fitted to."""

from __future__ import annotations

import streamlit as st

from components import charts, engines_charts, page, state
from components.i18n import t
from queries import engines

HORIZON_MONTHS = 12
SHORT_TERM_MONTH = 3  # "this quarter": what a lead has paid back about one quarter on

f = page.filters()
fmt = state.formatter()
labels = page.motion_labels()
currency = fmt.currency
symbol = fmt.currency_symbol

page.header("scenarios.title", "scenarios.intro")
st.caption(page.period_caption(f))

# -- 1. the engines by quarter ---------------------------------------------------------------
st.subheader(t("scenarios.section_quarters"))
quarters = state.call(engines.engines_by_quarter, f)
title = t("scenarios.quarters_title", currency=currency)
if quarters.empty:
    fig = charts.empty_figure(title=title, message=t("common.no_data"))
else:
    fig = engines_charts.engines_by_quarter(
        quarters,
        title=title,
        panel_titles={
            key: t(f"scenarios.panel.{key}", currency=currency) for key in engines.ENGINE_METRICS
        },
        motion_labels=labels,
        money_prefix=symbol,
    )
wide = engines.whole_quarters(f)
share = float(state.settings().get("pull_share_of_sales", "0") or 0)
page.chart(
    fig,
    caption=t(
        "scenarios.quarters_caption",
        start=fmt.date(wide.date_from),
        end=fmt.date(wide.date_to),
        share=fmt.pct(min(max(share, 0.0), 1.0), digits=0),
    ),
    key="scenarios_quarters",
)

# -- 2. short term against long term ---------------------------------------------------------
st.subheader(t("scenarios.section_horizon"))
value = state.call(engines.value_per_lead_by_age, f, HORIZON_MONTHS)
title = t("scenarios.horizon_title", currency=currency)
if value.empty:
    fig = charts.empty_figure(title=title, message=t("common.no_data"))
else:
    fig = engines_charts.value_per_lead_curve(
        value,
        title=title,
        x_title=t("scenarios.horizon_axis_x"),
        y_title=t("scenarios.horizon_axis_y"),
        motion_labels=labels,
        cohorts_label=t("scenarios.horizon_cohorts"),
        y_prefix=symbol,
    )
    by_motion = {
        m: part.set_index("months_since")["won_per_lead"] for m, part in value.groupby("motion")
    }
    if {"pull", "push"} <= by_motion.keys():
        long = int(min(by_motion["pull"].index.max(), by_motion["push"].index.max()))
        short = min(SHORT_TERM_MONTH, long)
        if long > short:
            # escaped: two "$" amounts in one line would otherwise render as LaTeX
            st.markdown(
                t(
                    "scenarios.horizon_summary",
                    short=short,
                    long=long,
                    pull_short=fmt.money(by_motion["pull"].get(short)),
                    push_short=fmt.money(by_motion["push"].get(short)),
                    pull_long=fmt.money(by_motion["pull"].get(long)),
                    push_long=fmt.money(by_motion["push"].get(long)),
                ).replace("$", "\\$")
            )
page.chart(fig, caption=t("scenarios.horizon_caption"), key="scenarios_horizon")

# -- 3. marketing response per channel -------------------------------------------------------
st.subheader(t("scenarios.section_response"))
response = state.call(engines.channel_spend_vs_leads, f)
title = t("scenarios.response_title")
if response.empty:
    fig = charts.empty_figure(title=title, message=t("common.no_data"))
else:
    fig = engines_charts.channel_response_grid(
        response,
        title=title,
        x_title=t("scenarios.response_axis_x") + f" ({currency})",
        y_title=t("scenarios.response_axis_y"),
        cost_label=t("scenarios.response_cost"),
        x_prefix=symbol,
    )
page.chart(fig, caption=t("scenarios.response_caption"), key="scenarios_response")
