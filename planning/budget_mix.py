"""The marketing budget split across the mix: validation of a budget plan, and what the plan
implies from history (leads from the historical cost per lead, pipeline from the historical
pipeline per lead).

Pure Python and pandas (no SQL, no Streamlit).

- Implied leads of a channel = planned amount ÷ historical cost per lead (spend ÷ leads in the
  base period). A channel without historical spend or leads has no cost per lead: nothing is
  implied (not zero, not infinite).
- Implied opportunities = implied leads × historical lead-to-opportunity conversion
  (opportunities ÷ leads); implied pipeline = implied leads × pipeline created per lead.
- Lines of the other Ps (product, price, place) are budget without a lead model: they count in
  the totals only.
"""

from __future__ import annotations

import math

import pandas as pd

from planning.market_sizing import FieldError

MIX_LINES = ("product", "price", "place")
# Lines must add up to the total to the cent; half a cent absorbs float rounding.
TOLERANCE = 0.005


def validate_budget(total: object, lines: pd.DataFrame) -> list[FieldError]:
    """Check a budget plan: the total and each line's ``amount`` a number ≥ 0, and the lines
    adding up to the total. Row numbers are the lines' positions (1-based); the total is row
    0."""
    errors: list[FieldError] = []
    total_value = _number(total)
    if total_value is None:
        errors.append(FieldError(0, "total", "not_a_number"))
    elif total_value < 0:
        errors.append(FieldError(0, "total", "negative"))
    line_sum = 0.0
    lines_ok = True
    for i, raw in enumerate(lines["amount"].tolist(), start=1):
        value = 0.0 if _empty(raw) else _number(raw)
        if value is None:
            errors.append(FieldError(i, "amount", "not_a_number"))
            lines_ok = False
        elif value < 0:
            errors.append(FieldError(i, "amount", "negative"))
            lines_ok = False
        else:
            line_sum += value
    if total_value is not None and lines_ok and abs(line_sum - total_value) > TOLERANCE:
        errors.append(
            FieldError(
                0,
                "total",
                "total_mismatch",
                (("lines", line_sum), ("total", total_value), ("gap", total_value - line_sum)),
            )
        )
    return errors


def plan_against_history(lines: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """One row per budget line (``kind``, ``line``, ``amount``) with last period's actual
    spend, the change, and what the plan implies.

    ``history`` has one row per marketing channel of the base period: ``channel``, ``spend``,
    ``leads``, ``opportunities``, ``pipeline_created`` (queries.mix.promotion). Columns added:
    ``actual``, ``change``, ``cost_per_lead``, ``implied_leads``, ``implied_opportunities``,
    ``implied_pipeline``.
    """
    hist = history.set_index("channel") if not history.empty else pd.DataFrame()
    rows = []
    for row in lines.to_dict("records"):
        amount = 0.0 if _empty(row["amount"]) else float(row["amount"])
        out = {"kind": row["kind"], "line": row["line"], "amount": amount}
        has_history = row["kind"] == "channel" and row["line"] in hist.index
        h = hist.loc[row["line"]] if has_history else None
        # the other Ps have no spend history (NaN); a new channel spent nothing (0)
        no_history = math.nan if row["kind"] == "mix" else 0.0
        actual = float(h["spend"]) if h is not None else no_history
        leads = float(h["leads"]) if h is not None else 0.0
        cpl = actual / leads if h is not None and actual > 0 and leads > 0 else math.nan
        implied_leads = amount / cpl if not math.isnan(cpl) else math.nan
        if h is not None and leads > 0:
            conversion = float(h["opportunities"]) / leads
            pipeline_per_lead = float(h["pipeline_created"]) / leads
        else:
            conversion = pipeline_per_lead = math.nan
        out.update(
            actual=actual,
            change=amount - actual if not math.isnan(actual) else math.nan,
            cost_per_lead=cpl,
            implied_leads=implied_leads,
            implied_opportunities=implied_leads * conversion,
            implied_pipeline=implied_leads * pipeline_per_lead,
        )
        rows.append(out)
    cols = [
        "kind",
        "line",
        "amount",
        "actual",
        "change",
        "cost_per_lead",
        "implied_leads",
        "implied_opportunities",
        "implied_pipeline",
    ]
    return pd.DataFrame(rows, columns=cols)


def totals(plan: pd.DataFrame) -> dict[str, float]:
    """Sums of a ``plan_against_history`` frame: planned, actual (channels with history),
    implied leads, opportunities and pipeline (lines with a lead model only)."""
    return {
        "amount": float(plan["amount"].sum()),
        "actual": float(plan["actual"].fillna(0).sum()),
        "implied_leads": float(plan["implied_leads"].fillna(0).sum()),
        "implied_opportunities": float(plan["implied_opportunities"].fillna(0).sum()),
        "implied_pipeline": float(plan["implied_pipeline"].fillna(0).sum()),
    }


def default_lines(channels: list[str], actual: dict[str, float]) -> pd.DataFrame:
    """A starting plan: each channel at last period's spend, the other Ps at zero."""
    rows = [{"kind": "channel", "line": c, "amount": float(actual.get(c, 0.0))} for c in channels]
    rows += [{"kind": "mix", "line": p, "amount": 0.0} for p in MIX_LINES]
    return pd.DataFrame(rows, columns=["kind", "line", "amount"])


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _number(value: object) -> float | None:
    if _empty(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def with_cac(promotion_frame: pd.DataFrame) -> pd.DataFrame:
    """``queries.mix.promotion`` with ``cost_per_won_deal`` = spend ÷ deals won from the
    channel in the period (the channel's CAC, counting each won deal as a customer won; NaN
    without spend or without a win)."""
    df = promotion_frame.copy()
    spend = df["spend"].astype(float)
    df["cost_per_won_deal"] = spend.where(spend > 0) / df["won"].astype(float).where(df["won"] > 0)
    return df
