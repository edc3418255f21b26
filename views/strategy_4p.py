"""4P strategy: the plan in force and its KPI tracker, the evidence beside each P (product,
price, place, promotion), the budget split and the budget plan.

One function per chart: the page, present mode, the meeting pack and ``flywheel export`` call
the same function, so they show the same title and takeaway. The helpers at the top are the
page's data (the plan in force, the budget lines); the tables at the bottom are the figures a
page lays beside a chart, formatted the same way.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from components.charts import base as charts
from components.charts import mix as mix_charts
from planning import budget_mix, data_checks, plan_versions
from queries import data_admin, market, mix, plans
from queries.filters import Filters
from queries.workspace import Workspace
from views import funnel as funnel_views
from views import kpi_tracker
from views.registry import view
from views.spec import ChartSpec, Context

PAGE = "strategy_4p"


# -- the plan in force -------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """The plan in force: its versions (newest first), its items, the target segments and the
    segments a plan can be written for (targets first, then those of the plan, else the
    market's segments)."""

    versions: pd.DataFrame
    items: pd.DataFrame
    targets: tuple[str, ...]
    segments: list[str]

    @property
    def latest_id(self) -> int | None:
        return None if self.versions.empty else int(self.versions["version_id"].iloc[0])


def plan_in_force(ctx: Context) -> Plan:
    version_list = ctx.ask(plans.versions)
    latest = None if version_list.empty else int(version_list["version_id"].iloc[0])
    items = ctx.ask(plans.items, latest)
    targets = tuple(ctx.ask(plans.target_segments))
    named = [s for s in [*targets, *items["segment"].tolist()] if not is_blank(s)]
    segments = list(dict.fromkeys(str(s) for s in named))
    if not segments:
        segments = [s for s in ctx.ask(market.segment_names, ctx.filters) if not is_blank(s)]
    return Plan(version_list, items, targets, segments)


def kpi_track(ctx: Context, items: pd.DataFrame) -> pd.DataFrame:
    """``plan_versions.tracker``: each plan KPI's metric for its segment, this period and the
    one before (deal_metrics_by by segment: the same definitions as everywhere)."""
    f = ctx.filters
    return plan_versions.tracker(
        items,
        ctx.ask(segment_kpi_actuals, f),
        ctx.ask(segment_kpi_actuals, f.previous_period()),
    )


def segment_kpi_actuals(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """``plan_versions.kpi_actuals`` of ``mix.by_dimension(..., "segment")``: asked through the
    app's cache as a whole (the tracker and every tab's plan card read it on each run; the
    frame by segment has no other reader on the page)."""
    return plan_versions.kpi_actuals(mix.by_dimension(ws, filters, "segment"))


def segment_text(segment: object) -> str:
    """A segment as shown: "—" when there is none (absence is not "None")."""
    return "—" if is_blank(segment) else str(segment)


def card_title(ctx: Context, p: str, segment: object) -> str:
    """ "Product · SMB"; "Product · —" without a segment. Escaped: it is markdown."""
    name = kpi_tracker.p_names(ctx.t)[p]
    return ctx.t("strategy_4p.card_title", p=name, segment=html.escape(segment_text(segment)))


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# -- KPI tracker ---------------------------------------------------------------------------------
@view(PAGE, "kpi_tracker")
def tracker(ctx: Context) -> ChartSpec:
    """How the plan is doing: each KPI's actual as a share of its target, a traffic light."""
    key = f"{PAGE}.kpi_tracker"
    title = ctx.t("strategy_4p.tracker_title")
    caption = ctx.t("strategy_4p.tracker_caption", band=ctx.fmt.pct(plan_versions.AMBER_BAND))
    plan = plan_in_force(ctx)
    if plan.latest_id is None:  # the plan section above says there is no plan yet
        return ctx.empty(key, title, caption)
    track = kpi_track(ctx, plan.items)
    if track.empty:
        return ctx.empty(key, title, caption, ctx.t("strategy_4p.no_kpis"))
    shown = kpi_tracker.tracker_rows(track, ctx.fmt, ctx.t)
    light_names = kpi_tracker.light_names(ctx.t)
    fig = mix_charts.kpi_attainment(
        shown,
        title=title,
        x_title=ctx.t("strategy_4p.attainment_axis"),
        light_labels=light_names,
    )
    # the lights counted are the bars drawn (one per plan KPI)
    takeaway = ctx.t(
        "strategy_4p.tracker_takeaway",
        green=int((shown["light"] == "green").sum()),
        total=len(shown),
        red=int((shown["light"] == "red").sum()),
    )
    return ChartSpec(key, PAGE, title, fig, tracker_table(ctx, track), caption, takeaway)


def tracker_table(ctx: Context, track: pd.DataFrame) -> pd.DataFrame:
    """The tracker's rows as read: segment, P, KPI, target, actual, previous period (with the
    trend arrow), attainment and light."""
    p_names = kpi_tracker.p_names(ctx.t)
    kpi_names = kpi_tracker.kpi_names(ctx.t)
    light_names = kpi_tracker.light_names(ctx.t)

    def text(kpi: str, value: float | None) -> str:
        return kpi_tracker.kpi_text(kpi, value, ctx.fmt, ctx.t)

    rows = list(track.itertuples())
    return pd.DataFrame(
        {
            ctx.t("filters.segment"): [segment_text(r.segment) for r in rows],
            "P": [p_names[r.p] for r in rows],
            ctx.t("strategy_4p.field.kpi"): [kpi_names[r.kpi] for r in rows],
            ctx.t("strategy_4p.field.target"): [text(r.kpi, r.target) for r in rows],
            ctx.t("strategy_4p.actual"): [text(r.kpi, r.actual) for r in rows],
            ctx.t("strategy_4p.trend_col"): [
                f"{TREND_ICONS[r.trend]} {text(r.kpi, r.previous)}" if r.trend else "—"
                for r in rows
            ],
            ctx.t("strategy_4p.attainment_axis"): [ctx.fmt.pct(r.attainment) for r in rows],
            ctx.t("strategy_4p.light_col"): [light_names[r.light] for r in rows],
        },
        columns=[
            ctx.t("filters.segment"),
            "P",
            ctx.t("strategy_4p.field.kpi"),
            ctx.t("strategy_4p.field.target"),
            ctx.t("strategy_4p.actual"),
            ctx.t("strategy_4p.trend_col"),
            ctx.t("strategy_4p.attainment_axis"),
            ctx.t("strategy_4p.light_col"),
        ],
    )


TREND_ICONS = {"up": "↑", "down": "↓", "flat": "→", "": ""}


# -- pull vs push bars by a dimension (product, region, channel) --------------------------------
def _split_spec(
    ctx: Context,
    key: str,
    df: pd.DataFrame,
    category: str,
    value: str,
    *,
    title: str,
    caption: str,
    takeaway_key: str,
    lowest: bool = False,
    height: int = 420,
    **bar_options: object,
) -> ChartSpec:
    """Pull vs push bars per category of ``df`` (a ``mix.by_dimension`` frame); the takeaway
    names the category with the best overall value (the lowest when ``lowest``)."""
    drawn = df[df["motion_group"].isin(["pull", "push"]) & df[value].notna()]
    drawn = drawn[drawn[category].notna()]
    if drawn.empty:
        return ctx.empty(key, title, caption, height=height)
    fig = charts.motion_bars(
        drawn.assign(**{category: drawn[category].map(lambda v: html.escape(str(v)))}),
        category=category,
        value=value,
        title=title,
        value_title=ctx.t(f"kpi.{value}"),
        motion_labels=ctx.motion_labels,
        motion="motion_group",
        height=height,
        **bar_options,
    )
    overall = df[(df["motion_group"] == "overall") & df[category].notna() & df[value].notna()]
    what = ctx.t(f"strategy_4p.what.{category}")
    takeaway = leader_takeaway(
        ctx,
        overall.set_index(overall[category].astype(str))[value],
        takeaway_key,
        metric=value,
        what=what,
        lowest=lowest,
    )
    # one-sided data (no lost deals, under 30 closed) and outlier deals: the figure's caveats
    takeaway = funnel_views.with_caveat(ctx, takeaway, value)
    data = drawn[[category, "motion_group", value]].reset_index(drop=True)
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


def value_text(ctx: Context, metric: str, value: float) -> str:
    """One figure of ``metric`` as the takeaways state it."""
    if metric in ("win_rate", "share"):
        return ctx.fmt.pct(value, digits=0)
    if metric == "sales_cycle_days":
        return ctx.t("strategy_4p.days", n=ctx.fmt.number(value, digits=0))
    return ctx.fmt.money(value)


def leader_takeaway(
    ctx: Context,
    values: pd.Series,
    key: str,
    *,
    metric: str,
    what: str,
    lowest: bool = False,
    metric_name: str | None = None,
    **extra: object,
) -> str:
    """The takeaway of a ranking (``values`` by name): ``key`` with the best name only when
    it is ahead; else that the values are level, that the best is shared, or that there is one
    name only (nothing to compare). "" without a value."""
    name_of_metric = metric_name or ctx.t(f"kpi.{metric}")
    v = pd.to_numeric(values, errors="coerce").dropna()
    kind = data_checks.leaders(v, lowest=lowest)
    if kind == "none":
        return ""
    best = float(v.min() if lowest else v.max())
    figure = value_text(ctx, metric, best)
    if kind == "one":
        return ctx.t(
            "strategy_4p.takeaway_one", name=str(v.index[0]), metric=name_of_metric, what=what
        )
    if kind == "level":
        return ctx.t("strategy_4p.takeaway_level", metric=name_of_metric, what=what, value=figure)
    if kind == "tied":
        names = ", ".join(data_checks.best_names(v, lowest=lowest))
        return ctx.t("strategy_4p.takeaway_tied", metric=name_of_metric, names=names, value=figure)
    top = str(v.sort_values(ascending=lowest, kind="stable").index[0])
    return ctx.t(key, name=top, metric=name_of_metric, value=figure, **extra)


# -- Product -------------------------------------------------------------------------------------
def _by_product(ctx: Context) -> pd.DataFrame:
    return ctx.ask(mix.by_dimension, ctx.filters, "product")


@view(PAGE, "product_revenue", pack=False)
def product_revenue(ctx: Context) -> ChartSpec:
    return _split_spec(
        ctx,
        f"{PAGE}.product_revenue",
        _by_product(ctx),
        "product",
        "won_amount",
        title=ctx.t("strategy_4p.product_revenue_title", currency=ctx.fmt.currency),
        caption=ctx.t("strategy_4p.product_revenue_caption"),
        takeaway_key="strategy_4p.takeaway_top",
        value_prefix=ctx.fmt.currency_symbol,
    )


@view(PAGE, "product_win_rate", pack=False)
def product_win_rate(ctx: Context) -> ChartSpec:
    return _split_spec(
        ctx,
        f"{PAGE}.product_win_rate",
        _by_product(ctx),
        "product",
        "win_rate",
        title=ctx.t("strategy_4p.product_win_rate_title"),
        caption=ctx.t("strategy_4p.win_rate_caption"),
        takeaway_key="strategy_4p.takeaway_best",
        value_format=".0%",
    )


@view(PAGE, "product_deal_size", pack=False)
def product_deal_size(ctx: Context) -> ChartSpec:
    return _split_spec(
        ctx,
        f"{PAGE}.product_deal_size",
        _by_product(ctx),
        "product",
        "avg_deal_size",
        title=ctx.t("strategy_4p.product_deal_size_title", currency=ctx.fmt.currency),
        caption=ctx.t("strategy_4p.deal_size_caption"),
        takeaway_key="strategy_4p.takeaway_top",
        value_prefix=ctx.fmt.currency_symbol,
    )


def product_names(by_product: pd.DataFrame) -> tuple[str, ...]:
    """The products of a ``mix.by_dimension(..., "product")`` frame (for ``product_trend``)."""
    return tuple(sorted(by_product["product"].dropna().unique()))


TREND_METRICS = ("won_amount", "win_rate")


@view(PAGE, "product_trend", pack=False)
def product_trend(ctx: Context, *, metric: str = "won_amount") -> ChartSpec:
    """Won revenue or win rate by product and quarter (the products of the charts above)."""
    key = f"{PAGE}.product_trend"
    is_money = metric == "won_amount"
    title = ctx.t(f"strategy_4p.trend_{metric}_title", currency=ctx.fmt.currency)
    caption = ctx.t("strategy_4p.trend_caption")
    products = product_names(_by_product(ctx))
    # quarters are the workspace's fiscal ones, labelled in the reader's language
    trend = ctx.ask(mix.product_trend, ctx.filters, products, lang=ctx.lang)
    trend = trend[trend[metric].notna()].assign(
        quarter=lambda d: [
            ctx.t("strategy_4p.partial_quarter", quarter=q) if p else q
            for q, p in zip(d["quarter"], d["is_partial"], strict=True)
        ]
    )
    if trend.empty:
        return ctx.empty(key, title, caption)
    fig = mix_charts.category_lines(
        trend,
        x="quarter",
        y=metric,
        series="product",
        title=title,
        y_title=ctx.t(f"kpi.{metric}"),
        y_prefix=ctx.fmt.currency_symbol if is_money else "",
        y_format="~s" if is_money else ".0%",
        hover_format=",.0f" if is_money else ".1%",
    )
    data = trend[["product", "quarter", metric]].reset_index(drop=True)
    return ChartSpec(key, PAGE, title, fig, data, caption, "")


# -- Price ---------------------------------------------------------------------------------------
def band_labels(ctx: Context, curve: pd.DataFrame) -> dict[int, str]:
    """ "No discount", "0–5%", …, "Over 30%" for the bands of a ``mix.discount_curve``."""
    out: dict[int, str] = {}
    for row in curve.drop_duplicates("band_index").itertuples():
        if row.band_index == 0:
            out[0] = ctx.t("strategy_4p.band_none")
        elif pd.isna(row.band_high_pct):
            out[row.band_index] = ctx.t("strategy_4p.band_above", low=int(row.band_low_pct))
        else:
            out[row.band_index] = ctx.t(
                "strategy_4p.band_range", low=int(row.band_low_pct), high=int(row.band_high_pct)
            )
    return out


def _discount_spec(ctx: Context, metric: str, prefix: str, tick: str, hover: str) -> ChartSpec:
    key = f"{PAGE}.price_{metric}"
    title = ctx.t(f"strategy_4p.discount_{metric}_title", currency=ctx.fmt.currency)
    caption = ctx.t(f"strategy_4p.discount_{metric}_caption")
    curve = ctx.ask(mix.discount_curve, ctx.filters)
    data = curve[curve[metric].notna()]
    if data.empty:
        return ctx.empty(key, title, caption)
    labels = band_labels(ctx, curve)
    fig = mix_charts.discount_curve(
        data,
        y=metric,
        title=title,
        y_title=ctx.t(f"kpi.{metric}"),
        x_title=ctx.t("strategy_4p.discount_axis"),
        band_labels=labels,
        motion_labels=ctx.motion_labels,
        closed_label=ctx.t("strategy_4p.closed_deals"),
        y_prefix=prefix,
        y_format=tick,
        hover_format=hover,
    )
    overall = data[data["motion_group"] == "overall"]
    takeaway = ""
    kind = data_checks.leaders(overall.set_index(overall["band_index"])[metric])
    if kind in ("one", "level"):  # one band, or every band the same: no discount is "best"
        takeaway = ctx.t(
            "strategy_4p.discount_takeaway_level",
            metric=ctx.t(f"kpi.{metric}"),
            value=value_text(ctx, metric, float(overall[metric].iloc[0])),
        )
        takeaway = funnel_views.with_caveat(ctx, takeaway, metric)
    elif kind == "tied":  # the highest value shared by bands: name them all, crown none
        at_best = overall[metric] >= overall[metric].max() - 1e-9
        takeaway = ctx.t(
            "strategy_4p.discount_takeaway_tied",
            metric=ctx.t(f"kpi.{metric}"),
            bands=", ".join(labels[int(b)] for b in sorted(overall.loc[at_best, "band_index"])),
            value=value_text(ctx, metric, float(overall[metric].max())),
        )
        takeaway = funnel_views.with_caveat(ctx, takeaway, metric)
    elif not overall.empty:
        # ties: the band with more closed deals behind it, then the smaller discount (the same
        # result for less given away)
        ranked = overall.sort_values(
            [metric, "closed", "band_index"], ascending=[False, False, True], kind="stable"
        )
        best = int(ranked.iloc[0].band_index)
        name = ctx.t(f"kpi.{metric}")
        takeaway = (
            ctx.t("strategy_4p.discount_takeaway_none", metric=name)
            if best == 0
            else ctx.t("strategy_4p.discount_takeaway", metric=name, band=labels[best])
        )
        takeaway = funnel_views.with_caveat(ctx, takeaway, metric)
    shown = data[["band_index", "motion_group", "closed", metric]].reset_index(drop=True)
    return ChartSpec(key, PAGE, title, fig, shown, caption, takeaway)


@view(PAGE, "price_win_rate", pack=False)
def discount_win_rate(ctx: Context) -> ChartSpec:
    return _discount_spec(ctx, "win_rate", "", ".0%", ".1%")


@view(PAGE, "price_avg_deal_size", pack=False)
def discount_deal_size(ctx: Context) -> ChartSpec:
    return _discount_spec(ctx, "avg_deal_size", ctx.fmt.currency_symbol, "~s", ",.0f")


@view(PAGE, "price_sizes", pack=False)
def deal_sizes(ctx: Context) -> ChartSpec:
    """Won deals counted by deal size (1-2-5 bins), pull vs push."""
    key = f"{PAGE}.price_sizes"
    cur = ctx.fmt.currency
    title = ctx.t("strategy_4p.sizes_title", currency=cur)
    caption = ctx.t("strategy_4p.sizes_caption")
    bins = ctx.ask(mix.won_deal_size_bins, ctx.filters)
    if bins.empty:
        return ctx.empty(key, title, caption)
    bin_labels = {
        int(r.bin_index): f"{ctx.money(r.low)}–{ctx.money(r.high)}"
        for r in bins.drop_duplicates("bin_index").itertuples()
    }
    fig = mix_charts.deal_size_histogram(
        bins,
        title=title,
        x_title=ctx.t("strategy_4p.sizes_axis", currency=cur),
        y_title=ctx.t("strategy_4p.won_deals"),
        bin_labels=bin_labels,
        motion_labels=ctx.motion_labels,
    )
    return ChartSpec(key, PAGE, title, fig, bins, caption, "")


@view(PAGE, "price_realisation", pack=False)
def price_realisation(ctx: Context) -> ChartSpec:
    """Won amount ÷ list amount by product; the takeaway is the amount-weighted overall
    realisation of the bars shown."""
    key = f"{PAGE}.price_realisation"
    title = ctx.t("strategy_4p.realisation_title")
    caption = ctx.t("strategy_4p.realisation_caption")
    real = ctx.ask(mix.price_realisation, ctx.filters)
    real = real[real["realisation"].notna()].reset_index(drop=True)
    if real.empty:
        return ctx.empty(key, title, caption)
    fig = mix_charts.value_bars(
        real,
        category="product",
        value="realisation",
        title=title,
        x_title=ctx.t("strategy_4p.realisation_axis"),
        text=[ctx.fmt.pct(v, digits=1) for v in real["realisation"]],
        value_format=".0%",
        x_range=(0.0, 1.0),
    )
    overall = float(real["won_amount"].sum() / real["list_amount"].sum())
    takeaway = ctx.t("strategy_4p.realisation_takeaway", pct=ctx.fmt.pct(overall, digits=1))
    return ChartSpec(key, PAGE, title, fig, real, caption, takeaway)


# -- Place ---------------------------------------------------------------------------------------
PLACE_DIMENSIONS = ("region", "source")


def _place_spec(
    ctx: Context, metric: str, dimension: str, prefix: str, tick: str, caption_key: str
) -> ChartSpec:
    if dimension not in PLACE_DIMENSIONS:
        raise ValueError(f"unknown place dimension {dimension!r}")
    return _split_spec(
        ctx,
        f"{PAGE}.place_{metric}",
        ctx.ask(mix.by_dimension, ctx.filters, dimension),
        dimension,
        metric,
        title=ctx.t(
            f"strategy_4p.place_{metric}_title",
            currency=ctx.fmt.currency,
            dimension=ctx.t(f"strategy_4p.place_dim.{dimension}"),
        ),
        caption=ctx.t(caption_key),
        takeaway_key="strategy_4p.takeaway_best",
        lowest=metric == "sales_cycle_days",  # a shorter cycle is better
        height=380,
        value_prefix=prefix,
        value_format=tick,
    )


@view(PAGE, "place_won_amount", pack=False)
def place_revenue(ctx: Context, *, dimension: str = "region") -> ChartSpec:
    return _place_spec(
        ctx,
        "won_amount",
        dimension,
        ctx.fmt.currency_symbol,
        "~s",
        "strategy_4p.region_revenue_caption",
    )


@view(PAGE, "place_win_rate", pack=False)
def place_win_rate(ctx: Context, *, dimension: str = "region") -> ChartSpec:
    return _place_spec(ctx, "win_rate", dimension, "", ".0%", "strategy_4p.win_rate_caption")


@view(PAGE, "place_sales_cycle_days", pack=False)
def place_cycle(ctx: Context, *, dimension: str = "region") -> ChartSpec:
    return _place_spec(ctx, "sales_cycle_days", dimension, "", ",.0f", "strategy_4p.cycle_caption")


@view(PAGE, "place_grid", pack=False)
def place_grid(ctx: Context) -> ChartSpec:
    """Win rate by region × segment, both engines."""
    key = f"{PAGE}.place_grid"
    title = ctx.t("strategy_4p.grid_title")
    caption = ctx.t("strategy_4p.grid_caption")
    grid = ctx.ask(mix.place_grid, ctx.filters)
    grid = grid[grid["win_rate"].notna()].assign(closed=lambda d: d["won"] + d["lost"])
    if grid.empty:
        return ctx.empty(key, title, caption)
    fig = mix_charts.heatmap(
        grid,
        rows="region",
        cols="segment",
        value="win_rate",
        count="closed",
        title=title,
        value_label=ctx.t("kpi.win_rate"),
        count_label=ctx.t("strategy_4p.closed_deals"),
    )
    return ChartSpec(key, PAGE, title, fig, grid.reset_index(drop=True), caption, "")


# -- Promotion -----------------------------------------------------------------------------------
def channel_colors(ctx: Context) -> dict[str, str]:
    """One colour per channel on the whole page (promotion bars, budget donut) whichever tab is
    open: from every lead source and spend channel, not from what one chart happens to show."""
    sources = list(ctx.ask(data_admin.source_motion)["source"])
    spent = list(ctx.ask(mix.budget_split, ctx.filters)["channel"].dropna())
    return mix_charts.category_colors(sources + spent)


def active_channels(ctx: Context) -> pd.DataFrame:
    """``mix.promotion`` with cost per won deal, the channels with spend, leads or pipeline."""
    promo = budget_mix.with_cac(ctx.ask(mix.promotion, ctx.filters))
    busy = (promo["spend"] > 0) | (promo["leads"] > 0) | (promo["pipeline_created"] > 0)
    return promo[busy].reset_index(drop=True)


@view(PAGE, "promotion", pack=False)
def promotion(ctx: Context) -> ChartSpec:
    """Spend, pipeline created and won revenue by marketing channel."""
    key = f"{PAGE}.promotion"
    cur = ctx.fmt.currency
    title = ctx.t("strategy_4p.promotion_title", currency=cur)
    caption = ctx.t("strategy_4p.promotion_caption")
    active = active_channels(ctx)
    if active.empty:
        return ctx.empty(key, title, caption)
    fig = mix_charts.promotion_bars(
        active,
        title=title,
        labels={
            "spend": ctx.t("strategy_4p.spend"),
            "pipeline_created": ctx.t("strategy_4p.pipeline_created"),
            "won_amount": ctx.t("kpi.won_amount"),
        },
        x_title=ctx.t("strategy_4p.amount_axis", currency=cur),
        money_prefix=ctx.fmt.currency_symbol,
        height=max(420, 70 * len(active) + 140),
    )
    takeaway = leader_takeaway(
        ctx,
        active.set_index(active["channel"].astype(str))["pipeline_created"],
        "strategy_4p.promotion_takeaway",
        metric="pipeline_created",
        metric_name=ctx.t("strategy_4p.pipeline_created"),
        what=ctx.t("strategy_4p.what.channel"),
    )
    data = active[["channel", "spend", "pipeline_created", "won_amount"]]
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


@view(PAGE, "cost_per_lead", pack=False)
def cost_per_lead(ctx: Context) -> ChartSpec:
    """Cost per lead of the channels with spend; the takeaway names the cheapest."""
    key = f"{PAGE}.cost_per_lead"
    cur = ctx.fmt.currency
    title = ctx.t("strategy_4p.cpl_title", currency=cur)
    caption = ctx.t("strategy_4p.cpl_caption")
    active = active_channels(ctx)
    paid = active[active["cost_per_lead"].notna()]
    if paid.empty:
        return ctx.empty(key, title, caption)
    fig = mix_charts.cost_per_lead_bars(
        active,
        title=title,
        x_title=ctx.t("strategy_4p.cpl_axis", currency=cur),
        leads_label=ctx.t("kpi.leads"),
        money_prefix=ctx.fmt.currency_symbol,
        colors=channel_colors(ctx),
        height=max(420, 70 * len(active) + 140),
    )
    cheapest = paid.sort_values("cost_per_lead").iloc[0]
    takeaway = leader_takeaway(
        ctx,
        paid.set_index(paid["channel"].astype(str))["cost_per_lead"],
        "strategy_4p.cpl_takeaway",
        metric="cost_per_lead",
        metric_name=ctx.t("strategy_4p.cpl_name"),
        what=ctx.t("strategy_4p.what.channel"),
        lowest=True,
        cpl=ctx.fmt.money(float(cheapest["cost_per_lead"])),
    )
    data = paid[["channel", "spend", "leads", "cost_per_lead"]].reset_index(drop=True)
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


def promotion_table(ctx: Context) -> pd.DataFrame:
    """Every active marketing channel's figures, formatted ("—" where a ratio has no input;
    a plain zero for a channel without spend)."""
    fmt = ctx.fmt
    zero = f"{fmt.currency_symbol}0"
    return pd.DataFrame(
        [
            {
                ctx.t("strategy_4p.channel"): r.channel,
                ctx.t("strategy_4p.spend"): zero if r.spend == 0 else fmt.money(r.spend),
                ctx.t("kpi.leads"): fmt.number(r.leads),
                ctx.t("strategy_4p.cost_per_lead"): fmt.money(r.cost_per_lead),
                ctx.t("kpi.opportunities"): fmt.number(r.opportunities),
                ctx.t("strategy_4p.pipeline_created"): fmt.money(r.pipeline_created),
                ctx.t("kpi.won"): fmt.number(r.won),
                ctx.t("kpi.won_amount"): fmt.money(r.won_amount),
                ctx.t("strategy_4p.cost_per_won_deal"): fmt.money(r.cost_per_won_deal),
                ctx.t("strategy_4p.won_per_spend"): fmt.number(r.won_per_spend, digits=1),
            }
            for r in active_channels(ctx).itertuples()
        ]
    )


# -- Budget split --------------------------------------------------------------------------------
def _split(ctx: Context) -> tuple[pd.DataFrame, float, float]:
    """The marketing rows of ``mix.budget_split``, the marketing and the sales totals."""
    split = ctx.ask(mix.budget_split, ctx.filters)
    marketing = split[split["category"] == "marketing"].reset_index(drop=True)
    sales = float(split.loc[split["category"] == "sales", "amount"].sum())
    return marketing, float(marketing["amount"].sum()), sales


@view(PAGE, "budget_split", pack=False)
def budget_split(ctx: Context) -> ChartSpec:
    """Marketing spend by channel, each channel's share of the total."""
    key = f"{PAGE}.budget_split"
    title = ctx.t("strategy_4p.budget_title", currency=ctx.fmt.currency)
    caption = ctx.t("strategy_4p.budget_caption")
    marketing, total, _sales = _split(ctx)
    if total <= 0:
        return ctx.empty(key, title, caption, height=460)
    fig = mix_charts.budget_donut(
        marketing,
        title=title,
        center_text=ctx.money(total),
        money_prefix=ctx.fmt.currency_symbol,
        colors=channel_colors(ctx),
        height=460,
    )
    top = marketing.sort_values("amount").iloc[-1]
    takeaway = leader_takeaway(
        ctx,
        marketing.set_index(marketing["channel"].astype(str))["share"],
        "strategy_4p.budget_takeaway",
        metric="share",
        metric_name=ctx.t("strategy_4p.spend_share"),
        what=ctx.t("strategy_4p.what.channel"),
        pct=ctx.fmt.pct(top["share"]),
    )
    data = marketing[["channel", "amount", "share"]]
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


@view(PAGE, "engine_split", pack=False)
def engine_split(ctx: Context) -> ChartSpec:
    """Spend on the two engines: marketing (pull) against sales (push)."""
    key = f"{PAGE}.engine_split"
    title = ctx.t("strategy_4p.engines_title")
    _marketing, marketing, sales = _split(ctx)
    caption = ctx.t(
        "strategy_4p.engines_caption",
        marketing=ctx.fmt.money(marketing),
        sales=ctx.fmt.money(sales),
    )
    if marketing + sales <= 0:  # no spend: say what is missing, not "$0.00 against $0.00"
        reason = ctx.t("strategy_4p.no_spend")
        return ctx.empty(key, title, reason, reason, height=200)
    fig = mix_charts.engine_split_bar(
        marketing,
        sales,
        title=title,
        motion_labels=ctx.motion_labels,
        money_prefix=ctx.fmt.currency_symbol,
    )
    data = pd.DataFrame(
        {
            ctx.t("strategy_4p.budget_line"): [
                ctx.motion_labels["pull"],
                ctx.motion_labels["push"],
            ],
            ctx.t("strategy_4p.spend"): [marketing, sales],
        }
    )
    return ChartSpec(key, PAGE, title, fig, data, caption, "")


def marketing_table(ctx: Context) -> pd.DataFrame:
    """Marketing spend per channel and its share, formatted (empty without spend)."""
    marketing, total, _sales = _split(ctx)
    if total <= 0:
        return pd.DataFrame()
    return pd.DataFrame(
        [
            {
                ctx.t("strategy_4p.channel"): r.channel,
                ctx.t("strategy_4p.spend"): ctx.fmt.money(r.amount),
                ctx.t("strategy_4p.share_of_marketing"): ctx.fmt.pct(r.share),
            }
            for r in marketing.itertuples()
        ]
    )


# -- Budget plan ---------------------------------------------------------------------------------
def default_plan_year(ctx: Context) -> int:
    """The year after the period: what the page offers first and what the pack draws."""
    return ctx.filters.date_to.year + 1


def channel_history(ctx: Context) -> pd.DataFrame:
    """Last period's figures per marketing channel (spend, leads, conversion) that a budget
    plan is set against."""
    return budget_mix.with_cac(ctx.ask(mix.promotion, ctx.filters))


@dataclass(frozen=True)
class BudgetStart:
    """What the budget editor starts from: the saved total (None when none is saved) and
    lines (the saved ones plus channels with spend that they lack, at zero; else last
    period's spend per channel)."""

    total: float | None
    lines: pd.DataFrame
    is_saved: bool


def budget_start(ctx: Context, year: int) -> BudgetStart:
    history = channel_history(ctx)
    saved_total, saved_lines = ctx.ask(plans.budget, year)
    channels = history.loc[history["spend"] > 0, "channel"].tolist()
    if saved_lines.empty:
        actual = dict(zip(history["channel"], history["spend"], strict=True))
        return BudgetStart(None, budget_mix.default_lines(channels, actual), False)
    known = set(saved_lines.loc[saved_lines["kind"] == "channel", "line"])
    missing = [c for c in channels if c not in known]
    lines = saved_lines
    if missing:
        extra = pd.DataFrame({"kind": "channel", "line": missing, "amount": 0.0})
        lines = pd.concat([saved_lines, extra], ignore_index=True)
    return BudgetStart(saved_total, lines.reset_index(drop=True), True)


def line_labels(ctx: Context, lines: pd.DataFrame) -> list[str]:
    """A line as read: a channel by its name, another P by its name in the reader's
    language."""
    p_names = kpi_tracker.p_names(ctx.t)
    return [
        p_names.get(line, line) if kind == "mix" else str(line)
        for kind, line in zip(lines["kind"], lines["line"], strict=True)
    ]


def implied_plan(ctx: Context, lines: pd.DataFrame) -> pd.DataFrame:
    """``budget_mix.plan_against_history`` of ``lines`` with each line's ``label``."""
    implied = budget_mix.plan_against_history(
        lines.assign(amount=pd.to_numeric(lines["amount"], errors="coerce")),
        channel_history(ctx),
    )
    return implied.assign(label=line_labels(ctx, lines))


@view(PAGE, "budget_plan")
def budget_plan(
    ctx: Context,
    *,
    year: int | None = None,
    lines: pd.DataFrame | None = None,
    saved: bool | None = None,
) -> ChartSpec:
    """The budget plan of ``year`` (default: the year after the period) line by line against
    last period's spend. ``lines`` (kind, line, amount) are the lines drawn — by default the
    saved plan, or last period's spend when none is saved — and ``saved`` says whether they
    are the saved plan (default: whether one is saved).

    Takeaway, from the bars drawn: what the plan puts into the mix against what was spent, and
    the line that moves most against last period (or that none moves); "not saved yet" while
    the lines are not the saved plan."""
    year = default_plan_year(ctx) if year is None else int(year)
    key = f"{PAGE}.budget_plan"
    cur = ctx.fmt.currency
    f = ctx.filters
    title = ctx.t("strategy_4p.budget_vs_actual_title", year=year, currency=cur)
    caption = ctx.t(
        "strategy_4p.budget_vs_actual_caption",
        start=ctx.fmt.date(f.date_from),
        end=ctx.fmt.date(f.date_to),
    )
    if lines is None:
        start = budget_start(ctx, year)
        lines = start.lines
        saved = start.is_saved if saved is None else saved
    elif saved is None:
        saved = budget_start(ctx, year).is_saved
    implied = implied_plan(ctx, lines)
    if not (implied["amount"].fillna(0).any() or implied["actual"].fillna(0).any()):
        return ctx.empty(key, title, caption)
    planned_label = ctx.t("strategy_4p.budget_planned_year", year=year)
    fig = mix_charts.budget_vs_actual(
        implied,
        title=title,
        labels={"amount": planned_label, "actual": ctx.t("strategy_4p.budget_actual")},
        x_title=ctx.t("strategy_4p.amount_axis", currency=cur),
        money_prefix=ctx.fmt.currency_symbol,
        height=max(380, 44 * len(implied) + 140),
    )
    takeaway = budget_takeaway(ctx, implied, year=year, saved=bool(saved))
    data = pd.DataFrame(
        {
            ctx.t("strategy_4p.budget_line"): implied["label"],
            ctx.t("strategy_4p.budget_kind"): implied["kind"].map(
                lambda k: ctx.t(f"strategy_4p.line_kind.{k}")
            ),
            f"{planned_label} ({cur})": implied["amount"].astype(float),
            f"{ctx.t('strategy_4p.budget_actual')} ({cur})": implied["actual"].astype(float),
            ctx.t("strategy_4p.col_change", currency=cur): implied["change"].astype(float),
            ctx.t("strategy_4p.implied_leads"): implied["implied_leads"].astype(float).round(0),
            f"{ctx.t('strategy_4p.implied_pipeline')} ({cur})": implied["implied_pipeline"].astype(
                float
            ),
        }
    )
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


def budget_takeaway(ctx: Context, implied: pd.DataFrame, *, year: int, saved: bool) -> str:
    """The budget plan's one line, from the bars drawn (see ``budget_plan``)."""
    sums = budget_mix.totals(implied)
    moved = implied.assign(delta=implied["change"].abs()).dropna(subset=["delta"])
    moved = moved[moved["delta"] > budget_mix.TOLERANCE]
    planned, actual = ctx.money(sums["amount"]), ctx.money(sums["actual"])
    if not sums["actual"] > 0:  # no spend in the period: nothing to set the plan against
        text = ctx.t("strategy_4p.budget_plan_takeaway_no_actual", year=year, planned=planned)
    elif moved.empty:
        text = ctx.t("strategy_4p.budget_plan_takeaway_flat", year=year, planned=planned)
    else:
        biggest = moved.sort_values("delta", kind="stable").iloc[-1]
        change = float(biggest["change"])
        text = ctx.t(
            "strategy_4p.budget_plan_takeaway",
            year=year,
            planned=planned,
            actual=actual,
            name=str(biggest["label"]),
            change=("+" if change > 0 else "") + ctx.fmt.money(change),
        )
    return text if saved else f"{text} {ctx.t('strategy_4p.budget_plan_not_saved')}"


def implied_table(ctx: Context, implied: pd.DataFrame) -> pd.DataFrame:
    """What each line implies from history (leads, opportunities, pipeline), formatted."""
    return pd.DataFrame(
        [
            {
                ctx.t("strategy_4p.budget_line"): r.label,
                ctx.t("strategy_4p.cost_per_lead"): ctx.fmt.money(r.cost_per_lead),
                ctx.t("strategy_4p.implied_leads"): ctx.fmt.number(r.implied_leads),
                ctx.t("strategy_4p.implied_opportunities"): ctx.fmt.number(r.implied_opportunities),
                ctx.t("strategy_4p.implied_pipeline"): ctx.fmt.money(r.implied_pipeline),
            }
            for r in implied.itertuples()
        ]
    )


def implied_totals(ctx: Context, implied: pd.DataFrame) -> str:
    sums = budget_mix.totals(implied)
    if not implied["implied_leads"].notna().any():  # no line has a cost per lead from history
        return ctx.t("strategy_4p.implied_totals_none")
    return ctx.t(
        "strategy_4p.implied_totals",
        leads=ctx.fmt.number(sums["implied_leads"]),
        opps=ctx.fmt.number(sums["implied_opportunities"]),
        pipeline=ctx.fmt.money(sums["implied_pipeline"]),
    )
