"""Campaign calendar: the plan (campaigns), its pacing against spend, and first-touch results.

Which campaigns a view holds: those running on at least one day of the period and aimed at a
chosen segment (a campaign without a segment is aimed at every segment). The SQL lives in
``sql/campaigns.sql``; win counts and won revenue come from ``metrics.deal_metrics_by`` so that
each deal metric keeps one implementation.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from planning import attribution, campaign_plan, fiscal
from planning.handoff import MqlDefinition, mql_definition
from queries import actor, metrics
from queries.filters import Filters
from queries.workspace import Workspace, kept_is_fresh

JOURNEY_STAGES = campaign_plan.OBJECTIVES


def _mql(ws: Workspace, mql: MqlDefinition | None) -> dict[str, object]:
    """The MQL definition's parameters: ``mql``, else the workspace's saved one (Funnel health)."""
    return (mql if mql is not None else mql_definition(ws.settings())).params()


def _params(filters: Filters) -> dict[str, object]:
    return {
        "date_from": filters.date_from,
        "date_to": filters.date_to,
        "segments": filters.params()["segments"],
    }


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


def results(
    ws: Workspace, filters: Filters, as_of: date, mql: MqlDefinition | None = None
) -> pd.DataFrame:
    """One row per campaign in the view with its first-touch results over its whole life to
    ``as_of``: leads and MQLs (leads.campaign_id; MQLs by ``mql``, else the saved definition),
    won deals and won revenue (deals.campaign_id), spend, cost per lead = spend ÷ leads and
    ROI = (won revenue − spend) ÷ spend.

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
    leads = ws.query("campaign_lead_results", as_of=as_of, **_mql(ws, mql))
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


def journey_coverage(ws: Workspace, filters: Filters, *, lang: str = "en") -> pd.DataFrame:
    """One row per quarter and journey stage: campaigns running (0 = a gap in the journey).
    Quarters follow the workspace's fiscal year (``fiscal_year_start_month``): ``quarter_label``
    is ``2025 Q1`` for calendar quarters, ``FY2026/27 Q1`` for fiscal ones (``lang``
    translates it)."""
    start = fiscal.start_month(ws.settings())
    df = ws.query("journey_coverage", **_params(filters), fiscal_start_month=start)
    df["quarter_start"] = pd.to_datetime(df["quarter_start"])
    labels = [
        fiscal.quarter_label(d.date(), start, lang, calendar_sep=" ") for d in df["quarter_start"]
    ]
    df.insert(1, "quarter_label", pd.Series(labels, index=df.index, dtype=object))
    return df


# -- the plan as edited ---------------------------------------------------------------------------
PLAN_COLUMNS = campaign_plan.FIELDS  # the campaigns table's columns, as the form edits them


def campaign_count(ws: Workspace) -> int:
    """How many campaigns the workspace holds (no filter): 0 when none was imported or created."""
    return int(ws.query("campaign_count").iloc[0]["count_campaigns"])


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
            "insert into campaign_changes (change_id, changed_at, action, summary, campaign_ids, "
            "by_user) values ($id, current_timestamp::timestamp, $action, $summary, $ids, $by)",
            {
                "id": change_id,
                "action": action,
                "summary": summary,
                "ids": ids,
                "by": actor.current(),
            },
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
            "import_id, by_user) values ($id, current_timestamp::timestamp, 'import', $summary, "
            "[], $imp, $by)",
            {"id": change_id, "summary": summary, "imp": import_id, "by": actor.current()},
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
                "update campaign_changes set undone_at = current_timestamp::timestamp, "
                "undone_by = $by where change_id = $id",
                {"id": change["change_id"], "by": actor.current()},
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
            "update campaign_changes set undone_at = current_timestamp::timestamp, "
            "undone_by = $by where change_id = $id",
            {"id": params["id"], "by": actor.current()},
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
    mql: MqlDefinition | None = None,
) -> pd.DataFrame:
    """One row per kind ('lead' or 'deal'), campaign, channel and model: the leads (with their
    MQLs, by ``mql`` else the saved definition, and SQLs) and deals (with pipeline, won deals
    and won revenue) up to ``as_of`` credited to those touches, every model at once, weighed and
    summed in SQL (``attribution_credit`` in sql/campaigns.sql), so only these few rows come
    back. ``won_deals_only``: the won deals' paths only (no leads), enough for the credit per
    channel."""
    params = {
        "as_of": as_of,
        "won_deals_only": won_deals_only,
        **attribution.sql_parameters(half_life_days),
        **_mql(ws, mql),
    }
    return ws.query("attribution_credit", use_kept=_kept_places_apply(ws, params), **params)


def _kept_places_apply(ws: Workspace, params: dict[str, object]) -> bool:
    """Whether the sums of the touch facts kept per place (migration 028) answer ``params``:
    kept at their half-life, with MQL as recorded, and every date they count on or before the
    as-of day (a later one would be left out). Else attribution_credit sums the facts."""
    if params["mql_rule"] != "recorded":
        return False
    state = ws.query("attribution_kept_state").iloc[0]
    if pd.isna(state["settled_on"]):
        return False  # nothing kept (no facts): the facts' sum is as quick
    return bool(
        state["min_half_life"] == state["max_half_life"] == params["half_life_days"]
        and pd.Timestamp(state["settled_on"]) <= pd.Timestamp(params["as_of"])
    )


def campaign_spend(ws: Workspace, as_of: date) -> pd.Series:
    """Campaign id → all the spend recorded against the campaign up to ``as_of`` (campaigns
    without spend are absent: no spend)."""
    # read from spend alone: the leads (5M at scale) are no part of it
    return ws.query("campaign_spend_to_date", as_of=as_of).set_index("campaign_id")["spend"]


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
    mql: MqlDefinition | None = None,
) -> pd.DataFrame:
    """One row per campaign in the view: leads, MQLs (by ``mql``, else the saved definition)
    and SQLs credited over the touches up to
    each lead's creation, opportunities, pipeline, won deals and won revenue credited over the
    touches up to each deal's creation — under ``model`` — with spend, cost per lead, cost per
    opportunity and ROI = (won revenue − spend) ÷ spend. Credits are fractions of a lead or a
    deal; over all campaigns and the touches without one they sum to the totals. ``credit``:
    ``attribution_credit(ws, as_of, half_life_days)`` when the caller already has it."""
    attribution.check_model(model)
    plan = calendar(ws, filters, as_of)
    if credit is None:
        credit = attribution_credit(ws, as_of, half_life_days, mql=mql)
    return attribution.campaign_results(plan, credit, campaign_spend(ws, as_of), model)


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
    return attribution.credit_by_channel(credit, models)


# -- expected pipeline of a planned campaign -------------------------------------------------------
def forecast_history(ws: Workspace, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The past campaigns (channel, start, spend) and what they produced per month after their
    start (pipeline created, won revenue; deals tagged with the campaign)."""
    history = ws.query("channel_campaign_history", as_of=as_of)
    history["start_date"] = pd.to_datetime(history["start_date"]).dt.date
    outcomes = ws.query("campaign_outcomes_by_month", as_of=as_of)
    return history, outcomes


def channel_lags(ws: Workspace, as_of: date, *, live: bool = False) -> pd.DataFrame:
    """One row per channel: median days campaign start → lead → deal → won. From the medians
    the refresh keeps (migration 035) when they answer for ``as_of`` (every record counted,
    the campaigns unchanged since), unless ``live``."""
    kept = False
    if not live and kept_is_fresh(ws):
        fresh = ws.query("channel_lags_kept", as_of=as_of)
        kept = not fresh.empty and bool(fresh["is_fresh"].iloc[0])
    return ws.query("channel_lags", as_of=as_of, kept=kept)


def channel_motions(ws: Workspace) -> dict[str, str]:
    """Channel (lead source) → ``'pull'`` or ``'push'``, from the source → motion mapping."""
    df = ws.query("channel_motions")
    return dict(zip(df["channel"], df["motion"], strict=True))
