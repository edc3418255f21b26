"""How long a workspace keeps the undo of its imports, and compaction.

An import keeps, for its undo, the rows it replaced (replaced_<kind>), and keeps its rejected
rows and the lead sources it added. Kept forever, they outgrow the data: 15 imports of a
300,000-row file left 2.7 M replaced rows and 1.2 M rejects beside 603,000 live deals. The
retention setting keeps undo for the newest ``undo_keep_imports`` imports and at most
``undo_keep_days`` days (whichever limit comes first; an empty setting switches that limit
off). Compaction drops what expired, marks those imports (they stay in the history, their undo
is refused) and reclaims the space: DuckDB never shrinks a file on delete, so ``compact``
copies the workspace into a fresh file (``COPY FROM DATABASE``) and renames it over the old one.

Defaults, 20 imports and 90 days: a wrong import is noticed at the next review — days, a
quarter-end at the latest — and 20 imports cover five weekly refreshes of all four main kinds.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from queries import lake as lakes
from queries import settings as settings_q
from queries import sqlfiles
from queries.data_admin import FieldError
from queries.lake import LakeTarget
from queries.workspace import Workspace

KEEP_IMPORTS = "undo_keep_imports"
KEEP_DAYS = "undo_keep_days"
DEFAULT_IMPORTS = 20
DEFAULT_DAYS = 90
MIN_LIMIT = 1  # a limit keeps at least one import / day of undo; empty means no limit
MAX_IMPORTS = 10_000
MAX_DAYS = 3_650

# Tables whose rows belong to an import's undo or rejects, in the order the page lists them.
HELD_TABLES = (
    "replaced_leads",
    "replaced_deals",
    "replaced_campaigns",
    "replaced_spend",
    "replaced_accounts",
    "replaced_reps",
    "replaced_products",
    "replaced_touches",
    "import_rejects",
    "import_sources",
)
_DROP = {
    "replaced_leads": "drop_replaced_leads",
    "replaced_deals": "drop_replaced_deals",
    "replaced_campaigns": "drop_replaced_campaigns",
    "replaced_spend": "drop_replaced_spend",
    "replaced_accounts": "drop_replaced_accounts",
    "replaced_reps": "drop_replaced_reps",
    "replaced_products": "drop_replaced_products",
    "replaced_touches": "drop_replaced_touches",
    "import_rejects": "drop_import_rejects",
    "import_sources": "drop_import_sources",
}


@dataclasses.dataclass(frozen=True)
class Retention:
    """Undo is kept for the newest ``imports`` imports and ``days`` days (None: no limit)."""

    imports: int | None = DEFAULT_IMPORTS
    days: int | None = DEFAULT_DAYS


@dataclasses.dataclass(frozen=True)
class Freed:
    """What compaction would free (or freed): the imports whose undo expires, the rows of each
    table it drops and an estimate of the bytes the file loses."""

    imports: tuple[str, ...]
    rows: Mapping[str, int]
    bytes: int
    file_bytes: int  # the workspace on disk now (file and write-ahead log)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclasses.dataclass(frozen=True)
class Compaction:
    before: int  # bytes on disk before (file and write-ahead log; a lake's files)
    after: int
    freed: Freed
    lake: lakes.Maintenance | None = None  # what DuckLake's maintenance did, on a lake


# -- the setting -------------------------------------------------------------------------------
def _limit(text: object, default: int | None, top: int) -> int | None:
    """A stored limit: '' is no limit; missing or unreadable falls back to the default."""
    if text is None:
        return default
    s = str(text).strip()
    if s == "":
        return None
    try:
        n = int(s)
    except ValueError:
        return default
    return n if 1 <= n <= top else default


def policy(settings: Mapping[str, str]) -> Retention:
    """The retention the workspace's settings say (defaults where unset)."""
    return Retention(
        imports=_limit(settings.get(KEEP_IMPORTS), DEFAULT_IMPORTS, MAX_IMPORTS),
        days=_limit(settings.get(KEEP_DAYS), DEFAULT_DAYS, MAX_DAYS),
    )


def validate(values: Mapping[str, object]) -> tuple[dict[str, str], list[FieldError]]:
    """Check the retention form (``imports``, ``days``: a whole number, or empty for no
    limit) and turn it into the stored text values."""
    out: dict[str, str] = {}
    errors: list[FieldError] = []
    for field, key, top in (("imports", KEEP_IMPORTS, MAX_IMPORTS), ("days", KEEP_DAYS, MAX_DAYS)):
        raw = values.get(field)
        text = "" if raw is None else str(raw).strip()
        if text == "":
            out[key] = ""
            continue
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if number.is_integer() and MIN_LIMIT <= number <= top:
            out[key] = str(int(number))
        else:
            errors.append(FieldError(key, f"retention_{field}_invalid", text))
    return out, errors


def save(ws: Workspace, values: Mapping[str, object]) -> list[FieldError]:
    """Validate and store the retention setting in one transaction; nothing when invalid."""
    stored, errors = validate(values)
    if errors:
        return errors
    with ws.transaction() as cur:
        for key, value in stored.items():
            settings_q.write(cur, key, value)
    return []


# -- what expires --------------------------------------------------------------------------------
def _run(cur: duckdb.DuckDBPyConnection, name: str, **params: object) -> duckdb.DuckDBPyConnection:
    q = sqlfiles.get(name)
    return cur.execute(q.sql, q.bind(params))


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def expiring(cur: duckdb.DuckDBPyConnection, keep: Retention, now: datetime) -> tuple[str, ...]:
    """The imports whose undo is still kept but has expired under ``keep`` at ``now``."""
    rows = _run(
        cur, "undo_expiring", keep_imports=keep.imports, keep_days=keep.days, now=now
    ).fetchall()
    return tuple(str(r[0]) for r in rows)


def disk_bytes(path: Path | LakeTarget) -> int:
    """The workspace on disk: its file and its write-ahead log; for a lake, its data files (a
    short read-only opening: :func:`lake_bytes` with the workspace at hand is cheaper)."""
    if isinstance(path, LakeTarget):
        ws = Workspace(path, read_only=True)
        try:
            return workspace_bytes(ws)
        finally:
            ws.close()
    return (path.stat().st_size if path.exists() else 0) + _wal_bytes(path)


def lake_table_bytes(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Each table's Parquet data and delete files in the lake's current snapshot, in bytes
    (DuckLake's own metadata, one catalog query). Rows of small writes that DuckLake keeps in
    its catalog until a checkpoint (inlined rows) take no file yet and count nothing here."""
    return {str(t): int(n) for t, n in _run(cur, "lake_table_bytes").fetchall()}


def workspace_bytes(ws: Workspace) -> int:
    """What the workspace takes: the file and its log, or the lake's data files."""
    if ws.lake is None:
        return disk_bytes(ws.path)
    cur = ws.cursor()
    try:
        return sum(lake_table_bytes(cur).values())
    finally:
        cur.close()


def _wal_bytes(path: Path) -> int:
    wal = path.with_name(path.name + ".wal")
    return wal.stat().st_size if wal.exists() else 0


def estimate(
    dropped: Mapping[str, int],
    table_rows: Mapping[str, int],
    table_bytes: Mapping[str, int],
    used_bytes: int,
    file_bytes: int,
    imports: tuple[str, ...] = (),
    wal_bytes: int = 0,
) -> Freed:
    """What compaction frees: the dropped rows, and the size on disk less what a fresh copy
    would take (the used blocks and the log not yet written into them, less each table's share
    of its blocks that the dropped rows fill). Pure: the caller reads the counts and sizes."""
    dropped_bytes = 0.0
    for table, n in dropped.items():
        total = table_rows.get(table, 0)
        if n and total:
            dropped_bytes += table_bytes.get(table, 0) * min(n, total) / total
    after = max(used_bytes + wal_bytes - dropped_bytes, 0.0)
    return Freed(
        imports=tuple(imports),
        rows={t: int(n) for t, n in dropped.items()},
        bytes=int(max(file_bytes - after, 0)),
        file_bytes=int(file_bytes),
    )


def _held(cur: duckdb.DuckDBPyConnection, ids: tuple[str, ...]) -> dict[str, int]:
    rows = _run(cur, "undo_rows_held", ids=list(ids)).fetchall()
    return {str(t): int(n) for t, n in rows}


def would_free(
    ws: Workspace, *, keep: Retention | None = None, now: datetime | None = None
) -> Freed:
    """What ``compact`` would free now: rows per table and an estimate of the bytes."""
    keep = keep or policy(ws.settings())
    cur = ws.cursor()
    try:
        ids = expiring(cur, keep, now or _now())
        dropped = _held(cur, ids)
        totals = {str(t): int(n) for t, n in _run(cur, "undo_rows_total").fetchall()}
        if ws.lake is not None:
            # no blocks on a lake: each table's files, and no unused space to win back
            sizes = lake_table_bytes(cur)
            on_disk = sum(sizes.values())
            return estimate(dropped, totals, sizes, on_disk, on_disk, imports=ids)
        blocks = {t: int(_run(cur, "table_blocks", table_name=t).fetchone()[0]) for t in totals}
        block_size, _total, used, _free = _run(cur, "database_blocks").fetchone()
    finally:
        cur.close()
    return estimate(
        dropped,
        totals,
        {t: b * int(block_size) for t, b in blocks.items()},
        used_bytes=int(used) * int(block_size),
        file_bytes=disk_bytes(ws.path),
        imports=ids,
        wal_bytes=_wal_bytes(ws.path),
    )


def expire(ws: Workspace, *, keep: Retention | None = None, now: datetime | None = None) -> Freed:
    """Drop the undo data and rejects of the imports whose undo expired, and mark those imports,
    in one transaction. Returns the rows dropped (bytes: not reclaimed yet, 0)."""
    keep = keep or policy(ws.settings())
    at = now or _now()
    with ws.transaction() as cur:
        ids = expiring(cur, keep, at)
        dropped = _held(cur, ids) if ids else {t: 0 for t in HELD_TABLES}
        if ids:
            for table in HELD_TABLES:
                if dropped.get(table):
                    _run(cur, _DROP[table], ids=list(ids))
            _run(cur, "mark_undo_expired", ids=list(ids), now=at)
    return Freed(imports=ids, rows=dropped, bytes=0, file_bytes=workspace_bytes(ws))


def expired(ws: Workspace) -> dict[str, datetime]:
    """import_id -> when its undo expired, for the imports whose undo compaction dropped (the
    import history marks them and offers no undo)."""
    df = ws.query("expired_imports")
    return {
        str(i): at.to_pydatetime()
        for i, at in zip(df["import_id"], df["undo_expired_at"], strict=True)
    }


def checkpoint(ws: Workspace) -> None:
    """Write the log into the file so that the blocks deleted rows held are free for reuse
    (the file keeps its size; ``compact`` shrinks it)."""
    with ws._write_lock:  # no transaction of ours may be open during a checkpoint
        cur = ws.cursor()
        try:
            cur.execute("force checkpoint")
        finally:
            cur.close()


def compact_in_place(ws: Workspace, *, now: datetime | None = None) -> Freed:
    """What the running app can do: expire, then checkpoint (the space is reused by later
    imports; the file shrinks only with ``compact`` while the app is stopped). On a lake, the
    whole of :func:`compact_lake`: other servers keep running while it works."""
    if ws.lake is not None:
        return compact_lake(ws, now=now).freed
    freed = expire(ws, now=now)
    checkpoint(ws)
    return freed


def snapshot_cutoff(keep: Retention, now: datetime | None = None) -> str | None:
    """The UTC time before which a lake's snapshots expire: the retention setting's days (no
    day limit: every snapshot is kept). ``now`` is local time, like the import history's."""
    if keep.days is None:
        return None
    at = (now or _now()).astimezone(UTC) - timedelta(days=keep.days)
    return at.isoformat(sep=" ")  # with its +00:00: read the same in any session time zone


def compact_lake(
    ws: Workspace,
    *,
    now: datetime | None = None,
    grace_seconds: int | None = None,
) -> Compaction:
    """A lake: expire the undo the retention setting says (as on a file), then DuckLake's
    maintenance (:func:`queries.lake.maintain`): snapshots older than the setting's days
    expired, small files merged, files DuckLake no longer needs deleted after ``grace_seconds``
    (default: lake.CLEANUP_GRACE_SECONDS).
    ``before``/``after``: the bytes of the files under the lake's data path."""
    keep = policy(ws.settings())
    freed = expire(ws, keep=keep, now=now)
    grace = lakes.CLEANUP_GRACE_SECONDS if grace_seconds is None else grace_seconds
    with ws._write_lock:  # maintenance commits its own transactions: none of ours may be open
        cur = ws.cursor()
        try:
            done = lakes.maintain(
                cur,
                snapshots_before=snapshot_cutoff(keep, now),
                grace_seconds=grace,
                metadata_schema=ws.lake.metadata_schema,
            )
        finally:
            cur.close()
    return Compaction(before=done.bytes_before, after=done.bytes_after, freed=freed, lake=done)


def compact(path: Path | LakeTarget, *, now: datetime | None = None) -> Compaction:
    """Expire what the retention setting says, then rewrite the workspace into a fresh file and
    rename it over the old one (atomic: a crash leaves the old file or the new one). A lake:
    :func:`compact_lake` (nothing to rename; other servers may keep it open).

    Raises WorkspaceLockedError when another process holds the file."""
    if isinstance(path, LakeTarget):
        ws = Workspace(path)
        try:
            return compact_lake(ws, now=now)
        finally:
            ws.close()
    path = Path(path)
    before = disk_bytes(path)
    fresh = path.with_name(f".{path.name}.compact")
    for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
        leftover.unlink(missing_ok=True)  # a compaction killed half-way
    ws = Workspace(path)
    try:
        freed = expire(ws, now=now)
        checkpoint(ws)
        cur = ws.cursor()
        try:
            name = cur.execute("select current_database()").fetchone()[0]
            # ATTACH takes no bound parameter: the path is ours (the workspace's own folder),
            # quoted as a SQL string literal.
            target = str(fresh).replace("'", "''")
            cur.execute(f"attach '{target}' as flywheel_compacted")
            source = '"' + str(name).replace('"', '""') + '"'
            cur.execute(f"copy from database {source} to flywheel_compacted")
            cur.execute("detach flywheel_compacted")
        finally:
            cur.close()
    except BaseException:
        ws.close()
        fresh.unlink(missing_ok=True)
        raise
    ws.close()
    if path.with_name(path.name + ".wal").exists() or fresh.with_name(fresh.name + ".wal").exists():
        fresh.unlink(missing_ok=True)
        raise RuntimeError(f"compaction of {path} stopped: its write-ahead log was not folded in")
    with open(fresh, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(fresh, path)
    _fsync_dir(path.parent)
    return Compaction(before=before, after=disk_bytes(path), freed=freed)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
