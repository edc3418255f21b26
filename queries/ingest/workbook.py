"""Reading one sheet of an xlsx workbook, or the table of an HTML "Excel" export, into a CSV of
text cells (``_row, c0..cN``) that ``files.stage`` loads like any other.

Workbooks are read by python-calamine (Rust) in a child process with hard limits: calamine
holds a sheet as a dense grid from its first to its last valued cell, so one value in cell
XFD1048576 asks for billions of cells and the allocation failure aborts the process. Here the
child dies instead of the app, and the user is told the workbook is too big. Within the
limits every file under the size limit is imported or refused in bounded time and memory.

This module imports nothing from the project: it runs as ``python -I workbook.py`` too.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

CPU_SECONDS = 10
MEMORY_BYTES = 2**30
WALL_SECONDS = 60  # a loaded machine: the CPU limit is the real cap
MAX_CELLS = 30_000_000  # of the sheet's used range (calamine allocates them all)
TITLE_SCAN_ROWS = 200
_NUMBERISH = re.compile(r"^[\s$€£¥+\-(]*\d[\d\s.,:/\-%)]*$")
# <f>, <f t="shared" .../>, <x:f>: plain substring searches run at memory speed, a regex not.
_FORMULA_TAGS = (b"<f>", b"<f ", b"<f/>", b":f>", b":f ")


# -- cells --------------------------------------------------------------------------------------
def cell_text(value: object) -> str | None:
    """A workbook cell as the text a CSV export would hold: dates as ISO, whole numbers
    without '.0'. Typed cells are safer than text: nothing is guessed here."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ").removesuffix(" 00:00:00")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _texts(row: list) -> list[str | None]:
    # Most cells are text: skip the call for them (a third of the time on a big sheet).
    return [v if (type(v) is str and v) else cell_text(v) for v in row]


# -- the header ---------------------------------------------------------------------------------
def _header_like(cells: list[str | None]) -> bool:
    names = [c for c in cells if c and c.strip() and not _NUMBERISH.match(c.strip())]
    return len(names) * 2 > len(cells)


def _trimmed(cells: list[str | None]) -> list[str | None]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def find_header(rows: list[list[str | None]]) -> int | None:
    """Index of the header row: the first non-blank row, unless it and the rows after it are
    report title rows (see is_title) above a header-like row with the commonest count of
    filled cells. None when every row is blank."""
    filled = [(i, sum(1 for c in r if c)) for i, r in enumerate(rows) if any(r)]
    if not filled:
        return None
    counts = [n for _, n in filled]
    modal = max(set(counts), key=lambda c: (counts.count(c), c))
    first = filled[0][0]
    if filled[0][1] >= modal:
        return first
    for i, n in filled:
        if n >= modal and _header_like(_trimmed(rows[i])):
            return i
        if not is_title(n, modal):
            break
    return first


def is_title(filled: int, modal: int) -> bool:
    """A report title or date line: one filled cell, or two above a wide table (a narrow
    header over wider data rows is still the header)."""
    return filled <= 1 or (filled == 2 and modal >= 4)


# -- formulas without saved results -------------------------------------------------------------
def _sheet_part(z: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding ``sheet``'s XML (workbook.xml names it, its rels locate it)."""
    from defusedxml import ElementTree

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rid = next(
        (s.get(f"{ns_rel}id") for s in book.iter(f"{ns_main}sheet") if s.get("name") == sheet),
        None,
    )
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def formulas_without_values(path: Path, sheet: str) -> tuple[str, int] | None:
    """(first cell, how many) of the formula cells with no saved result, or None. Such a cell
    (a file written by a script, never opened in Excel) reads as empty: the value is lost.
    A plain byte search finds whether there are formulas at all; only then is the XML
    parsed, as a stream."""
    with zipfile.ZipFile(path) as z:
        part = _sheet_part(z, sheet)
        if part is None or part not in z.namelist():
            return None
        with z.open(part) as f:
            prev = b""
            for chunk in iter(lambda: f.read(4 * 2**20), b""):
                window = prev + chunk
                if any(tag in window for tag in _FORMULA_TAGS):
                    break
                prev = chunk[-8:]
            else:
                return None
        from defusedxml.ElementTree import iterparse

        first, count = None, 0
        with z.open(part) as f:
            for _, el in iterparse(f, events=("end",)):
                if not el.tag.endswith("}c") and el.tag != "c":
                    continue
                formula = value = None
                for child in el:
                    local = child.tag.rsplit("}", 1)[-1]
                    if local == "f":
                        formula = child
                    elif local == "v":
                        value = child
                # Excel stores a formula's empty-text result as t="str" with an empty <v>.
                empty = value is None or (not value.text and el.get("t") != "str")
                if formula is not None and empty:
                    count += 1
                    first = first or el.get("r", "?")
                el.clear()
    return (first or "?", count) if count else None


# -- the child: calamine under limits -----------------------------------------------------------
def _sheet_rows(wb: object, name: str) -> tuple[int, Iterator[list]]:
    """(Excel row number of the first row, rows) of a sheet, refusing a huge used range."""
    sheet = wb.get_sheet_by_name(name)  # type: ignore[attr-defined]
    if sheet.height * sheet.width > MAX_CELLS:
        raise _TooBig(f"{sheet.height:,} rows × {sheet.width:,} columns")
    start = sheet.start or (0, 0)
    return start[0] + 1, sheet.iter_rows()


class _TooBig(Exception):
    pass


def _has_data(wb: object, name: str) -> bool:
    try:
        _, rows = _sheet_rows(wb, name)
    except _TooBig:
        return True
    return any(any(cell_text(v) is not None for v in row) for row in rows)


def _write(rows: Iterable[list], out: Path, width: int | None = None) -> dict:
    """Header (below any title rows) and the rows under it, numbered from the header; blank
    rows are counted, never written, and trailing ones are formatting, not records."""
    it = iter(rows)
    head: list[list[str | None]] = []
    for row in it:
        head.append(_texts(row))
        if len(head) >= TITLE_SCAN_ROWS:
            break
    at = find_header(head)
    if at is None:
        return {"empty": True}
    # As wide as the widest row (a sheet's rows are all as wide as its used range): a value
    # right of the last header name is kept, under a "Column N" name, never dropped.
    width = max(width or 0, *(len(r) for r in head), 1)
    header = head[at] + [None] * (width - len(head[at]))
    written = 0
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["_row", *(f"c{i}" for i in range(width))])

        def body() -> Iterator[list[str | None]]:
            yield from head[at + 1 :]
            for row in it:
                yield _texts(row)

        gaps = not all(header)
        for n, cells in enumerate(body(), start=1):
            if any(cells):
                cells = cells[:width] + [None] * (width - len(cells))
                gaps = gaps or not all(cells)
                w.writerow([n, *cells])
                written += 1
    return {
        "header": ["" if h is None else h for h in header],
        "header_index": at,
        "rows": written,
        "gaps": gaps,  # an empty cell: maybe a formula with no saved result
    }


def _limit_self() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))


def child(path: str, sheet: str, out: str) -> dict:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(path)
    except Exception as exc:  # calamine raises its own types for a damaged file
        return {"error": "corrupt_workbook", "detail": str(exc)[:200]}
    names = list(wb.sheet_names)
    chosen = sheet or (names[0] if names else "")
    result: dict = {"sheets": names, "sheet": chosen}
    if chosen not in names:
        return {**result, "error": "sheet_not_found"}
    try:
        first_row, rows = _sheet_rows(wb, chosen)
        written = _write(rows, Path(out))
        if written.get("empty"):
            others = [n for n in names if n != chosen and _has_data(wb, n)]
            if len(others) == 1 and not sheet:
                # The first sheet is blank and one other holds the data: read that one.
                first_row, rows = _sheet_rows(wb, others[0])
                written = {**_write(rows, Path(out)), "skipped_sheet": chosen}
                result["sheet"] = others[0]
            else:
                return {
                    **result,
                    "error": "sheet_empty" if others else "no_header",
                    "with_data": others,
                }
    except _TooBig as exc:
        return {**result, "error": "workbook_too_big", "limit": str(exc)}
    except Exception as exc:
        return {**result, "error": "corrupt_workbook", "detail": str(exc)[:200]}
    uncached = written["gaps"] and formulas_without_values(Path(path), result["sheet"])
    if uncached:
        return {
            **result,
            "error": "formulas_without_values",
            "cell": uncached[0],
            "count": uncached[1],
        }
    written["header_row"] = first_row + written["header_index"]
    return {**result, **written}


def read_workbook(path: Path, sheet: str | None, out: Path) -> dict:
    """One sheet of the xlsx at ``path`` into ``out``, read by the child; its answer as a dict
    (``error`` set when refused)."""
    return _run("xlsx", str(path), sheet or "", str(out))


def read_html(path: Path, out: Path, encoding: str | None) -> dict:
    """The first table of the HTML page at ``path`` into ``out``, read by the child."""
    return _run("html", str(path), encoding or "", str(out))


def _run(*args: str) -> dict:
    cmd = [sys.executable, "-I", str(Path(__file__).resolve()), *args]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, timeout=WALL_SECONDS, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return {"error": "workbook_too_big", "limit": f"{WALL_SECONDS} s to read"}
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return {"error": "workbook_too_big", "limit": f"{CPU_SECONDS} s of CPU"}
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode == -signal.SIGABRT or "MemoryError" in err or "memory allocation" in err:
        # An allocation refused by the memory limit aborts calamine (or raises MemoryError).
        return {"error": "workbook_too_big", "limit": f"{MEMORY_BYTES // 2**20:,} MB of memory"}
    try:
        answer = json.loads(proc.stdout.decode("utf-8")) if proc.returncode == 0 else None
    except ValueError:
        answer = None
    return answer if isinstance(answer, dict) else {"error": "corrupt_workbook"}


# -- HTML tables (Salesforce's "Export Details" .xls) -------------------------------------------
def read_html_table(path: Path, out: Path, encoding: str | None = None) -> dict:
    """The first table with a header row, row by row (lxml's streaming parser, elements
    cleared as they are read). ``encoding`` when the page declares none (lxml would assume
    Latin-1)."""
    from lxml import etree

    rows: list[list[str | None]] = []
    result: dict = {"empty": True}
    events = etree.iterparse(
        str(path),
        events=("start", "end"),
        tag=("table", "tr"),
        html=True,
        recover=True,
        encoding=encoding,
    )
    for event, el in events:
        if el.tag == "table" and event == "start":
            rows = []
        elif el.tag == "tr" and event == "end":
            cells = [c for c in el if c.tag in ("td", "th")]
            rows.append([("".join(c.itertext()).strip() or None) for c in cells])
            el.clear()
        elif el.tag == "table" and event == "end":
            if any(any(r) for r in rows):
                result = _write(rows, out, max(len(r) for r in rows))
                # A one-cell table is a caption or a date line, not the report.
                if not result.get("empty") and len(result["header"]) >= 2:
                    break
                result = {"empty": True}
            el.clear()
    if result.get("empty"):
        return {"error": "no_header"}
    result["header_row"] = result["header_index"] + 1
    return result


def main(argv: list[str]) -> dict:
    _limit_self()
    mode, path, option, out = argv
    if mode == "html":
        return read_html_table(Path(path), Path(out), option or None)
    return child(path, option, out)


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(sys.argv[1:5])))
