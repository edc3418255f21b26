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

from planning import attribution, campaign_plan
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


ZOOMS = ("all", "year", "quarter", "month")


def zoom_window(zoom: str, anchor: date) -> tuple[date, date]:
    """The calendar month, quarter or year holding ``anchor`` (first and last day)."""
    if zoom == "month":
        start = anchor.replace(day=1)
        months = 1
    elif zoom == "quarter":
        start = date(anchor.year, 3 * ((anchor.month - 1) // 3) + 1, 1)
        months = 3
    elif zoom == "year":
        start = date(anchor.year, 1, 1)
        months = 12
    else:
        raise ValueError(f"unknown zoom {zoom!r}")
    after = (pd.Timestamp(start) + pd.DateOffset(months=months)).date()
    return start, after - timedelta(days=1)


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


# -- the plan as edited ---------------------------------------------------------------------------
PLAN_COLUMNS = campaign_plan.FIELDS  # the campaigns table's columns, as the form edits them


def plan_rows(ws: Workspace) -> pd.DataFrame:
    """One row per campaign of the workspace with every planned field (the editor's table)."""
    df = ws.query("campaign_plan_rows")
    for col in ("start_date", "end_date"):
        df[col] = pd.to_datetime(df[col]).dt.date
    return df


def known_values(ws: Workspace) -> dict[str, list[str]]:
    """The channels and segments a campaign may name: ``{"channel": [...], "segment": [...]}``."""
    df = ws.query("campaign_known_values")
    return {k: df.loc[df["kind"] == k, "value"].tolist() for k in ("channel", "segment")}


def last_change(ws: Workspace) -> dict | None:
    """The latest change to the plan that can be undone, or None."""
    df = ws.query("campaign_last_change")
    if df.empty:
        return None
    row = df.iloc[0].to_dict()
    ids = row["campaign_ids"]
    row["campaign_ids"] = [] if ids is None else [str(i) for i in ids]
    return row


def save_changes(
    ws: Workspace,
    *,
    action: str,
    summary: str,
    upserts: list[dict] | tuple[dict, ...] = (),
    deletes: list[str] | tuple[str, ...] = (),
) -> int:
    """Write campaign rows (added or changed) and deletions in one transaction, logging the
    change and keeping the rows it overwrote or removed so that ``undo_last_change`` restores
    them. The rows must have been checked (planning.campaign_plan.problems). Returns the
    change id."""
    ids = [str(r["campaign_id"]) for r in upserts] + [str(d) for d in deletes]
    with ws.transaction() as cur:
        change_id = int(
            cur.execute("select coalesce(max(change_id), 0) + 1 from campaign_changes").fetchone()[
                0
            ]
        )
        cur.execute(
            "insert into campaign_change_rows by name select *, $change_id as change_id "
            "from campaigns where list_contains($ids, campaign_id)",
            {"change_id": change_id, "ids": ids},
        )
        cur.execute("delete from campaigns where list_contains($ids, campaign_id)", {"ids": ids})
        for row in upserts:
            values = {c: row.get(c) for c in PLAN_COLUMNS}
            cur.execute(
                "insert into campaigns (campaign_id, name, channel, objective, start_date, "
                "end_date, budget, status, owner, segment, import_id) values ($campaign_id, "
                "$name, $channel, $objective, $start_date, $end_date, $budget, $status, $owner, "
                "$segment, (select import_id from campaign_change_rows "
                "where change_id = $change_id and campaign_id = $campaign_id))",
                values | {"change_id": change_id},
            )
        cur.execute(
            "insert into campaign_changes (change_id, changed_at, action, summary, campaign_ids) "
            "values ($id, current_timestamp::timestamp, $action, $summary, $ids)",
            {"id": change_id, "action": action, "summary": summary, "ids": ids},
        )
    return change_id


def log_import(ws: Workspace, import_id: str, summary: str) -> int:
    """Record an import of a campaign plan as a change, so that undo can take it back."""
    with ws.transaction() as cur:
        change_id = int(
            cur.execute("select coalesce(max(change_id), 0) + 1 from campaign_changes").fetchone()[
                0
            ]
        )
        cur.execute(
            "insert into campaign_changes (change_id, changed_at, action, summary, campaign_ids, "
            "import_id) values ($id, current_timestamp::timestamp, 'import', $summary, [], $imp)",
            {"id": change_id, "summary": summary, "imp": import_id},
        )
    return change_id


def undo_last_change(ws: Workspace) -> dict | None:
    """Take back the latest change not yet undone: the rows it wrote go, the rows it removed or
    overwrote come back (an import is undone by the import engine). Returns that change."""
    change = last_change(ws)
    if change is None:
        return None
    if change["action"] == "import" and change["import_id"]:
        from queries.ingest.engine import undo  # the engine owns its own undo

        undo(ws, str(change["import_id"]))
        with ws.transaction() as cur:
            cur.execute(
                "update campaign_changes set undone_at = current_timestamp::timestamp "
                "where change_id = $id",
                {"id": change["change_id"]},
            )
        return change
    with ws.transaction() as cur:
        params = {"id": int(change["change_id"]), "ids": change["campaign_ids"]}
        cur.execute(
            "delete from campaigns where list_contains($ids, campaign_id)", {"ids": params["ids"]}
        )
        cur.execute(
            "insert into campaigns by name select * exclude (change_id) "
            "from campaign_change_rows where change_id = $id",
            {"id": params["id"]},
        )
        cur.execute("delete from campaign_change_rows where change_id = $id", {"id": params["id"]})
        cur.execute(
            "update campaign_changes set undone_at = current_timestamp::timestamp "
            "where change_id = $id",
            {"id": params["id"]},
        )
    return change


# -- attribution ----------------------------------------------------------------------------------
CREDIT_MEASURES = ("count_credited", "count_mqls", "count_sqls", "pipeline", "won", "won_amount")


def attribution_credit(
    ws: Workspace,
    as_of: date,
    half_life_days: float = attribution.HALF_LIFE_DAYS,
    *,
    won_deals_only: bool = False,
) -> pd.DataFrame:
    """One row per kind ('lead' or 'deal'), campaign, channel and model: the leads (with their
    MQLs and SQLs) and deals (with pipeline, won deals and won revenue) up to ``as_of`` credited
    to those touches, every model at once, weighed and summed in SQL (``attribution_credit`` in
    sql/campaigns.sql), so only these few rows come back. ``won_deals_only``: the won deals'
    paths only (no leads), enough for the credit per channel."""
    return ws.query(
        "attribution_credit",
        as_of=as_of,
        won_deals_only=won_deals_only,
        **attribution.sql_parameters(half_life_days),
    )


def has_touch_paths(ws: Workspace, as_of: date) -> bool:
    """Whether any lead or deal has more than one touch (else only single-touch models apply)."""
    for name in ("attribution_deal_has_multi_touch", "attribution_lead_has_multi_touch"):
        if bool(ws.query(name, as_of=as_of)["has_multi_touch"].iloc[0]):
            return True
    return False


def attributed_results(
    ws: Workspace,
    filters: Filters,
    as_of: date,
    model: str,
    half_life_days: float = attribution.HALF_LIFE_DAYS,
    credit: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per campaign in the view: leads, MQLs and SQLs credited over the touches up to
    each lead's creation, opportunities, pipeline, won deals and won revenue credited over the
    touches up to each deal's creation — under ``model`` — with spend, cost per lead, cost per
    opportunity and ROI = (won revenue − spend) ÷ spend. Credits are fractions of a lead or a
    deal; over all campaigns and the touches without one they sum to the totals. ``credit``:
    ``attribution_credit(ws, as_of, half_life_days)`` when the caller already has it."""
    attribution.check_model(model)
    plan = calendar(ws, filters, as_of)
    if credit is None:
        credit = attribution_credit(ws, as_of, half_life_days)
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
    spend = ws.query("campaign_lead_results", as_of=as_of).set_index("campaign_id")["spend"]
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


def channel_credit(
    ws: Workspace,
    as_of: date,
    models: tuple[str, ...] = attribution.MODELS,
    half_life_days: float = attribution.HALF_LIFE_DAYS,
    credit: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per channel and model: the won revenue (deals won up to ``as_of``) credited to
    the channel's touches under the model. Per model the credits sum to the won revenue.
    ``credit``: ``attribution_credit(ws, as_of, half_life_days)`` when the caller already has it
    (else only the won deals' paths are weighed)."""
    for model in models:
        attribution.check_model(model)
    if credit is None:
        credit = attribution_credit(ws, as_of, half_life_days, won_deals_only=True)
    deals = credit[credit["kind"] == "deal"]
    rows = []
    for model in models:
        part = deals[deals["model"] == model].groupby("channel")["won_amount"].sum()
        rows.append(part.rename("won_amount").reset_index().assign(model=model))
    if not rows:
        return pd.DataFrame(columns=["channel", "won_amount", "model"])
    return pd.concat(rows, ignore_index=True)


# -- expected pipeline of a planned campaign -------------------------------------------------------
def forecast_history(ws: Workspace, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The past campaigns (channel, start, spend) and what they produced per month after their
    start (pipeline created, won revenue; deals tagged with the campaign)."""
    history = ws.query("channel_campaign_history", as_of=as_of)
    history["start_date"] = pd.to_datetime(history["start_date"]).dt.date
    outcomes = ws.query("campaign_outcomes_by_month", as_of=as_of)
    return history, outcomes


def channel_lags(ws: Workspace, as_of: date) -> pd.DataFrame:
    """One row per channel: median days campaign start → lead → deal → won."""
    return ws.query("channel_lags", as_of=as_of)


def channel_motions(ws: Workspace) -> dict[str, str]:
    """Channel (lead source) → ``'pull'`` or ``'push'``, from the source → motion mapping."""
    df = ws.query("channel_motions")
    return dict(zip(df["channel"], df["motion"], strict=True))
