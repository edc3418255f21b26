"""Market sizing arithmetic: top-down and bottom-up sizes, the check of the SOM against what
the funnel can deliver, segment attractiveness, our share of the market against competitors,
which market year the data covers, and the validation of edited assumptions.

Pure Python and pandas (no SQL, no Streamlit): ``queries.market`` reads the frames, the views
of the Market analysis page (``views/market.py``) shape them with the models here.

- Top-down: TAM × SAM share = SAM; SAM × SOM share = SOM (the shares are the assumptions).
- Bottom-up: target accounts × expected annual contract value (ACV).
- Deliverable by the funnel, per year: opportunities created per year × win rate × average
  deal size — what the engines bring in at their current pace (the same three factors as
  pipeline velocity, DESIGN.md, without the cycle). Plus what the open pipeline holds now:
  open pipeline × win rate.
- Reach: the SOM ÷ the deliverable is the growth the funnel needs. Up to 1 the SOM is
  reachable at today's pace; up to STRETCH_LIMIT it is a stretch; above it the funnel cannot
  reach it without a different plan (more pipeline, better win rate, more capacity).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

# Above this multiple of today's deliverable a SOM is flagged unreachable: doubling the
# pipeline in a year is the most a plan can promise without new capacity.
STRETCH_LIMIT = 2.0

# Below this share of its SOM, a segment's won revenue is flagged: the funnel has not come
# close to the obtainable market the plan assumes (either the SOM is optimistic or the
# engines are under-powered there). Above 100 % the SOM assumption is too timid.
SOM_FAR_BELOW = 0.5

# The outcomes of ``reach_status``, in the order a legend lists them.
REACH_STATUSES = ("reachable", "stretch", "unreachable", "no_som", "no_funnel")

SIZE_COLUMNS = ("tam", "sam", "som", "growth_pct", "target_accounts", "expected_acv")


@dataclass(frozen=True)
class FieldError:
    """An edit refused: which row (1-based, as shown), which field, and why (a message code
    the page translates, with its parameters)."""

    row: int
    field: str
    code: str
    params: tuple[tuple[str, object], ...] = ()

    def kwargs(self) -> dict[str, object]:
        return dict(self.params)


def bottom_up(target_accounts: float | None, expected_acv: float | None) -> float:
    """Target accounts × expected ACV; NaN when either is missing."""
    if _missing(target_accounts) or _missing(expected_acv):
        return math.nan
    return float(target_accounts) * float(expected_acv)


def top_down(tam: float, sam_share: float, som_share: float) -> tuple[float, float, float]:
    """(TAM, SAM, SOM) from the TAM and the two share assumptions (0..1)."""
    sam = tam * sam_share
    return tam, sam, sam * som_share


def shares(tam: float | None, sam: float | None, som: float | None) -> tuple[float, float]:
    """The share assumptions behind stored sizes: SAM ÷ TAM and SOM ÷ SAM (NaN when the
    divisor is missing or zero)."""
    return _ratio(sam, tam), _ratio(som, sam)


def deliverable(opportunities_per_year: float, win_rate: float, avg_deal_size: float) -> float:
    """Revenue the funnel delivers in a year at its current pace: opportunities per year ×
    win rate × average deal size (0 when nothing is created; NaN when a rate is unknown)."""
    if _missing(opportunities_per_year) or opportunities_per_year == 0:
        return 0.0
    if _missing(win_rate) or _missing(avg_deal_size):
        return math.nan
    return float(opportunities_per_year) * float(win_rate) * float(avg_deal_size)


def annualised(count: float, period_days: int) -> float:
    """A count over ``period_days`` scaled to 365 days."""
    return float(count) * 365.0 / period_days if period_days > 0 else math.nan


def reach_status(som: float | None, can_deliver: float | None) -> str:
    """'reachable' (SOM ≤ deliverable), 'stretch' (≤ STRETCH_LIMIT ×), 'unreachable' (beyond),
    'no_som' (no SOM set) or 'no_funnel' (no pipeline to judge by)."""
    if _missing(som) or som <= 0:
        return "no_som"
    if _missing(can_deliver) or can_deliver <= 0:
        return "no_funnel"
    needed = som / can_deliver
    if needed <= 1.0:
        return "reachable"
    if needed <= STRETCH_LIMIT:
        return "stretch"
    return "unreachable"


def reach_table(sizes: pd.DataFrame, funnel: pd.DataFrame, period_days: int) -> pd.DataFrame:
    """One row per segment of ``sizes`` (``segment``, ``som``, ``bottom_up``...) with the funnel
    check: ``opportunities_per_year``, ``win_rate``, ``avg_deal_size``, ``deliverable``,
    ``open_pipeline``, ``pipeline_expected`` (open pipeline × win rate), ``needed_growth``
    (SOM ÷ deliverable) and ``reach``.

    ``funnel`` has one row per segment: ``opportunities`` created in the period, ``win_rate``,
    ``avg_deal_size`` and ``open_pipeline`` at its end; ``period_days`` is its length.
    """
    cols = ["segment", "opportunities", "win_rate", "avg_deal_size", "open_pipeline"]
    f = funnel.reindex(columns=cols)
    df = sizes.merge(f, on="segment", how="left")
    df["opportunities"] = df["opportunities"].astype(float).fillna(0.0)
    df["open_pipeline"] = df["open_pipeline"].astype(float).fillna(0.0)
    df["opportunities_per_year"] = [annualised(n, period_days) for n in df["opportunities"]]
    df["deliverable"] = [
        deliverable(n, w, a)
        for n, w, a in zip(
            df["opportunities_per_year"], df["win_rate"], df["avg_deal_size"], strict=True
        )
    ]
    df["pipeline_expected"] = df["open_pipeline"] * df["win_rate"].astype(float)
    som = df["som"].astype(float)
    df["needed_growth"] = som / df["deliverable"].where(df["deliverable"] > 0)
    df["reach"] = [reach_status(s, d) for s, d in zip(som, df["deliverable"], strict=True)]
    return df.reset_index(drop=True)


def attractiveness_scores(df: pd.DataFrame) -> pd.DataFrame:
    """Rank segments on three equally weighted criteria, each scaled 0..1 across the segments
    (min-max): market size (SAM), growth %, and our win rate. ``score`` is their mean (a
    criterion that is missing for a segment counts 0); ``rank`` 1 is the most attractive.
    With one segment every criterion scales to 1."""
    out = df.copy()
    parts = []
    for col in ("sam", "growth_pct", "win_rate"):
        values = out[col].astype(float)
        low, high = values.min(), values.max()
        if pd.isna(low):
            scaled = pd.Series(0.0, index=out.index)
        elif high == low:
            scaled = values.notna().astype(float)
        else:
            scaled = ((values - low) / (high - low)).fillna(0.0)
        out[f"{col}_score"] = scaled
        parts.append(scaled)
    out["score"] = sum(parts) / len(parts)
    out = out.sort_values(["score", "sam"], ascending=False, kind="stable")
    out["rank"] = range(1, len(out) + 1)
    return out.reset_index(drop=True)


# -- which market year the data covers -------------------------------------------------------
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


# -- sizing and attractiveness of one market year --------------------------------------------
def sizing_table(sizes: pd.DataFrame, won: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per segment with assumptions in ``year``: the top-down sizes, the bottom-up size,
    our won revenue that calendar year (overall, pull, push), its coverage of the SOM
    (won ÷ SOM) and a status: ``below`` (< SOM_FAR_BELOW), ``near``, ``above`` (> 100 %),
    ``no_som`` when the SOM is missing or zero.

    ``sizes``: ``queries.market.segment_sizes`` (all years); ``won``:
    ``queries.market.won_by_segment`` of ``year``."""
    sizes = sizes[sizes["year"] == year].drop(columns="year")
    cols = [*sizes.columns, "won_amount", "won_pull", "won_push", "som_coverage", "som_status"]
    if sizes.empty:
        return pd.DataFrame(columns=cols)
    df = sizes.merge(
        won.reindex(columns=["segment", "won_amount", "won_pull", "won_push"]),
        on="segment",
        how="left",
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


def attractiveness_table(sizes: pd.DataFrame, won: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per segment with assumptions in ``year``: SAM, growth %, our won revenue and win
    rate (overall, pull, push) that calendar year; ranked by win rate (1 = best, deals closed
    that year; segments with no closed deal rank last). Inputs as ``sizing_table``."""
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


def funnel_by_segment(by_segment: pd.DataFrame, open_pipeline: pd.DataFrame) -> pd.DataFrame:
    """One row per segment for the SOM check (``reach_table``): the opportunities created, win
    rate and average deal size of the period (overall motion group of
    ``queries.metrics.deal_metrics_by(..., "segment")``) and the open pipeline at its end
    (``queries.market.open_pipeline_by_segment``)."""
    overall = by_segment[
        (by_segment["motion_group"] == "overall") & by_segment["dimension_value"].notna()
    ]
    df = overall.rename(columns={"dimension_value": "segment"})[
        ["segment", "opportunities", "win_rate", "avg_deal_size"]
    ]
    return df.merge(open_pipeline, on="segment", how="outer").reset_index(drop=True)


# -- our share of the market against competitors ---------------------------------------------
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


def share_table(
    comp: pd.DataFrame,
    sizes: pd.DataFrame,
    segment: str | None,
    won_by_year: Mapping[int, pd.DataFrame],
) -> pd.DataFrame:
    """One row per year and player: ``player`` is a competitor's name or ``us`` / ``pull`` /
    ``push``; ``kind`` is ``competitor`` or ``us``; ``share_pct`` in percent.

    Our share = our won revenue in the segment that calendar year ÷ the segment's TAM (across
    segments: total won ÷ total TAM of the segments in scope); pull and push are its parts.
    Only the years of ``won_by_year`` (``share_years``) get a share of ours: a year outside the
    data has none, not zero. ``comp``: ``queries.market.competitor_shares``."""
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


def latest_positions(comp: pd.DataFrame) -> pd.DataFrame:
    """The competitor rows (``queries.market.competitor_shares``) of the latest year: where
    each competitor stands today."""
    if comp.empty:
        return comp
    latest = comp["year"].max()
    return comp[comp["year"] == latest].reset_index(drop=True)


# -- edits -----------------------------------------------------------------------------------
def validate_sizes(df: pd.DataFrame) -> list[FieldError]:
    """Check edited market assumptions (one row per segment of one year): a segment name,
    unique; TAM ≥ SAM ≥ SOM ≥ 0; growth between -100 and 1000 %; target accounts a whole
    number ≥ 0; expected ACV ≥ 0. Empty sizes are allowed (not yet known)."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    for i, row in enumerate(df.to_dict("records"), start=1):
        name = str(row.get("segment") or "").strip()
        if not name:
            errors.append(FieldError(i, "segment", "required"))
        elif name in seen:
            errors.append(FieldError(i, "segment", "duplicate", (("value", name),)))
        seen.add(name)
        values: dict[str, float] = {}
        for col in SIZE_COLUMNS:
            raw = row.get(col)
            if _missing(raw):
                continue
            try:
                values[col] = float(raw)
            except (TypeError, ValueError):
                errors.append(FieldError(i, col, "not_a_number"))
                continue
            if col != "growth_pct" and values[col] < 0:
                errors.append(FieldError(i, col, "negative"))
        if "growth_pct" in values and not -100 <= values["growth_pct"] <= 1000:
            errors.append(FieldError(i, "growth_pct", "range", (("low", -100), ("high", 1000))))
        accounts = values.get("target_accounts")
        if accounts is not None and accounts != int(accounts):
            errors.append(FieldError(i, "target_accounts", "whole_number"))
        tam, sam, som = values.get("tam"), values.get("sam"), values.get("som")
        if tam is not None and sam is not None and sam > tam:
            errors.append(FieldError(i, "sam", "sam_above_tam"))
        if sam is not None and som is not None and som > sam:
            errors.append(FieldError(i, "som", "som_above_sam"))
    return errors


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _ratio(num: float | None, den: float | None) -> float:
    if _missing(num) or _missing(den) or not den:
        return math.nan
    return float(num) / float(den)
