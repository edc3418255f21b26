"""Can the funnel's figures be trusted: the data checks behind the badges at the top of the
Funnel health page, and the warnings they raise.

Pure: the counts come in as the DataFrames that ``queries.funnel.lead_trust`` and
``deal_trust`` read; no SQL, no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planning.handoff import MqlDefinition

MIN_CLOSED_DEALS = 30  # below this a win rate moves by 3+ points with one deal
TRUST_LEAD_COUNTS = (
    "count_leads",
    "count_no_source",
    "count_catch_all",
    "count_mql_at",
    "count_sql_at",
    "count_first_touch",
    "count_scored",
)
TRUST_DEAL_COUNTS = ("count_deals", "count_no_created", "count_closed", "count_closed_undated")


def combine_trust(leads: pd.DataFrame, deals: pd.DataFrame) -> pd.DataFrame:
    """One row per motion and split value with the lead and the deal checks (0 where a side
    has no row)."""
    keys = ["motion", "split_value"]
    out = leads.merge(deals, on=keys, how="outer")
    counts = [*TRUST_LEAD_COUNTS, *TRUST_DEAL_COUNTS]
    out[counts] = out[counts].fillna(0).astype("int64")
    return out[keys + counts].sort_values(keys, na_position="last").reset_index(drop=True)


@dataclass(frozen=True)
class TrustWarning:
    """One badge: ``code`` names the check (the page shows t(f"funnel.trust.{code}"))."""

    code: str
    share: float = 0.0
    count: int = 0
    detail: str = ""


def trust_warnings(
    checks: pd.DataFrame, *, mql: MqlDefinition, thin_share: float = 0.05
) -> list[TrustWarning]:
    """The warnings the checks raise: leads without a source or in a catch-all source (above
    ``thin_share``), deals without a created date, lifecycle stages never timestamped, and
    motions or split values with fewer than ``MIN_CLOSED_DEALS`` closed deals."""
    out: list[TrustWarning] = []
    if checks.empty:
        return out
    total = checks.sum(numeric_only=True)
    leads = int(total["count_leads"])
    if leads:
        for code in ("no_source", "catch_all"):
            n = int(total[f"count_{code}"])
            if n / leads > thin_share:
                out.append(TrustWarning(code, n / leads, n))
        stages = {"mql_at": "count_mql_at", "sql_at": "count_sql_at"}
        stages["first_touch_at"] = "count_first_touch"
        if mql.uses_score:
            stages["lead_score"] = "count_scored"
        for field, column in stages.items():
            if int(total[column]) == 0:
                out.append(TrustWarning("never_timestamped", detail=field))
    deals = int(total["count_deals"])
    if deals and int(total["count_no_created"]):
        n = int(total["count_no_created"])
        out.append(TrustWarning("no_created", n / deals, n))
    if int(total["count_closed_undated"]):
        out.append(TrustWarning("closed_undated", count=int(total["count_closed_undated"])))
    by_motion = checks[checks["motion"].isin(["pull", "push"])].groupby("motion")["count_closed"]
    for motion, n in by_motion.sum().items():
        if n < MIN_CLOSED_DEALS:
            out.append(TrustWarning("thin_motion", count=int(n), detail=str(motion)))
    if checks["split_value"].notna().any():
        split = checks.groupby("split_value")["count_closed"].sum()
        thin = split[split < MIN_CLOSED_DEALS]
        if len(thin):
            out.append(
                TrustWarning(
                    "thin_split",
                    count=len(thin),
                    detail=", ".join(str(v) for v in thin.index[:5]),
                )
            )
    return out
