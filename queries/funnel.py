"""Funnel health: the queries behind the lifecycle funnel (by cohort and by period), the MQL
handoff and its SLA, the lead-score threshold, stage velocity and leakage, stuck deals, the data
checks, and the writes of the page's settings (the MQL definition, the SLA, the unit-economics
assumptions).

The definitions live in ``sql/funnel.sql``; this module binds parameters and runs them. What
the results mean is computed in ``planning/`` (``lifecycle``, ``handoff``, ``lead_score``,
``data_checks``), what a chart says in ``views/funnel.py``. Win rate, deal size, cycle,
pipeline velocity and CAC come from ``queries.metrics`` (one implementation each).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import duckdb
import pandas as pd

from planning.data_checks import combine_trust
from planning.handoff import (
    DEFAULT_SLA_HOURS,
    MAX_HOURS,
    MAX_SLA_HOURS,
    MQL_RULE_KEY,
    MQL_RULES,
    MQL_THRESHOLD_KEY,
    SLA_HOURS_KEY,
    MqlDefinition,
    handoff_summary,
    mql_definition,
    number,
    response_curve,
)
from planning.lifecycle import summarise_stages
from queries import actor, sqlfiles
from queries import settings as settings_q
from queries.data_admin import FieldError
from queries.data_checks import kept_days
from queries.filters import Filters
from queries.workspace import Workspace

MOTIONS = ("pull", "push", "unmapped")
SPLITS = ("none", "source", "segment", "region", "owner")
# Sources that say "we do not know where this came from" (compared lower-cased): HubSpot files
# untracked leads under "Offline Sources"; other CRMs use these words.
CATCH_ALL_SOURCES = (
    "offline sources",
    "offline",
    "other",
    "others",
    "unknown",
    "none",
    "n/a",
    "(none)",
    "(not set)",
    "not provided",
    "select",
)


def validate_mql(values: Mapping[str, object]) -> tuple[dict[str, str], list[FieldError]]:
    """Check an MQL definition: ``mql_rule`` and ``mql_threshold`` (text; needed when the rule
    uses the score, 0 or more). Returns (settings to store, errors per field)."""
    out: dict[str, str] = {}
    errors: list[FieldError] = []
    rule = str(values.get("mql_rule") or "")
    if rule in MQL_RULES:
        out[MQL_RULE_KEY] = rule
    else:
        errors.append(FieldError(MQL_RULE_KEY, "rule_invalid", rule))
    raw = values.get("mql_threshold")
    blank = raw is None or not str(raw).strip()
    threshold = None if blank else number(raw)
    if threshold is not None and threshold >= 0:
        out[MQL_THRESHOLD_KEY] = f"{threshold:g}"
    elif not (blank and rule == "recorded"):
        errors.append(FieldError(MQL_THRESHOLD_KEY, "threshold_invalid", "" if blank else str(raw)))
    return out, errors


def candidate_definition(
    values: Mapping[str, object],
) -> tuple[MqlDefinition | None, list[FieldError]]:
    """A definition typed to compare (not saved): the definition, or None with the errors."""
    stored, errors = validate_mql(values)
    if errors:
        return None, errors
    return mql_definition(stored), []


def validate_handoff(values: Mapping[str, object]) -> tuple[dict[str, str], list[FieldError]]:
    """Check the handoff form: ``mql_rule``, ``mql_threshold`` (text; needed when the rule uses
    the score), ``sla_hours`` (0 < h <= 720). Returns (settings to store, errors per field)."""
    out, errors = validate_mql(values)
    hours = number(values.get("sla_hours"))
    if hours is not None and 0 < hours <= MAX_SLA_HOURS:
        out[SLA_HOURS_KEY] = f"{hours:g}"
    else:
        errors.append(FieldError(SLA_HOURS_KEY, "sla_invalid", str(values.get("sla_hours"))))
    return out, errors


def _write_settings(
    cur: duckdb.DuckDBPyConnection, stored: Mapping[str, str], by: str | None = None
) -> None:
    for key, value in stored.items():
        settings_q.write(cur, key, value, by=by)


def save_settings(ws: Workspace, stored: Mapping[str, str]) -> None:
    """Write checked settings in one transaction."""
    with ws.transaction() as cur:
        _write_settings(cur, stored)


def save_handoff(
    ws: Workspace, values: Mapping[str, object], saved_by: str | None = None
) -> list[FieldError]:
    """Validate the handoff form and store it; nothing is written when any field is invalid.
    A changed MQL definition is appended to the versions (migration 015) in the same
    transaction, saved by ``saved_by`` (default: who is signed in, else "local"); the settings
    stay the current definition."""
    stored, errors = validate_handoff(values)
    if errors:
        return errors
    definition = mql_definition(stored)
    q = sqlfiles.get("mql_version_append")
    with ws.transaction() as cur:
        _write_settings(cur, stored, by=saved_by)
        cur.execute(
            q.sql, q.bind({**_version_params(definition), "saved_by": saved_by or actor.current()})
        )
    return []


def _version_params(definition: MqlDefinition) -> dict[str, object]:
    # a version keeps no threshold under 'recorded' (the SQL ignores it there)
    threshold = definition.threshold if definition.uses_score else None
    return {"mql_rule": definition.rule, "mql_threshold": threshold}


def mql_versions(ws: Workspace) -> pd.DataFrame:
    """One row per saved MQL definition, newest first: version, rule, threshold (NaN under
    'recorded'), saved_at, saved_by."""
    return ws.query("mql_version_list")


def version_definition(versions: pd.DataFrame, version: int) -> MqlDefinition | None:
    """The definition saved as ``version`` (None when there is no such version)."""
    row = versions[versions["version"] == version]
    if row.empty:
        return None
    rule, threshold = row.iloc[0]["rule"], row.iloc[0]["threshold"]
    return MqlDefinition(str(rule), None if pd.isna(threshold) else float(threshold))


def compare_definitions(
    ws: Workspace, filters: Filters, current: MqlDefinition, other: MqlDefinition
) -> pd.DataFrame:
    """One row per motion: the period's MQLs under ``current`` and ``other``, how many of them
    won, and the median days from lead creation to MQL (``mql_definition_comparison``)."""
    theirs = other.params()
    return ws.query(
        "mql_definition_comparison",
        **filters.params(),
        **current.params(),
        other_rule=theirs["mql_rule"],
        other_threshold=theirs["mql_threshold"],
    )


PULL_SHARE_KEY = "pull_share_of_sales"  # read by queries.metrics.pull_share_of_sales


def validate_unit_assumptions(
    values: Mapping[str, object],
) -> tuple[dict[str, str], list[FieldError]]:
    """Check the unit-economics form, all in percent: ``gross_margin_pct`` (0..100),
    ``annual_churn_pct`` (above 0, up to 100) and ``pull_share_pct`` (0..100, the share of sales
    spend charged to pull CAC). Stored as fractions under the planning.unit_economics keys and
    ``pull_share_of_sales`` (the setting the Data page also edits)."""
    from planning import unit_economics as ue

    out: dict[str, str] = {}
    errors: list[FieldError] = []
    fields = (
        ("gross_margin_pct", ue.GROSS_MARGIN_KEY, True, "margin_invalid"),
        ("annual_churn_pct", ue.ANNUAL_CHURN_KEY, False, "churn_invalid"),
        ("pull_share_pct", PULL_SHARE_KEY, True, "share_invalid"),
    )
    for field, key, allow_zero, code in fields:
        pct = number(values.get(field))
        if pct is not None and (pct > 0 or (allow_zero and pct == 0)) and pct <= 100:
            out[key] = f"{round(pct / 100, 6):g}"
        else:
            errors.append(FieldError(key, code, str(values.get(field))))
    return out, errors


def save_unit_assumptions(ws: Workspace, values: Mapping[str, object]) -> list[FieldError]:
    """Validate the unit-economics form and store it; nothing is written when a field is bad."""
    stored, errors = validate_unit_assumptions(values)
    if errors:
        return errors
    save_settings(ws, stored)
    return []


def _definition(ws: Workspace, mql: MqlDefinition | None) -> MqlDefinition:
    return mql if mql is not None else mql_definition(ws.settings())


def _split(split: str) -> str:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    return split


# -- lifecycle funnel --------------------------------------------------------------------------
def cohort_stage_counts(
    ws: Workspace, filters: Filters, mql: MqlDefinition | None = None, split: str = "none"
) -> pd.DataFrame:
    """One row per motion, split value, monthly lead cohort and stage: leads of the cohort that
    ever reached the stage (see ``cohort_stage_counts`` in sql/funnel.sql)."""
    definition = _definition(ws, mql)
    # the leads counted per day know each one's stages under the recorded MQL date
    return ws.query(
        "cohort_stage_counts",
        **filters.params(),
        **definition.params(),
        split=_split(split),
        kept=definition.rule == "recorded" and kept_days(ws, filters, split),
    )


def period_stage_counts(
    ws: Workspace, filters: Filters, mql: MqlDefinition | None = None, split: str = "none"
) -> pd.DataFrame:
    """One row per motion, split value, month and stage: how many reached the stage in it."""
    return ws.query(
        "period_stage_counts",
        **filters.params(),
        **_definition(ws, mql).params(),
        split=_split(split),
        kept=kept_days(ws, filters, split),
    )


def funnel_by_cohort(
    ws: Workspace, filters: Filters, mql: MqlDefinition | None = None
) -> pd.DataFrame:
    """One row per motion and stage: leads created in the period that ever reached the stage."""
    return summarise_stages(cohort_stage_counts(ws, filters, mql))


def funnel_by_period(
    ws: Workspace, filters: Filters, mql: MqlDefinition | None = None
) -> pd.DataFrame:
    """One row per motion and stage: how many reached the stage in the period, and that count
    divided by the previous stage's (which can exceed 1: the stages of one lead fall in
    different periods). Motions with nothing in the period are left out."""
    return summarise_stages(period_stage_counts(ws, filters, mql))


# -- the handoff -------------------------------------------------------------------------------
def handoff_detail(
    ws: Workspace,
    filters: Filters,
    sla_hours: float,
    mql: MqlDefinition | None = None,
    max_hours: int = MAX_HOURS,
) -> pd.DataFrame:
    """MQLs of the period counted by motion and response-hour bucket with the within-SLA and won
    flags (row_kind 'hours'), by owner ('owner'), and one 'total' row per motion with its exact
    median and p80 response hours."""
    if max_hours < 1:
        raise ValueError("max_hours must be at least 1")
    return ws.query(
        "handoff_detail",
        **filters.params(),
        **_definition(ws, mql).params(),
        sla_hours=float(sla_hours),
        max_hours=int(max_hours),
    )


def handoff_sla(
    ws: Workspace, filters: Filters, sla_hours: float, mql: MqlDefinition | None = None
) -> pd.DataFrame:
    """One row per motion: MQLs of the period and the share first touched within the SLA."""
    return handoff_summary(handoff_detail(ws, filters, sla_hours, mql))


def handoff_response_curve(
    ws: Workspace, filters: Filters, max_hours: int = MAX_HOURS, mql: MqlDefinition | None = None
) -> pd.DataFrame:
    """One row per motion and hour after MQL (up to ``max_hours``): MQLs first touched in that
    hour, and the cumulative share of all the motion's MQLs touched by its end."""
    detail = handoff_detail(ws, filters, DEFAULT_SLA_HOURS, mql, max_hours)
    return response_curve(detail, max_hours)


# -- lead-score threshold ----------------------------------------------------------------------
def lead_score_bounds(ws: Workspace, filters: Filters) -> dict[str, float | int | None]:
    name = "lead_score_bounds_kept" if kept_days(ws, filters) else "lead_score_bounds"
    row = ws.query(name, **filters.params()).iloc[0]
    return {
        "min_score": None if pd.isna(row["min_score"]) else float(row["min_score"]),
        "max_score": None if pd.isna(row["max_score"]) else float(row["max_score"]),
        "count_scored": int(row["count_scored"]),
        "count_leads": int(row["count_leads"]),
    }


def lead_score_bins(ws: Workspace, filters: Filters, bin_width: float) -> pd.DataFrame:
    """Scored leads created in the period by motion, month, score bin and won flag."""
    if not bin_width > 0:
        raise ValueError("bin_width must be positive")
    # the whole months from the kept counts (migration 036) as the other kept days are read;
    # with a product filter the query reads the leads (a lead's won deal of some products is
    # not kept)
    return ws.query(
        "lead_score_bins",
        **filters.params(),
        bin_width=float(bin_width),
        kept=kept_days(ws, filters),
    )


# -- velocity, leakage, stuck deals ------------------------------------------------------------
def stage_velocity(
    ws: Workspace, filters: Filters, mql: MqlDefinition | None = None
) -> pd.DataFrame:
    """One row per motion and step: steps completed in the period, median and p80 days; the
    MQL steps by the MQL definition (the saved one unless ``mql`` is given)."""
    definition = _definition(ws, mql)
    # the kept steps (migration 037) are those of the recorded rule, without a product: a
    # score rule or a product filter reads the records
    kept = definition.rule == "recorded" and not filters.products and kept_days(ws, filters)
    return ws.query("stage_velocity", **filters.params(), **definition.params(), kept=kept)


def lost_reasons(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per motion and lost reason ('' = none recorded): deals lost in the period."""
    return ws.query("lost_reasons", **filters.params())


def open_deals_by_stage(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per motion and stage of the open deals: count, amount, median and p80 age."""
    return ws.query("open_deals_by_stage", **filters.params())


def stuck_deals(ws: Workspace, filters: Filters, multiple: float) -> pd.DataFrame:
    """Open deals older than ``multiple`` × the median age of the open deals in their stage."""
    if not multiple > 0:
        raise ValueError("multiple must be positive")
    return ws.query("stuck_deals", **filters.params(), multiple=float(multiple))


# -- lead cohorts ------------------------------------------------------------------------------
def lead_cohort_wins(ws: Workspace, filters: Filters, max_months: int = 12) -> pd.DataFrame:
    """One row per monthly lead cohort, motion and months since creation (0..max_months)."""
    if max_months < 0:
        raise ValueError("max_months must be 0 or more")
    return ws.query(
        "lead_cohort_wins",
        **filters.params(),
        max_months=int(max_months),
        kept=kept_days(ws, filters),
    )


# -- data trust --------------------------------------------------------------------------------
def lead_trust(ws: Workspace, filters: Filters, split: str = "none") -> pd.DataFrame:
    """The lead checks behind the data-trust badges, per motion and split value. Leads have no
    product, so the product filter is dropped: a cached result serves every product choice."""
    return ws.query(
        "funnel_lead_trust_kept" if kept_days(ws, filters, split) else "funnel_lead_trust",
        **replace(filters, products=()).params(),
        split=_split(split),
        catch_all_sources=list(CATCH_ALL_SOURCES),
    )


def deal_trust(ws: Workspace, filters: Filters, split: str = "none") -> pd.DataFrame:
    """The deal checks behind the data-trust badges, per motion and split value."""
    return ws.query("funnel_deal_trust", **filters.params(), split=_split(split))


def data_trust(ws: Workspace, filters: Filters, split: str = "none") -> pd.DataFrame:
    """The counts behind the data-trust badges, per motion and split value."""
    return combine_trust(lead_trust(ws, filters, split), deal_trust(ws, filters, split))
