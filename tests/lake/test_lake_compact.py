"""`flywheel compact` and the Data page's Compact on a lake (issue 19, item 5): the retention
step as on a file, then DuckLake's maintenance; what it freed is the bytes under the data path."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import flywheel_cli
from queries import lake, retention
from queries.lake import LakeTarget
from queries.workspace import Workspace


def _on_disk(folder: str) -> tuple[int, int]:
    """(files, bytes) of the Parquet files under a local data path, counted by the OS."""
    found = [os.path.join(d, f) for d, _, names in os.walk(folder) for f in names]
    found = [f for f in found if f.endswith(".parquet")]
    return len(found), sum(os.path.getsize(f) for f in found)


def _rows(ws: Workspace, sql: str) -> list[tuple]:
    cur = ws.cursor()
    try:
        return cur.execute(sql).fetchall()
    finally:
        cur.close()


def test_compact_on_a_lake_merges_small_files_expires_snapshots_and_deletes_files(
    new_lake: Callable[[], LakeTarget], capsys, monkeypatch
):
    where = new_lake()
    ws = Workspace(where)
    try:
        cur = ws.cursor()
        try:  # what the migrations left inlined in the catalog, into files first
            for table in lake._inlined_tables(cur, where.metadata_schema):
                flush = f"call ducklake_flush_inlined_data('{lake.ALIAS}', table_name => $t)"
                cur.execute(flush, {"t": table})
        finally:
            cur.close()
        # three writes of 100 rows each (a small file each: more rows than DuckLake inlines in
        # its catalog), then the first write's rows deleted (its file: needed by old snapshots
        # only)
        for n in range(3):
            with ws.transaction(check_keys=False) as cur:
                cur.execute(
                    "insert into setting_changes select range, 'k', null, 'v', "
                    "current_timestamp::timestamp, 'test' from range($a, $a + 100)",
                    {"a": 1_000_000 + 100 * n},
                )
        with ws.transaction(check_keys=False) as cur:
            cur.execute("delete from setting_changes where change_id < 1000100")
        settings, log = ws.settings(), _rows(ws, "select * from setting_changes order by all")
        snapshots = _rows(ws, f"select count(*) from ducklake_snapshots('{lake.ALIAS}')")[0][0]
    finally:
        ws.close()
    files, size = _on_disk(where.data_path)
    assert files >= 3 and snapshots >= 5
    # a month past the retention's 90 days (every snapshot but the newest is older), and no
    # grace before deleting what no snapshot needs
    later = datetime.now() + timedelta(days=retention.DEFAULT_DAYS + 30)
    monkeypatch.setattr(retention, "_now", lambda: later)
    monkeypatch.setattr(lake, "CLEANUP_GRACE_SECONDS", 0)
    assert flywheel_cli.main(["compact", "--db", str(where)]) == 0
    said = capsys.readouterr().out
    m = re.search(
        r"DuckLake: (\d+) snapshot\(s\) .* expired, (\d+) small file\(s\) merged, "
        r"\d+ rewritten .*, (\d+) file\(s\) no snapshot needs deleted\.\n"
        r".*\((\d+) files\) before, .*\((\d+) files\) after \(([\d,]+) bytes freed\)",
        said,
    )
    assert m, said
    expired, merged, deleted, before, after, freed = (int(g.replace(",", "")) for g in m.groups())
    assert expired >= snapshots - 1 and merged == 2 and deleted >= 3
    files_after, size_after = _on_disk(where.data_path)
    assert (before, after) == (files, files_after)
    assert freed == size - size_after > 0  # the bytes the disk got back, as the OS counts them
    ws = Workspace(where, read_only=True)
    try:  # the data is the same
        assert ws.settings() == settings
        assert _rows(ws, "select * from setting_changes order by all") == log
        assert _rows(ws, f"select count(*) from ducklake_snapshots('{lake.ALIAS}')")[0][0] < 5
    finally:
        ws.close()


def test_snapshots_expire_after_the_retention_days_and_never_without_a_day_limit():
    now = datetime(2026, 12, 7, 12, 0)  # local time, as the import history keeps it
    cutoff = retention.snapshot_cutoff(retention.Retention(imports=20, days=90), now)
    assert cutoff == (now.astimezone(UTC) - timedelta(days=90)).isoformat(sep=" ")
    assert cutoff.endswith("+00:00")  # the same instant whatever the session's time zone
    assert retention.snapshot_cutoff(retention.Retention(imports=20, days=None), now) is None
