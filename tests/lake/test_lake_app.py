"""The app and the command line on a lake: the Data page (its size from DuckLake's own file
metadata), and `flywheel workspace copy` from a file to a lake and back (issue 19, item 4).

The sample lake and file are the session's (tests/lake/conftest.py), read only here."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import flywheel_cli
from queries import lake, metrics, retention
from queries.filters import ALL_FROM, ALL_TO, Filters
from queries.lake import LakeTarget
from queries.workspace import DestinationNotEmpty, Workspace, copy_workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _files_on_disk(ws: Workspace) -> int:
    """The bytes of the Parquet files the lake's current snapshot names, measured on disk."""
    cur = ws.cursor()
    try:
        tables = [
            t
            for (t,) in cur.execute(
                f"select table_name from ducklake_table_info('{lake.ALIAS}') where file_count > 0"
            ).fetchall()
        ]
        total = 0
        for table in tables:
            listed = cur.execute(
                f"select data_file, delete_file from ducklake_list_files('{lake.ALIAS}', $t)",
                {"t": table},
            ).fetchall()
            total += sum(os.path.getsize(f) for pair in listed for f in pair if f)
        return total
    finally:
        cur.close()


def _env_target(where: LakeTarget) -> str:
    """The target as an operator gives it to a server that did not create the lake."""
    return f"ducklake:{where.catalog} METADATA_SCHEMA={where.metadata_schema}"


def test_the_data_page_draws_on_a_lake_and_says_the_size_of_its_files(seeded_lake, monkeypatch):
    monkeypatch.setenv("FLYWHEEL_DB", _env_target(seeded_lake))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=120)
        at.switch_page("app_pages/data.py").run()  # straight there: the Overview costs seconds
        assert at.title[0].value.startswith("Data")
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        ws = Workspace(seeded_lake, read_only=True)
        try:
            size = retention.workspace_bytes(ws)
            assert size == _files_on_disk(ws) > 10_000  # the sample's leads are in files
        finally:
            ws.close()
        mb = f"{size / 1e6:.1f} MB"
        said = [m.value for m in at.markdown if "Parquet files take" in m.value]
        assert said and mb in said[0], said
        assert any("lives on DuckLake" in c.value for c in at.caption)
        assert [c.value for c in at.code] == [_env_target(seeded_lake)]  # which workspace
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


# -- flywheel workspace copy -----------------------------------------------------------------
def _state(where: Path | LakeTarget) -> tuple[dict[str, int], dict]:
    ws = Workspace(where, read_only=True)
    try:
        cur = ws.cursor()
        try:
            tables = sorted(
                t
                for (t,) in cur.execute(
                    "select table_name from duckdb_tables() "
                    "where database_name = current_database()"
                ).fetchall()
                if t not in lake.LAKE_ONLY_TABLES
            )
            counts = {t: cur.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
        finally:
            cur.close()
        f = Filters(ALL_FROM, ALL_TO)
        return counts, metrics.as_json_dict(metrics.headline(ws, f), f)
    finally:
        ws.close()


def test_a_workspace_copied_to_a_lake_and_back_keeps_its_rows_and_figures(
    seeded_file, new_lake: Callable[[], LakeTarget], tmp_path
):
    there = new_lake()
    back = tmp_path / "back.duckdb"
    to_lake = copy_workspace(seeded_file, there)
    assert flywheel_cli.main(["workspace", "copy", _env_target(there), str(back)]) == 0
    counts, figures = _state(seeded_file)
    assert counts["raw_leads"] > 500 and counts["raw_deals"] > 50
    assert to_lake == {t: n for t, n in counts.items() if t != "schema_version"}
    # what came back is what went: the lake held every row (the copy compared each table's
    # count inside its transaction) and gave it back
    assert _state(back) == (counts, figures)


def test_a_copy_into_a_workspace_with_data_is_refused_unless_forced(seeded_file, tmp_path, capsys):
    dest = tmp_path / "dest.duckdb"
    ws = Workspace(dest)
    try:
        ws.set_setting("company_name", "Keep me")
    finally:
        ws.close()
    with pytest.raises(DestinationNotEmpty, match=r"already holds data \(in setting_changes, "):
        copy_workspace(seeded_file, dest)
    assert flywheel_cli.main(["workspace", "copy", str(seeded_file), str(dest)]) == 1
    assert "add --force" in capsys.readouterr().err
    assert _state(dest)[0]["raw_leads"] == 0  # nothing was copied
    assert flywheel_cli.main(["workspace", "copy", str(seeded_file), str(dest), "--force"]) == 0
    assert "row counts of its" in capsys.readouterr().out
    assert _state(dest) == _state(seeded_file)
    with pytest.raises(ValueError, match="the same workspace"):
        copy_workspace(dest, dest)
