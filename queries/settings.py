"""Writing a workspace setting: the one function every writer calls, which logs who changed it.

``write`` sets (or removes) one setting inside the caller's transaction and, when the value
actually changes, appends a row to ``setting_changes`` (migration 020) with the old and the new
value and who made it (``queries.actor``). Writing the value a setting already holds changes
and logs nothing. A new workspace's starting settings pass ``record=False``: nobody changed
them, the workspace began with them.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from queries import actor, sqlfiles

if TYPE_CHECKING:  # queries.workspace calls `write`: no import cycle at run time
    from queries.workspace import Workspace

# A value longer than this is logged by its digest, not in full (settings are short; this
# keeps a pasted blob out of the log).
MAX_LOGGED = 200
LOGO_KEY = "brand_logo"  # not a setting (table brand_logo): its changes are logged under it
RECENT = 50  # the changes the Data page lists


def _run(cur: duckdb.DuckDBPyConnection, name: str, **params: object) -> duckdb.DuckDBPyConnection:
    q = sqlfiles.get(name)
    return cur.execute(q.sql, q.bind(params))


def logged(value: str | None) -> str | None:
    """What the log keeps of a value: itself, or for a long one its length and digest."""
    if value is None or len(value) <= MAX_LOGGED:
        return value
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]
    return f"sha256:{digest} ({len(value)} characters)"


def current(cur: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """The value of ``key`` as this transaction sees it, None when unset."""
    row = _run(cur, "setting_value", key=key).fetchone()
    return None if row is None else row[0]


def record(
    cur: duckdb.DuckDBPyConnection,
    key: str,
    old: str | None,
    new: str | None,
    *,
    by: str | None = None,
) -> None:
    """Append one change of ``key`` to the log (``write`` calls it; the logo's writer too)."""
    _run(
        cur,
        "setting_change_append",
        key=key,
        old_value=logged(old),
        new_value=logged(new),
        by_user=by or actor.current(),
    )


def write(
    cur: duckdb.DuckDBPyConnection,
    key: str,
    value: object | None,
    *,
    record_change: bool = True,
    by: str | None = None,
) -> bool:
    """Set setting ``key`` to ``value`` (as text; None removes it) in the caller's transaction.
    When the value changes and ``record_change``, log it, by ``by`` (default: who is signed in,
    else "local"). Returns whether the value changed."""
    new = None if value is None else str(value)
    old = current(cur, key)
    if old == new:
        return False
    if new is None:
        _run(cur, "remove_setting", key=key)
    else:
        _run(cur, "set_setting", key=key, value=new)
    if record_change:
        record(cur, key, old, new, by=by)
    return True


def recent_changes(ws: Workspace, limit: int = RECENT) -> pd.DataFrame:
    """The newest ``limit`` setting changes, newest first, each with count_all (the log's
    size)."""
    return ws.query("setting_changes_recent", limit=int(limit))


def recent_undos(ws: Workspace, limit: int = RECENT) -> pd.DataFrame:
    """The newest ``limit`` undone imports (who undid which file, when), newest first, each
    with count_all; listed beside the setting changes, the other log the import history
    cannot show (an undone import leaves it)."""
    return ws.query("import_undos_recent", limit=int(limit))
