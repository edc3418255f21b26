"""A workspace on DuckLake (queries/lake.py) against a file workspace: the same contract, the same
figures, imports and undo that keep ids unique without constraints, and two writers at once.

The PostgreSQL catalog comes from tests/lake/pg.py (one private cluster per session).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from queries import lake, metrics, migrations, sqlfiles, workspace, workspaces
from queries.filters import ALL_FROM, ALL_TO, Filters
from queries.ingest import engine
from queries.ingest.engine import Choices
from queries.lake import LakeTarget
from queries.workspace import Workspace, target

ROOT = Path(__file__).resolve().parents[2]

DEALS = (
    "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date,"
    "Opportunity Owner,Lead Source\n"
    "006A,Alpha,Acme,Closed Won,1000,1/5/2024,2/4/2024,Jo,Web\n"
    "006B,Beta,Beta,Prospecting,250,1/6/2024,12/5/2030,Jo,Cold Call\n"
    "006C,Gamma,Gamma,Closed Lost,300,1/7/2024,3/1/2024,Al,Web\n"
)
MAPPING = {
    "deal_id": "Opportunity ID",
    "name": "Opportunity Name",
    "account": "Account Name",
    "stage": "Stage",
    "amount": "Amount",
    "created_at": "Created Date",
    "close_date": "Close Date",
    "owner": "Opportunity Owner",
    "source": "Lead Source",
}
CHOICES = Choices(kind="deals", preset="salesforce", mapping=MAPPING)


def rows(ws: Workspace, sql: str, params: dict | None = None) -> list[tuple]:
    cur = ws.cursor()
    try:
        return cur.execute(sql, params or {}).fetchall()
    finally:
        cur.close()


# -- the target and the translation (no server needed) --------------------------------------------
def test_a_target_names_its_catalog_data_path_and_schema_and_prints_whole():
    t = target(
        "ducklake:postgres:dbname=fly host=10.0.0.5 DATA_PATH='/srv/my lake/' metadata_schema=team"
    )
    assert isinstance(t, LakeTarget)
    assert t.catalog == "postgres:dbname=fly host=10.0.0.5"
    assert (t.data_path, t.metadata_schema, t.name) == ("/srv/my lake/", "team", "fly.team")
    # the app keeps the printed target and opens it again: the same lake, a bucket's // too
    assert target(str(t)) == t
    bucket = target("ducklake:postgres:dbname=fly DATA_PATH=s3://team-bucket/lake/")
    assert target(str(bucket)) == bucket and bucket.data_path == "s3://team-bucket/lake/"
    assert target("workspaces/x.duckdb") == Path("workspaces/x.duckdb")


@pytest.mark.parametrize(
    "text",
    [
        "ducklake:postgres:dbname=fly host=10.0.0.5 password=s3cret",
        "ducklake:postgres:password='s e c' dbname=fly",
        "ducklake:postgres:postgresql://fly:s3cret@10.0.0.5/fly",
    ],
)
def test_a_password_in_a_target_is_refused_with_where_it_goes(text, monkeypatch, capsys):
    with pytest.raises(ValueError, match="PGPASSWORD") as err:
        target(text)
    assert "s3cret" not in str(err.value) and "~/.pgpass" in str(err.value)
    monkeypatch.setenv("FLYWHEEL_DB", text)
    with pytest.raises(ValueError, match="must not hold a password"):
        workspace.default_path()  # the app's workspace: refused before anything opens
    import flywheel_cli

    with pytest.raises(SystemExit) as code:
        flywheel_cli.main(["metrics", "--db", text])
    assert code.value.code == 2 and "PGPASSWORD" in capsys.readouterr().err


def test_the_app_opens_the_lake_its_target_names(lake_ws, monkeypatch):
    """components/ui/state.py keeps the target as a string and opens it again per rerun."""
    import streamlit as st

    from components.ui import state

    monkeypatch.setenv("FLYWHEEL_DB", str(lake_ws.path))
    st.cache_resource.clear()
    try:
        opened = state.workspace()
        assert opened.path == lake_ws.path and opened.lake == lake_ws.lake
        assert opened.settings()["company_name"] == lake_ws.settings()["company_name"]
    finally:
        st.cache_resource.clear()


def test_an_unreachable_catalog_is_said_in_a_sentence(unused_port):
    t = target(f"ducklake:postgres:dbname=x host=127.0.0.1 port={unused_port}")
    with pytest.raises(RuntimeError, match="cannot open the DuckLake workspace") as err:
        t.exists()  # not "no workspace": the server did not answer
    assert f"port={unused_port}" in str(err.value)
    with pytest.raises(RuntimeError, match="DuckLake"):
        Workspace(t)


def test_the_translation_drops_keys_checks_and_indexes_and_keeps_the_rest():
    sql = (
        "-- a comment\ncreate table t (k varchar primary key, n integer not null default 0 "
        "check (n >= 0), tag varchar unique, made timestamp default current_timestamp);\n"
        "create table p (a integer, b integer, primary key (a, b));\n"
        "create unique index t_tag on t (tag);\n"
        "create macro twice(x) as 2 * x;\n"
    )
    out = lake.portable_sql(sql)
    for gone in ("primary key", "unique", "check", "index"):
        assert gone not in out.lower()
    con = duckdb.connect()
    con.execute(out)
    cols = con.execute(
        "select table_name, column_name, is_nullable, column_default from duckdb_columns() "
        "where database_name = 'memory' and schema_name = 'main' and not internal "
        "order by table_name, column_index"
    ).fetchall()
    assert cols == [
        ("p", "a", False, None),  # key columns stay NOT NULL, as a key makes them
        ("p", "b", False, None),
        ("t", "k", False, None),
        ("t", "n", False, "0"),
        ("t", "tag", True, None),
        ("t", "made", True, "current_timestamp"),
    ]
    assert con.execute("select twice(21)").fetchone()[0] == 42
    assert con.execute("select count(*) from duckdb_constraints() where constraint_type in "
                       "('PRIMARY KEY', 'UNIQUE', 'CHECK')").fetchone()[0] == 0  # fmt: skip


def test_the_rules_a_lake_checks_are_the_constraints_of_a_file_workspace():
    rules = {(r.table, r.kind, r.columns) for r in lake.contract_rules()}
    assert ("settings", "PRIMARY KEY", ("key",)) in rules
    assert ("market_segments", "PRIMARY KEY", ("segment", "year")) in rules
    assert ("scenarios", "UNIQUE", ("name",)) in rules
    assert any(r.table == "source_motion" and r.kind == "CHECK" for r in lake.contract_rules())
    # migration 005 took the keys off the record tables: nothing to check there
    assert not any(r.table in ("raw_leads", "raw_deals") for r in lake.contract_rules())


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as s:  # bound, never listening: connections to it are refused
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- on a lake ----------------------------------------------------------------------------------
def _contract(ws: Workspace) -> dict[str, object]:
    cur = ws.cursor()
    try:
        db = "and database_name = current_database() and schema_name = 'main'"
        views = [
            v
            for (v,) in cur.execute(
                f"select view_name from duckdb_views() where not internal {db}"
            ).fetchall()
        ]
        tables = cur.execute(
            "select c.table_name, c.column_name, c.data_type, c.is_nullable "
            "from duckdb_columns() as c join duckdb_tables() as t "
            f"using (database_name, schema_name, table_name) where true {db}"
        ).fetchall()
        view_columns = {
            v: [(r[0], r[1]) for r in cur.execute(f'describe select * from "{v}"').fetchall()]
            for v in views
        }
        macros = cur.execute(
            "select function_name, parameters from duckdb_functions() "
            f"where function_type in ('macro', 'table_macro') {db}"
        ).fetchall()
    finally:
        cur.close()
    return {
        "tables": sorted(t for t in tables if t[0] not in lake.LAKE_ONLY_TABLES),
        "views": view_columns,
        "macros": sorted(macros),
        "versions": migrations.applied_versions(ws.cursor()),
    }


@pytest.fixture(scope="module")
def lake_ws(new_lake: Callable[[], LakeTarget]) -> Iterator[Workspace]:
    """A new, empty lake workspace (the team's own, not the sample), shared by the module."""
    ws = workspaces.create_workspace(new_lake())
    yield ws
    ws.close()


def test_a_migrated_lake_has_the_contract_of_a_file_workspace(lake_ws, tmp_path):
    file_ws = Workspace(tmp_path / "file.duckdb")
    try:
        expected = _contract(file_ws)
    finally:
        file_ws.close()
    got = _contract(lake_ws)
    assert got["versions"] == expected["versions"] == {v for v, _ in migrations.available()}
    assert got["macros"] == expected["macros"]
    assert {"is_mql", "in_period", "shown_amount"} <= {m for m, _ in got["macros"]}
    assert got["views"] == expected["views"]
    assert got["tables"] == expected["tables"]
    assert rows(lake_ws, "select shown_amount(0::decimal(18,2)) is null") == [(False,)]


def test_a_second_opener_finds_the_lake_up_to_date(lake_ws):
    again = Workspace(lake_ws.path)
    try:
        assert migrations.pending(again.cursor()) == []
        assert again.settings()["company_name"] == lake_ws.path.name
    finally:
        again.close()


def test_the_sample_seeded_into_a_lake_has_the_figures_of_the_file_sample(seeded_lake, seeded_file):
    figures = []
    for where in (seeded_file, seeded_lake):
        ws = Workspace(where, read_only=True)
        try:
            f = Filters(ALL_FROM, ALL_TO)
            figures.append(metrics.as_json_dict(metrics.headline(ws, f), f))
            counts = rows(ws, "select (select count(*) from leads), (select count(*) from deals)")
            assert ws.is_sample
        finally:
            ws.close()
    assert counts[0][0] > 500 and counts[0][1] > 50  # the sample, not an empty workspace
    assert figures[0]["overall"]["won"] > 0
    assert figures[1] == figures[0]


def _import(ws: Workspace, path: Path, mode: str = "append", **kw) -> engine.Result:
    with engine.open_import(ws, path, choices=CHOICES) as plan:
        return plan.commit(mode, **kw)


def _deal_ids(ws: Workspace) -> list[str]:
    return [r[0] for r in rows(ws, "select deal_id from raw_deals order by deal_id")]


def test_a_doubled_setting_key_is_refused_before_it_commits(lake_ws):
    with pytest.raises(lake.DoubledKey, match="key = currency"), lake_ws.transaction() as cur:
        cur.execute("insert into settings values ('currency', 'EUR')")
    assert rows(lake_ws, "select value from settings where key = 'currency'") == [("USD",)]
    with lake_ws.transaction() as cur:  # the named upsert (a MERGE) replaces it
        cur.execute(sqlfiles.get("set_setting").sql, {"key": "currency", "value": "EUR"})
    assert rows(lake_ws, "select value from settings where key = 'currency'") == [("EUR",)]


def test_two_processes_importing_at_once_load_the_file_once(lake_ws, tmp_path):
    csv = tmp_path / "deals.csv"
    csv.write_text(DEALS)
    cmd = [
        sys.executable,
        str(ROOT / "flywheel_cli.py"),
        "import",
        str(csv),
        "--kind",
        "deals",
        "--preset",
        "salesforce",
        *[f"--map={f}={c}" for f, c in MAPPING.items()],
        "--db",
        f"ducklake:{lake_ws.path.catalog} METADATA_SCHEMA={lake_ws.path.metadata_schema}",
    ]
    env = {k: v for k, v in os.environ.items() if k != "FLYWHEEL_DB"}
    env["PYTHONPATH"] = str(ROOT)
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outs = [(p.wait(timeout=120), *(s.decode() for s in p.communicate())) for p in procs]
    codes = sorted(code for code, _, _ in outs)
    assert codes[0] == 0, outs  # one loaded the file
    assert codes[1] in (1, 2), outs  # the other said why it did not (conflict, or ids there)
    loser = next(err for code, _, err in outs if code != 0)
    assert "Traceback" not in loser
    # refused at the check (the ids are there), or at the commit: once after another write's
    # refusal, its ids held twice; twice refused, the conflict sentence
    said = ("already", "twice in raw_deals", "nothing of this change was saved")
    assert any(s in loser for s in said), loser
    assert _deal_ids(lake_ws) == ["006A", "006B", "006C"]
    assert rows(lake_ws, "select count(*) from imports") == [(1,)]


@pytest.fixture(scope="module")
def other_server(lake_ws: Workspace) -> Iterator[Workspace]:
    """The module's lake opened again: its own DuckDB and catalog connections, as on another
    server."""
    ws = Workspace(lake_ws.path)
    yield ws
    ws.close()


def test_overlapping_writes_the_later_is_refused_whole_in_a_sentence(lake_ws, other_server):
    with (
        pytest.raises(lake.WriteConflict, match=r"nothing of this change was saved\. Run it again"),
        lake_ws.transaction() as cur,
    ):
        cur.execute("insert into source_motion values ('Fair', 'push')")
        with other_server.transaction() as theirs:  # commits first
            theirs.execute("insert into source_motion values ('Expo', 'pull')")
    assert rows(lake_ws, "select source from source_motion where source in ('Fair', 'Expo')") == [
        ("Expo",)
    ]


def test_two_servers_importing_at_once_retry_or_refuse_and_double_nothing(
    lake_ws, other_server, tmp_path
):
    """Server B commits an import while A's import is inside its transaction. DuckLake refuses
    A's commit (the write token) and A runs it again: with other deals than B's it loads them;
    with the same deals it finds B's rows and refuses, naming them. (After the two-process
    test: its three deals stay; these are others.)"""

    def deals(prefix: str, owner: str = "Jo") -> Path:
        path = tmp_path / f"{prefix}.csv"
        path.write_text(DEALS.replace("006", prefix).replace(",Jo,", f",{owner},"))
        return path

    before = _deal_ids(lake_ws)
    other = other_server
    rounds = (
        (deals("007"), deals("008", "Kim"), "loaded"),
        (deals("009"), deals("009", "Kim"), "refused"),
    )
    for a_file, b_file, outcome in rounds:
        writes: list[str] = []

        def midway(_f: float, _s: str, b_file: Path = b_file, writes: list = writes) -> None:
            if _f == 0.5:  # each attempt of A's transaction passes here
                writes.append("a")
            if _f == 0.8 and len(writes) == 1:  # A has written, not committed
                _import(other, b_file)

        with engine.open_import(lake_ws, a_file, choices=CHOICES) as plan:
            if outcome == "loaded":
                plan.commit("append", progress=midway)
            else:
                with pytest.raises(lake.DoubledKey, match=r"deal_id .* twice in raw_deals"):
                    plan.commit("append", progress=midway)
        assert writes == ["a", "a"]  # refused once, run again (then loaded, or refused)
    new = sorted(set(_deal_ids(lake_ws)) - set(before))
    assert new == ["007A", "007B", "007C", "008A", "008B", "008C", "009A", "009B", "009C"]
    assert len(_deal_ids(lake_ws)) == len(before) + 9  # no id twice


def test_the_undo_of_older_imports_expires_on_a_lake(lake_ws):
    """The Data page's retention section and Compact, on a lake: what expires under "keep the
    newest import", and dropping it (after the import tests: four imports are kept)."""
    from queries import retention
    from queries.ingest.history import UndoExpired

    imports = [
        r[0] for r in rows(lake_ws, "select import_id from imports order by imported_at, import_id")
    ]
    assert len(imports) == 4
    keep = retention.Retention(imports=1, days=None)
    freed = retention.would_free(lake_ws, keep=keep)
    assert sorted(freed.imports) == sorted(imports[:3])
    assert freed.file_bytes == retention.workspace_bytes(lake_ws) > 0
    done = retention.expire(lake_ws, keep=keep)
    assert sorted(done.imports) == sorted(imports[:3])
    assert sorted(retention.expired(lake_ws)) == sorted(imports[:3])
    with pytest.raises(UndoExpired):
        engine.undo(lake_ws, imports[0])
    assert retention.would_free(lake_ws, keep=keep).imports == ()


def test_two_servers_opening_one_new_lake_at_once_migrate_it_once(new_lake):
    """Both create the catalog and run every migration; one wins each race, the other attaches
    what it made and finds nothing left to do."""
    where = new_lake()
    opened: list[Workspace] = []
    failed: list[BaseException] = []

    def open_it() -> None:
        try:
            opened.append(Workspace(where))
        except BaseException as exc:  # reported below, not lost in the thread
            failed.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert failed == []
        versions = rows(opened[0], "select version from schema_version order by version")
        assert [v for (v,) in versions] == [v for v, _ in migrations.available()]  # each once
        assert rows(opened[1], f"select count(*) from {lake.TOKEN_TABLE}") == [(1,)]
    finally:
        for ws in opened:
            ws.close()


# -- several app servers (item 3): caches keyed by the lake's snapshot ----------------------------
def test_a_file_workspace_version_changes_with_each_of_its_writes(tmp_path):
    ws = Workspace(tmp_path / "v.duckdb")
    try:
        before = ws.data_version()
        assert ws.data_version() == before  # reading changes nothing
        with ws.transaction() as cur:
            cur.execute(sqlfiles.get("set_setting").sql, {"key": "currency", "value": "EUR"})
        assert ws.data_version() not in (before, "")
        assert str(ws.path) in before  # two workspaces never share a key
    finally:
        ws.close()


def test_another_servers_write_changes_this_servers_data_version(lake_ws, other_server):
    seen = other_server.data_version(max_age=0)
    assert str(other_server.lake) in seen
    lake_ws.set_setting("company_name", "Written on server A")
    # asked again within the memo's age: the catalog is not asked, the old version stays
    assert other_server.data_version(max_age=3600) == seen
    assert other_server.data_version(max_age=0) != seen
    # the writer's own version moves at once (its write drops its memo)
    assert lake_ws.data_version(max_age=3600) == other_server.data_version(max_age=0)


def _company(ws: Workspace) -> str:
    return ws.settings()["company_name"]


def test_a_cached_query_runs_again_after_another_server_wrote(lake_ws, other_server, monkeypatch):
    """The app's cache (components/ui/state.py ``call``) on server B, a write on server A: B's
    next run reads A's value, without B clearing anything."""
    import streamlit as st

    from components.ui import state
    from queries import workspace

    st.cache_data.clear()
    monkeypatch.setattr(state, "workspace", lambda: other_server)
    monkeypatch.setattr(workspace, "VERSION_MAX_AGE", 0.0)  # every run asks the catalog
    before = state.call(_company)
    assert before == _company(lake_ws) != "After"
    lake_ws.set_setting("company_name", "After")
    assert state.call(_company) == "After"
    assert state.settings()["company_name"] == "After"
    st.cache_data.clear()


def test_named_queries_on_a_lake_reuse_one_cursor_per_thread_and_see_new_writes(
    lake_ws, other_server
):
    """Workspace.query keeps each thread's cursor on a lake (a new cursor's `use` is a catalog
    transaction of its own); each statement still reads the newest snapshot."""
    assert other_server._lake_reader() is other_server._lake_reader()
    seen: list[object] = []
    thread = threading.Thread(target=lambda: seen.append(other_server._lake_reader()))
    thread.start()
    thread.join()
    assert seen[0] is not other_server._lake_reader()  # another thread, another cursor

    def company() -> str:
        got = other_server.query("workspace_settings")
        return dict(zip(got["key"], got["value"], strict=True))["company_name"]

    lake_ws.set_setting("company_name", "Seen through the kept cursor")
    assert company() == "Seen through the kept cursor"
    lake_ws.set_setting("company_name", "And again")
    assert company() == "And again"
