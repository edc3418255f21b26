"""The import engine: one file → a checked plan → one transaction; and undo.

    plan = open_import(ws, path)          # read, detect kind and preset, suggest the mapping
    plan.configure(Choices(...))          # the user's corrections (mapping, stage outcomes, ...)
    report = plan.validate("append")      # rows that will load, rejects, preview; writes nothing
    result = plan.commit("append")        # one transaction; recorded in `imports`
    undo(ws, result.import_id)            # removes exactly that import's rows, restores replaced

The file is staged in temp tables on the plan's own cursor (no other session sees them) as text
columns c0..cN. Parsing runs in SQL (SQL fast paths checked against queries/ingest/parsers.py) so a
million-row file imports in about the time DuckDB takes to read it. Every SQL statement below
is fixed text with bound parameters; the only generated parts are our own column names c<i>
and field names, never text from the file.
"""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from queries.ingest import files, parsers, presets
from queries.ingest.errors import ImportRefused
from queries.ingest.fields import FIELDS, KINDS, MODES, OBJECTIVES, field_names, missing_required
from queries.workspace import Workspace, refresh_lead_facts

PREVIEW_ROWS = 20
SAMPLE_ROWS = 500
MAX_REJECTS_SHOWN = 100_000

# The record key per kind (None: spend rows have no id; they are appended or replaced).
KEYS = {
    "leads": "lead_id",
    "deals": "deal_id",
    "campaigns": "campaign_id",
    "spend": None,
    "accounts": "account_id",
    "reps": "owner",
    "products": "product_id",
    "touches": "touch_id",
}
TABLES = {
    "leads": "raw_leads",
    "deals": "raw_deals",
    "campaigns": "campaigns",
    "spend": "spend",
    "accounts": "accounts",
    "reps": "sales_reps",
    "products": "products",
    "touches": "touches",
}
# Writing these changes what linked records say about each other (a lead's deals, a deal's
# lead source, an account's segment, a rep's role; migrations 011, 013, 014): refresh before
# commit.
LEAD_FACT_TABLES = ("raw_leads", "raw_deals", "accounts", "sales_reps")
# The columns each kind writes, in the table's order (import_id is added by the engine).
COLUMNS = {
    "leads": (
        "lead_id",
        "created_at",
        "source",
        "campaign_id",
        "segment",
        "region",
        "lead_score",
        "mql_at",
        "sql_at",
        "first_touch_at",
        "owner",
        "email",
        "account",
        "converted",
        "converted_deal_id",
    ),
    "deals": (
        "deal_id",
        "name",
        "account",
        "lead_id",
        "created_at",
        "closed_at",
        "stage",
        "outcome",
        "amount",
        "currency",
        "product",
        "segment",
        "region",
        "owner",
        "source",
        "campaign_id",
        "discount_pct",
        "lost_reason",
        "account_id",
        "contact_email",
        "deal_type",
    ),
    "campaigns": (
        "campaign_id",
        "name",
        "channel",
        "objective",
        "start_date",
        "end_date",
        "budget",
        "status",
        "owner",
        "segment",
    ),
    "spend": ("spent_on", "category", "channel", "campaign_id", "amount"),
    "accounts": (
        "account_id",
        "name",
        "industry",
        "segment",
        "region",
        "country",
        "employees",
        "annual_revenue",
        "created_at",
        "owner",
        "parent",
    ),
    "reps": (
        "owner",
        "rep_id",
        "email",
        "role",
        "team",
        "manager",
        "region",
        "hired_on",
        "left_on",
        "quota",
        "monthly_cost",
    ),
    "products": ("product_id", "name", "family", "list_price", "currency"),
    "touches": (
        "touch_id",
        "lead_id",
        "deal_id",
        "campaign_id",
        "channel",
        "touched_at",
        "touch_type",
    ),
}

# Where a record's id comes from when the file has no id column.
ID_FALLBACK = {
    "leads": ("email",),
    "deals": ("name",),
    "campaigns": ("name",),
    "accounts": ("name",),
    "reps": ("email", "rep_id"),
    "products": ("name",),
    "touches": ("lead_id", "email"),
}

# Text is stored as written, trimmed of surrounding blanks; testing for a blank at either end
# first is five times faster than trimming every value of a million-row column.
_BLANK_CHARS = (" ", "\t", "\u00a0", "\u3000")
_TEXT = (
    "case when "
    + " or ".join(f"{{c}} like '{ch}%' or {{c}} like '%{ch}'" for ch in _BLANK_CHARS)
    + " then nullif(trim({c}, '"
    + "".join(_BLANK_CHARS)
    + "'), '') else nullif({c}, '') end"
)
# Control characters (NUL, ESC, VT... but not tab or line breaks) and zero-width marks: stored,
# they break the XLSX export and make "ID-1" and "ID-1\u200b" two records. Removed from every
# text value of a column that holds any (checked once per column, so clean files pay one scan).
_INVISIBLE = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F\\x{200B}-\\x{200D}\\x{2060}\\x{FEFF}]"
_CLEAN_TEXT = _TEXT.replace(
    "{c}",
    "regexp_replace({c}, '" + _INVISIBLE.replace("{", "{{").replace("}", "}}") + "', '', 'g')",
)
# SQL types of the typed fields, and the Python parser that decides what a value means.
_SQL_TYPES = {
    "money": "decimal(18,2)",
    "number": "double",
    "percent": "double",
    "timestamp": "timestamp",
    "date": "date",
    "outcome": "varchar",
    "flag": "boolean",
}


def _python_parser(type_: str, plan: Plan) -> Callable[[str], object]:
    if type_ == "money":
        return lambda v: parsers.parse_money(v, plan.decimal_comma)
    if type_ == "number":
        return lambda v: parsers.parse_number(v, plan.decimal_comma)
    if type_ == "percent":
        return lambda v: parsers.parse_percent(v, plan.decimal_comma)
    if type_ == "timestamp":
        return lambda v: parsers.parse_timestamp(v, plan.day_first)
    if type_ == "date":
        return lambda v: parsers.parse_date(v, plan.day_first)
    if type_ == "flag":
        return parsers.parse_flag
    return parsers.parse_outcome


_BAD_CODE = {
    "money": "bad_money",
    "number": "bad_number",
    "percent": "bad_percent",
    "timestamp": "bad_date",
    "date": "bad_date",
    "outcome": "bad_outcome",
    "flag": "bad_flag",
}
# English sentences stored in import_rejects.reason (the page translates by code).
REASONS = {
    "bad_money": 'column "{column}": "{value}" is not an amount of money',
    "bad_number": 'column "{column}": "{value}" is not a number',
    "bad_percent": 'column "{column}": "{value}" is not a percentage',
    "bad_date": 'column "{column}": "{value}" is not a date',
    "bad_outcome": 'column "{column}": "{value}" is not won, lost or open',
    "bad_flag": 'column "{column}": "{value}" is not yes or no',
    "no_close_date": 'column "{column}": the deal is {value} but has no close date, so it '
    "could never count as won or lost in a period",
    "closed_before_created": 'column "{column}": the close date "{value}" is before the '
    "deal was created",
    "bad_value": 'column "{column}": "{value}" is not one of the allowed values',
    "missing_value": 'column "{column}" is empty, and the record cannot be stored without it',
    "duplicate_in_file": 'column "{column}": "{value}" appears earlier in the file (row {detail})',
    "already_exists": 'column "{column}": "{value}" is already in the workspace '
    "(use upsert to update it)",
    "end_before_start": 'column "{column}": the end date "{value}" is before the start date',
    "field_count": "the line has {detail}",
}
OBJECTIVE_SYNONYMS = {
    **{o: o for o in OBJECTIVES},
    "brand": "awareness",
    "reach": "awareness",
    "认知": "awareness",
    "品牌": "awareness",
    "interest": "consideration",
    "lead generation": "consideration",
    "考虑": "consideration",
    "兴趣": "consideration",
    "conversion": "purchase",
    "decision": "purchase",
    "购买": "purchase",
    "转化": "purchase",
    "retention": "loyalty",
    "忠诚": "loyalty",
    "留存": "loyalty",
    "referral": "advocacy",
    "推荐": "advocacy",
    "口碑": "advocacy",
}
CATEGORY_SYNONYMS = {
    "marketing": "marketing",
    "media": "marketing",
    "ads": "marketing",
    "advertising": "marketing",
    "市场": "marketing",
    "营销": "marketing",
    "sales": "sales",
    "销售": "sales",
}


@dataclass
class Choices:
    """What the user decided; None or empty means: detect or suggest."""

    kind: str | None = None
    preset: str | None = None
    mapping: dict[str, str | None] = field(default_factory=dict)  # field -> header (None: unmap)
    day_first: bool | None = None
    decimal_comma: bool | None = None
    stage_outcomes: dict[str, str] = field(default_factory=dict)  # stage value -> outcome
    source_motions: dict[str, str | None] = field(default_factory=dict)  # source -> motion


@dataclass
class Report:
    """What an import would do, computed before anything is written."""

    mode: str
    rows_read: int
    rows_ok: int
    rows_rejected: int
    footer_lines: int
    rejects: pd.DataFrame  # row_number, column, code, value, reason
    blanks: dict[str, int]  # field -> empty values stored as null
    ambiguous_dates: int
    existing: int  # keys already in the workspace (upsert: updated; append: rejected)
    replaced: int  # rows of earlier imports that replace mode removes
    preview: pd.DataFrame
    duplicate_of: dict | None  # the earlier import of the same file (same sha256)


@dataclass
class Result:
    import_id: str
    kind: str
    mode: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    footer_lines: int
    rows_replaced: int


def _used(sql: str, params: Mapping[str, object]) -> dict[str, object]:
    """The parameters a statement uses (DuckDB refuses unused named parameters)."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():  # our own names only
        raise ValueError(name)
    return name


class Plan:
    """A staged file and how it will be read. Close it (or use ``with``) when done."""

    def __init__(self, ws: Workspace, src: files.Source, cur: duckdb.DuckDBPyConnection) -> None:
        self.ws = ws
        self.src = src
        self.cur = cur
        self.rows_read = 0
        self.bad_lines = 0
        self.headers: list[str] = []
        self.detections: list[presets.Detection] = []
        self.kind = ""
        self.preset = "generic"
        self.mapping: dict[str, str] = {}  # field -> header
        self.mapping_origin = "suggested"  # suggested | remembered | chosen
        self.day_first = False
        self.decimal_comma = False
        self.stage_outcomes: dict[str, str] = {}
        self.source_motions: dict[str, str | None] = {}
        self.choices = Choices()
        self._validated_mode: str | None = None
        self.report: Report | None = None
        # Set when the rows are parsed: the fast path chosen per typed field, and the fields
        # whose every value it reads (no value left for the Python parser).
        self.fast_paths: dict[str, str] = {}
        self.fully_fast: set[str] = set()
        self._all_ok = False  # no checked row has a problem
        # Stored columns no mapped field feeds (always null): left out of checked, and written
        # as typed nulls (column -> SQL type).
        self.absent_columns: dict[str, str] = {}

    # -- context management ----------------------------------------------------------------
    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.cur.close()
        self.src.cleanup()

    def __enter__(self) -> Plan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading the staged file -------------------------------------------------------------
    def column_of(self, header: str) -> str:
        return f"c{self.headers.index(header)}"

    def samples(self, n: int = SAMPLE_ROWS) -> dict[str, list[str]]:
        cols = ", ".join(f"c{i}" for i in range(len(self.headers)))
        rows = self.cur.execute(f"select {cols} from stage limit {int(n)}").fetchall()
        return {h: [r[i] for r in rows if r[i] is not None] for i, h in enumerate(self.headers)}

    def distinct_values(self, header: str, limit: int = 500) -> pd.DataFrame:
        """The values of one column (trimmed) with their row counts, most frequent first."""
        c = self.column_of(header)
        df = self.cur.execute(
            f"select {c} as value, count(*) as rows from stage where {c} is not null group by 1"
        ).df()
        df["value"] = df["value"].map(lambda v: v.strip(" \t\u00a0\u3000"))
        df = df[df["value"] != ""].groupby("value", as_index=False)["rows"].sum()
        return (
            df.sort_values(["rows", "value"], ascending=[False, True])
            .head(limit)
            .reset_index(drop=True)
        )

    # -- deciding how to read it -------------------------------------------------------------
    def configure(self, choices: Choices | None = None) -> None:
        """Detect what was not chosen; refuse when a required field has no column."""
        self.choices = choices = choices or self.choices
        self.report = None
        samples = self.samples()
        self.detections = presets.detect(self.headers, samples)
        if choices.kind:
            self.kind = choices.kind
        elif self.detections:
            self.kind = self.detections[0].kind
        else:
            raise ImportRefused(
                "unknown_kind", file=self.src.name, hint=", ".join(self.headers[:8])
            )
        if choices.preset:
            self.preset = choices.preset
        else:
            fitting = [d for d in self.detections if d.kind == self.kind]
            self.preset = fitting[0].preset if fitting else "generic"
        preset = presets.PRESETS.get(self.preset, presets.PRESETS["generic"])

        remembered = _remembered(self.ws, self.preset, self.kind)
        # The suggestion, with what the team confirmed for this CRM and kind laid over it: a
        # column the remembered mapping did not know (a new "source") is still suggested.
        mapping = presets.suggest_mapping(self.kind, self.preset, self.headers, samples)
        self.mapping_origin = "suggested"
        if remembered and all(h in self.headers for h in remembered["mapping"].values()):
            taken = set(remembered["mapping"].values())
            mapping = {f: h for f, h in mapping.items() if h not in taken}
            mapping.update(remembered["mapping"])
            self.mapping_origin = "remembered"
        for fname, header in choices.mapping.items():
            if fname not in field_names(self.kind):
                raise ImportRefused(
                    "unknown_field",
                    file=self.src.name,
                    field=fname,
                    kind=self.kind,
                    fields=", ".join(field_names(self.kind)),
                )
            if header is None:
                mapping.pop(fname, None)
                continue
            if header not in self.headers:
                raise ImportRefused("unknown_column", file=self.src.name, column=header)
            # One column may feed two fields (Olist's first contact date is both a lead's
            # creation and its MQL date): a choice adds a mapping, it takes none away.
            mapping[fname] = header
            self.mapping_origin = "chosen"
        self.mapping = {f: h for f, h in mapping.items() if f in field_names(self.kind)}
        self._check_required()

        self.day_first = (
            choices.day_first
            if choices.day_first is not None
            else self._detect_day_first(samples, preset.day_first)
        )
        self.decimal_comma = (
            choices.decimal_comma
            if choices.decimal_comma is not None
            else self._detect_decimal_comma(samples, preset.decimal_comma)
        )
        self.stage_outcomes = {}
        if "stage" in self.mapping:
            saved = remembered.get("stage_outcomes", {}) if remembered else {}
            for value in self.distinct_values(self.mapping["stage"])["value"]:
                outcome = (
                    choices.stage_outcomes.get(value)
                    or saved.get(value)
                    or presets.stage_outcome(value)
                )
                self.stage_outcomes[value] = outcome or "open"
        self.source_motions = {}
        if "source" in self.mapping and self.kind in ("leads", "deals"):
            known = dict(self.cur.execute("select source, motion from source_motion").fetchall())
            for value in self.distinct_values(self.mapping["source"])["value"]:
                if value in choices.source_motions:
                    self.source_motions[value] = choices.source_motions[value]
                else:
                    self.source_motions[value] = known.get(value) or presets.guess_motion(value)

    def unknown_stages(self) -> list[str]:
        """Stages no preset knows, read as open unless the user says otherwise."""
        return [
            s
            for s in self.stage_outcomes
            if presets.stage_outcome(s) is None and s not in self.choices.stage_outcomes
        ]

    def _check_required(self) -> None:
        missing = missing_required(self.kind, self.mapping)
        if missing:
            raise ImportRefused(
                "missing_required", file=self.src.name, kind=self.kind, missing="; ".join(missing)
            )

    def _date_headers(self) -> list[str]:
        return [
            h for f, h in self.mapping.items() if _field_type(self.kind, f) in ("timestamp", "date")
        ]

    def _detect_day_first(self, samples: dict[str, list[str]], default: bool) -> bool:
        """A value like 25/03/2024 settles it; otherwise the preset's default."""
        pattern = re.compile(r"^\s*(\d{1,2})[/-](\d{1,2})[/-]\d{4}")
        first_gt, second_gt = 0, 0
        for h in self._date_headers():
            for v in samples.get(h, []):
                m = pattern.match(v)
                if m:
                    first_gt += int(m.group(1)) > 12
                    second_gt += int(m.group(2)) > 12
        if first_gt and not second_gt:
            return True
        if second_gt and not first_gt:
            return False
        return default

    def _detect_decimal_comma(self, samples: dict[str, list[str]], default: bool) -> bool:
        comma = re.compile(r"\d,\d{1,2}(\D*)$|\d\.\d{3},")
        point = re.compile(r"\d\.\d{1,2}(\D*)$|\d,\d{3}\.")
        votes = 0
        for f, h in self.mapping.items():
            if _field_type(self.kind, f) in ("money", "number", "percent"):
                for v in samples.get(h, []):
                    votes += bool(comma.search(v)) - bool(point.search(v))
        if votes:
            return votes > 0
        return default or self.src.delimiter == ";"

    # -- checking ----------------------------------------------------------------------------
    def validate(self, mode: str = "append") -> Report:
        """Parse and check every row into temp tables; nothing is written to the workspace."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        if not self.kind:
            self.configure()
        cur = self.cur
        params = {"day_first": self.day_first, "decimal_comma": self.decimal_comma}
        self._value_tables()
        if mode == "replace":
            params["import_kind"] = self.kind
        _check(self, mode, params)
        cur.execute(_rejects_sql(self))
        self._validated_mode = mode

        # Empty values among the rows that load, per mapped field stored in a column of its
        # own (an empty value is not a bad value: it is stored as null and counted here),
        # counted in the same pass as the rows.
        stored = [f for f in self.mapping if f in COLUMNS[self.kind]]
        counts = "".join(f", count_if({_ident(f)} is null and len(_problems) = 0)" for f in stored)
        row = cur.execute(
            f"select count_if(len(_problems) = 0), count(*){counts} from checked"
        ).fetchone()
        rows_ok = int(row[0])
        self._all_ok = rows_ok == int(row[1])
        blanks = {f: int(n) for f, n in zip(stored, row[2:], strict=True) if n}
        rows_bad = int(cur.execute("select count(*) from rejects").fetchone()[0])
        rejects = self._rejects_frame()
        ambiguous = 0
        for fname, h in self.mapping.items():
            if _field_type(self.kind, fname) not in ("timestamp", "date"):
                continue
            # A column read entirely by a year-first format has no a/b/yyyy value.
            if fname in self.fully_fast and self.fast_paths.get(fname, "").startswith(
                "try_strptime({c}, '%Y"
            ):
                continue
            c = self.column_of(h)
            # Distinct a/b/yyyy prefixes are few (days), so Python judges each once.
            prefixes = cur.execute(
                f"select regexp_extract({c}, '^\\s*[0-9]{{1,2}}[/-][0-9]{{1,2}}[/-][0-9]{{4}}') "
                f"as p, count(*) from stage group by p"
            ).fetchall()
            ambiguous += sum(n for p, n in prefixes if p and parsers.is_ambiguous_date(p))
        key = KEYS[self.kind]
        existing = replaced = 0
        table = TABLES[self.kind]
        if key and mode == "append":
            existing = int(
                cur.execute(
                    "select count(*) from checked where "
                    "len(list_filter(_problems, x -> x.code = 'already_exists')) > 0"
                ).fetchone()[0]
            )
        elif key:
            existing = int(
                cur.execute(
                    f"select count(*) from checked where len(_problems) = 0 "
                    f"and {key} in (select {key} from {table})"
                ).fetchone()[0]
            )
        if mode == "replace":
            replaced = int(
                cur.execute(
                    f"select count(*) from {table} where import_id in "
                    "(select import_id from imports where kind = $k)",
                    {"k": self.kind},
                ).fetchone()[0]
            )
        self.report = Report(
            mode=mode,
            rows_read=rows_ok + rows_bad,
            rows_ok=rows_ok,
            rows_rejected=rows_bad,
            footer_lines=self.src.footer_lines,
            rejects=rejects,
            blanks=blanks,
            ambiguous_dates=ambiguous,
            existing=existing,
            replaced=replaced,
            preview=self.preview(),
            duplicate_of=_earlier_import(self.ws, self.src.digest, self.kind),
        )
        return self.report

    def all_rejected(self) -> ImportRefused:
        """The refusal of a file none of whose rows would load: records already in the
        workspace (say upsert), or a wrong mapping (say which problem came first)."""
        assert self.report is not None
        rejects = self.report.rejects
        rows = f"{self.report.rows_read:,}"
        if len(rejects) and set(rejects["code"]) == {"already_exists"}:
            return ImportRefused("all_existing", file=self.src.name, rows=rows, kind=self.kind)
        first = rejects["reason"].iloc[0] if len(rejects) else ""
        return ImportRefused("all_rejected", file=self.src.name, rows=rows, reason=first)

    def _value_tables(self) -> None:
        cur = self.cur
        cur.execute("create or replace temp table stage_map (stage varchar, outcome varchar)")
        if self.stage_outcomes:
            cur.executemany(
                "insert into stage_map values ($s, $o)",
                [{"s": s, "o": o} for s, o in self.stage_outcomes.items()],
            )
        cur.execute(
            "create or replace temp table synonyms (kind varchar, word varchar, value varchar)"
        )
        cur.executemany(
            "insert into synonyms values ($k, $w, $v)",
            [{"k": "objective", "w": w, "v": v} for w, v in OBJECTIVE_SYNONYMS.items()]
            + [{"k": "category", "w": w, "v": v} for w, v in CATEGORY_SYNONYMS.items()],
        )
        cur.execute("create or replace temp table field_headers (field varchar, header varchar)")
        rows = [{"f": f, "h": h} for f, h in self.mapping.items()]
        # Derived fields are reported under the column they came from.
        rows += [{"f": "_line", "h": ""}]
        cur.executemany("insert into field_headers values ($f, $h)", rows)
        cur.execute("create or replace temp table reasons (code varchar, text varchar)")
        cur.executemany(
            "insert into reasons values ($c, $t)", [{"c": c, "t": t} for c, t in REASONS.items()]
        )

    def _rejects_frame(self) -> pd.DataFrame:
        return self.cur.execute(
            f"select _row as row_number, header as column, code, value, reason from rejects "
            f"order by _row limit {MAX_REJECTS_SHOWN}"
        ).df()

    def checked_column(self, col: str, prefix: str = "") -> str:
        """A stored column as read from checked (a typed null when checked leaves it out)."""
        if col in self.absent_columns:
            return f"null::{self.absent_columns[col]}"
        return f"{prefix}{_ident(col)}"

    def preview(self, n: int = PREVIEW_ROWS) -> pd.DataFrame:
        """The first rows exactly as they will be stored (rows that will load)."""
        cols = ", ".join(f"{self.checked_column(c)} as {c}" for c in COLUMNS[self.kind])
        return self.cur.execute(
            f"select _row as row_number, {cols} from checked where len(_problems) = 0 "
            f"order by _row limit {int(n)}"
        ).df()

    # -- writing -----------------------------------------------------------------------------
    def commit(
        self,
        mode: str = "append",
        *,
        confirm_duplicate: bool = False,
        progress: Callable[[float, str], None] | None = None,
    ) -> Result:
        """Write the checked rows, the rejects and the import record in one transaction."""
        step = progress or (lambda _f, _s: None)
        if self.ws.is_sample:
            raise ImportRefused("sample_workspace", file=self.src.name, path=str(self.ws.path))
        if self._validated_mode != mode or self.report is None:
            step(0.1, "validate")
            self.validate(mode)
        report = self.report
        assert report is not None
        if report.rows_ok == 0:
            raise self.all_rejected()
        if report.duplicate_of and not confirm_duplicate:
            raise ImportRefused(
                "duplicate_file",
                file=self.src.name,
                when=str(report.duplicate_of["imported_at"])[:16],
                import_id=report.duplicate_of["import_id"],
            )
        kind, table, key = self.kind, TABLES[self.kind], KEYS[self.kind]
        import_id = f"imp-{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
        cols = ", ".join(COLUMNS[kind])
        params = {"id": import_id, "kind": kind}
        step(0.3, "write")
        with self.ws.transaction(self.cur) as cur:
            replaced = 0
            if mode == "replace":
                cur.execute(
                    f"insert into replaced_{kind} by name select *, $id as replaced_by "
                    f"from {table} "
                    "where import_id in (select import_id from imports where kind = $kind)",
                    params,
                )
                replaced = cur.execute(
                    f"select count(*) from replaced_{kind} where replaced_by = $id",
                    {"id": import_id},
                ).fetchone()[0]
                cur.execute(
                    f"delete from {table} where import_id in "
                    "(select import_id from imports where kind = $kind)",
                    {"kind": kind},
                )
            elif mode == "upsert" and key:
                cur.execute(
                    f"insert into replaced_{kind} by name select *, $id as replaced_by "
                    f"from {table} "
                    f"where {key} in (select {key} from checked where len(_problems) = 0)",
                    {"id": import_id},
                )
                replaced = cur.execute(
                    f"select count(*) from replaced_{kind} where replaced_by = $id",
                    {"id": import_id},
                ).fetchone()[0]
                cur.execute(
                    f"delete from {table} "
                    f"where {key} in (select {key} from checked where len(_problems) = 0)"
                )
            step(0.5, "write")
            if mode == "upsert" and key:
                # Update what the file says, keep what it does not: a column no mapped field
                # feeds keeps the record's earlier value (Salesforce's Product2 gives names and
                # families, its PricebookEntry the prices of the same products).
                kept = _columns_not_in_file(self)
                select = ", ".join(
                    f"coalesce({self.checked_column(col, 'c.')}, old.{_ident(col)})"
                    if col in kept
                    else self.checked_column(col, "c.")
                    for col in COLUMNS[kind]
                )
                cur.execute(
                    f"insert into {table} ({cols}, import_id) "
                    f"select {select}, $id from checked as c "
                    f"left join replaced_{kind} as old on old.{key} = c.{key} "
                    "and old.replaced_by = $id where len(c._problems) = 0",
                    {"id": import_id},
                )
            else:
                # Without a row to leave out, no filter: the rows go to the table as stored.
                ok = "" if self._all_ok else " where len(_problems) = 0"
                select = ", ".join(self.checked_column(col) for col in COLUMNS[kind])
                cur.execute(
                    f"insert into {table} ({cols}, import_id) select {select}, $id "
                    f"from checked{ok}",
                    {"id": import_id},
                )
            if table in LEAD_FACT_TABLES:
                refresh_lead_facts(cur)
            step(0.8, "write")
            cur.execute(
                "insert into import_rejects "
                "(import_id, row_number, reason, raw, column_name, code, value) "
                "select $id, _row, reason, raw, header, code, value from rejects",
                {"id": import_id},
            )
            if self.source_motions:
                added = [
                    {"s": s, "m": m, "id": import_id}
                    for s, m in self.source_motions.items()
                    if m in ("pull", "push")
                ]
                for row in added:
                    exists = cur.execute(
                        "select count(*) from source_motion where source = $s", {"s": row["s"]}
                    ).fetchone()[0]
                    if not exists:
                        cur.execute(
                            "insert into source_motion values ($s, $m)",
                            {"s": row["s"], "m": row["m"]},
                        )
                        cur.execute(
                            "insert into import_sources values ($id, $s)",
                            {"id": import_id, "s": row["s"]},
                        )
                    elif row["s"] in self.choices.source_motions:
                        cur.execute("update source_motion set motion = $m where source = $s", row)
            cur.execute(
                "insert into imports (import_id, file_name, sha256, kind, preset, mode, "
                "rows_read, rows_loaded, rows_rejected, imported_at, footer_lines, "
                "rows_replaced, encoding, file_format) values ($id, $file, $sha, $kind, "
                "$preset, $mode, $read, $loaded, $rejected, current_timestamp::timestamp, "
                "$footer, $replaced, $enc, $fmt)",
                {
                    "id": import_id,
                    "file": self.src.name,
                    "sha": self.src.digest,
                    "kind": kind,
                    "preset": self.preset,
                    "mode": mode,
                    "read": report.rows_read,
                    "loaded": report.rows_ok,
                    "rejected": report.rows_rejected,
                    "footer": self.src.footer_lines,
                    "replaced": int(replaced),
                    "enc": self.src.encoding,
                    "fmt": self.src.format,
                },
            )
            cur.execute(
                "insert or replace into import_mappings values "
                "($preset, $kind, $json, current_timestamp::timestamp)",
                {
                    "preset": self.preset,
                    "kind": kind,
                    "json": json.dumps(
                        {
                            "mapping": self.mapping,
                            "stage_outcomes": self.stage_outcomes,
                            "day_first": self.day_first,
                            "decimal_comma": self.decimal_comma,
                        },
                        ensure_ascii=False,
                    ),
                },
            )
        step(1.0, "done")
        return Result(
            import_id=import_id,
            kind=kind,
            mode=mode,
            rows_read=report.rows_read,
            rows_loaded=report.rows_ok,
            rows_rejected=report.rows_rejected,
            footer_lines=self.src.footer_lines,
            rows_replaced=int(replaced),
        )


# Fast paths: a plain cast or one strptime format reads most values of a clean column at a
# fraction of the cost of the full parser. One is used for a column only when it agrees with the
# full parser on every sampled value it reads; values it cannot read still go to the parser.
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


def _fast_candidates(type_: str, plan: Plan) -> list[str]:
    if type_ == "money":
        # try_cast: a value beyond decimal(18, 2) goes to the parser, which rejects its row.
        return [f"try_cast(({e}) as decimal(18,2))" for e in _FAST_NUMBER[plan.decimal_comma]]
    if type_ == "number":
        return [f"({e})::double" for e in _FAST_NUMBER[plan.decimal_comma][:1]]
    if type_ in ("timestamp", "date"):
        formats = [f for f in _DATE_FORMATS if not f.startswith("%m/" if plan.day_first else "%d/")]
        cast = "::date" if type_ == "date" else ""
        return [f"try_strptime({{c}}, '{f}'){cast}" for f in formats]
    return []


def _safe(parse: Callable[[str], object], value: str) -> object:
    try:
        return parse(value)
    except ValueError:
        return None


def _choose_fast_paths(plan: Plan) -> tuple[dict[str, str], set[str]]:
    """field -> the fast expression (with {c}) that reads every sampled value it reads exactly
    as the Python parser does (and reads the most of them); and the fields whose fast path
    read every sampled value (likely the whole column)."""
    chosen: dict[str, str] = {}
    read_all: set[str] = set()
    for fname, header in plan.mapping.items():
        type_ = _field_type(plan.kind, fname)
        candidates = _fast_candidates(type_, plan)
        if not candidates:
            continue
        c = plan.column_of(header)
        exprs = ", ".join(cand.format(c="v") for cand in candidates)
        sample = plan.cur.execute(
            f"select v, {exprs} from (select distinct {c} as v from stage "
            f"where {c} is not null limit {SAMPLE_ROWS})"
        ).fetchall()
        parse = _python_parser(type_, plan)
        truth = [_safe(parse, r[0]) for r in sample]
        best, best_hits = None, 0
        for i, cand in enumerate(candidates, start=1):
            read = [(r[i], t) for r, t in zip(sample, truth, strict=True) if r[i] is not None]
            if all(fast == t for fast, t in read) and len(read) > best_hits:
                best, best_hits = cand, len(read)
        if best is not None:
            chosen[fname] = best
            if best_hits == len(sample):
                read_all.add(fname)
    return chosen, read_all


def _fallback_tables(plan: Plan, fast: Mapping[str, str], fields: set[str]) -> set[str]:
    """For each of these typed fields, the distinct values its fast path does not read, parsed
    in Python into a temp table fb_<field> (v, val); a clean column leaves it empty. Returns
    the fields whose table is empty (nothing to look up)."""
    empty = set()
    for fname, header in plan.mapping.items():
        type_ = _field_type(plan.kind, fname)
        if type_ not in _SQL_TYPES or fname not in fields:
            continue
        c = plan.column_of(header)
        unread = f"({fast[fname].format(c=c)}) is null and " if fname in fast else ""
        values = [
            r[0]
            for r in plan.cur.execute(
                f"select distinct {c} from stage where {unread}{c} is not null"
            ).fetchall()
        ]
        if not values:
            empty.add(fname)
            continue
        parse = _python_parser(type_, plan)
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
        plan.cur.register("_fallback_frame", frame)
        try:
            plan.cur.execute(
                f"create or replace temp table fb_{_ident(fname)} as select v::varchar as v, "
                f"cast(val::varchar as {_SQL_TYPES[type_]}) as val, bad::boolean as bad "
                f"from _fallback_frame"
            )
        finally:
            plan.cur.unregister("_fallback_frame")
    return empty


def _sql_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _field_type(kind: str, name: str) -> str:
    for f in FIELDS[kind]:
        if f.name == name:
            return f.type
    return "text"


# -- SQL builders (fixed templates over our own identifiers) ----------------------------------
def _parse_sql(plan: Plan, dirty: set[str], rows: str = "stage") -> str:
    """stage → parsed: every field parsed from its column (NULL when unmapped), the raw text
    kept beside it for the reject report. Typed fields: the column's fast path, else the value
    parsed in Python (fb_<field>); a field in plan.fully_fast has no fb_<field> to look in."""
    exprs = ["stage._row"]
    joins = []
    fast = plan.fast_paths
    for f in FIELDS[plan.kind]:
        name = _ident(f.name)
        if f.name in plan.mapping:
            c = plan.column_of(plan.mapping[f.name])
            if f.type in _SQL_TYPES and f.name in plan.fully_fast:
                # The fast path reads every value (or there are none): nothing to look up.
                expr = f"null::{_SQL_TYPES[f.type]}"
                exprs.append(f"false as {name}__bad")
                if f.name in fast:
                    expr = f"coalesce({fast[f.name].format(c='stage.' + c)}, {expr})"
            elif f.type in _SQL_TYPES:
                joins.append(f"left join fb_{name} on fb_{name}.v = stage.{c}")
                expr = f"fb_{name}.val"
                exprs.append(f"coalesce(fb_{name}.bad, false) as {name}__bad")
                if f.name in fast:
                    expr = f"coalesce({fast[f.name].format(c='stage.' + c)}, {expr})"
            else:
                text = _CLEAN_TEXT if c in dirty else _TEXT
                expr = text.format(c=f"stage.{c}")
            exprs.append(f"{expr} as {name}")
            exprs.append(f"stage.{c} as {name}__raw")
        else:
            exprs.append(f"null::{_SQL_TYPES.get(f.type, 'varchar')} as {name}")
            exprs.append(f"null::varchar as {name}__raw")
            if f.type in _SQL_TYPES:
                exprs.append(f"false as {name}__bad")
    return f"select {', '.join(exprs)} from {_ident(rows)} as stage {' '.join(joins)}"


def _columns_with_invisible_characters(plan: Plan) -> set[str]:
    """The staged columns (c<i>) of mapped text fields that hold a control character or a
    zero-width mark anywhere: one scan of the file for all of them."""
    cols = sorted(
        {
            plan.column_of(h)
            for f, h in plan.mapping.items()
            if _field_type(plan.kind, f) not in _SQL_TYPES
        }
    )
    if not cols or not plan.src.may_hold_invisible_characters():
        return set()
    checks = ", ".join(f"bool_or(regexp_matches({c}, '{_INVISIBLE}'))" for c in cols)
    row = plan.cur.execute(f"select {checks} from stage").fetchone()
    return {c for c, dirty in zip(cols, row, strict=True) if dirty}


def _problem(field_name: str, code: str, when: str, value: str | None = None) -> tuple[str, str]:
    """(the condition, the problem it records): a row has the problem when it is true."""
    v = value or f"{field_name}__raw"
    return (
        when,
        f"{{'field': '{field_name}', 'code': '{code}', "
        f"'value': left({v}, 200), 'detail': null::varchar}}",
    )


def _derive_sql(
    plan: Plan, dirty: set[str], unread: Mapping[str, str] | None = None, rows: str = "stage"
) -> str:
    """parsed → derived: the stored columns of the kind, the list of problems per row, and
    _unread: whether a field in ``unread`` (field -> its staged column) has a value its fast
    path did not read (the row is then derived again with the values parsed in Python)."""
    kind = plan.kind
    problems = []
    for f in FIELDS[kind]:
        if f.name in plan.mapping and f.type in _BAD_CODE:
            problems.append(_problem(f.name, _BAD_CODE[f.type], f"{f.name}__bad"))
    m = plan.mapping

    def id_problem(key: str, expr: str) -> tuple[str, str]:
        # Reported under the column the id would have come from.
        idf = next((f for f in (key, *ID_FALLBACK.get(kind, ())) if f in m), key)
        return _problem(idf, "missing_value", f"({expr}) is null", "''")

    def own(*derived: str) -> dict[str, str]:
        return {c: c for c in COLUMNS[kind] if c not in derived}

    def missing(field_name: str) -> tuple[str, str]:
        return _problem(
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
            _problem(
                close_field,
                "no_close_date",
                f"{outcome} <> 'open' and ({closed_at}) is null "
                "and not (close_date__bad or won_at__bad or lost_at__bad)",
                outcome,
            ),
            _problem(
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
            _problem("channel", "missing_value", "channel is null", "''"),
            missing("start_date"),
            missing("end_date"),
            _problem("end_date", "end_before_start", "end_date < start_date"),
            _problem("objective", "bad_value", "objective is not null and ob.value is null"),
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
            _problem("category", "bad_value", "category is not null and ca.value is null"),
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
            _problem("left_on", "end_before_start", "left_on < hired_on"),
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
            _problem(
                next((f for f in ("campaign_id", "channel") if f in m), "campaign_id"),
                "missing_value",
                "coalesce(campaign_id, channel) is null",
                "''",
            ),
        ]
    return _derived(plan, cols, problems, join, dirty, unread or {}, rows)


def _derived(
    plan: Plan,
    cols: Mapping[str, str],
    problems: list[tuple[str, str]],
    join: str,
    dirty: set[str],
    unread: Mapping[str, str],
    rows: str,
) -> str:
    # A column that only passes on a field the file does not map is null in every row.
    types = {f.name: _SQL_TYPES.get(f.type, "varchar") for f in FIELDS[plan.kind]}
    plan.absent_columns = {
        name: types[name]
        for name, expr in cols.items()
        if expr == name and name not in plan.mapping and name in types
    }
    select = ", ".join(
        f"{expr} as {_ident(name)}"
        for name, expr in cols.items()
        if name not in plan.absent_columns
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
    flag = " or ".join(
        f"(p.{_ident(f)} is null and p.{_ident(f)}__raw is not null)" for f in unread
    )
    return (
        f"select p._row, {select}, {listed} as _problems, coalesce({flag or 'false'}, false) "
        f"as _unread from ({_parse_sql(plan, dirty, rows)}) as p {join}"
    )


def _check(plan: Plan, mode: str, params: Mapping[str, object]) -> None:
    """derived → checked: ids repeated in the file, ids already in the workspace (append;
    replace when the row is not one the replace removes). The rows are derived into checked
    once; only when some id repeats or exists are their problems added in a second pass."""
    cur = plan.cur
    fast, read_all = _choose_fast_paths(plan)
    plan.fast_paths = fast
    typed = {f for f in plan.mapping if _field_type(plan.kind, f) in _SQL_TYPES}
    # A field whose fast path read every sampled value is derived with it alone, and its
    # fallback table made only if some row turns out to hold a value it does not read: a clean
    # column is then parsed once, not once more to find what is left for Python.
    hopeful = read_all & typed
    plan.fully_fast = _fallback_tables(plan, fast, typed - hopeful) | hopeful
    dirty = _columns_with_invisible_characters(plan)
    derive = "create or replace temp table checked as " + _derive_sql(
        plan, dirty, {f: plan.column_of(plan.mapping[f]) for f in sorted(hopeful)}
    )
    cur.execute(derive, _used(derive, params))
    if hopeful and cur.execute("select count_if(_unread) from checked").fetchone()[0]:
        empty = _fallback_tables(plan, fast, hopeful)
        plan.fully_fast = (plan.fully_fast - hopeful) | empty
        cur.execute(
            "create or replace temp table stage_again as select * from stage "
            "where _row in (select _row from checked where _unread)"
        )
        again = "create or replace temp table checked_again as " + _derive_sql(
            plan, dirty, rows="stage_again"
        )
        cur.execute(again, _used(again, params))
        cur.execute("delete from checked where _unread")
        cur.execute("insert into checked select * from checked_again")
    key = KEYS[plan.kind]
    if not key:
        return
    keyf = _ident(key)
    table = TABLES[plan.kind]
    # Reported under the column the id came from (an email, a deal name...).
    src_field = next((f for f in (key, *ID_FALLBACK.get(plan.kind, ())) if f in plan.mapping), key)
    # The first row of an id that is otherwise fine loads; later ones are rejected. An
    # aggregate of the repeated ids is far cheaper than a window over a million rows.
    cur.execute(
        f"create or replace temp table check_dups as select {keyf}, min(_row) as first_row "
        f"from checked where len(_problems) = 0 group by {keyf} having count(*) > 1"
    )
    exists_sql = {
        "append": f"select {keyf} from {table}",
        "replace": f"select {keyf} from {table} where import_id is null or import_id not in "
        "(select import_id from imports where kind = $import_kind)",
    }.get(mode)
    existing = f"select distinct {keyf} from checked where {keyf} in ({exists_sql})"
    if not exists_sql:
        existing = f"select {keyf} from checked limit 0"
    existing = f"create or replace temp table check_existing as {existing}"
    cur.execute(existing, _used(existing, params))
    clashes = cur.execute(
        "select (select count(*) from check_dups) + (select count(*) from check_existing)"
    ).fetchone()[0]
    if not clashes:
        return
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
    cur.execute(
        f"create or replace temp table checked as select c.* replace "
        f"(c._problems || list_filter([{dup}, {exists}], x -> x is not null) as _problems) "
        f"from checked as c left join check_dups as d on d.{keyf} = c.{keyf} "
        f"left join check_existing as e on e.{keyf} = c.{keyf}"
    )


def _rejects_sql(plan: Plan) -> str:
    """checked + the bad lines → rejects: the first problem of each row, in words."""
    raw = ", ".join(f"s.c{i}" for i in range(len(plan.headers)))
    delim = "'|'" if plan.src.delimiter == "|" else "','"
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


# -- the workspace side ----------------------------------------------------------------------
# The fields a stored column is read from, where they are not the column's own name.
_FED_BY = {
    ("deals", "closed_at"): ("close_date", "won_at", "lost_at"),
    ("deals", "stage"): ("stage", "status"),
    ("deals", "contact_email"): ("email",),
}
# Columns always derived, whatever the file maps (the key, a deal's outcome).
_ALWAYS_SET = {("deals", "outcome")}


def _columns_not_in_file(plan: Plan) -> set[str]:
    """The stored columns no mapped field of the file feeds (an upsert keeps their values)."""
    kind = plan.kind
    return {
        col
        for col in COLUMNS[kind]
        if col != KEYS[kind]
        and (kind, col) not in _ALWAYS_SET
        and not any(f in plan.mapping for f in _FED_BY.get((kind, col), (col,)))
    }


def _remembered(ws: Workspace, preset: str, kind: str) -> dict | None:
    cur = ws.cursor()
    try:
        row = cur.execute(
            "select mapping_json from import_mappings where preset = $p and kind = $k",
            {"p": preset, "k": kind},
        ).fetchone()
    finally:
        cur.close()
    return json.loads(row[0]) if row else None


def _earlier_import(ws: Workspace, sha256: str, kind: str) -> dict | None:
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


def open_import(
    ws: Workspace,
    path: str | Path,
    *,
    name: str | None = None,
    choices: Choices | None = None,
    sheet: str | None = None,
    limit_bytes: int | None = None,
) -> Plan:
    """Check and stage a file and work out how to read it. Raises ImportRefused."""
    src = files.inspect(
        path, name=name, sheet=sheet, limit_bytes=limit_bytes or files.DEFAULT_LIMIT_BYTES
    )
    cur = ws.cursor()
    plan = Plan(ws, src, cur)
    try:
        plan.rows_read = files.stage(cur, src, "stage")
        plan.headers = list(src.header)
        plan.bad_lines = int(cur.execute("select count(*) from stage_bad").fetchone()[0])
        if plan.rows_read == 0:
            raise ImportRefused("headers_only", file=src.name)
        plan.configure(choices or Choices())
    except BaseException:
        plan.close()
        raise
    return plan


class UndoRefused(Exception):
    """Undo would not restore the workspace exactly (a later import displaced rows)."""

    def __init__(self, import_id: str, later: str) -> None:
        self.import_id, self.later = import_id, later
        super().__init__(
            f"Import {import_id} cannot be undone before import {later}, which replaced or "
            f"updated some of its rows: undo {later} first."
        )


def undo(ws: Workspace, import_id: str) -> dict[str, int]:
    """Remove exactly the rows ``import_id`` loaded and restore the rows it replaced."""
    with ws.transaction() as cur:
        row = cur.execute(
            "select kind from imports where import_id = $id", {"id": import_id}
        ).fetchone()
        if row is None:
            raise KeyError(import_id)
        kind = row[0]
        if kind not in KINDS:
            raise ValueError(kind)
        table = TABLES[kind]
        later = cur.execute(
            f"select replaced_by from replaced_{kind} where import_id = $id limit 1",
            {"id": import_id},
        ).fetchone()
        if later:
            raise UndoRefused(import_id, later[0])
        removed = cur.execute(
            f"select count(*) from {table} where import_id = $id", {"id": import_id}
        ).fetchone()[0]
        cur.execute(f"delete from {table} where import_id = $id", {"id": import_id})
        restored = cur.execute(
            f"select count(*) from replaced_{kind} where replaced_by = $id", {"id": import_id}
        ).fetchone()[0]
        cur.execute(
            f"insert into {table} by name select * exclude (replaced_by) from replaced_{kind} "
            "where replaced_by = $id",
            {"id": import_id},
        )
        cur.execute(f"delete from replaced_{kind} where replaced_by = $id", {"id": import_id})
        if table in LEAD_FACT_TABLES:
            refresh_lead_facts(cur)
        cur.execute(
            "delete from source_motion where source in "
            "(select source from import_sources where import_id = $id) "
            "and source not in (select source from raw_leads where source is not null "
            "union select source from raw_deals where source is not null)",
            {"id": import_id},
        )
        cur.execute("delete from import_sources where import_id = $id", {"id": import_id})
        cur.execute("delete from import_rejects where import_id = $id", {"id": import_id})
        cur.execute("delete from imports where import_id = $id", {"id": import_id})
    return {"removed": int(removed), "restored": int(restored)}
