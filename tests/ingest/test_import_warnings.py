"""The import record keeps what the import warned of (migration 021): a file in another currency
than the workspace's is said again by the Data page's history, in the same sentence as the
wizard and `flywheel import`; a file in the workspace's currency keeps no warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from flywheel_cli import main
from queries import data_admin, workspaces
from queries.ingest import currency
from queries.workspace import Workspace

# Three deals in US dollars: "$" on rows 1 and 3, row 2 names no currency.
USD_DEALS = (
    "Opportunity ID,Opportunity Name,Stage,Amount,Created Date,Close Date\n"
    'A1,Alpha,Closed Won,"$12,500",2024-01-05,2024-02-04\n'
    "A2,Beta,Closed Lost,300,2024-01-06,2024-01-26\n"
    "A3,Gamma,Closed Won,$800,2024-01-07,2024-03-01\n"
)


@pytest.fixture
def usd_file(tmp_path: Path) -> Path:
    path = tmp_path / "usd_deals.csv"
    path.write_text(USD_DEALS, encoding="utf-8")
    return path


def _history(db: Path):
    ws = Workspace(db)
    try:
        return data_admin.import_history(ws)
    finally:
        ws.close()


def test_a_dollar_file_in_a_yuan_workspace_keeps_its_warning(tmp_path, usd_file, capsys):
    db = tmp_path / "cny.duckdb"
    workspaces.create_workspace(db, currency="CNY", locale="zh_CN").close()
    assert main(["import", str(usd_file), "--kind", "deals", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    (row,) = _history(db).itertuples()
    assert json.loads(row.warnings) == [
        {
            "kind": "currency_mismatch",
            "file": "usd_deals.csv",
            "column": "Amount",
            "written": "$",
            "currency": "USD",
            "workspace_currency": "CNY",
            "rows": 2,
            "first_rows": [1, 3],
        }
    ]
    (kept,) = currency.from_warnings(row.warnings)
    # the history says the sentence the command line printed, word for word
    assert f"  {kept.message('en')}\n" in out
    assert "rows 1, 3 (2 in all)" in kept.message("en")
    assert "未做任何换算" in kept.message("zh") and "Amount" in kept.message("zh")


def test_a_file_in_the_workspace_currency_keeps_no_warning(tmp_path, usd_file, capsys):
    db = tmp_path / "usd.duckdb"
    workspaces.create_workspace(db, currency="USD").close()
    assert main(["import", str(usd_file), "--kind", "deals", "--db", str(db)]) == 0
    assert "Nothing was converted" not in capsys.readouterr().out
    (row,) = _history(db).itertuples()
    assert row.warnings is None
    assert currency.from_warnings(row.warnings) == []


def test_kept_warnings_of_an_unknown_kind_are_skipped_not_misread():
    kept = json.dumps([{"kind": "something_later", "x": 1}])
    assert currency.from_warnings(kept) == []
    assert currency.from_warnings(None) == currency.from_warnings(float("nan")) == []


def _history_section() -> None:
    """The Data page's import history alone (components/ui/data_sections.imports)."""
    from components.ui import data_sections, state

    data_sections.imports(state.workspace(), state.formatter())


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_the_data_pages_history_says_the_kept_warning(tmp_path, usd_file, monkeypatch):
    db = tmp_path / "cny.duckdb"
    workspaces.create_workspace(db, currency="CNY", locale="zh_CN").close()
    assert main(["import", str(usd_file), "--kind", "deals", "--db", str(db)]) == 0
    (kept,) = currency.from_warnings(_history(db).warnings.iloc[0])
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    at = AppTest.from_function(_history_section, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    (line,) = [e for e in at.expander if e.label.startswith("usd_deals.csv")]
    assert [w.value for w in line.warning] == [kept.message("en")]
    at.session_state["lang"] = "zh"
    at.run()
    (line,) = [e for e in at.expander if e.label.startswith("usd_deals.csv")]
    assert [w.value for w in line.warning] == [kept.message("zh")]
