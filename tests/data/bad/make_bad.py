"""Write the bad-input corpus: files the import must refuse whole, and files that load only
partly (see expected.json for the refusal code or the rejected rows of each).

    python tests/data/bad/make_bad.py [OUT_DIR]     # default: this directory

Byte-for-byte reproducible: zip entries carry fixed timestamps, workbooks fixed metadata. The
spreadsheet bomb (~300 MB of sheet XML) is streamed through the compressor, never held in
memory, and comes out well under 1 MB.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

FIXED = (2024, 1, 1, 0, 0, 0)
# Rows of ~4 KB, mostly one repeated letter (deflate squeezes runs ~1000:1): ~300 MB of XML.
ROW_PADDING = 4_000
BOMB_ROWS = 75_000


def csv_text(rows: list[list[str]], delimiter: str = ",", eol: str = "\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=eol).writerows(rows)
    return buf.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in entries.items():
            zi = zipfile.ZipInfo(name, date_time=FIXED)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            z.writestr(zi, body)
    return out.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """A real workbook (openpyxl) with fixed metadata and zip timestamps."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in rows:
        ws.append(row)
    wb.properties.creator = "Flywheel test corpus"
    wb.properties.created = datetime(2024, 1, 1)
    raw = io.BytesIO()
    wb.save(raw)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src:
        entries = {}
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>",
                    rb"<dcterms:modified\1>2024-01-01T00:00:00Z</dcterms:modified>",
                    body,
                )
            entries[info.filename] = body
    return zip_bytes(entries)


# The package parts every workbook needs besides its sheet.
_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    b'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    b'worksheet+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Deals" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def write_bomb(path: Path) -> None:
    """An xlsx whose one sheet expands to ~300 MB of identical rows: a zip bomb in workbook
    clothing. Written through ZipFile.open(..., 'w') in chunks, so memory stays small."""
    row = (
        b'<row><c t="inlineStr"><is><t>Deal</t></is></c><c t="inlineStr"><is><t>Closed Won'
        b'</t></is></c><c><v>12500</v></c><c t="inlineStr"><is><t>2024-03-05</t></is></c>'
        b'<c t="inlineStr"><is><t>' + b"x" * ROW_PADDING + b"</t></is></c></row>"
    )
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://'
        b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row><c t="inlineStr"><is><t>Deal Name</t></is></c><c t="inlineStr"><is><t>Stage'
        b'</t></is></c><c t="inlineStr"><is><t>Amount</t></is></c><c t="inlineStr"><is><t>'
        b'Close Date</t></is></c><c t="inlineStr"><is><t>Notes</t></is></c></row>'
    )
    tail = b"</sheetData></worksheet>"
    with zipfile.ZipFile(path, "w") as z:
        for name, body in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("xl/workbook.xml", _WORKBOOK),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ):
            zi = zipfile.ZipInfo(name, date_time=FIXED)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, body)
        zi = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=FIXED)
        zi.compress_type = zipfile.ZIP_DEFLATED
        chunk = row * 500
        with z.open(zi, "w", force_zip64=True) as f:
            f.write(head)
            for _ in range(BOMB_ROWS // 500):
                f.write(chunk)
            f.write(tail)


DEALS_HEADER = ["Deal ID", "Deal Name", "Stage", "Amount", "Created", "Close Date"]


def xlsx_sheets(sheets: dict[str, list[list[object]]]) -> bytes:
    """A real workbook (openpyxl) of several sheets, fixed metadata and zip timestamps;
    strings beginning with '=' are formulas (openpyxl saves no result for them)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.properties.creator = "Flywheel test corpus"
    wb.properties.created = datetime(2024, 1, 1)
    raw = io.BytesIO()
    wb.save(raw)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src:
        entries = {info.filename: src.read(info.filename) for info in src.infolist()}
    core = entries["docProps/core.xml"]
    entries["docProps/core.xml"] = re.sub(
        rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>",
        rb"<dcterms:modified\1>2024-01-01T00:00:00Z</dcterms:modified>",
        core,
    )
    return zip_bytes(entries)


def xlsx_raw(sheet_xml: bytes) -> bytes:
    """A one-sheet workbook whose sheet XML is given verbatim (values, extents, formulas)."""
    return zip_bytes(
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _RELS,
            "xl/workbook.xml": _WORKBOOK,
            "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
            "xl/worksheets/sheet1.xml": sheet_xml,
        }
    )


def _istr(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: list[str], dimension: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{"".join(rows)}</sheetData></worksheet>'
    ).encode()


def deals_rows_xml() -> list[str]:
    """Header and GOOD_DEALS as inline strings in rows 1..5."""
    rows = []
    for r, values in enumerate([DEALS_HEADER, *GOOD_DEALS], start=1):
        cells = "".join(_istr(f"{'ABCDEF'[i]}{r}", v) for i, v in enumerate(values))
        rows.append(f'<row r="{r}">{cells}</row>')
    return rows


def deals(*rows: list[str]) -> list[list[str]]:
    return [DEALS_HEADER, *rows]


GOOD_DEALS = [
    ["D-1", "Acme - Renewal", "Closed Won", "12500.00", "2024-01-10", "2024-03-15"],
    ["D-2", "Globex - Pilot", "Closed Lost", "4800.00", "2024-01-15", "2024-02-20"],
    ["D-3", "Initech - Expansion", "Qualification", "30000.00", "2024-02-01", "2024-06-30"],
    ["D-4", "Hooli - Platform", "Prospecting", "9000.00", "2024-03-05", "2024-07-31"],
]


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}

    # -- refused: what the file is --------------------------------------------------------------
    files["empty.csv"] = b""
    files["png_named.csv"] = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    files["zip_named.csv"] = zip_bytes({"deals.csv": csv_text(deals(*GOOD_DEALS)).encode()})
    files["gzip_named.csv"] = gzip.compress(csv_text(deals(*GOOD_DEALS)).encode(), mtime=0)
    files["pdf_named.csv"] = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    files["text_named.xlsx"] = csv_text(deals(*GOOD_DEALS)).encode()
    files["legacy.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    files["report.docx"] = zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/content-types"/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
            b'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Q1 deals'
            b"</w:t></w:r></w:p></w:body></w:document>",
        }
    )
    good_xlsx = xlsx_bytes(deals(*GOOD_DEALS))
    files["truncated.xlsx"] = good_xlsx[: len(good_xlsx) // 2]
    files["corrupt.parquet"] = b"PAR1" + b"this is not a parquet footer " * 8 + b"PAR1"
    files["blank_lines.csv"] = b"\n\n   \n\t\n\n"
    files["headers_only.csv"] = csv_text([DEALS_HEADER]).encode()
    files["headers_only.xlsx"] = xlsx_bytes([DEALS_HEADER])
    files["headers_only_utf16.txt"] = b"\xff\xfe" + csv_text(
        [DEALS_HEADER], delimiter="\t", eol="\r\n"
    ).encode("utf-16-le")
    # -- refused: what the file lacks ------------------------------------------------------------
    files["deals_no_amount.csv"] = csv_text(
        [["Deal ID", "Deal Name", "Stage", "Close Date", "Owner"]]
        + [[r[0], r[1], r[2], r[5], "Jane Doe"] for r in GOOD_DEALS]
    ).encode()
    files["deals_no_stage.csv"] = csv_text(
        [["Deal ID", "Deal Name", "Amount", "Close Date", "Owner"]]
        + [[r[0], r[1], r[3], r[5], "Jane Doe"] for r in GOOD_DEALS]
    ).encode()
    files["deals_no_id.csv"] = csv_text(
        [["Stage", "Amount", "Close Date", "Owner"]]
        + [[r[2], r[3], r[5], "Jane Doe"] for r in GOOD_DEALS]
    ).encode()
    files["leads_no_created.csv"] = csv_text(
        [
            ["Lead ID", "Email", "Lead Source", "Lead Owner"],
            ["L-1", "anna@example.com", "Web", "Jane Doe"],
            ["L-2", "ben@example.com", "Cold Call", "Tom Baker"],
            ["L-3", "cara@example.com", "Referral", "Jane Doe"],
        ]
    ).encode()
    files["leads_no_id.csv"] = csv_text(
        [
            ["Created Date", "Lead Source", "Lead Status", "Lead Owner", "Country"],
            ["2024-01-08", "Web", "Open", "Jane Doe", "Germany"],
            ["2024-01-09", "Cold Call", "Working", "Tom Baker", "France"],
            ["2024-01-10", "Referral", "Open", "Jane Doe", "Spain"],
        ]
    ).encode()
    files["weather.csv"] = csv_text(
        [
            ["Date", "Station", "Temperature (°C)", "Precipitation (mm)", "Wind (km/h)"],
            ["2024-03-01", "Berlin-Tempelhof", "6.2", "0.4", "18"],
            ["2024-03-02", "Berlin-Tempelhof", "8.9", "0.0", "11"],
            ["2024-03-03", "Berlin-Tempelhof", "4.1", "3.2", "25"],
        ]
    ).encode()
    files["unterminated_quote.csv"] = (
        csv_text(deals(*GOOD_DEALS[:2]))
        + 'D-3,"Initech - Expansion,Qualification,30000.00,2024-02-01,2024-06-30\n'
        + "D-4,Hooli - Platform,Prospecting,9000.00,2024-03-05,2024-07-31\n"
    ).encode()
    files["too_large.csv"] = csv_text(
        deals(
            *[
                [f"D-{i}", f"Deal number {i}", "Qualification", f"{1000 + i}.00", "2024-01-10", ""]
                for i in range(1, 61)
            ]
        )
    ).encode()
    # -- partial loads ---------------------------------------------------------------------------
    files["ragged.csv"] = (
        csv_text(deals(*GOOD_DEALS[:2]))
        + "D-3,Initech - Expansion,Qualification,30000.00,2024-02-01,2024-06-30,extra\n"
        + csv_text([GOOD_DEALS[3]])
    ).encode()
    files["bad_money.csv"] = csv_text(
        deals(
            GOOD_DEALS[0],
            ["D-2", "Globex - Pilot", "Closed Lost", "TBD", "2024-01-15", "2024-02-20"],
            GOOD_DEALS[2],
            ["D-4", "Hooli - Platform", "Prospecting", "12,50,0.0.0", "2024-03-05", ""],
        )
    ).encode()
    files["bad_date.csv"] = csv_text(
        deals(
            ["D-1", "Acme - Renewal", "Closed Won", "12500.00", "2024-02-30", "2024-03-15"],
            GOOD_DEALS[1],
            ["D-3", "Initech - Expansion", "Closed Won", "30000.00", "2024-02-01", "yesterday"],
            GOOD_DEALS[3],
        )
    ).encode()
    files["duplicate_id.csv"] = csv_text(
        deals(
            *GOOD_DEALS,
            ["D-2", "Globex - Pilot (copy)", "Closed Lost", "4800.00", "2024-01-15", "2024-02-20"],
        )
    ).encode()
    files["lead_blank_created.csv"] = csv_text(
        [
            ["Lead ID", "Email", "Created Date", "Lead Source"],
            ["L-1", "anna@example.com", "2024-01-08", "Web"],
            ["L-2", "ben@example.com", "", "Cold Call"],
            ["L-3", "cara@example.com", "2024-01-10", "Referral"],
        ]
    ).encode()
    campaign_header = ["Campaign", "Channel", "Objective", "Start", "End", "Budget"]
    files["campaign_end_before_start.csv"] = csv_text(
        [
            campaign_header,
            ["Spring Webinars", "Webinar", "Consideration", "2024-03-01", "2024-04-30", "12000"],
            ["Retargeting Sprint", "Paid Social", "Purchase", "2024-10-01", "2024-09-15", "6000"],
            ["Holiday Promo", "Paid Search", "Purchase", "2024-11-15", "2024-12-31", "15000"],
        ]
    ).encode()
    files["campaign_bad_objective.csv"] = csv_text(
        [
            campaign_header,
            ["Spring Webinars", "Webinar", "Consideration", "2024-03-01", "2024-04-30", "12000"],
            [
                "Retargeting Sprint",
                "Paid Social",
                "Retargeting",
                "2024-09-01",
                "2024-09-30",
                "6000",
            ],
            ["Holiday Promo", "Paid Search", "Purchase", "2024-11-15", "2024-12-31", "15000"],
        ]
    ).encode()
    files["formula_cells.csv"] = csv_text(
        deals(
            [
                "D-1",
                '=HYPERLINK("https://evil.example","Click me")',
                "Closed Won",
                "12500.00",
                "2024-01-10",
                "2024-03-15",
            ],
            ["D-2", "+49 30 1234", "Closed Lost", "4800.00", "2024-01-15", "2024-02-20"],
            ["D-3", "-20% bundle", "Qualification", "30000.00", "2024-02-01", "2024-06-30"],
            ["D-4", "@SUM(A1:A9)", "Prospecting", "9000.00", "2024-03-05", "2024-07-31"],
        )
    ).encode()
    files["empty_amounts.csv"] = csv_text(
        deals(
            GOOD_DEALS[0],
            ["D-2", "Globex - Pilot", "Prospecting", "", "2024-01-15", ""],
            ["D-3", "Initech - Expansion", "Qualification", "  ", "2024-02-01", "2024-06-30"],
            ["D-4", "Hooli - Platform", "Prospecting", "", "2024-03-05", ""],
        )
    ).encode()

    # -- read exactly: row numbers, footers, line ends, title lines ------------------------------
    # A short line (two fields missing) above a repeated id: one bad line, and the repeat is
    # still a duplicate (row 3 after row 1).
    files["short_line_duplicate.csv"] = (
        csv_text(deals(GOOD_DEALS[0]))
        + "D-9,Short line,Closed Won,100.00\n"
        + csv_text([["D-1", "Acme - Again", "Closed Won", "500.00", "2024-01-11", "2024-03-16"]])
    ).encode()
    # Last deals named like footer markers (the name is the first column, as in a Salesforce
    # report), with no blank line before them: data.
    files["total_named_deals.csv"] = csv_text(
        [
            ["Deal Name", "Deal ID", "Stage", "Amount", "Created", "Close Date"],
            ["Acme - Renewal", "D-1", "Closed Won", "12500.00", "2024-01-10", "2024-03-15"],
            ["Grand Total Corp", "D-5", "Closed Won", "700.00", "2024-01-12", "2024-03-01"],
            ["Total Fitness – renewal", "D-6", "Closed Won", "800.00", "2024-01-13", "2024-03-02"],
        ]
    ).encode()
    # CRLF, LF and lone CR in one file (DuckDB alone: "state machine reached an invalid state").
    files["mixed_newlines.csv"] = (
        ",".join(DEALS_HEADER)
        + "\r\n"
        + ",".join(GOOD_DEALS[0])
        + "\n"
        + ",".join(GOOD_DEALS[1])
        + "\r"
        + ",".join(GOOD_DEALS[2])
        + "\r\n"
        + ",".join(GOOD_DEALS[3])
        + "\n"
    ).encode()
    # A report title and date above the header, a blank line inside the data (.txt: the
    # presets tests read every .csv here with pandas, which takes the title for the header).
    files["title_rows.txt"] = (
        "Opportunities by Stage\nReport generated 2024-03-05\n\n"
        + csv_text(deals(GOOD_DEALS[0], GOOD_DEALS[1]))
        + "\n"
        + csv_text([GOOD_DEALS[2], GOOD_DEALS[2]])
    ).encode()

    # -- workbooks ------------------------------------------------------------------------------
    # Formulas saved by a script, never calculated: no cached result (openpyxl writes <v/>).
    files["formulas_uncached.xlsx"] = xlsx_sheets(
        {
            "Deals": [
                DEALS_HEADER,
                ["D-1", "Acme", "Closed Won", 100, "2024-01-10", "2024-03-15"],
                ["D-2", "Globex", "Closed Won", "=D2*2", "2024-01-11", "2024-03-16"],
                ["D-3", "Initech", "Closed Won", "=D3*2", "2024-01-12", "2024-03-17"],
            ]
        }
    )
    # The first sheet blank, the deals on the second: read the second and say so.
    files["data_on_second_sheet.xlsx"] = xlsx_sheets(
        {"Summary": [], "Deals": [DEALS_HEADER, *GOOD_DEALS]}
    )
    # The first sheet blank and two others with data: which one is the user's to say.
    files["data_on_two_sheets.xlsx"] = xlsx_sheets(
        {"Cover": [], "Deals": [DEALS_HEADER, *GOOD_DEALS], "Old": [DEALS_HEADER, GOOD_DEALS[0]]}
    )
    # A report title and date above the header row.
    files["title_rows.xlsx"] = xlsx_sheets(
        {
            "Report": [
                ["Opportunities by Stage"],
                ["Report generated 2024-03-05"],
                [],
                DEALS_HEADER,
            ]
            + [list(r) for r in GOOD_DEALS]
        }
    )
    # One value in the sheet's last cell: calamine would need 16384 × 1048576 cells.
    files["far_corner.xlsx"] = xlsx_raw(
        sheet_xml(
            [*deals_rows_xml(), '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'],
            "A1:XFD1048576",
        )
    )
    # An xlsx encrypted with a password: an OLE2 container holding "EncryptedPackage".
    files["encrypted.xlsx"] = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 1000
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 1000
    )
    # Salesforce's "Export Details" .xls: an HTML table behind an Excel name.
    cells = "".join(f"<th>{h}</th>" for h in DEALS_HEADER)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>\n" for r in GOOD_DEALS)
    files["salesforce_details.xls"] = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
        "</head><body>\n<table>\n<tr>" + cells + "</tr>\n" + body + "</table>\n</body></html>\n"
    ).encode()

    written = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    write_bomb(out / "bomb.xlsx")
    written.append(out / "bomb.xlsx")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for p in build(target):
        print(p)
