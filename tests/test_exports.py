"""Exported tables: formula-looking text is neutralised, numbers are kept."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from components import exports


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
