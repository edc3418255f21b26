"""4P strategy: the evidence from the data beside each P — product, price, place, promotion —
and how the marketing budget is split across the mix."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components import charts, mix_charts, page, state
from components.i18n import t
from queries import mix

f = page.filters()
fmt = state.formatter()
labels = page.motion_labels()
money = fmt.currency_symbol
cur = fmt.currency


def compact_money(value: float) -> str:
    return fmt.money(value, compact=True)


def money_or_zero(value: float | None) -> str:
    """Money without cents; a plain zero rather than "$0.00" for a channel with no spend."""
    return f"{money}0" if value == 0 else fmt.money(value)


def show(fig_or_none, *, title: str, caption: str, key: str, height: int = 420) -> None:
    """The chart, or a titled empty figure when there is nothing to draw."""
    fig = fig_or_none or charts.empty_figure(
        title=title, message=t("common.no_data"), height=height
    )
    page.chart(fig, caption=caption, key=key)


def motion_split(df, category: str, value: str, *, title: str, value_title: str, **kw):
    """Pull vs push bars per category, or None when there is no value to draw."""
    data = df[df["motion_group"].isin(["pull", "push"]) & df[value].notna()]
    data = data[data[category].notna()]
    if data.empty:
        return None
    return charts.motion_bars(
        data.assign(**{category: data[category].map(lambda v: html.escape(str(v)))}),
        category=category,
        value=value,
        title=title,
        value_title=value_title,
        motion_labels=labels,
        motion="motion_group",
        **kw,
    )


page.header("strategy_4p.title", "strategy_4p.intro")
st.caption(page.period_caption(f))

# One section per P, one after another (not tabs): a planning meeting scrolls through all the
# evidence, and every chart is drawn (hidden tab panels would hold undrawn charts).
product_tab, price_tab, place_tab, promotion_tab, budget_tab = (st.container() for _ in range(5))

# -- Product ---------------------------------------------------------------------------------
with product_tab:
    st.subheader(t("strategy_4p.tab_product"))
    st.markdown(t("strategy_4p.product_question"))
    by_product = state.call(mix.by_dimension, f, "product")
    left, right = st.columns(2, gap="large")
    with left:
        title = t("strategy_4p.product_revenue_title", currency=cur)
        fig = motion_split(
            by_product,
            "product",
            "won_amount",
            title=title,
            value_title=t("kpi.won_amount"),
            value_prefix=money,
        )
        show(fig, title=title, caption=t("strategy_4p.product_revenue_caption"), key="p_rev")
    with right:
        title = t("strategy_4p.product_win_rate_title")
        fig = motion_split(
            by_product,
            "product",
            "win_rate",
            title=title,
            value_title=t("kpi.win_rate"),
            value_format=".0%",
        )
        show(fig, title=title, caption=t("strategy_4p.win_rate_caption"), key="p_win")
    trend_metric = (
        st.segmented_control(
            t("strategy_4p.trend_metric"),
            options=["won_amount", "win_rate"],
            format_func=lambda m: t(f"kpi.{m}"),
            default="won_amount",
            key="mix_trend_metric",
        )
        or "won_amount"
    )
    # the products of the chart above: the split by product is not asked for twice
    trend = state.call(mix.product_trend, f, mix.product_names(by_product))
    trend = trend[trend[trend_metric].notna()].assign(
        quarter=lambda d: [
            t("strategy_4p.partial_quarter", quarter=q) if p else q
            for q, p in zip(d["quarter"], d["is_partial"], strict=True)
        ]
    )
    is_money = trend_metric == "won_amount"
    title = t(f"strategy_4p.trend_{trend_metric}_title", currency=cur)
    fig = None
    if not trend.empty:
        fig = mix_charts.category_lines(
            trend,
            x="quarter",
            y=trend_metric,
            series="product",
            title=title,
            y_title=t(f"kpi.{trend_metric}"),
            y_prefix=money if is_money else "",
            y_format="~s" if is_money else ".0%",
            hover_format=",.0f" if is_money else ".1%",
        )
    show(fig, title=title, caption=t("strategy_4p.trend_caption"), key="p_trend")

# -- Price -----------------------------------------------------------------------------------
with price_tab:
    st.subheader(t("strategy_4p.tab_price"))
    st.markdown(t("strategy_4p.price_question"))
    curve = state.call(mix.discount_curve, f)
    band_labels = {}
    for row in curve.drop_duplicates("band_index").itertuples():
        if row.band_index == 0:
            band_labels[0] = t("strategy_4p.band_none")
        elif pd.isna(row.band_high_pct):
            band_labels[row.band_index] = t("strategy_4p.band_above", low=int(row.band_low_pct))
        else:
            band_labels[row.band_index] = t(
                "strategy_4p.band_range", low=int(row.band_low_pct), high=int(row.band_high_pct)
            )
    left, right = st.columns(2, gap="large")
    for col, metric, prefix, tick, hover in (
        (left, "win_rate", "", ".0%", ".1%"),
        (right, "avg_deal_size", money, "~s", ",.0f"),
    ):
        with col:
            title = t(f"strategy_4p.discount_{metric}_title", currency=cur)
            data = curve[curve[metric].notna()]
            fig = None
            if not data.empty:
                fig = mix_charts.discount_curve(
                    data,
                    y=metric,
                    title=title,
                    y_title=t(f"kpi.{metric}"),
                    x_title=t("strategy_4p.discount_axis"),
                    band_labels=band_labels,
                    motion_labels=labels,
                    closed_label=t("strategy_4p.closed_deals"),
                    y_prefix=prefix,
                    y_format=tick,
                    hover_format=hover,
                )
            show(
                fig,
                title=title,
                caption=t(f"strategy_4p.discount_{metric}_caption"),
                key=f"price_{metric}",
            )
    bins = state.call(mix.won_deal_size_bins, f)
    title = t("strategy_4p.sizes_title", currency=cur)
    fig = None
    if not bins.empty:
        bin_labels = {
            int(r.bin_index): f"{compact_money(r.low)}–{compact_money(r.high)}"
            for r in bins.drop_duplicates("bin_index").itertuples()
        }
        fig = mix_charts.deal_size_histogram(
            bins,
            title=title,
            x_title=t("strategy_4p.sizes_axis", currency=cur),
            y_title=t("strategy_4p.won_deals"),
            bin_labels=bin_labels,
            motion_labels=labels,
        )
    show(fig, title=title, caption=t("strategy_4p.sizes_caption"), key="price_sizes")

# -- Place -----------------------------------------------------------------------------------
with place_tab:
    st.subheader(t("strategy_4p.tab_place"))
    st.markdown(t("strategy_4p.place_question"))
    by_region = state.call(mix.by_dimension, f, "region")
    columns = st.columns(3, gap="medium")
    specs = (
        ("won_amount", money, "~s", "strategy_4p.region_revenue_caption"),
        ("win_rate", "", ".0%", "strategy_4p.win_rate_caption"),
        ("sales_cycle_days", "", ",.0f", "strategy_4p.cycle_caption"),
    )
    for col, (metric, prefix, tick, caption_key) in zip(columns, specs, strict=True):
        with col:
            title = t(f"strategy_4p.region_{metric}_title", currency=cur)
            fig = motion_split(
                by_region,
                "region",
                metric,
                title=title,
                value_title=t(f"kpi.{metric}"),
                value_prefix=prefix,
                value_format=tick,
                height=380,
            )
            show(fig, title=title, caption=t(caption_key), key=f"place_{metric}", height=380)
    grid = state.call(mix.place_grid, f)
    grid = grid[grid["win_rate"].notna()].assign(closed=lambda d: d["won"] + d["lost"])
    title = t("strategy_4p.grid_title")
    fig = None
    if not grid.empty:
        fig = mix_charts.heatmap(
            grid,
            rows="region",
            cols="segment",
            value="win_rate",
            count="closed",
            title=title,
            value_label=t("kpi.win_rate"),
            count_label=t("strategy_4p.closed_deals"),
        )
    show(fig, title=title, caption=t("strategy_4p.grid_caption"), key="place_grid")

# -- Promotion -------------------------------------------------------------------------------
with promotion_tab:
    st.subheader(t("strategy_4p.tab_promotion"))
    st.markdown(t("strategy_4p.promotion_question"))
    promo = state.call(mix.promotion, f)
    # one colour per channel on the whole page (cost per lead, budget donut)
    channel_colors = mix_charts.category_colors(promo["channel"].tolist())
    active = promo[(promo["spend"] > 0) | (promo["leads"] > 0) | (promo["pipeline_created"] > 0)]
    left, right = st.columns([3, 2], gap="large")
    with left:
        title = t("strategy_4p.promotion_title", currency=cur)
        fig = None
        if not active.empty:
            fig = mix_charts.promotion_bars(
                active,
                title=title,
                labels={
                    "spend": t("strategy_4p.spend"),
                    "pipeline_created": t("strategy_4p.pipeline_created"),
                    "won_amount": t("kpi.won_amount"),
                },
                x_title=t("strategy_4p.amount_axis", currency=cur),
                money_prefix=money,
                height=max(420, 70 * len(active) + 140),
            )
        show(fig, title=title, caption=t("strategy_4p.promotion_caption"), key="promo_bars")
    with right:
        title = t("strategy_4p.cpl_title", currency=cur)
        fig = None
        if active["cost_per_lead"].notna().any():
            fig = mix_charts.cost_per_lead_bars(
                active,
                title=title,
                x_title=t("strategy_4p.cpl_axis", currency=cur),
                leads_label=t("kpi.leads"),
                money_prefix=money,
                colors=channel_colors,
                height=max(420, 70 * len(active) + 140),
            )
        show(fig, title=title, caption=t("strategy_4p.cpl_caption"), key="promo_cpl")
    if not active.empty:
        st.dataframe(
            [
                {
                    t("strategy_4p.channel"): r.channel,
                    t("strategy_4p.spend"): money_or_zero(r.spend),
                    t("kpi.leads"): fmt.number(r.leads),
                    t("strategy_4p.cost_per_lead"): fmt.money(r.cost_per_lead),
                    t("kpi.opportunities"): fmt.number(r.opportunities),
                    t("strategy_4p.pipeline_created"): fmt.money(r.pipeline_created),
                    t("kpi.won"): fmt.number(r.won),
                    t("kpi.won_amount"): fmt.money(r.won_amount),
                    t("strategy_4p.won_per_spend"): fmt.number(r.won_per_spend, digits=1),
                }
                for r in active.itertuples()
            ],
            hide_index=True,
            width="stretch",
        )
        st.caption(t("strategy_4p.promotion_table_caption"))

# -- Budget split ----------------------------------------------------------------------------
with budget_tab:
    st.subheader(t("strategy_4p.tab_budget"))
    st.markdown(t("strategy_4p.budget_question"))
    split = state.call(mix.budget_split, f)
    marketing = split[split["category"] == "marketing"]
    sales_total = float(split.loc[split["category"] == "sales", "amount"].sum())
    marketing_total = float(marketing["amount"].sum())
    left, right = st.columns([3, 2], gap="large")
    with left:
        title = t("strategy_4p.budget_title", currency=cur)
        fig = None
        if marketing_total > 0:
            fig = mix_charts.budget_donut(
                marketing,
                title=title,
                center_text=f"{compact_money(marketing_total)}",
                money_prefix=money,
                colors=channel_colors,
                height=460,
            )
        show(fig, title=title, caption=t("strategy_4p.budget_caption"), key="budget_donut")
    with right:
        title = t("strategy_4p.engines_title")
        fig = None
        if marketing_total + sales_total > 0:
            fig = mix_charts.engine_split_bar(
                marketing_total,
                sales_total,
                title=title,
                motion_labels=labels,
                money_prefix=money,
            )
        show(
            fig,
            title=title,
            caption=t(
                "strategy_4p.engines_caption",
                marketing=fmt.money(marketing_total),
                sales=fmt.money(sales_total),
            ),
            key="budget_engines",
            height=200,
        )
        if marketing_total > 0:
            st.dataframe(
                [
                    {
                        t("strategy_4p.channel"): r.channel,
                        t("strategy_4p.spend"): fmt.money(r.amount),
                        t("strategy_4p.share_of_marketing"): fmt.pct(r.share),
                    }
                    for r in marketing.itertuples()
                ],
                hide_index=True,
                width="stretch",
            )
