"""Market sizing arithmetic: top-down and bottom-up sizes, the check of the SOM against what
the funnel can deliver, segment attractiveness, and the validation of edited assumptions.

Pure Python and pandas (no SQL, no Streamlit): the Market analysis page and its tests call it.

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
from dataclasses import dataclass

import pandas as pd

# Above this multiple of today's deliverable a SOM is flagged unreachable: doubling the
# pipeline in a year is the most a plan can promise without new capacity.
STRETCH_LIMIT = 2.0

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
