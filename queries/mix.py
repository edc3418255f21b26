"""The evidence beside each P of the 4P plan: product, price, place, promotion, budget split.

Win rate, deal size, cycle and won amount by product, region, segment, quarter and discount
band come from ``metrics.deal_metrics_by`` (one implementation per metric).
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pandas as pd

from queries.filters import Filters
from queries.metrics import deal_metrics_by
from queries.workspace import Workspace


def by_dimension(ws: Workspace, filters: Filters, dimension: str) -> pd.DataFrame:
    """``deal_metrics_by`` with the dimension column named after the dimension."""
    return deal_metrics_by(ws, filters, dimension).rename(columns={"dimension_value": dimension})


def product_trend(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per product and quarter closed in the period (overall motion group): won
    revenue, won, lost and win rate."""
    products = by_dimension(ws, filters, "product")
    names = sorted(products["product"].dropna().unique())
    frames = []
    for name in names:
        quarterly = deal_metrics_by(ws, replace(filters, products=(name,)), "closed_quarter")
        quarterly = quarterly[quarterly["motion_group"] == "overall"]
        if quarterly.empty:
            continue
        frames.append(quarterly.rename(columns={"dimension_value": "quarter"}).assign(product=name))
    cols = ["product", "quarter", "won_amount", "won", "lost", "win_rate", "is_partial"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    # '2025-Q1' sorts as text in time order; drop deals without a close date.
    out = out[out["quarter"].notna()].copy()
    out["is_partial"] = [is_partial_quarter(q, filters) for q in out["quarter"]]
    return out[cols].sort_values(["product", "quarter"]).reset_index(drop=True)


def is_partial_quarter(quarter: str, filters: Filters) -> bool:
    """True when the period covers only part of ``quarter`` ('2025-Q4'): its totals are not
    comparable with a full quarter's."""
    year, q = quarter.split("-Q")
    first = date(int(year), 3 * int(q) - 2, 1)
    last = (pd.Timestamp(first) + pd.offsets.QuarterEnd(0)).date()
    return first < filters.date_from or last > filters.date_to


# Discount band i of deal_metrics_by covers (BAND_LOW[i], BAND_HIGH[i]] percent; band 0 is
# "no discount" and the last band has no upper bound.
BAND_LOW = (0, 0, 5, 10, 15, 20, 30)
BAND_HIGH = (0, 5, 10, 15, 20, 30, None)


def discount_curve(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per discount band and motion group: closed deals, win rate, average deal size.

    Deals without a recorded discount are left out.
    """
    df = deal_metrics_by(ws, filters, "discount_band")
    df = df[df["dimension_value"].notna()].copy()
    df["band_index"] = df["dimension_value"].astype(int)
    df["band_low_pct"] = [BAND_LOW[i] for i in df["band_index"]]
    df["band_high_pct"] = [BAND_HIGH[i] for i in df["band_index"]]
    df["closed"] = df["won"] + df["lost"]
    cols = ["band_index", "band_low_pct", "band_high_pct", "motion_group", "won", "lost",
            "closed", "won_amount", "win_rate", "avg_deal_size"]
    return df.loc[df["closed"] > 0, cols].sort_values(["band_index", "motion_group"])


def won_deal_amounts(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per deal won in the period: amount, discount, motion."""
    return ws.query("mix_won_deal_amounts", **filters.params())


def place_grid(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per region and segment (overall motion group): win rate, won, lost, won
    revenue and cycle of the deals closed in the period."""
    segments = by_dimension(ws, filters, "segment")["segment"].dropna().unique()
    frames = []
    for segment in sorted(segments):
        part = by_dimension(ws, replace(filters, segments=(segment,)), "region")
        part = part[part["motion_group"] == "overall"].assign(segment=segment)
        frames.append(part)
    cols = ["region", "segment", "won", "lost", "win_rate", "won_amount", "sales_cycle_days"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)[cols]
    return out[out["region"].notna()].reset_index(drop=True)


def promotion(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per marketing channel: spend, leads, cost per lead, pipeline created, won
    revenue and won revenue per unit of spend in the period."""
    return ws.query("mix_promotion_by_channel", **filters.params())


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


def _nice_edges(low: float, high: float) -> list[float]:
    """Bin edges on the 1-2-5 series, from the last edge at or below ``low`` to the first
    edge above ``high`` (``low`` > 0)."""
    first_exp = math.floor(math.log10(low))
    last_exp = math.floor(math.log10(high)) + 1
    series = [s * 10.0**e for e in range(first_exp, last_exp + 1) for s in (1, 2, 5)]
    start = max(i for i, edge in enumerate(series) if edge <= low)
    stop = min(i for i, edge in enumerate(series) if edge > high)
    return series[start : stop + 1]


def deal_size_bins(amounts: pd.DataFrame) -> pd.DataFrame:
    """Won deals counted per deal-size bin and motion: one row per bin (``bin_index``, edges
    ``low`` ≤ amount < ``high`` on the 1-2-5 series, so bins are equally wide on a log scale
    and read as round numbers) and motion, with ``deals``. Deals of zero or negative amount
    are left out."""
    cols = ["bin_index", "low", "high", "motion", "deals"]
    positive = amounts[amounts["amount"] > 0]
    if positive.empty:
        return pd.DataFrame(columns=cols)
    edges = _nice_edges(float(positive["amount"].min()), float(positive["amount"].max()))
    bins = pd.cut(positive["amount"], bins=edges, right=False, labels=False)
    counted = (
        positive.assign(bin_index=bins.astype(int))
        .groupby(["bin_index", "motion"], as_index=False)
        .size()
        .rename(columns={"size": "deals"})
    )
    # every bin appears for every motion, so bars line up and gaps show as zero
    grid = pd.MultiIndex.from_product(
        [range(len(edges) - 1), sorted(positive["motion"].unique())], names=["bin_index", "motion"]
    ).to_frame(index=False)
    out = grid.merge(counted, on=["bin_index", "motion"], how="left").fillna({"deals": 0})
    out["deals"] = out["deals"].astype(int)
    out["low"] = [edges[i] for i in out["bin_index"]]
    out["high"] = [edges[i + 1] for i in out["bin_index"]]
    return out[cols]
