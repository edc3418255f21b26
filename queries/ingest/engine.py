"""The import engine: one file → a checked plan → one transaction; and undo.

    plan = open_import(ws, path)          # read, detect kind and preset, suggest the mapping
    plan.configure(Choices(...))          # the user's corrections (mapping, stage outcomes, ...)
    report = plan.validate("append")      # rows that will load, rejects, preview; writes nothing
    result = plan.commit("append")        # one transaction; recorded in `imports`
    undo(ws, result.import_id)            # removes exactly that import's rows, restores replaced

A file goes one way through the modules of queries/ingest: files (read and stage it) → presets
(detect the CRM and kind, suggest the mapping) → here, the plan (what the user chose) → check
(parse and check every row in SQL: compile builds the statements, fast_paths decides how each
typed column is read, parsers what each value means) → write (one transaction; undo). targets
says where each kind lands in the workspace, history what the workspace keeps of its imports.

The file is staged in temp tables on the plan's own cursor (no other session sees them) as text
columns c0..cN, so a million-row file imports in about the time DuckDB takes to read it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from queries.ingest import check, currency, files, history, parsers, presets, write
from queries.ingest.compile import Reading
from queries.ingest.currency import AmountUnit, CurrencyMismatch
from queries.ingest.errors import ImportRefused
from queries.ingest.fast_paths import SAMPLE_ROWS
from queries.ingest.fields import KINDS, MODES, field_names, field_type, missing_required
from queries.ingest.targets import COLUMNS, ID_FALLBACK, KEYS, LEAD_FACT_TABLES, TABLES
from queries.ingest.write import UndoRefused, undo
from queries.workspace import Workspace, import_memory

# What callers read here; each is defined in the module named for its concept.
__all__ = [
    "COLUMNS",
    "ID_FALLBACK",
    "KEYS",
    "KINDS",
    "LEAD_FACT_TABLES",
    "MODES",
    "SAMPLE_ROWS",
    "TABLES",
    "AmountUnit",
    "Choices",
    "CurrencyMismatch",
    "ImportRefused",
    "Plan",
    "Report",
    "Result",
    "UndoRefused",
    "open_import",
    "undo",
]

PREVIEW_ROWS = 20
MAX_REJECTS_SHOWN = 100_000


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
    # Columns whose rows are in another currency than the workspace's (stored as written):
    # each says file, column, rows and both currencies (CurrencyMismatch.message(lang)).
    currency_mismatches: list[CurrencyMismatch] = field(default_factory=list)
    # Money columns whose header names their unit (金额（万元）): plain numbers read in it.
    amount_units: list[AmountUnit] = field(default_factory=list)

    def money_notes(self, lang: str) -> list[str]:
        """What the import says about the file's money, in ``lang``: amounts in another
        currency than the workspace's (warnings), then units read from a header."""
        return [m.message(lang) for m in self.currency_mismatches] + [
            u.message(lang) for u in self.amount_units
        ]


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
    currency_mismatches: list[CurrencyMismatch] = field(default_factory=list)


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
        self.stage_ids: presets.StageIds | None = None  # a stage column of ids, not names
        self.source_motions: dict[str, str | None] = {}
        self.choices = Choices()
        self._validated_mode: str | None = None
        self.report: Report | None = None
        # Set when the rows are parsed: the fast path chosen per typed field, and the fields
        # whose every value it reads (no value left for the Python parser).
        self.fast_paths: dict[str, str] = {}
        self.fully_fast: frozenset[str] = frozenset()
        self._all_ok = False  # no checked row has a problem

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

        remembered = history.remembered(self.ws, self.preset, self.kind)
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
            else parsers.day_first_in(
                self._samples_of(samples, "timestamp", "date"), preset.day_first
            )
        )
        self.decimal_comma = (
            choices.decimal_comma
            if choices.decimal_comma is not None
            # A semicolon-separated file is written where the comma is the decimal mark.
            else parsers.decimal_comma_in(
                self._samples_of(samples, "money", "number", "percent"),
                preset.decimal_comma or self.src.delimiter == ";",
            )
        )
        self.stage_outcomes = {}
        self.stage_ids = None
        if "stage" in self.mapping:
            saved = remembered.get("stage_outcomes", {}) if remembered else {}
            for value in self.distinct_values(self.mapping["stage"])["value"]:
                outcome = (
                    choices.stage_outcomes.get(value)
                    or saved.get(value)
                    or presets.stage_outcome(value)
                )
                self.stage_outcomes[value] = outcome or "open"
            # Stage ids (销售易's saleStageId): "open" above is a placeholder for the editor,
            # not a reading; commit refuses until every id has an outcome someone said.
            self.stage_ids = presets.stage_ids(
                self.src.name,
                self.mapping["stage"],
                list(self.stage_outcomes),
                {**saved, **choices.stage_outcomes},
                list(self.mapping),
            )
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

    def _samples_of(self, samples: dict[str, list[str]], *types: str) -> list[str]:
        """The sampled values of the mapped fields of these types."""
        return [
            v
            for f, h in self.mapping.items()
            if field_type(self.kind, f) in types
            for v in samples.get(h, [])
        ]

    # -- checking ----------------------------------------------------------------------------
    def reading(self) -> Reading:
        """How the staged file is read, as the plan stands."""
        return Reading(
            kind=self.kind,
            mapping=dict(self.mapping),
            headers=tuple(self.headers),
            day_first=self.day_first,
            decimal_comma=self.decimal_comma,
            delimiter=self.src.delimiter,
            fast=dict(self.fast_paths),
            fully_fast=self.fully_fast,
            scales=self.amount_scales(),
        )

    def amount_scales(self) -> dict[str, int]:
        """Money fields whose header names their unit (金额（万元）: 4), as powers of ten."""
        out = {}
        for fname, header in self.mapping.items():
            if field_type(self.kind, fname) == "money" and parsers.header_scale(header):
                out[fname] = parsers.header_scale(header)
        return out

    def validate(self, mode: str = "append") -> Report:
        """Parse and check every row into temp tables; nothing is written to the workspace."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        if not self.kind:
            self.configure()
        with import_memory(self.ws, self.src.size):
            return self._validate(mode)

    def _validate(self, mode: str) -> Report:
        cur = self.cur
        r = check.run(
            cur,
            self.reading(),
            mode,
            self.stage_outcomes,
            may_hold_invisible=self.src.may_hold_invisible_characters,
        )
        self.fast_paths, self.fully_fast = dict(r.fast), r.fully_fast
        self._validated_mode = mode
        rows_ok, rows_checked, blanks = check.counts(cur, r)
        self._all_ok = rows_ok == rows_checked
        rows_bad = check.rejected(cur)
        self.report = Report(
            mode=mode,
            rows_read=rows_ok + rows_bad,
            rows_ok=rows_ok,
            rows_rejected=rows_bad,
            footer_lines=self.src.footer_lines,
            rejects=check.rejects_frame(cur, MAX_REJECTS_SHOWN),
            blanks=blanks,
            ambiguous_dates=check.ambiguous_dates(cur, r),
            existing=check.existing(cur, r, mode),
            replaced=check.replaced(cur, self.kind) if mode == "replace" else 0,
            preview=self.preview(),
            duplicate_of=history.earlier_import(self.ws, self.src.digest, self.kind),
            currency_mismatches=currency.mismatches(
                cur, self.reading(), self.workspace_currency(), self.src.name
            ),
            amount_units=[
                AmountUnit(self.src.name, self.mapping[f], p)
                for f, p in self.amount_scales().items()
            ],
        )
        return self.report

    def workspace_currency(self) -> str:
        """The workspace's currency (settings 'currency'), USD when unset."""
        return (self.ws.settings().get("currency") or "USD").strip().upper()

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

    def preview(self, n: int = PREVIEW_ROWS) -> pd.DataFrame:
        """The first rows exactly as they will be stored (rows that will load)."""
        return check.preview(self.cur, self.reading(), n)

    # -- writing -----------------------------------------------------------------------------
    def commit(
        self,
        mode: str = "append",
        *,
        confirm_duplicate: bool = False,
        progress: Callable[[float, str], None] | None = None,
    ) -> Result:
        """Write the checked rows, the rejects and the import record in one transaction."""
        with import_memory(self.ws, self.src.size):
            return self._commit(mode, confirm_duplicate, progress)

    def _commit(
        self,
        mode: str,
        confirm_duplicate: bool,
        progress: Callable[[float, str], None] | None,
    ) -> Result:
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
        if self.stage_ids is not None and self.stage_ids.unmapped:
            raise ImportRefused(
                "stage_ids_unmapped", file=self.src.name, **self.stage_ids.refusal_details()
            )
        if report.duplicate_of and not confirm_duplicate:
            raise ImportRefused(
                "duplicate_file",
                file=self.src.name,
                when=str(report.duplicate_of["imported_at"])[:16],
                import_id=report.duplicate_of["import_id"],
            )
        record = history.ImportRecord(
            import_id=f"imp-{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}",
            file_name=self.src.name,
            sha256=self.src.digest,
            kind=self.kind,
            preset=self.preset,
            mode=mode,
            rows_read=report.rows_read,
            rows_loaded=report.rows_ok,
            rows_rejected=report.rows_rejected,
            footer_lines=self.src.footer_lines,
            rows_replaced=0,
            encoding=self.src.encoding,
            file_format=self.src.format,
            warnings=currency.warnings_json(report.currency_mismatches),
        )
        batch = write.Batch(
            record=record,
            mapping=dict(self.mapping),
            all_ok=self._all_ok,
            source_motions=dict(self.source_motions),
            chosen_sources=frozenset(self.choices.source_motions),
            memory={
                "mapping": self.mapping,
                "stage_outcomes": self.stage_outcomes,
                "day_first": self.day_first,
                "decimal_comma": self.decimal_comma,
            },
        )
        step(0.3, "write")
        replaced = write.commit(self.ws, self.cur, batch, step)
        step(1.0, "done")
        return Result(
            import_id=record.import_id,
            kind=self.kind,
            mode=mode,
            rows_read=report.rows_read,
            rows_loaded=report.rows_ok,
            rows_rejected=report.rows_rejected,
            footer_lines=self.src.footer_lines,
            rows_replaced=replaced,
            currency_mismatches=list(report.currency_mismatches),
        )


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
        with import_memory(ws, src.size):
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
