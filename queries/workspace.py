"""The workspace: one DuckDB file, opened once per process, queried through a cursor per use.

DuckDB allows one read-write process per file; inside it, a connection shared across threads
must hand each caller its own cursor (a bare shared connection raises "connection is busy").
Writes are serialised with a lock so that two Streamlit sessions never interleave
transactions on the same rows (which DuckDB would refuse with a transaction conflict).

A workspace may instead live on DuckLake (a ``ducklake:`` target in ``FLYWHEEL_DB`` or
``--db``; the form is in queries/lake.py), which several processes open at once. Everything
that differs for it is in queries/lake.py; this module only asks ``self.lake``.
"""

from __future__ import annotations

import enum
import os
import tempfile
import threading
import time
import weakref
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from queries import lake as lakes
from queries import migrations, sqlfiles
from queries.lake import LakeTarget

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = PROJECT_ROOT / "workspaces"
SAMPLE_PATH = DEFAULT_DIR / "sample.duckdb"
# How long a lake's snapshot id is trusted before it is asked again (Workspace.data_version):
# another server's write shows in this process's caches within this many seconds, and a page
# that makes thirty cached calls asks the catalog once, not thirty times.
VERSION_MAX_AGE = 1.0


class WorkspaceLockedError(RuntimeError):
    """Another process (usually a running Flywheel app) holds the workspace file."""


def target(text: str | Path | LakeTarget) -> Path | LakeTarget:
    """A workspace named by the user (``FLYWHEEL_DB``, ``--db``): a ``ducklake:`` target, else
    a file path."""
    if isinstance(text, LakeTarget):
        return text
    # a target that went through Path() (the app keeps its choice as a path string) is still one
    if lakes.is_target(str(text)):
        return LakeTarget.parse(str(text))
    return text if isinstance(text, Path) else Path(text).expanduser()


def default_path() -> Path | LakeTarget:
    """``FLYWHEEL_DB`` if set (a file, or a DuckLake target), else the sample workspace."""
    env = os.environ.get("FLYWHEEL_DB", "").strip()
    return target(env) if env else SAMPLE_PATH


def _memory_limit() -> str:
    # About half the machine's RAM: DuckDB spills to temp_directory beyond it instead of
    # letting the OS kill the app.
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return "4GB"
    return f"{max(1, int(total * 0.55 / 2**30))}GB"


# An import's staged and checked temp tables grow with the file (about 0.32 GB a million rows):
# under the limit above DuckDB keeps them all in memory (3.9 GB at 10M rows). While an import
# step of a large file runs, the limit is this, so they spill to temp_directory and the process
# stays under 2 GB at 10M rows (issue 18). The limit is the database's, not the import's: pages
# queried meanwhile share it, so files below BOUNDED_FROM_BYTES (all the app takes by default,
# 200 MB; ~2.5M rows still fit in 1 GB and never spilled) run under the workspace's own limit.
IMPORT_MEMORY_LIMIT = "1GB"
BOUNDED_FROM_BYTES = 250 * 2**20
_bounded_lock = threading.Lock()
_bounded: dict[int, int] = {}  # id(workspace) -> import steps running in it


@contextmanager
def import_memory(ws: Workspace, file_bytes: int) -> Iterator[None]:
    """Run an import step of a file of ``file_bytes`` under IMPORT_MEMORY_LIMIT when it is
    BOUNDED_FROM_BYTES or more; the workspace's own limit comes back when the last step running
    in it ends."""
    if file_bytes < BOUNDED_FROM_BYTES:
        yield
        return
    key = id(ws)
    with _bounded_lock:
        if not _bounded.get(key):
            _set_memory_limit(ws, IMPORT_MEMORY_LIMIT)
        _bounded[key] = _bounded.get(key, 0) + 1
    try:
        yield
    finally:
        with _bounded_lock:
            _bounded[key] -= 1
            if not _bounded[key]:
                del _bounded[key]
                _set_memory_limit(ws, _memory_limit())


def _set_memory_limit(ws: Workspace, limit: str) -> None:
    cur = ws.con.cursor()
    try:
        cur.execute(f"set memory_limit = '{limit}'")
    except duckdb.Error:
        # DuckDB refuses a limit below what others hold and cannot evict (a page's hash
        # table): the import then runs under the workspace's limit, as it did before.
        pass
    finally:
        cur.close()


class Workspace:
    """An open workspace file. Thread-safe: every call takes its own cursor."""

    def __init__(self, path: str | Path | LakeTarget, *, read_only: bool = False) -> None:
        self.read_only = read_only
        self._write_lock = threading.RLock()
        self._writes = 0  # this process's committed writes (data_version)
        self._per_version: dict[str, tuple[str, pd.DataFrame]] = {}  # name: (version, rows)
        self._snapshot: tuple[float, int] | None = None  # (asked at, id): a lake's data_version
        self._readers = threading.local()  # a lake: each thread's named-query cursor
        # weak: a cursor goes with its thread (Streamlit runs each rerun in a new one)
        self._reader_set: weakref.WeakSet[duckdb.DuckDBPyConnection] = weakref.WeakSet()
        found = target(path)
        self.lake: LakeTarget | None = found if isinstance(found, LakeTarget) else None
        if self.lake is not None:
            self.path = self.lake
            self._open_lake()
            return
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise FileNotFoundError(f"workspace {self.path} does not exist")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.parent / ".duckdb_tmp"
        config = {"memory_limit": _memory_limit()}
        if not read_only:
            config["temp_directory"] = str(tmp)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only, config=config)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise WorkspaceLockedError(
                    f"The workspace {self.path} is open in another Flywheel process "
                    "(probably the running app). Stop it, or use a copy of the file."
                ) from exc
            raise
        # DuckDB draws a progress bar on stdout for long statements: not in our command line.
        self.con.execute("set enable_progress_bar = false")
        if not read_only:
            with self.transaction() as cur:
                migrations.prepare(cur)
            check = self.con.cursor()
            try:
                todo = migrations.pending(check)
            finally:
                check.close()
            for version, path in todo:
                with self.transaction() as cur:
                    migrations.apply(cur, version, path)
        else:
            migrations.check_current(self.con.cursor())

    def _open_lake(self) -> None:
        """Attach the lake and bring it to the latest migration. Several servers may open a new
        lake at once: migrations another one committed first are not run twice (the later
        commit is refused on the write token, and it looks again at what is left to do)."""
        assert self.lake is not None
        tmp = Path(tempfile.gettempdir()) / "flywheel-duckdb-tmp"
        config = {"memory_limit": _memory_limit(), "temp_directory": str(tmp)}
        self.con = lakes.connect(self.lake, read_only=self.read_only, config=config)
        self.con.execute("set enable_progress_bar = false")
        if self.read_only:
            cur = self.cursor()
            try:
                migrations.check_current(cur)
            finally:
                cur.close()
            return
        for _ in range(10):
            try:
                check = self.cursor()
                try:
                    todo = migrations.pending(check)
                finally:
                    check.close()
                if todo:
                    self._migrate_lake(todo)
                return
            except lakes.WriteConflict:
                continue  # another server migrated first: see what is left
        raise RuntimeError(f"could not bring the workspace {self.lake} up to date: run it again")

    def _migrate_lake(self, todo: list[tuple[int, Path]]) -> None:
        """Every pending migration in one transaction: one snapshot, and no server ever reads a
        half-upgraded lake (and each DuckLake transaction reloads the changed catalog from
        PostgreSQL: one instead of one per migration is 4 s instead of 20 for a new lake). A
        migration DuckLake will not run beside the others falls back to one transaction each,
        as on a file."""
        try:
            with self.transaction(check_keys=False) as cur:
                migrations.prepare(cur, lakes.run_sql)
                for version, path in todo:
                    migrations.apply(cur, version, path, lakes.run_sql)
            return
        except lakes.WriteConflict:
            raise
        except duckdb.Error:
            pass
        with self.transaction(check_keys=False) as cur:
            migrations.prepare(cur, lakes.run_sql)
        for version, path in todo:
            with self.transaction(check_keys=False) as cur:
                migrations.apply(cur, version, path, lakes.run_sql)

    # -- reading -------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self.con.cursor()
        if self.lake is not None:
            lakes.use(cur)
        return cur

    def query(self, name: str, **params: object) -> pd.DataFrame:
        """Run the named query with bound parameters and return its rows as a DataFrame."""
        q = sqlfiles.get(name)
        if self.lake is not None:  # one autocommit statement: the lake sees its newest snapshot
            return self._lake_reader().execute(q.sql, q.bind(params)).df()
        cur = self.cursor()
        try:
            return cur.execute(q.sql, q.bind(params)).df()
        finally:
            cur.close()

    def per_version(self, name: str) -> pd.DataFrame:
        """The rows of a named query without parameters (a copy), run once per data version:
        the settings and the data's date range, which a page asks for several times a run
        (each headline period reads the settings twice), 3 ms a read."""
        version = self.data_version()
        kept = self._per_version.get(name)
        if kept is None or kept[0] != version:
            kept = (version, self.query(name))
            self._per_version[name] = kept
        return kept[1].copy()

    def _lake_reader(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor for named queries on a lake, kept open: a new cursor's ``use``
        of the lake is a DuckLake transaction of its own, 6 of the 16 statements a query on one
        small table sends PostgreSQL (docs/LAKE.md, "Speed")."""
        cur = getattr(self._readers, "cur", None)
        if cur is None:
            cur = self.cursor()
            self._readers.cur = cur
            with self._write_lock:
                self._reader_set.add(cur)
        return cur

    def scalar(self, sql: str, params: list | dict | None = None) -> object:
        """One value from a fixed (never user-built) SQL string; for internal checks."""
        cur = self.cursor()
        try:
            row = cur.execute(sql, params or []).fetchone()
            return None if row is None else row[0]
        finally:
            cur.close()

    def data_version(self, max_age: float | None = None) -> str:
        """What cached results are keyed on: it changes whenever the data may have.

        A file: its path and this process's committed writes (no other process writes a file
        while this one holds it). A lake: its name and newest snapshot id, which any server's
        commit changes; asked of the catalog at most once every ``max_age`` seconds
        (VERSION_MAX_AGE), and again at once after a write of this process."""
        if self.lake is None:
            return f"{self.path}@{self._writes}"
        age = VERSION_MAX_AGE if max_age is None else max_age
        now = time.monotonic()
        known = self._snapshot
        if known is None or now - known[0] >= age:
            cur = self.cursor()
            try:
                known = (now, lakes.snapshot_id(cur))
            finally:
                cur.close()
            self._snapshot = known
        return f"{self.lake}@{known[1]}"

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def transaction(
        self, cur: duckdb.DuckDBPyConnection | None = None, *, check_keys: bool = True
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """One serialised write transaction: all of it commits, or none of it.

        ``cur``: run it on this cursor (an import stages its file in temp tables that only
        its own cursor sees); the caller keeps and closes that cursor.

        On a lake the transaction first claims the write token (so two servers' overlapping
        writes cannot both commit: the later raises lake.WriteConflict, saving nothing) and,
        unless ``check_keys`` is False, checks the contract's keys and checks before committing
        (lake.DoubledKey). False is for writers that keep their keys themselves and would pay
        for the check on every call: migrations, imports and undo (which check their own ids).
        """
        if self.read_only:
            raise PermissionError(f"workspace {self.path} is open read-only")
        with self._write_lock:
            own = cur is None
            cur = self.cursor() if own else cur
            cur.execute("begin transaction")
            try:
                if self.lake is not None:
                    lakes.claim_write(cur)
                yield cur
                if self.lake is not None and check_keys:
                    lakes.check_contract(cur)
            except BaseException:
                cur.execute("rollback")
                if own:
                    cur.close()
                raise
            try:
                if self.lake is not None:
                    lakes.commit(cur, self.lake)
                else:
                    cur.execute("commit")
                self._writes += 1
                self._snapshot = None  # our own write shows on the next data_version
            finally:
                if own:
                    cur.close()

    # -- settings ------------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        df = self.per_version("workspace_settings")
        return dict(zip(df["key"], df["value"], strict=True))

    def set_setting(self, key: str, value: str) -> None:
        """Set one setting, logging the change with who made it (queries/settings.py)."""
        from queries import settings as settings_q  # it imports this module's type only

        with self.transaction() as cur:
            settings_q.write(cur, key, value)

    @property
    def is_sample(self) -> bool:
        return self.settings().get("is_sample") == "true"

    def close(self) -> None:
        with self._write_lock:
            for cur in list(self._reader_set):
                cur.close()
        self.con.close()


class Changed(enum.Enum):
    """What a writer wrote of the touch facts' inputs (migrations 022, 023: touches; leads' ids,
    creation, campaign, source, MQL, score and SQL; deals), said to the refresh that ends its
    transaction. A writer that says nothing gets ALL: none can leave a path stale by forgetting.

    ALL: rebuild every path (a sample load, or a writer that does not know what it wrote).
    NOTED: the paths of the leads and deals noted (note_import, note_changes) in this transaction,
    none if nothing was noted (a writer of accounts, reps or settings). What the refresh itself
    changes (a deal's inherited source, its exclusion) it notes itself."""

    ALL = "all"
    NOTED = "noted"


# The rows an import of a kind writes that feed the touch facts, and the statement noting them.
_NOTE_IMPORT = {
    "touches": "note_touch_changes",
    "raw_leads": "note_lead_changes",
    "raw_deals": "note_deal_changes",
}


def note_import(cur: duckdb.DuckDBPyConnection, table: str, import_id: str) -> Changed:
    """Note, for the refresh that ends this transaction, the leads and deals whose touch-fact
    inputs the import ``import_id`` of ``table`` writes: its rows and those it replaced. Call it
    after an import's rows are written, or before its undo removes them (the same rows). Returns
    Changed.NOTED (for any table: one that feeds no touch fact notes nothing)."""
    name = _NOTE_IMPORT.get(table)
    if name is not None:
        cur.execute(sqlfiles.get("touch_fact_changes_table").sql)
        cur.execute(sqlfiles.get(name).sql, {"import_id": import_id})
    return Changed.NOTED


def note_changes(
    cur: duckdb.DuckDBPyConnection,
    lead_ids: Collection[str] = (),
    deal_ids: Collection[str] = (),
) -> Changed:
    """Note, for the refresh that ends this transaction, leads and deals (by id) whose touch-fact
    inputs a writer other than an import changed (their old and new ids when it changed one).
    Returns Changed.NOTED."""
    cur.execute(sqlfiles.get("touch_fact_changes_table").sql)
    cur.execute(
        sqlfiles.get("note_changed_ids").sql,
        {"lead_ids": list(lead_ids), "deal_ids": list(deal_ids)},
    )
    return Changed.NOTED


# The refresh, in order: keys first (the links use them), then the facts and what links carry.
# The touch facts (refresh_touch_facts) come last, since a deal's inherited source can be a
# channel.
REFRESH_STATEMENTS = (
    "assign_lead_keys",
    "point_deals_to_lead_keys",
    # migration 016: which deals are left out, before the lead facts that leave them out
    "sync_outlier_exclusions",
    "flag_excluded_deals",
    "refresh_lead_facts",
    "inherit_deal_sources",
    "inherit_deal_accounts",
    "inherit_lead_accounts",
    # migration 024: the sidebar's filter values and readiness counts, from the records as the
    # statements above leave them
    "keep_sidebar_answers",
    # migration 025: the headline's period facts per day
    "keep_period_facts",
    # migration 026: the leads and closed deals per day the Funnel's data checks read
    "keep_funnel_days",
    # migration 032: what the Data page reports of the whole workspace
    "keep_data_answers",
    # migration 033: the won deals of each day's leads, for the lead cohorts
    "keep_cohort_wins",
    # migration 034: the deals created and won per day and channel, for the 4P promotion table
    "keep_channel_deal_days",
    # migration 035: the campaign channels' median lags, for the calendar's forecast
    "keep_channel_lags",
    # migration 036: the scored leads per month and score, for the Funnel's lead-score tab
    "keep_lead_score_months",
    # migration 037: the funnel's completed steps and their durations, for the velocity tab
    "keep_step_durations",
)


def kept_is_fresh(ws: Workspace) -> bool:
    """Were the rows the refresh keeps (migrations 024-037) counted from the leads and deals
    there are now? False after a write that skipped the refresh (a script, a test), and in a
    workspace without a lead or a deal (nothing kept; the records are as quick): the readers
    of kept rows then read the records. Asked once per data version."""
    fresh = ws.per_version("funnel_days_kept")
    return not fresh.empty and bool(fresh["is_fresh"].iloc[0])


def refresh_lead_facts(cur: duckdb.DuckDBPyConnection, changed: Changed = Changed.ALL) -> None:
    """Set each lead's key and deal facts, each deal's lead key (migrations 011, 013), and what
    linked records hand on — a lead's source to its deals, an account's segment and region to
    its deals and leads (014) — inside the caller's transaction.

    Every writer of raw_leads, raw_deals, accounts or sales_reps (and of the deal source rule)
    calls it before committing: the funnel reads the facts instead of joining deals to leads,
    and every page reads a deal's motion from its (own or inherited) source. Last, the touch
    facts of attribution of the paths ``changed`` says, and of the deals whose inherited
    source or exclusion this refresh changed.
    """
    work = cur.execute(sqlfiles.get("link_work").sql).fetchone()
    needed = {
        # no leads, and no deal pointing at one: nothing to point (a first deals import)
        "point_deals_to_lead_keys": work[0],
        "inherit_deal_sources": work[1],
        "inherit_deal_accounts": work[2],
        "inherit_lead_accounts": work[3],
    }
    # the deals' inputs these statements may change, to note the deals they did change (an
    # UPDATE's RETURNING would say, but DuckLake has none)
    derived = changed is Changed.NOTED and _touch_facts_keyed(cur)
    for name in REFRESH_STATEMENTS:
        if derived and name == "flag_excluded_deals":
            cur.execute(sqlfiles.get("keep_derived_deal_inputs").sql)
        if needed.get(name, True):
            cur.execute(sqlfiles.get(name).sql)
    if derived:
        cur.execute(sqlfiles.get("touch_fact_changes_table").sql)
        cur.execute(sqlfiles.get("note_derived_deal_changes").sql)
    refresh_touch_facts(cur, changed)


def _touch_facts_keyed(cur: duckdb.DuckDBPyConnection) -> bool:
    return bool(cur.execute(sqlfiles.get("touch_fact_keyed").sql).fetchone()[0])


def _noted(cur: duckdb.DuckDBPyConnection) -> tuple[bool, bool]:
    """(anything noted, most of the paths noted)."""
    cur.execute(sqlfiles.get("touch_fact_changes_table").sql)
    noted, most = cur.execute(sqlfiles.get("touch_fact_noted").sql).fetchone()
    return bool(noted), bool(most)


def refresh_touch_facts(cur: duckdb.DuckDBPyConnection, changed: Changed = Changed.ALL) -> None:
    """Rebuild the touch facts (migrations 022, 023) of the paths ``changed`` says, inside the
    caller's transaction: every path (Changed.ALL; most paths noted; the kept rows' keys missing
    or another DuckDB's), else the lead paths of the noted leads and the deal paths of the noted
    deals and of those leads' deals; nothing when nothing was noted. The last part of
    refresh_lead_facts, and all a writer of touches alone needs."""
    noted, most = (False, True) if changed is Changed.ALL else _noted(cur)
    if most or not _touch_facts_keyed(cur):
        scope = "touch_fact_scope_all"
    elif noted:
        scope = "touch_fact_scope_noted"
    else:
        cur.execute(sqlfiles.get("touch_fact_scope_done").sql)
        return
    for name in (scope, "refresh_lead_touch_facts", "refresh_deal_touch_facts"):
        cur.execute(sqlfiles.get(name).sql)
    if scope == "touch_fact_scope_all":
        cur.execute(sqlfiles.get("stamp_touch_facts").sql)
    cur.execute(sqlfiles.get("touch_fact_scope_done").sql)
    # migration 028: the facts summed per place in a path, kept for attribution_credit
    cur.execute(sqlfiles.get("keep_touch_places").sql)


# -- moving a workspace (flywheel workspace copy) ------------------------------------------------
COPY_ALIAS = "flywheel_copy_source"
# Tables a new, empty workspace already has rows in, written by its migrations: the touch facts'
# fingerprints of its empty tables (022). Not data someone put there; the copy replaces them.
MIGRATION_ROWS = ("touch_fact_stamps",)


class DestinationNotEmpty(RuntimeError):
    """The workspace a copy would write to holds rows already (``--force`` replaces them)."""


def _tables(cur: duckdb.DuckDBPyConnection, database: str) -> set[str]:
    found = cur.execute(
        "select table_name from duckdb_tables() where database_name = $db and schema_name = 'main'",
        {"db": database},
    ).fetchall()
    return {t for (t,) in found} - set(lakes.LAKE_ONLY_TABLES)


def copy_workspace(
    source: str | Path | LakeTarget, destination: str | Path | LakeTarget, *, force: bool = False
) -> dict[str, int]:
    """Copy every contract table of ``source`` into ``destination`` (file to lake, lake to file,
    or either to its own kind): the destination is opened (created and migrated if new, so its
    views and macros are its own), then in ONE transaction on it every table is filled from the
    source, attached read-only beside it, and each table's row count is compared with the
    source's before the commit. Returns the rows per table.

    Refuses (DestinationNotEmpty) a destination that holds rows beyond its schema version unless
    ``force``, which replaces them in the same transaction; refuses a source at another schema
    version than this Flywheel's."""
    src, dst = target(source), target(destination)
    if str(src) == str(dst) or (
        isinstance(src, Path) and isinstance(dst, Path) and src.resolve() == dst.resolve()
    ):
        raise ValueError("the source and the destination are the same workspace")
    # before the destination is made: a mistyped source must not leave a new empty workspace
    if not src.exists():
        raise FileNotFoundError(f"no workspace at {src}")
    ws = Workspace(dst)
    try:
        if isinstance(src, LakeTarget):
            lakes.attach(ws.con, src, read_only=True, alias=COPY_ALIAS)
        else:
            path = str(src.resolve()).replace("'", "''")  # the operator's own file name
            try:
                ws.con.execute(f"attach '{path}' as {COPY_ALIAS} (read_only)")
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise
                raise WorkspaceLockedError(
                    f"The workspace {src} is open in another Flywheel process (probably the "
                    "running app): stop it and copy again, or copy a copy of the file."
                ) from exc
        try:
            return _copy_tables(ws, force)
        finally:
            ws.con.execute(f"detach {COPY_ALIAS}")
    finally:
        ws.close()


def _copy_tables(ws: Workspace, force: bool) -> dict[str, int]:
    cur = ws.cursor()
    try:
        database = cur.execute("select current_database()").fetchone()[0]
        tables = _tables(cur, database)
        missing = tables ^ _tables(cur, COPY_ALIAS)
        if missing:
            raise RuntimeError(
                f"the two workspaces' tables differ ({', '.join(sorted(missing))}): open the "
                "source once with this Flywheel to bring it up to date"
            )
    finally:
        cur.close()
    ordered = sorted(tables - {"schema_version"})
    # no key check before the commit: the destination starts empty and the source's keys held
    # (its constraints, or the checks of every lake commit); it would read 22 tables again
    with ws.transaction(check_keys=False) as cur:
        versions = [f"select version from {q}schema_version" for q in ("", f"{COPY_ALIAS}.")]
        if (
            cur.execute(f"({versions[0]}) except ({versions[1]})").fetchall()
            or cur.execute(f"({versions[1]}) except ({versions[0]})").fetchall()
        ):
            raise RuntimeError("the two workspaces are at different schema versions")
        here = _counts(cur, "", ordered)
        filled = [t for t in ordered if here[t]]
        held = [t for t in filled if t not in MIGRATION_ROWS]
        if held and not force:
            raise DestinationNotEmpty(
                f"The workspace {ws.path} already holds data (in {', '.join(held)}): nothing "
                "was copied. Copy into a new workspace, or add --force to replace its data."
            )
        for table in filled:
            cur.execute(f'delete from "{table}"')
        want = _counts(cur, f"{COPY_ALIAS}.main.", ordered)
        for table in ordered:  # names read off DuckDB's catalog, quoted
            if want[table]:  # an empty table costs a lake a read for nothing
                cur.execute(
                    f'insert into "{table}" by name select * from {COPY_ALIAS}.main."{table}"'
                )
        got = _counts(cur, "", ordered)
        wrong = [f"{t} {got[t]} (the source {want[t]})" for t in ordered if got[t] != want[t]]
        if wrong:  # raising rolls the whole copy back
            raise RuntimeError(f"the copy's row counts differ: {', '.join(wrong)}; nothing copied")
    return got


def _counts(cur: duckdb.DuckDBPyConnection, prefix: str, tables: list[str]) -> dict[str, int]:
    """The rows of each table, in one query (a lake answers it in one catalog round)."""
    row = cur.execute(
        "select " + ", ".join(f'(select count(*) from {prefix}"{t}")' for t in tables)
    ).fetchone()
    return {t: int(n) for t, n in zip(tables, row, strict=True)}
