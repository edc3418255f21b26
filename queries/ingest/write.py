"""Writing an import: the checked rows, its rejects, the sources it brought and its record, in
one transaction; and undo, which removes exactly the rows an import loaded and restores the rows
it replaced (kept in replaced_<kind>).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping

import duckdb

from queries import actor, lake
from queries.ingest import history
from queries.ingest.compile import checked_column, ident, used
from queries.ingest.fields import KINDS
from queries.ingest.targets import COLUMNS, KEYS, LEAD_FACT_TABLES, TABLES, columns_not_fed
from queries.workspace import (
    Changed,
    Workspace,
    note_import,
    refresh_lead_facts,
    refresh_touch_facts,
)


@dataclasses.dataclass(frozen=True)
class Batch:
    """What one commit writes, as the plan decided it."""

    record: history.ImportRecord  # its rows_replaced is counted while writing
    mapping: Mapping[str, str]  # field -> header: which stored columns the file feeds
    all_ok: bool  # no checked row has a problem: the rows go to the table unfiltered
    source_motions: Mapping[str, str | None]  # source -> pull | push (None: not said)
    chosen_sources: Collection[str]  # sources whose motion the user chose (overrides the saved)
    memory: Mapping[str, object]  # how the file was read, remembered for its CRM and kind


def commit(
    ws: Workspace,
    cur: duckdb.DuckDBPyConnection,
    batch: Batch,
    step: Callable[[float, str], None],
) -> int:
    """Write ``batch`` from the checked and rejects tables of ``cur``; the rows replaced. On a
    lake, a commit refused because another server wrote meanwhile runs again on what that one
    left (ids it added then refuse this import: lake.check_ids)."""
    return lake.retrying(lambda: _commit(ws, cur, batch, step))


def _commit(
    ws: Workspace,
    cur: duckdb.DuckDBPyConnection,
    batch: Batch,
    step: Callable[[float, str], None],
) -> int:
    rec = batch.record
    kind, mode = rec.kind, rec.mode
    # on a lake, check_ids below keeps this import's ids unique (upserts of the keyed tables it
    # also writes are MERGEs): the whole-contract check would cost a second per import
    with ws.transaction(cur, check_keys=False) as cur:
        replaced = _set_aside(cur, rec.import_id, kind, mode)
        step(0.5, "write")
        _insert(cur, batch)
        if ws.lake is not None and KEYS[kind]:  # no key constraint there: check this import's
            lake.check_ids(cur, TABLES[kind], KEYS[kind], rec.import_id)
        # the attribution paths of just the leads and deals it wrote (migration 023)
        changed = note_import(cur, TABLES[kind], rec.import_id)
        _refresh(cur, TABLES[kind], changed)
        step(0.8, "write")
        cur.execute(
            "insert into import_rejects "
            "(import_id, row_number, reason, raw, column_name, code, value) "
            "select $id, _row, reason, raw, header, code, value from rejects",
            {"id": rec.import_id},
        )
        _add_sources(cur, rec.import_id, batch.source_motions, batch.chosen_sources)
        history.record(cur, dataclasses.replace(rec, rows_replaced=int(replaced)))
        history.remember(cur, rec.preset, kind, batch.memory)
    return int(replaced)


def _set_aside(cur: duckdb.DuckDBPyConnection, import_id: str, kind: str, mode: str) -> int:
    """Move the rows this import replaces to replaced_<kind> (for undo): replace, every row of
    earlier imports of the kind; upsert, the stored records the file gives again."""
    table, key = TABLES[kind], KEYS[kind]
    if mode == "replace":
        which = "import_id in (select import_id from imports where kind = $kind)"
    elif mode == "upsert" and key:
        which = f"{ident(key)} in (select {ident(key)} from checked where len(_problems) = 0)"
    else:
        return 0
    params = {"id": import_id, "kind": kind}
    keep = f"insert into replaced_{kind} by name select *, $id as replaced_by from {table} "
    cur.execute(f"{keep} where {which}", used(f"{keep} where {which}", params))
    replaced = cur.execute(
        f"select count(*) from replaced_{kind} where replaced_by = $id", {"id": import_id}
    ).fetchone()[0]
    delete = f"delete from {table} where {which}"
    cur.execute(delete, used(delete, params))
    return int(replaced)


def _insert(cur: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    rec = batch.record
    kind, table, key = rec.kind, TABLES[rec.kind], KEYS[rec.kind]
    cols = ", ".join(COLUMNS[kind])
    not_fed = columns_not_fed(kind, batch.mapping)
    if rec.mode == "upsert" and key:
        # Update what the file says, keep what it does not: a column no mapped field feeds
        # keeps the record's earlier value (Salesforce's Product2 gives names and families, its
        # PricebookEntry the prices of the same products).
        select = ", ".join(
            f"old.{ident(col)}" if col in not_fed else checked_column(col, not_fed, "c.")
            for col in COLUMNS[kind]
        )
        cur.execute(
            f"insert into {table} ({cols}, import_id) "
            f"select {select}, $id from checked as c "
            f"left join replaced_{kind} as old on old.{key} = c.{key} "
            "and old.replaced_by = $id where len(c._problems) = 0",
            {"id": rec.import_id},
        )
        return
    # Without a row to leave out, no filter: the rows go to the table as stored.
    ok = "" if batch.all_ok else " where len(_problems) = 0"
    select = ", ".join(checked_column(col, not_fed) for col in COLUMNS[kind])
    cur.execute(
        f"insert into {table} ({cols}, import_id) select {select}, $id from checked{ok}",
        {"id": rec.import_id},
    )


def _add_sources(
    cur: duckdb.DuckDBPyConnection,
    import_id: str,
    source_motions: Mapping[str, str | None],
    chosen: Collection[str],
) -> None:
    """Sources new to the workspace join source_motion with the motion said for them (and are
    remembered as this import's, for undo); a known source changes its motion only when the
    user chose one."""
    for source, motion in source_motions.items():
        if motion not in ("pull", "push"):
            continue
        row = {"s": source, "m": motion}
        exists = cur.execute(
            "select count(*) from source_motion where source = $s", {"s": source}
        ).fetchone()[0]
        if not exists:
            cur.execute("insert into source_motion values ($s, $m)", row)
            cur.execute(
                "insert into import_sources values ($id, $s)", {"id": import_id, "s": source}
            )
        elif source in chosen:
            cur.execute("update source_motion set motion = $m where source = $s", row)


class UndoRefused(Exception):
    """Undo would not restore the workspace exactly (a later import displaced rows)."""

    def __init__(self, import_id: str, later: str) -> None:
        self.import_id, self.later = import_id, later
        super().__init__(
            f"Import {import_id} cannot be undone before import {later}, which replaced or "
            f"updated some of its rows: undo {later} first."
        )


def _refresh(cur: duckdb.DuckDBPyConnection, table: str, changed: Changed) -> None:
    """What a write of ``table`` (an import or its undo) must refresh before it commits: the
    lead facts and all that follows them for the tables they read, else the touch facts alone
    for touches (migration 023: of the paths ``changed`` notes)."""
    if table in LEAD_FACT_TABLES:
        refresh_lead_facts(cur, changed)
    elif table == "touches":
        refresh_touch_facts(cur, changed)


def undo(ws: Workspace, import_id: str) -> dict[str, int]:
    """Remove exactly the rows ``import_id`` loaded and restore the rows it replaced (on a lake,
    run again when another server's write refused the commit)."""
    return lake.retrying(lambda: _undo(ws, import_id))


def _undo(ws: Workspace, import_id: str) -> dict[str, int]:
    # restores only rows it set aside itself (the write token keeps others out meanwhile)
    with ws.transaction(check_keys=False) as cur:
        row = cur.execute(
            "select kind from imports where import_id = $id", {"id": import_id}
        ).fetchone()
        if row is None:
            raise KeyError(import_id)
        kind = row[0]
        if kind not in KINDS:
            raise ValueError(kind)
        expired = history.undo_expired_at(cur, import_id)
        if expired is not None:
            raise history.UndoExpired(import_id, expired)
        table = TABLES[kind]
        later = cur.execute(
            f"select replaced_by from replaced_{kind} where import_id = $id limit 1",
            {"id": import_id},
        ).fetchone()
        if later:
            raise UndoRefused(import_id, later[0])
        # before they go: the leads and deals whose attribution paths change (migration 023)
        changed = note_import(cur, table, import_id)
        removed = cur.execute(
            f"select count(*) from {table} where import_id = $id", {"id": import_id}
        ).fetchone()[0]
        cur.execute(f"delete from {table} where import_id = $id", {"id": import_id})
        restored = cur.execute(
            f"select count(*) from replaced_{kind} where replaced_by = $id", {"id": import_id}
        ).fetchone()[0]
        cur.execute(
            f"insert into {table} by name select * exclude (replaced_by) from replaced_{kind} "
            "where replaced_by = $id",
            {"id": import_id},
        )
        cur.execute(f"delete from replaced_{kind} where replaced_by = $id", {"id": import_id})
        _refresh(cur, table, changed)
        cur.execute(
            "delete from source_motion where source in "
            "(select source from import_sources where import_id = $id) "
            "and source not in (select source from raw_leads where source is not null "
            "union select source from raw_deals where source is not null)",
            {"id": import_id},
        )
        cur.execute("delete from import_sources where import_id = $id", {"id": import_id})
        cur.execute("delete from import_rejects where import_id = $id", {"id": import_id})
        cur.execute(
            "insert into import_undos select import_id, file_name, kind, rows_loaded, "
            "current_timestamp::timestamp, $by from imports where import_id = $id",
            {"id": import_id, "by": actor.current()},
        )
        cur.execute("delete from imports where import_id = $id", {"id": import_id})
    return {"removed": int(removed), "restored": int(restored)}
