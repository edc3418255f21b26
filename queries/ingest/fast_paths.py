"""How each typed column of a file is read: a fast SQL path where one reads it exactly as the
Python parser does, and the Python parser (queries/ingest/parsers.py) for every other value.

A plain cast or one strptime format reads most values of a clean column at a fraction of the
cost of the full parser. One is used for a column only when it agrees with the parser on every
sampled value it reads; the values it cannot read are parsed in Python, once per distinct value,
into a temp table fb_<field> that the parse SQL looks them up in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

import duckdb
import pandas as pd

from queries.ingest import parsers
from queries.ingest.compile import Reading, ident
from queries.ingest.fields import SQL_TYPES, field_type

SAMPLE_ROWS = 500

_FAST_NUMBER = {
    False: (
        "case when regexp_full_match({c}, '-?[0-9]+(\\.[0-9]{{1,2}})?') then {c} end",
        "case when regexp_full_match({c}, '\\$?-?[0-9]{{1,3}}(,[0-9]{{3}})*(\\.[0-9]{{1,2}})?') "
        "then replace(replace({c}, '$', ''), ',', '') end",
        "case when regexp_full_match({c}, '-?[0-9]{{1,3}}(,[0-9]{{3}})+(\\.[0-9]{{1,2}})?') "
        "then replace({c}, ',', '') end",
    ),
    True: (
        "case when regexp_full_match({c}, '-?[0-9]+(,[0-9]{{1,2}})?') "
        "then replace({c}, ',', '.') end",
        "case when regexp_full_match({c}, '-?[0-9]{{1,3}}(\\.[0-9]{{3}})+(,[0-9]{{1,2}})?') "
        "then replace(replace({c}, '.', ''), ',', '.') end",
    ),
}
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M",
)


def candidates(type_: str, r: Reading, scale: int = 0) -> list[str]:
    if type_ == "money":
        # try_cast: a value beyond decimal(18, 2) goes to the parser, which rejects its row.
        if scale:  # 金额（万元）: the plain number times 10^scale, as parse_money reads it
            factor = 10**scale
            return [
                f"try_cast(try_cast(({e}) as decimal(18,2))::decimal(38,2) * {factor} "
                f"as decimal(18,2))"
                for e in _FAST_NUMBER[r.decimal_comma]
            ]
        return [f"try_cast(({e}) as decimal(18,2))" for e in _FAST_NUMBER[r.decimal_comma]]
    if type_ == "number":
        return [f"({e})::double" for e in _FAST_NUMBER[r.decimal_comma][:1]]
    if type_ in ("timestamp", "date"):
        formats = [f for f in _DATE_FORMATS if not f.startswith("%m/" if r.day_first else "%d/")]
        cast = "::date" if type_ == "date" else ""
        return [f"try_strptime({{c}}, '{f}'){cast}" for f in formats]
    return []


def _safe(parse: Callable[[str], object], value: str) -> object:
    try:
        return parse(value)
    except ValueError:
        return None


def choose(cur: duckdb.DuckDBPyConnection, r: Reading) -> tuple[dict[str, str], set[str]]:
    """field -> the fast expression (with {c}) that reads every sampled value it reads exactly
    as the Python parser does (and reads the most of them); and the fields whose fast path
    read every sampled value (likely the whole column)."""
    chosen: dict[str, str] = {}
    read_all: set[str] = set()
    for fname, header in r.mapping.items():
        type_ = field_type(r.kind, fname)
        exprs_of = candidates(type_, r, r.scales.get(fname, 0))
        if not exprs_of:
            continue
        c = r.column_of(header)
        exprs = ", ".join(cand.format(c="v") for cand in exprs_of)
        sample = cur.execute(
            f"select v, {exprs} from (select distinct {c} as v from stage "
            f"where {c} is not null limit {SAMPLE_ROWS})"
        ).fetchall()
        parse = parsers.parser_for(
            type_,
            day_first=r.day_first,
            decimal_comma=r.decimal_comma,
            scale=r.scales.get(fname, 0),
        )
        truth = [_safe(parse, row[0]) for row in sample]
        best, best_hits = None, 0
        for i, cand in enumerate(exprs_of, start=1):
            read = [(row[i], t) for row, t in zip(sample, truth, strict=True) if row[i] is not None]
            if all(fast == t for fast, t in read) and len(read) > best_hits:
                best, best_hits = cand, len(read)
        if best is not None:
            chosen[fname] = best
            if best_hits == len(sample):
                read_all.add(fname)
    return chosen, read_all


def fallback_tables(
    cur: duckdb.DuckDBPyConnection, r: Reading, fast: Mapping[str, str], fields: set[str]
) -> set[str]:
    """For each of these typed fields, the distinct values its fast path does not read, parsed
    in Python into a temp table fb_<field> (v, val); a clean column leaves it empty. Returns
    the fields whose table is empty (nothing to look up)."""
    empty = set()
    for fname, header in r.mapping.items():
        type_ = field_type(r.kind, fname)
        if type_ not in SQL_TYPES or fname not in fields:
            continue
        c = r.column_of(header)
        unread = f"({fast[fname].format(c=c)}) is null and " if fname in fast else ""
        values = [
            row[0]
            for row in cur.execute(
                f"select distinct {c} from stage where {unread}{c} is not null"
            ).fetchall()
        ]
        if not values:
            empty.add(fname)
            continue
        parse = parsers.parser_for(
            type_,
            day_first=r.day_first,
            decimal_comma=r.decimal_comma,
            scale=r.scales.get(fname, 0),
        )
        parsed = [_safe(parse, v) for v in values]
        frame = pd.DataFrame(
            {
                "v": pd.Series(values, dtype=object),
                "val": pd.Series(
                    [None if p is None else _sql_text(p) for p in parsed], dtype=object
                ),
                # Decided here, once per distinct value: not blank, yet not readable.
                "bad": [
                    p is None and not parsers.is_blank(v)
                    for v, p in zip(values, parsed, strict=True)
                ],
            }
        )
        cur.register("_fallback_frame", frame)
        try:
            cur.execute(
                f"create or replace temp table fb_{ident(fname)} as select v::varchar as v, "
                f"cast(val::varchar as {SQL_TYPES[type_]}) as val, bad::boolean as bad "
                f"from _fallback_frame"
            )
        finally:
            cur.unregister("_fallback_frame")
    return empty


def _sql_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float):
        return repr(value)
    return str(value)
