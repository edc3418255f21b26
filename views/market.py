"""Market analysis: sizing, segment attractiveness, share against competitors, positioning and
customer insight from the CRM — one function per chart, and the tables beside them.

Each market chart is of one market year (``year=None``: the page's default, the newest year
the data covers in full); the share and positioning charts are of one segment
(``segment=None``: every segment in the sidebar's scope).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from components.charts import base as charts
from components.charts import market as market_charts
from planning import data_checks, market_sizing
from queries import market, metrics, period, plans
from views import funnel as funnel_views
from views.registry import view
from views.spec import ChartSpec, Context

PAGE = "market"
BUILT_IN_AXES = ("price_index", "quality_index")
INSIGHT_DIMENSIONS = ("segment", "region", "product")
INSIGHT_METRICS = ("won_amount", "win_rate", "avg_deal_size", "sales_cycle_days")
_INSIGHT_CAPTIONS = {
    "won_amount": "market.insight_revenue_caption",
    "win_rate": "market.insight_win_rate_caption",
    "avg_deal_size": "market.insight_deal_size_caption",
    "sales_cycle_days": "market.insight_cycle_caption",
}


# -- the market year -------------------------------------------------------------------------
def years(ctx: Context) -> list[int]:
    """Years with market assumptions or competitor shares, newest first."""
    return ctx.ask(market.market_years)


def default_year(ctx: Context) -> int | None:
    """The page's default market year: the newest the data covers in full."""
    first, last = ctx.ask(market.data_span)
    return market_sizing.default_year(years(ctx), first, last)


def first_year(ctx: Context) -> int:
    """The year to enter market assumptions for when there are none yet: the latest year the
    workspace holds deals or leads in (its spend's when it has neither), else this year."""
    last = ctx.ask(period.activity_span)[1]
    return last.year if last is not None else date.today().year


def months_of(ctx: Context, year: int) -> int:
    """Months of ``year`` the workspace's data covers (12: a full year of our revenue)."""
    return market_sizing.months_covered(*ctx.ask(market.data_span), year)


def year_label(ctx: Context, year: int) -> str:
    """'2025', '2026 (4 months of data)' or '2027 (no CRM data)'."""
    months = months_of(ctx, year)
    if months == 12:
        return str(year)
    if months == 0:
        return ctx.t("market.year_no_data", year=year)
    return ctx.t("market.year_partial", year=year, months=months)


def segment_names(ctx: Context) -> list[str]:
    """Segments with market assumptions or competitor shares, in the sidebar's scope."""
    return ctx.ask(market.segment_names, ctx.filters)


def _year(ctx: Context, year: int | None) -> int | None:
    return default_year(ctx) if year is None else year


def _sizes(ctx: Context) -> pd.DataFrame:
    return ctx.ask(market.segment_sizes, ctx.filters)


def _won(ctx: Context, year: int) -> pd.DataFrame:
    return ctx.ask(market.won_by_segment, ctx.filters, year)


def _per_run(ctx: Context, name: str, year: int, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``ctx.per_run`` for the sizing tab: its charts, flags and table each read the same
    sizing and reach rows, computed from the query cache's frames."""
    return ctx.per_run(("views.market", name, ctx.filters, year), make)


def sizing_rows(ctx: Context, year: int) -> pd.DataFrame:
    """``market_sizing.sizing_table`` of ``year``: sizes and our won revenue per segment."""
    return _per_run(
        ctx,
        "sizing_rows",
        year,
        lambda: market_sizing.sizing_table(_sizes(ctx), _won(ctx, year), year),
    )


def sized_segments(ctx: Context, year: int) -> list[str]:
    """The segments with market assumptions in ``year``."""
    return sizing_rows(ctx, year)["segment"].astype(str).tolist()


def reach(ctx: Context, year: int) -> pd.DataFrame:
    """The SOM check of ``year`` per segment (``market_sizing.reach_table``): what the funnel
    delivers at the sidebar period's pace against each SOM."""
    return _per_run(ctx, "reach", year, lambda: _reach(ctx, year))


def _reach(ctx: Context, year: int) -> pd.DataFrame:
    f = ctx.filters
    funnel = market_sizing.funnel_by_segment(
        ctx.ask(metrics.deal_metrics_by, f, "segment"), ctx.ask(market.open_pipeline_by_segment, f)
    )
    return market_sizing.reach_table(sizing_rows(ctx, year), funnel, f.days)


# -- 1. sizing -------------------------------------------------------------------------------
SIZE_KEYS = ("tam", "sam", "som", "bottom_up")


@view(PAGE, "sizing", pack=False)
def sizing(ctx: Context, *, year: int | None = None, log_y: bool = True) -> ChartSpec:
    """Top-down sizes against the bottom-up size per segment; the takeaway names the segment
    where the two methods disagree most (by ratio, as the logarithmic axis shows it)."""
    key = "market.sizing"
    cur = ctx.fmt.currency
    year = _year(ctx, year)
    title = ctx.t("market.sizing_title", year=year if year is not None else "—", currency=cur)
    caption = ctx.t("market.sizing_caption")
    if year is None:
        return ctx.empty(key, title, caption)
    rows = sizing_rows(ctx, year)
    if rows.empty:
        return ctx.empty(key, title, caption)
    fig = market_charts.sizing_bars(
        rows,
        title=title,
        labels={k: ctx.t(f"market.size.{k}") for k in SIZE_KEYS},
        y_title=ctx.t("market.market_size_axis", currency=cur),
        money_prefix=ctx.fmt.currency_symbol,
        money_text=ctx.money,
        log_y=log_y,
    )
    takeaway = ""
    gap = sizing_gap(rows)
    if gap is not None:
        segment, ratio = gap
        takeaway = ctx.t(
            "market.sizing_takeaway", segment=segment, ratio=ctx.fmt.number(ratio, digits=1)
        )
    data = pd.DataFrame({ctx.t("filters.segment"): rows["segment"].astype(str)})
    for k in SIZE_KEYS:
        data[f"{ctx.t(f'market.size.{k}')} ({cur})"] = rows[k].astype(float)
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


def sizing_gap(rows: pd.DataFrame) -> tuple[str, float] | None:
    """(segment, bottom-up ÷ SOM) where the two methods are furthest apart: the largest
    |log ratio|, so 0.25× and 4× are as far off (a plain difference from 1 would rank 4× far
    above 0.25×). None when no segment has both a SOM and a bottom-up size."""
    som = rows["som"].astype(float)
    ratio = rows["bottom_up"].astype(float) / som.where(som > 0)
    known = ratio.dropna()
    if known.empty:
        return None
    with np.errstate(divide="ignore"):
        distance = np.abs(np.log(known))  # a bottom-up of 0 is infinitely far off
    i = distance.idxmax()
    return str(rows.loc[i, "segment"]), float(ratio[i])


@view(PAGE, "sizing_funnel", pack=False)
def sizing_funnel(
    ctx: Context, *, year: int | None = None, segment: str | None = None
) -> ChartSpec:
    """Top-down (TAM, SAM, SOM) beside bottom-up (accounts × ACV, what the funnel delivers,
    what we won) for one segment or all of them."""
    key = "market.sizing_funnel"
    cur = ctx.fmt.currency
    year = _year(ctx, year)
    scope = ctx.t("market.all_segments") if segment is None else segment
    title = ctx.t(
        "market.funnel_title", scope=scope, year=year if year is not None else "—", currency=cur
    )
    caption = ctx.t("market.funnel_caption")
    if year is None:
        return ctx.empty(key, title, caption)
    rows = reach(ctx, year)
    if segment is not None:
        rows = rows[rows["segment"] == segment]
    if rows.empty:
        return ctx.empty(key, title, caption)
    names = {
        "tam": ctx.t("market.size.tam"),
        "sam": ctx.t("market.size.sam"),
        "som": ctx.t("market.size.som"),
        "bottom_up": ctx.t("market.size.bottom_up_short"),
        "deliverable": ctx.t("market.deliverable_short"),
        "won_amount": ctx.t("market.won_short", year=year),
    }
    total = rows[list(names)].sum(min_count=1)  # a stage no segment has stays missing, not 0
    fig = market_charts.sizing_funnel(
        {k: total[k] for k in ("tam", "sam", "som")},
        {k: total[k] for k in ("bottom_up", "deliverable", "won_amount")},
        title=title,
        top_down_title=ctx.t("market.top_down"),
        bottom_up_title=ctx.t("market.bottom_up"),
        labels=names,
        money_text=ctx.money,
    )
    data = pd.DataFrame({ctx.t("filters.segment"): rows["segment"].astype(str)})
    for k, name in names.items():
        data[f"{name} ({cur})"] = rows[k].astype(float)
    return ChartSpec(key, PAGE, title, fig, data, caption, "")


@view(PAGE, "som_check")
def som_check(ctx: Context, *, year: int | None = None) -> ChartSpec:
    """Our won revenue against each SOM, with what the funnel can deliver in a year."""
    key = "market.som_check"
    cur = ctx.fmt.currency
    year = _year(ctx, year)
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
    rows = reach(ctx, year)
    if rows.empty:
        return ctx.empty(key, title, caption)
    coverage = {
        r.segment: (
            ctx.t("market.needs_growth", times=ctx.fmt.number(r.needed_growth, digits=1))
            if pd.notna(r.needed_growth)
            else ""
        )
        for r in rows.itertuples()
    }
    fig = market_charts.som_check(
        rows.assign(som_status=rows["reach"]),
        title=title,
        som_label=ctx.t("market.size.som"),
        motion_labels=ctx.motion_labels,
        status_labels={s: ctx.t(f"market.reach.{s}") for s in market_sizing.REACH_STATUSES},
        coverage_texts=coverage,
        x_title=ctx.t("market.won_vs_som_axis", currency=cur),
        money_prefix=ctx.fmt.currency_symbol,
        money_text=ctx.money,
        deliverable_label=ctx.t("market.deliverable"),
    )
    unreachable = rows.loc[rows["reach"] == "unreachable", "segment"].astype(str).tolist()
    takeaway = (
        ctx.t("market.unreachable_takeaway", segments=", ".join(unreachable))
        if unreachable
        else ctx.t("market.reachable_takeaway")
    )
    data = pd.DataFrame(
        {
            ctx.t("filters.segment"): rows["segment"].astype(str),
            f"{ctx.t('market.size.som')} ({cur})": rows["som"].astype(float),
            ctx.t("pack.col_won", currency=cur): rows["won_amount"].astype(float),
            ctx.t("market.col_opps_year"): rows["opportunities_per_year"].astype(float),
            ctx.t("kpi.win_rate"): rows["win_rate"].astype(float),
            f"{ctx.t('kpi.avg_deal_size')} ({cur})": rows["avg_deal_size"].astype(float),
            f"{ctx.t('market.deliverable')} ({cur})": rows["deliverable"].astype(float),
            f"{ctx.t('market.col_pipeline_expected')} ({cur})": rows["pipeline_expected"].astype(
                float
            ),
            ctx.t("pack.col_needed_growth"): rows["needed_growth"].astype(float),
            ctx.t("market.col_reach"): rows["reach"].map(lambda s: ctx.t(f"market.reach.{s}")),
        }
    )
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


def unreachable_flags(ctx: Context, year: int) -> list[str]:
    """One line per segment whose SOM the funnel cannot reach at its pace (escaped: CRM
    values go into markdown)."""
    rows = reach(ctx, year)
    return [
        ctx.t(
            "market.unreachable_flag",
            segment=html.escape(str(r.segment)),
            som=ctx.money(r.som),
            deliverable=ctx.money(r.deliverable),
            times=ctx.fmt.number(r.needed_growth, digits=1),
        )
        for r in rows[rows["reach"] == "unreachable"].itertuples()
    ]


def reach_table(ctx: Context, year: int) -> pd.DataFrame:
    """The SOM check as the page's table: sizes, shares, the funnel's pace and the verdict,
    formatted (a missing figure is "—")."""
    rows = reach(ctx, year)

    def pct(v: float | None) -> str:
        return ctx.fmt.pct(v, digits=0)

    out = []
    for r in rows.itertuples():
        sam_share, som_share = market_sizing.shares(r.tam, r.sam, r.som)
        out.append(
            {
                ctx.t("filters.segment"): str(r.segment),
                ctx.t("market.size.som"): ctx.money(r.som),
                ctx.t("market.col_sam_share"): pct(sam_share),
                ctx.t("market.col_som_share"): pct(som_share),
                ctx.t("market.size.bottom_up_short"): ctx.money(r.bottom_up),
                ctx.t("market.col_opps_year"): ctx.fmt.number(r.opportunities_per_year),
                ctx.t("kpi.win_rate"): pct(r.win_rate),
                ctx.t("kpi.avg_deal_size"): ctx.money(r.avg_deal_size),
                ctx.t("market.deliverable"): ctx.money(r.deliverable),
                ctx.t("market.col_pipeline_expected"): ctx.money(r.pipeline_expected),
                ctx.t("market.col_reach"): ctx.t(f"market.reach.{r.reach}"),
            }
        )
    return pd.DataFrame(out)


# -- 2. segment attractiveness ---------------------------------------------------------------
def _attractiveness(ctx: Context, year: int) -> pd.DataFrame:
    return market_sizing.attractiveness_table(_sizes(ctx), _won(ctx, year), year)


@view(PAGE, "attractiveness")
def attractiveness(ctx: Context, *, year: int | None = None) -> ChartSpec:
    """Segments by SAM and growth, bubble = our won revenue; the takeaway names the segment
    ranked first on size, growth and win rate together."""
    key = "market.attractiveness"
    cur = ctx.fmt.currency
    year = _year(ctx, year)
    title = ctx.t("market.bubbles_title", year=year if year is not None else "—", currency=cur)
    caption = ctx.t("market.bubbles_caption")
    if year is None:
        return ctx.empty(key, title, caption)
    segments = _attractiveness(ctx, year)
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
        money_text=ctx.money,
    )
    kind = data_checks.leaders(scored.set_index(scored["segment"].astype(str))["score"])
    if kind == "one":  # one segment sized: no ranking to state
        takeaway = ctx.t("market.bubbles_one_takeaway", segment=scored["segment"].iloc[0])
    elif kind in ("level", "tied"):
        tops = data_checks.best_names(scored.set_index(scored["segment"].astype(str))["score"])
        takeaway = ctx.t("market.bubbles_tied_takeaway", segments=", ".join(tops))
    else:
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
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


def ranked_segments(ctx: Context, year: int) -> pd.DataFrame:
    """The segments in the order of their attractiveness score, formatted for the page's
    table (empty when no segment has assumptions in ``year``)."""
    segments = _attractiveness(ctx, year)
    if segments.empty:
        return pd.DataFrame()
    labels = ctx.motion_labels

    def pct(v: float | None) -> str:
        return ctx.fmt.pct(v, digits=0)

    return pd.DataFrame(
        [
            {
                ctx.t("market.col_rank"): int(r.rank),
                ctx.t("filters.segment"): str(r.segment),
                ctx.t("market.col_score"): ctx.fmt.number(100 * r.score, digits=0),
                ctx.t("market.size.sam"): ctx.money(r.sam),
                ctx.t("market.growth"): f"{ctx.fmt.number(r.growth_pct, digits=1)}%",
                ctx.t("kpi.win_rate"): pct(r.win_rate),
                labels["pull"]: pct(r.win_rate_pull),
                labels["push"]: pct(r.win_rate_push),
                ctx.t("market.col_closed"): ctx.fmt.number(r.won + r.lost),
            }
            for r in market_sizing.attractiveness_scores(segments).itertuples()
        ]
    )


# -- 3. share against competitors ------------------------------------------------------------
def _scope(ctx: Context, segment: str | None) -> str:
    return ctx.t("market.all_segments") if segment is None else segment


def _competitors(ctx: Context, segment: str | None) -> pd.DataFrame:
    return ctx.ask(market.competitor_shares, ctx.filters, segment)


def shares(ctx: Context, segment: str | None) -> pd.DataFrame:
    """``market_sizing.share_table``: competitors' shares and ours (won ÷ TAM) by year."""
    sizes = _sizes(ctx)
    first, last = ctx.ask(market.data_span)
    won = {y: _won(ctx, y) for y in market_sizing.share_years(sizes, segment, first, last)}
    return market_sizing.share_table(_competitors(ctx, segment), sizes, segment, won)


def research_name(ctx: Context, segment: str | None) -> str | None:
    """The competitor row that is market research's estimate of us (the company's name)."""
    names = sorted(_competitors(ctx, segment)["competitor"].astype(str).unique())
    return our_competitor_name(names, ctx.settings.get("company_name"))


def share_leader(rivals: pd.DataFrame, residual: set[str]) -> pd.Series:
    """The competitor with the largest share in the latest year. A residual group ("Others",
    drawn as such: no position in the latest year) is not a competitor that leads, unless
    nothing else has a share that year."""
    latest = rivals[rivals["year"] == rivals["year"].max()]
    named = latest[~latest["player"].isin(residual)]
    return (named if not named.empty else latest).nlargest(1, "share_pct").iloc[0]


@view(PAGE, "competitor_share", pack=False)
def competitor_share(ctx: Context, *, segment: str | None = None) -> ChartSpec:
    """Each competitor's market share by year; the takeaway names the leader of the latest
    year."""
    key = "market.competitor_share"
    title = ctx.t("market.share_title", scope=_scope(ctx, segment))
    caption = ctx.t("market.share_caption")
    rivals = shares(ctx, segment)
    rivals = rivals[rivals["kind"] == "competitor"]
    if rivals.empty:
        return ctx.empty(key, title, caption, height=440)
    research = research_name(ctx, segment)
    positions = market_sizing.latest_positions(_competitors(ctx, segment))
    unplaced = positions["price_index"].isna() | positions["quality_index"].isna()
    residual = set(positions.loc[unplaced, "competitor"])
    fig = market_charts.competitor_shares(
        rivals,
        title=title,
        y_title=ctx.t("market.share_axis"),
        research_name=research,
        research_label=(
            ctx.t("market.us_research", name=html.escape(research)) if research else None
        ),
        no_position=residual,
    )
    leader = share_leader(rivals, residual)
    latest = rivals[(rivals["year"] == leader["year"]) & ~rivals["player"].isin(residual)]
    tops = data_checks.best_names(latest.set_index(latest["player"].astype(str))["share_pct"])
    takeaway = ctx.t(
        "market.share_takeaway" if len(tops) <= 1 else "market.share_tied_takeaway",
        name=leader["player"] if len(tops) <= 1 else ", ".join(tops),
        share=ctx.fmt.number(leader["share_pct"], digits=1),
        year=int(leader["year"]),
    )
    data = pd.DataFrame(
        {
            ctx.t("market.year"): rivals["year"].astype(int),
            ctx.t("market.col_competitor"): rivals["player"].astype(str),
            ctx.t("market.share_axis"): rivals["share_pct"].astype(float),
        }
    )
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


@view(PAGE, "our_share", pack=False)
def our_share(ctx: Context, *, segment: str | None = None) -> ChartSpec:
    """Our CRM share of the TAM by year, pull and push stacked; a year the data covers only in
    part is marked on its tick."""
    key = "market.our_share"
    title = ctx.t("market.our_share_title", scope=_scope(ctx, segment))
    caption = ctx.t("market.our_share_caption")
    ours = shares(ctx, segment)
    ours = ours[ours["kind"] == "us"]
    if ours.empty:
        return ctx.empty(key, title, caption, height=440)

    def tick(year: int) -> str:
        months = months_of(ctx, year)
        return (
            str(year) if months in (0, 12) else ctx.t("market.year_tick", year=year, months=months)
        )

    labels = ctx.motion_labels
    fig = market_charts.our_share(
        ours,
        title=title,
        y_title=ctx.t("market.share_axis"),
        motion_labels=labels,
        total_label=ctx.t("market.us_crm"),
        year_labels={int(y): tick(int(y)) for y in ours["year"].unique()},
    )
    latest = ours[ours["player"] == "us"].sort_values("year").iloc[-1]
    takeaway = ctx.t(
        "market.our_share_takeaway",
        share=ctx.fmt.number(latest["share_pct"], digits=2),
        year=int(latest["year"]),
    )
    players = {"us": ctx.t("market.us_crm"), "pull": labels["pull"], "push": labels["push"]}
    data = pd.DataFrame(
        {
            ctx.t("market.year"): ours["year"].astype(int),
            ctx.t("market.col_player"): ours["player"].map(players),
            ctx.t("market.share_axis"): ours["share_pct"].astype(float),
        }
    )
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


# -- 4. positioning --------------------------------------------------------------------------
def _normalised(name: str) -> str:
    # "Northwind Analytics (sample)" -> "northwind analytics": a trailing note in brackets
    # is not part of the name a market researcher would use.
    base = name.split("(", 1)[0]
    return " ".join(base.casefold().split())


def our_competitor_name(names: list[str], company_name: str | None) -> str | None:
    """The competitor-table row that is us (market research's estimate of our share and
    position): the name equal to the workspace's company name, ignoring case, spacing and a
    trailing note in brackets. None when no row matches."""
    if not company_name or not _normalised(company_name):
        return None
    target = _normalised(company_name)
    for name in names:
        if _normalised(name) == target:
            return name
    return None


@dataclass(frozen=True)
class MapStart:
    """Where the positioning map starts us, and the bounds around everyone."""

    price: float
    quality: float
    is_research: bool  # True: market research's position for us; False: the market average
    research_share_pct: float | None
    price_bounds: tuple[float, float]
    quality_bounds: tuple[float, float]


def placed_rivals(positions: pd.DataFrame, research_name: str | None) -> pd.DataFrame:
    """Competitors that can go on the map: not us, with both a price and a quality index."""
    rivals = positions[positions["competitor"] != research_name] if research_name else positions
    return rivals.dropna(subset=["price_index", "quality_index"]).reset_index(drop=True)


def map_start(positions: pd.DataFrame, research_name: str | None) -> MapStart | None:
    """Our starting point on the price × quality map: market research's position for us when
    the competitor table has one, else the share-weighted market average of the rivals (an
    honest "we don't know yet"). Bounds: 20 index points beyond everyone, on multiples of 5.
    None when no rival can be placed."""
    rivals = placed_rivals(positions, research_name)
    if rivals.empty:
        return None
    weights = rivals["share_pct"].clip(lower=0)
    if float(weights.sum()) <= 0:
        weights = pd.Series(1.0, index=rivals.index)
    avg_price = float((rivals["price_index"] * weights).sum() / weights.sum())
    avg_quality = float((rivals["quality_index"] * weights).sum() / weights.sum())
    ours = positions[positions["competitor"] == research_name] if research_name else None
    is_research = (
        ours is not None and not ours.dropna(subset=["price_index", "quality_index"]).empty
    )
    price = float(ours["price_index"].iloc[0]) if is_research else avg_price
    quality = float(ours["quality_index"].iloc[0]) if is_research else avg_quality
    research_share = (
        float(ours["share_pct"].iloc[0]) if ours is not None and not ours.empty else None
    )

    def bounds(values: list[float]) -> tuple[float, float]:
        return 5 * math.floor(min(values) / 5) - 20.0, 5 * math.ceil(max(values) / 5) + 20.0

    return MapStart(
        price=price,
        quality=quality,
        is_research=is_research,
        research_share_pct=research_share,
        price_bounds=bounds([*rivals["price_index"], price]),
        quality_bounds=bounds([*rivals["quality_index"], quality]),
    )


def axis_name(ctx: Context, axis: str) -> str:
    """A built-in axis in the reader's language; an axis the team named, as named."""
    return ctx.t(f"market.{axis}") if axis in BUILT_IN_AXES else axis


def positioning_values(ctx: Context, segment: str | None) -> pd.DataFrame:
    """Every position on the map (kind ``us`` / ``target`` / ``competitor``, player, axis,
    value; long form): the saved map, or — nothing saved yet — the research indices of the
    competitor table, with us at research's position for us (or the market average)."""
    stored = ctx.ask(plans.positioning_values)
    if not stored.empty:
        return stored
    positions = market_sizing.latest_positions(_competitors(ctx, segment))
    research = research_name(ctx, segment)
    base = [
        {"kind": "competitor", "player": r.competitor, "axis": a, "value": getattr(r, a)}
        for r in placed_rivals(positions, research).itertuples()
        for a in BUILT_IN_AXES
    ]
    start = map_start(positions, research)
    if start is not None:
        base += [
            {"kind": "us", "player": "", "axis": "price_index", "value": start.price},
            {"kind": "us", "player": "", "axis": "quality_index", "value": start.quality},
        ]
    return pd.DataFrame(base, columns=["kind", "player", "axis", "value"])


def positioning_axes(ctx: Context, segment: str | None, extra: str = "") -> list[str]:
    """The axes the map can use: the built-in two, every saved one, and ``extra`` (an axis
    being added)."""
    stored = positioning_values(ctx, segment)
    axes = list(dict.fromkeys([*BUILT_IN_AXES, *stored["axis"].astype(str)]))
    if extra.strip() and extra.strip() not in axes:
        axes.append(extra.strip())
    return axes


def positions_wide(ctx: Context, segment: str | None, axes: list[str]) -> pd.DataFrame:
    """One row per (kind, player), one column per axis in ``axes``."""
    values = positioning_values(ctx, segment)
    if values.empty:
        index = pd.MultiIndex.from_tuples([], names=["kind", "player"])
        return pd.DataFrame(index=index, columns=axes, dtype=float)
    return values.pivot_table(
        index=["kind", "player"], columns="axis", values="value", aggfunc="first"
    ).reindex(columns=axes)


@view(PAGE, "positioning", pack=False)
def positioning(
    ctx: Context,
    *,
    segment: str | None = None,
    x_axis: str = "price_index",
    y_axis: str = "quality_index",
) -> ChartSpec:
    """Competitors on two chosen axes (bubble = share in the latest year), us as a star and
    the target position we aim for."""
    key = "market.positioning"
    x_name, y_name = axis_name(ctx, x_axis), axis_name(ctx, y_axis)
    title = ctx.t("market.positioning_axes_title", x=x_name, y=y_name, scope=_scope(ctx, segment))
    caption = ctx.t("market.positioning_axes_caption")
    wide = positions_wide(ctx, segment, list(dict.fromkeys([x_axis, y_axis])))
    rivals = [p for k, p in wide.index if k == "competitor"]
    positions = market_sizing.latest_positions(_competitors(ctx, segment))
    share_of = dict(zip(positions["competitor"], positions["share_pct"], strict=True))
    xy = pd.DataFrame(
        {
            "competitor": rivals,
            "price_index": [wide.loc[("competitor", p), x_axis] for p in rivals],
            "quality_index": [wide.loc[("competitor", p), y_axis] for p in rivals],
            # a competitor without a researched share is drawn at the smallest size
            "share_pct": [float(share_of.get(p, 0.0) or 0.0) for p in rivals],
        }
    )
    placed = xy.dropna(subset=["price_index", "quality_index"]).reset_index(drop=True)

    def point(kind: str) -> tuple[float | None, float | None]:
        if (kind, "") not in wide.index:
            return None, None
        x, y = wide.loc[(kind, ""), x_axis], wide.loc[(kind, ""), y_axis]
        return (None, None) if pd.isna(x) or pd.isna(y) else (float(x), float(y))

    us_x, us_y = point("us")
    target_x, target_y = point("target")
    if placed.empty and us_x is None:
        return ctx.empty(key, title, caption, ctx.t("market.no_positions"), height=520)
    fig = market_charts.positioning_map(
        placed,
        title=title,
        x_title=x_name,
        y_title=y_name,
        us_label=ctx.t("market.us"),
        us_price=us_x,
        us_quality=us_y,
        average_label=ctx.t("market.market_average"),
        share_label=ctx.t("market.share"),
        target_x=target_x,
        target_y=target_y,
        target_label=ctx.t("market.target"),
    )
    takeaway = (
        ctx.t("market.positioning_takeaway", x=x_name, y=y_name)
        if target_x is not None and us_x is not None
        else ""
    )
    data = pd.DataFrame(
        {
            ctx.t("market.col_competitor"): placed["competitor"].astype(str),
            x_name: placed["price_index"].astype(float),
            y_name: placed["quality_index"].astype(float),
            ctx.t("market.share_axis"): placed["share_pct"].astype(float),
        }
    )
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


# -- 5. customer insight from the CRM --------------------------------------------------------
def _insight_value(ctx: Context, metric: str, value: float) -> str:
    if metric == "win_rate":
        return ctx.fmt.pct(value, digits=0)
    if metric == "sales_cycle_days":
        return ctx.t("market.days", days=ctx.fmt.number(value, digits=0))
    return ctx.money(value)


def insight_takeaway(
    ctx: Context, data: pd.DataFrame, *, dimension: str, metric: str, metric_label: str
) -> str:
    """What the insight chart says, from the bars it draws (``data``: one row per
    ``dimension`` value and motion group, ``pull``/``push``, with ``metric``):

    1. where both engines have a figure and they differ, the value with the widest pull-vs-push
       gap — the page's question is where the two engines diverge;
    2. else, when the bars differ, the best bar (highest; shortest for the sales cycle);
    3. else the bars are level, and the takeaway says so rather than crown one.
    """
    labels = ctx.motion_labels
    grid = data.pivot_table(index=dimension, columns="motion_group", values=metric)
    if {"pull", "push"} <= set(grid.columns):
        both = grid[["pull", "push"]].dropna()
        gap = (both["pull"] - both["push"]).abs()
        if not gap.empty and gap.max() > 0:
            # the widest gap; a tie goes to the first value in name order
            where = gap[gap == gap.max()].sort_index().index[0]
            return ctx.t(
                "market.insight_gap_takeaway",
                metric=metric_label,
                where=str(where),
                pull_label=labels["pull"],
                pull=_insight_value(ctx, metric, float(both.loc[where, "pull"])),
                push_label=labels["push"],
                push=_insight_value(ctx, metric, float(both.loc[where, "push"])),
            )
    values = data[metric].astype(float)
    lower_is_better = metric == "sales_cycle_days"
    bars = pd.Series(
        values.to_numpy(),
        index=[f"{d}\x1f{m}" for d, m in zip(data[dimension], data["motion_group"], strict=True)],
    )
    kind = data_checks.leaders(bars, lowest=lower_is_better)
    if (data[dimension] == data[dimension].iloc[0]).all():
        # a single value of the dimension: nothing to rank it against
        return ctx.t(
            "market.insight_one_takeaway",
            metric=metric_label,
            dimension=ctx.t(f"market.dim.{dimension}"),
            where=str(data[dimension].iloc[0]),
            value=_insight_value(ctx, metric, float(values.iloc[0])),
        )
    if kind in ("level", "one"):
        engines = data["motion_group"].unique()
        return ctx.t(
            "market.insight_level_takeaway"
            if len(engines) > 1
            else "market.insight_level_one_engine_takeaway",
            motion=labels.get(engines[0], engines[0]),
            metric=metric_label,
            dimension=ctx.t(f"market.dim.{dimension}"),
            value=_insight_value(ctx, metric, float(values.iloc[0])),
        )
    best = values.min() if lower_is_better else values.max()
    top = data[values == best].sort_values([dimension, "motion_group"])
    if kind == "tied" and len(set(top[dimension])) > 1:  # shared by values: crown none
        return ctx.t(
            "market.insight_tied_takeaway",
            metric=metric_label,
            where=", ".join(sorted({str(v) for v in top[dimension]})),
            value=_insight_value(ctx, metric, float(best)),
        )
    top = top.iloc[0]
    return ctx.t(
        "market.insight_takeaway",
        metric=metric_label,
        where=str(top[dimension]),
        motion=labels.get(top["motion_group"], top["motion_group"]),
    )


@view(PAGE, "win_rate_by_segment")
def win_rate_by_segment(
    ctx: Context, *, dimension: str = "segment", metric: str = "win_rate"
) -> ChartSpec:
    """A CRM metric (win rate by default) by segment, region or product, pull vs push, deals
    closed in the sidebar period; the takeaway follows ``insight_takeaway``."""
    if dimension not in INSIGHT_DIMENSIONS or metric not in INSIGHT_METRICS:
        raise ValueError(f"unknown insight {dimension!r} / {metric!r}")
    key = "market.win_rate_by_segment"
    money = metric in ("won_amount", "avg_deal_size")
    title = ctx.t(
        f"market.insight_{metric}_title",
        dimension=ctx.t(f"market.dim.{dimension}"),
        currency=ctx.fmt.currency if money else "",
    )
    caption = ctx.t(_INSIGHT_CAPTIONS[metric])
    insight = ctx.ask(metrics.deal_metrics_by, ctx.filters, dimension)
    insight = insight[insight["motion_group"].isin(["pull", "push"])].rename(
        columns={"dimension_value": dimension}
    )
    data = insight[insight[dimension].notna() & insight[metric].notna()]
    if data.empty:
        return ctx.empty(key, title, caption, height=380)
    labels = ctx.motion_labels
    metric_label = ctx.t(f"kpi.{metric}")
    fig = charts.motion_bars(
        data.assign(**{dimension: data[dimension].map(lambda v: html.escape(str(v)))}),
        category=dimension,
        value=metric,
        title=title,
        value_title=metric_label,
        motion_labels=labels,
        motion="motion_group",
        value_prefix=ctx.fmt.currency_symbol if money else "",
        value_format={"win_rate": ".0%", "sales_cycle_days": ",.0f"}.get(metric, "~s"),
        height=380,
    )
    takeaway = insight_takeaway(
        ctx, data, dimension=dimension, metric=metric, metric_label=metric_label
    )
    # one-sided data (no lost deals, under 30 closed) and outlier deals: the takeaway's caveats
    takeaway = funnel_views.with_caveat(ctx, takeaway, metric)
    table = pd.DataFrame(
        {
            ctx.t(f"filters.{dimension}"): data[dimension].astype(str),
            ctx.t("pack.col_motion"): data["motion_group"].map(lambda m: labels.get(m, m)),
            metric_label: data[metric].astype(float),
            ctx.t("kpi.won"): data["won"].astype(int),
            ctx.t("kpi.lost"): data["lost"].astype(int),
        }
    )
    return ChartSpec(key, PAGE, title, fig, table, caption, takeaway)
