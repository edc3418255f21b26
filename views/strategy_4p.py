"""4P strategy: the KPI tracker and the budget plan."""

from __future__ import annotations

import pandas as pd

from components import (
    kpi_tracker,
    mix_charts,
)
from planning import budget_mix, plan_versions
from queries import mix, plans
from views.registry import view
from views.spec import ChartSpec, Context


@view("strategy_4p", "kpi_tracker")
def tracker(ctx: Context) -> ChartSpec:
    key = "strategy_4p.kpi_tracker"
    title = ctx.t("strategy_4p.tracker_title")
    caption = ctx.t("strategy_4p.tracker_caption", band=ctx.fmt.pct(plan_versions.AMBER_BAND))
    f = ctx.filters
    version_list = ctx.ask(plans.versions)
    if version_list.empty:
        return ctx.empty(key, title, caption)
    plan_now = ctx.ask(plans.items, int(version_list["version_id"].iloc[0]))
    track = plan_versions.tracker(
        plan_now,
        plan_versions.kpi_actuals(ctx.ask(mix.by_dimension, f, "segment")),
        plan_versions.kpi_actuals(ctx.ask(mix.by_dimension, f.previous_period(), "segment")),
    )
    if track.empty:
        return ctx.empty(key, title, caption, ctx.t("strategy_4p.no_kpis"))
    p_names = kpi_tracker.p_names(ctx.t)
    kpi_names = kpi_tracker.kpi_names(ctx.t)
    light_names = kpi_tracker.light_names(ctx.t)
    shown = kpi_tracker.tracker_rows(track, ctx.fmt, ctx.t)
    fig = mix_charts.kpi_attainment(
        shown,
        title=title,
        x_title=ctx.t("strategy_4p.attainment_axis"),
        light_labels=light_names,
    )
    takeaway = ctx.t(
        "strategy_4p.tracker_takeaway",
        green=int((shown["light"] == "green").sum()),
        total=len(shown),
        red=int((shown["light"] == "red").sum()),
    )
    data = pd.DataFrame(
        {
            ctx.t("filters.segment"): shown["segment"].astype(str),
            "P": shown["p"].map(p_names),
            ctx.t("strategy_4p.field.kpi"): shown["kpi"].map(kpi_names),
            ctx.t("strategy_4p.field.target"): [
                kpi_tracker.kpi_text(r.kpi, r.target, ctx.fmt, ctx.t) for r in shown.itertuples()
            ],
            ctx.t("strategy_4p.actual"): [
                kpi_tracker.kpi_text(r.kpi, r.actual, ctx.fmt, ctx.t) for r in shown.itertuples()
            ],
            ctx.t("strategy_4p.previous_period"): [
                kpi_tracker.kpi_text(r.kpi, r.previous, ctx.fmt, ctx.t) for r in shown.itertuples()
            ],
            ctx.t("strategy_4p.attainment_axis"): shown["attainment"].astype(float),
            ctx.t("strategy_4p.light_col"): shown["light"].map(light_names),
        }
    )
    return ChartSpec(key, "strategy_4p", title, fig, data, caption, takeaway)


@view("strategy_4p", "budget_plan")
def budget_plan(ctx: Context) -> ChartSpec:
    key = "strategy_4p.budget_plan"
    cur = ctx.fmt.currency
    f = ctx.filters
    plan_year = f.date_to.year + 1  # the page's default: the year after the period
    title = ctx.t("strategy_4p.budget_vs_actual_title", year=plan_year, currency=cur)
    caption = ctx.t(
        "strategy_4p.budget_vs_actual_caption",
        start=ctx.fmt.date(f.date_from),
        end=ctx.fmt.date(f.date_to),
    )
    promo = mix.with_cac(ctx.ask(mix.promotion, f))
    _saved_total, saved_lines = ctx.ask(plans.budget, plan_year)
    channels = promo.loc[promo["spend"] > 0, "channel"].tolist()
    if saved_lines.empty:
        if not channels:
            return ctx.empty(key, title, caption)
        lines = budget_mix.default_lines(
            channels, dict(zip(promo["channel"], promo["spend"], strict=True))
        )
    else:
        lines = saved_lines
        known = set(lines.loc[lines["kind"] == "channel", "line"])
        missing = [c for c in channels if c not in known]
        if missing:
            lines = pd.concat(
                [lines, pd.DataFrame({"kind": "channel", "line": missing, "amount": 0.0})],
                ignore_index=True,
            )
    implied = budget_mix.plan_against_history(
        lines.assign(amount=pd.to_numeric(lines["amount"], errors="coerce")), promo
    )
    p_names = {p: ctx.t(f"strategy_4p.tab_{p}") for p in budget_mix.MIX_LINES}
    implied["label"] = [
        p_names.get(r.line, r.line) if r.kind == "mix" else str(r.line)
        for r in implied.itertuples()
    ]
    if not (implied["amount"].fillna(0).any() or implied["actual"].fillna(0).any()):
        return ctx.empty(key, title, caption)
    fig = mix_charts.budget_vs_actual(
        implied,
        title=title,
        labels={
            "amount": ctx.t("strategy_4p.budget_planned_year", year=plan_year),
            "actual": ctx.t("strategy_4p.budget_actual"),
        },
        x_title=ctx.t("strategy_4p.amount_axis", currency=cur),
        money_prefix=ctx.fmt.currency_symbol,
        height=max(380, 44 * len(implied) + 140),
    )
    if saved_lines.empty:
        takeaway = ctx.t("strategy_4p.budget_unsaved")
    else:
        sums = budget_mix.totals(implied)
        moved = implied.assign(delta=implied["change"].abs()).dropna(subset=["delta"])
        biggest = moved.sort_values("delta").iloc[-1] if not moved.empty else None
        takeaway = ctx.t(
            "pack.budget_plan_takeaway",
            year=plan_year,
            planned=ctx.money(sums["amount"]),
            actual=ctx.money(sums["actual"]),
            name=str(biggest["label"]) if biggest is not None else "—",
            change=ctx.fmt.money(float(biggest["change"])) if biggest is not None else "—",
        )
    data = pd.DataFrame(
        {
            ctx.t("strategy_4p.budget_line"): implied["label"],
            ctx.t("strategy_4p.budget_kind"): implied["kind"].map(
                lambda k: ctx.t(f"strategy_4p.line_kind.{k}")
            ),
            f"{ctx.t('strategy_4p.budget_planned_year', year=plan_year)} ({cur})": implied[
                "amount"
            ].astype(float),
            f"{ctx.t('strategy_4p.budget_actual')} ({cur})": implied["actual"].astype(float),
            ctx.t("pack.col_change", currency=cur): implied["change"].astype(float),
            ctx.t("strategy_4p.implied_leads"): implied["implied_leads"].astype(float).round(0),
            f"{ctx.t('strategy_4p.implied_pipeline')} ({cur})": implied["implied_pipeline"].astype(
                float
            ),
        }
    )
    return ChartSpec(key, "strategy_4p", title, fig, data, caption, takeaway)
