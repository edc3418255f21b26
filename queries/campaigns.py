"""Campaign calendar: the plan (campaigns), its pacing against spend, and first-touch results.

Which campaigns a view holds: those running on at least one day of the period and aimed at a
chosen segment (a campaign without a segment is aimed at every segment). The SQL lives in
``sql/campaigns.sql``; win counts and won revenue come from ``metrics.deal_metrics_by`` so that
each deal metric keeps one implementation.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from queries import metrics
from queries.filters import Filters
from queries.workspace import Workspace

JOURNEY_STAGES = ("awareness", "consideration", "purchase", "loyalty", "advocacy")

# How far past "to date" the calendar looks when it also shows upcoming (planned) campaigns,
# and how close "to date" must be to the period's end for the axis to stretch to show it.
UPCOMING_DAYS = 183
TODAY_REACH_DAYS = 92


def _params(filters: Filters) -> dict[str, object]:
    return {
        "date_from": filters.date_from,
        "date_to": filters.date_to,
        "segments": filters.params()["segments"],
    }


def as_of_day(today: date, last_data_day: date | None) -> date:
    """The day "to date" means: today, or the data's last day when the data stops before today
    (the sample company, or a CRM export not refreshed since), so pacing is not judged on
    days that have no spend recorded yet."""
    if last_data_day is None or pd.isna(last_data_day):
        return today
    return min(today, last_data_day)


def calendar_window(filters: Filters, as_of: date, *, upcoming: bool) -> tuple[date, date]:
    """The days whose campaigns the timeline lists: the period, plus the six months after
    ``as_of`` when ``upcoming`` (so planned campaigns appear in a planning meeting)."""
    end = filters.date_to
    if upcoming:
        end = max(end, as_of + timedelta(days=UPCOMING_DAYS))
    return filters.date_from, end


def axis_range(start: date, end: date, as_of: date, calendar: pd.DataFrame) -> tuple[date, date]:
    """The time axis of the timeline: the window clipped to the campaigns in it (an "all time"
    filter must not stretch the axis over centuries), stretched to show ``as_of`` when near."""
    if not calendar.empty:
        start = max(start, pd.Timestamp(calendar["start_date"].min()).date())
        end = min(end, pd.Timestamp(calendar["end_date"].max()).date())
    if end < as_of <= end + timedelta(days=TODAY_REACH_DAYS):
        end = as_of + timedelta(days=7)
    return start, end + timedelta(days=1)


def calendar(ws: Workspace, filters: Filters, as_of: date) -> pd.DataFrame:
    """One row per campaign in the view: plan, motion, spend to ``as_of`` and linear pacing."""
    df = ws.query("campaign_calendar", **_params(filters), as_of=as_of)
    for col in ("start_date", "end_date"):
        df[col] = pd.to_datetime(df[col])
    return df


def budget_by_channel_month(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per channel and month: campaign budget planned for the month and spend."""
    df = ws.query("campaign_budget_by_channel_month", **_params(filters))
    df["month"] = pd.to_datetime(df["month"])
    if df.empty:
        return df
    # A month with no campaign on a channel is a row of zeros, not a missing row, so a chart
    # shows the pause instead of drawing the plan straight across it.
    months = pd.date_range(df["month"].min(), df["month"].max(), freq="MS")
    grid = pd.MultiIndex.from_product(
        [sorted(df["channel"].unique()), months], names=["channel", "month"]
    )
    return (
        df.set_index(["channel", "month"])
        .reindex(grid, fill_value=0.0)
        .reset_index()
        .astype({"planned_budget": "float64", "spend": "float64"})
    )


def results(ws: Workspace, filters: Filters, as_of: date) -> pd.DataFrame:
    """One row per campaign in the view with its first-touch results over its whole life to
    ``as_of``: leads and MQLs (leads.campaign_id), won deals and won revenue (deals.campaign_id),
    spend, cost per lead = spend ÷ leads and ROI = (won revenue − spend) ÷ spend.

    Results are not cut to the period: a campaign keeps earning after it ends, and its ROI
    compares everything it cost with everything it won.
    """
    plan = calendar(ws, filters, as_of)
    cols = [
        "campaign_id",
        "name",
        "channel",
        "objective",
        "motion",
        "status",
        "start_date",
        "end_date",
        "budget",
    ]
    out = plan[cols].copy()
    leads = ws.query("campaign_lead_results", as_of=as_of)
    wins = metrics.deal_metrics_by(ws, Filters(date_to=as_of), "campaign_id")
    wins = wins.loc[wins["motion_group"] == "overall", ["dimension_value", "won", "won_amount"]]
    wins = wins.rename(columns={"dimension_value": "campaign_id"})
    out = out.merge(leads, on="campaign_id", how="left").merge(wins, on="campaign_id", how="left")
    for col in ("count_leads", "count_mqls", "won"):
        out[col] = out[col].fillna(0).astype("int64")
    for col in ("spend", "won_amount"):
        out[col] = out[col].fillna(0.0).astype("float64")
    spend = out["spend"].where(out["spend"] > 0)
    out["cost_per_lead"] = spend / out["count_leads"].where(out["count_leads"] > 0)
    out["roi"] = (out["won_amount"] - spend) / spend
    out = out.replace([np.inf, -np.inf], np.nan)
    return out.sort_values(["won_amount", "start_date"], ascending=[False, True]).reset_index(
        drop=True
    )


def journey_coverage(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per quarter and journey stage: campaigns running (0 = a gap in the journey)."""
    df = ws.query("journey_coverage", **_params(filters))
    df["quarter_start"] = pd.to_datetime(df["quarter_start"])
    return df
