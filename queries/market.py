"""Market analysis data: market assumptions, competitor shares, our won revenue per segment.

Market sizes and competitor shares are yearly planning assumptions (``market_segments``,
``competitors``); our own side (won revenue, win rate) always comes from
``metrics.deal_metrics_by`` over one calendar year, so each metric keeps one implementation.
The sidebar's segment filter narrows both sides; its region, product and owner filters narrow
only our revenue (the market tables have no such split) — the page captions say so.

Only functions that ask the workspace live here; the models that combine their frames (sizing,
attractiveness, share, the market year) are in ``planning.market_sizing`` and what a chart
says is in ``views/market.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from planning import market_sizing
from queries.filters import Filters
from queries.metrics import deal_metrics_by
from queries.workspace import Workspace


def market_years(ws: Workspace) -> list[int]:
    """Years with market assumptions or competitor shares, newest first."""
    return [int(y) for y in ws.query("market_years")["year"]]


def segment_names(ws: Workspace, filters: Filters) -> list[str]:
    """Segments named in the market assumptions or competitor shares (sidebar filter)."""
    df = ws.query("market_segment_names", segments=filters.params()["segments"])
    return [str(s) for s in df["segment"]]


def data_span(ws: Workspace) -> tuple[date | None, date | None]:
    """First and last day with any data in the workspace (None when it is empty)."""
    row = ws.per_version("data_date_range").iloc[0]
    first, last = row["first_day"], row["last_day"]
    if pd.isna(first) or pd.isna(last):
        return None, None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def segment_sizes(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per segment and year: TAM, SAM, SOM, growth %, bottom-up size."""
    return ws.query("market_segment_sizes", segments=filters.params()["segments"])


def _year_filters(filters: Filters, year: int) -> Filters:
    # the market is sized per calendar year: our side of it is counted over the same year,
    # whatever the sidebar period
    return replace(filters, date_from=date(year, 1, 1), date_to=date(year, 12, 31))


def won_by_segment(ws: Workspace, filters: Filters, year: int) -> pd.DataFrame:
    """One row per segment: won amount (overall, pull, push), won, lost, win rates in ``year``.

    Sizing, attractiveness and our share all read this frame; a page asks for it once per
    year (cached) and hands it to ``planning.market_sizing``'s ``sizing_table``,
    ``attractiveness_table`` and ``share_table``."""
    # the figures of the deals closed that year only: no opportunities, no median cycle
    df = deal_metrics_by(
        ws, _year_filters(filters, year), "segment", opportunities=False, cycle=False
    )
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
    """``planning.market_sizing.sizing_table`` of ``year``, read from the workspace."""
    sizes = segment_sizes(ws, filters)
    if sizes[sizes["year"] == year].empty:
        return market_sizing.sizing_table(sizes, pd.DataFrame(), year)
    return market_sizing.sizing_table(sizes, won_by_segment(ws, filters, year), year)


def attractiveness(ws: Workspace, filters: Filters, year: int) -> pd.DataFrame:
    """``planning.market_sizing.attractiveness_table`` of ``year``, read from the workspace."""
    return market_sizing.attractiveness_table(
        segment_sizes(ws, filters), won_by_segment(ws, filters, year), year
    )


def competitor_shares(ws: Workspace, filters: Filters, segment: str | None) -> pd.DataFrame:
    """One row per competitor and year in scope: share (percent), price and quality index
    (``market_competitor_shares``)."""
    return ws.query(
        "market_competitor_shares", segments=filters.params()["segments"], segment=segment
    )


def share_over_time(ws: Workspace, filters: Filters, segment: str | None) -> pd.DataFrame:
    """``planning.market_sizing.share_table`` read from the workspace: competitors' shares and
    ours (won revenue ÷ TAM) by year; years outside the data have no share of ours."""
    comp = competitor_shares(ws, filters, segment)
    sizes = segment_sizes(ws, filters)
    first, last = data_span(ws)
    years = market_sizing.share_years(sizes, segment, first, last)
    won = {y: won_by_segment(ws, filters, y) for y in years}
    return market_sizing.share_table(comp, sizes, segment, won)


def positioning(ws: Workspace, filters: Filters, segment: str | None) -> pd.DataFrame:
    """One row per competitor in the latest year with competitor data (in scope): price and
    quality index, share (percent) and the year."""
    return market_sizing.latest_positions(competitor_shares(ws, filters, segment))


def open_pipeline_by_segment(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per segment: the amount of the deals open on the last day of the period."""
    return ws.query("plan_segment_funnel", **filters.params())
