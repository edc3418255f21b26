"""Meeting packs: a curated sequence of charts built without Streamlit.

``build(ws, filters, lang=..., pages=...)`` calls the query functions and the chart builders the
pages use and returns a list of ``ChartSpec`` (title, figure, data, caption, takeaway). Present
mode, the app's pack download and ``flywheel export`` all draw from here, so a meeting sees the
same numbers as the pages.

Adding a chart: write one function ``(ctx: PackContext) -> ChartSpec`` and decorate it with
``@entry("<page>", "<key>")``; it joins that page's preset pack in the order entries are
declared. Only stable queries and builders belong here (a page being rewritten registers its
charts once it has settled).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go

from components import (
    campaign_charts,
    charts,
    engines_charts,
    funnel_charts,
    kpi_tracker,
    market_charts,
    mix_charts,
    scoreboard,
)
from components.fmt import Formatter
from components.i18n import translate
from components.navigation import PAGES, url_path
from planning import attribution, budget_mix, campaign_plan, market_sizing, pacing, plan_versions
from queries import campaigns, engines, funnel, market, metrics, mix, plans
from queries.filters import ALL_FROM, ALL_TO, Filters
from queries.workspace import Workspace

HORIZON_MONTHS = 12
MAX_PACING_ROWS = 15  # rows a slide shows readably
log = logging.getLogger("flywheel.packs")


@dataclass(frozen=True)
class ChartSpec:
    key: str  # unique in the registry, e.g. "overview.won_by_month"
    page: str  # the page whose preset pack holds it
    title: str
    figure: go.Figure
    data: pd.DataFrame  # the table behind the chart, readable column names
    caption: str  # how it was computed (the metric definition)
    takeaway: str  # the one line a meeting should remember


@dataclass(frozen=True)
class PackContext:
    ws: Workspace
    filters: Filters
    lang: str
    fmt: Formatter
    settings: dict[str, str] = field(default_factory=dict)

    def t(self, key: str, **kwargs: object) -> str:
        return translate(key, self.lang, **kwargs)

    @property
    def motion_labels(self) -> dict[str, str]:
        return {m: self.t(f"motion.{m}") for m in ("pull", "push", "overall", "unmapped")}

    def no_data(self, key: str, title: str, caption: str) -> ChartSpec:
        page = key.split(".", 1)[0]
        fig = charts.empty_figure(title=title, message=self.t("common.no_data"))
        return ChartSpec(key, page, title, fig, pd.DataFrame(), caption, self.t("common.no_data"))


@dataclass(frozen=True)
class Entry:
    page: str
    key: str  # page + "." + name
    build: Callable[[PackContext], ChartSpec]


REGISTRY: dict[str, Entry] = {}


def entry(page: str, name: str) -> Callable[[Callable[[PackContext], ChartSpec]], Callable]:
    """Register a pack chart under ``page`` (decorator); see the module docstring."""

    def register(fn: Callable[[PackContext], ChartSpec]) -> Callable[[PackContext], ChartSpec]:
        key = f"{page}.{name}"
        if key in REGISTRY:
            raise ValueError(f"pack chart {key!r} registered twice")
        REGISTRY[key] = Entry(page, key, fn)
        return fn

    return register


def _ordered() -> list[Entry]:
    """The registered charts in the app's menu order of their pages (a deck follows the app),
    and in registration order within a page."""
    order = {url_path(script) or "overview": i for i, (script, _, _) in enumerate(PAGES)}
    entries = list(REGISTRY.values())
    return sorted(entries, key=lambda e: (order.get(e.page, len(order)), entries.index(e)))


def pages() -> list[str]:
    """Pages with a preset pack, in the app's menu order."""
    return list(dict.fromkeys(e.page for e in _ordered()))


def preset(page: str) -> list[str]:
    """The keys of a page's preset pack."""
    return [e.key for e in _ordered() if e.page == page]


def context(ws: Workspace, filters: Filters, lang: str = "en") -> PackContext:
    s = ws.settings()
    return PackContext(ws, filters, lang, Formatter.safe(s.get("locale"), s.get("currency")), s)


def build(
    ws: Workspace,
    filters: Filters,
    *,
    lang: str = "en",
    pages: list[str] | tuple[str, ...] | None = None,
    keys: list[str] | tuple[str, ...] | None = None,
) -> list[ChartSpec]:
    """The charts of the chosen pages' presets (all pages when None) or of the chosen keys,
    in the app's menu order."""
    unknown = [k for k in (keys or ()) if k not in REGISTRY]
    unknown += [p for p in (pages or ()) if p not in set(e.page for e in REGISTRY.values())]
    if unknown:
        raise ValueError(f"unknown pack charts or pages: {unknown}")
    ctx = context(ws, filters, lang)
    chosen = [
        e
        for e in _ordered()
        if (keys is not None and e.key in keys)
        or (keys is None and (pages is None or e.page in pages))
    ]
    specs = []
    for e in chosen:
        try:
            specs.append(e.build(ctx))
        except Exception:  # one broken chart must not cost the meeting its whole pack
            log.exception("pack chart %s failed", e.key)
    return specs


# -- what every pack says about itself ----------------------------------------------------------
def data_date(ws: Workspace) -> date | None:
    """The last day with any lead, deal or spend: "data as of"."""
    row = ws.query("data_date_range").iloc[0]
    return None if pd.isna(row["last_day"]) else pd.Timestamp(row["last_day"]).date()


def data_range(ws: Workspace) -> tuple[date, date]:
    """First and last day with data (today's last year on an empty workspace)."""
    row = ws.query("data_date_range").iloc[0]
    if pd.isna(row["first_day"]) or pd.isna(row["last_day"]):
        today = date.today()
        return today - timedelta(days=364), today
    return pd.Timestamp(row["first_day"]).date(), pd.Timestamp(row["last_day"]).date()


def default_period(first: date, last: date) -> tuple[date, date]:
    """The app's default period, the last twelve full months of data, for the command line.

    The same rule as ``components.filter_bar.default_period`` (which imports Streamlit); a test
    holds the two equal until that function moves to queries/filters.py.
    """
    end_month_start = date(last.year, last.month, 1)
    month_end = (pd.Timestamp(end_month_start) + pd.offsets.MonthEnd(0)).date()
    end = month_end if month_end == last else end_month_start - timedelta(days=1)
    if end < first:
        end = last
    start = (pd.Timestamp(end) - pd.DateOffset(years=1) + timedelta(days=1)).date()
    return max(start, first), end


def describe_filters(filters: Filters, fmt: Formatter, lang: str) -> str:
    """'Period 1 Nov 2025 – 31 Oct 2026 · Segment: SMB, Mid-market · ...' in ``lang``."""
    parts = []
    if filters.date_from == ALL_FROM and filters.date_to == ALL_TO:
        parts.append(translate("pack.all_time", lang))
    else:
        parts.append(
            translate("filters.period", lang)
            + " "
            + translate(
                "common.period",
                lang,
                start=fmt.date(filters.date_from),
                end=fmt.date(filters.date_to),
            )
        )
    for name, values in (
        ("segment", filters.segments),
        ("region", filters.regions),
        ("product", filters.products),
        ("owner", filters.owners),
    ):
        label = translate(f"filters.{name}", lang)
        shown = ", ".join(values) if values else translate("filters.all", lang)
        parts.append(f"{label}: {shown}")
    return " · ".join(parts)


def kpi_summary(ws: Workspace, filters: Filters, lang: str = "en") -> pd.DataFrame:
    """The shared KPIs (the Overview's scoreboard) for the closing slide: one row per KPI with
    the label, overall, pull and push values formatted, and the overall change against the
    previous period."""
    ctx = context(ws, filters, lang)
    now = metrics.headline(ws, filters)
    before = metrics.headline(ws, filters.previous_period())
    board = scoreboard.rows(now, before, ctx.fmt, ctx.t("common.pp"))
    out = []
    for kpi in scoreboard.SCOREBOARD:
        part = board[board.kpi == kpi.key].set_index("group")
        out.append(
            {
                "kpi": kpi.key,
                "label": ctx.t(f"kpi.{kpi.key}"),
                "overall": part.loc["overall", "text"],
                "pull": part.loc["pull", "text"],
                "push": part.loc["push", "text"],
                "change": part.loc["overall", "change_text"] or "",
                "improved": part.loc["overall", "improved"],
            }
        )
    return pd.DataFrame(out)


@dataclass(frozen=True)
class PackMeta:
    """The cover and footer facts shared by the HTML and PPTX writers."""

    title: str
    company: str
    filters_text: str
    data_date: str
    generated: str
    lang: str


def meta(ws: Workspace, filters: Filters, lang: str, company: str) -> PackMeta:
    ctx = context(ws, filters, lang)
    last = data_date(ws)
    return PackMeta(
        title=ctx.t("pack.title"),
        company=company,
        filters_text=describe_filters(filters, ctx.fmt, lang),
        data_date=ctx.t("pack.data_as_of", date=ctx.fmt.date(last)),
        generated=ctx.t("pack.generated", when=ctx.fmt.date(datetime.now().date())),
        lang=lang,
    )


# -- the charts ---------------------------------------------------------------------------------
def _share(part: float, whole: float) -> float:
    return part / whole if whole else float("nan")


@entry("overview", "won_by_month")
def _won_by_month(ctx: PackContext) -> ChartSpec:
    key = "overview.won_by_month"
    title = ctx.t("overview.chart_won_title", currency=ctx.fmt.currency)
    caption = ctx.t("overview.chart_won_caption")
    df = metrics.won_revenue_by_month(ctx.ws, ctx.filters)
    if df.empty:
        return ctx.no_data(key, title, caption)
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


@entry("funnel", "lifecycle")
def _lifecycle(ctx: PackContext) -> ChartSpec:
    key = "funnel.lifecycle"
    title = ctx.t("pack.funnel_title")
    caption = ctx.t("pack.funnel_caption")
    df = funnel.funnel_by_period(ctx.ws, ctx.filters)
    if df.empty:
        return ctx.no_data(key, title, caption)
    labels = ctx.motion_labels
    stage_labels = {s: ctx.t(f"pack.stage.{s}") for s in funnel.STAGES}
    fig = funnel_charts.lifecycle_funnel(
        df,
        title=title,
        stage_labels=stage_labels,
        motion_labels=labels,
        step_label=ctx.t("pack.of_previous"),
        format_pct=lambda v: ctx.fmt.pct(v, digits=0),
        format_count=ctx.fmt.number,
    )
    won = df[df["stage"] == "won"].set_index("motion")["share_of_first"]
    pull, push = float(won.get("pull", float("nan"))), float(won.get("push", float("nan")))
    ratio = pull / push if push and pull == pull and push == push else float("nan")
    takeaway = ctx.t(
        "pack.funnel_takeaway",
        pull=ctx.fmt.pct(pull, digits=1),
        push=ctx.fmt.pct(push, digits=1),
        ratio=ctx.fmt.number(ratio, digits=1),
    )
    data = pd.DataFrame(
        {
            ctx.t("pack.col_motion"): df["motion"].map(lambda m: labels.get(m, m)),
            ctx.t("pack.col_stage"): df["stage"].map(lambda s: stage_labels.get(s, s)),
            ctx.t("pack.col_reached"): df["count_reached"].astype(int),
            ctx.t("pack.col_step"): df["step_conversion"].astype(float),
            ctx.t("pack.col_of_first"): df["share_of_first"].astype(float),
        }
    )
    return ChartSpec(key, "funnel", title, fig, data, caption, takeaway)


@entry("scenarios", "engines_by_quarter")
def _engines(ctx: PackContext) -> ChartSpec:
    key = "scenarios.engines_by_quarter"
    cur = ctx.fmt.currency
    title = ctx.t("pack.engines_title", currency=cur)
    share = float(ctx.settings.get("pull_share_of_sales", "0") or 0)
    caption = ctx.t("pack.engines_caption", share=ctx.fmt.pct(share, digits=0))
    df = engines.engines_by_quarter(ctx.ws, ctx.filters)
    if df.empty:
        return ctx.no_data(key, title, caption)
    labels = ctx.motion_labels
    fig = engines_charts.engines_by_quarter(
        df,
        title=title,
        panel_titles={k: ctx.t(f"pack.panel.{k}", currency=cur) for k in engines.ENGINE_METRICS},
        motion_labels=labels,
        money_prefix=ctx.fmt.currency_symbol,
    )
    complete = df[~df["is_partial"]] if "is_partial" in df else df
    last_q = complete["quarter"].max() if not complete.empty else df["quarter"].max()
    q = df[df["quarter"] == last_q].set_index("motion_group")

    def val(m: str, col: str) -> float:
        return float(q.loc[m, col]) if m in q.index and pd.notna(q.loc[m, col]) else float("nan")

    takeaway = ctx.t(
        "pack.engines_takeaway",
        quarter=last_q,
        pull_cac=ctx.fmt.money(val("pull", "cac"), compact=True),
        push_cac=ctx.fmt.money(val("push", "cac"), compact=True),
        pull_won=ctx.fmt.money(val("pull", "won_amount"), compact=True),
        push_won=ctx.fmt.money(val("push", "won_amount"), compact=True),
    )
    shown = df[df["motion_group"].isin(["pull", "push"])]
    data = pd.DataFrame(
        {
            ctx.t("pack.col_quarter"): shown["quarter"],
            ctx.t("pack.col_motion"): shown["motion_group"].map(lambda m: labels.get(m, m)),
        }
        | {
            ctx.t(f"pack.panel.{k}", currency=cur): shown[k].astype(float)
            for k in engines.ENGINE_METRICS
        }
        | {ctx.t("pack.col_partial"): shown["is_partial"].astype(bool)}
    )
    return ChartSpec(key, "scenarios", title, fig, data, caption, takeaway)


@entry("scenarios", "value_per_lead")
def _value_per_lead(ctx: PackContext) -> ChartSpec:
    key = "scenarios.value_per_lead"
    cur = ctx.fmt.currency
    title = ctx.t("pack.horizon_title", currency=cur)
    caption = ctx.t("pack.horizon_caption")
    df = engines.value_per_lead_by_age(ctx.ws, ctx.filters, HORIZON_MONTHS)
    if df.empty:
        return ctx.no_data(key, title, caption)
    labels = ctx.motion_labels
    fig = engines_charts.value_per_lead_curve(
        df,
        title=title,
        x_title=ctx.t("pack.horizon_axis_x"),
        y_title=ctx.t("pack.horizon_axis_y"),
        motion_labels=labels,
        cohorts_label=ctx.t("pack.horizon_cohorts"),
        y_prefix=ctx.fmt.currency_symbol,
    )

    def at(m: str, month: int) -> float:
        part = df[(df["motion"] == m) & (df["months_since"] <= month)]
        return (
            float(part.sort_values("months_since")["won_per_lead"].iloc[-1])
            if len(part)
            else float("nan")
        )

    short, long = 3, int(df["months_since"].max())
    takeaway = ctx.t(
        "pack.horizon_takeaway",
        short=short,
        long=long,
        pull_short=ctx.fmt.money(at("pull", short)),
        push_short=ctx.fmt.money(at("push", short)),
        pull_long=ctx.fmt.money(at("pull", long)),
        push_long=ctx.fmt.money(at("push", long)),
    )
    data = pd.DataFrame(
        {
            ctx.t("pack.col_motion"): df["motion"].map(lambda m: labels.get(m, m)),
            ctx.t("pack.horizon_axis_x"): df["months_since"].astype(int),
            ctx.t("pack.col_per_lead", currency=cur): df["won_per_lead"].astype(float),
            ctx.t("pack.horizon_cohorts"): df["count_cohorts"].astype(int),
        }
    )
    return ChartSpec(key, "scenarios", title, fig, data, caption, takeaway)


# -- Market analysis ----------------------------------------------------------------------------
# The page's default view: the newest market year the data cover in full, all segments.
def _market_year(ctx: PackContext) -> int | None:
    first, last = market.data_span(ctx.ws)
    return market.default_year(market.market_years(ctx.ws), first, last)


def _compact(ctx: PackContext, value: float) -> str:
    return ctx.fmt.money(value, compact=True)


@entry("market", "som_check")
def _market_som(ctx: PackContext) -> ChartSpec:
    key = "market.som_check"
    cur = ctx.fmt.currency
    year = _market_year(ctx)
    f = ctx.filters
    caption = ctx.t(
        "market.som_reach_caption",
        limit=ctx.fmt.number(market_sizing.STRETCH_LIMIT, digits=0),
        start=ctx.fmt.date(f.date_from),
        end=ctx.fmt.date(f.date_to),
    )
    title = ctx.t("market.som_title", year=year if year is not None else "—", currency=cur)
    if year is None:
        return ctx.no_data(key, title, caption)
    sizing = market.sizing_table(
        market.segment_sizes(ctx.ws, f), market.won_by_segment(ctx.ws, f, year), year
    )
    funnel_rows = market.funnel_by_segment(
        metrics.deal_metrics_by(ctx.ws, f, "segment"), market.open_pipeline_by_segment(ctx.ws, f)
    )
    reach = market_sizing.reach_table(sizing, funnel_rows, f.days)
    if reach.empty:
        return ctx.no_data(key, title, caption)
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
        money_text=lambda v: _compact(ctx, v),
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


@entry("market", "attractiveness")
def _market_bubbles(ctx: PackContext) -> ChartSpec:
    key = "market.attractiveness"
    cur = ctx.fmt.currency
    year = _market_year(ctx)
    title = ctx.t("market.bubbles_title", year=year if year is not None else "—", currency=cur)
    caption = ctx.t("market.bubbles_caption")
    if year is None:
        return ctx.no_data(key, title, caption)
    f = ctx.filters
    segments = market.attractiveness_table(
        market.segment_sizes(ctx.ws, f), market.won_by_segment(ctx.ws, f, year), year
    )
    if segments.empty:
        return ctx.no_data(key, title, caption)
    scored = market_sizing.attractiveness_scores(segments)
    labels = ctx.motion_labels

    def pct(v: float | None) -> str:
        return ctx.fmt.pct(v, digits=0)

    hover = {
        r.segment: "<br>".join(
            [
                f"<b>{html.escape(str(r.segment))}</b>",
                f"{ctx.t('market.size.sam')}: {_compact(ctx, r.sam)}",
                f"{ctx.t('market.growth')}: {ctx.fmt.number(r.growth_pct, digits=1)}%",
                f"{ctx.t('market.won_revenue')}: {_compact(ctx, r.won_amount)}",
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
        money_text=lambda v: _compact(ctx, v),
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


@entry("market", "win_rate_by_segment")
def _market_insight(ctx: PackContext) -> ChartSpec:
    key = "market.win_rate_by_segment"
    title = ctx.t(
        "market.insight_win_rate_title", dimension=ctx.t("market.dim.segment"), currency=""
    )
    caption = ctx.t("market.insight_win_rate_caption")
    insight = metrics.deal_metrics_by(ctx.ws, ctx.filters, "segment")
    insight = insight[insight["motion_group"].isin(["pull", "push"])].rename(
        columns={"dimension_value": "segment"}
    )
    data = insight[insight["segment"].notna() & insight["win_rate"].notna()]
    if data.empty:
        return ctx.no_data(key, title, caption)
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


# -- 4P strategy --------------------------------------------------------------------------------
def _empty_spec(ctx: PackContext, key: str, title: str, caption: str, message: str) -> ChartSpec:
    """A titled empty chart that says why (e.g. no plan saved yet), not just "no data"."""
    fig = charts.empty_figure(title=title, message=message)
    return ChartSpec(key, key.split(".", 1)[0], title, fig, pd.DataFrame(), caption, message)


@entry("strategy_4p", "kpi_tracker")
def _kpi_tracker(ctx: PackContext) -> ChartSpec:
    key = "strategy_4p.kpi_tracker"
    title = ctx.t("strategy_4p.tracker_title")
    caption = ctx.t("strategy_4p.tracker_caption", band=ctx.fmt.pct(plan_versions.AMBER_BAND))
    f = ctx.filters
    version_list = plans.versions(ctx.ws)
    if version_list.empty:
        return ctx.no_data(key, title, caption)
    plan_now = plans.items(ctx.ws, int(version_list["version_id"].iloc[0]))
    track = plan_versions.tracker(
        plan_now,
        plan_versions.kpi_actuals(mix.by_dimension(ctx.ws, f, "segment")),
        plan_versions.kpi_actuals(mix.by_dimension(ctx.ws, f.previous_period(), "segment")),
    )
    if track.empty:
        return _empty_spec(ctx, key, title, caption, ctx.t("strategy_4p.no_kpis"))
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


@entry("strategy_4p", "budget_plan")
def _budget_plan(ctx: PackContext) -> ChartSpec:
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
    promo = mix.with_cac(mix.promotion(ctx.ws, f))
    _saved_total, saved_lines = plans.budget(ctx.ws, plan_year)
    channels = promo.loc[promo["spend"] > 0, "channel"].tolist()
    if saved_lines.empty:
        if not channels:
            return ctx.no_data(key, title, caption)
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
        return ctx.no_data(key, title, caption)
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
            planned=_compact(ctx, sums["amount"]),
            actual=_compact(ctx, sums["actual"]),
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


# -- Campaign calendar --------------------------------------------------------------------------
def _campaign_as_of(ctx: PackContext) -> date:
    """The page's "to date": today, or the data's last day when the data stop before it."""
    return campaigns.as_of_day(date.today(), data_date(ctx.ws))


def _next_quarter_window(as_of: date) -> tuple[date, date]:
    """From the first day of ``as_of``'s month to the last day of the calendar quarter after
    ``as_of``'s: what runs now and what is planned through next quarter."""
    start = as_of.replace(day=1)
    _, this_quarter_end = campaigns.zoom_window("quarter", as_of)
    _, next_quarter_end = campaigns.zoom_window("quarter", this_quarter_end + timedelta(days=1))
    return start, next_quarter_end


@entry("campaigns", "next_quarter")
def _campaign_timeline(ctx: PackContext) -> ChartSpec:
    key = "campaigns.next_quarter"
    as_of = _campaign_as_of(ctx)
    view_from, view_to = _next_quarter_window(as_of)
    view = replace(ctx.filters, date_from=view_from, date_to=view_to)
    plan = campaigns.calendar(ctx.ws, view, as_of)
    pairs = campaign_plan.overlaps(plan)
    plan = plan.assign(count_overlaps=campaign_plan.overlap_counts(plan, pairs).to_numpy())
    title = ctx.t(
        "pack.campaigns_timeline_title",
        start=ctx.fmt.date(view_from),
        end=ctx.fmt.date(view_to),
        count=len(plan),
    )
    at_today = as_of == date.today()
    caption = (
        ctx.t(
            "pack.campaigns_timeline_window",
            start=ctx.fmt.date(view_from),
            end=ctx.fmt.date(view_to),
            as_of=ctx.fmt.date(as_of),
        )
        + " "
        + ctx.t(
            "campaigns.timeline_caption",
            marker=ctx.t("campaigns.marker_today" if at_today else "campaigns.marker_data"),
            upcoming="",
        )
    )
    if plan.empty:
        return ctx.no_data(key, title, caption)
    stage_labels = {s: ctx.t(f"campaigns.stage.{s}") for s in campaigns.JOURNEY_STAGES}
    fig = campaign_charts.campaign_timeline(
        plan,
        title=title,
        group_by="channel",
        color_by="objective",
        stage_labels=stage_labels,
        motion_labels=ctx.motion_labels,
        hover_labels={
            k: ctx.t(f"campaigns.hover.{k}")
            for k in ("budget", "spend", "owner", "segment", "status", "all_segments", "overlaps")
        },
        money=ctx.fmt.money,
        day=ctx.fmt.date,
        today=as_of,
        today_label=(
            ctx.t("campaigns.today")
            if at_today
            else ctx.t("campaigns.data_end", date=ctx.fmt.date(as_of))
        ),
        x_range=(view_from, view_to + timedelta(days=1)),
    )
    busiest = plan.groupby("channel")["budget"].sum().sort_values(ascending=False)
    takeaway = ctx.t(
        "campaigns.timeline_takeaway",
        count=len(plan),
        budget=_compact(ctx, float(plan["budget"].sum())),
        channel=busiest.index[0],
        share=ctx.fmt.pct(float(busiest.iloc[0] / max(busiest.sum(), 1e-9))),
    )
    cur = ctx.fmt.currency
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.campaign"): plan["name"].astype(str),
            ctx.t("campaigns.col.channel"): plan["channel"].astype(str),
            ctx.t("campaigns.col.stage"): plan["objective"].map(
                lambda s: stage_labels.get(s, s) if isinstance(s, str) else "—"
            ),
            ctx.t("campaigns.field.start_date"): plan["start_date"].dt.date,
            ctx.t("campaigns.field.end_date"): plan["end_date"].dt.date,
            f"{ctx.t('campaigns.field.budget')} ({cur})": plan["budget"].astype(float),
            f"{ctx.t('campaigns.hover.spend')} ({cur})": plan["spend_to_date"].astype(float),
            ctx.t("campaigns.field.status"): plan["status"].map(
                lambda s: ctx.t(f"campaigns.status.{s}") if s in campaign_plan.STATUSES else s
            ),
            ctx.t("campaigns.field.owner"): plan["owner"],
            ctx.t("campaigns.field.segment"): plan["segment"].fillna(
                ctx.t("campaigns.hover.all_segments")
            ),
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)


@entry("campaigns", "pacing")
def _campaign_pacing(ctx: PackContext) -> ChartSpec:
    key = "campaigns.pacing"
    cur = ctx.fmt.currency
    as_of = _campaign_as_of(ctx)
    in_period = pacing.pace(campaigns.calendar(ctx.ws, ctx.filters, as_of))
    page_caption = ctx.t("campaigns.pacing_caption", date=ctx.fmt.date(as_of))
    # A slide holds about fifteen readable rows: the campaigns a meeting acts on are those
    # still running and those off pace; the others ended on pace (all stay in the data).
    focus = in_period[
        (in_period["share_elapsed"] < 1) | in_period["pace_status"].isin(["over", "under"])
    ].nlargest(MAX_PACING_ROWS, "budget")
    if focus.empty:
        focus = in_period.nlargest(MAX_PACING_ROWS, "budget")
        title = ctx.t("campaigns.pacing_title", currency=cur)
        caption = page_caption
    else:
        title = ctx.t("pack.pacing_title", currency=cur)
        caption = (
            ctx.t(
                "pack.pacing_subset",
                shown=len(focus),
                total=len(in_period),
                date=ctx.fmt.date(as_of),
            )
            + " "
            + page_caption
        )
    if in_period.empty:
        return ctx.no_data(key, ctx.t("campaigns.pacing_title", currency=cur), page_caption)
    fig = campaign_charts.budget_pacing(
        focus,
        title=title,
        labels={
            k: ctx.t(f"campaigns.pacing.{k}")
            for k in ("budget", "spend", "planned", "projected", "under")
        }
        | {"over_budget": ctx.t("campaigns.pacing.over")},
        motion_labels=ctx.motion_labels,
        money_prefix=ctx.fmt.currency_symbol,
        value_title=ctx.t("campaigns.pacing_axis") + f" ({cur})",
    )
    variance = float(in_period["projected_variance"].sum())
    takeaway = ctx.t(
        "pack.pacing_takeaway",
        total=len(in_period),
        over=int((in_period["pace_status"] == "over").sum()),
        under=int((in_period["pace_status"] == "under").sum()),
        projected=_compact(ctx, float(in_period["projected_spend"].sum())),
        budget=_compact(ctx, float(in_period["budget"].sum())),
        variance=_compact(ctx, abs(variance)),
        direction=ctx.t("campaigns.over" if variance > 0 else "campaigns.under"),
    )
    shown = in_period.sort_values(["start_date", "campaign_id"])
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.campaign"): shown["name"].astype(str),
            ctx.t("campaigns.col.channel"): shown["channel"].astype(str),
            f"{ctx.t('campaigns.pacing.budget')} ({cur})": shown["budget"].astype(float),
            f"{ctx.t('campaigns.pacing.planned')} ({cur})": shown["planned_to_date"].astype(float),
            f"{ctx.t('campaigns.pacing.spend')} ({cur})": shown["spend_to_date"].astype(float),
            f"{ctx.t('campaigns.pacing.projected')} ({cur})": shown["projected_spend"].astype(
                float
            ),
            ctx.t("campaigns.col.pace"): shown["pace_status"].map(
                lambda s: ctx.t(f"campaigns.pace.{s}")
            ),
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)


@entry("campaigns", "credit_by_model")
def _campaign_credit(ctx: PackContext) -> ChartSpec:
    key = "campaigns.credit_by_model"
    cur = ctx.fmt.currency
    as_of = _campaign_as_of(ctx)
    half_life = attribution.HALF_LIFE_DAYS
    title = ctx.t("campaigns.compare_title", currency=cur)
    caption = ctx.t(
        "campaigns.compare_caption", date=ctx.fmt.date(as_of), half_life=f"{half_life:g}"
    )
    multi = campaigns.has_touch_paths(ctx.ws, as_of)
    allowed = tuple(attribution.MODELS if multi else attribution.SINGLE_TOUCH_MODELS)
    credit = campaigns.channel_credit(ctx.ws, as_of, allowed, half_life)
    if credit.empty or credit["won_amount"].sum() <= 0:
        return ctx.no_data(key, title, caption)
    model_labels = {m: ctx.t(f"campaigns.model.{m}") for m in allowed}
    fig = campaign_charts.model_comparison(
        credit,
        title=title,
        model_labels=model_labels,
        channel_motion=campaigns.channel_motions(ctx.ws),
        money_prefix=ctx.fmt.currency_symbol,
        value_title=ctx.t("campaigns.compare_axis", currency=cur),
    )
    grid = credit.pivot_table(index="channel", columns="model", values="won_amount")
    spread = (grid.max(axis=1) - grid.min(axis=1)).sort_values(ascending=False)
    ch = spread.index[0]
    takeaway = ctx.t(
        "campaigns.compare_takeaway",
        channel=ch,
        low=_compact(ctx, float(grid.loc[ch].min())),
        low_model=model_labels[grid.loc[ch].idxmin()],
        high=_compact(ctx, float(grid.loc[ch].max())),
        high_model=model_labels[grid.loc[ch].idxmax()],
    )
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.channel"): credit["channel"].astype(str),
            ctx.t("pack.col_model"): credit["model"].map(model_labels),
            ctx.t("campaigns.compare_axis", currency=cur): credit["won_amount"].astype(float),
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)


def render_pack(
    ws: Workspace,
    filters: Filters,
    *,
    fmt: str,
    lang: str = "en",
    pages: list[str] | tuple[str, ...] | None = None,
    keys: list[str] | tuple[str, ...] | None = None,
) -> bytes:
    """The whole pack as a file's bytes: ``fmt`` "html" or "pptx" (the app and the CLI)."""
    from components import pack_html, pack_pptx
    from queries import branding

    specs = build(ws, filters, lang=lang, pages=pages, keys=keys)
    brand = branding.brand(ws)
    info = meta(ws, filters, lang, brand.company)
    kpis = kpi_summary(ws, filters, lang)
    if fmt == "html":
        return pack_html.render(specs, meta=info, brand=brand, kpis=kpis).encode("utf-8")
    if fmt == "pptx":
        return pack_pptx.render(specs, meta=info, brand=brand, kpis=kpis)
    raise ValueError(f"unknown pack format {fmt!r}; expected html or pptx")
