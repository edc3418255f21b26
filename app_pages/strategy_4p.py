"""4P strategy: the plan per target segment (one card per P, versioned), the evidence from the
data beside each P — product, price, place, promotion — the budget split across the mix
against last period's spend, and the KPI tracker.

Layout only: every chart is a function of views/strategy_4p.py (the pack and the CLI call the
same ones), every editing form is in components/ui/mix_forms.py."""

from __future__ import annotations

import streamlit as st

from components.i18n import t
from components.ui import mix_forms, page
from views import strategy_4p as views

ctx = page.context()
page.header("strategy_4p.title", "strategy_4p.intro")
st.caption(page.period_caption(ctx.filters))

# -- the plan ----------------------------------------------------------------------------------
st.subheader(t("strategy_4p.section_plan"))
plan = views.plan_in_force(ctx)
segment = mix_forms.plan_header(ctx, plan)
if segment is not None:
    mix_forms.plan_editor(plan, segment)
mix_forms.compare_versions(ctx, plan)


def table(rows, caption_key: str | None = None) -> None:
    if len(rows):
        st.dataframe(rows, hide_index=True, width="stretch")
        if caption_key:
            st.caption(t(caption_key))


def kpis() -> None:
    st.subheader(t("strategy_4p.section_tracker"))
    st.caption(page.period_caption(ctx.filters))
    spec = views.tracker(ctx)
    page.show(spec, key="kpi_tracker")
    table(spec.data, "strategy_4p.tracker_table_caption")


def product() -> None:
    st.markdown(t("strategy_4p.product_question"))
    mix_forms.plan_card(ctx, plan, segment, "product")
    left, mid, right = st.columns(3, gap="medium")
    with left:
        page.show(views.product_revenue(ctx), key="p_rev")
    with mid:
        page.show(views.product_win_rate(ctx), key="p_win")
    with right:
        page.show(views.product_deal_size(ctx), key="p_size")
    metric = st.segmented_control(
        t("strategy_4p.trend_metric"),
        options=list(views.TREND_METRICS),
        format_func=lambda m: t(f"kpi.{m}"),
        default="won_amount",
        key="mix_trend_metric",
    )
    page.show(views.product_trend(ctx, metric=metric or "won_amount"), key="p_trend")


def price() -> None:
    st.markdown(t("strategy_4p.price_question"))
    mix_forms.plan_card(ctx, plan, segment, "price")
    left, right = st.columns(2, gap="large")
    with left:
        page.show(views.discount_win_rate(ctx), key="price_win_rate")
    with right:
        page.show(views.discount_deal_size(ctx), key="price_avg_deal_size")
    left, right = st.columns([3, 2], gap="large")
    with left:
        page.show(views.deal_sizes(ctx), key="price_sizes")
    with right:
        page.show(views.price_realisation(ctx), key="price_realisation")


def place() -> None:
    st.markdown(t("strategy_4p.place_question"))
    mix_forms.plan_card(ctx, plan, segment, "place")
    dimension = st.segmented_control(
        t("strategy_4p.place_by"),
        options=list(views.PLACE_DIMENSIONS),
        format_func=lambda d: t(f"strategy_4p.place_dim.{d}"),
        default="region",
        key="mix_place_dimension",
    )
    charts = (views.place_revenue, views.place_win_rate, views.place_cycle)
    for column, view in zip(st.columns(3, gap="medium"), charts, strict=True):
        with column:
            spec = view(ctx, dimension=dimension or "region")
            page.show(spec, key=spec.key.split(".", 1)[1])
    page.show(views.place_grid(ctx), key="place_grid")


def promotion() -> None:
    st.markdown(t("strategy_4p.promotion_question"))
    mix_forms.plan_card(ctx, plan, segment, "promotion")
    left, right = st.columns([3, 2], gap="large")
    with left:
        page.show(views.promotion(ctx), key="promo_bars")
    with right:
        page.show(views.cost_per_lead(ctx), key="promo_cpl")
    table(views.promotion_table(ctx), "strategy_4p.promotion_table_caption")


def budget() -> None:
    st.markdown(t("strategy_4p.budget_question"))
    left, right = st.columns([3, 2], gap="large")
    with left:
        page.show(views.budget_split(ctx), key="budget_donut")
    with right:
        page.show(views.engine_split(ctx), key="budget_engines")
        table(views.marketing_table(ctx))
    # the budget plan: lines of the mix against last period's actual spend
    st.markdown(f"#### {t('strategy_4p.budget_plan_title')}")
    edit = mix_forms.budget_editor(ctx)
    if not edit.drawable:  # an amount that is not a number: the refusal says which
        return
    spec = views.budget_plan(ctx, year=edit.year, lines=edit.lines, saved=edit.is_saved)
    implied = views.implied_plan(ctx, edit.lines)
    left, right = st.columns([1, 1], gap="large")
    with left:
        page.show(spec, key="budget_plan")
    with right:
        table(views.implied_table(ctx, implied))
        st.markdown(views.implied_totals(ctx, implied))
        st.caption(t("strategy_4p.implied_caption"))


# One lazy tab per question: only the open tab runs its queries (a meeting gets every chart
# through present mode and the meeting pack instead).
page.tabs(
    "strategy_4p_tab",
    {
        "kpis": kpis,
        "product": product,
        "price": price,
        "place": place,
        "promotion": promotion,
        "budget": budget,
    },
    "strategy_4p.tab_",
)
