"""Overview: the charts of the company's two engines at a glance."""

from __future__ import annotations

import pandas as pd

from components.charts import base as charts
from planning.handoff import mql_definition
from queries import metrics
from queries.filters import Filters
from views import funnel as funnel_views
from views import scoreboard
from views.registry import view
from views.spec import ChartSpec, Context

# The side-by-side table: every shared metric, overall and per engine.
SIDE_BY_SIDE = (
    ("leads", "count"),
    ("mqls", "count"),
    ("sqls", "count"),
    ("opportunities", "count"),
    ("won", "count"),
    ("win_rate", "rate"),
    ("avg_deal_size", "money"),
    ("sales_cycle_days", "days"),
    ("won_amount", "money"),
    ("new_customers", "count"),
    ("cac", "money"),
    ("pipeline_velocity", "money"),
)


def _headline(ctx: Context, filters: Filters | None = None) -> pd.DataFrame:
    """The headline metrics, MQLs by the context's saved MQL definition (as on Funnel
    health)."""
    return ctx.ask(metrics.headline, filters or ctx.filters, mql_definition(ctx.settings))


def scoreboard_rows(ctx: Context) -> pd.DataFrame:
    """The shared-goal KPIs (``views.scoreboard.SCOREBOARD``), overall, pull and push,
    formatted, with the change against the previous period of the same length: one row per
    KPI and group. The page's metric cards and the pack's closing slide read these rows."""
    now = _headline(ctx)
    before = _headline(ctx, ctx.filters.previous_period())
    return scoreboard.rows(now, before, ctx.fmt, ctx.t("common.pp"), notes(ctx, now))


def notes(ctx: Context, now: pd.DataFrame | None = None) -> dict[str, dict[str, str]]:
    """Per group and metric, why a figure is "—" or what distorts it (queries.metrics.notes)."""
    if now is None:
        now = _headline(ctx)
    return {
        g: metrics.notes(now.loc[g].to_dict(), g, ctx.filters, ctx.lang)
        for g in ("overall", "pull", "push")
        if g in now.index
    }


def side_by_side(ctx: Context) -> pd.DataFrame:
    """Every shared metric for the period, one row each, overall / pull / push formatted."""
    now = _headline(ctx)
    labels = ctx.motion_labels
    out = []
    for key, kind in SIDE_BY_SIDE:
        kpi = scoreboard.Kpi(key, kind)
        out.append(
            {ctx.t("overview.col_metric"): ctx.t(f"kpi.{key}")}
            | {
                labels[g]: scoreboard.format_value(
                    kpi, now.loc[g, key] if g in now.index else None, ctx.fmt
                )
                for g in ("overall", "pull", "push")
            }
        )
    return pd.DataFrame(out)


def side_by_side_notes(ctx: Context) -> list[str]:
    """The distinct reasons behind the side-by-side table's "—" and caveats, each once with the
    metrics and engines it concerns: "Blended CAC (pull, push): No spend imported — …"."""
    now = _headline(ctx)
    by_group = notes(ctx, now)
    labels = ctx.motion_labels
    sentences: dict[str, dict[str, list[str]]] = {}
    for key, _ in SIDE_BY_SIDE:
        for g in ("overall", "pull", "push"):
            sentence = by_group.get(g, {}).get(key)
            if sentence:
                groups = sentences.setdefault(sentence, {}).setdefault(ctx.t(f"kpi.{key}"), [])
                groups.append(labels[g])
    out = []
    for sentence, metrics_groups in sentences.items():
        named = "; ".join(f"{m} ({', '.join(gs)})" for m, gs in metrics_groups.items())
        out.append(ctx.t("overview.note_line", metrics=named, note=sentence))
    return out


def mql_caption(ctx: Context) -> str:
    """Which MQL definition the MQL counts follow: the one saved on Funnel health."""
    return ctx.t("overview.mql_definition", rule=funnel_views.mql_text(ctx))


def _share(part: float, whole: float) -> float:
    return part / whole if whole else float("nan")


@view("overview", "won_by_month")
def won_by_month(ctx: Context) -> ChartSpec:
    key = "overview.won_by_month"
    title = ctx.t("overview.chart_won_title", currency=ctx.fmt.currency)
    caption = ctx.t("overview.chart_won_caption")
    df = ctx.ask(metrics.won_revenue_by_month, ctx.filters)
    if df.empty:  # no deal won in the period: say so, not "no data"
        return ctx.empty(key, title, caption, ctx.t("overview.won_none"))
    if df["won_amount"].isna().all():
        won = ctx.fmt.number(int(df["won"].sum()))
        return ctx.empty(key, title, caption, ctx.t("overview.won_no_amounts", count=won))
    df = df[df["won_amount"].notna()]
    labels = ctx.motion_labels
    fig = charts.motion_time_series(
        df,
        x="month",
        y="won_amount",
        title=title,
        y_title=ctx.t("overview.won_axis"),
        motion_labels=labels,
        y_prefix=ctx.fmt.currency_symbol,
    )
    totals = df.groupby("motion")["won_amount"].sum()
    pull, push = float(totals.get("pull", 0.0)), float(totals.get("push", 0.0))
    # no split to state when neither engine won anything (e.g. no source has a motion yet);
    # when one engine won nothing, say that rather than "against $0.00"
    if pull + push <= 0:
        takeaway = ""
    elif pull <= 0 or push <= 0:
        winner, loser = ("pull", "push") if push <= 0 else ("push", "pull")
        takeaway = ctx.t(
            "overview.won_one_engine",
            engine=labels[winner],
            amount=ctx.fmt.money(max(pull, push), compact=True),
            other=labels[loser],
        )
    else:
        takeaway = ctx.t(
            "pack.won_takeaway",
            share=ctx.fmt.pct(_share(pull, pull + push), digits=0),
            pull=ctx.fmt.money(pull, compact=True),
            push=ctx.fmt.money(push, compact=True),
        )
    data = pd.DataFrame(
        {
            ctx.t("pack.col_month"): pd.to_datetime(df["month"]).dt.strftime("%Y-%m"),
            ctx.t("pack.col_motion"): df["motion"].map(lambda m: labels.get(m, m)),
            ctx.t("pack.col_won", currency=ctx.fmt.currency): df["won_amount"].astype(float),
        }
    )
    return ChartSpec(key, "overview", title, fig, data, caption, takeaway)
