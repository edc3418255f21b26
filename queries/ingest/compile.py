"""The SQL of an import, compiled from how the file is read: stage → parsed → derived (the
stored columns and each row's problems) → checked (ids repeated or already stored) → rejects,
and the preview and the stored values read from checked.

Pure functions of a ``Reading``: they build text and run nothing. Every statement is a fixed
template with bound parameters; the only generated parts are our own identifiers (the staged
columns c<i>, field and column names, the fast-path expressions of queries/ingest/fast_paths.py),
never text from the file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from queries.ingest.fields import FIELDS, SQL_TYPES
from queries.ingest.targets import COLUMNS, ID_FALLBACK, KEYS, TABLES, columns_not_fed


@dataclasses.dataclass(frozen=True)
class Reading:
    """How a staged file is read: all the SQL of an import needs to know of it."""

    kind: str
    mapping: Mapping[str, str]  # field -> header
    headers: tuple[str, ...]  # the staged column c<i> holds headers[i]
    day_first: bool = False
    decimal_comma: bool = False
    delimiter: str = ","
    # Decided when the rows are parsed: the fast path of each typed field (with {c}), the typed
    # fields it reads entirely (no fb_<field> table to look in), and the staged columns whose
    # text holds invisible characters.
    fast: Mapping[str, str] = dataclasses.field(default_factory=dict)
    fully_fast: frozenset[str] = frozenset()
    dirty: frozenset[str] = frozenset()
    # Money fields whose header gives their unit (金额（万元）: 4): the power of ten their plain
    # numbers are multiplied by (parsers.header_scale).
    scales: Mapping[str, int] = dataclasses.field(default_factory=dict)

    def column_of(self, header: str) -> str:
        return f"c{self.headers.index(header)}"

    def column(self, field_name: str) -> str:
        """The staged column a mapped field is read from."""
        return self.column_of(self.mapping[field_name])


def ident(name: str) -> str:
    if not name.replace("_", "").isalnum():  # our own names only
        raise ValueError(name)
    return name


def used(sql: str, params: Mapping[str, object]) -> dict[str, object]:
    """The parameters a statement uses (DuckDB refuses unused named parameters)."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


# Text is stored as written, trimmed of surrounding blanks; testing for a blank at either end
# first is five times faster than trimming every value of a million-row column.
_BLANK_CHARS = (" ", "\t", "\u00a0", "\u3000")
TEXT = (
    "case when "
    + " or ".join(f"{{c}} like '{ch}%' or {{c}} like '%{ch}'" for ch in _BLANK_CHARS)
    + " then nullif(trim({c}, '"
    + "".join(_BLANK_CHARS)
    + "'), '') else nullif({c}, '') end"
)
# Control characters (NUL, ESC, VT... but not tab or line breaks) and zero-width marks: stored,
# they break the XLSX export and make "ID-1" and "ID-1\u200b" two records. Removed from every
# text value of a column that holds any (checked once per column, so clean files pay one scan).
INVISIBLE = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F\\x{200B}-\\x{200D}\\x{2060}\\x{FEFF}]"
CLEAN_TEXT = TEXT.replace(
    "{c}",
    "regexp_replace({c}, '" + INVISIBLE.replace("{", "{{").replace("}", "}}") + "', '', 'g')",
)

BAD_CODE = {
    "money": "bad_money",
    "number": "bad_number",
    "percent": "bad_percent",
    "timestamp": "bad_date",
    "date": "bad_date",
    "outcome": "bad_outcome",
    "flag": "bad_flag",
}


def parse_sql(r: Reading, rows: str = "stage") -> str:
    """stage → parsed: every field parsed from its column (NULL when unmapped), the raw text
    kept beside it for the reject report. Typed fields: the column's fast path, else the value
    parsed in Python (fb_<field>); a field in r.fully_fast has no fb_<field> to look in."""
    exprs = ["stage._row"]
    joins = []
    fast = r.fast
    for f in FIELDS[r.kind]:
        name = ident(f.name)
        if f.name in r.mapping:
            c = r.column_of(r.mapping[f.name])
            if f.type in SQL_TYPES and f.name in r.fully_fast:
                # The fast path reads every value (or there are none): nothing to look up.
                expr = f"null::{SQL_TYPES[f.type]}"
                exprs.append(f"false as {name}__bad")
                if f.name in fast:
                    expr = f"coalesce({fast[f.name].format(c='stage.' + c)}, {expr})"
            elif f.type in SQL_TYPES:
                joins.append(f"left join fb_{name} on fb_{name}.v = stage.{c}")
                expr = f"fb_{name}.val"
                exprs.append(f"coalesce(fb_{name}.bad, false) as {name}__bad")
                if f.name in fast:
                    expr = f"coalesce({fast[f.name].format(c='stage.' + c)}, {expr})"
            else:
                text = CLEAN_TEXT if c in r.dirty else TEXT
                expr = text.format(c=f"stage.{c}")
            exprs.append(f"{expr} as {name}")
            exprs.append(f"stage.{c} as {name}__raw")
        else:
            exprs.append(f"null::{SQL_TYPES.get(f.type, 'varchar')} as {name}")
            exprs.append(f"null::varchar as {name}__raw")
            if f.type in SQL_TYPES:
                exprs.append(f"false as {name}__bad")
    return f"select {', '.join(exprs)} from {ident(rows)} as stage {' '.join(joins)}"


def problem(field_name: str, code: str, when: str, value: str | None = None) -> tuple[str, str]:
    """(the condition, the problem it records): a row has the problem when it is true."""
    v = value or f"{field_name}__raw"
    return (
        when,
        f"{{'field': '{field_name}', 'code': '{code}', "
        f"'value': left({v}, 200), 'detail': null::varchar}}",
    )


def derive_sql(r: Reading, unread: Mapping[str, str] | None = None, rows: str = "stage") -> str:
    """parsed → derived: the stored columns of the kind, the list of problems per row, and
    _unread: whether a field in ``unread`` (field -> its staged column) has a value its fast
    path did not read (the row is then derived again with the values parsed in Python)."""
    kind = r.kind
    problems = []
    for f in FIELDS[kind]:
        if f.name in r.mapping and f.type in BAD_CODE:
            problems.append(problem(f.name, BAD_CODE[f.type], f"{f.name}__bad"))
    m = r.mapping

    def id_problem(key: str, expr: str) -> tuple[str, str]:
        # Reported under the column the id would have come from.
        return problem(_id_field(kind, m, key), "missing_value", f"({expr}) is null", "''")

    def own(*derived: str) -> dict[str, str]:
        return {c: c for c in COLUMNS[kind] if c not in derived}

    def missing(field_name: str) -> tuple[str, str]:
        return problem(
            field_name,
            "missing_value",
            f"{field_name} is null and not {field_name}__bad",
            "''",
        )

    join = ""
    if kind == "leads":
        cols = {"lead_id": "coalesce(lead_id, email)", **own("lead_id")}
        problems.append(id_problem("lead_id", "coalesce(lead_id, email)"))
    elif kind == "deals":
        # The outcome: a status column says it outright; Salesforce's IsWon/IsClosed next; then
        # the stage through the confirmed stage → outcome table; then a won or lost time.
        flags = (
            "case when is_won then 'won' when is_closed and is_won is not distinct from false "
            "then 'lost' when is_closed = false then 'open' end"
        )
        outcome = (
            f"coalesce(status, {flags}, sm.outcome, case when won_at is not null then 'won' "
            "when lost_at is not null then 'lost' end, 'open')"
        )
        closed_at = (
            f"case {outcome} when 'won' then coalesce(won_at, close_date) "
            f"when 'lost' then coalesce(lost_at, close_date) end"
        )
        close_field = next((f for f in ("close_date", "won_at", "lost_at") if f in m), "stage")
        cols = {
            "deal_id": "coalesce(deal_id, p.name)",
            "name": "p.name",
            "stage": "coalesce(p.stage, trim(status__raw))",
            "outcome": outcome,
            "closed_at": closed_at,
            "contact_email": "email",
            **own("deal_id", "name", "stage", "outcome", "closed_at", "contact_email"),
        }
        problems += [
            id_problem("deal_id", "coalesce(deal_id, p.name)"),
            # A won or lost deal without a date would never count as won or lost in a period.
            problem(
                close_field,
                "no_close_date",
                f"{outcome} <> 'open' and ({closed_at}) is null "
                "and not (close_date__bad or won_at__bad or lost_at__bad)",
                outcome,
            ),
            problem(
                close_field,
                "closed_before_created",
                f"({closed_at}) < created_at::date",
                f"strftime({closed_at}, '%Y-%m-%d')",
            ),
        ]
        join = "left join stage_map as sm on sm.stage = p.stage"
    elif kind == "campaigns":
        cols = {
            "campaign_id": "coalesce(campaign_id, p.name)",
            "name": "coalesce(p.name, campaign_id)",
            "objective": "ob.value",
            **own("campaign_id", "name", "objective"),
        }
        problems += [
            id_problem("campaign_id", "coalesce(campaign_id, p.name)"),
            problem("channel", "missing_value", "channel is null", "''"),
            missing("start_date"),
            missing("end_date"),
            problem("end_date", "end_before_start", "end_date < start_date"),
            problem("objective", "bad_value", "objective is not null and ob.value is null"),
        ]
        join = (
            "left join synonyms as ob on ob.kind = 'objective' "
            "and ob.word = lower(trim(p.objective))"
        )
    elif kind == "spend":
        cols = {
            "category": "case when category is null then 'marketing' else ca.value end",
            **own("category"),
        }
        problems += [
            missing("spent_on"),
            missing("amount"),
            problem("category", "bad_value", "category is not null and ca.value is null"),
        ]
        join = (
            "left join synonyms as ca on ca.kind = 'category' and ca.word = lower(trim(p.category))"
        )
    elif kind == "accounts":
        cols = {
            "account_id": "coalesce(account_id, p.name)",
            "name": "coalesce(p.name, account_id)",
            **own("account_id", "name"),
        }
        problems.append(id_problem("account_id", "coalesce(account_id, p.name)"))
    elif kind == "reps":
        cols = {"owner": "coalesce(owner, email, rep_id)", **own("owner")}
        problems += [
            id_problem("owner", "coalesce(owner, email, rep_id)"),
            problem("left_on", "end_before_start", "left_on < hired_on"),
        ]
    elif kind == "products":
        cols = {
            "product_id": "coalesce(product_id, p.name)",
            "name": "coalesce(p.name, product_id)",
            **own("product_id", "name"),
        }
        problems.append(id_problem("product_id", "coalesce(product_id, p.name)"))
    else:  # touches
        # Without an id of its own, a touch is its lead, campaign (or channel) and moment:
        # the same touch twice in a file is then a repeat, never a second touch.
        cols = {
            "touch_id": "coalesce(touch_id, coalesce(lead_id, email) || ' · ' || "
            "coalesce(campaign_id, channel) || ' · ' || strftime(touched_at, '%Y-%m-%d %H:%M:%S'))",
            "lead_id": "coalesce(lead_id, email)",
            **own("touch_id", "lead_id"),
        }
        problems += [
            id_problem("lead_id", "coalesce(lead_id, email)"),
            missing("touched_at"),
            problem(
                next((f for f in ("campaign_id", "channel") if f in m), "campaign_id"),
                "missing_value",
                "coalesce(campaign_id, channel) is null",
                "''",
            ),
        ]
    return _derived(r, cols, problems, join, unread or {}, rows)


def _derived(
    r: Reading,
    cols: Mapping[str, str],
    problems: list[tuple[str, str]],
    join: str,
    unread: Mapping[str, str],
    rows: str,
) -> str:
    # A column no mapped field feeds is null in every row: left out, read later as a typed null.
    not_fed = columns_not_fed(r.kind, r.mapping)
    select = ", ".join(
        f"{expr} as {ident(name)}" for name, expr in cols.items() if name not in not_fed
    )
    # The list is built only for a row that has a problem: most rows have none.
    listed = "[]::struct(field varchar, code varchar, value varchar, detail varchar)[]"
    if problems:
        any_problem = " or ".join(f"({when})" for when, _ in problems)
        each = ", ".join(f"case when {when} then {struct} end" for when, struct in problems)
        listed = (
            f"case when {any_problem} then list_filter([{each}], x -> x is not null) "
            f"else {listed} end"
        )
    flag = " or ".join(f"(p.{ident(f)} is null and p.{ident(f)}__raw is not null)" for f in unread)
    return (
        f"select p._row, {select}, {listed} as _problems, coalesce({flag or 'false'}, false) "
        f"as _unread from ({parse_sql(r, rows)}) as p {join}"
    )


def rejects_sql(r: Reading) -> str:
    """checked + the bad lines → rejects: the first problem of each row, in words."""
    raw = ", ".join(f"s.c{i}" for i in range(len(r.headers)))
    delim = "'|'" if r.delimiter == "|" else "','"
    raw_line = f"concat_ws({delim}, {raw})" if raw else "''"
    return (
        "create or replace temp table rejects as "
        "select c._row, coalesce(fh.header, c._problems[1].field) as header, "
        "c._problems[1].code as code, c._problems[1].value as value, "
        "replace(replace(replace(r.text, '{column}', coalesce(fh.header, '')), "
        "'{value}', coalesce(c._problems[1].value, '')), '{detail}', "
        "coalesce(c._problems[1].detail, '')) "
        "|| case when len(c._problems) > 1 then ' (and ' || (len(c._problems) - 1)::varchar "
        f"|| ' more)' else '' end as reason, {raw_line} as raw "
        "from checked as c join stage as s on s._row = c._row "
        "left join field_headers as fh on fh.field = c._problems[1].field "
        "left join reasons as r on r.code = c._problems[1].code "
        "where len(c._problems) > 0 "
        "union all "
        "select b._row, '' as header, b.code, null as value, "
        "replace(r.text, '{detail}', b.detail) as reason, b.raw "
        "from stage_bad as b left join reasons as r on r.code = b.code"
    )


def invisible_scan_sql(columns: list[str]) -> str:
    """One row: for each staged column, whether any of its values holds an invisible character."""
    checks = ", ".join(f"bool_or(regexp_matches({ident(c)}, '{INVISIBLE}'))" for c in columns)
    return f"select {checks} from stage"


# -- checked: ids repeated in the file or already in the workspace ----------------------------
def _id_field(kind: str, mapping: Mapping[str, str], key: str) -> str:
    """The field an id is reported under: the column it came from (an email, a deal name...)."""
    return next((f for f in (key, *ID_FALLBACK.get(kind, ())) if f in mapping), key)


def duplicates_sql(kind: str) -> str:
    """checked → check_dups: the ids of rows otherwise fine that occur more than once, with the
    first row of each (which loads). An aggregate of the repeated ids is far cheaper than a
    window over a million rows."""
    keyf = ident(KEYS[kind])
    return (
        f"create or replace temp table check_dups as select {keyf}, min(_row) as first_row "
        f"from checked where len(_problems) = 0 group by {keyf} having count(*) > 1"
    )


def existing_sql(kind: str, mode: str) -> str:
    """checked → check_existing: the ids already in the workspace that ``mode`` refuses (append:
    any; replace: those the replace does not remove; upsert: none)."""
    keyf = ident(KEYS[kind])
    table = TABLES[kind]
    exists_sql = {
        "append": f"select {keyf} from {table}",
        "replace": f"select {keyf} from {table} where import_id is null or import_id not in "
        "(select import_id from imports where kind = $import_kind)",
    }.get(mode)
    existing = f"select distinct {keyf} from checked where {keyf} in ({exists_sql})"
    if not exists_sql:
        existing = f"select {keyf} from checked limit 0"
    return f"create or replace temp table check_existing as {existing}"


def mark_clashes_sql(r: Reading) -> str:
    """checked with the problems of check_dups and check_existing added to their rows."""
    keyf = ident(KEYS[r.kind])
    src_field = _id_field(r.kind, r.mapping, keyf)
    dup = (
        f"case when d.first_row is not null and len(c._problems) = 0 "
        f"and c._row > d.first_row "
        f"then {{'field': '{src_field}', 'code': 'duplicate_in_file', "
        f"'value': left(c.{keyf}, 200), 'detail': d.first_row::varchar}} end"
    )
    exists = (
        f"case when e.{keyf} is not null then {{'field': '{src_field}', "
        f"'code': 'already_exists', 'value': left(c.{keyf}, 200), "
        f"'detail': null::varchar}} end"
    )
    return (
        f"create or replace temp table checked as select c.* replace "
        f"(c._problems || list_filter([{dup}, {exists}], x -> x is not null) as _problems) "
        f"from checked as c left join check_dups as d on d.{keyf} = c.{keyf} "
        f"left join check_existing as e on e.{keyf} = c.{keyf}"
    )


# -- reading checked back ---------------------------------------------------------------------
def checked_column(col: str, not_fed: Mapping[str, str], prefix: str = "") -> str:
    """A stored column as read from checked: a typed null when no mapped field feeds it
    (``not_fed``: targets.columns_not_fed)."""
    if col in not_fed:
        return f"null::{not_fed[col]}"
    return f"{prefix}{ident(col)}"


def preview_sql(r: Reading, n: int) -> str:
    """The first ``n`` rows that load, exactly as they will be stored."""
    not_fed = columns_not_fed(r.kind, r.mapping)
    cols = ", ".join(f"{checked_column(c, not_fed)} as {c}" for c in COLUMNS[r.kind])
    return (
        f"select _row as row_number, {cols} from checked where len(_problems) = 0 "
        f"order by _row limit {int(n)}"
    )


def currency_tokens_sql(column: str) -> str:
    """The currency marks written in one staged column ($pattern: the first mark of each
    value, in its group 1 or 2), with their rows: (token, rows, the first five row numbers)."""
    c = ident(column)
    return (
        f"select tok, count(*) as n, list(_row order by _row)[1:5] as first_rows from "
        f"(select _row, regexp_extract({c}, $pattern, 1) || regexp_extract({c}, $pattern, 2) "
        f"as tok from stage "
        f"where {c} is not null) where tok <> '' group by tok order by min(_row)"
    )


def currency_values_sql(column: str) -> str:
    """The values of a currency column, trimmed, with their rows (as currency_tokens_sql)."""
    c = ident(column)
    return (
        f"select tok, count(*) as n, list(_row order by _row)[1:5] as first_rows from "
        f"(select _row, trim({c}, ' \t\u00a0\u3000') as tok from stage where {c} is not null) "
        f"where tok <> '' group by tok order by min(_row)"
    )
