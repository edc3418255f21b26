"""The twin-engine scoreboard: shared-goal KPIs, overall and per motion, against the previous
period. Pure functions: frames from ``queries.metrics.headline`` in, display rows out."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from components.fmt import DASH, Formatter


@dataclass(frozen=True)
class Kpi:
    key: str  # the metric column in the headline frame
    kind: str  # "count" | "money" | "rate" | "days"
    lower_is_better: bool = False


# The shared goals of DESIGN.md: qualified opportunities, win rate, revenue and its growth,
# blended CAC, pipeline, sales cycle.
SCOREBOARD = (
    Kpi("opportunities", "count"),
    Kpi("win_rate", "rate"),
    Kpi("won_amount", "money"),
    Kpi("cac", "money", lower_is_better=True),
    Kpi("open_pipeline_amount", "money"),
    Kpi("sales_cycle_days", "days", lower_is_better=True),
)


def _num(value: object) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def change(kpi: Kpi, now: object, before: object) -> float | None:
    """Relative change for amounts and counts; percentage-point change for rates."""
    a, b = _num(now), _num(before)
    if a is None or b is None:
        return None
    if kpi.kind == "rate":
        return a - b
    if b == 0:
        return None
    return (a - b) / abs(b)


def format_value(kpi: Kpi, value: object, fmt: Formatter) -> str:
    v = _num(value)
    if kpi.kind == "money":
        return fmt.money(v, compact=True)
    if kpi.kind == "rate":
        return fmt.pct(v)
    if kpi.kind == "days":
        return fmt.days(v)
    return fmt.number(v)


def format_change(kpi: Kpi, delta: float | None, fmt: Formatter, pp_label: str) -> str | None:
    """The change as text; None when it is undefined (either side absent, or from zero)."""
    if delta is None:
        return None
    if kpi.kind == "rate":
        sign = "+" if delta > 0 else "−" if delta < 0 else "±"
        return f"{sign}{fmt.number(abs(delta) * 100, digits=1)} {pp_label}"
    return fmt.signed_pct(delta)


def rows(
    now: pd.DataFrame,
    before: pd.DataFrame,
    fmt: Formatter,
    pp_label: str,
    notes: Mapping[str, Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """One row per KPI and motion group with the formatted value ("—" when absent) and change
    ("—" when either side is absent: never −100 % against a missing figure), and ``note``: why
    the figure is absent or what distorts it (``notes[group][kpi]``, from
    ``queries.metrics.notes``; "" when none)."""
    notes = notes or {}
    out = []
    for kpi in SCOREBOARD:
        for group in ("overall", "pull", "push"):
            value = now.loc[group, kpi.key] if group in now.index else None
            prev = before.loc[group, kpi.key] if group in before.index else None
            delta = change(kpi, value, prev)
            improved = None if delta is None or delta == 0 else (delta > 0) != kpi.lower_is_better
            out.append(
                {
                    "kpi": kpi.key,
                    "group": group,
                    "value": _num(value),
                    "text": format_value(kpi, value, fmt),
                    "change": delta,
                    # text, never None: a column of None alone becomes NaN (truthy) in pandas
                    "change_text": format_change(kpi, delta, fmt, pp_label) or DASH,
                    "improved": improved,
                    "lower_is_better": kpi.lower_is_better,
                    "note": notes.get(group, {}).get(kpi.key, ""),
                }
            )
    return pd.DataFrame(out)
