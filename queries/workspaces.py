"""The workspaces in a folder: list them, start a new one, clear the sample company out of one.

One DuckDB file is one workspace (DESIGN.md). The app switches between the files in the folder
of the workspace it opened; a new workspace starts empty, with the settings a team edits on
the Data page.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

from queries import settings as settings_q
from queries.workspace import Workspace

SUFFIX = ".duckdb"
# Tables of the sample company (and any workspace's records) that "clear" empties; settings,
# saved import mappings and schema_version stay.
DATA_TABLES = (
    "raw_leads",
    "raw_deals",
    "campaigns",
    "spend",
    "sales_reps",
    "market_segments",
    "competitors",
    "source_motion",
    "imports",
    "import_rejects",
    "import_sources",
    "replaced_leads",
    "replaced_deals",
    "replaced_campaigns",
    "replaced_spend",
    "import_mappings",
    "touches",
    # the attribution paths kept from the touches, leads and deals (migration 022)
    "touch_facts",
    # the sidebar's answers kept from the leads and deals (migration 024)
    "kept_filter_values",
    "kept_lead_readiness",
    "kept_deal_source_readiness",
    # the headline's period facts kept from the leads and deals (migration 025)
    "kept_lead_days",
    "kept_lead_months",
    "kept_lead_totals",
    "kept_activity_range",
    "kept_deal_days",
    "kept_won_cycles",
    "kept_deal_months",
    "kept_first_wins",
    "kept_customer_firsts",
    "kept_deal_totals",
    "kept_irregular_deals",
    # the touch facts summed per place in a path (migration 028)
    "kept_touch_places",
    # the Funnel's leads and closed deals per day, and what they were counted from (026)
    "kept_funnel_lead_days",
    "kept_closed_deal_days",
    "kept_funnel_day_counts",
    # what the Data page reports of the whole workspace (032)
    "kept_lead_sources",
    "kept_deal_link_groups",
    "kept_deal_owners",
    "kept_record_months",
    "kept_deal_medians",
    # the won deals of each day's leads, for the lead cohorts (033)
    "kept_cohort_amounts",
    "kept_cohort_firsts",
    # the deals created and won per day and channel, for the 4P promotion table (034)
    "kept_channel_deal_days",
    # the campaign channels' median lags, for the calendar's forecast (035)
    "kept_channel_lags",
    "kept_channel_lags_stamp",
    # the scored leads per month and score, for the Funnel's lead-score tab (036)
    "kept_lead_score_months",
    # the funnel's completed steps and their durations, for the velocity tab (037)
    "kept_step_durations",
    "touch_groups",
    "touch_fact_stamps",
    "campaign_changes",
    "campaign_change_rows",
    "target_decisions",
    "plan_versions",
    "plan_items",
    "positioning_values",
    "budget_plan",
    "budget_totals",
    "scenarios",
)
# Every new workspace, the sample included, starts from these settings.
DEFAULT_SETTINGS = {
    "currency": "USD",
    "locale": "en_US",
    "fiscal_year_start_month": "1",
    "pull_share_of_sales": "0",
}
MAX_NAME_LENGTH = 60
_NAME = re.compile(rf"^[\w][\w .-]{{0,{MAX_NAME_LENGTH - 1}}}$", re.UNICODE)


# The app lists the folder on every rerun (the sidebar's switcher): one stat of the folder
# instead of a glob and a stat per file, while the folder is unchanged (its modification time:
# a file added, removed or renamed changes it) and for at most LIST_TTL_S (a file system whose
# times are coarse could hide a change made within the same tick).
LIST_TTL_S = 30.0
_LISTED: dict[Path, tuple[int, float, list[Path]]] = {}
_LISTED_LOCK = threading.Lock()


def list_workspaces(folder: Path) -> list[Path]:
    """The workspace files in ``folder``, by name."""
    try:
        mtime = folder.stat().st_mtime_ns
    except OSError:
        return []
    now = time.monotonic()
    with _LISTED_LOCK:
        seen = _LISTED.get(folder)
    if seen is not None and seen[0] == mtime and now - seen[1] < LIST_TTL_S:
        return list(seen[2])
    if not folder.is_dir():
        return []
    listed = sorted(p for p in folder.glob(f"*{SUFFIX}") if p.is_file())
    with _LISTED_LOCK:
        _LISTED[folder] = (mtime, now, listed)
    return list(listed)


def valid_name(name: str) -> bool:
    """Letters (any script), digits, spaces, '.', '-', '_'; no path separators."""
    return bool(_NAME.match(name.strip())) and ".." not in name


def path_for(folder: Path, name: str) -> Path:
    stem = name.strip().removesuffix(SUFFIX)
    return folder / f"{stem}{SUFFIX}"


def create_workspace(
    path: Path, *, company_name: str | None = None, currency: str = "USD", locale: str = "en_US"
) -> Workspace:
    """A new, empty workspace file (refuses to overwrite one)."""
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    ws = Workspace(path)
    begin_workspace(ws, company_name=company_name or path.stem, currency=currency, locale=locale)
    return ws


def begin_workspace(ws: Workspace, *, company_name: str, currency: str, locale: str) -> None:
    """The settings a new workspace of the team's own begins with, in one transaction."""
    with ws.transaction() as cur:
        settings = {
            **DEFAULT_SETTINGS,
            "company_name": company_name,
            "currency": currency,
            "locale": locale,
            "is_sample": "false",
        }
        # the workspace begins with these: nobody changed them, so nothing is logged
        for key, value in settings.items():
            settings_q.write(cur, key, value, record_change=False)


def clear_sample(ws: Workspace) -> None:
    """Empty every data table and mark the workspace as the team's own, in one transaction."""
    with ws.transaction() as cur:
        for table in DATA_TABLES:
            cur.execute(f"delete from {table}")  # fixed names from DATA_TABLES
        # the sample's markers, not settings a team edits: not logged (the log keeps the
        # changes to the settings, which clearing keeps)
        settings_q.write(cur, "is_sample", "false", record_change=False)
        settings_q.write(cur, "sample_scale", None, record_change=False)
