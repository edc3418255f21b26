"""``flywheel``: the command line, headless over the same functions the pages use."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from queries.ingest.fields import KINDS
from queries.ingest.presets import PRESETS


def locked_sentence(path: Path) -> str:
    """The one sentence every writing command says when the app holds the workspace."""
    return (
        f"the workspace {path} is open in a running Flywheel dashboard, and only one program "
        "can write to it at a time: do this on the dashboard's Data page, or stop the dashboard "
        "(Ctrl+C in its terminal) and run this command again."
    )


def _refuse_if_held(path: Path) -> None:
    """Raise WorkspaceLockedError when another process holds ``path`` (before a command that
    would replace the file under it)."""
    import duckdb

    from queries.workspace import WorkspaceLockedError

    if not isinstance(path, Path) or not path.exists():
        return  # a DuckLake workspace is shared by design: nothing holds it
    try:
        duckdb.connect(str(path)).close()
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WorkspaceLockedError(str(path)) from exc
    except duckdb.Error:
        pass  # not a workspace DuckDB can read: --force rebuilds it


DB_HELP = "workspace file or ducklake: target (default: FLYWHEEL_DB or sample)"


def _workspace(text: str):
    """A workspace file path, or a DuckLake target (``ducklake:postgres:…``; queries/lake.py)."""
    from queries.workspace import target

    try:
        return target(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flywheel",
        description="Flywheel: plan marketing (pull) and sales (push) as one flywheel.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    seed = sub.add_parser("seed", help="build the sample workspace (the sample company)")
    seed.add_argument("--db", type=_workspace, help=DB_HELP)
    seed.add_argument(
        "--scale",
        type=_positive,
        default=1.0,
        help="size multiplier: 1 = about 25,000 leads and 3,000 deals",
    )
    seed.add_argument(
        "--deals-scale",
        type=_positive,
        default=None,
        help="separate size multiplier for deals (benchmarks); default: --scale",
    )
    seed.add_argument(
        "--locale",
        choices=["en", "zh"],
        default="en",
        help="en: Northwind Analytics (USD); zh: the same company in Chinese (北辰数智科技, CNY, "
        "Chinese regions and channels)",
    )
    seed.add_argument("--force", action="store_true", help="overwrite an existing file")

    metrics = sub.add_parser("metrics", help="headline metrics, overall and by motion")
    metrics.add_argument("--from", dest="date_from", type=_date, help="first day (inclusive)")
    metrics.add_argument("--to", dest="date_to", type=_date, help="last day (inclusive)")
    metrics.add_argument("--db", type=_workspace, help=DB_HELP)
    metrics.add_argument("--json", action="store_true", help="print JSON")

    imp = sub.add_parser(
        "import",
        help="import a CRM export (leads, deals, campaigns, spend, accounts, reps, products, "
        "touches)",
        description="Import CRM exports. Kind, preset and column mapping are detected when not "
        "given. Exit 0 when imported (rejected rows are listed), 2 when a file is refused.",
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--kind", choices=list(KINDS))
    imp.add_argument(
        "--preset",
        choices=list(PRESETS),
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        type=_mapping,
        metavar="FIELD=COLUMN",
        help="read FIELD from COLUMN (e.g. --map created_at=engage_date); FIELD= unmaps it; "
        "one column may feed two fields",
    )
    imp.add_argument(
        "--stage",
        action="append",
        default=[],
        type=_stage_outcome,
        metavar="STAGE=OUTCOME",
        help="read deals in STAGE as OUTCOME (won, lost or open), e.g. --stage 1318525=won; "
        "needed for every id when the stage column holds ids, not names",
    )
    imp.add_argument("--mode", choices=["append", "replace", "upsert"], default="append")
    imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    imp.add_argument("--db", type=_workspace, help=DB_HELP)
    imp.add_argument("--sheet", help="workbook sheet (default: the first)")
    dates = imp.add_mutually_exclusive_group()
    dates.add_argument(
        "--day-first",
        dest="day_first",
        action="store_true",
        default=None,
        help="read 03/04/2024 as 3 April",
    )
    dates.add_argument(
        "--month-first", dest="day_first", action="store_false", help="read 03/04/2024 as 4 March"
    )
    dec = imp.add_mutually_exclusive_group()
    dec.add_argument(
        "--decimal-comma",
        dest="decimal_comma",
        action="store_true",
        default=None,
        help="read 1.234,56 as one thousand two hundred and thirty-four",
    )
    dec.add_argument("--decimal-point", dest="decimal_comma", action="store_false")
    imp.add_argument(
        "--again", action="store_true", help="import a file that was imported before (same content)"
    )
    imp.add_argument("--limit-mb", type=_positive, help="largest file accepted (default 200)")

    exp = sub.add_parser(
        "export",
        help="build the meeting pack (HTML or PowerPoint) headless",
        description="Build the meeting pack: the curated charts of the chosen pages with their "
        "takeaways and a closing KPI summary. Exit 0 when written, 2 on bad arguments, 1 when "
        "the pack cannot be built (no workspace, no browser for a PowerPoint deck).",
    )
    exp.add_argument(
        "--format",
        choices=["html", "pptx"],
        help="html (self-contained, offline) or pptx (16:9 deck); default: from --out",
    )
    exp.add_argument(
        "--pages",
        nargs="+",
        metavar="PAGE",
        help="pages whose preset charts go in (default: all); see --list",
    )
    exp.add_argument(
        "--charts",
        nargs="+",
        metavar="KEY",
        help="the charts to put in, by key (e.g. market.win_rate_by_segment), instead of the "
        "pages' presets; see --list",
    )
    exp.add_argument(
        "--list",
        action="store_true",
        help="list every chart key (* = in its page's preset pack) and the pages, and stop",
    )
    exp.add_argument("--from", dest="date_from", type=_date, help="first day (inclusive)")
    exp.add_argument("--to", dest="date_to", type=_date, help="last day (inclusive)")
    exp.add_argument("--out", type=Path, metavar="FILE", help="file to write (required)")
    exp.add_argument("--db", type=_workspace, help=DB_HELP)
    exp.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the pack")

    comp = sub.add_parser(
        "compact",
        help="drop expired undo history and rejects, and shrink the workspace file",
        description="Drop the undo history and rejected rows of the imports whose undo expired "
        "under the workspace's retention setting (Data page; default: the last 20 imports, "
        "90 days), then rewrite the file so that it shrinks. The imports stay in the history; "
        "their undo is refused. Exit 0 when done, 1 when the workspace cannot be opened.",
    )
    comp.add_argument("--db", type=_workspace, help=DB_HELP)

    wsp = sub.add_parser("workspace", help="move a workspace between a file and DuckLake")
    wsub = wsp.add_subparsers(dest="action", required=True, metavar="ACTION")
    copy = wsub.add_parser(
        "copy",
        help="copy every table of a workspace into another (file or ducklake: target)",
        description="Copy every table of SRC into DST — a workspace file or a ducklake: target, "
        "either way — in one transaction on DST, with each table's row count checked against "
        "SRC before it commits. DST is created and brought up to date first (its views and "
        "macros are its own). Exit 0 when copied; 1 when DST already holds data (add --force to "
        "replace it), or a workspace cannot be opened; nothing is copied then.",
    )
    copy.add_argument("source", type=_workspace, metavar="SRC", help="the workspace to copy")
    copy.add_argument("destination", type=_workspace, metavar="DST", help="where to copy it")
    copy.add_argument("--force", action="store_true", help="replace the data DST holds")
    return parser


def _mapping(text: str) -> tuple[str, str | None]:
    field, sep, column = text.partition("=")
    if not sep or not field.strip():
        raise argparse.ArgumentTypeError(f"expected FIELD=COLUMN, got {text!r}")
    return field.strip(), (column.strip() or None)


def _stage_outcome(text: str) -> tuple[str, str]:
    stage, sep, outcome = text.rpartition("=")
    if not sep or not stage.strip() or outcome.strip() not in ("won", "lost", "open"):
        raise argparse.ArgumentTypeError(f"expected STAGE=won|lost|open, got {text!r}")
    return stage.strip(), outcome.strip()


def _cmd_seed(args: argparse.Namespace) -> int:
    from queries.workspace import default_path
    from sample_data.seed import build_sample_workspace

    path = args.db or default_path()
    if path.exists() and not args.force:
        print(f"flywheel: {path} already exists; use --force to rebuild it", file=sys.stderr)
        return 1
    _refuse_if_held(path)  # rebuilding would pull the file from under the running app
    build_sample_workspace(path, scale=args.scale, deals_scale=args.deals_scale, locale=args.locale)
    print(f"Sample workspace written to {path}")
    return 0


def _cmd_metrics(args: argparse.Namespace) -> int:
    from queries import metrics, snapshot
    from queries.filters import ALL_FROM, ALL_TO, Filters
    from queries.workspace import default_path

    date_from = args.date_from or ALL_FROM
    date_to = args.date_to or ALL_TO
    if date_from > date_to:
        print(f"flywheel: --from {date_from} is after --to {date_to}", file=sys.stderr)
        return 2
    path = args.db or default_path()
    if not path.exists():
        print(
            f"flywheel: no workspace at {path} (run `flywheel seed` or set --db)", file=sys.stderr
        )
        return 1
    filters = Filters(date_from, date_to)
    with snapshot.reading(path) as reading:
        _say_snapshot(reading)
        result = metrics.as_json_dict(metrics.headline(reading.ws, filters), filters)
    if args.json:
        # an absent figure is null and its reason is in the group's "notes"
        print(json.dumps(result, indent=2, allow_nan=False))
    else:
        groups = list(result)
        print(f"{'metric':<22}" + "".join(f"{g:>16}" for g in groups))
        for key in metrics.METRIC_KEYS:
            cells = []
            for g in groups:
                v = result[g][key]
                text = "—" if v is None else f"{v:,.2f}" if isinstance(v, float) else f"{v:,}"
                cells.append(f"{text:>16}")
            print(f"{key:<22}" + "".join(cells))
        # "—" and the caveats, each reason once with the figures it concerns:
        # "cac (pull, push): No spend imported — …"
        reasons: dict[str, dict[str, list[str]]] = {}
        for g in groups:
            for key, note in result[g]["notes"].items():
                reasons.setdefault(note, {}).setdefault(key, []).append(g)
        if reasons:
            print()
        for note, keys in reasons.items():
            by_groups: dict[tuple[str, ...], list[str]] = {}
            for key, where in keys.items():
                by_groups.setdefault(tuple(where), []).append(key)
            named = "; ".join(f"{', '.join(k)} ({', '.join(g)})" for g, k in by_groups.items())
            print(f"{named}: {note}")
    return 0


def _export_error(message: str) -> int:
    print(f"flywheel export: {message}", file=sys.stderr)
    return 2


def _cmd_export(args: argparse.Namespace) -> int:
    """``flywheel export``: the same pack as the app's download, for a scheduled weekly pack."""
    from components.export import packs
    from queries import period
    from views import registry

    if args.list:
        for e in registry.entries():
            print(f"{'*' if e.pack else ' '} {e.key}")
        print(f"pages: {', '.join(packs.pages())}")
        return 0
    if args.out is None:
        return _export_error("give the file to write with --out FILE (.html or .pptx)")
    if args.pages and args.charts:
        return _export_error("give --pages or --charts, not both")
    known = {e.key for e in registry.entries()}
    unknown_charts = [k for k in args.charts or () if k not in known]
    if unknown_charts:
        return _export_error(
            f"unknown chart(s): {', '.join(unknown_charts)}; `flywheel export --list` lists them"
        )
    out: Path = args.out
    if out.is_dir():
        return _export_error(f"{out} is a folder; give a file name")
    suffix = out.suffix.lower().lstrip(".")
    fmt = args.format or suffix
    if fmt not in ("html", "pptx"):
        return _export_error(
            f"cannot tell the format from {out.name!r}: name it .html or .pptx, or give --format"
        )
    if suffix != fmt:
        return _export_error(f"--format {fmt} does not match the file name {out.name!r}")
    known = packs.pages()
    unknown = [p for p in args.pages or () if p not in known]
    if unknown:
        return _export_error(
            f"unknown page(s): {', '.join(unknown)}; choose from {', '.join(known)}"
        )
    if args.date_from and args.date_to and args.date_from > args.date_to:
        return _export_error(f"--from {args.date_from} is after --to {args.date_to}")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        return _export_error(f"cannot write {out}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        return _export_error(f"cannot write {out}: permission denied")

    from queries import snapshot
    from queries.filters import Filters
    from queries.workspace import default_path

    path = args.db or default_path()
    if not path.exists():
        print(
            f"flywheel: no workspace at {path} (run `flywheel seed` or set --db)", file=sys.stderr
        )
        return 1
    with snapshot.reading(path) as reading:
        _say_snapshot(reading)
        ws = reading.ws
        date_from, date_to = args.date_from, args.date_to
        if date_from is None or date_to is None:
            first, last = period.data_range(ws)
            default_from, default_to = period.default_period(first, last)
            date_from = date_from or default_from
            date_to = date_to or max(default_to, date_from)
        if date_from > date_to:
            return _export_error(f"--from {date_from} is after the data's last day {date_to}")
        filters = Filters(date_from, date_to)
        data = packs.render_pack(
            ws, filters, fmt=fmt, lang=args.lang, pages=args.pages, keys=args.charts
        )
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out)  # a scheduled job never leaves half a file where the last good pack was
    print(f"Meeting pack written to {out} ({len(data) / 1e6:.1f} MB, {date_from} – {date_to})")
    return 0


def _say_snapshot(reading) -> None:
    note = reading.note()
    if note:
        print(f"flywheel: {note}", file=sys.stderr)


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def _cmd_compact(args: argparse.Namespace) -> int:
    """``flywheel compact``: drop expired undo history and rejects, then shrink the file (on a
    lake: DuckLake's maintenance, queries/retention.py ``compact_lake``)."""
    from queries import retention
    from queries.workspace import default_path

    path = args.db or default_path()
    if not path.exists():
        print(
            f"flywheel: no workspace at {path} (run `flywheel seed` or set --db)", file=sys.stderr
        )
        return 1
    done = retention.compact(path)
    freed = done.freed
    if freed.imports:
        dropped = ", ".join(f"{n:,} {t}" for t, n in freed.rows.items() if n) or "no rows"
        print(
            f"Undo expired for {len(freed.imports):,} import(s) under the retention setting: "
            f"dropped {dropped}."
        )
    else:
        print("No import's undo has expired under the retention setting: nothing dropped.")
    if done.lake is not None:
        m = done.lake
        print(
            f"DuckLake: {m.snapshots_expired:,} snapshot(s) older than the retention days "
            f"expired, {m.files_merged:,} small file(s) merged, {m.files_rewritten:,} rewritten "
            f"without their deleted rows, {m.files_deleted:,} file(s) no snapshot needs deleted"
            + (
                f"; {m.files_waiting:,} more wait an hour (a query of another server may still "
                "read them) and go at the next compact."
                if m.files_waiting
                else "."
            )
        )
        change = (
            f"{m.freed:,} bytes freed"
            if done.after <= done.before
            else f"{done.after - done.before:,} bytes more: rows moved from the catalog into "
            "files, and files waiting for deletion"
        )
        print(
            f"{path}: files under the data path {done.before:,} bytes ({m.files_before:,} files) "
            f"before, {done.after:,} bytes ({m.files_after:,} files) after ({change})."
        )
        return 0
    print(
        f"{path}: {_mb(done.before)} before, {_mb(done.after)} after "
        f"({_mb(max(done.before - done.after, 0))} reclaimed)."
    )
    return 0


def _cmd_workspace_copy(args: argparse.Namespace) -> int:
    """``flywheel workspace copy SRC DST``: queries/workspace.py ``copy_workspace``."""
    import time

    from queries.workspace import WorkspaceLockedError, copy_workspace

    started = time.monotonic()
    try:
        counts = copy_workspace(args.source, args.destination, force=args.force)
    except WorkspaceLockedError as exc:
        print(f"flywheel: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"flywheel: {exc}", file=sys.stderr)
        return 1
    shown = ", ".join(f"{t} {n:,}" for t, n in counts.items() if n) or "no rows"
    print(
        f"Copied {args.source} to {args.destination} in {time.monotonic() - started:.1f} s, "
        f"the row counts of its {len(counts)} tables checked: {shown}."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from queries.workspace import WorkspaceLockedError

    try:
        if args.command == "seed":
            return _cmd_seed(args)
        if args.command == "export":
            from components.export.images import ImagesUnavailable

            try:
                return _cmd_export(args)
            except ImagesUnavailable as exc:
                print(f"flywheel export: {exc}", file=sys.stderr)
                return 1
        if args.command == "import":
            from flywheel_import import run_import

            return run_import(args)
        if args.command == "compact":
            return _cmd_compact(args)
        if args.command == "workspace":
            return _cmd_workspace_copy(args)
        return _cmd_metrics(args)
    except WorkspaceLockedError:
        from queries.workspace import default_path

        print(f"flywheel: {locked_sentence(args.db or default_path())}", file=sys.stderr)
        return 1
    except (RuntimeError, FileNotFoundError) as exc:
        print(f"flywheel: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the output was piped into a command that stopped reading
        return 1
    except Exception as exc:  # never a traceback on a user's terminal: a sentence and status 1
        print(
            f"flywheel: {args.command} stopped on an unexpected error and changed nothing "
            f"({type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else '-'}). "
            "Please report it with the command you ran.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
