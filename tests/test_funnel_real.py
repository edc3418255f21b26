"""The funnel on real data: the X Education leads (tests/data/shared/xeducation_leads, 9,240
leads of an online-course company, see SOURCE.txt), imported through the import engine, give
the same conversion by lead source as an independent pandas computation on the raw file.

The file has no dates and no deals, only a 0/1 ``Converted`` column. To load it as a CRM
export would be, each lead gets one creation date, and each converted lead a won deal that
names it (deals.lead_id): the conversion the funnel reports per source must then equal the
share of ``Converted == 1`` per ``Lead Source`` in the raw file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from planning import data_checks, handoff, lifecycle
from queries import funnel
from queries.filters import Filters
from queries.ingest.engine import Choices, open_import
from queries.workspace import Workspace

DATA = Path(__file__).resolve().parent / "data" / "shared" / "xeducation_leads" / "Leads.csv"
DAY = "2024-03-01"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    if not DATA.exists():
        pytest.skip("the X Education leads are not in tests/data/shared")
    return pd.read_csv(DATA)


@pytest.fixture(scope="module")
def ws(raw: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("xeducation")
    leads = pd.DataFrame(
        {"Lead ID": raw["Prospect ID"], "Created": DAY, "Lead Source": raw["Lead Source"]}
    )
    leads.to_csv(folder / "leads.csv", index=False)
    won = raw[raw["Converted"] == 1]
    deals = pd.DataFrame(
        {
            "Deal ID": "D-" + won["Prospect ID"],
            "Lead ID": won["Prospect ID"],
            "Created": DAY,
            "Close Date": DAY,
            "Status": "won",
            "Amount": 1,
        }
    )
    deals.to_csv(folder / "deals.csv", index=False)
    workspace = Workspace(folder / "xeducation.duckdb")
    lead_map = {"lead_id": "Lead ID", "created_at": "Created", "source": "Lead Source"}
    deal_map = {
        "deal_id": "Deal ID",
        "lead_id": "Lead ID",
        "created_at": "Created",
        "close_date": "Close Date",
        "status": "Status",
        "amount": "Amount",
    }
    for name, kind, mapping in (
        ("leads.csv", "leads", lead_map),
        ("deals.csv", "deals", deal_map),
    ):
        with open_import(
            workspace, folder / name, choices=Choices(kind=kind, mapping=mapping)
        ) as plan:
            result = plan.commit("append")
        assert result.rows_rejected == 0, name
    yield workspace
    workspace.close()


def test_conversion_by_lead_source_equals_pandas_on_the_raw_file(ws, raw):
    # pandas, from the raw file alone: the share converted per source (no source as its own)
    expected = (
        raw.assign(source=raw["Lead Source"].fillna("(none)"))
        .groupby("source")["Converted"]
        .agg(["size", "sum"])
    )
    expected = expected.assign(conversion=expected["sum"] / expected["size"])
    # the funnel: leads created that day, split by source, lead -> won
    day = date.fromisoformat(DAY)
    counts = funnel.cohort_stage_counts(ws, Filters(day, day), split="source")
    by = lifecycle.summarise_stages(counts, by=("split_value",))
    by["split_value"] = by["split_value"].fillna("(none)")
    leads = by[by["stage"] == "lead"].set_index("split_value")["count_reached"]
    won = by[by["stage"] == "won"].set_index("split_value")["count_reached"]
    assert leads.sum() == len(raw) == 9240
    assert leads.sort_index().to_dict() == expected["size"].sort_index().to_dict()
    assert won.sort_index().to_dict() == expected["sum"].sort_index().to_dict()
    conversion = (won / leads).sort_index()
    assert conversion.to_numpy() == pytest.approx(expected["conversion"].sort_index().to_numpy())
    # the figures a reader can check against the case study: 38.5% converted overall,
    # 'Reference' leads convert best of the large sources
    assert won.sum() / leads.sum() == pytest.approx(raw["Converted"].mean())
    assert conversion["Reference"] > 0.9


def test_the_untracked_sources_show_in_the_data_checks(ws):
    day = date.fromisoformat(DAY)
    checks = funnel.data_trust(ws, Filters(day, day))
    assert checks["count_no_source"].sum() == 36  # blank 'Lead Source' in the raw file
    # no lead has an MQL, SQL or first-touch date: the stage badges say so
    warnings = data_checks.trust_warnings(checks, mql=handoff.MqlDefinition())
    never = sorted(w.detail for w in warnings if w.code == "never_timestamped")
    assert never == ["first_touch_at", "mql_at", "sql_at"]
