"""What the workspace keeps of its imports: one row per import (``imports``), and the mapping a
team confirmed per CRM and kind (``import_mappings``), laid over the next suggestion."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping

import duckdb

from queries import actor, sqlfiles
from queries.workspace import Workspace


@dataclasses.dataclass(frozen=True)
class ImportRecord:
    """One row of ``imports``."""

    import_id: str
    file_name: str
    sha256: str
    kind: str
    preset: str
    mode: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    footer_lines: int
    rows_replaced: int
    encoding: str | None
    file_format: str | None
    warnings: str | None = None  # JSON (currency.warnings_json), migration 021


def record(cur: duckdb.DuckDBPyConnection, rec: ImportRecord) -> None:
    cur.execute(
        "insert into imports (import_id, file_name, sha256, kind, preset, mode, "
        "rows_read, rows_loaded, rows_rejected, imported_at, footer_lines, "
        "rows_replaced, encoding, file_format, by_user, warnings) values ($id, $file, $sha, "
        "$kind, $preset, $mode, $read, $loaded, $rejected, current_timestamp::timestamp, "
        "$footer, $replaced, $enc, $fmt, $by, $warnings)",
        {
            "id": rec.import_id,
            "file": rec.file_name,
            "sha": rec.sha256,
            "kind": rec.kind,
            "preset": rec.preset,
            "mode": rec.mode,
            "read": rec.rows_read,
            "loaded": rec.rows_loaded,
            "rejected": rec.rows_rejected,
            "footer": rec.footer_lines,
            "replaced": rec.rows_replaced,
            "enc": rec.encoding,
            "fmt": rec.file_format,
            "by": actor.current(),
            "warnings": rec.warnings,
        },
    )


def remember(
    cur: duckdb.DuckDBPyConnection, preset: str, kind: str, memory: Mapping[str, object]
) -> None:
    """Keep how this CRM's files of ``kind`` were read (mapping, stage outcomes, formats)."""
    cur.execute(
        "merge into import_mappings as m using (select $preset as preset, $kind as kind, "
        "$json as mapping_json, current_timestamp::timestamp as updated_at) as new "
        "on m.preset = new.preset and m.kind = new.kind "
        "when matched then update set mapping_json = new.mapping_json, updated_at = new.updated_at "
        "when not matched then insert (preset, kind, mapping_json, updated_at) "
        "values (new.preset, new.kind, new.mapping_json, new.updated_at)",
        {"preset": preset, "kind": kind, "json": json.dumps(memory, ensure_ascii=False)},
    )


def remembered(ws: Workspace, preset: str, kind: str) -> dict | None:
    """What ``remember`` kept for this CRM and kind, if anything."""
    cur = ws.cursor()
    try:
        row = cur.execute(
            "select mapping_json from import_mappings where preset = $p and kind = $k",
            {"p": preset, "k": kind},
        ).fetchone()
    finally:
        cur.close()
    return json.loads(row[0]) if row else None


def earlier_import(ws: Workspace, sha256: str, kind: str) -> dict | None:
    """The latest import of the same file (same sha256) as the same kind, if any."""
    cur = ws.cursor()
    try:
        row = cur.execute(
            "select import_id, imported_at, file_name from imports "
            "where sha256 = $s and kind = $k order by imported_at desc limit 1",
            {"s": sha256, "k": kind},
        ).fetchone()
    finally:
        cur.close()
    if not row:
        return None
    return {"import_id": row[0], "imported_at": row[1], "file_name": row[2]}


class UndoExpired(Exception):
    """The import's undo history was dropped by compaction (the retention setting)."""

    def __init__(self, import_id: str, expired_at: object) -> None:
        self.import_id, self.expired_at = import_id, expired_at
        super().__init__(
            f"Import {import_id} can no longer be undone: its undo history expired on "
            f"{str(expired_at)[:10]} under the workspace's retention setting and was compacted "
            "away; its rows stay."
        )


def undo_expired_at(cur: duckdb.DuckDBPyConnection, import_id: str) -> object | None:
    """When compaction dropped the undo of ``import_id`` (migration 017), if it did."""
    q = sqlfiles.get("undo_expired_at")
    row = cur.execute(q.sql, q.bind({"import_id": import_id})).fetchone()
    return row[0] if row else None
