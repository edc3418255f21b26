"""What this workspace holds of each input the pages need: one row of counts
(queries/sql/readiness.sql, readiness_counts). views/readiness.py says which page needs which
and what each gap costs; the Data page lists them and every page's header names its gaps."""

from __future__ import annotations

from queries.workspace import Workspace


def counts(ws: Workspace) -> dict[str, int]:
    """Every count of ``readiness_counts``, as ints (0 where a table is empty)."""
    row = ws.query("readiness_counts").iloc[0]
    return {k: int(v) if v == v and v is not None else 0 for k, v in row.items()}
