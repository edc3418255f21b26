"""Reading a workspace that a running app holds: from a copy of its file.

DuckDB lets one process hold a file read-write, and then no other process may open it, not
even read-only. Commands that only read (``metrics``, ``export``, ``import --dry-run``) copy
the file and its write-ahead log and read the copy. The app may write while the copy is made:
a copy taken while a checkpoint rewrote the file, or that does not open, is taken again.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from queries.workspace import Workspace, WorkspaceLockedError, target

TRIES = 6


@dataclass(frozen=True)
class Reading:
    ws: Workspace
    snapshot_at: datetime | None  # None: the file itself, not a copy
    source: Path

    def note(self) -> str | None:
        """One line for stderr when the command read a copy."""
        if self.snapshot_at is None:
            return None
        return (
            f"the workspace {self.source} is open in a running Flywheel dashboard: read a "
            f"snapshot as of {self.snapshot_at:%H:%M}; changes made after it are not included."
        )


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _copy(path: Path, folder: Path) -> tuple[Path, bool]:
    """Copy the file and its log into ``folder``; whether the copy is whole.

    Only a checkpoint rewrites the file (and then truncates the log): the file must not change
    during the copy. Between checkpoints the log only grows; a transaction half-written at its
    end is left out when the copy opens, as after a crash.
    """
    file_before, log_before = _stamp(path), _stamp(_wal(path))
    target = folder / path.name
    shutil.copyfile(path, target)
    try:
        shutil.copyfile(_wal(path), _wal(target))
    except FileNotFoundError:  # no log, or a checkpoint folded it in during the copy
        _wal(target).unlink(missing_ok=True)
    file_after, log_after = _stamp(path), _stamp(_wal(path))
    log_grew = log_before is None or (log_after is not None and log_after[0] >= log_before[0])
    return target, file_before == file_after and log_grew


def _open_copy(path: Path, folder: Path) -> Workspace | None:
    target, steady = _copy(path, folder)
    if not steady:
        return None
    try:
        ws = Workspace(target, read_only=True)
    except (duckdb.Error, RuntimeError):  # a torn copy: a log DuckDB cannot replay, ...
        return None
    try:
        ws.scalar("select count(*) from imports")  # the copy reads
    except duckdb.Error:
        ws.close()
        return None
    return ws


@contextmanager
def reading(path: Path, *, tries: int = TRIES) -> Iterator[Reading]:
    """The workspace at ``path`` opened read-only; a snapshot copy when another process holds
    it. Raises RuntimeError when no whole copy could be taken in ``tries`` attempts."""
    path = target(path)  # a DuckLake target is never held: it opens directly
    try:
        ws = Workspace(path, read_only=True)
    except WorkspaceLockedError:
        pass
    else:
        try:
            yield Reading(ws, None, path)
        finally:
            ws.close()
        return
    folder = Path(tempfile.mkdtemp(prefix="flywheel-snapshot-"))
    try:
        ws = None
        for attempt in range(tries):
            at = datetime.now()
            ws = _open_copy(path, folder)
            if ws is not None:
                break
            for leftover in folder.iterdir():
                leftover.unlink()
            time.sleep(0.1 * (attempt + 1))
        if ws is None:
            raise RuntimeError(
                f"the workspace {path} is open in a running Flywheel dashboard that kept "
                f"writing while it was copied ({tries} attempts); run the command again."
            )
        try:
            yield Reading(ws, at, path)
        finally:
            ws.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
