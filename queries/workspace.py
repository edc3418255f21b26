"""The workspace: one DuckDB file, opened once per process, queried through a cursor per use.

DuckDB allows one read-write process per file; inside it, a connection shared across threads
must hand each caller its own cursor (a bare shared connection raises "connection is busy").
Writes are serialised with a lock so that two Streamlit sessions never interleave
transactions on the same rows (which DuckDB would refuse with a transaction conflict).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from queries import migrations, sqlfiles

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = PROJECT_ROOT / "workspaces"
SAMPLE_PATH = DEFAULT_DIR / "sample.duckdb"


class WorkspaceLockedError(RuntimeError):
    """Another process (usually a running Flywheel app) holds the workspace file."""


def default_path() -> Path:
    """``FLYWHEEL_DB`` if set, else the sample workspace."""
    env = os.environ.get("FLYWHEEL_DB", "").strip()
    return Path(env).expanduser() if env else SAMPLE_PATH


def _memory_limit() -> str:
    # About half the machine's RAM: DuckDB spills to temp_directory beyond it instead of
    # letting the OS kill the app.
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return "4GB"
    return f"{max(1, int(total * 0.55 / 2**30))}GB"


class Workspace:
    """An open workspace file. Thread-safe: every call takes its own cursor."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._write_lock = threading.RLock()
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

    # -- reading -------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self.con.cursor()

    def query(self, name: str, **params: object) -> pd.DataFrame:
        """Run the named query with bound parameters and return its rows as a DataFrame."""
        q = sqlfiles.get(name)
        cur = self.con.cursor()
        try:
            return cur.execute(q.sql, q.bind(params)).df()
        finally:
            cur.close()

    def scalar(self, sql: str, params: list | dict | None = None) -> object:
        """One value from a fixed (never user-built) SQL string; for internal checks."""
        cur = self.con.cursor()
        try:
            row = cur.execute(sql, params or []).fetchone()
            return None if row is None else row[0]
        finally:
            cur.close()

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def transaction(
        self, cur: duckdb.DuckDBPyConnection | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """One serialised write transaction: all of it commits, or none of it.

        ``cur``: run it on this cursor (an import stages its file in temp tables that only
        its own cursor sees); the caller keeps and closes that cursor.
        """
        if self.read_only:
            raise PermissionError(f"workspace {self.path} is open read-only")
        with self._write_lock:
            own = cur is None
            cur = self.con.cursor() if own else cur
            cur.execute("begin transaction")
            try:
                yield cur
            except BaseException:
                cur.execute("rollback")
                if own:
                    cur.close()
                raise
            cur.execute("commit")
            if own:
                cur.close()

    # -- settings ------------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        df = self.query("workspace_settings")
        return dict(zip(df["key"], df["value"], strict=True))

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as cur:
            cur.execute(
                "insert or replace into settings (key, value) values ($key, $value)",
                {"key": key, "value": str(value)},
            )

    @property
    def is_sample(self) -> bool:
        return self.settings().get("is_sample") == "true"

    def close(self) -> None:
        self.con.close()


# Migration 022: the touch facts, each kind of path rebuilt only when touch_fact_work finds its
# inputs changed; last, since a deal's inherited source can be a channel.
TOUCH_FACT_STATEMENTS = (
    "refresh_lead_touch_facts",
    "refresh_deal_touch_facts",
    "stamp_touch_facts",
)
# The refresh, in order: keys first (the links use them), then the facts and what links carry.
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
    *TOUCH_FACT_STATEMENTS,
)


def refresh_lead_facts(cur: duckdb.DuckDBPyConnection) -> None:
    """Set each lead's key and deal facts, each deal's lead key (migrations 011, 013), and what
    linked records hand on — a lead's source to its deals, an account's segment and region to
    its deals and leads (014) — inside the caller's transaction.

    Every writer of raw_leads, raw_deals, accounts or sales_reps (and of the deal source rule)
    calls it before committing: the funnel reads the facts instead of joining deals to leads,
    and every page reads a deal's motion from its (own or inherited) source. Last, the touch
    facts of attribution (migration 022) of the paths whose inputs changed.
    """
    work = cur.execute(sqlfiles.get("link_work").sql).fetchone()
    needed = {
        # no leads, and no deal pointing at one: nothing to point (a first deals import)
        "point_deals_to_lead_keys": work[0],
        "inherit_deal_sources": work[1],
        "inherit_deal_accounts": work[2],
        "inherit_lead_accounts": work[3],
    }
    for name in REFRESH_STATEMENTS:
        if name in TOUCH_FACT_STATEMENTS:
            break
        if needed.get(name, True):
            cur.execute(sqlfiles.get(name).sql)
    refresh_touch_facts(cur)


def refresh_touch_facts(cur: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the touch facts (migration 022) of the paths whose inputs changed since they were
    built — the lead paths when touches or leads changed, the deal paths when touches, leads'
    creation or deals did — inside the caller's transaction; nothing when none did. The last
    part of refresh_lead_facts, and all a writer of touches alone needs."""
    q = sqlfiles.get("touch_fact_work")
    row = cur.execute(q.sql).fetchone()
    work = dict(zip([d[0] for d in cur.description], row, strict=True))
    needed = {
        "refresh_lead_touch_facts": work["lead_paths"],
        "refresh_deal_touch_facts": work["deal_paths"],
        "stamp_touch_facts": work["lead_paths"] or work["deal_paths"],
    }
    for name in TOUCH_FACT_STATEMENTS:
        if needed[name]:
            named = sqlfiles.get(name)
            cur.execute(named.sql, named.bind(work) or None)
