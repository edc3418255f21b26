"""Exports made in each CRM's API shape (tests/data/api: Salesforce Data Loader, HubSpot
properties, Pipedrive and Zoho API fields), one `flywheel import` per CRM with every file and no
flags: each file lands in its kind, and every deal that has a lead or a source of its own ends
with a source — its own or its lead's. Where a source is one Flywheel will not guess (HubSpot's
OFFLINE), the command names it, and the deal is counted as unmapped, never as pull or push."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flywheel_cli import main

API = Path(__file__).resolve().parent / "data" / "api"
KINDS = {
    "salesforce": {
        "account": "accounts",
        "campaign": "campaigns",
        "campaign_member": "touches",
        "contact": "leads",
        "lead": "leads",
        "opportunity": "deals",
        "product2": "products",
        "user": "reps",
    },
    "hubspot": {
        "companies": "accounts",
        "contacts": "leads",
        "deals": "deals",
        "form_submissions": "touches",
        "owners": "reps",
    },
    "pipedrive": {
        "deals": "deals",
        "organizations": "accounts",
        "persons": "leads",
        "products": "products",
        "users": "reps",
    },
    "zoho": {
        "accounts": "accounts",
        "campaigns": "campaigns",
        "deals": "deals",
        "leads": "leads",
        "products": "products",
        "users": "reps",
    },
}


@pytest.mark.parametrize("crm", list(KINDS))
def test_a_crms_api_exports_import_with_no_flags_and_link(crm, tmp_path, capsys):
    db = tmp_path / f"{crm}.duckdb"
    files = [str(API / f"{crm}_{name}.csv") for name in KINDS[crm]]
    assert main(["import", *files, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    con = duckdb.connect(str(db), read_only=True)
    try:
        recorded = dict(
            con.execute("select file_name, kind from imports order by imported_at").fetchall()
        )
        assert recorded == {f"{crm}_{name}.csv": kind for name, kind in KINDS[crm].items()}
        deals = con.execute(
            "select d.deal_id, d.source, d.source_origin, d.lead_key is not null, m.motion "
            "from raw_deals as d left join source_motion as m on d.source = m.source"
        ).fetchall()
        unmapped = {r[0] for r in con.execute("select source from source_motion").fetchall()}
    finally:
        con.close()
    assert deals
    for deal_id, source, origin, has_lead, motion in deals:
        if origin is None and source is None:
            # neither its own source nor its lead's: named by the link report
            assert "no lead and no source" in out or "lead that has no source" in out, deal_id
            continue
        assert source is not None, deal_id
        assert origin in (None, "lead"), deal_id
        assert has_lead or origin is None, deal_id
        if motion is None:  # a source Flywheel does not guess, named after the import
            assert source not in unmapped
            assert f"without a pull/push motion (set them on the Data page): {source}" in out
    assert "links:" in out
