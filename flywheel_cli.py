"""``flywheel``: the command line, headless over the same functions the pages use."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path


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
    seed.add_argument("--db", type=Path, help="workspace file (default: FLYWHEEL_DB or sample)")
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
    seed.add_argument("--force", action="store_true", help="overwrite an existing file")

    metrics = sub.add_parser("metrics", help="headline metrics, overall and by motion")
    metrics.add_argument("--from", dest="date_from", type=_date, help="first day (inclusive)")
    metrics.add_argument("--to", dest="date_to", type=_date, help="last day (inclusive)")
    metrics.add_argument("--db", type=Path, help="workspace file (default: FLYWHEEL_DB or sample)")
    metrics.add_argument("--json", action="store_true", help="print JSON")

    imp = sub.add_parser(
        "import",
        help="import a CRM export (leads, deals, campaigns or spend)",
        description="Import CRM exports. Kind, preset and column mapping are detected when not "
        "given. Exit 0 when imported (rejected rows are listed), 2 when a file is refused.",
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--kind", choices=["leads", "deals", "campaigns", "spend"])
    imp.add_argument(
        "--preset",
        choices=["hubspot", "salesforce", "pipedrive", "zoho", "chinese_crm", "generic"],
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        type=_mapping,
        metavar="FIELD=COLUMN",
        help="read FIELD from COLUMN (e.g. --map created_at=engage_date); FIELD= unmaps it",
    )
    imp.add_argument("--mode", choices=["append", "replace", "upsert"], default="append")
    imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    imp.add_argument("--db", type=Path, help="workspace file (default: FLYWHEEL_DB or sample)")
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
    return parser


def _mapping(text: str) -> tuple[str, str | None]:
    field, sep, column = text.partition("=")
    if not sep or not field.strip():
        raise argparse.ArgumentTypeError(f"expected FIELD=COLUMN, got {text!r}")
    return field.strip(), (column.strip() or None)


def _cmd_seed(args: argparse.Namespace) -> int:
    from queries.workspace import default_path
    from sample_data.seed import build_sample_workspace

    path = args.db or default_path()
    if path.exists() and not args.force:
        print(f"flywheel: {path} already exists; use --force to rebuild it", file=sys.stderr)
        return 1
    build_sample_workspace(path, scale=args.scale, deals_scale=args.deals_scale)
    print(f"Sample workspace written to {path}")
    return 0


def _cmd_metrics(args: argparse.Namespace) -> int:
    from queries import metrics
    from queries.filters import ALL_FROM, ALL_TO, Filters
    from queries.workspace import Workspace, default_path

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
    ws = Workspace(path, read_only=True)
    try:
        result = metrics.as_json_dict(metrics.headline(ws, Filters(date_from, date_to)))
    finally:
        ws.close()
    if args.json:
        print(json.dumps(result, indent=2))
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
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from queries.workspace import WorkspaceLockedError

    try:
        if args.command == "seed":
            return _cmd_seed(args)
        if args.command == "import":
            from flywheel_import import run_import

            return run_import(args)
        return _cmd_metrics(args)
    except WorkspaceLockedError as exc:
        print(f"flywheel: {exc}", file=sys.stderr)
        return 1
    except (RuntimeError, FileNotFoundError) as exc:
        print(f"flywheel: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
