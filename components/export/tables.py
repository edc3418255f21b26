"""Tables leaving Flywheel as files: CSV and XLSX with formula-looking cells neutralised.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return
as a formula, so CRM text such as ``=HYPERLINK(...)`` in an exported table would execute on the
reader's machine (OWASP CSV injection, CWE-1236). Such text cells get a leading ``'``; numbers
stay numbers (a negative amount is data, not a formula).
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """One cell: text starting like a formula gets a leading quote; anything else is kept."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) cannot run as formulas."""
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_datetime64_any_dtype(
            out[col]
        ):
            out[col] = out[col].map(neutralise)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens accents and Chinese correctly."""
    return neutralised(df).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, *, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralised(df).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
