"""The workspaces in a folder: list them, start a new one, clear the sample company out of one.

One DuckDB file is one workspace (DESIGN.md). The app switches between the files in the folder
of the workspace it opened; a new workspace starts empty, with the settings a team edits on
the Data page.
"""

from __future__ import annotations

import re
from pathlib import Path

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


def list_workspaces(folder: Path) -> list[Path]:
    """The workspace files in ``folder``, by name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"*{SUFFIX}") if p.is_file())


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
    with ws.transaction() as cur:
        settings = {
            **DEFAULT_SETTINGS,
            "company_name": company_name or path.stem,
            "currency": currency,
            "locale": locale,
            "is_sample": "false",
        }
        for key, value in settings.items():
            cur.execute("insert or replace into settings values ($k, $v)", {"k": key, "v": value})
    return ws


def clear_sample(ws: Workspace) -> None:
    """Empty every data table and mark the workspace as the team's own, in one transaction."""
    with ws.transaction() as cur:
        for table in DATA_TABLES:
            cur.execute(f"delete from {table}")  # fixed names from DATA_TABLES
        cur.execute("insert or replace into settings values ('is_sample', 'false')")
        cur.execute("delete from settings where key = 'sample_scale'")
