"""Forward-only schema migrations, recorded in ``schema_version``.

Each file in ``queries/migrations`` named ``NNN_what.sql`` runs once, in order, inside the
caller's transaction. Never edit a migration that has shipped: add the next one.
"""

from __future__ import annotations

import re
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


def current_version(cur: duckdb.DuckDBPyConnection) -> int:
    exists = cur.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = cur.execute("select max(version) from schema_version").fetchone()
    return int(row[0] or 0)


def migrate(cur: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration newer than the file's version; returns the versions applied."""
    cur.execute(
        "create table if not exists schema_version "
        "(version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    have = current_version(cur)
    applied = []
    for version, path in available():
        if version <= have:
            continue
        cur.execute(path.read_text(encoding="utf-8"))
        cur.execute(
            "insert into schema_version values ($v, $n, current_timestamp::timestamp)",
            {"v": version, "n": path.stem},
        )
        applied.append(version)
    return applied


def check_current(cur: duckdb.DuckDBPyConnection) -> None:
    """A read-only opener cannot migrate: refuse a file that is behind, with a clear message."""
    have = current_version(cur)
    if have < latest_version():
        raise RuntimeError(
            f"This workspace is at schema version {have}; this Flywheel needs "
            f"{latest_version()}. Open it once read-write (e.g. in the app) to upgrade it."
        )
