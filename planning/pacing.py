"""Budget pacing of campaigns: are they spending at the pace their budget plans, and where will
they end? Pure maths on a frame of campaigns; no SQL, no Streamlit.

- Planned to date = budget × share of the campaign's days elapsed (linear pacing).
- Pace = spend to date ÷ planned to date.
- Projected end spend: a running campaign keeps its run rate, spend to date ÷ share of days
  elapsed; a finished one ends at what it spent; one not started yet at its budget.
- Flags: *over* when the projected end spend exceeds the budget by more than the tolerance
  (10%) — or the spend to date already exceeds the budget; *under* when a campaign that has
  started projects to spend less than (1 − tolerance) of its budget; otherwise *on pace*;
  *not started* before its first day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TOLERANCE = 0.10
STATUSES = ("over", "under", "on_pace", "not_started")


def pace(df: pd.DataFrame, *, tolerance: float = TOLERANCE) -> pd.DataFrame:
    """Adds ``share_elapsed``, ``pace_ratio``, ``projected_spend``, ``projected_variance``
    (projected − budget) and ``pace_status`` to a frame with ``budget``, ``spend_to_date``,
    ``count_days_elapsed`` and ``count_days``."""
    out = df.copy()
    budget = out["budget"].astype("float64").fillna(0.0)
    spend = out["spend_to_date"].astype("float64").fillna(0.0)
    days = out["count_days"].astype("float64").clip(lower=1)
    share = (out["count_days_elapsed"].astype("float64") / days).clip(0.0, 1.0)
    planned = budget * share
    out["share_elapsed"] = share
    out["pace_ratio"] = (spend / planned.where(planned > 0)).replace([np.inf, -np.inf], np.nan)
    projected = np.where(
        share <= 0, np.maximum(budget, spend), np.where(share >= 1, spend, spend / share)
    )
    out["projected_spend"] = projected
    out["projected_variance"] = projected - budget
    status = np.select(
        [
            share <= 0,
            (spend > budget) | (projected > budget * (1 + tolerance)),
            projected < budget * (1 - tolerance),
        ],
        ["not_started", "over", "under"],
        default="on_pace",
    )
    out["pace_status"] = status
    return out


def by_channel(paced: pd.DataFrame, *, tolerance: float = TOLERANCE) -> pd.DataFrame:
    """One row per channel: budget, planned to date, spend to date and projected end spend of
    its campaigns summed, with the same flags applied to the sums."""
    if paced.empty:
        return pd.DataFrame(
            columns=[
                "channel",
                "count_campaigns",
                "budget",
                "planned_to_date",
                "spend_to_date",
                "projected_spend",
                "projected_variance",
                "pace_status",
            ]
        )
    started = paced["share_elapsed"] > 0
    g = paced.assign(started_budget=paced["budget"].where(started, 0.0)).groupby(
        "channel", as_index=False
    )
    out = g.agg(
        count_campaigns=("campaign_id", "size"),
        budget=("budget", "sum"),
        started_budget=("started_budget", "sum"),
        planned_to_date=("planned_to_date", "sum"),
        spend_to_date=("spend_to_date", "sum"),
        projected_spend=("projected_spend", "sum"),
    )
    out["projected_variance"] = out["projected_spend"] - out["budget"]
    out["pace_status"] = np.select(
        [
            out["started_budget"] <= 0,
            out["projected_spend"] > out["budget"] * (1 + tolerance),
            out["projected_spend"] < out["budget"] * (1 - tolerance),
        ],
        ["not_started", "over", "under"],
        default="on_pace",
    )
    return out.drop(columns="started_budget").sort_values("channel", ignore_index=True)
