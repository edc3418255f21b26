"""Every file of the CRM corpus (tests/data/crm) and the bad-input corpus (tests/data/bad)
through the import engine, against the figures written by hand in their expected.json.

CRM exports must load exactly (records, won/lost/open, won amount, cycle times, rejects);
bad files are refused whole with their code and leave the workspace unchanged.
"""

from __future__ import annotations

import json
import statistics
from decimal import Decimal
from pathlib import Path

import pytest

from queries import workspaces
from queries.ingest import engine
from queries.ingest.engine import Choices
from queries.ingest.errors import ImportRefused

DATA = Path(__file__).resolve().parents[1] / "data"
CRM = json.loads((DATA / "crm" / "expected.json").read_text(encoding="utf-8"))
BAD = json.loads((DATA / "bad" / "expected.json").read_text(encoding="utf-8"))
CRM_FILES = sorted(k for k in CRM if not k.startswith("_"))
BAD_FILES = sorted(k for k in BAD if not k.startswith("_"))
TABLES = {"leads": "raw_leads", "deals": "raw_deals", "campaigns": "campaigns", "spend": "spend"}


@pytest.fixture
def ws(tmp_path: Path):
    w = workspaces.create_workspace(tmp_path / "own.duckdb")
    yield w
    w.close()


def fetch(ws, sql: str) -> list[tuple]:
    cur = ws.cursor()
    try:
        return cur.execute(sql).fetchall()
    finally:
        cur.close()


def test_the_corpora_are_not_empty():
    assert len(CRM_FILES) >= 12
    assert len(BAD_FILES) >= 28


@pytest.mark.parametrize("name", CRM_FILES)
def test_crm_export_loads_exactly(ws, name):
    exp = CRM[name]
    with engine.open_import(ws, DATA / "crm" / name) as plan:
        assert (plan.kind, plan.preset) == (exp["kind"], exp["preset"])
        if "encoding" in exp and plan.src.format == "csv":
            assert plan.src.encoding == exp["encoding"]
        for field, header in exp.get("mapping", {}).items():
            assert plan.mapping.get(field) == header, field
        report = plan.validate("append")
        assert report.rows_read == exp["rows"]
        assert report.footer_lines == exp.get("footer_lines", 0)
        got = sorted(
            zip(
                report.rejects["row_number"],
                report.rejects["column"],
                report.rejects["code"],
                strict=True,
            )
        )
        want = sorted((r["row"], r["column"], r["code"]) for r in exp.get("rejects", []))
        assert got == want
        result = plan.commit("append")
    assert result.rows_loaded == exp["rows_loaded"]
    table = TABLES[exp["kind"]]
    assert fetch(ws, f"select count(*) from {table}")[0][0] == exp["rows_loaded"]
    if exp["kind"] == "deals":
        counts = dict(fetch(ws, "select outcome, count(*) from raw_deals group by 1"))
        for outcome in ("won", "lost", "open"):
            assert counts.get(outcome, 0) == exp[outcome], outcome
        won = fetch(ws, "select sum(amount) from raw_deals where outcome = 'won'")[0][0]
        assert (won or Decimal("0.00")) == Decimal(exp["won_amount"])
        if exp.get("median_cycle_days_won") is not None:
            days = [
                r[0]
                for r in fetch(
                    ws,
                    "select epoch(closed_at - created_at) / 86400 from raw_deals "
                    "where outcome = 'won'",
                )
            ]
            assert statistics.median(days) == pytest.approx(exp["median_cycle_days_won"])
        # Open deals never carry a closed_at, whatever close date the CRM exported.
        assert (
            fetch(
                ws,
                "select count(*) from raw_deals where outcome = 'open' and closed_at is not null",
            )[0][0]
            == 0
        )
    if exp["kind"] == "leads":
        assert fetch(ws, "select count(mql_at), count(sql_at) from raw_leads")[0] == (
            exp["mqls"],
            exp["sqls"],
        )
        # A lead without a created date is kept, outside every period view.
        assert fetch(ws, "select count(*) from raw_leads where created_at is null")[0][0] == (
            exp.get("no_created_at", 0)
        )
    for cell in exp.get("verbatim", []):
        column = {"name": "name", "segment": "segment"}.get(cell["field"], cell["field"])
        values = [r[0] for r in fetch(ws, f"select {column} from {table}")]
        assert cell["value"] in values


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_input_is_refused_whole_or_rejected_row_by_row(ws, name):
    exp = BAD[name]
    path = DATA / "bad" / name
    choices = Choices(kind=exp.get("kind"))
    limit = exp.get("limit_bytes")
    if exp["code"]:
        with (
            pytest.raises(ImportRefused) as refused,
            engine.open_import(ws, path, choices=choices, limit_bytes=limit) as plan,
        ):
            plan.commit("append")
        assert refused.value.code == exp["code"]
        message = refused.value.message("en")
        assert name in message
        assert "\n" not in message and "Traceback" not in message
        assert refused.value.message("zh") != message  # said in Chinese too
        for table in (*TABLES.values(), "imports", "import_rejects"):
            assert fetch(ws, f"select count(*) from {table}")[0][0] == 0, table
        return
    with engine.open_import(ws, path, choices=choices, limit_bytes=limit) as plan:
        result = plan.commit("append")
    assert result.rows_loaded == exp["rows_loaded"]
    got = sorted(
        (r, c or "", code)
        for r, c, code in fetch(ws, "select row_number, column_name, code from import_rejects")
    )
    assert got == sorted((r["row"], r["column"], r["code"]) for r in exp.get("rejects", []))
