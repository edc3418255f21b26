"""The evidence beside each P of the 4P plan: product, price, place, promotion, budget split.
What a frame says (cost per won deal, product names) lives in planning/ and views/.

Win rate, deal size, cycle and won amount by product, region, segment, quarter and discount
band come from ``metrics.deal_metrics_by`` (one implementation per metric).
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pandas as pd

from planning import fiscal
from queries import metrics as _metrics
from queries.data_checks import kept_days
from queries.filters import Filters
from queries.metrics import deal_metrics_by
from queries.workspace import Workspace


def by_dimension(ws: Workspace, filters: Filters, dimension: str) -> pd.DataFrame:
    """``deal_metrics_by`` with the dimension column named after the dimension."""
    return deal_metrics_by(ws, filters, dimension).rename(columns={"dimension_value": dimension})


def product_trend(
    ws: Workspace,
    filters: Filters,
    products: list[str] | tuple[str, ...] | None = None,
    *,
    lang: str = "en",
) -> pd.DataFrame:
    """One row per product and quarter closed in the period (overall motion group): won
    revenue, won, lost and win rate.

    ``products`` names the products to draw; by default those with a deal in the period
    (``by_dimension(ws, filters, "product")``). A page that already holds that frame passes its
    names, so the split by product is not asked for twice. Quarters are the workspace's fiscal
    ones (``deal_metrics_by``): ``quarter`` is the label (in ``lang``), ``quarter_start`` its
    first day, ``is_partial`` whether the period covers only part of it.
    """
    if products is None:
        products = by_dimension(ws, filters, "product")["product"].dropna().unique()
    names = sorted(products)
    frames = []
    if names:  # (an empty product filter would mean every product)
        # one pass: quarter × product (deal_metrics_by with a second dimension)
        both = _metrics.deal_metrics_by(
            ws,
            replace(filters, products=tuple(names)),
            "closed_quarter",
            pair="product",
            lang=lang,
            # won revenue, won, lost and win rate: no cycle, no opportunities
            opportunities=False,
            cycle=False,
        )
        both = both[(both["motion_group"] == "overall") & both["pair_value"].isin(names)]
        frames.append(both.rename(columns={"dimension_value": "quarter", "pair_value": "product"}))
    frames = [fr for fr in frames if not fr.empty]
    cols = [
        "product",
        "quarter",
        "quarter_start",
        "won_amount",
        "won",
        "lost",
        "win_rate",
        "is_partial",
    ]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    # drop deals without a close date
    out = out[out["quarter_start"].notna()].copy()
    start = fiscal.start_month(ws.settings())
    out["is_partial"] = [is_partial_quarter(d, filters, start) for d in out["quarter_start"]]
    return out[cols].sort_values(["product", "quarter_start"]).reset_index(drop=True)


def is_partial_quarter(first: date, filters: Filters, start: int = 1) -> bool:
    """True when the period covers only part of the quarter starting on ``first`` (a fiscal
    quarter when ``start``, the fiscal year's first month, is not 1): its totals are not
    comparable with a full quarter's."""
    return first < filters.date_from or fiscal.quarter_end(first, start) > filters.date_to


# Discount band i of deal_metrics_by covers (BAND_LOW[i], BAND_HIGH[i]] percent; band 0 is
# "no discount" and the last band has no upper bound.
BAND_LOW = (0, 0, 5, 10, 15, 20, 30)
BAND_HIGH = (0, 5, 10, 15, 20, 30, None)


def discount_curve(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per discount band and motion group: closed deals, win rate, average deal size.

    Deals without a recorded discount are left out.
    """
    # bands of closed deals only: no opportunities, no median cycle to count
    df = deal_metrics_by(ws, filters, "discount_band", opportunities=False, cycle=False)
    df = df[df["dimension_value"].notna()].copy()
    df["band_index"] = df["dimension_value"].astype(int)
    df["band_low_pct"] = [BAND_LOW[i] for i in df["band_index"]]
    df["band_high_pct"] = [BAND_HIGH[i] for i in df["band_index"]]
    df["closed"] = df["won"] + df["lost"]
    cols = [
        "band_index",
        "band_low_pct",
        "band_high_pct",
        "motion_group",
        "won",
        "lost",
        "closed",
        "won_amount",
        "win_rate",
        "avg_deal_size",
    ]
    return df.loc[df["closed"] > 0, cols].sort_values(["band_index", "motion_group"])


def won_deal_amounts(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per deal won in the period: amount, discount, motion."""
    return ws.query("mix_won_deal_amounts", **filters.params())


def place_grid(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per region and segment (overall motion group): win rate, won, lost, won
    revenue and cycle of the deals closed in the period."""
    # one pass: region × segment (deal_metrics_by with a second dimension)
    both = _metrics.deal_metrics_by(ws, filters, "region", pair="segment")
    both = both[(both["motion_group"] == "overall") & both["pair_value"].notna()]
    frames = [both.rename(columns={"dimension_value": "region", "pair_value": "segment"})]
    frames = [fr for fr in frames if not fr.empty]
    cols = ["region", "segment", "won", "lost", "win_rate", "won_amount", "sales_cycle_days"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)[cols]
    return out[out["region"].notna()].reset_index(drop=True)


def promotion(ws: Workspace, filters: Filters, *, live: bool = False) -> pd.DataFrame:
    """One row per marketing channel: spend, leads, cost per lead, pipeline created, won
    revenue and won revenue per unit of spend in the period. The deals from those kept per
    day and channel (migration 034) unless ``live``, an owner filter (owners are not kept) or
    a write that skipped the refresh asks for the records."""
    kept = not live and kept_days(ws, filters)
    df = ws.query("mix_promotion_by_channel", **filters.params(), kept=kept)
    # won ÷ spend of a channel with spend and no deal in the period is 0 when the channel has
    # deals at other times, undefined when it has none at all; the query looks up the lead of
    # the period's deals only, so those few channels are checked on their own
    idle = df[~df["has_period_deals"].astype(bool) & df["spend"].ne(0)]
    if not idle.empty:
        known = ws.query(
            "mix_channels_with_deals", channels=idle["channel"].tolist(), **filters.params()
        )
        has_deals = idle["channel"].isin(set(known["channel"]))
        rows = idle.index[has_deals.to_numpy()]
        df.loc[rows, "won_per_spend"] = 0.0 / df.loc[rows, "spend"]
    return df.drop(columns="has_period_deals")


def budget_split(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per spend category and channel in the period, with its share of the category's
    total (``share``, 0..1) and of all spend (``share_of_all``)."""
    df = ws.query("mix_spend_split", **filters.params())
    if df.empty:
        return df.assign(share=pd.Series(dtype=float), share_of_all=pd.Series(dtype=float))
    totals = df.groupby("category")["amount"].transform("sum")
    df["share"] = df["amount"] / totals.where(totals != 0)
    grand = df["amount"].sum()
    df["share_of_all"] = df["amount"] / grand if grand else float("nan")
    return df


BIN_COLUMNS = ["bin_index", "low", "high", "motion", "deals"]
_STEPS = (1, 2, 5)  # the 1-2-5 series: 1, 2, 5, 10, 20, 50...


def _nice_edges(low: float, high: float) -> list[float]:
    """Bin edges on the 1-2-5 series, from the last edge at or below ``low`` to the first
    edge above ``high`` (``low`` > 0)."""
    first_exp = math.floor(math.log10(low))
    last_exp = math.floor(math.log10(high)) + 1
    series = [s * 10.0**e for e in range(first_exp, last_exp + 1) for s in _STEPS]
    start = max(i for i, edge in enumerate(series) if edge <= low)
    stop = min(i for i, edge in enumerate(series) if edge > high)
    return series[start : stop + 1]


def deal_size_bins(amounts: pd.DataFrame) -> pd.DataFrame:
    """Won deals counted per deal-size bin and motion: one row per bin (``bin_index``, edges
    ``low`` ≤ amount < ``high`` on the 1-2-5 series, so bins are equally wide on a log scale
    and read as round numbers) and motion, with ``deals``. Deals of zero or negative amount
    are left out."""
    positive = amounts[amounts["amount"] > 0]
    if positive.empty:
        return pd.DataFrame(columns=BIN_COLUMNS)
    edges = _nice_edges(float(positive["amount"].min()), float(positive["amount"].max()))
    bins = pd.cut(positive["amount"], bins=edges, right=False, labels=False)
    counted = (
        positive.assign(bin_index=bins.astype(int))
        .groupby(["bin_index", "motion"], as_index=False)
        .size()
        .rename(columns={"size": "deals"})
    )
    return _bin_grid(edges, counted, positive["motion"].unique())


def _bin_grid(edges: list[float], counted: pd.DataFrame, motions) -> pd.DataFrame:
    """``counted`` (bin_index, motion, deals) on the full grid of bins × motions: every bin
    appears for every motion, so bars line up and gaps show as zero."""
    grid = pd.MultiIndex.from_product(
        [range(len(edges) - 1), sorted(motions)], names=["bin_index", "motion"]
    ).to_frame(index=False)
    out = grid.merge(counted, on=["bin_index", "motion"], how="left").fillna({"deals": 0})
    out["deals"] = out["deals"].astype(int)
    out["low"] = [edges[i] for i in out["bin_index"]]
    out["high"] = [edges[i + 1] for i in out["bin_index"]]
    return out[BIN_COLUMNS]


def won_deal_size_bins(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """``deal_size_bins(won_deal_amounts(ws, filters))``, counted in the database: the query
    returns a few rows per motion (each deal's step of the 1-2-5 series) instead of one row per
    won deal, and the bins are the same."""
    classes = ws.query("mix_won_deal_size_classes", **filters.params())
    if classes.empty:
        return pd.DataFrame(columns=BIN_COLUMNS)
    low = float(classes["min_amount"].iloc[0])
    edges = _nice_edges(low, float(classes["max_amount"].iloc[0]))
    # the bins are a window of the 1-2-5 series (_nice_edges); class (decade, step) is the bin
    # whose lower edge is step × 10^decade, counted from the window's first edge
    first = math.floor(math.log10(low))
    series = [(e, s) for e in range(first, first + len(edges) + 2) for s in _STEPS]
    start = next(i for i, (e, s) in enumerate(series) if s * 10.0**e == edges[0])
    position = {key: i - start for i, key in enumerate(series) if i >= start}
    bin_index = [
        position[(int(e), int(s))] for e, s in zip(classes["decade"], classes["step"], strict=True)
    ]
    counted = pd.DataFrame(
        {"bin_index": bin_index, "motion": classes["motion"], "deals": classes["deals"]}
    )
    return _bin_grid(edges, counted, classes["motion"].unique())


def price_realisation(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per product of the deals won in the period with a recorded discount: won
    amount, list amount (before discount) and price realisation = won ÷ list."""
    return ws.query("mix_price_realisation", **filters.params())
