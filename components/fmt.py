"""Numbers, money, percentages and dates for the reader (Babel's CLDR data).

The reader's language decides the forms: a Chinese reader gets 2025年11月1日, 2026年3月 and
large figures in 万 and 亿 (1,220万, US$1.22亿), whatever the workspace locale; an English reader
gets the workspace locale (its separators, its date order), as before.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
)

DASH = "—"
# The locale a reader gets when the workspace locale writes in forms of another kind: an
# American workspace read in Chinese gets zh_CN (万/亿, 年月日); a Chinese workspace read in
# English gets en_US. An English reader of a German workspace keeps de_DE's separators.
READER_LOCALES = {"en": "en_US", "zh": "zh_CN"}
_OWN_FORMS = {"zh"}  # languages whose dates and large numbers differ in kind
# Chinese counts in myriads: 万 = 10^4, 亿 = 10^8 (CLDR's compact forms drop the grouping,
# "1220万"; a Chinese reader writes 1,220万).
_MYRIADS = ((100_000_000, "亿"), (10_000, "万"))


def _missing(value: object) -> bool:
    """None, NaN and ±inf: no figure to show (a ratio over zero is not a number to print)."""
    return value is None or (isinstance(value, float) and not math.isfinite(value))


_REMEMBERED_MAX = 50_000  # texts kept per method (a table of 5,000 outliers holds ~10,000)


def _remembered(method: Callable[..., str]) -> Callable[..., str]:
    """Keep a formatting method's texts: Babel costs ~0.1-0.5 ms a figure, and a rerun draws
    the same (cached) figures again. Keyed by the formatter, the value's type and repr (so 1,
    1.0 and -0.0 stay apart) and the options; a value without a hash is formatted each time."""
    kept: dict[tuple, str] = {}

    @functools.wraps(method)
    def remembered(self: Formatter, value: object, **options: object) -> str:
        if _missing(value):  # a dash, at once (and NaN is not equal to itself)
            return method(self, value, **options)
        try:
            key = (self, type(value), value, repr(value), *sorted(options.items()))
            return kept[key]
        except KeyError:
            pass
        except TypeError:  # unhashable
            return method(self, value, **options)
        text = method(self, value, **options)
        if len(kept) >= _REMEMBERED_MAX:
            kept.clear()
        kept[key] = text
        return text

    return remembered


@dataclass(frozen=True)
class Formatter:
    locale: str = "en_US"
    currency: str = "USD"

    @classmethod
    def safe(cls, locale: str | None, currency: str | None, lang: str | None = None) -> Formatter:
        """A formatter that falls back to en_US / USD on unknown settings. ``lang`` is the
        reader's interface language: when the workspace locale is in another language, the
        reader's own locale (``READER_LOCALES``) decides the forms instead."""
        try:
            parsed = Locale.parse(locale or "en_US")
            loc = locale or "en_US"
        except (UnknownLocaleError, ValueError):
            parsed, loc = Locale.parse("en_US"), "en_US"
        if (
            lang in READER_LOCALES
            and parsed.language != lang
            and _OWN_FORMS & {lang, parsed.language}
        ):
            loc = READER_LOCALES[lang]
        cur = (currency or "USD").upper()
        if len(cur) != 3 or not cur.isalpha():
            cur = "USD"
        return cls(loc, cur)

    @property
    def lang(self) -> str:
        """The language of the forms ("en", "zh", "de"...)."""
        return Locale.parse(self.locale).language

    @property
    def _myriads(self) -> bool:
        return self.lang in _OWN_FORMS

    def _myriad(self, value: float) -> str:
        """|value| ≥ 1万 in 万 or 亿 with three significant digits: 1.23万, 12.2万, 1,220万,
        1.22亿, 15亿 (trailing zeros dropped)."""
        size = abs(value)
        for unit, word in _MYRIADS:
            if size >= unit:
                scaled = size / unit
                digits = 2 if scaled < 10 else 1 if scaled < 100 else 0
                scaled = round(scaled, digits)
                if word == "万" and scaled >= 10_000:  # 9,999.6万 rounds to 1亿
                    return self._myriad(math.copysign(100_000_000, value))
                text = format_decimal(scaled, format="#,##0.##", locale=self.locale)
                return ("-" if value < 0 else "") + text + word
        raise ValueError(value)

    @_remembered
    def money(self, value: float | None, *, compact: bool = False) -> str:
        if _missing(value):
            return DASH
        if compact and abs(value) >= 10_000 and self._myriads:
            text = self._myriad(value)
            sign = "-" if text.startswith("-") else ""
            return sign + self.currency_symbol + text.removeprefix("-")
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

    @_remembered
    def number(self, value: float | None, *, digits: int = 0, compact: bool = False) -> str:
        if _missing(value):
            return DASH
        if compact and abs(value) >= 10_000 and self._myriads:
            return self._myriad(value)
        if compact and abs(value) >= 10_000:
            return format_compact_decimal(value, locale=self.locale, fraction_digits=1)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    @_remembered
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

    @_remembered
    def date(self, value: date | None) -> str:
        if value is None:
            return DASH
        return format_date(value, "medium", locale=self.locale)

    @_remembered
    def month(self, value: date | None) -> str:
        """A month: "Mar 2026", 2026年3月."""
        if value is None:
            return DASH
        return format_skeleton("yMMM", value, locale=self.locale)

    def date_range(self, start: date | None, end: date | None) -> str:
        """ "Nov 1, 2025 – Oct 31, 2026", 2025年11月1日至2026年10月31日."""
        joint = "至" if self._myriads else " – "
        return self.date(start) + joint + self.date(end)

    def money_tick(self, value: float) -> str:
        """An axis label for money: the compact form ($1.2M, US$1,220万), 0 as "$0"."""
        if _missing(value):
            return ""
        if value == 0:
            return self.currency_symbol + "0"
        return self.money(value, compact=True)

    def number_tick(self, value: float) -> str:
        """An axis label for a count: 9,999, 1.2万."""
        if _missing(value):
            return ""
        return self.number(value, digits=0 if float(value).is_integer() else 1, compact=True)

    def axis_ticks(self, values: list[float], top: float | None = None) -> list[str]:
        """Labels for an axis's ticks, all in one unit, that of the largest figure drawn
        (``top``, else the largest tick): an axis reads 0, 0.5万, 1万, 1.5万, not 0, 5,000, 1万.
        万/亿 in Chinese, else plain grouped digits; no sign (the caller puts it before any
        currency symbol)."""
        if top is None:
            top = max((abs(v) for v in values), default=0.0)
        unit, word = next(((u, w) for u, w in _MYRIADS if top >= u and self._myriads), (1, ""))
        pattern = "#,##0.###"
        return [
            format_decimal(abs(v) / unit, format=pattern, locale=self.locale) + (word if v else "")
            for v in values
        ]

    @property
    def plotly_month_format(self) -> str:
        """A d3 time format for month ticks and hovers: "%b %Y", "%Y年%-m月"."""
        return "%Y年%-m月" if self._myriads else "%b %Y"

    @property
    def plotly_day_format(self) -> str:
        """A d3 time format for a day: "%b %-d, %Y", "%Y年%-m月%-d日"."""
        return "%Y年%-m月%-d日" if self._myriads else "%b %-d, %Y"

    @property
    def currency_symbol(self) -> str:
        return get_currency_symbol(self.currency, locale=self.locale)

    @property
    def plotly_separators(self) -> str:
        """Plotly's ``layout.separators``: decimal mark then thousands mark."""
        loc = Locale.parse(self.locale)
        return loc.number_symbols["latn"]["decimal"] + loc.number_symbols["latn"]["group"]
