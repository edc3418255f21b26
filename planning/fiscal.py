"""Fiscal quarters and years: the pure date arithmetic behind every "by quarter" and "year" view.

A workspace's fiscal year starts on the first day of ``fiscal_year_start_month`` (1–12, saved on
the Data page). Month 1 gives calendar quarters and years, with the labels the pages always had
(``2025-Q1``). Any other month gives fiscal quarters, labelled

    FY2026/27 Q1        (en; fiscal year 1 April 2026 – 31 March 2027 when it starts in April)
    2026/27财年第1季度    (zh)

The fiscal year is named by the two calendar years it spans (no "FY2027 means which?" doubt),
and the label starts with the year so that label order is time order: the engines chart and its
takeaway sort quarters by label. The SQL side (sql/engines.sql, sql/campaigns.sql) buckets by
the same rule, with the start month bound as ``$fiscal_start_month``: shift the day back by the
months the fiscal year runs ahead, take its calendar quarter, shift forward again (tested equal
to ``quarter_start`` in tests/test_period.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from locales import translate

SETTING = "fiscal_year_start_month"


def start_month(settings: Mapping[str, object] | None) -> int:
    """The workspace's fiscal year start month (1–12); 1 when unset or not a month."""
    raw = (settings or {}).get(SETTING)
    try:
        month = int(float(str(raw)))
    except (TypeError, ValueError):
        return 1
    return month if 1 <= month <= 12 else 1


def _check(month: int) -> int:
    if not 1 <= int(month) <= 12:
        raise ValueError(f"fiscal year start month must be 1..12, not {month!r}")
    return int(month)


def _shift(year: int, month: int, months: int) -> date:
    """The first day of the month ``months`` after year-month (negative: before)."""
    index = year * 12 + (month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def year_start(day: date, start: int = 1) -> date:
    """The first day of the fiscal year holding ``day``."""
    start = _check(start)
    return date(day.year if day.month >= start else day.year - 1, start, 1)


def year_end(day: date, start: int = 1) -> date:
    """The last day of the fiscal year holding ``day``."""
    first = year_start(day, start)
    return _shift(first.year, first.month, 12) - timedelta(days=1)


def quarter_number(day: date, start: int = 1) -> int:
    """1–4: the fiscal quarter of ``day``."""
    return (day.month - _check(start)) % 12 // 3 + 1


def quarter_start(day: date, start: int = 1) -> date:
    """The first day of the fiscal quarter holding ``day``."""
    first = year_start(day, start)
    return _shift(first.year, first.month, 3 * (quarter_number(day, start) - 1))


def quarter_end(day: date, start: int = 1) -> date:
    """The last day of the fiscal quarter holding ``day``."""
    first = quarter_start(day, start)
    return _shift(first.year, first.month, 3) - timedelta(days=1)


def quarter_starts(date_from: date, date_to: date, start: int = 1) -> list[date]:
    """The first days of the fiscal quarters overlapping ``date_from``..``date_to``, in order."""
    out: list[date] = []
    day = quarter_start(date_from, start)
    while day <= date_to:
        out.append(day)
        day = _shift(day.year, day.month, 3)
    return out


def year_label(day: date, start: int = 1, lang: str = "en") -> str:
    """``2025`` for a calendar year; ``FY2026/27`` (zh ``2026/27财年``) for a fiscal one."""
    first = year_start(day, start)
    if start == 1:
        return str(first.year)
    return translate(
        "period.fiscal_year", lang, start=first.year, end=f"{(first.year + 1) % 100:02d}"
    )


def quarter_label(day: date, start: int = 1, lang: str = "en", *, calendar_sep: str = "-") -> str:
    """The label of the quarter holding ``day``: ``2025-Q1`` for calendar quarters (``2025 Q1``
    with ``calendar_sep=" "``: the campaign calendar's form), ``FY2026/27 Q1`` for fiscal ones;
    in Chinese ``2025年第1季度`` and ``2026/27财年第1季度``."""
    number = quarter_number(day, start)
    first = year_start(day, start)
    if start == 1:
        if lang != "en":  # 2025年第3季度: a Chinese reader's calendar quarter
            return translate("period.calendar_quarter", lang, year=first.year, quarter=number)
        return f"{first.year}{calendar_sep}Q{number}"
    return translate(
        "period.fiscal_quarter",
        lang,
        start=first.year,
        end=f"{(first.year + 1) % 100:02d}",
        quarter=number,
    )
