"""Expected pipeline of a planned campaign, from what its channel's past campaigns produced and
when. Pure maths; no SQL, no Streamlit.

For each month k after a campaign's start month (k = 0 is the start month), the channel's past
campaigns give pipeline per unit of spend:

    pipeline_per_spend[k] = Σ pipeline created in month k of campaign c ÷ Σ spend of c,

summed over the past campaigns c of the channel whose month k is over by the "as of" day (a
campaign that started two months ago says nothing yet about its sixth month, so it does not
dilute that month). The same for won revenue (deals won in month k). A planned campaign with
budget B is then expected to create B × pipeline_per_spend[k] of pipeline in its month k, and
win B × won_per_spend[k]. Pipeline is the amount of the deals created; the lag from campaign
to lead to deal to won is in these month profiles.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

HORIZON_MONTHS = 12


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s month."""
    return (end.year - start.year) * 12 + (end.month - start.month)


def per_spend_profile(
    history: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    as_of: date,
    horizon: int = HORIZON_MONTHS,
) -> pd.DataFrame:
    """One row per month offset k in 0..horizon−1: campaigns observed, their spend, pipeline
    and won revenue in month k, and both per unit of spend (NaN when no campaign was observed).

    ``history``: one row per past campaign of the channel (campaign_id, start_date, spend);
    ``outcomes``: one row per campaign and offset (campaign_id, month_offset, pipeline, won).
    """
    rows = []
    hist = history[history["spend"].astype("float64") > 0].copy()
    hist["months_done"] = [
        months_between(pd.Timestamp(s).date(), as_of) for s in hist["start_date"]
    ]
    # a month offset k is over once the as-of day is past that calendar month
    out = outcomes.merge(hist[["campaign_id", "months_done"]], on="campaign_id", how="inner")
    for k in range(horizon):
        seen = hist[hist["months_done"] > k]
        part = out[(out["month_offset"] == k) & (out["months_done"] > k)]
        spend = float(seen["spend"].sum())
        pipeline = float(part["pipeline"].sum())
        won = float(part["won"].sum())
        rows.append(
            {
                "month_offset": k,
                "count_campaigns": len(seen),
                "spend": spend,
                "pipeline": pipeline,
                "won": won,
                "pipeline_per_spend": pipeline / spend if spend > 0 else np.nan,
                "won_per_spend": won / spend if spend > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def expected_pipeline(profile: pd.DataFrame, *, budget: float, start: date) -> pd.DataFrame:
    """One row per month from the campaign's start month: expected pipeline created and
    revenue won that month, and both cumulated. Months the history cannot speak for are
    dropped (from the first unobserved offset on)."""
    known = profile["pipeline_per_spend"].notna()
    if not known.all():
        first_gap = int(np.argmin(known.to_numpy()))
        profile = profile.iloc[:first_gap]
    month0 = pd.Timestamp(start).to_period("M")
    out = pd.DataFrame(
        {
            "month_offset": profile["month_offset"].to_numpy(),
            "month": [(month0 + int(k)).to_timestamp() for k in profile["month_offset"]],
            "expected_pipeline": budget * profile["pipeline_per_spend"].to_numpy(),
            "expected_won": budget * profile["won_per_spend"].to_numpy(),
            "count_campaigns": profile["count_campaigns"].to_numpy(),
        }
    )
    out["cumulative_pipeline"] = out["expected_pipeline"].cumsum()
    out["cumulative_won"] = out["expected_won"].cumsum()
    return out
