"""Market analysis: sizing, segment attractiveness, share against competitors, positioning.

Market sizes and competitor shares are yearly planning assumptions (``market_segments``,
``competitors``); our own side (won revenue, win rate) always comes from
``metrics.deal_metrics_by`` over one calendar year, so each metric keeps one implementation.
The sidebar's segment filter narrows both sides; its region, product and owner filters narrow
only our revenue (the market tables have no such split) — the page captions say so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from queries.filters import Filters
from queries.metrics import deal_metrics_by
from queries.workspace import Workspace

# Below this share of its SOM, a segment's won revenue is flagged: the funnel has not come
# close to the obtainable market the plan assumes (either the SOM is optimistic or the
# engines are under-powered there). Above 100 % the SOM assumption is too timid.
SOM_FAR_BELOW = 0.5


def market_years(ws: Workspace) -> list[int]:
    """Years with market assumptions or competitor shares, newest first."""
    return [int(y) for y in ws.query("market_years")["year"]]


def segment_names(ws: Workspace, filters: Filters) -> list[str]:
    """Segments named in the market assumptions or competitor shares (sidebar filter)."""
    df = ws.query("market_segment_names", segments=filters.params()["segments"])
    return [str(s) for s in df["segment"]]


def data_span(ws: Workspace) -> tuple[date | None, date | None]:
    """First and last day with any data in the workspace (None when it is empty)."""
    row = ws.query("data_date_range").iloc[0]
    first, last = row["first_day"], row["last_day"]
    if pd.isna(first) or pd.isna(last):
        return None, None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def year_filters(filters: Filters, year: int) -> Filters:
    """The sidebar filters with the period replaced by calendar year ``year``."""
    return replace(filters, date_from=date(year, 1, 1), date_to=date(year, 12, 31))


def segment_sizes(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per segment and year: TAM, SAM, SOM, growth %, bottom-up size."""
    return ws.query("market_segment_sizes", segments=filters.params()["segments"])


def won_by_segment(ws: Workspace, filters: Filters, year: int) -> pd.DataFrame:
    """One row per segment: won amount (overall, pull, push), won, lost, win rates in ``year``.

    Sizing, attractiveness and our share all read this frame; a page asks for it once per
    year (``state.call``) and hands it to ``sizing_table``, ``attractiveness_table`` and
    ``share_table``."""
    df = deal_metrics_by(ws, year_filters(filters, year), "segment")
    cols = ["segment", "won_amount", "won_pull", "won_push", "won", "lost"]
    cols += ["win_rate", "win_rate_pull", "win_rate_push"]
    df = df[df["dimension_value"].notna()]
    if df.empty:
        return pd.DataFrame(columns=cols)
    # one row per segment from the (segment, motion group) rows; a group a segment lacks has
    # no win rate and nothing won (a few rows: plain dicts beat a pivot table here)
    metrics = ("won_amount", "win_rate", "won", "lost")
    cell = {
        (row[0], row[1]): row[2:]
        for row in zip(
            df["dimension_value"], df["motion_group"], *(df[m] for m in metrics), strict=True
        )
    }
    segments = sorted(df["dimension_value"].unique())
    nan = float("nan")

    def pick(metric: str, group: str, missing: float) -> list[float]:
        i = metrics.index(metric)
        values = [cell[(s, group)][i] if (s, group) in cell else nan for s in segments]
        return [missing if pd.isna(v) else float(v) for v in values]

    out = pd.DataFrame(
        {
            "segment": segments,
            "won_amount": pick("won_amount", "overall", 0.0),
            "won_pull": pick("won_amount", "pull", 0.0),
            "won_push": pick("won_amount", "push", 0.0),
            "won": pick("won", "overall", 0.0),
            "lost": pick("lost", "overall", 0.0),
            "win_rate": pick("win_rate", "overall", nan),
            "win_rate_pull": pick("win_rate", "pull", nan),
            "win_rate_push": pick("win_rate", "push", nan),
        }
    )
    out["won"] = out["won"].astype(int)
    out["lost"] = out["lost"].astype(int)
    return out[cols]


def sizing(ws: Workspace, filters: Filters, year: int) -> pd.DataFrame:
    """One row per segment with assumptions in ``year``: the top-down sizes, the bottom-up size,
    our won revenue that calendar year (overall, pull, push), its coverage of the SOM
    (won ÷ SOM) and a status: ``below`` (< SOM_FAR_BELOW), ``near``, ``above`` (> 100 %),
    ``no_som`` when the SOM is missing or zero."""
    sizes = segment_sizes(ws, filters)
    if sizes[sizes["year"] == year].empty:
        return sizing_table(sizes, pd.DataFrame(), year)
    return sizing_table(sizes, won_by_segment(ws, filters, year), year)


def sizing_table(sizes: pd.DataFrame, won: pd.DataFrame, year: int) -> pd.DataFrame:
    """``sizing`` from ``segment_sizes`` (all years) and ``won_by_segment`` of ``year``."""
    sizes = sizes[sizes["year"] == year].drop(columns="year")
    cols = [*sizes.columns, "won_amount", "won_pull", "won_push", "som_coverage", "som_status"]
    if sizes.empty:
        return pd.DataFrame(columns=cols)
    df = sizes.merge(
        won[["segment", "won_amount", "won_pull", "won_push"]], on="segment", how="left"
    )
    for col in ("won_amount", "won_pull", "won_push"):
        df[col] = df[col].astype(float).fillna(0.0)
    som = df["som"].astype(float)
    df["som_coverage"] = df["won_amount"] / som.where(som > 0)
    df["som_status"] = "near"
    df.loc[df["som_coverage"] < SOM_FAR_BELOW, "som_status"] = "below"
    df.loc[df["som_coverage"] > 1.0, "som_status"] = "above"
    df.loc[df["som_coverage"].isna(), "som_status"] = "no_som"
    return df[cols].reset_index(drop=True)


def attractiveness(ws: Workspace, filters: Filters, year: int) -> pd.DataFrame:
    """One row per segment with assumptions in ``year``: SAM, growth %, our won revenue and win
    rate (overall, pull, push) that calendar year; ranked by win rate (1 = best, deals closed
    that year; segments with no closed deal rank last)."""
    return attractiveness_table(segment_sizes(ws, filters), won_by_segment(ws, filters, year), year)


def attractiveness_table(sizes: pd.DataFrame, won: pd.DataFrame, year: int) -> pd.DataFrame:
    """``attractiveness`` from ``segment_sizes`` (all years) and ``won_by_segment`` of
    ``year``."""
    sizes = sizes[sizes["year"] == year][["segment", "sam", "growth_pct"]]
    df = sizes.merge(won, on="segment", how="left")
    if df.empty:
        return df.assign(rank=pd.Series(dtype="int64"))
    for col in ("won_amount", "won_pull", "won_push"):
        df[col] = df[col].astype(float).fillna(0.0)
    for col in ("won", "lost"):
        df[col] = df[col].astype(float).fillna(0).astype(int)
    df = df.sort_values(["win_rate", "won_amount"], ascending=False, na_position="last")
    df["rank"] = range(1, len(df) + 1)
    return df.reset_index(drop=True)


def competitor_shares(ws: Workspace, filters: Filters, segment: str | None) -> pd.DataFrame:
    """One row per competitor and year in scope: share (percent), price and quality index
    (``market_competitor_shares``); ``share_table`` and ``latest_positions`` read it."""
    return ws.query(
        "market_competitor_shares", segments=filters.params()["segments"], segment=segment
    )


def _scoped_sizes(sizes: pd.DataFrame, segment: str | None) -> pd.DataFrame:
    if segment is not None:
        sizes = sizes[sizes["segment"] == segment]
    return sizes[sizes["tam"].astype(float) > 0]


def share_years(
    sizes: pd.DataFrame, segment: str | None, first: date | None, last: date | None
) -> list[int]:
    """The years that get a share of ours: a TAM in scope, and inside the span of the data."""
    if first is None or last is None:
        return []
    years = sorted(set(_scoped_sizes(sizes, segment)["year"]))
    return [int(y) for y in years if first.year <= y <= last.year]


def share_over_time(ws: Workspace, filters: Filters, segment: str | None) -> pd.DataFrame:
    """One row per year and player: ``player`` is a competitor's name or ``us`` / ``pull`` /
    ``push``; ``kind`` is ``competitor`` or ``us``; ``share_pct`` in percent.

    Our share = our won revenue in the segment that calendar year ÷ the segment's TAM (across
    segments: total won ÷ total TAM of the segments in scope); pull and push are its parts.
    Years outside the span of the workspace's data have no share of ours (not zero).
    """
    comp = competitor_shares(ws, filters, segment)
    sizes = segment_sizes(ws, filters)
    first, last = data_span(ws)
    won = {y: won_by_segment(ws, filters, y) for y in share_years(sizes, segment, first, last)}
    return share_table(comp, sizes, segment, won)


def share_table(
    comp: pd.DataFrame,
    sizes: pd.DataFrame,
    segment: str | None,
    won_by_year: Mapping[int, pd.DataFrame],
) -> pd.DataFrame:
    """``share_over_time`` from ``competitor_shares``, ``segment_sizes`` (all years) and
    ``won_by_segment`` of each year in ``share_years``."""
    comp = comp.assign(player=comp["competitor"], kind="competitor")[
        ["year", "player", "kind", "share_pct"]
    ]
    sizes = _scoped_sizes(sizes, segment)
    ours = []
    for year in sorted(won_by_year):
        in_year = sizes[sizes["year"] == year]
        won = won_by_year[year]
        won = won[won["segment"].isin(in_year["segment"])]
        tam = float(in_year["tam"].sum())
        for player, col in (("us", "won_amount"), ("pull", "won_pull"), ("push", "won_push")):
            share = 100.0 * float(won[col].sum()) / tam
            ours.append({"year": int(year), "player": player, "kind": "us", "share_pct": share})
    us = pd.DataFrame(ours, columns=["year", "player", "kind", "share_pct"])
    frames = [f for f in (comp, us) if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["year", "player", "kind", "share_pct"])
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    out["share_pct"] = out["share_pct"].astype(float)
    return out.sort_values(["year", "kind", "player"]).reset_index(drop=True)


def positioning(ws: Workspace, filters: Filters, segment: str | None) -> pd.DataFrame:
    """One row per competitor in the latest year with competitor data (in scope): price and
    quality index, share (percent) and the year."""
    return latest_positions(competitor_shares(ws, filters, segment))


def latest_positions(comp: pd.DataFrame) -> pd.DataFrame:
    """``positioning`` from ``competitor_shares``: the rows of the latest year."""
    if comp.empty:
        return comp
    latest = comp["year"].max()
    return comp[comp["year"] == latest].reset_index(drop=True)


def months_covered(first: date | None, last: date | None, year: int) -> int:
    """Calendar months of ``year`` that the workspace's data spans (0..12, partial months
    count): a year with fewer than 12 holds only part of a year of our revenue."""
    if first is None or last is None or year < first.year or year > last.year:
        return 0
    start = first.month if year == first.year else 1
    end = last.month if year == last.year else 12
    return end - start + 1


def default_year(years: list[int], first: date | None, last: date | None) -> int | None:
    """The newest year with assumptions that the data covers in full; else the newest year
    the data reaches; else the newest year."""
    if not years:
        return None
    full = [y for y in years if months_covered(first, last, y) == 12]
    if full:
        return max(full)
    reached = [y for y in years if months_covered(first, last, y) > 0]
    return max(reached) if reached else max(years)


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
    """Where the positioning map starts us, and the slider bounds around everyone."""

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


def open_pipeline_by_segment(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per segment: the amount of the deals open on the last day of the period."""
    return ws.query("plan_segment_funnel", **filters.params())


def funnel_by_segment(by_segment: pd.DataFrame, open_pipeline: pd.DataFrame) -> pd.DataFrame:
    """One row per segment for the SOM check (planning.market_sizing.reach_table): the
    opportunities created, win rate and average deal size of the period (overall motion group
    of ``deal_metrics_by(..., "segment")``) and the open pipeline at its end."""
    overall = by_segment[
        (by_segment["motion_group"] == "overall") & by_segment["dimension_value"].notna()
    ]
    df = overall.rename(columns={"dimension_value": "segment"})[
        ["segment", "opportunities", "win_rate", "avg_deal_size"]
    ]
    return df.merge(open_pipeline, on="segment", how="outer").reset_index(drop=True)


REACH_STATUSES = ("reachable", "stretch", "unreachable", "no_som", "no_funnel")
