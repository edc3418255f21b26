"""Attribution models: how one conversion's credit is split over the touches that led to it.

A *path* is the touches of one lead before one conversion (the lead's creation, or the creation
of its deal), in time order. Each model gives every touch of a path a weight; the weights of a
path sum to 1, so a deal's credit under every model sums to the deal's amount.

- first touch: all to the first touch.
- last touch: all to the last touch before the conversion.
- linear: equal shares.
- U-shaped (position-based) 40/20/40: 40% to the first touch, 40% to the last, 20% shared
  equally by the touches between them.
- W-shaped 30/30/30 + 10: 30% each to the first touch, the lead-creation touch and the last
  touch (for a deal: the touch that led to the opportunity), 10% shared by the others.
- time decay: a touch's weight halves every ``half_life_days`` before the conversion
  (2^(−age / half-life)), 7 days by default (the convention of Google Analytics' model).

When key touches coincide (a path of one or two touches, or a lead-creation touch that is also
the first), their shares add up; when no touch is left for the shared part, the weights are
rescaled to sum to 1 (so U-shaped on two touches is 50/50, as usual). Pure maths: no SQL, no
Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd

MODELS = ("first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay")
# The models a path of one touch per lead can support: with one touch per conversion every
# model gives that touch everything, so only these two say anything true.
SINGLE_TOUCH_MODELS = ("first_touch", "last_touch")
HALF_LIFE_DAYS = 7.0

U_ENDS, U_MIDDLE = 0.4, 0.2
W_KEY, W_OTHERS = 0.3, 0.1


def _check(model: str) -> None:
    if model not in MODELS:
        raise ValueError(f"unknown attribution model {model!r}; expected one of {MODELS}")


def path_weights(
    touched_at: Sequence[datetime],
    model: str,
    *,
    converted_at: datetime | None = None,
    lead_index: int | None = None,
    half_life_days: float = HALF_LIFE_DAYS,
) -> list[float]:
    """The weights of one path's touches (given in time order), summing to 1.

    ``lead_index``: position of the lead-creation touch (W-shaped); ``converted_at``: the
    conversion time (time decay; default the last touch)."""
    _check(model)
    n = len(touched_at)
    if n == 0:
        return []
    first, last = 0, n - 1
    raw = [0.0] * n
    if model == "first_touch":
        raw[first] = 1.0
    elif model == "last_touch":
        raw[last] = 1.0
    elif model == "linear":
        raw = [1.0] * n
    elif model == "u_shaped":
        middle = [i for i in range(n) if i not in (first, last)]
        raw[first] += U_ENDS
        raw[last] += U_ENDS
        for i in middle:
            raw[i] += U_MIDDLE / len(middle)
    elif model == "w_shaped":
        keys = {first, last} | ({lead_index} if lead_index is not None else set())
        for k in (first, lead_index, last):
            if k is not None:
                raw[k] += W_KEY
        others = [i for i in range(n) if i not in keys]
        for i in others:
            raw[i] += W_OTHERS / len(others)
    else:  # time decay
        end = converted_at if converted_at is not None else touched_at[last]
        ages = [(pd.Timestamp(end) - pd.Timestamp(t)).total_seconds() / 86_400 for t in touched_at]
        raw = [2.0 ** (-age / half_life_days) for age in ages]
    total = sum(raw)
    return [r / total for r in raw]


def credit_weights(
    touches: pd.DataFrame, model: str, *, half_life_days: float = HALF_LIFE_DAYS
) -> pd.Series:
    """``path_weights`` for many paths at once (vectorised; same index as ``touches``).

    ``touches`` holds one row per touch: ``path_id``, ``touch_order`` (0, 1, … in time order
    within the path), ``touched_at``, ``converted_at`` and ``is_lead_touch`` (bool).
    """
    _check(model)
    if touches.empty:
        return pd.Series(dtype="float64", index=touches.index)
    path = touches["path_id"]
    order = touches["touch_order"].astype("int64")
    n = touches.groupby(path, sort=False)["touch_order"].transform("size").astype("int64")
    first = order == 0
    last = order == n - 1
    if model == "first_touch":
        raw = first.astype("float64")
    elif model == "last_touch":
        raw = last.astype("float64")
    elif model == "linear":
        raw = pd.Series(1.0, index=touches.index)
    elif model == "u_shaped":
        middle = ~(first | last)
        n_middle = (n - 2).clip(lower=1)
        raw = U_ENDS * first + U_ENDS * last + (U_MIDDLE / n_middle) * middle
    elif model == "w_shaped":
        lead = touches["is_lead_touch"].fillna(False).astype(bool)
        key = first | last | lead
        n_others = (~key).groupby(path, sort=False).transform("sum").clip(lower=1)
        raw = W_KEY * (first.astype(float) + lead + last) + (W_OTHERS / n_others) * ~key
    else:
        age_days = (
            pd.to_datetime(touches["converted_at"]) - pd.to_datetime(touches["touched_at"])
        ).dt.total_seconds() / 86_400
        raw = pd.Series(np.exp2(-age_days.clip(lower=0).to_numpy() / half_life_days), touches.index)
    raw = raw.astype("float64")
    return raw / raw.groupby(path, sort=False).transform("sum")
