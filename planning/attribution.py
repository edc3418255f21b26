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
Streamlit. The same rules run over every path at once in SQL (``attribution_credit`` in
queries/sql/campaigns.sql, over the touch facts of migration 022: each touch's rank, its path's
length, the rank of the lead-creation touch and its time-decay weight, kept at every import);
``path_weights`` is the one-path reference the tests hold it to.
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


def check_model(model: str) -> None:
    """Raise ValueError unless ``model`` is one of ``MODELS``."""
    if model not in MODELS:
        raise ValueError(f"unknown attribution model {model!r}; expected one of {MODELS}")


def sql_parameters(half_life_days: float = HALF_LIFE_DAYS) -> dict[str, float]:
    """The models' constants as the bound parameters of the ``attribution_credit`` query, which
    applies the rules of ``path_weights`` to every path at once (``path_weights`` is its oracle
    in the tests)."""
    if not half_life_days > 0:
        raise ValueError(f"half-life must be positive, got {half_life_days!r}")
    return {
        "half_life_days": float(half_life_days),
        "u_ends": U_ENDS,
        "u_middle": U_MIDDLE,
        "w_key": W_KEY,
        "w_others": W_OTHERS,
    }


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
    check_model(model)
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


# -- credit frames (the rows of ``attribution_credit``) → what the page shows -------------------
def campaign_results(
    plan: pd.DataFrame, credit: pd.DataFrame, spend: pd.Series, model: str
) -> pd.DataFrame:
    """One row per campaign of ``plan``: its leads, MQLs and SQLs, opportunities, pipeline, won
    deals and won revenue credited under ``model`` (``credit``: rows of the
    ``attribution_credit`` query), its ``spend`` (by campaign id), cost per lead, cost per
    opportunity and ROI = (won revenue − spend) ÷ spend — undefined (NaN), not 0, without
    spend or without leads. Sorted by won revenue, then start."""
    check_model(model)
    chosen = credit[credit["model"] == model]
    lead_credit = (
        chosen[chosen["kind"] == "lead"]
        .groupby("campaign_id")[["count_credited", "count_mqls", "count_sqls"]]
        .sum()
        .rename(columns={"count_credited": "count_leads"})
    )
    deal_credit = (
        chosen[chosen["kind"] == "deal"]
        .groupby("campaign_id")[["count_credited", "pipeline", "won", "won_amount"]]
        .sum()
        .rename(columns={"count_credited": "count_opportunities"})
    )
    cols = ["campaign_id", "name", "channel", "objective", "motion", "status", "start_date"]
    out = plan[cols].copy()
    out = out.join(lead_credit, on="campaign_id").join(deal_credit, on="campaign_id")
    out["spend"] = out["campaign_id"].map(spend)
    value_cols = [
        "count_leads",
        "count_mqls",
        "count_sqls",
        "count_opportunities",
        "pipeline",
        "won",
        "won_amount",
        "spend",
    ]
    out[value_cols] = out[value_cols].astype("float64").fillna(0.0)
    paid = out["spend"].where(out["spend"] > 0)
    out["cost_per_lead"] = paid / out["count_leads"].where(out["count_leads"] > 0)
    out["cost_per_opportunity"] = paid / out["count_opportunities"].where(
        out["count_opportunities"] > 0
    )
    out["roi"] = (out["won_amount"] - paid) / paid
    out = out.replace([np.inf, -np.inf], np.nan)
    return out.sort_values(["won_amount", "start_date"], ascending=[False, True]).reset_index(
        drop=True
    )


def credit_by_channel(credit: pd.DataFrame, models: Sequence[str] = MODELS) -> pd.DataFrame:
    """One row per channel and model: the won revenue credited to the channel's touches (the
    deal rows of ``credit``). Per model the credits sum to the won revenue."""
    deals = credit[credit["kind"] == "deal"]
    rows = []
    for model in models:
        check_model(model)
        part = deals[deals["model"] == model].groupby("channel")["won_amount"].sum()
        rows.append(part.rename("won_amount").reset_index().assign(model=model))
    if not rows:
        return pd.DataFrame(columns=["channel", "won_amount", "model"])
    return pd.concat(rows, ignore_index=True)
