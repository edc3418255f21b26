"""Market analysis: sizing, attractiveness and customer insight from the CRM."""

from __future__ import annotations

import html

import pandas as pd

from components import (
    charts,
    market_charts,
)
from planning import market_sizing
from queries import market, metrics
from views.registry import view
from views.spec import ChartSpec, Context


# The page's default view: the newest market year the data cover in full, all segments.
def default_year(ctx: Context) -> int | None:
    first, last = ctx.ask(market.data_span)
    return market.default_year(ctx.ask(market.market_years), first, last)


@view("market", "som_check")
def som_check(ctx: Context) -> ChartSpec:
    key = "market.som_check"
    cur = ctx.fmt.currency
    year = default_year(ctx)
    f = ctx.filters
    caption = ctx.t(
        "market.som_reach_caption",
        limit=ctx.fmt.number(market_sizing.STRETCH_LIMIT, digits=0),
        start=ctx.fmt.date(f.date_from),
        end=ctx.fmt.date(f.date_to),
    )
    title = ctx.t("market.som_title", year=year if year is not None else "—", currency=cur)
    if year is None:
        return ctx.empty(key, title, caption)
    sizing = market.sizing_table(
        ctx.ask(market.segment_sizes, f), ctx.ask(market.won_by_segment, f, year), year
    )
    funnel_rows = market.funnel_by_segment(
        ctx.ask(metrics.deal_metrics_by, f, "segment"), ctx.ask(market.open_pipeline_by_segment, f)
    )
    reach = market_sizing.reach_table(sizing, funnel_rows, f.days)
    if reach.empty:
        return ctx.empty(key, title, caption)
    coverage = {
        r.segment: (
            ctx.t("market.needs_growth", times=ctx.fmt.number(r.needed_growth, digits=1))
            if pd.notna(r.needed_growth)
            else ""
        )
        for r in reach.itertuples()
    }
    fig = market_charts.som_check(
        reach.assign(som_status=reach["reach"]),
        title=title,
        som_label=ctx.t("market.size.som"),
        motion_labels=ctx.motion_labels,
        status_labels={s: ctx.t(f"market.reach.{s}") for s in market.REACH_STATUSES},
        coverage_texts=coverage,
        x_title=ctx.t("market.won_vs_som_axis", currency=cur),
        money_prefix=ctx.fmt.currency_symbol,
        money_text=lambda v: ctx.money(v),
        deliverable_label=ctx.t("market.deliverable"),
    )
    unreachable = reach.loc[reach["reach"] == "unreachable", "segment"].astype(str).tolist()
    takeaway = (
        ctx.t("market.unreachable_takeaway", segments=", ".join(unreachable))
        if unreachable
        else ctx.t("market.reachable_takeaway")
    )
    data = pd.DataFrame(
        {
            ctx.t("filters.segment"): reach["segment"].astype(str),
            f"{ctx.t('market.size.som')} ({cur})": reach["som"].astype(float),
            ctx.t("pack.col_won", currency=cur): reach["won_amount"].astype(float),
            ctx.t("market.col_opps_year"): reach["opportunities_per_year"].astype(float),
            ctx.t("kpi.win_rate"): reach["win_rate"].astype(float),
            f"{ctx.t('kpi.avg_deal_size')} ({cur})": reach["avg_deal_size"].astype(float),
            f"{ctx.t('market.deliverable')} ({cur})": reach["deliverable"].astype(float),
            ctx.t("pack.col_needed_growth"): reach["needed_growth"].astype(float),
            ctx.t("market.col_reach"): reach["reach"].map(lambda s: ctx.t(f"market.reach.{s}")),
        }
    )
    return ChartSpec(key, "market", title, fig, data, caption, takeaway)


@view("market", "attractiveness")
def attractiveness(ctx: Context) -> ChartSpec:
    key = "market.attractiveness"
    cur = ctx.fmt.currency
    year = default_year(ctx)
    title = ctx.t("market.bubbles_title", year=year if year is not None else "—", currency=cur)
    caption = ctx.t("market.bubbles_caption")
    if year is None:
        return ctx.empty(key, title, caption)
    f = ctx.filters
    segments = market.attractiveness_table(
        ctx.ask(market.segment_sizes, f), ctx.ask(market.won_by_segment, f, year), year
    )
    if segments.empty:
        return ctx.empty(key, title, caption)
    scored = market_sizing.attractiveness_scores(segments)
    labels = ctx.motion_labels

    def pct(v: float | None) -> str:
        return ctx.fmt.pct(v, digits=0)

    hover = {
        r.segment: "<br>".join(
            [
                f"<b>{html.escape(str(r.segment))}</b>",
                f"{ctx.t('market.size.sam')}: {ctx.money(r.sam)}",
                f"{ctx.t('market.growth')}: {ctx.fmt.number(r.growth_pct, digits=1)}%",
                f"{ctx.t('market.won_revenue')}: {ctx.money(r.won_amount)}",
                f"{ctx.t('kpi.win_rate')}: {pct(r.win_rate)} "
                f"({labels['pull']} {pct(r.win_rate_pull)}, "
                f"{labels['push']} {pct(r.win_rate_push)})",
            ]
        )
        for r in segments.itertuples()
    }
    fig = market_charts.attractiveness_bubbles(
        segments,
        title=title,
        x_title=ctx.t("market.sam_axis", currency=cur),
        y_title=ctx.t("market.growth_axis"),
        hover_texts=hover,
        money_prefix=ctx.fmt.currency_symbol,
        money_text=lambda v: ctx.money(v),
    )
    takeaway = ctx.t("market.bubbles_takeaway", segment=scored["segment"].iloc[0])
    data = pd.DataFrame(
        {
            ctx.t("market.col_rank"): scored["rank"].astype(int),
            ctx.t("filters.segment"): scored["segment"].astype(str),
            ctx.t("market.col_score"): (100 * scored["score"].astype(float)).round(0),
            f"{ctx.t('market.size.sam')} ({cur})": scored["sam"].astype(float),
            ctx.t("market.growth_axis"): scored["growth_pct"].astype(float),
            ctx.t("pack.col_won", currency=cur): scored["won_amount"].astype(float),
            ctx.t("kpi.win_rate"): scored["win_rate"].astype(float),
            f"{ctx.t('kpi.win_rate')}, {labels['pull']}": scored["win_rate_pull"].astype(float),
            f"{ctx.t('kpi.win_rate')}, {labels['push']}": scored["win_rate_push"].astype(float),
        }
    )
    return ChartSpec(key, "market", title, fig, data, caption, takeaway)


@view("market", "win_rate_by_segment")
def win_rate_by_segment(ctx: Context) -> ChartSpec:
    key = "market.win_rate_by_segment"
    title = ctx.t(
        "market.insight_win_rate_title", dimension=ctx.t("market.dim.segment"), currency=""
    )
    caption = ctx.t("market.insight_win_rate_caption")
    insight = ctx.ask(metrics.deal_metrics_by, ctx.filters, "segment")
    insight = insight[insight["motion_group"].isin(["pull", "push"])].rename(
        columns={"dimension_value": "segment"}
    )
    data = insight[insight["segment"].notna() & insight["win_rate"].notna()]
    if data.empty:
        return ctx.empty(key, title, caption)
    labels = ctx.motion_labels
    fig = charts.motion_bars(
        data.assign(segment=data["segment"].map(lambda v: html.escape(str(v)))),
        category="segment",
        value="win_rate",
        title=title,
        value_title=ctx.t("kpi.win_rate"),
        motion_labels=labels,
        motion="motion_group",
        value_format=".0%",
    )
    grid = data.pivot_table(index="segment", columns="motion_group", values="win_rate")
    if {"pull", "push"} <= set(grid.columns) and grid[["pull", "push"]].notna().all(axis=1).any():
        gap = (grid["pull"] - grid["push"]).abs().dropna().sort_values(ascending=False)
        seg = gap.index[0]
        takeaway = ctx.t(
            "pack.insight_takeaway",
            segment=str(seg),
            pull=ctx.fmt.pct(float(grid.loc[seg, "pull"]), digits=0),
            push=ctx.fmt.pct(float(grid.loc[seg, "push"]), digits=0),
        )
    else:
        best = data.sort_values("win_rate", ascending=False).iloc[0]
        takeaway = ctx.t(
            "market.insight_takeaway",
            metric=ctx.t("kpi.win_rate"),
            where=str(best["segment"]),
            motion=labels.get(best["motion_group"], best["motion_group"]),
        )
    table = pd.DataFrame(
        {
            ctx.t("filters.segment"): data["segment"].astype(str),
            ctx.t("pack.col_motion"): data["motion_group"].map(lambda m: labels.get(m, m)),
            ctx.t("kpi.win_rate"): data["win_rate"].astype(float),
            ctx.t("kpi.won"): data["won"].astype(int),
            ctx.t("kpi.lost"): data["lost"].astype(int),
        }
    )
    return ChartSpec(key, "market", title, fig, table, caption, takeaway)
