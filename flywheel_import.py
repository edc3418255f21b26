"""``flywheel import``: the import engine of the Data page, headless, with a short summary.

Exit codes: 0 imported (rejected rows are listed, the others loaded), 2 a file was refused
(nothing written), 1 the workspace cannot be opened (missing folder, held by the dashboard).
``--dry-run`` only reads: while the dashboard holds the workspace it checks against a snapshot.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

SHOW_REJECTS = 10
# Control characters (an ANSI escape in a CRM value would recolour or rewrite the terminal) are
# printed as escapes; line breaks inside a value too.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u2060\ufeff]")


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1] or "?", text)


def _say(text: str = "") -> None:
    print(_printable(text))


def _err(text: str) -> None:
    print(f"flywheel: {_printable(text)}", file=sys.stderr)


def run_import(args: argparse.Namespace) -> int:
    from queries import workspaces
    from queries.workspace import Workspace, WorkspaceLockedError, default_path

    path: Path = args.db or default_path()
    if args.dry_run and path.exists():
        # a dry run only reads: it works from a snapshot while the dashboard holds the file
        try:
            ws = Workspace(path)
        except WorkspaceLockedError:
            from flywheel_cli import _say_snapshot
            from queries import snapshot

            with snapshot.reading(path) as reading:
                _say_snapshot(reading)
                return _run(reading.ws, args)
        try:
            return _run(ws, args)
        finally:
            ws.close()
    try:
        ws = Workspace(path) if path.exists() else workspaces.create_workspace(path)
    except WorkspaceLockedError:
        from flywheel_cli import locked_sentence

        _err(locked_sentence(path))
        return 1
    try:
        return _run(ws, args)
    finally:
        ws.close()


def _run(ws, args: argparse.Namespace) -> int:
    """Check (and unless a dry run, import) each file into ``ws``; the exit status."""
    from queries.ingest import engine
    from queries.ingest.errors import ImportRefused

    limit = int(args.limit_mb * 2**20) if args.limit_mb else _env_limit()
    choices = engine.Choices(
        kind=args.kind,
        preset=args.preset,
        mapping=dict(args.map),
        stage_outcomes=dict(getattr(args, "stage", None) or []),
        day_first=args.day_first,
        decimal_comma=args.decimal_comma,
    )
    status = 0
    for file in args.files:
        try:
            with engine.open_import(
                ws, file, choices=choices, sheet=args.sheet, limit_bytes=limit
            ) as plan:
                report = plan.validate(args.mode)
                _summary(plan, report)
                if args.dry_run:
                    if report.rows_ok == 0:
                        raise plan.all_rejected()
                    _say("  dry run: nothing was written.")
                    continue
                result = plan.commit(args.mode, confirm_duplicate=args.again)
                _say(
                    f"  imported as {result.import_id}: {result.rows_loaded:,} rows loaded"
                    + (
                        f", {result.rows_replaced:,} earlier rows replaced (kept for undo)"
                        if result.rows_replaced
                        else ""
                    )
                    + "."
                )
            _links(ws)
        except ImportRefused as exc:
            _err(exc.message("en"))
            status = 2
    return status


def _links(ws) -> None:
    """The state of the links after an import: which deals have a motion, and why not."""
    from components.ui.link_report import link_lines
    from queries import links

    lines = link_lines(links.link_state(ws), "en")
    if lines:
        _say("  links:")
        for line in lines:
            _say(f"    {line}")


def _env_limit() -> int | None:
    text = os.environ.get("FLYWHEEL_IMPORT_LIMIT_MB", "").strip()
    try:
        return int(float(text) * 2**20) if text else None
    except ValueError:
        return None


def _summary(plan, report) -> None:
    from queries.ingest import presets

    preset = presets.PRESETS.get(plan.preset)
    label = preset.label if preset else plan.preset
    src = plan.src
    fmt = src.format.upper() + (f", {src.encoding}" if src.encoding else "")
    _say(f"{src.name} ({fmt}) → {plan.kind}, {label} export, mode {report.mode}")
    for note in src.notes:
        _say(f"  {note}.")
    line = (
        f"  {report.rows_read:,} rows read, {report.rows_ok:,} will load, "
        f"{report.rows_rejected:,} rejected"
    )
    if report.footer_lines:
        line += f", {report.footer_lines} report footer lines dropped"
    _say(line + ".")
    mapped = ", ".join(f"{f} ← {h}" for f, h in plan.mapping.items())
    _say(f"  columns: {mapped}")
    if plan.day_first:
        _say("  dates like 03/04/2024 read day first (3 April).")
    if report.ambiguous_dates:
        order = "day first" if plan.day_first else "month first"
        _say(
            f"  {report.ambiguous_dates:,} dates could be read either way (like 03/04/2024); "
            f"read {order} (--day-first / --month-first to change)."
        )
    for field, n in report.blanks.items():
        _say(f"  {n:,} empty {field} values stored as empty.")
    for note in report.money_notes("en"):
        _say(f"  {note}")
    unknown = plan.unknown_stages()
    if plan.stage_ids is not None:  # ids, not names: asked for, never read as open
        _say(f"  {plan.stage_ids.message('en')}")
        if plan.stage_ids.unmapped:
            example = " ".join(f"--stage {i}=won|lost|open" for i in plan.stage_ids.unmapped[:2])
            _say(f"  say it with --stage for each id ({example} ...).")
    elif unknown:
        _say(f"  stages read as open (not recognised): {', '.join(unknown[:10])}")
    unmapped = [s for s, m in plan.source_motions.items() if m is None]
    if unmapped:
        _say(
            f"  sources without a pull/push motion (set them on the Data page): "
            f"{', '.join(unmapped[:10])}"
        )
    if report.mode == "append" and report.existing:
        _say(f"  {report.existing:,} records are already in the workspace (use --mode upsert).")
    if report.mode == "upsert" and report.existing:
        _say(f"  {report.existing:,} records already in the workspace will be updated.")
    if report.replaced:
        _say(f"  replace: {report.replaced:,} rows of earlier {plan.kind} imports are replaced.")
    if report.duplicate_of:
        _say(
            f"  this file was imported before ({report.duplicate_of['import_id']}, "
            f"{str(report.duplicate_of['imported_at'])[:16]})."
        )
    for row in report.rejects.head(SHOW_REJECTS).itertuples():
        _say(f"  row {row.row_number}: {row.reason}")
    if report.rows_rejected > SHOW_REJECTS:
        _say(f"  … and {report.rows_rejected - SHOW_REJECTS:,} more rejected rows (Data page).")
