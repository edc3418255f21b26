"""Checking a staged file, on the plan's own cursor: stage → checked (each row as it would be
stored, with its problems) → rejects, and what the report counts of them. Nothing here writes
to the workspace: every table is a temp table of the cursor.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import duckdb
import pandas as pd

from queries.ingest import compile, fast_paths, parsers
from queries.ingest.compile import Reading, ident
from queries.ingest.errors import REASONS
from queries.ingest.fields import CATEGORY_SYNONYMS, OBJECTIVE_SYNONYMS, SQL_TYPES, field_type
from queries.ingest.targets import COLUMNS, KEYS, TABLES


def run(
    cur: duckdb.DuckDBPyConnection,
    r: Reading,
    mode: str,
    stage_outcomes: dict[str, str],
    *,
    may_hold_invisible: Callable[[], bool],
) -> Reading:
    """stage → checked → rejects. Returns the reading with its fast paths decided."""
    _value_tables(cur, r, stage_outcomes)
    params: dict[str, object] = {"day_first": r.day_first, "decimal_comma": r.decimal_comma}
    if mode == "replace":
        params["import_kind"] = r.kind
    r = _derive(cur, r, params, may_hold_invisible)
    if KEYS[r.kind]:
        _check_ids(cur, r, mode, params)
    cur.execute(compile.rejects_sql(r))
    return r


def _value_tables(cur: duckdb.DuckDBPyConnection, r: Reading, stage_outcomes: dict) -> None:
    """The small tables the derive and rejects SQL join: the confirmed stage → outcome table,
    the synonyms of objectives and spend categories, each field's header, the reject reasons."""
    cur.execute("create or replace temp table stage_map (stage varchar, outcome varchar)")
    if stage_outcomes:
        cur.executemany(
            "insert into stage_map values ($s, $o)",
            [{"s": s, "o": o} for s, o in stage_outcomes.items()],
        )
    cur.execute("create or replace temp table synonyms (kind varchar, word varchar, value varchar)")
    cur.executemany(
        "insert into synonyms values ($k, $w, $v)",
        [{"k": "objective", "w": w, "v": v} for w, v in OBJECTIVE_SYNONYMS.items()]
        + [{"k": "category", "w": w, "v": v} for w, v in CATEGORY_SYNONYMS.items()],
    )
    cur.execute("create or replace temp table field_headers (field varchar, header varchar)")
    rows = [{"f": f, "h": h} for f, h in r.mapping.items()]
    # Derived fields are reported under the column they came from.
    rows += [{"f": "_line", "h": ""}]
    cur.executemany("insert into field_headers values ($f, $h)", rows)
    cur.execute("create or replace temp table reasons (code varchar, text varchar)")
    cur.executemany(
        "insert into reasons values ($c, $t)", [{"c": c, "t": t} for c, t in REASONS.items()]
    )


def _derive(
    cur: duckdb.DuckDBPyConnection,
    r: Reading,
    params: dict[str, object],
    may_hold_invisible: Callable[[], bool],
) -> Reading:
    """stage → checked: every row derived once with the fast paths. A field whose fast path
    read every sampled value is derived with it alone, and its fallback table made only if some
    row turns out to hold a value it does not read (those rows are then derived again): a clean
    column is parsed once, not once more to find what is left for Python."""
    fast, read_all = fast_paths.choose(cur, r)
    typed = {f for f in r.mapping if field_type(r.kind, f) in SQL_TYPES}
    hopeful = read_all & typed
    fully_fast = fast_paths.fallback_tables(cur, r, fast, typed - hopeful) | hopeful
    dirty = _columns_with_invisible_characters(cur, r, may_hold_invisible)
    r = dataclasses.replace(r, fast=fast, fully_fast=frozenset(fully_fast), dirty=dirty)
    derive = "create or replace temp table checked as " + compile.derive_sql(
        r, {f: r.column(f) for f in sorted(hopeful)}
    )
    cur.execute(derive, compile.used(derive, params))
    if hopeful and cur.execute("select count_if(_unread) from checked").fetchone()[0]:
        empty = fast_paths.fallback_tables(cur, r, fast, hopeful)
        r = dataclasses.replace(r, fully_fast=(r.fully_fast - hopeful) | empty)
        cur.execute(
            "create or replace temp table stage_again as select * from stage "
            "where _row in (select _row from checked where _unread)"
        )
        again = "create or replace temp table checked_again as " + compile.derive_sql(
            r, rows="stage_again"
        )
        cur.execute(again, compile.used(again, params))
        cur.execute("delete from checked where _unread")
        cur.execute("insert into checked select * from checked_again")
    return r


def _columns_with_invisible_characters(
    cur: duckdb.DuckDBPyConnection, r: Reading, may_hold_invisible: Callable[[], bool]
) -> frozenset[str]:
    """The staged columns (c<i>) of mapped text fields that hold a control character or a
    zero-width mark anywhere: one scan of the file for all of them (none when the scan of the
    file's bytes found none: ``may_hold_invisible``)."""
    cols = sorted({r.column(f) for f in r.mapping if field_type(r.kind, f) not in SQL_TYPES})
    if not cols or not may_hold_invisible():
        return frozenset()
    row = cur.execute(compile.invisible_scan_sql(cols)).fetchone()
    return frozenset(c for c, dirty in zip(cols, row, strict=True) if dirty)


def _check_ids(
    cur: duckdb.DuckDBPyConnection, r: Reading, mode: str, params: dict[str, object]
) -> None:
    """checked: ids repeated in the file (the first row of an id that is otherwise fine loads,
    later ones are rejected) and ids already in the workspace (append; replace when the row is
    not one the replace removes). Their problems are added only when some id repeats or exists."""
    cur.execute(compile.duplicates_sql(r.kind))
    existing = compile.existing_sql(r.kind, mode)
    cur.execute(existing, compile.used(existing, params))
    clashes = cur.execute(
        "select (select count(*) from check_dups) + (select count(*) from check_existing)"
    ).fetchone()[0]
    if clashes:
        cur.execute(compile.mark_clashes_sql(r))


# -- what the report counts -------------------------------------------------------------------
def counts(cur: duckdb.DuckDBPyConnection, r: Reading) -> tuple[int, int, dict[str, int]]:
    """(rows that load, rows checked, empty values per mapped field among the rows that load).
    An empty value is not a bad value: it is stored as null and counted here, per mapped field
    stored in a column of its own, in the same pass as the rows."""
    stored = [f for f in r.mapping if f in COLUMNS[r.kind]]
    blanks = "".join(f", count_if({ident(f)} is null and len(_problems) = 0)" for f in stored)
    row = cur.execute(
        f"select count_if(len(_problems) = 0), count(*){blanks} from checked"
    ).fetchone()
    empty = {f: int(n) for f, n in zip(stored, row[2:], strict=True) if n}
    return int(row[0]), int(row[1]), empty


def rejected(cur: duckdb.DuckDBPyConnection) -> int:
    return int(cur.execute("select count(*) from rejects").fetchone()[0])


def rejects_frame(cur: duckdb.DuckDBPyConnection, limit: int) -> pd.DataFrame:
    return cur.execute(
        f"select _row as row_number, header as column, code, value, reason from rejects "
        f"order by _row limit {int(limit)}"
    ).df()


def ambiguous_dates(cur: duckdb.DuckDBPyConnection, r: Reading) -> int:
    """Date values whose reading depends on day_first (a/b/yyyy, both at most 12)."""
    ambiguous = 0
    for fname in r.mapping:
        if field_type(r.kind, fname) not in ("timestamp", "date"):
            continue
        # A column read entirely by a year-first format has no a/b/yyyy value.
        if fname in r.fully_fast and r.fast.get(fname, "").startswith("try_strptime({c}, '%Y"):
            continue
        c = r.column(fname)
        # Distinct a/b/yyyy prefixes are few (days), so Python judges each once.
        prefixes = cur.execute(
            f"select regexp_extract({c}, '^\\s*[0-9]{{1,2}}[/-][0-9]{{1,2}}[/-][0-9]{{4}}') "
            f"as p, count(*) from stage group by p"
        ).fetchall()
        ambiguous += sum(n for p, n in prefixes if p and parsers.is_ambiguous_date(p))
    return ambiguous


def existing(cur: duckdb.DuckDBPyConnection, r: Reading, mode: str) -> int:
    """Records of the file already in the workspace: rejected (append) or updated."""
    key = KEYS[r.kind]
    if not key:
        return 0
    if mode == "append":
        sql = (
            "select count(*) from checked where "
            "len(list_filter(_problems, x -> x.code = 'already_exists')) > 0"
        )
    else:
        sql = (
            f"select count(*) from checked where len(_problems) = 0 "
            f"and {ident(key)} in (select {ident(key)} from {TABLES[r.kind]})"
        )
    return int(cur.execute(sql).fetchone()[0])


def replaced(cur: duckdb.DuckDBPyConnection, kind: str) -> int:
    """The rows of earlier imports of ``kind`` that a replace removes."""
    return int(
        cur.execute(
            f"select count(*) from {TABLES[kind]} where import_id in "
            "(select import_id from imports where kind = $k)",
            {"k": kind},
        ).fetchone()[0]
    )


def preview(cur: duckdb.DuckDBPyConnection, r: Reading, n: int) -> pd.DataFrame:
    """The first rows exactly as they will be stored (rows that will load)."""
    return cur.execute(compile.preview_sql(r, n)).df()
