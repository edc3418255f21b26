"""Numbers, money, percentages and dates in the workspace locale (Babel's CLDR data)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
)

DASH = "—"


def _missing(value: object) -> bool:
    """None, NaN and ±inf: no figure to show (a ratio over zero is not a number to print)."""
    return value is None or (isinstance(value, float) and not math.isfinite(value))


@dataclass(frozen=True)
class Formatter:
    locale: str = "en_US"
    currency: str = "USD"

    @classmethod
    def safe(cls, locale: str | None, currency: str | None) -> Formatter:
        """A formatter that falls back to en_US / USD on unknown settings."""
        try:
            Locale.parse(locale or "en_US")
            loc = locale or "en_US"
        except (UnknownLocaleError, ValueError):
            loc = "en_US"
        cur = (currency or "USD").upper()
        if len(cur) != 3 or not cur.isalpha():
            cur = "USD"
        return cls(loc, cur)

    def money(self, value: float | None, *, compact: bool = False) -> str:
        if _missing(value):
            return DASH
        if compact and abs(value) >= 10_000:
            return format_compact_currency(
                value, self.currency, locale=self.locale, fraction_digits=1
            )
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern
        if abs(value) >= 100:  # cents are noise at this size
            pattern = re.sub(r"\.0+", "", pattern)
        return format_currency(
            value, self.currency, format=pattern, locale=self.locale, currency_digits=False
        )

    def number(self, value: float | None, *, digits: int = 0, compact: bool = False) -> str:
        if _missing(value):
            return DASH
        if compact and abs(value) >= 10_000:
            return format_compact_decimal(value, locale=self.locale, fraction_digits=1)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def pct(self, value: float | None, *, digits: int = 1) -> str:
        if _missing(value):
            return DASH
        pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
        return format_percent(value, format=pattern, locale=self.locale)

    def signed_pct(self, value: float | None, *, digits: int = 1) -> str:
        if _missing(value):
            return DASH
        text = self.pct(abs(value), digits=digits)
        return ("+" if value > 0 else "−" if value < 0 else "±") + text

    def days(self, value: float | None) -> str:
        return self.number(value, digits=1 if not _missing(value) and value < 10 else 0)

    def date(self, value: date | None) -> str:
        if value is None:
            return DASH
        return format_date(value, "medium", locale=self.locale)

    @property
    def currency_symbol(self) -> str:
        return get_currency_symbol(self.currency, locale=self.locale)

    @property
    def plotly_separators(self) -> str:
        """Plotly's ``layout.separators``: decimal mark then thousands mark."""
        loc = Locale.parse(self.locale)
        return loc.number_symbols["latn"]["decimal"] + loc.number_symbols["latn"]["group"]
