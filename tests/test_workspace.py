"""The workspace file: migrations, the motion views, cursors per use, read-only opening.

The tests on `fresh_ws` run on a file and on a lake (the `backend` parametrisation,
tests/conftest.py); `lake_wide` ones on a lake only under `make test-lake`."""

from __future__ import annotations

import threading

import pytest

from queries import migrations, sqlfiles
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace


@pytest.mark.lake_wide  # tests/lake/test_lake.py compares a lake's versions with a file's
def test_new_workspace_is_at_the_latest_schema_version(fresh_ws):
    assert fresh_ws.scalar("select max(version) from schema_version") == (
        migrations.latest_version()
    )
    assert fresh_ws.scalar("select count(*) from schema_version") == len(migrations.available())


def test_a_migration_landing_below_the_highest_applied_one_still_runs(tmp_path, monkeypatch):
    # numbers are reserved ahead: a workspace at the newest version may still lack a lower one
    every = migrations.available()
    # one no later migration builds on (023 alters 022's tables; 021 adds a column of its own)
    held_back = next(m for m in every if m[0] == 21)
    monkeypatch.setattr(migrations, "available", lambda: [m for m in every if m != held_back])
    Workspace(tmp_path / "w.duckdb").close()
    monkeypatch.setattr(migrations, "available", lambda: every)
    with pytest.raises(RuntimeError, match=f"lacks schema version.*{held_back[0]}"):
        Workspace(tmp_path / "w.duckdb", read_only=True)  # read-only cannot catch up: refused
    ws = Workspace(tmp_path / "w.duckdb")
    try:
        versions = {v for (v,) in ws.con.execute("select version from schema_version").fetchall()}
        assert versions == {v for v, _ in every}
    finally:
        ws.close()


def test_reopening_applies_no_migration_twice(tmp_path):
    path = tmp_path / "w.duckdb"
    Workspace(path).close()
    ws = Workspace(path)
    try:
        count = ws.scalar("select count(*) from schema_version")
        assert count == len(migrations.available())
    finally:
        ws.close()


def test_motion_in_views_follows_the_mapping(tmp_path):
    ws = Workspace(build_tiny_workspace(tmp_path / "t.duckdb"))
    try:
        assert ws.scalar("select motion from leads where lead_id = 'L2'") == "pull"
        assert ws.scalar("select motion from leads where lead_id = 'L5'") is None
        with ws.transaction() as cur:
            cur.execute("update source_motion set motion = 'push' where source = 'Paid Search'")
            cur.execute("insert into source_motion values ('Mystery', 'pull')")
        assert ws.scalar("select motion from leads where lead_id = 'L2'") == "push"
        assert ws.scalar("select motion from deals where deal_id = 'D7'") == "push"
        assert ws.scalar("select motion from leads where lead_id = 'L5'") == "pull"
    finally:
        ws.close()


def test_failed_transaction_changes_nothing(tmp_path):
    ws = Workspace(build_tiny_workspace(tmp_path / "t.duckdb"))
    try:
        before = ws.scalar("select count(*) from raw_leads")
        with pytest.raises(RuntimeError), ws.transaction() as cur:
            cur.execute("delete from raw_leads")
            raise RuntimeError("boom")
        assert ws.scalar("select count(*) from raw_leads") == before
    finally:
        ws.close()


def test_motion_must_be_pull_or_push(fresh_ws, backend):
    import duckdb

    from queries import lake

    # a file's CHECK constraint; a lake's check before the commit (it stores no constraint)
    refusal = duckdb.ConstraintException if backend == "file" else lake.DoubledKey
    with pytest.raises(refusal), fresh_ws.transaction() as cur:
        cur.execute("insert into source_motion values ('X', 'push')")
        cur.execute("insert into source_motion values ('Y', 'sideways')")
    assert fresh_ws.scalar("select count(*) from source_motion") == 0  # nor the good row


@pytest.mark.lake_wide  # 120 writes: on a lake under make test-lake only
def test_threads_share_one_workspace_through_cursors(fresh_ws):
    ws = fresh_ws
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for _ in range(20):
                ws.query("workspace_settings")
                ws.set_setting(f"k{i}", "v")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert ws.scalar("select count(*) from settings where key like 'k%'") == 6


def test_read_only_workspace_refuses_writes(tiny_ws):
    with pytest.raises(PermissionError):
        tiny_ws.set_setting("x", "y")


def test_every_named_query_has_a_header_comment_and_a_caller():
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent
    folders = ("queries", "components", "views", "app_pages", "planning")
    assert all((root / folder).is_dir() for folder in folders)  # a renamed folder fails here
    code = "\n".join(
        p.read_text(encoding="utf-8") for folder in folders for p in (root / folder).rglob("*.py")
    )
    for name, q in sqlfiles.catalogue().items():
        assert q.doc, f"query {name} has no comment saying what one row is"
        assert f'"{name}"' in code, f"query {name} is never called"


def test_query_parameters_are_bound_not_formatted(tiny_ws):
    with pytest.raises(KeyError, match="needs parameter"):
        tiny_ws.query("headline_metrics")
