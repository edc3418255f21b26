"""Exported tables: formula-looking text is neutralised, numbers are kept."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from components.export import tables as exports


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "owner": ['=HYPERLINK("http://x")', "+1 555", "-x", "@SUM(A1)", "\tTab", "Ann"],
            "amount": [-5.0, 1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )


def test_formula_looking_text_cells_get_a_leading_quote() -> None:
    out = exports.neutralised(_frame())
    assert out["owner"].tolist() == [
        '\'=HYPERLINK("http://x")',
        "'+1 555",
        "'-x",
        "'@SUM(A1)",
        "'\tTab",
        "Ann",
    ]


def test_negative_numbers_stay_numbers() -> None:
    assert exports.neutralised(_frame())["amount"].tolist()[0] == -5.0


def test_csv_has_bom_and_neutralised_cells() -> None:
    data = exports.csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["owner"][0].startswith("'=")


def test_xlsx_cells_are_text_not_formulas() -> None:
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(_frame())))
    cell = book.active["A2"]
    assert cell.value == '\'=HYPERLINK("http://x")'
    assert cell.data_type == "s"
    assert book.active["B2"].value == -5


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted(cell: str) -> None:
    assert exports.neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Acme", "1-2", "", "a=b", 42, None])
def test_other_cells_are_left_as_they_are(cell: object) -> None:
    assert exports.neutralise(cell) == cell


def test_csv_keeps_chinese_and_quotes_formula_headers_and_cells() -> None:
    df = pd.DataFrame(
        {"Row": [3, 7], "Column": ["amount", "=cmd"], "Value": ["=HYPERLINK(1)", "¥12,500"]}
    )
    raw = exports.csv_bytes(df)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [
        ["Row", "Column", "Value"],
        ["3", "amount", "'=HYPERLINK(1)"],
        ["7", "'=cmd", "¥12,500"],
    ]
