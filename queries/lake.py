"""A workspace on DuckLake: the catalog in PostgreSQL, the tables as Parquet files.

A DuckLake target names the catalog and, once, where the Parquet files go::

    ducklake:postgres:dbname=flywheel host=10.0.0.5 port=5432 user=flywheel DATA_PATH=/srv/lake/

Everything after ``ducklake:`` is DuckLake's own catalog string (``postgres:`` followed by libpq
keywords; a password is refused there: it goes in ``PGPASSWORD`` or ``~/.pgpass``),
except two keywords of ours, in any case and anywhere in it:

``DATA_PATH=DIR``
    where the Parquet files live: a directory every app server sees at the same path, or an
    object-store URL. Needed when the lake is created; DuckLake keeps it in the catalog, so
    later openers may leave it out.
``METADATA_SCHEMA=NAME``
    the PostgreSQL schema holding this workspace's catalog (default ``public``): one database
    can hold several workspaces, one per schema.

A value with spaces is single-quoted (``DATA_PATH='/srv/my lake/'``). ``ducklake:FILE.ducklake``
(a DuckDB file as the catalog) also opens, for one process only: DuckLake is meant for
PostgreSQL here.

What differs from a file workspace, and is handled here so the rest of the code does not ask:

* **Constraints.** DuckLake stores no PRIMARY KEY, UNIQUE or CHECK constraints and no indexes.
  Migrations run through :func:`run_sql`, which rebuilds each ``create table`` without them
  (DuckDB itself parses the statement), drops ``create index`` and does ``set not null`` by
  copying the table. What the constraints guarded is checked before a write commits instead
  (:func:`check_contract`): the keys and checks a file workspace would have, found by
  migrating an in-memory file workspace once per process. Imports check their own ids
  (:func:`check_ids`).
* **Concurrent writers.** DuckLake lets two transactions append to one table at once, so two
  servers importing the same ids could both commit. Every write transaction first updates the
  one row of ``lake_write_token``: two overlapping writers then delete the same row, DuckLake
  refuses the later commit, and it is rolled back whole (:class:`WriteConflict`).
* **Macros and views** are stored by DuckLake 1.0 like tables; names are resolved in the lake
  because every cursor starts with ``use`` of it (:data:`ALIAS`).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

import duckdb

from queries import extensions

T = TypeVar("T")
PREFIX = "ducklake:"
# The name the lake is attached under in every connection of a lake workspace.
ALIAS = "flywheel_lake"
# The one-row table every write transaction updates first (see the module docstring). Not part
# of the workspace contract: it exists only on a lake.
TOKEN_TABLE = "lake_write_token"
LAKE_ONLY_TABLES = (TOKEN_TABLE,)
_OPTION = re.compile(r"(?i)(?:^|\s)(data_path|metadata_schema)=('(?:[^']|'')*'|\S+)")
_KEYWORD = re.compile(r"(\w+)=('(?:[^']|'')*'|\S+)")


class WriteConflict(RuntimeError):
    """Another server committed a write to the lake while this one was writing."""


class DoubledKey(RuntimeError):
    """A write would leave two rows with one key (or break a check) where a file workspace's
    constraint would have refused it."""


def is_target(text: object) -> bool:
    return isinstance(text, str | LakeTarget) and str(text).strip().lower().startswith(PREFIX)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def _quoted(value: str) -> str:
    """``value`` as a target writes it: single-quoted when it holds a space or a quote."""
    if re.search(r"[\s']", value):
        return "'" + value.replace("'", "''") + "'"
    return value


# password=… among libpq's keywords, or user:password@ in a postgresql:// URI
_PASSWORD = re.compile(r"(?i)(?:^|[\s:])password=|://[^/@\s:]*:[^/@\s]*@")
PASSWORD_REFUSED = (
    "A DuckLake target must not hold a password: it would show in the list of processes and in "
    "the shell's history, and the app keeps the target as it prints it, with the password "
    "hidden. Take password=… out of the target and give the password in the PGPASSWORD "
    "environment variable or in ~/.pgpass (PostgreSQL's libpq reads both)."
)


@dataclass(frozen=True)
class LakeTarget:
    """A parsed DuckLake target. Reads like a workspace path where the app shows one (``name``,
    ``stem``, ``str``), and ``str`` is the whole target: ``parse(str(t)) == t``, so the app may keep
    it as a string. A password in it is refused (:data:`PASSWORD_REFUSED`)."""

    catalog: str  # DuckLake's catalog string, e.g. "postgres:dbname=flywheel host=…"
    data_path: str | None = None
    metadata_schema: str | None = None

    def __post_init__(self) -> None:
        # refused, not hidden: the printed target is what the app keeps and reopens, so it must
        # be the whole target (str(target(text)) opens the same lake)
        if _PASSWORD.search(self.catalog):
            raise ValueError(PASSWORD_REFUSED)

    @classmethod
    def parse(cls, text: str) -> LakeTarget:
        text = str(text).strip()
        if not text.lower().startswith(PREFIX):
            raise ValueError(f"not a DuckLake target (it starts with {PREFIX!r}): {text!r}")
        rest = text[len(PREFIX) :]
        options = {k.lower(): _unquote(v) for k, v in _OPTION.findall(rest)}
        catalog = " ".join(_OPTION.sub(" ", rest).split())
        if not catalog:
            raise ValueError(f"the DuckLake target {text!r} names no catalog")
        return cls(catalog, options.get("data_path"), options.get("metadata_schema"))

    @property
    def is_postgres(self) -> bool:
        return self.catalog.lower().startswith("postgres:")

    def keyword(self, name: str) -> str | None:
        """A libpq keyword of a postgres catalog (dbname, host, port, user)."""
        if not self.is_postgres:
            return None
        found = {k.lower(): _unquote(v) for k, v in _KEYWORD.findall(self.catalog[9:])}
        return found.get(name)

    @property
    def name(self) -> str:
        if self.is_postgres:
            base = self.keyword("dbname") or self.keyword("user") or "postgres"
        else:
            base = Path(self.catalog.split(":", 1)[-1]).stem
        return f"{base}.{self.metadata_schema}" if self.metadata_schema else base

    @property
    def stem(self) -> str:
        return self.name

    def resolve(self) -> LakeTarget:
        return self

    @property
    def parent(self) -> Path:
        """Where the app's workspace switcher looks for workspace files beside this one: the
        project's workspaces folder (a lake has no folder of its own)."""
        return Path(__file__).resolve().parent.parent / "workspaces"

    def exists(self) -> bool:
        """Whether a workspace lives there (a lake with Flywheel's schema_version table).
        RuntimeError when the catalog cannot be reached: "no workspace" would mislead."""
        con = duckdb.connect()
        try:
            attach(con, self, read_only=True)
            found = con.execute(
                "select count(*) from duckdb_tables() "
                "where database_name = $db and table_name = 'schema_version'",
                {"db": ALIAS},
            ).fetchone()[0]
            return bool(found)
        except duckdb.Error as exc:
            if "does not exist" in str(exc):  # no lake there yet
                return False
            raise RuntimeError(f"cannot open the DuckLake workspace {self}: {_said(exc)}") from None
        finally:
            con.close()

    def __str__(self) -> str:
        shown = re.sub(r"(?i)(password=)('(?:[^']|'')*'|\S+)", r"\1***", self.catalog)
        parts = [f"{PREFIX}{shown}"]
        if self.data_path:
            parts.append(f"DATA_PATH={_quoted(self.data_path)}")
        if self.metadata_schema:
            parts.append(f"METADATA_SCHEMA={_quoted(self.metadata_schema)}")
        return " ".join(parts)


def _said(exc: BaseException) -> str:
    """The first line of an error, a password in it hidden (DuckLake repeats the catalog)."""
    first = (str(exc).splitlines() or [""])[0]
    return re.sub(r"(?i)(password=)('(?:[^']|'')*'|\S+)", r"\1***", first)[:300]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# The data path in an S3-compatible bucket: DuckDB's httpfs reads and writes it, with a secret
# made in memory from the standard AWS variables of the server's environment (never from the
# target, which is printed): AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
# AWS_REGION (or AWS_DEFAULT_REGION) and, for a bucket not on AWS, AWS_ENDPOINT_URL
# (e.g. http://minio.internal:9000: its scheme says whether TLS is used, and such servers are
# addressed by path, not by a bucket's host name).
OBJECT_STORE = ("s3://", "s3a://", "s3n://", "r2://", "gcs://", "gs://")
_S3_SECRET = {
    "key_id": "AWS_ACCESS_KEY_ID",
    "secret": "AWS_SECRET_ACCESS_KEY",
    "session_token": "AWS_SESSION_TOKEN",
}


def object_store(con: duckdb.DuckDBPyConnection, target: LakeTarget) -> None:
    """Load httpfs and make the bucket's secret when the lake's files are in a bucket: the data
    path is a bucket URL, or (a later opener may leave the path out) AWS credentials are set."""
    url = (target.data_path or "").lower().startswith(OBJECT_STORE)
    if not url and not os.environ.get("AWS_ACCESS_KEY_ID"):
        return
    extensions.load(con, "httpfs")
    parts = ["type s3"]
    for option, variable in _S3_SECRET.items():
        if os.environ.get(variable):
            parts.append(f"{option} {_literal(os.environ[variable])}")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if region:
        parts.append(f"region {_literal(region)}")
    endpoint = os.environ.get("AWS_ENDPOINT_URL", "").strip()
    if endpoint:
        scheme, _, host = endpoint.partition("://")
        parts += [
            f"endpoint {_literal(host.rstrip('/') if host else scheme)}",
            "url_style 'path'",
            f"use_ssl {'false' if scheme.lower() == 'http' else 'true'}",
        ]
    # a temporary secret: in this connection's memory only
    con.execute(f"create or replace temporary secret flywheel_s3 ({', '.join(parts)})")


def attach(
    con: duckdb.DuckDBPyConnection, target: LakeTarget, *, read_only: bool, alias: str = ALIAS
) -> None:
    """Load the extensions (offline) and attach the lake as ``alias`` (:data:`ALIAS`)."""
    extensions.load(con, "ducklake")
    if target.is_postgres:
        extensions.load(con, "postgres")
    object_store(con, target)
    options = []
    if target.data_path:
        options.append(f"data_path {_literal(target.data_path)}")
    if target.metadata_schema:
        options.append(f"metadata_schema {_literal(target.metadata_schema)}")
    if read_only:
        options.append("read_only")
    opts = f" ({', '.join(options)})" if options else ""
    # the target comes from the operator (FLYWHEEL_DB, --db), never from a page
    con.execute(f"attach {_literal(PREFIX + target.catalog)} as {alias}{opts}")


def connect(
    target: LakeTarget, *, read_only: bool, config: dict[str, str]
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached; raises FileNotFoundError for a read-only open
    of a lake that does not exist, RuntimeError (with the password hidden) when it cannot be
    reached."""
    con = duckdb.connect(config=config)
    try:
        for attempt in range(5):
            try:
                attach(con, target, read_only=read_only)
                break
            except duckdb.Error as exc:
                # several servers creating one new lake at once: one creates its catalog, the
                # others fail on PostgreSQL's duplicate keys and attach what it made
                racing = any(w in str(exc) for w in ("duplicate key", "already exists"))
                if not racing or attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))
        if not read_only:
            ensure_token(con)
    except duckdb.Error as exc:
        con.close()
        if read_only and "does not exist" in str(exc):
            raise FileNotFoundError(f"no workspace at {target}") from None
        raise RuntimeError(f"cannot open the DuckLake workspace {target}: {_said(exc)}") from None
    return con


def use(cur: duckdb.DuckDBPyConnection) -> None:
    """Resolve unqualified names in the lake (a cursor starts in DuckDB's in-memory catalog)."""
    cur.execute(f"use {ALIAS}")


def ensure_token(con: duckdb.DuckDBPyConnection) -> None:
    """Create the write token's table and its one row if the lake has none (first opener)."""
    cur = con.cursor()
    try:
        use(cur)
        for _ in range(5):  # first openers at once: one creates it, the others' commits are refused
            cur.execute("begin transaction")
            try:
                cur.execute(
                    f"create table if not exists {TOKEN_TABLE} "
                    "(writes bigint not null, written_at timestamp)"
                )
                if cur.execute(f"select count(*) from {TOKEN_TABLE}").fetchone()[0] == 0:
                    cur.execute(f"insert into {TOKEN_TABLE} values (0, null)")
            except BaseException:
                cur.execute("rollback")
                raise
            try:
                cur.execute("commit")
                return
            except duckdb.TransactionException:
                time.sleep(0.1)
    finally:
        cur.close()


def claim_write(cur: duckdb.DuckDBPyConnection) -> None:
    """The first statement of every write transaction on a lake: see the module docstring."""
    cur.execute(
        f"update {TOKEN_TABLE} set writes = writes + 1, written_at = current_timestamp::timestamp"
    )


def commit(cur: duckdb.DuckDBPyConnection, target: LakeTarget) -> None:
    """Commit, turning DuckLake's refusal of a conflicting commit into one sentence. A refused
    commit is rolled back whole by DuckDB: nothing of the transaction stays."""
    try:
        cur.execute("commit")
    except duckdb.TransactionException as exc:
        if "conflict" not in str(exc).lower():
            raise
        raise WriteConflict(
            f"Another Flywheel server saved a change to the workspace {target.name} while this "
            "one was saving: nothing of this change was saved. Run it again (it will see the "
            "other change)."
        ) from exc


def retrying(write: Callable[[], T], tries: int = 3) -> T:
    """Run ``write`` (one whole transaction, safe to run again) up to ``tries`` times while
    another server's commit refuses it (WriteConflict; never on a file). The token makes any two
    overlapping writes conflict, related or not: most such refusals succeed the second time."""
    for attempt in range(tries):
        try:
            return write()
        except WriteConflict:
            if attempt == tries - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")


def snapshot_id(cur: duckdb.DuckDBPyConnection) -> int:
    """The lake's newest snapshot: it changes with every committed write of any server. One
    catalog query (DuckLake's current-snapshot function: half the time of the snapshots list)."""
    return int(cur.execute(f"select id from ducklake_current_snapshot('{ALIAS}')").fetchone()[0])


# -- migrations ---------------------------------------------------------------------------------
_LEADING = re.compile(r"^(?:\s+|--[^\n]*\n?|/\*.*?\*/)*", re.S)
_CREATE_TABLE = re.compile(
    r"(?is)^create\s+(or\s+replace\s+)?table\s+(if\s+not\s+exists\s+)?([\w.\"]+)\s*\("
)
_INDEX = re.compile(r"(?is)^create\s+(unique\s+)?index\b")
_SET_NOT_NULL = re.compile(
    r"(?is)^alter\s+table\s+(\S+)\s+alter\s+(column\s+)?(\S+)\s+set\s+not\s+null$"
)
_ADD_KEY = re.compile(
    r"(?is)^alter\s+table\s+\S+\s+add\s+(constraint\s+\S+\s+)?(primary\s+key|unique)\b"
)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _without_constraints(statement: str, scratch: duckdb.DuckDBPyConnection) -> str:
    """``create table`` with its columns, types, NOT NULL and defaults as DuckDB parses them,
    and no key or check constraint: the statement is run on the empty in-memory ``scratch``
    and the table rebuilt from what DuckDB made of it."""
    m = _CREATE_TABLE.match(statement)
    assert m is not None
    scratch.execute(statement)
    name = scratch.execute(
        "select table_name from duckdb_tables() where database_name = 'memory'"
    ).fetchone()[0]
    cols = scratch.execute(
        "select column_name, data_type, is_nullable, column_default from duckdb_columns() "
        "where database_name = 'memory' and table_name = $t order by column_index",
        {"t": name},
    ).fetchall()
    scratch.execute(f"drop table {_ident(name)}")
    body = ",\n    ".join(
        f"{_ident(col)} {dtype}"
        + ("" if nullable else " not null")
        + ("" if default is None else f" default {default}")
        for col, dtype, nullable, default in cols
    )
    head = "create " + ("or replace " if m.group(1) else "") + "table "
    head += "if not exists " if m.group(2) else ""
    return f"{head}{m.group(3)} (\n    {body}\n)"


_scratch_lock = threading.Lock()


@cache
def _translated(sql: str) -> tuple[str, ...]:
    out: list[str] = []
    with _scratch_lock:
        scratch = _scratch()
        for statement in scratch.extract_statements(sql):
            bare = _LEADING.sub("", statement.query, count=1).rstrip().rstrip(";")
            if _INDEX.match(bare) or _ADD_KEY.match(bare):
                continue  # what the index or key guarded is checked by check_contract
            out.append(_without_constraints(bare, scratch) if _CREATE_TABLE.match(bare) else bare)
    return tuple(out)


@cache
def _scratch() -> duckdb.DuckDBPyConnection:
    """An empty in-memory DuckDB to parse migrations with (one per process: a connection costs
    tens of milliseconds)."""
    return duckdb.connect()


def portable_sql(sql: str) -> str:
    """A migration as DuckLake accepts it: each ``create table`` without its PRIMARY KEY, UNIQUE
    and CHECK constraints, no ``create index`` and no ``alter table … add primary key/unique``;
    every other statement unchanged. Generic over future migrations (no table is named here)."""
    return "".join(f"{s};\n" for s in _translated(sql))


def run_sql(cur: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run a migration on the lake, in the caller's transaction: :func:`portable_sql`, statement
    by statement, with ``alter table T alter column C set not null`` done by rebuilding T (see
    :func:`_set_not_null`)."""
    for statement in _translated(sql):
        m = _SET_NOT_NULL.match(statement)
        if m:
            _set_not_null(cur, m.group(1), m.group(3))
        else:
            cur.execute(statement)


def _set_not_null(cur: duckdb.DuckDBPyConnection, table: str, column: str) -> None:
    """DuckLake refuses SET NOT NULL on a table without statistics (one the same transaction
    created or filled, or an empty one: migration 005 rebuilds raw_leads and raw_deals, then sets
    their NOT NULL columns). The same result: a copy of the table with the column NOT NULL, its
    rows, under the old name."""
    table, column = table.strip('"'), column.strip('"')
    cols = cur.execute(
        "select column_name, data_type, is_nullable, column_default from duckdb_columns() "
        "where database_name = current_database() and schema_name = current_schema() "
        "and table_name = $t order by column_index",
        {"t": table},
    ).fetchall()
    if not any(c[0] == column for c in cols):
        raise duckdb.CatalogException(f"no column {column} in table {table}")
    body = ", ".join(
        f"{_ident(name)} {dtype}"
        + ("" if nullable and name != column else " not null")
        + ("" if default is None else f" default {default}")
        for name, dtype, nullable, default in cols
    )
    copy = _ident(f"{table}__not_null")
    cur.execute(f"create table {copy} ({body})")
    cur.execute(f"insert into {copy} select * from {_ident(table)}")
    cur.execute(f"drop table {_ident(table)}")
    cur.execute(f"alter table {copy} rename to {_ident(table)}")


@dataclass(frozen=True)
class Rule:
    """A constraint a file workspace has and a lake does not store."""

    table: str
    kind: str  # "PRIMARY KEY", "UNIQUE" or "CHECK"
    columns: tuple[str, ...]
    expression: str | None  # for CHECK


@cache
def contract_rules() -> tuple[Rule, ...]:
    """The key and check constraints of a file workspace at the latest migration: migrate one in
    memory (once per process) and read them off DuckDB's catalog."""
    from queries import migrations

    scratch = duckdb.connect()
    try:
        migrations.prepare(scratch)
        for version, path in migrations.available():
            migrations.apply(scratch, version, path)
        rows = scratch.execute(
            "select table_name, constraint_type, constraint_column_names, expression "
            "from duckdb_constraints() where database_name = 'memory' "
            "and constraint_type in ('PRIMARY KEY', 'UNIQUE', 'CHECK') "
            "order by table_name, constraint_index"
        ).fetchall()
    finally:
        scratch.close()
    return tuple(Rule(t, k, tuple(c), e) for t, k, c, e in rows)


def _violations_sql(rules: tuple[Rule, ...]) -> str:
    parts = []
    for i, rule in enumerate(rules):
        cols = ", ".join(_ident(c) for c in rule.columns)
        shown = " || ', ' || ".join(f"coalesce({_ident(c)}::varchar, 'null')" for c in rule.columns)
        if rule.kind == "CHECK":
            where = f"({rule.expression}) is false"
            parts.append(
                f"select {i} as rule, ({shown}) as example from "
                f"(select * from {_ident(rule.table)} where {where} limit 1)"
            )
        else:
            nonnull = " and ".join(f"{_ident(c)} is not null" for c in rule.columns)
            parts.append(
                f"select {i} as rule, ({shown}) as example from (select {cols} from "
                f"{_ident(rule.table)} where {nonnull} group by all having count(*) > 1 limit 1)"
            )
    return "\nunion all\n".join(parts)


def check_contract(cur: duckdb.DuckDBPyConnection) -> None:
    """Before a lake write commits: raise DoubledKey if any key of the contract holds twice or
    any check fails (what a file workspace's constraints refuse), so the transaction rolls back.
    One query over the (small) keyed tables."""
    rules = contract_rules()
    if not rules:
        return
    bad = cur.execute(_violations_sql(rules)).fetchall()
    if not bad:
        return
    rule = rules[bad[0][0]]
    what = (
        f"the check {rule.expression}"
        if rule.kind == "CHECK"
        else f"two rows with {', '.join(rule.columns)} = {bad[0][1]}"
    )
    raise DoubledKey(
        f"This change would leave {what} in the table {rule.table}; nothing was saved."
    )


def check_ids(cur: duckdb.DuckDBPyConnection, table: str, key: str, import_id: str) -> None:
    """After an import wrote its rows, inside its transaction: raise DoubledKey when one of its
    ids is held twice (another server imported the same record between this import's check and
    its commit)."""
    k, t = _ident(key), _ident(table)
    doubled = cur.execute(
        f"select {k} from {t} where {k} in (select {k} from {t} where import_id = $id) "
        f"group by {k} having count(*) > 1 limit 3",
        {"id": import_id},
    ).fetchall()
    if doubled:
        ids = ", ".join(str(r[0]) for r in doubled)
        raise DoubledKey(
            f"This import would hold {key} {ids} twice in {table}: another import saved the "
            "same records after this one was checked. Nothing was saved; check the file again."
        )


def drop_everything(target: LakeTarget) -> None:
    """Empty the lake of every table, view and macro (``flywheel seed --force`` on a lake)."""
    con = duckdb.connect()
    try:
        attach(con, target, read_only=False)
        use(con)
        con.execute("begin transaction")
        for (name,) in con.execute(
            "select view_name from duckdb_views() where database_name = $db and not internal",
            {"db": ALIAS},
        ).fetchall():
            con.execute(f"drop view if exists {_ident(name)}")
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where database_name = $db", {"db": ALIAS}
        ).fetchall():
            con.execute(f"drop table if exists {_ident(name)}")
        for name, kind in con.execute(
            "select distinct function_name, function_type from duckdb_functions() "
            "where database_name = $db and function_type in ('macro', 'table_macro')",
            {"db": ALIAS},
        ).fetchall():
            word = "macro table" if kind == "table_macro" else "macro"
            con.execute(f"drop {word} if exists {_ident(name)}")
        con.execute("commit")
    finally:
        con.close()


# -- maintenance (flywheel compact, the Data page's Compact) -------------------------------------
# How long a file DuckLake no longer needs stays on storage before cleanup deletes it: another
# server's query that began before a merge may still be reading the merged-away files (no
# Flywheel read lasts an hour). A nightly compact deletes what the previous night's freed.
CLEANUP_GRACE_SECONDS = 3600


@dataclass(frozen=True)
class Maintenance:
    """What DuckLake's maintenance did to a lake's files: the bytes and files under its data
    path before and after, and each step's count."""

    bytes_before: int
    bytes_after: int
    files_before: int
    files_after: int
    flushed_tables: int  # tables whose inlined rows were written to a file
    snapshots_expired: int
    files_merged: int  # small files merged into bigger ones
    files_rewritten: int  # files rewritten without their deleted rows
    files_deleted: int  # files no snapshot needs any more, deleted
    files_waiting: int  # files no snapshot needs, kept for the grace period

    @property
    def freed(self) -> int:
        return max(self.bytes_before - self.bytes_after, 0)


def data_path(cur: duckdb.DuckDBPyConnection) -> str:
    """Where the lake's Parquet files live, as DuckLake keeps it in its catalog."""
    row = cur.execute(
        f"select value from ducklake_options('{ALIAS}') where option_name = 'data_path'"
    ).fetchone()
    return str(row[0]) if row else ""


def storage(cur: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(files, bytes) under the lake's data path: every snapshot's files and those waiting for
    deletion, what the disk or the bucket holds. DuckDB lists them and reads only their sizes
    (the same on an object store through httpfs)."""
    path = data_path(cur)
    if not path:
        return 0, 0
    glob = path.rstrip("/") + "/**/*.parquet"
    try:
        n, size = cur.execute(
            "select count(*), coalesce(sum(size), 0)::bigint from read_blob($g)", {"g": glob}
        ).fetchone()
    except duckdb.IOException as exc:
        if "No files found" in str(exc):
            return 0, 0
        raise
    return int(n), int(size)


def _call(cur: duckdb.DuckDBPyConnection, function: str) -> int:
    """CALL one of DuckLake's maintenance functions; the rows it returns (one per table, snapshot
    or file it acted on). CALL, not ``select count(*) from``: counted that way DuckLake skipped
    part of the work (inlined rows stayed inlined, deleted files stayed listed). Read as Arrow:
    its timestamps carry a time zone, which DuckDB's tuples would need pytz for."""
    return cur.execute(f"call {function}").to_arrow_table().num_rows


def _inlined_tables(cur: duckdb.DuckDBPyConnection, metadata_schema: str | None) -> list[str]:
    """The tables that hold rows inlined in the catalog (small writes DuckLake keeps in
    PostgreSQL until a flush), from DuckLake's catalog tables (its 1.0 specification's
    ``ducklake_inlined_data_tables``): one query. Flushing every table instead asks the catalog
    about each of the workspace's ~60 tables, 5 s on the test machine, where most hold none."""
    meta = f"{_ident('__ducklake_metadata_' + ALIAS)}.{_ident(metadata_schema or 'public')}"
    found = cur.execute(
        f"select i.table_name, t.table_name from {meta}.ducklake_inlined_data_tables i "
        f"join {meta}.ducklake_table t on t.table_id = i.table_id and t.end_snapshot is null"
    ).fetchall()
    if not found:
        return []
    counts = " union all ".join(
        f"select {_literal(table)} as t from {meta}.{_ident(inlined)} "
        "where end_snapshot is null having count(*) > 0"
        for inlined, table in found
    )
    return sorted({str(t) for (t,) in cur.execute(counts).fetchall()})


def maintain(
    cur: duckdb.DuckDBPyConnection,
    *,
    snapshots_before: str | None,
    grace_seconds: int = CLEANUP_GRACE_SECONDS,
    metadata_schema: str | None = None,
) -> Maintenance:
    """DuckLake's maintenance, in the order its own CHECKPOINT runs it: inlined rows to files,
    snapshots older than ``snapshots_before`` (an ISO timestamp in UTC; None keeps every
    snapshot) expired, small files merged, files with many deleted rows rewritten, and the files
    no snapshot needs any more deleted once they have waited ``grace_seconds``. Each step is
    DuckLake's own transaction; run with no transaction open.

    Flywheel's undo needs no snapshot: it keeps what an import replaced in replaced_<kind>
    tables, as on a file, so expiring snapshots loses time travel only."""
    files_before, bytes_before = storage(cur)
    lake = _literal(ALIAS)
    flushed = 0
    for table in _inlined_tables(cur, metadata_schema):
        named = _literal(table)
        flushed += _call(cur, f"ducklake_flush_inlined_data({lake}, table_name => {named})")
    expired = 0
    if snapshots_before is not None:
        # an ISO timestamp we made, as a literal
        at = _literal(str(snapshots_before))
        expired = _call(cur, f"ducklake_expire_snapshots({lake}, older_than => {at}::timestamptz)")
    merged = cur.execute(f"call ducklake_merge_adjacent_files({lake})").to_arrow_table()
    rewritten = _call(cur, f"ducklake_rewrite_data_files({lake})")
    deleted = _call(
        cur,
        f"ducklake_cleanup_old_files({lake}, "
        f"older_than => now() - to_seconds({int(grace_seconds)}))",
    )
    waiting = _call(
        cur, f"ducklake_cleanup_old_files({lake}, dry_run => true, cleanup_all => true)"
    )
    files_after, bytes_after = storage(cur)
    return Maintenance(
        bytes_before=bytes_before,
        bytes_after=bytes_after,
        files_before=files_before,
        files_after=files_after,
        flushed_tables=flushed,
        snapshots_expired=expired,
        files_merged=sum(merged.column("files_processed").to_pylist()),
        files_rewritten=rewritten,
        files_deleted=deleted,
        files_waiting=waiting,
    )
