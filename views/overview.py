"""Overview: the charts of the company's two engines at a glance."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from babel.lists import format_list

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


def _join(ctx: Context, items: list[str]) -> str:
    """ "Pull and push", "拉动和推动": a list in the reader's language."""
    return format_list(items, locale="zh_Hans_CN" if ctx.lang == "zh" else "en")


# a reason on this many of the KPI cards is said once above them, not on each card
SHARED_ON = 2


@dataclass(frozen=True)
class CardNotes:
    """The reasons on the KPI cards: ``shared`` once above the cards (a reason on two cards or
    more, after the engines it concerns when not the overall figure), ``own`` per KPI the rest,
    overall's first and an engine's after its short name, and ``every`` per KPI all of them
    (the card's help)."""

    shared: list[str]
    own: dict[str, list[str]]
    every: dict[str, list[str]]


def _said(ctx: Context, sentence: str, groups: list[str]) -> str:
    """``sentence`` as it concerns ``groups``: alone when the overall figure is among them,
    else after the engines' short names ("Pull and Push: …")."""
    if "overall" in groups:
        return sentence
    names = _join(ctx, [ctx.t(f"motion.{g}_short") for g in groups])
    return ctx.t("overview.note_line", metrics=names, note=sentence)


def card_notes(ctx: Context, board: pd.DataFrame) -> CardNotes:
    """What the KPI cards say beside their figures (``board``: ``scoreboard_rows``)."""
    kpis: dict[str, set[str]] = {}
    groups: dict[str, list[str]] = {}
    per_card: dict[str, dict[str, list[str]]] = {k: {} for k in board["kpi"].unique()}
    for row in board.itertuples():
        if row.note:
            kpis.setdefault(row.note, set()).add(row.kpi)
            for seen in (
                groups.setdefault(row.note, []),
                per_card[row.kpi].setdefault(row.note, []),
            ):
                if row.group not in seen:
                    seen.append(row.group)
    shared_sentences = [s for s, on in kpis.items() if len(on) >= SHARED_ON]
    shared = [_said(ctx, s, groups[s]) for s in shared_sentences]
    every = {k: [_said(ctx, s, gs) for s, gs in said.items()] for k, said in per_card.items()}
    own = {
        k: [_said(ctx, s, gs) for s, gs in said.items() if s not in shared_sentences]
        for k, said in per_card.items()
    }
    return CardNotes(shared, own, every)


def side_by_side_notes(ctx: Context) -> list[str]:
    """The distinct reasons behind the side-by-side table's "—" and caveats, each once with the
    metrics and columns it concerns: "Blended CAC (Pull (marketing)): No marketing spend …";
    a reason on more than two metrics counts them instead of naming each ("The Pull
    (marketing) and Push (sales) columns of 9 metrics: …")."""
    now = _headline(ctx)
    by_group = notes(ctx, now)
    labels = ctx.motion_labels
    sentences: dict[str, dict[str, list[str]]] = {}
    for key, _ in SIDE_BY_SIDE:
        for g in ("overall", "pull", "push"):
            sentence = by_group.get(g, {}).get(key)
            if sentence:
                sentences.setdefault(sentence, {}).setdefault(ctx.t(f"kpi.{key}"), []).append(g)
    out = []
    for sentence, metrics_groups in sentences.items():
        # the metrics the reason concerns, by the columns it concerns in each
        by_columns: dict[tuple[str, ...], list[str]] = {}
        for metric, gs in metrics_groups.items():
            by_columns.setdefault(tuple(gs), []).append(metric)
        parts = []
        for gs, names in by_columns.items():
            columns = _join(ctx, [labels[g] for g in gs])
            if len(gs) == 3 and len(names) <= 3:
                parts.append(_join(ctx, names))
            elif len(gs) == 3:
                parts.append(ctx.t("overview.note_all_columns", count=len(names)))
            elif len(names) <= 2:
                parts.extend(f"{m} ({columns})" for m in names)
            else:
                parts.append(ctx.t("overview.note_columns", columns=columns, count=len(names)))
        out.append(ctx.t("overview.note_line", metrics="; ".join(parts), note=sentence))
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
