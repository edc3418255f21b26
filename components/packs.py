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

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go

from components import charts, engines_charts, funnel_charts, scoreboard
from components.fmt import Formatter
from components.i18n import translate
from queries import engines, funnel, metrics
from queries.filters import ALL_FROM, ALL_TO, Filters
from queries.workspace import Workspace

HORIZON_MONTHS = 12
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


def pages() -> list[str]:
    """Pages with a preset pack, in registry order."""
    return list(dict.fromkeys(e.page for e in REGISTRY.values()))


def preset(page: str) -> list[str]:
    """The keys of a page's preset pack."""
    return [k for k, e in REGISTRY.items() if e.page == page]


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
    in registry order."""
    unknown = [k for k in (keys or ()) if k not in REGISTRY]
    unknown += [p for p in (pages or ()) if p not in set(e.page for e in REGISTRY.values())]
    if unknown:
        raise ValueError(f"unknown pack charts or pages: {unknown}")
    ctx = context(ws, filters, lang)
    chosen = [
        e
        for k, e in REGISTRY.items()
        if (keys is not None and k in keys) or (keys is None and (pages is None or e.page in pages))
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
