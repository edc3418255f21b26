"""The four public datasets (tests/data/shared, each with SOURCE.txt) and how a new user imports
them: one import per file, no kind, no preset, no mapping given (as `flywheel import FILE`).
Shared by the AppTest walk (test_public_linked.py) and the browser test (test_browser_public.py)."""

from __future__ import annotations

from pathlib import Path

from queries import workspaces
from queries.ingest import engine

DATA = Path(__file__).resolve().parent / "data" / "shared"
MAVEN = DATA / "maven_crm"
OLIST = DATA / "olist_marketing_funnel"
SETS = {
    "maven": [
        MAVEN / "sales_pipeline.csv",
        MAVEN / "accounts.csv",
        MAVEN / "products.csv",
        MAVEN / "sales_teams.csv",
    ],
    "olist": [
        OLIST / "olist_marketing_qualified_leads_dataset.csv",
        OLIST / "olist_closed_deals_dataset.csv",
    ],
    "xeducation": [DATA / "xeducation_leads" / "Leads.csv"],
    "ads": sorted((DATA / "improvado_mcdm_ads").glob("src_*.csv")),
}


def build(folder: Path, name: str) -> Path:
    path = folder / f"{name}.duckdb"
    ws = workspaces.create_workspace(path)
    try:
        for file in SETS[name]:
            with engine.open_import(ws, file) as plan:  # no choices: as `flywheel import FILE`
                result = plan.commit("append")
            assert result.rows_loaded > 0, file.name
    finally:
        ws.close()
    return path
