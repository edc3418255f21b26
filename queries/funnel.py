"""Funnel health: lifecycle funnel, stage velocity, the MQL handoff SLA and lead cohorts.

The definitions live in ``sql/funnel.sql`` (and, for the funnel by period, in the headline
metrics of ``sql/metrics.sql``, so those counts keep one implementation).
"""

from __future__ import annotations

import pandas as pd

from queries import metrics
from queries.filters import Filters
from queries.workspace import Workspace

STAGES = ("lead", "mql", "sql", "opportunity", "won")
STEPS = ("lead_to_mql", "mql_to_sql", "sql_to_opportunity", "opportunity_to_won")
MOTIONS = ("pull", "push", "unmapped")
# The headline count that says how many reached each stage in the period.
_PERIOD_COUNTS = {
    "lead": "leads",
    "mql": "mqls",
    "sql": "sqls",
    "opportunity": "opportunities",
    "won": "won",
}
FUNNEL_COLUMNS = [
    "motion",
    "stage_order",
    "stage",
    "count_reached",
    "share_of_first",
    "step_conversion",
]


def funnel_by_cohort(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per motion and stage: leads created in the period that ever reached the stage."""
    return ws.query("funnel_by_cohort", **filters.params())


def funnel_by_period(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per motion and stage: how many reached the stage in the period.

    The counts are the headline metrics (leads created, MQLs and SQLs reached, opportunities
    created, deals won, all in the period); the step conversion divides each by the one before.
    Motions with nothing in the period are left out.
    """
    head = metrics.headline(ws, filters)
    rows = []
    for motion in MOTIONS:
        if motion not in head.index:
            continue
        counts = [int(head.loc[motion, _PERIOD_COUNTS[s]]) for s in STAGES]
        if not any(counts):
            continue
        for order, (stage, count) in enumerate(zip(STAGES, counts, strict=True), start=1):
            previous = counts[order - 2] if order > 1 else None
            rows.append(
                {
                    "motion": motion,
                    "stage_order": order,
                    "stage": stage,
                    "count_reached": count,
                    "share_of_first": count / counts[0] if counts[0] else float("nan"),
                    "step_conversion": (count / previous if previous else float("nan")),
                }
            )
    return pd.DataFrame(rows, columns=FUNNEL_COLUMNS)


def stage_velocity(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per motion and step: steps completed in the period, median and p80 days."""
    return ws.query("stage_velocity", **filters.params())


def handoff_sla(ws: Workspace, filters: Filters, sla_hours: float) -> pd.DataFrame:
    """One row per motion: MQLs of the period and the share first touched within the SLA."""
    return ws.query("handoff_sla", **filters.params(), sla_hours=float(sla_hours))


def handoff_response_curve(ws: Workspace, filters: Filters, max_hours: int = 168) -> pd.DataFrame:
    """One row per motion and hour after MQL (up to ``max_hours``): MQLs first touched in that
    hour, and the cumulative share of all the motion's MQLs touched by its end."""
    if max_hours < 1:
        raise ValueError("max_hours must be at least 1")
    return ws.query("handoff_response_curve", **filters.params(), max_hours=int(max_hours))


def lead_cohort_wins(ws: Workspace, filters: Filters, max_months: int = 12) -> pd.DataFrame:
    """One row per monthly lead cohort, motion and months since creation (0..max_months)."""
    if max_months < 0:
        raise ValueError("max_months must be 0 or more")
    return ws.query("lead_cohort_wins", **filters.params(), max_months=int(max_months))
