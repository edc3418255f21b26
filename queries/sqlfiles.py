"""Named SQL: queries live in ``queries/sql/*.sql`` under ``-- name: <name>`` headers.

Why a tiny loader of our own rather than aiosql: we need three things only — find a query by
name, bind DuckDB's ``$name`` parameters from a dict, and return a DataFrame from a fresh
cursor. aiosql's DuckDB adapter wants every parameter repeated in the name line and returns
rows, not frames; fifty lines here keep the SQL files pasteable into the DuckDB shell unchanged
and let tests check that every query has a header comment and a caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"
_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)
_PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    topic: str  # the .sql file it lives in, e.g. "metrics"
    doc: str  # the comment lines right under the name: what one row of the result is
    sql: str
    params: frozenset[str]

    def bind(self, values: dict[str, object]) -> dict[str, object]:
        """The subset of ``values`` this query uses; raises if one it needs is missing."""
        missing = self.params - values.keys()
        if missing:
            raise KeyError(f"query {self.name!r} needs parameter(s) {sorted(missing)}")
        return {k: values[k] for k in self.params}


def parse(text: str, topic: str) -> list[NamedQuery]:
    """Split one .sql file into its named queries."""
    out: list[NamedQuery] = []
    heads = list(_NAME.finditer(text))
    for i, head in enumerate(heads):
        body = text[head.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        lines = body.strip("\n").splitlines()
        doc_lines = []
        for line in lines:
            if not line.startswith("--"):
                break
            doc_lines.append(line.lstrip("-").strip())
        sql = body.strip().rstrip(";").strip()
        out.append(
            NamedQuery(
                name=head.group(1),
                topic=topic,
                doc=" ".join(doc_lines).strip(),
                sql=sql,
                params=frozenset(_PARAM.findall(sql)),
            )
        )
    return out


@cache
def catalogue() -> dict[str, NamedQuery]:
    """Every named query in ``queries/sql``; names are unique across files."""
    found: dict[str, NamedQuery] = {}
    for path in sorted(SQL_DIR.glob("*.sql")):
        for q in parse(path.read_text(encoding="utf-8"), path.stem):
            if q.name in found:
                raise ValueError(f"duplicate query name {q.name!r} in {path.name}")
            found[q.name] = q
    return found


def get(name: str) -> NamedQuery:
    try:
        return catalogue()[name]
    except KeyError:
        raise KeyError(f"no query named {name!r} in {SQL_DIR}") from None
