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


# -- one-sided data and outliers: the caveats the Funnel, Market and 4P figures carry ------------
OUTLIER_MULTIPLE = 20.0  # a deal above 20× the median amount of its kind is flagged

# which figures each caveat distorts (metric names as in DESIGN.md / kpi.*)
CAVEAT_METRICS: dict[str, frozenset[str]] = {
    "no_lost": frozenset({"win_rate", "pipeline_velocity"}),
    "thin_closed": frozenset(
        {"win_rate", "pipeline_velocity", "ltv", "avg_deal_size", "sales_cycle_days"}
    ),
    "outlier": frozenset({"won_amount", "avg_deal_size", "ltv", "pipeline_velocity"}),
    # won deals with an amount of 0: "not entered" in some CRMs (Olist), a real 0 in others
    "zero_amount": frozenset({"won_amount", "avg_deal_size", "ltv"}),
}


def deal_caveats(balance: dict[str, int]) -> list[TrustWarning]:
    """The one-sided-data warnings of the period's closed deals (``balance`` as
    ``queries.data_checks.deal_balance`` returns it): 'no_lost' (deals closed, none lost: a
    100% win rate may only mean lost deals were not exported), 'thin_closed' (fewer than
    ``MIN_CLOSED_DEALS`` closed) and 'one_segment' (every closed deal in one segment)."""
    closed = int(balance.get("count_closed", 0))
    out: list[TrustWarning] = []
    if not closed:
        return out
    if int(balance.get("count_lost", 0)) == 0:
        out.append(TrustWarning("no_lost", count=closed))
    if closed < MIN_CLOSED_DEALS:
        out.append(TrustWarning("thin_closed", count=closed))
    if int(balance.get("count_segments", 0)) == 1:
        out.append(TrustWarning("one_segment", count=closed))
    return out


def outlier_warnings(outliers: pd.DataFrame) -> list[TrustWarning]:
    """One warning per kind ('won', 'open') with outlier deals: the largest one's amount in
    ``share`` (its × median), the number of outliers in ``count``, the amount in ``detail``.
    The outliers already left out of every figure (``is_excluded``, the workspace setting)
    make a warning of their own, code 'outlier_<kind>_left_out': that figure no longer holds
    them, which is said instead of a flag."""
    out: list[TrustWarning] = []
    if outliers.empty:
        return out
    if "is_excluded" in outliers:
        left_out = outliers["is_excluded"].fillna(False).astype(bool)
    else:
        left_out = pd.Series(False, index=outliers.index)
    for kind in ("won", "open"):
        for excluded, suffix in ((False, ""), (True, "_left_out")):
            part = outliers[(outliers["kind"] == kind) & (left_out == excluded)]
            if part.empty:
                continue
            top = part.sort_values("times_median", ascending=False).iloc[0]
            out.append(
                TrustWarning(
                    f"outlier_{kind}{suffix}",
                    share=float(top["times_median"]),
                    count=len(part),
                    detail=repr(float(top["amount"])),
                )
            )
    return out


def zero_amount_warning(balance: dict[str, int], *, zero_is_missing: bool) -> TrustWarning | None:
    """Won deals with an amount of 0 (``balance`` as ``queries.data_checks.zero_amount_balance``
    returns it): 'zero_amount' (they count as 0 in revenue and pull the average deal size down)
    or, when the workspace reads 0 as "not entered", 'zero_amount_missing' (the averages count
    only the others). ``count`` the zeros, ``detail`` the won deals; None without a zero."""
    zeros = int(balance.get("count_won_zero", 0))
    if not zeros:
        return None
    code = "zero_amount_missing" if zero_is_missing else "zero_amount"
    return TrustWarning(code, count=zeros, detail=str(int(balance.get("count_won", 0))))


def leaders(values: pd.Series, *, lowest: bool = False, rel_tol: float = 1e-9) -> str:
    """Is there a real best among ``values`` (indexed by name; NaN ignored)? 'none' (no value),
    'one' (a single name: nothing to compare it with), 'level' (every value the same),
    'tied' (the best value shared by more than one name) or 'best' (one name ahead)."""
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        return "none"
    if len(v) == 1:
        return "one"
    span = float(v.max() - v.min())
    scale = max(abs(float(v.max())), abs(float(v.min())), 1.0)
    if span <= rel_tol * scale:
        return "level"
    best = v.min() if lowest else v.max()
    at_best = (v - best).abs() <= rel_tol * scale
    return "tied" if int(at_best.sum()) > 1 else "best"


def best_names(values: pd.Series, *, lowest: bool = False, rel_tol: float = 1e-9) -> list[str]:
    """The names at the best value of ``values`` (NaN ignored), in name order."""
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        return []
    best = v.min() if lowest else v.max()
    scale = max(abs(float(v.max())), abs(float(v.min())), 1.0)
    return sorted(str(i) for i in v.index[(v - best).abs() <= rel_tol * scale])
