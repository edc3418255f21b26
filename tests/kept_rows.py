"""The check every test of kept rows makes: a kept table holds exactly what its macro computes
from the records now (migrations 024-037)."""

from __future__ import annotations

from collections.abc import Mapping

from queries.workspace import Workspace


def assert_kept_as_now(ws: Workspace, kept: Mapping[str, str]) -> None:
    """Each table of ``kept`` (name -> the macro call that defines its rows) holds exactly the
    rows the macro gives now, duplicates counted."""
    cur = ws.cursor()
    try:
        for table, now in kept.items():
            extra = cur.execute(f"select * from {table} except all select * from {now}").fetchall()
            lost = cur.execute(f"select * from {now} except all select * from {table}").fetchall()
            assert (extra, lost) == ([], []), table
    finally:
        cur.close()
