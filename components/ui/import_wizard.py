"""The import wizard of the Data page: upload → detect → map → check → import. (The history
with undo is components/ui/import_history.py.)

The engine (``queries.ingest.engine``) does the work; this module draws each step and turns the
user's changes into ``engine.Choices``. State that must survive reruns lives in
``st.session_state``: one ``Entry`` per file (its staged plan, the user's corrections, the
result of its import), keyed by the file's name, size and sha256 so a rerun never stages a file
twice, and closed when the file leaves the uploader.

Every widget that changes how a file is read shows the plan's current state and carries the
entry's *version* in its key: when its value differs from the plan's, the change goes to
``plan.configure`` and the page reruns with fresh widgets. (This reads the widgets' values
rather than using ``on_change`` callbacks, so AppTest drives it the way a browser does.)

Test hook: ``st.session_state[TEST_FILES_KEY] = [path, ...]`` opens files from disk as if they
had been uploaded (AppTest cannot drive the real file uploader well).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from components.export import tables as exports
from components.fmt import Formatter
from components.i18n import current_language, t
from components.ui import auth, page, state
from components.ui.link_report import link_lines
from queries import links, workspaces
from queries.ingest import engine, files, presets
from queries.ingest.errors import ImportRefused
from queries.ingest.fields import FIELDS, KINDS, MODES, REQUIRED
from queries.ingest.history import UndoExpired
from queries.workspace import Workspace

log = logging.getLogger("flywheel")

# Our copies of uploads: removed once imported, when the upload goes, and at the latest when the
# app stops, so a customer's export does not outlive its use in the temp folder.
_UPLOAD_DIRS: set[Path] = set()


@atexit.register
def _remove_upload_copies() -> None:
    for folder in list(_UPLOAD_DIRS):
        shutil.rmtree(folder, ignore_errors=True)
    _UPLOAD_DIRS.clear()


TEST_FILES_KEY = "wizard_test_files"
ENTRIES_KEY = "wizard_entries"
_SHA_KEY = "wizard_upload_sha"
# .xls: Salesforce's "Export Details" writes an HTML table under that name (a real Excel 97
# file is refused with a sentence saying so).
UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "parquet"]
PREVIEW_ROWS = 20
REJECTS_SHOWN = 200
# Codes the engine may give a refusal while the file itself was read: the user can still say
# how to read it (the kind, the columns of the required fields).
_FIXABLE = ("missing_required", "unknown_kind")
_ENCODINGS = {
    "utf-8": "UTF-8",
    "utf_8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf_8_sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "gb18030": "GB18030 (GBK)",
    "gbk": "GBK",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
    "latin_1": "Latin-1",
    "iso-8859-1": "Latin-1",
}
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# Stored columns the engine fills without a column of the same name (so the preview keeps them).
_DERIVED = {
    "leads": {"lead_id"},
    "deals": {"deal_id", "name", "stage", "outcome", "closed_at"},
    "campaigns": {"campaign_id", "name", "objective"},
    "spend": {"category"},
}


# -- pure helpers (tested without Streamlit) -------------------------------------------------------
def reject_text(code: str | None, column: str | None, value: object, reason: str | None) -> str:
    """A reject's problem in the reader's language (by its code); the engine's English
    sentence when the code is unknown (imports from before the codes existed)."""
    if not code:
        return reason or ""
    text = t(
        f"wizard.reject.{code}",
        column=column or "",
        value="" if value is None or pd.isna(value) else str(value),
    )
    more = re.search(r"\(and (\d+) more\)\s*$", reason or "")
    if more:
        text += " " + t("wizard.reject.more", count=int(more.group(1)))
    return text


def field_label(kind: str, name: str) -> str:
    """A field's name for people. A campaign's status is free text, a deal's is an outcome."""
    if kind == "campaigns" and name == "status":
        return t("wizard.field.status_campaign")
    return t(f"wizard.field.{name}")


def encoding_label(encoding: str | None) -> str:
    if not encoding:
        return "—"
    return _ENCODINGS.get(encoding.lower(), encoding.upper())


def required_text(kind: str, name: str) -> str:
    """'required' or 'one of …' for a field, '' when optional."""
    for group in REQUIRED[kind]:
        if name in group:
            if len(group) == 1:
                return t("wizard.required")
            others = [short_label(kind, f) for f in group if f != name]
            return t("wizard.required_or", fields=" / ".join(others))
    return ""


def short_label(kind: str, name: str) -> str:
    """A field's label without its parenthesised explanation, for tight table cells."""
    return re.sub(r"\s*[（(].*?[)）]\s*$", "", field_label(kind, name))


def unmet_fields(kind: str, mapping: dict[str, str]) -> set[str]:
    """The fields of required groups that no column feeds yet."""
    out: set[str] = set()
    for group in REQUIRED[kind]:
        if not any(f in mapping for f in group):
            if group == ("stage", "status") and "won_at" in mapping:
                continue
            out.update(group)
    return out


# -- one file in the wizard ------------------------------------------------------------------------
@dataclass
class Entry:
    """One file and everything the wizard knows about it across reruns."""

    eid: str
    name: str
    path: Path
    tmpdir: Path | None  # our copy of an upload, removed with the entry
    ws_path: str = ""
    sheet: str | None = None
    plan: engine.Plan | None = None
    refused: ImportRefused | None = None  # the file could not be opened
    config_error: ImportRefused | None = None  # the plan is open but cannot load as configured
    headers: list[str] = field(default_factory=list)  # of a refused-but-fixable file
    manual: engine.Choices | None = None  # how the user said to read a refused file
    detected_day_first: bool | None = None
    detected_decimal_comma: bool | None = None
    version: int = 0
    result: engine.Result | None = None
    failed: bool = False

    def close_plan(self) -> None:
        if self.plan is not None:
            with contextlib.suppress(Exception):
                self.plan.close()
            self.plan = None

    def close(self) -> None:
        self.close_plan()
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            _UPLOAD_DIRS.discard(self.tmpdir)
            self.tmpdir = None

    def open(self, ws: Workspace) -> None:
        """(Re)stage the file on ``ws``; a refusal is kept to be shown."""
        self.close_plan()
        self.ws_path = str(ws.path)
        self.refused = self.config_error = None
        self.failed = False
        self.version += 1
        try:
            self.plan = engine.open_import(
                ws, self.path, name=self.name, sheet=self.sheet, choices=self.manual
            )
        except ImportRefused as exc:
            self.refused = exc
            if exc.code in _FIXABLE:
                self.headers = _headers_of(self.path, self.name, self.sheet)
            return
        except Exception:
            log.exception("import wizard: opening %s failed", self.name)
            self.failed = True
            return
        self.detected_day_first = self.plan.day_first
        self.detected_decimal_comma = self.plan.decimal_comma

    def reconfigure(self, **changes: object) -> None:
        """Apply the user's changes to the plan's choices (keeping earlier ones)."""
        assert self.plan is not None
        c = self.plan.choices
        new = engine.Choices(
            kind=c.kind,
            preset=c.preset,
            mapping=dict(c.mapping),
            day_first=c.day_first,
            decimal_comma=c.decimal_comma,
            stage_outcomes=dict(c.stage_outcomes),
            source_motions=dict(c.source_motions),
        )
        if "kind" in changes:
            # Another kind has other fields: start its mapping and values from suggestions.
            new = engine.Choices(
                kind=str(changes["kind"]), day_first=c.day_first, decimal_comma=c.decimal_comma
            )
        for name in ("preset", "day_first", "decimal_comma"):
            if name in changes:
                setattr(new, name, changes[name])
        if "preset" in changes:
            new.kind = self.plan.kind
        for name in ("mapping", "stage_outcomes", "source_motions"):
            if name in changes:
                getattr(new, name).update(changes[name])
        self.version += 1
        try:
            self.plan.configure(new)
            self.config_error = None
        except ImportRefused as exc:
            self.config_error = exc


def _headers_of(path: Path, name: str, sheet: str | None) -> list[str]:
    """The header row of a file the engine refused to read as it guessed."""
    try:
        src = files.inspect(path, name=name, sheet=sheet)
    except Exception:
        return []
    try:
        return [str(h) for h in src.header]
    finally:
        src.cleanup()


def _upload_sha(upload) -> str:
    cache: dict[str, str] = st.session_state.setdefault(_SHA_KEY, {})
    file_id = getattr(upload, "file_id", None) or f"{upload.name}:{upload.size}"
    if file_id not in cache:
        cache[file_id] = hashlib.sha256(upload.getbuffer()).hexdigest()
    return cache[file_id]


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def entries() -> dict[str, Entry]:
    return st.session_state.setdefault(ENTRIES_KEY, {})


def sync_entries(ws: Workspace, uploads: Sequence, test_paths: Sequence[str | Path]) -> list[Entry]:
    """The entries of the files now uploaded, in upload order: new files are staged, files no
    longer uploaded are closed, files staged on another workspace are staged again."""
    wanted: list[tuple[str, str, object]] = []
    for up in uploads or []:
        key = (up.name, up.size, _upload_sha(up))
        wanted.append((hashlib.sha1(repr(key).encode()).hexdigest()[:10], up.name, up))
    for p in test_paths or []:
        p = Path(p)
        key = (p.name, p.stat().st_size, _file_sha(p))
        wanted.append((hashlib.sha1(repr(key).encode()).hexdigest()[:10], p.name, p))
    have = entries()
    ids = {eid for eid, _, _ in wanted}
    for eid in [e for e in have if e not in ids]:
        have.pop(eid).close()
    out: list[Entry] = []
    for eid, name, source in wanted:
        entry = have.get(eid)
        if entry is None:
            if isinstance(source, Path):
                entry = Entry(eid=eid, name=name, path=source, tmpdir=None)
            else:
                tmpdir = Path(tempfile.mkdtemp(prefix="flywheel-upload-"))
                _UPLOAD_DIRS.add(tmpdir)
                # Our own file name (the user's keeps its extension for the format check).
                path = tmpdir / ("upload" + Path(name).suffix.lower()[:8])
                path.write_bytes(source.getbuffer())
                entry = Entry(eid=eid, name=name, path=path, tmpdir=tmpdir)
            have[eid] = entry
            entry.open(ws)
        elif entry.result is None and entry.ws_path != str(ws.path):
            entry.open(ws)
        out.append(entry)
    if _SHA_KEY in st.session_state:  # forget hashes of uploads that are gone
        live = {getattr(u, "file_id", None) or f"{u.name}:{u.size}" for u in uploads or []}
        cache = st.session_state[_SHA_KEY]
        for k in [k for k in cache if k not in live]:
            del cache[k]
    return out


def reopen_all(ws: Workspace) -> None:
    """Stage every open file again (after the workspace's data changed under the plans)."""
    for entry in entries().values():
        if entry.result is None:
            entry.open(ws)


def guarded(entry_name: str, draw: Callable[[], None]) -> None:
    """Run one part of the wizard; a refusal is said in the reader's language, anything
    unexpected is logged and reported in one sentence, never as a traceback."""
    try:
        draw()
    except ImportRefused as exc:
        st.error(exc.message(current_language()))
    except engine.UndoRefused as exc:
        st.warning(t("wizard.undo_refused", later=exc.later))
    except UndoExpired as exc:
        st.warning(t("retention.undo_expired", date=str(exc.expired_at)[:10]))
    except Exception:
        log.exception("import wizard failed on %s", entry_name)
        st.error(t("wizard.failed"))


# -- step 0: own workspace first -------------------------------------------------------------------
def render_own_workspace(ws: Workspace, settings: dict[str, str]) -> None:
    """The sample company must not receive real data: a new workspace, or clear the sample."""
    with st.container(border=True):
        st.warning(t("wizard.sample_intro"), icon=":material/science:")
        choice = st.radio(
            t("wizard.sample_choice"),
            options=["new", "clear"],
            format_func=lambda c: t(f"wizard.sample_choice_{c}"),
            key="wizard_sample_choice",
            horizontal=True,
        )
        if choice == "new":
            c1, c2, c3 = st.columns([2, 1, 1])
            name = c1.text_input(
                t("wizard.new_name"),
                key="wizard_new_name",
                placeholder=t("wizard.new_name_placeholder"),
                help=t("wizard.new_name_help", max=workspaces.MAX_NAME_LENGTH),
            )
            currency = c2.text_input(
                t("data.currency"),
                value=settings.get("currency", "USD"),
                key="wizard_new_currency",
                help=t("data.currency_help"),
            )
            locale = c3.text_input(
                t("data.locale"),
                value=settings.get("locale", "en_US"),
                key="wizard_new_locale",
                help=t("data.locale_help"),
            )
            folder = state.workspace_folder()
            if not auth.configured():  # a shared server keeps its paths to itself
                st.caption(t("wizard.new_where", folder=str(folder)))
            if st.button(
                t("wizard.new_create"), key="wizard_new_create", type="primary"
            ) and auth.require("create_workspace"):
                _create_workspace(folder, name, currency, locale)
        else:
            st.caption(t("wizard.clear_explain"))
            sure = st.checkbox(t("wizard.clear_confirm"), key="wizard_clear_confirm")
            if st.button(
                t("wizard.clear_button"), key="wizard_clear", disabled=not sure, type="primary"
            ) and auth.require("clear"):
                workspaces.clear_sample(ws)
                state.data_changed()
                state.reset_filters()  # the data's date range may have changed
                reopen_all(ws)
                page.flash(t("wizard.cleared"), section="wizard")
                st.rerun()


def _create_workspace(folder: Path, name: str, currency: str, locale: str) -> None:
    from queries import data_admin  # the settings' own checks, messages in data.error.*

    name = (name or "").strip()
    if not name or not workspaces.valid_name(name):
        st.error(t("wizard.new_name_invalid", name=name, max=workspaces.MAX_NAME_LENGTH))
        return
    path = workspaces.path_for(folder, name)
    if path.exists():
        st.error(t("wizard.new_name_taken", name=name))
        return
    clean, errors = data_admin.validate_settings(
        {
            "company_name": name,
            "currency": currency,
            "locale": locale,
            "fiscal_year_start_month": 1,
            "pull_share_pct": 0,
        }
    )
    if errors:
        for e in errors:
            st.error(t(f"data.error.{e.code}", field=e.field, value=e.value))
        return
    new = workspaces.create_workspace(
        path,
        company_name=name,
        currency=clean.get("currency", "USD"),
        locale=clean.get("locale", "en_US"),
    )
    new.close()  # the app opens it through its own cache, one connection per file
    state.switch_workspace(path)
    page.flash(t("wizard.new_created", name=name), section="wizard")
    st.rerun()


# -- a refused file the user can still read --------------------------------------------------------
def render_manual(entry: Entry, ws: Workspace) -> None:
    """The engine could not tell the kind, or missed a required column: let the user say."""
    if not entry.headers:
        return
    st.caption(t("wizard.manual_intro"))
    code = entry.refused.code if entry.refused else ""
    guessed = (entry.refused.details.get("kind") if entry.refused else None) or KINDS[0]
    kind = st.selectbox(
        t("wizard.kind"),
        options=list(KINDS),
        index=list(KINDS).index(guessed) if guessed in KINDS else 0,
        format_func=lambda k: t(f"wizard.kind.{k}"),
        key=f"wizard_manual_kind_{entry.eid}_{entry.version}_{code}",
    )
    mapping: dict[str, str | None] = {}
    cols = st.columns(len(REQUIRED[kind]))
    for col, group in zip(cols, REQUIRED[kind], strict=True):
        label = " / ".join(field_label(kind, f) for f in group)
        header = col.selectbox(
            label,
            options=entry.headers,
            index=None,
            placeholder=t("wizard.not_mapped"),
            key=f"wizard_manual_{entry.eid}_{entry.version}_{kind}_{group[0]}",
        )
        if header:
            mapping[group[0]] = header
    if st.button(t("wizard.manual_apply"), key=f"wizard_manual_apply_{entry.eid}"):
        entry.manual = engine.Choices(kind=kind, mapping=mapping)
        entry.open(ws)
        st.rerun()


# -- steps 1–3: detect and map ---------------------------------------------------------------------
def _step(number: int, key: str) -> None:
    st.markdown(f"##### {number} · {t(key)}")


def render_detected(entry: Entry, fmt: Formatter) -> None:
    plan = entry.plan
    assert plan is not None
    src = plan.src
    _step(1, "wizard.step_detect")
    c1, c2, c3 = st.columns([1, 1, 2])
    kind = c1.selectbox(
        t("wizard.kind"),
        options=list(KINDS),
        index=list(KINDS).index(plan.kind),
        format_func=lambda k: t(f"wizard.kind.{k}"),
        key=f"wizard_kind_{entry.eid}_{entry.version}",
        help=t("wizard.kind_help"),
    )
    preset_names = list(presets.PRESETS)
    preset = c2.selectbox(
        t("wizard.preset"),
        options=preset_names,
        index=preset_names.index(plan.preset) if plan.preset in preset_names else 0,
        format_func=lambda p: presets.PRESETS[p].label,
        key=f"wizard_preset_{entry.eid}_{entry.version}",
        help=t("wizard.preset_help"),
    )
    if src.format == "xlsx" and len(src.sheets) > 1:
        sheet = c3.selectbox(
            t("wizard.sheet"),
            options=src.sheets,
            index=src.sheets.index(src.sheet) if src.sheet in src.sheets else 0,
            key=f"wizard_sheet_{entry.eid}_{entry.version}",
        )
        if sheet != (src.sheet or src.sheets[0]):
            entry.sheet = sheet
            entry.open(plan.ws)
            st.rerun()
    facts = [t(f"wizard.format.{src.format}")]
    if src.format == "csv":
        facts.append(encoding_label(src.encoding))
        facts.append(t(f"wizard.delimiter.{_DELIMITERS.get(src.delimiter or ',', 'comma')}"))
    facts.append(t("wizard.rows_in_file", rows=fmt.number(plan.rows_read)))
    c3.markdown(f"**{t('wizard.read_as')}**")
    c3.caption(" · ".join(facts))
    if src.skipped_sheet:
        st.info(
            t(
                "wizard.skipped_sheet",
                skipped=page.escape_md(src.skipped_sheet),
                sheet=page.escape_md(src.sheet or ""),
            ),
            icon=":material/tab:",
        )
    if src.footer_lines:
        key = "wizard.footer_salesforce" if plan.preset == "salesforce" else "wizard.footer"
        st.info(t(key, lines=src.footer_lines), icon=":material/content_cut:")
    if kind != plan.kind:
        entry.reconfigure(kind=kind)
        st.rerun()
    if preset != plan.preset:
        entry.reconfigure(preset=preset)
        st.rerun()


def mapping_editor_key(entry: Entry) -> str:
    return f"wizard_map_{entry.eid}_{entry.version}"


def render_mapping(entry: Entry) -> None:
    plan = entry.plan
    assert plan is not None
    _step(2, "wizard.step_map")
    origin = plan.mapping_origin if plan.mapping_origin in ("suggested", "remembered") else "chosen"
    st.caption(t(f"wizard.mapping_{origin}"))
    not_mapped = t("wizard.not_mapped")
    samples = plan.samples(50)
    fields = [f.name for f in FIELDS[plan.kind]]
    unmet = unmet_fields(plan.kind, plan.mapping)
    rows = []
    for f in FIELDS[plan.kind]:
        header = plan.mapping.get(f.name)
        shown = list(dict.fromkeys(samples.get(header, [])))[:3] if header else []
        rows.append(
            {
                "field": field_label(plan.kind, f.name),
                "column": header or not_mapped,
                "type": t(f"wizard.type.{f.type}"),
                "required": required_text(plan.kind, f.name),
                "samples": " · ".join(v if len(v) <= 30 else v[:29] + "…" for v in shown),
            }
        )
    frame = pd.DataFrame(rows)
    styled = frame.style.apply(
        lambda col: [
            "background-color: #FCE4E4; color: #C92A2A" if f in unmet else "" for f in fields
        ],
        subset=["field", "required"],
    )
    edited = st.data_editor(
        styled,
        key=mapping_editor_key(entry),
        hide_index=True,
        width="stretch",
        height=35 * (len(frame) + 1) + 3,
        num_rows="fixed",
        disabled=["field", "type", "required", "samples"],
        column_config={
            "field": st.column_config.TextColumn(t("wizard.col.field"), width=270),
            "column": st.column_config.SelectboxColumn(
                t("wizard.col.column"),
                options=[not_mapped, *plan.headers],
                required=True,
                width=220,
                help=t("wizard.col.column_help"),
            ),
            "type": st.column_config.TextColumn(t("wizard.col.type"), width=130),
            "required": st.column_config.TextColumn(t("wizard.col.required"), width=170),
            "samples": st.column_config.TextColumn(t("wizard.col.samples"), width="large"),
        },
    )
    changes: dict[str, str | None] = {}
    for i, name in enumerate(fields):
        new = edited["column"].iloc[i]
        if new != frame["column"].iloc[i]:
            changes[name] = None if new in (None, not_mapped) or pd.isna(new) else str(new)
    if changes:
        entry.reconfigure(mapping=changes)
        st.rerun()


def stage_editor_key(entry: Entry) -> str:
    return f"wizard_stages_{entry.eid}_{entry.version}"


def source_editor_key(entry: Entry) -> str:
    return f"wizard_sources_{entry.eid}_{entry.version}"


def render_values(entry: Entry, report: engine.Report | None) -> None:
    """Stage → outcome, source → motion, and how dates and decimals are written."""
    plan = entry.plan
    assert plan is not None
    _step(3, "wizard.step_values")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('wizard.stages_header')}**")
        if not plan.stage_outcomes:
            st.caption(t("wizard.stages_none"))
        else:
            _stage_editor(entry)
    with right:
        st.markdown(f"**{t('wizard.sources_header')}**")
        if not plan.source_motions:
            st.caption(t("wizard.sources_none"))
        else:
            _source_editor(entry)

    c1, c2 = st.columns(2)
    yes_no = {True: t("wizard.yes"), False: t("wizard.no")}
    day_first = c1.toggle(
        t("wizard.day_first"),
        value=plan.day_first,
        key=f"wizard_day_first_{entry.eid}_{entry.version}",
        help=t("wizard.day_first_help"),
    )
    note = t("wizard.detected", value=yes_no[bool(entry.detected_day_first)])
    if report is not None and report.ambiguous_dates:
        note += " · " + t("wizard.ambiguous_dates", count=report.ambiguous_dates)
    c1.caption(note)
    decimal_comma = c2.toggle(
        t("wizard.decimal_comma"),
        value=plan.decimal_comma,
        key=f"wizard_decimal_comma_{entry.eid}_{entry.version}",
        help=t("wizard.decimal_comma_help"),
    )
    c2.caption(t("wizard.detected", value=yes_no[bool(entry.detected_decimal_comma)]))
    if day_first != plan.day_first:
        entry.reconfigure(day_first=day_first)
        st.rerun()
    if decimal_comma != plan.decimal_comma:
        entry.reconfigure(decimal_comma=decimal_comma)
        st.rerun()


def _value_counts(plan: engine.Plan, header: str) -> dict[str, int]:
    df = plan.distinct_values(header)
    return dict(zip(df["value"], df["rows"], strict=True))


def _stage_editor(entry: Entry) -> None:
    plan = entry.plan
    assert plan is not None
    counts = _value_counts(plan, plan.mapping["stage"])
    unknown = set(plan.unknown_stages())
    stages = list(plan.stage_outcomes)
    frame = pd.DataFrame(
        {
            "stage": stages,
            "rows": [int(counts.get(s, 0)) for s in stages],
            "outcome": [plan.stage_outcomes[s] for s in stages],
        }
    )
    ids = plan.stage_ids  # ids, not names (销售易's saleStageId): ask, never read as open
    if ids is not None:
        st.warning(ids.message(current_language()))
        unknown = set(ids.unmapped)
    elif unknown:
        st.warning(t("wizard.stages_unknown", count=len(unknown)))
    styled = frame.style.apply(
        lambda col: ["background-color: #FFF3BF" if s in unknown else "" for s in stages],
        subset=["stage"],
    )
    outcomes = ["won", "lost", "open"]
    edited = st.data_editor(
        styled,
        key=stage_editor_key(entry),
        hide_index=True,
        width="stretch",
        height=35 * (min(len(frame), 10) + 1) + 3,
        num_rows="fixed",
        disabled=["stage", "rows"],
        column_config={
            "stage": st.column_config.TextColumn(t("wizard.col.stage")),
            "rows": st.column_config.NumberColumn(t("wizard.col.rows"), format="localized"),
            "outcome": st.column_config.SelectboxColumn(
                t("wizard.col.outcome"),
                options=outcomes,
                format_func=lambda o: t(f"wizard.outcome.{o}"),
                required=True,
            ),
        },
    )
    changes = {
        s: str(o)
        for s, o, before in zip(stages, edited["outcome"], frame["outcome"], strict=True)
        if o in outcomes and o != before
    }
    if changes:
        entry.reconfigure(stage_outcomes=changes)
        st.rerun()
    if (
        ids is not None
        and ids.unmapped
        and st.button(
            t("wizard.stage_ids_confirm"), key=f"wizard_stage_ids_{entry.eid}_{entry.version}"
        )
    ):
        entry.reconfigure(stage_outcomes=dict(plan.stage_outcomes))  # every id said
        st.rerun()


def _source_editor(entry: Entry) -> None:
    plan = entry.plan
    assert plan is not None
    counts = _value_counts(plan, plan.mapping["source"])
    sources = list(plan.source_motions)
    frame = pd.DataFrame(
        {
            "source": sources,
            "rows": [int(counts.get(s, 0)) for s in sources],
            "motion": [plan.source_motions[s] for s in sources],
        }
    )
    unmapped = [s for s in sources if plan.source_motions[s] not in ("pull", "push")]
    if unmapped:
        st.warning(t("wizard.sources_unmapped", count=len(unmapped)))
    styled = frame.style.apply(
        lambda col: ["background-color: #FFF3BF" if s in unmapped else "" for s in sources],
        subset=["source"],
    )
    labels = {"pull": t("motion.pull"), "push": t("motion.push")}
    edited = st.data_editor(
        styled,
        key=source_editor_key(entry),
        hide_index=True,
        width="stretch",
        height=35 * (min(len(frame), 10) + 1) + 3,
        num_rows="fixed",
        disabled=["source", "rows"],
        placeholder=t("motion.unmapped"),
        column_config={
            "source": st.column_config.TextColumn(t("data.col.source")),
            "rows": st.column_config.NumberColumn(t("wizard.col.rows"), format="localized"),
            "motion": st.column_config.SelectboxColumn(
                t("data.col.motion"),
                options=["pull", "push"],
                format_func=lambda m: labels.get(m, m),
                help=t("data.motion_help"),
            ),
        },
    )
    changes: dict[str, str | None] = {}
    for s, m, before in zip(sources, edited["motion"], frame["motion"], strict=True):
        new = m if m in ("pull", "push") else None
        if new != (before if before in ("pull", "push") else None):
            changes[s] = new
    if changes:
        entry.reconfigure(source_motions=changes)
        st.rerun()


# -- step 4: check ---------------------------------------------------------------------------------
def mode_key(entry: Entry) -> str:
    return f"wizard_mode_{entry.eid}"


def choose_mode(entry: Entry) -> str:
    _step(4, "wizard.step_check")
    mode = st.radio(
        t("wizard.mode"),
        options=list(MODES),
        format_func=lambda m: t(f"wizard.mode.{m}"),
        captions=[t(f"wizard.mode.{m}_help") for m in MODES],
        key=mode_key(entry),
        horizontal=True,
    )
    return str(mode or MODES[0])


def report_for(entry: Entry, mode: str) -> engine.Report:
    """The plan's check for ``mode`` (kept until the plan is configured again)."""
    plan = entry.plan
    assert plan is not None
    if plan.report is not None and plan.report.mode == mode:
        return plan.report
    with st.spinner(t("wizard.checking")):
        return plan.validate(mode)


def render_report(entry: Entry, report: engine.Report, fmt: Formatter) -> None:
    plan = entry.plan
    assert plan is not None
    cols = st.columns(4)
    cols[0].metric(t("wizard.m.read"), fmt.number(report.rows_read), border=True)
    cols[1].metric(t("wizard.m.load"), fmt.number(report.rows_ok), border=True)
    cols[2].metric(t("wizard.m.rejected"), fmt.number(report.rows_rejected), border=True)
    cols[3].metric(t("wizard.m.footer"), fmt.number(report.footer_lines), border=True)
    notes = []
    if report.mode == "append" and report.existing:
        notes.append(t("wizard.existing_append", count=fmt.number(report.existing)))
    if report.mode == "upsert":
        notes.append(t("wizard.existing_upsert", count=fmt.number(report.existing)))
    if report.mode == "replace":
        notes.append(
            t(
                "wizard.replaced",
                count=fmt.number(report.replaced),
                kind=t(f"wizard.kind_noun.{plan.kind}"),
            )
        )
        if report.existing:
            notes.append(t("wizard.existing_replace", count=fmt.number(report.existing)))
    for n in notes:
        st.caption(n)
    # amounts in another currency than the workspace's: said, never converted
    for mismatch in report.currency_mismatches:
        st.warning(mismatch.message(current_language()))
    for unit in report.amount_units:
        st.caption(unit.message(current_language()))
    if report.blanks:
        parts = [
            t("wizard.blank_item", field=field_label(plan.kind, f), count=fmt.number(n))
            for f, n in report.blanks.items()
        ]
        st.caption(t("wizard.blanks", items="; ".join(parts)))

    st.markdown(f"**{t('wizard.preview_header')}**")
    if report.preview.empty:
        st.info(t("wizard.preview_empty"))
    else:
        preview, left_empty = preview_frame(plan.kind, plan.mapping, report.preview)
        st.dataframe(
            preview,
            hide_index=True,
            width="stretch",
            column_config=preview_columns(plan.kind, preview),
        )
        st.caption(t("wizard.preview_caption", rows=len(preview)))
        if left_empty:
            names = ", ".join(short_label(plan.kind, c) for c in left_empty)
            st.caption(t("wizard.preview_left_empty", fields=names))

    if report.rows_rejected:
        st.markdown(f"**{t('wizard.rejects_header')}**")
        rejects = translated_rejects(report.rejects)
        render_rejects(rejects, key=f"wizard_rejects_{entry.eid}", file_name=entry.name)


def preview_frame(
    kind: str, mapping: dict[str, str], preview: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    """The preview rows without the columns no column of the file feeds (all empty): they
    would only push the columns that matter out of view. Returns the frame and those names."""
    preview = preview.head(PREVIEW_ROWS)
    fed = set(mapping) | _DERIVED.get(kind, set()) | {"row_number"}
    empty = [c for c in preview.columns if c not in fed and preview[c].isna().all()]
    return preview.drop(columns=empty), empty


def preview_columns(kind: str, preview: pd.DataFrame) -> dict[str, object]:
    """Column headers in the reader's language; dates without a midnight time; money with
    thousands separators."""
    types = {f.name: f.type for f in FIELDS[kind]} | {"closed_at": "timestamp"}
    config: dict[str, object] = {}
    for c in preview.columns:
        label = field_label(kind, c)
        type_ = types.get(c, "text")
        if type_ in ("timestamp", "date") and pd.api.types.is_datetime64_any_dtype(preview[c]):
            values = preview[c].dropna()
            midnight = bool((values == values.dt.normalize()).all())
            fmt = "YYYY-MM-DD" if midnight else "YYYY-MM-DD HH:mm"
            config[c] = st.column_config.DatetimeColumn(label, format=fmt)
        elif type_ in ("date",):
            config[c] = st.column_config.DateColumn(label, format="YYYY-MM-DD")
        elif type_ in ("money", "number"):
            config[c] = st.column_config.NumberColumn(label, format="localized")
        else:
            config[c] = st.column_config.Column(label)
    return config


def translated_rejects(df: pd.DataFrame) -> pd.DataFrame:
    """Engine or stored rejects (row_number, column, code, value, reason) → the table shown
    and downloaded: row, column, problem in the reader's language, value."""
    return pd.DataFrame(
        {
            t("wizard.col.row"): df["row_number"].astype("int64"),
            t("wizard.col.column"): df["column"].fillna(""),
            t("wizard.col.problem"): [
                reject_text(c, col, v, r)
                for c, col, v, r in zip(
                    df["code"], df["column"], df["value"], df["reason"], strict=True
                )
            ],
            t("wizard.col.value"): df["value"],
        }
    )


def render_rejects(rejects: pd.DataFrame, *, key: str, file_name: str) -> None:
    st.dataframe(rejects.head(REJECTS_SHOWN), hide_index=True, width="stretch")
    if len(rejects) > REJECTS_SHOWN:
        st.caption(t("wizard.rejects_first", shown=REJECTS_SHOWN, total=len(rejects)))
    st.download_button(
        t("wizard.rejects_download"),
        data=exports.csv_bytes(rejects),
        file_name=f"{Path(file_name).stem}-rejects.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


# -- step 5: import --------------------------------------------------------------------------------
def render_commit(
    entry: Entry, report: engine.Report, mode: str, *, blocked: bool, fmt: Formatter
) -> None:
    plan = entry.plan
    assert plan is not None
    _step(5, "wizard.step_commit")
    confirmed = False
    if report.duplicate_of:
        st.warning(
            t(
                "wizard.duplicate",
                when=str(report.duplicate_of["imported_at"])[:16],
                file=str(report.duplicate_of["file_name"]),
            )
        )
        confirmed = st.checkbox(t("wizard.duplicate_confirm"), key=f"wizard_again_{entry.eid}")
    if blocked:
        st.caption(t("wizard.blocked_sample"))
    elif report.rows_ok == 0:
        st.caption(t("wizard.nothing_to_load"))
    unsaid = plan.stage_ids is not None and bool(plan.stage_ids.unmapped)
    if unsaid:
        st.caption(t("wizard.stage_ids_blocked"))
    disabled = (
        blocked or unsaid or report.rows_ok == 0 or (bool(report.duplicate_of) and not confirmed)
    )
    label = t(
        "wizard.commit",
        rows=fmt.number(report.rows_ok),
        kind=t(f"wizard.kind_noun.{plan.kind}"),
    )
    if st.button(
        label,
        key=f"wizard_commit_{entry.eid}",
        type="primary",
        disabled=disabled,
        icon=":material/upload:",
    ) and auth.require("import"):
        bar = st.progress(0.0, text=t("wizard.progress.start"))

        def progress(fraction: float, step: str) -> None:
            bar.progress(min(max(float(fraction), 0.0), 1.0), text=t(f"wizard.progress.{step}"))

        result = plan.commit(mode, confirm_duplicate=confirmed, progress=progress)
        entry.result = result
        entry.close()  # the upload's copy is not needed once imported
        state.data_changed()
        state.reset_filters()  # the data's date range may have changed
        st.rerun()


def render_done(entry: Entry, ws: Workspace, fmt: Formatter) -> None:
    r = entry.result
    assert r is not None
    st.success(
        t(
            "wizard.done",
            file=entry.name,
            loaded=fmt.number(r.rows_loaded),
            kind=t(f"wizard.kind_noun.{r.kind}"),
            rejected=fmt.number(r.rows_rejected),
            mode=t(f"wizard.mode.{r.mode}"),
        ),
        icon=":material/check_circle:",
    )
    if r.rows_replaced:
        st.caption(t("wizard.done_replaced", count=fmt.number(r.rows_replaced)))
    render_links()
    if st.button(
        t("wizard.undo_this"), key=f"wizard_undo_done_{entry.eid}", icon=":material/undo:"
    ) and auth.require("undo"):
        undone = engine.undo(ws, r.import_id)
        state.data_changed()
        state.reset_filters()  # the data's date range may have changed
        entry.result = None
        if entry.path.exists():
            entry.open(ws)
        else:  # an upload's copy went with the import: staged again from the upload
            entries().pop(entry.eid, None)
        page.flash(t("wizard.undone", **undone), section="wizard")
        st.rerun()


def render_links() -> None:
    """How the workspace's records link up after the import: which deals have a motion, and
    why the others do not (sentences of counts only: no file text reaches the markdown). The
    counts are the cached ones the Data page shows: one query however many files are done."""
    lines = link_lines(state.call(links.link_state), current_language())
    if lines:
        st.info(
            f"**{t('wizard.links_title')}**\n\n" + "\n".join(f"- {line}" for line in lines),
            icon=":material/link:",
        )


# -- the whole wizard for one file -----------------------------------------------------------------
def render_entry(entry: Entry, ws: Workspace, fmt: Formatter, *, blocked: bool) -> None:
    if entry.result is not None:
        render_done(entry, ws, fmt)
        return
    if entry.failed:
        st.error(t("wizard.failed"))
        return
    if entry.refused is not None:
        st.error(entry.refused.message(current_language()))
        if entry.refused.code in _FIXABLE:
            render_manual(entry, ws)
        return
    assert entry.plan is not None
    render_detected(entry, fmt)
    render_mapping(entry)
    if entry.config_error is not None:
        st.error(entry.config_error.message(current_language()))
        return
    mode = st.session_state.get(mode_key(entry), MODES[0])
    report = report_for(entry, mode)
    render_values(entry, report)
    mode = choose_mode(entry)
    report = report_for(entry, mode)
    render_report(entry, report, fmt)
    render_commit(entry, report, mode, blocked=blocked, fmt=fmt)
