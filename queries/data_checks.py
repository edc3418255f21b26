"""The data checks shared by the Funnel health badges and the Market and 4P takeaways: the
balance of the period's closed deals (won against lost, how many, how many segments) and the
deals whose amount is an outlier. The rules that read them are in ``planning/data_checks.py``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from planning.data_checks import OUTLIER_MULTIPLE
from queries import settings as settings_q
from queries.filters import Filters
from queries.workspace import Changed, Workspace, kept_is_fresh, refresh_lead_facts


def kept_days(ws: Workspace, filters: Filters, split: str = "none") -> bool:
    """Can a query read the rows the refresh keeps per day or month (migrations 026-037: the
    data checks, the lead cohorts, scores and step durations, the promotion table)? Not with
    an owner filter or split (the kept rows have no owner), nor after a write that skipped the
    refresh (they were counted from other records)."""
    if filters.owners or split == "owner":
        return False
    return kept_is_fresh(ws)


def deal_balance(ws: Workspace, filters: Filters) -> dict[str, int]:
    """The deals closed in the period: count_closed, count_won, count_lost, count_segments."""
    name = "deal_balance_kept" if kept_days(ws, filters) else "deal_balance"
    row = ws.query(name, **filters.params()).iloc[0]
    return {k: int(row[k]) for k in ("count_closed", "count_won", "count_lost", "count_segments")}


def deal_outliers(
    ws: Workspace, filters: Filters, multiple: float = OUTLIER_MULTIPLE
) -> pd.DataFrame:
    """Won deals of the period and open deals whose amount is above ``multiple`` × the median
    amount of their kind: deal_id, kind, amount, median_amount, count_priced, times_median."""
    if not multiple > 0:
        raise ValueError("multiple must be positive")
    return ws.query("deal_outliers", **filters.params(), multiple=float(multiple))


# -- what the workspace leaves out of its figures (migration 016) ------------------------------
EXCLUDE_OUTLIERS = "exclude_outlier_deals"  # '1': outliers are left out of `deals`
ZERO_IS_MISSING = "zero_amount_is_missing"  # '1': an amount of 0 is shown as not entered


def is_on(settings: Mapping[str, str], key: str) -> bool:
    """Is the 0/1 workspace setting ``key`` on (absent: off)?"""
    return settings.get(key) == "1"


def workspace_outliers(ws: Workspace, multiple: float = OUTLIER_MULTIPLE) -> pd.DataFrame:
    """The deals of the whole workspace (won; open now) above ``multiple`` × the median amount
    of their kind, with is_excluded: what the setting ``exclude_outlier_deals`` leaves out."""
    if not multiple > 0:
        raise ValueError("multiple must be positive")
    return ws.query("workspace_outliers", multiple=float(multiple), live=not kept_is_fresh(ws))


def excluded_deals(ws: Workspace) -> pd.DataFrame:
    """Every deal left out of the figures now: deal_id, reason, amount, excluded_at,
    excluded_by, is_present."""
    return ws.query("excluded_deals")


def set_exclude_outliers(ws: Workspace, on: bool) -> int:
    """Turn the setting on (leave out the workspace's outliers now, and re-evaluate them at
    every import and undo) or off (bring them back), with the lead facts that follow, in one
    transaction. Returns how many deals are left out as outliers afterwards."""
    with ws.transaction() as cur:
        # logged first: the outliers left out now record who turned the setting on
        settings_q.write(cur, EXCLUDE_OUTLIERS, "1" if on else "0")
        refresh_lead_facts(cur, Changed.NOTED)  # stores or drops the outliers, then the facts
        row = cur.execute("select count(*) from deal_exclusions where reason = 'outlier'")
        return int(row.fetchone()[0])


def set_zero_amount_missing(ws: Workspace, on: bool) -> None:
    """Turn on (an amount of 0 is not entered: null in `deals`, out of every average) or off.
    The lead facts do not read amounts: nothing else to refresh."""
    ws.set_setting(ZERO_IS_MISSING, "1" if on else "0")


def zero_amount_balance(ws: Workspace, filters: Filters) -> dict[str, int]:
    """The period's won deals: count_won, count_won_zero (amount 0), count_won_blank (none)."""
    name = "zero_amount_balance_kept" if kept_days(ws, filters) else "zero_amount_balance"
    row = ws.query(name, **filters.params()).iloc[0]
    return {k: int(row[k]) for k in ("count_won", "count_won_zero", "count_won_blank")}


def workspace_zero_amounts(ws: Workspace) -> dict[str, float | int | None]:
    """Every won deal of the workspace: the counts (won, zero, blank, priced) and the average
    won amount with the zeros and without them (None when no deal has an amount)."""
    row = ws.query("workspace_zero_amounts").iloc[0]
    out: dict[str, float | int | None] = {
        k: int(row[k])
        for k in ("count_won", "count_won_zero", "count_won_blank", "count_won_priced")
    }
    for k in ("avg_with_zeros", "avg_priced"):
        out[k] = None if pd.isna(row[k]) else float(row[k])
    return out
