"""Forward-only schema migrations, recorded in ``schema_version``.

Each file in ``queries/migrations`` named ``NNN_what.sql`` runs once, in order, each in its own
transaction (``Workspace`` opens them). Never edit a migration that has shipped: add the next
one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_FILE = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def available() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        m = _FILE.match(path.name)
        if m:
            found.append((int(m.group(1)), path))
    return found


def latest_version() -> int:
    return max(v for v, _ in available())


def applied_versions(cur: duckdb.DuckDBPyConnection) -> set[int]:
    exists = cur.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_version' "
        "and table_catalog = current_database()"
    ).fetchone()[0]
    if not exists:
        return set()
    return {int(v) for (v,) in cur.execute("select version from schema_version").fetchall()}


def pending(cur: duckdb.DuckDBPyConnection) -> list[tuple[int, Path]]:
    """Migrations this file has not recorded, in order. Every unrecorded file counts, not only
    those above the highest recorded: numbers are reserved ahead of time, so a file can land
    after a higher-numbered one was applied (a gap must not hide it forever)."""
    have = applied_versions(cur)
    return [(v, p) for v, p in available() if v not in have]


# How a backend that stores less than a DuckDB file runs a migration's SQL on a cursor
# (DuckLake: queries/lake.py, run_sql); None runs the SQL as written.
Run = Callable[[duckdb.DuckDBPyConnection, str], None] | None

SCHEMA_VERSION_DDL = (
    "create table if not exists schema_version "
    "(version integer primary key, name varchar not null, applied_at timestamp not null)"
)


def prepare(cur: duckdb.DuckDBPyConnection, run: Run = None) -> None:
    """Create the table that records the applied migrations, if the file has none yet."""
    if run is None:
        cur.execute(SCHEMA_VERSION_DDL)
    else:
        run(cur, SCHEMA_VERSION_DDL)


def apply(cur: duckdb.DuckDBPyConnection, version: int, path: Path, run: Run = None) -> None:
    """Run one migration file and record it, in the caller's transaction. One transaction per
    migration: DuckDB refuses to commit a transaction that alters a table, updates it, then
    alters it again (011 and 013 both add columns to raw_leads and fill them)."""
    sql = path.read_text(encoding="utf-8")
    if run is None:
        cur.execute(sql)
    else:
        run(cur, sql)
    cur.execute(
        "insert into schema_version values ($v, $n, current_timestamp::timestamp)",
        {"v": version, "n": path.stem},
    )


def check_current(cur: duckdb.DuckDBPyConnection) -> None:
    """A read-only opener cannot migrate: refuse a file that is behind, with a clear message."""
    missing = [v for v, _ in pending(cur)]
    if missing:
        raise RuntimeError(
            f"This workspace lacks schema version(s) {', '.join(map(str, missing))} of this "
            "Flywheel. Open it once read-write (e.g. in the app) to upgrade it."
        )
