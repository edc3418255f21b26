"""The 4P plan: its items, their validation, the difference between two versions, and the
KPI rules (which metric a KPI tracks, the traffic light against its target).

Pure Python and pandas (no SQL, no Streamlit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from planning.market_sizing import FieldError

PS = ("product", "price", "place", "promotion")
ITEM_FIELDS = ("decisions", "rationale", "kpi", "target", "owner", "due_date")
TEXT_LIMIT = 2000  # characters of a decision or rationale: a card, not a document


@dataclass(frozen=True)
class Kpi:
    """A metric a plan KPI can track. ``unit``: 'pct' (entered and shown in percent; the
    metric itself is 0..1), 'money', 'days' or 'count'. ``higher_is_better`` decides the
    direction of the traffic light."""

    key: str
    unit: str
    higher_is_better: bool = True


# Every KPI is a metric of DESIGN.md computed by queries.metrics.deal_metrics_by for the plan's
# segment (one implementation per metric).
KPI_METRICS = {
    k.key: k
    for k in (
        Kpi("win_rate", "pct"),
        Kpi("avg_deal_size", "money"),
        Kpi("sales_cycle_days", "days", higher_is_better=False),
        Kpi("won_amount", "money"),
        Kpi("opportunities", "count"),
        Kpi("won", "count"),
        Kpi("pull_share_of_won", "pct"),
    )
}

# Amber band: within 10 % of the target is "nearly there", not yet a problem.
AMBER_BAND = 0.10


def blank_items(segment: str) -> pd.DataFrame:
    """The four empty cards of a segment (one row per P)."""
    return pd.DataFrame(
        {
            "segment": segment,
            "p": list(PS),
            "decisions": "",
            "rationale": "",
            "kpi": None,
            "target": math.nan,
            "owner": "",
            "due_date": None,
        }
    )


def validate_items(items: pd.DataFrame) -> list[FieldError]:
    """Check the edited items of one segment (one row per P, row = position 1..4): text not
    longer than TEXT_LIMIT; a KPI from KPI_METRICS; a KPI needs a target and a target needs a
    KPI; the target a number in the KPI's range (percent 0..100, others ≥ 0); the due date a
    date."""
    errors: list[FieldError] = []
    for i, row in enumerate(items.to_dict("records"), start=1):
        for col in ("decisions", "rationale", "owner"):
            text = row.get(col)
            if isinstance(text, str) and len(text) > TEXT_LIMIT:
                errors.append(FieldError(i, col, "too_long", (("limit", TEXT_LIMIT),)))
        kpi = row.get("kpi")
        kpi = None if _blank(kpi) else str(kpi)
        if kpi is not None and kpi not in KPI_METRICS:
            errors.append(FieldError(i, "kpi", "unknown_kpi", (("value", kpi),)))
            kpi = None
        raw = row.get("target")
        target: float | None = None
        if not _blank(raw):
            try:
                target = float(raw)
            except (TypeError, ValueError):
                errors.append(FieldError(i, "target", "not_a_number"))
        if target is not None and math.isnan(target):
            target = None
        if kpi is not None and target is None and _blank(raw):
            errors.append(FieldError(i, "target", "target_required"))
        if target is not None and kpi is None and "kpi" not in {e.field for e in errors}:
            errors.append(FieldError(i, "kpi", "kpi_required"))
        if target is not None and kpi is not None:
            unit = KPI_METRICS[kpi].unit
            if unit == "pct" and not 0 <= target <= 100:
                errors.append(FieldError(i, "target", "range", (("low", 0), ("high", 100))))
            elif unit != "pct" and target < 0:
                errors.append(FieldError(i, "target", "negative"))
        due = row.get("due_date")
        if not _blank(due) and not isinstance(due, date):
            try:
                date.fromisoformat(str(due)[:10])
            except ValueError:
                errors.append(FieldError(i, "due_date", "not_a_date"))
    return errors


def normalise_items(items: pd.DataFrame) -> pd.DataFrame:
    """Items as stored: text stripped (None when empty), target a float, due date a date."""
    out = items.copy()
    for col in ("decisions", "rationale", "owner", "kpi"):
        out[col] = [None if _blank(v) else str(v).strip() for v in out[col]]
    out["target"] = [math.nan if _blank(v) else float(v) for v in out["target"]]
    out["due_date"] = [
        None if _blank(v) else (v if isinstance(v, date) else date.fromisoformat(str(v)[:10]))
        for v in out["due_date"]
    ]
    return out


def diff_versions(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Every field of every (segment, P) in either version, side by side: one row per segment,
    P and field with ``before``, ``after`` and ``change`` — 'same', 'changed', 'added' (the
    card is new in ``after``) or 'removed' (gone from it). Values are compared as shown
    (text stripped; empty text, None and NaN are all empty)."""
    a = {(r["segment"], r["p"]): r for r in before.to_dict("records")}
    b = {(r["segment"], r["p"]): r for r in after.to_dict("records")}
    all_keys = sorted(set(a) | set(b), key=lambda k: (str(k[0]), PS.index(k[1])))
    rows = []
    for key in all_keys:
        in_a, in_b = key in a, key in b
        for field in ITEM_FIELDS:
            va = _shown(a[key].get(field)) if in_a else ""
            vb = _shown(b[key].get(field)) if in_b else ""
            if not in_a:
                change = "added"
            elif not in_b:
                change = "removed"
            else:
                change = "same" if va == vb else "changed"
            rows.append(
                {
                    "segment": key[0],
                    "p": key[1],
                    "field": field,
                    "before": va,
                    "after": vb,
                    "change": change,
                }
            )
    return pd.DataFrame(rows, columns=["segment", "p", "field", "before", "after", "change"])


def traffic_light(actual: float | None, target: float | None, *, higher_is_better: bool) -> str:
    """'green' when the actual meets the target, 'amber' within AMBER_BAND of it, 'red'
    beyond, 'grey' when either is unknown. Lower-is-better metrics (cycle) are mirrored."""
    if _blank(actual) or _blank(target):
        return "grey"
    actual, target = float(actual), float(target)
    if higher_is_better:
        if actual >= target:
            return "green"
        return "amber" if actual >= target * (1 - AMBER_BAND) else "red"
    if actual <= target:
        return "green"
    return "amber" if actual <= target * (1 + AMBER_BAND) else "red"


def attainment(actual: float | None, target: float | None, *, higher_is_better: bool) -> float:
    """Actual ÷ target (target ÷ actual when lower is better): 1.0 = on target."""
    if _blank(actual) or _blank(target):
        return math.nan
    actual, target = float(actual), float(target)
    if higher_is_better:
        return actual / target if target else math.nan
    return target / actual if actual else math.nan


def trend(current: float | None, previous: float | None) -> str:
    """'up', 'down' or 'flat' (within 1 %), '' when either is unknown."""
    if _blank(current) or _blank(previous):
        return ""
    current, previous = float(current), float(previous)
    scale = max(abs(previous), 1e-12)
    if abs(current - previous) / scale <= 0.01:
        return "flat"
    return "up" if current > previous else "down"


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _shown(value: object) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def kpi_actuals(by_segment: pd.DataFrame) -> pd.DataFrame:
    """One row per segment and KPI key of KPI_METRICS: the metric's value in display units
    (percent for rates), from a ``deal_metrics_by(..., "segment")`` frame whose dimension
    column is named ``segment``. pull_share_of_won = pull's won amount ÷ overall won amount."""
    rows = []
    frame = by_segment[by_segment["segment"].notna()]
    for segment, part in frame.groupby("segment", sort=True):
        groups = {g: r for g, r in zip(part["motion_group"], part.to_dict("records"), strict=True)}
        overall = groups.get("overall")
        if overall is None:
            continue
        for key, kpi in KPI_METRICS.items():
            if key == "pull_share_of_won":
                total = overall["won_amount"]
                pull = groups.get("pull", {}).get("won_amount", 0.0)
                value = pull / total if total else math.nan
            else:
                value = overall.get(key)
            value = math.nan if _blank(value) else float(value)
            if kpi.unit == "pct":
                value *= 100.0
            rows.append({"segment": segment, "kpi": key, "value": value})
    return pd.DataFrame(rows, columns=["segment", "kpi", "value"])


def tracker(items: pd.DataFrame, actual: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """One row per plan item with a KPI: segment, p, kpi, target, ``actual`` and ``previous``
    (the metric in the period and the period before, display units), ``light``
    (traffic_light), ``attainment`` and ``trend`` (current against previous)."""
    now = {(r["segment"], r["kpi"]): r["value"] for r in actual.to_dict("records")}
    before = {(r["segment"], r["kpi"]): r["value"] for r in previous.to_dict("records")}
    rows = []
    for r in items.to_dict("records"):
        key = r.get("kpi")
        if _blank(key) or key not in KPI_METRICS:
            continue
        kpi = KPI_METRICS[key]
        value = now.get((r["segment"], key), math.nan)
        prior = before.get((r["segment"], key), math.nan)
        target = math.nan if _blank(r.get("target")) else float(r["target"])
        rows.append(
            {
                "segment": r["segment"],
                "p": r["p"],
                "kpi": key,
                "target": target,
                "actual": value,
                "previous": prior,
                "light": traffic_light(value, target, higher_is_better=kpi.higher_is_better),
                "attainment": attainment(value, target, higher_is_better=kpi.higher_is_better),
                "trend": trend(value, prior),
            }
        )
    cols = ["segment", "p", "kpi", "target", "actual", "previous", "light", "attainment", "trend"]
    return pd.DataFrame(rows, columns=cols)
