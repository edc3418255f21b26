"""The history the scenario planner is fitted to, and the saved named scenarios.

Everything is read for the whole workspace (no segment, region or owner filters): the planner
models the company. ``as_of`` cuts the history (the backtest fits on the first months only):
nothing created, spent or closed on or after it is seen.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import pandas as pd

from planning import history as planning_history
from planning import model as planning_model
from planning.handoff import MqlDefinition, mql_definition
from queries import actor, sqlfiles
from queries.workspace import Workspace

# Leads and deals are judged on cohorts old enough for their outcome to be known by ``as_of``.
MATURE_DAYS = 240
# ... and recent enough to reflect today's funnel (conversion improves as a brand grows): the
# cohorts of the 12 months before that.
COHORT_DAYS = 365
MAX_NAME = 60
# the backtest fits on this many first months and projects the rest
BACKTEST_FIT_MONTHS = 24
MAX_SCENARIOS = 200


def data_end(ws: Workspace) -> date | None:
    """The first day after the data: the default ``as_of``."""
    row = ws.per_version("data_date_range").iloc[0]
    if pd.isna(row["last_day"]):
        return None
    return pd.Timestamp(row["last_day"]).date() + timedelta(days=1)


def data_start(ws: Workspace) -> date | None:
    row = ws.per_version("data_date_range").iloc[0]
    if pd.isna(row["first_day"]):
        return None
    return pd.Timestamp(row["first_day"]).date()


def planner_history(
    ws: Workspace, as_of: date | None = None, mql: MqlDefinition | None = None
) -> planning_history.History | None:
    """The monthly series, funnel cohorts and rep-months the planner needs (the deal owners
    active each month when no sales reps are imported); None when the workspace has no dated
    rows at all. The cohorts count MQLs by ``mql``, else the workspace's saved definition (as
    Funnel health does). ``planning.history.unmet`` says what else the planner lacks."""
    start, end = data_start(ws), data_end(ws)
    if start is None or end is None:
        return None
    as_of = min(as_of or end, end)
    # a month is used only when whole: cut at the start of the month of as_of
    as_of = date(as_of.year, as_of.month, 1)
    first_month = date(start.year, start.month, 1)
    mature_to = as_of - timedelta(days=MATURE_DAYS)
    streams = ws.query("planner_monthly_streams", as_of=as_of)
    opps = ws.query("planner_opportunity_months", as_of=as_of)
    won = ws.query("planner_won_months", as_of=as_of)
    mature_from = max(first_month, mature_to - timedelta(days=COHORT_DAYS))
    cohort = dict(as_of=as_of, mature_from=mature_from, mature_to=mature_to)
    definition = mql if mql is not None else mql_definition(ws.settings())
    funnel = ws.query("planner_funnel_cohort", **cohort, **definition.params())
    outcomes = ws.query("planner_deal_outcomes", **cohort)
    reps = ws.query("planner_rep_months", as_of=as_of, first_month=first_month)
    capacity = "reps"
    if reps.empty:
        # no roster: the deal owners active each month stand for the sales team
        reps = ws.query("planner_owner_months", as_of=as_of, first_month=first_month)
        capacity = "owners"
    pull_cohorts = ws.query("planner_pull_cohort_months", as_of=as_of)
    return planning_history.build_history(
        streams=streams,
        opportunities=opps,
        won=won,
        funnel=funnel,
        outcomes=outcomes,
        rep_months=reps,
        first_month=first_month,
        as_of=as_of,
        pull_cohorts=pull_cohorts,
        cohort_window=(mature_from, mature_to),
        capacity_source=capacity,
    )


def planner_gaps(
    ws: Workspace, as_of: date | None = None, mql: MqlDefinition | None = None
) -> list[tuple[str, dict]]:
    """The planner's unmet requirements on this workspace, with their counts (empty: it fits)."""
    return planning_history.unmet(planner_history(ws, as_of, mql))


def fitted_model(
    ws: Workspace,
    as_of: date | None = None,
    draws: int = 30,
    mql: MqlDefinition | None = None,
) -> planning_model.PlannerModel | None:
    """The planner fitted to the workspace (with ``draws`` bootstrap refits; MQLs by ``mql``,
    else the saved definition); None when the history is too short. Cache this (state.call):
    a slider change only reprojects."""
    hist = planner_history(ws, as_of, mql)
    if hist is None or not hist.is_usable():
        return None
    return planning_model.fit_model(hist, draws=draws)


# -- named scenarios --------------------------------------------------------------------------
def list_scenarios(ws: Workspace) -> pd.DataFrame:
    """One row per saved scenario: name, inputs (a dict), saved_at."""
    df = ws.query("scenario_list")
    df["inputs"] = [json.loads(s) for s in df["inputs_json"]]
    return df[["name", "inputs", "saved_at"]]


def validate_name(name: str, existing: int) -> str | None:
    """An error code for the scenario name, or None when it is acceptable."""
    name = (name or "").strip()
    if not name:
        return "name_empty"
    if len(name) > MAX_NAME:
        return "name_long"
    if any(ord(c) < 32 for c in name):
        return "name_control"
    if existing >= MAX_SCENARIOS:
        return "too_many"
    return None


def save_scenario(ws: Workspace, name: str, inputs: dict) -> None:
    """Save (or replace) the named scenario in one transaction. The caller validates first."""
    name = name.strip()
    text = json.dumps(inputs, sort_keys=True)
    delete, insert = sqlfiles.get("scenario_delete"), sqlfiles.get("scenario_insert")
    with ws.transaction() as cur:
        cur.execute(delete.sql, delete.bind({"name": name}))
        cur.execute(
            insert.sql,
            insert.bind(
                {
                    "scenario_id": uuid.uuid4().hex,
                    "name": name,
                    "inputs_json": text,
                    "by_user": actor.current(),
                }
            ),
        )


def delete_scenario(ws: Workspace, name: str) -> None:
    q = sqlfiles.get("scenario_delete")
    with ws.transaction() as cur:
        cur.execute(q.sql, q.bind({"name": name}))


# -- validation -------------------------------------------------------------------------------
def backtest(
    ws: Workspace, fit_months: int = BACKTEST_FIT_MONTHS, mql: MqlDefinition | None = None
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Fit on the first ``fit_months`` months (nothing later is seen, funnel cohorts included),
    project the rest with the spend and headcount that happened: (monthly, errors)."""
    from planning import validation

    start = data_start(ws)
    full = planner_history(ws, mql=mql)
    if start is None or full is None or full.n_months <= fit_months:
        return None
    cut = (pd.Timestamp(date(start.year, start.month, 1)) + pd.DateOffset(months=fit_months)).date()
    model = fitted_model(ws, cut, 0, mql)
    if model is None:
        return None
    return validation.backtest(model, full)
