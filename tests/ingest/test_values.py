"""The value parsers of the CRM import (queries/ingest/parsers.py).

Every expected value below is written by hand from the rule it checks, never computed by the
parser under test. Tables cover each accepted form and each refusal of the import brief; the
hypothesis properties check that what a spreadsheet or CRM writes for a value reads back as
that value, that blanks are None, and that nothing but ValueError ever escapes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from queries.ingest.parsers import (
    day_first_in,
    decimal_comma_in,
    is_ambiguous_date,
    is_blank,
    parse_date,
    parse_money,
    parse_number,
    parse_outcome,
    parse_percent,
    parse_timestamp,
    parser_for,
)

# -- money ------------------------------------------------------------------------------------
MONEY_ACCEPTED = [
    # (text, decimal_comma, expected)
    ("12500", False, Decimal("12500.00")),
    ("12,500.00", False, Decimal("12500.00")),
    ("$12,500.00", False, Decimal("12500.00")),
    ("USD 12,500", False, Decimal("12500.00")),
    ("12,500 USD", False, Decimal("12500.00")),
    ("usd 12,500", False, Decimal("12500.00")),
    ("¥12,500", False, Decimal("12500.00")),
    ("￥12,500", False, Decimal("12500.00")),
    ("€1.234,56", False, Decimal("1234.56")),
    ("€1.234,56", True, Decimal("1234.56")),
    ("12.500,00 €", False, Decimal("12500.00")),
    ("12.500,00 €", True, Decimal("12500.00")),
    ("1 234,56", True, Decimal("1234.56")),
    ("1\u00a0234,56", True, Decimal("1234.56")),
    ("1'234.50", False, Decimal("1234.50")),
    ("-500", False, Decimal("-500.00")),
    ("(500)", False, Decimal("-500.00")),
    ("($1,500.25)", False, Decimal("-1500.25")),
    ("-$500", False, Decimal("-500.00")),
    ("$-500", False, Decimal("-500.00")),
    ("1.2万", False, Decimal("12000.00")),
    ("3亿", False, Decimal("300000000.00")),
    ("1.5千", False, Decimal("1500.00")),
    ("12,500元", False, Decimal("12500.00")),
    ("RMB 12500", False, Decimal("12500.00")),
    ("CNY 12,500.00", False, Decimal("12500.00")),
    ("£99.99", False, Decimal("99.99")),
    ("₹1,23,456.78", False, Decimal("123456.78")),
    ("₩15,000", False, Decimal("15000.00")),
    ("A$ 250", False, Decimal("250.00")),
    ("HK$250", False, Decimal("250.00")),
    ("250 EUR", True, Decimal("250.00")),
    ("  $12,500.00\u3000", False, Decimal("12500.00")),
    ("１２，５００", False, Decimal("12500.00")),
    (".5", False, Decimal("0.50")),
    ("9999999999999999.99", False, Decimal("9999999999999999.99")),
]


@pytest.mark.parametrize(("text", "decimal_comma", "expected"), MONEY_ACCEPTED)
def test_money_reads_currency_symbols_codes_and_separators(text, decimal_comma, expected):
    assert parse_money(text, decimal_comma) == expected


# A single separator followed by exactly three digits is ambiguous: decimal_comma decides. One
# followed by one or two digits is a decimal separator whatever decimal_comma says.
MONEY_SEPARATORS = [
    ("12,500", False, Decimal("12500.00")),
    ("12,500", True, Decimal("12.50")),
    ("12.500", False, Decimal("12.50")),
    ("12.500", True, Decimal("12500.00")),
    ("12,5", False, Decimal("12.50")),
    ("12,5", True, Decimal("12.50")),
    ("12.50", False, Decimal("12.50")),
    ("12.50", True, Decimal("12.50")),
    ("1,234,567", True, Decimal("1234567.00")),  # a repeated separator groups thousands
    ("1.234.567", False, Decimal("1234567.00")),
]


@pytest.mark.parametrize(("text", "decimal_comma", "expected"), MONEY_SEPARATORS)
def test_money_decimal_comma_decides_only_ambiguous_separators(text, decimal_comma, expected):
    assert parse_money(text, decimal_comma) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.005", Decimal("1.01")),
        ("-1.005", Decimal("-1.01")),
        ("2.675", Decimal("2.68")),
        ("0.004", Decimal("0.00")),
        ("12.344", Decimal("12.34")),
    ],
)
def test_money_rounds_to_cents_half_up(text, expected):
    assert parse_money(text) == expected


MONEY_REFUSED = [
    "abc",
    "TBD",
    "n/a",
    "$",
    "USD",
    "12 and 15",
    "100-200",
    "1,000 2,000",
    "12,50,0.0.0",
    "1,2,3",
    "1.234.56,7.8",
    "0,500",  # a thousands group cannot follow a leading zero
    "(500",
    "500)",
    "-(500)",
    "--500",
    "1e3",
    "99999999999999999.00",  # beyond decimal(18, 2)
    "2亿亿",
]


@pytest.mark.parametrize("text", MONEY_REFUSED)
def test_money_refuses_text_two_numbers_bad_grouping_and_overflow(text):
    with pytest.raises(ValueError):
        parse_money(text)


# -- numbers and percentages ------------------------------------------------------------------
NUMBER_ACCEPTED = [
    ("12", False, 12.0),
    ("-3.5", False, -3.5),
    ("12,500", False, 12500.0),
    ("12,500", True, 12.5),
    ("1.234,5", True, 1234.5),
    ("1.234,5", False, 1234.5),
    ("1 234", False, 1234.0),
    ("1e3", False, 1000.0),
    ("-1.5E-2", False, -0.015),
    (" 7 ", False, 7.0),
    ("８５", False, 85.0),
]


@pytest.mark.parametrize(("text", "decimal_comma", "expected"), NUMBER_ACCEPTED)
def test_number_reads_plain_numbers_with_the_money_separator_rules(text, decimal_comma, expected):
    assert parse_number(text, decimal_comma) == expected


@pytest.mark.parametrize("text", ["abc", "$5", "5 USD", "nan", "inf", "1_000", "0x10", "1e999"])
def test_number_refuses_currency_words_and_non_finite_values(text):
    with pytest.raises(ValueError):
        parse_number(text)


PERCENT_ACCEPTED = [
    ("12%", False, 12.0),
    ("12.5 %", False, 12.5),
    ("12", False, 12.0),
    ("０.５％", False, 0.5),
    ("12,5%", True, 12.5),
    ("-3%", False, -3.0),
    ("0.125", False, 0.125),  # a bare fraction is not scaled: percent points as written
]


@pytest.mark.parametrize(("text", "decimal_comma", "expected"), PERCENT_ACCEPTED)
def test_percent_reads_percent_points(text, decimal_comma, expected):
    assert parse_percent(text, decimal_comma) == expected


@pytest.mark.parametrize("text", ["abc%", "12%%", "%12x", "%", " % "])
def test_percent_refuses_what_is_not_a_percentage(text):
    # "%" alone is not blank: it is a value that says nothing, and must be listed as a reject.
    with pytest.raises(ValueError):
        parse_percent(text)


# -- dates and times --------------------------------------------------------------------------
TIMESTAMPS = [
    # (text, expected with day_first=False, expected with day_first=True)
    ("2024-03-05", datetime(2024, 3, 5), datetime(2024, 3, 5)),
    ("2024-03-05 14:22", datetime(2024, 3, 5, 14, 22), datetime(2024, 3, 5, 14, 22)),
    ("2024-03-05 14:22:31", datetime(2024, 3, 5, 14, 22, 31), datetime(2024, 3, 5, 14, 22, 31)),
    ("2024-03-05T14:22:31Z", datetime(2024, 3, 5, 14, 22, 31), datetime(2024, 3, 5, 14, 22, 31)),
    (
        "2024-03-05T14:22:31.123+08:00",
        datetime(2024, 3, 5, 6, 22, 31, 123000),
        datetime(2024, 3, 5, 6, 22, 31, 123000),
    ),
    (
        "2024-03-05T22:30:00-05:00",
        datetime(2024, 3, 6, 3, 30),
        datetime(2024, 3, 6, 3, 30),
    ),
    ("2024/3/5", datetime(2024, 3, 5), datetime(2024, 3, 5)),
    ("2024/03/05 14:22", datetime(2024, 3, 5, 14, 22), datetime(2024, 3, 5, 14, 22)),
    ("2024.3.5", datetime(2024, 3, 5), datetime(2024, 3, 5)),
    ("2024年3月5日", datetime(2024, 3, 5), datetime(2024, 3, 5)),
    ("2024年3月5日 14:22", datetime(2024, 3, 5, 14, 22), datetime(2024, 3, 5, 14, 22)),
    ("3/5/2024", datetime(2024, 3, 5), datetime(2024, 5, 3)),
    ("3-5-2024", datetime(2024, 3, 5), datetime(2024, 5, 3)),
    ("3/5/2024 2:22 PM", datetime(2024, 3, 5, 14, 22), datetime(2024, 5, 3, 14, 22)),
    ("3/5/2024 12:05 AM", datetime(2024, 3, 5, 0, 5), datetime(2024, 5, 3, 0, 5)),
    ("05.03.2024", datetime(2024, 3, 5), datetime(2024, 3, 5)),  # the dot form is day first
    ("5-Mar-2024", datetime(2024, 3, 5), datetime(2024, 3, 5)),
    ("Mar 5, 2024", datetime(2024, 3, 5), datetime(2024, 3, 5)),
    ("5 March 2024", datetime(2024, 3, 5), datetime(2024, 3, 5)),
    ("March 5, 2024", datetime(2024, 3, 5), datetime(2024, 3, 5)),
    ("45356", datetime(2024, 3, 5), datetime(2024, 3, 5)),  # Excel serial day
    ("45356.5", datetime(2024, 3, 5, 12), datetime(2024, 3, 5, 12)),
    ("61", datetime(1900, 3, 1), datetime(1900, 3, 1)),
    ("1709648551000", datetime(2024, 3, 5, 14, 22, 31), datetime(2024, 3, 5, 14, 22, 31)),
]


@pytest.mark.parametrize(("text", "month_first", "day_first"), TIMESTAMPS)
def test_timestamp_reads_every_listed_form(text, month_first, day_first):
    assert parse_timestamp(text, day_first=False) == month_first
    assert parse_timestamp(text, day_first=True) == day_first


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-30",
        "2023-02-29",
        "13/13/2024",
        "yesterday",
        "20240305",  # eight digits: too easily an order number
        "0",
        "2958466",  # past 9999-12-31 as an Excel serial
        "2024-03-05 24:00",
        "2024-03-05 14:60",
        "3/5/2024 13:00 PM",
    ],
)
def test_timestamp_refuses_impossible_dates_and_words(text):
    with pytest.raises(ValueError):
        parse_timestamp(text)


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("12/31/2024", False, date(2024, 12, 31)),
        ("31/12/2024", True, date(2024, 12, 31)),
        ("2024-03-05T23:30:00-02:00", False, date(2024, 3, 6)),  # the date of the UTC time
        ("2024年3月5日", False, date(2024, 3, 5)),
    ],
)
def test_date_is_the_date_of_the_timestamp(text, day_first, expected):
    assert parse_date(text, day_first) == expected


@pytest.mark.parametrize(("text", "day_first"), [("31/12/2024", False), ("12/31/2024", True)])
def test_date_refuses_a_day_over_12_in_the_month_position(text, day_first):
    with pytest.raises(ValueError):
        parse_date(text, day_first)


def test_excel_serial_time_lands_on_the_second_excel_shows():
    # 14:22:31 is 51751 s = 0.5989699074... of a day; Excel writes 10 decimals and shows
    # 14:22:31. Its resolution is the millisecond, so the reading must not be 14:22:30.999999.
    assert parse_timestamp("45356.5989699074") == datetime(2024, 3, 5, 14, 22, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/5/2024", True),
        ("3-5-2024", True),
        ("03/05/2024 14:22", True),
        ("12/1/2024", True),
        ("5/5/2024", False),  # both readings agree
        ("05/5/2024", False),
        ("13/5/2024", False),  # only one reading is a date
        ("5/13/2024", False),
        ("05.03.2024", False),  # the dot form is always day first
        ("2024-03-05", False),
        ("2024/3/5", False),
        ("", False),
    ],
)
def test_ambiguous_date_is_a_b_yyyy_with_both_parts_months(text, expected):
    assert is_ambiguous_date(text) is expected


# -- outcomes ---------------------------------------------------------------------------------
OUTCOMES = [
    ("won", "won"),
    ("Won", "won"),
    ("WIN", "won"),
    ("Closed Won", "won"),
    ("closed-won", "won"),
    ("ClosedWon", "won"),
    ("  closed   won ", "won"),
    ("赢单", "won"),
    ("赢单关闭", "won"),
    ("成交", "won"),
    ("已成交", "won"),
    ("签约", "won"),
    ("已签约", "won"),
    ("lost", "lost"),
    ("Closed Lost", "lost"),
    ("closed-lost", "lost"),
    ("lose", "lost"),
    ("输单", "lost"),
    ("丢单", "lost"),
    ("失败", "lost"),
    ("已输单", "lost"),
    ("open", "open"),
    ("In Progress", "open"),
    ("active", "open"),
    ("进行中", "open"),
    ("跟进中", "open"),
    ("未结束", "open"),
]


@pytest.mark.parametrize(("text", "expected"), OUTCOMES)
def test_outcome_reads_status_words_ignoring_case_and_spaces(text, expected):
    assert parse_outcome(text) == expected


@pytest.mark.parametrize("text", ["关闭", "已关闭", "Closed", "Negotiation", "deleted", "maybe"])
def test_outcome_refuses_closed_alone_and_other_words(text):
    # "Closed" / 关闭 alone could be won or lost: the user maps that stage, nothing guesses.
    with pytest.raises(ValueError):
        parse_outcome(text)


# -- blanks -----------------------------------------------------------------------------------
PARSERS: list[Callable[[str], object]] = [
    parse_money,
    parse_number,
    parse_percent,
    parse_timestamp,
    parse_date,
    parse_outcome,
]
WHITESPACE = " \t\r\n\u00a0\u3000"


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("text", [None, "", " ", "\u00a0", "\u3000", " \t\u3000\u00a0 "])
def test_blank_values_are_none_not_errors(parser, text):
    assert is_blank(text)
    assert parser(text) is None


@pytest.mark.parametrize("text", ["0", "x", " x ", "-", "%"])
def test_a_value_with_any_visible_character_is_not_blank(text):
    assert not is_blank(text)


@pytest.mark.parametrize("pad", ["\u2009", "\u202f", "\u2002", "\u200b", "\ufeff", "\x0b"])
def test_characters_blank_on_their_own_are_trimmed_around_a_value(pad):
    # is_blank calls these blank; the same characters around a value must not make it a reject.
    assert is_blank(pad)
    assert parse_timestamp(f"{pad}2024-03-05{pad}") == datetime(2024, 3, 5)
    assert parse_money(f"{pad}$5{pad}") == Decimal("5.00")
    assert parse_outcome(f"{pad}won{pad}") == "won"


# -- properties -------------------------------------------------------------------------------
MONEY_VALUES = st.decimals(
    min_value=Decimal("-9999999999999999.99"),
    max_value=Decimal("9999999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def _european(x: Decimal) -> str:
    """1.234.567,89 — written independently of the parser: swap the separators of f'{x:,}'."""
    return f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


@given(MONEY_VALUES)
def test_money_written_in_any_common_style_reads_back_exactly(x):
    assert parse_money(f"{x:,.2f}") == x
    assert parse_money(f"{x:.2f}") == x
    assert parse_money(f"${x:,.2f}") == x
    assert parse_money(f"USD {x:,.2f}") == x
    assert parse_money(f"{x:,.2f} USD") == x
    assert parse_money(f"¥{x:,.2f}") == x
    assert parse_money(f"{_european(x)} €", decimal_comma=True) == x
    assert parse_money(f"€{_european(x)}", decimal_comma=True) == x
    if x < 0:
        assert parse_money(f"({-x:,.2f})") == x
        assert parse_money(f"-${-x:,.2f}") == x


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_whole_numbers_read_back_with_and_without_grouping(n):
    assert parse_number(str(n)) == float(n)
    assert parse_number(f"{n:,}") == float(n)
    assert parse_percent(f"{n}%") == float(n)


DATES = st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31))
EXCEL_BASE = date(1899, 12, 30)


@given(DATES, st.booleans())
def test_dates_in_every_written_form_read_back(d, day_first):
    midnight = datetime(d.year, d.month, d.day)
    assert parse_date(d.isoformat(), day_first) == d
    assert parse_date(d.strftime("%Y/%m/%d"), day_first) == d
    assert parse_date(d.strftime("%d.%m.%Y"), day_first) == d
    assert parse_date(f"{d.year}年{d.month}月{d.day}日", day_first) == d
    assert parse_date(d.strftime("%Y年%m月%d日"), day_first) == d
    assert parse_date(str((d - EXCEL_BASE).days), day_first) == d
    assert parse_timestamp(d.isoformat(), day_first) == midnight
    slash = d.strftime("%d/%m/%Y") if day_first else d.strftime("%m/%d/%Y")
    assert parse_date(slash, day_first) == d


DATETIMES = st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 30))


@given(DATETIMES)
def test_datetimes_in_iso_forms_read_back(t):
    assert parse_timestamp(t.isoformat()) == t
    assert parse_timestamp(t.isoformat(sep=" ")) == t
    assert parse_timestamp(t.isoformat() + "Z") == t
    assert parse_timestamp(t.strftime("%m/%d/%Y %H:%M:%S")) == t.replace(microsecond=0)


@given(DATETIMES, st.integers(min_value=-12 * 60, max_value=14 * 60))
def test_offsets_are_converted_to_utc(t, minutes):
    sign = "+" if minutes >= 0 else "-"
    offset = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    local = t.replace(microsecond=0)
    expected = local - timedelta(minutes=minutes)
    if not datetime(1, 1, 2) <= expected <= datetime(9999, 12, 30):
        return
    assert parse_timestamp(local.isoformat() + offset) == expected


@given(DATETIMES.map(lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000)))
def test_excel_serial_with_a_time_reads_back_to_the_millisecond(t):
    delta = t - datetime(1899, 12, 30)
    serial = delta.days + (delta.seconds * 1000 + delta.microseconds // 1000) / 86_400_000
    assert parse_timestamp(f"{serial:.10f}") == t


@given(st.text(alphabet=WHITESPACE, max_size=12))
def test_any_mix_of_whitespace_is_blank(text):
    assert is_blank(text)
    for parser in PARSERS:
        assert parser(text) is None


@settings(max_examples=300)
@given(st.text(max_size=40), st.booleans())
def test_arbitrary_text_raises_nothing_but_value_error(text, flag):
    for parser in (parse_money, parse_number, parse_percent, parse_timestamp, parse_date):
        with contextlib.suppress(ValueError):
            parser(text, flag)
    with contextlib.suppress(ValueError):
        parse_outcome(text)
    assert isinstance(is_ambiguous_date(text), bool)
    assert isinstance(is_blank(text), bool)


@given(st.text(alphabet="0123456789.,'- $€¥()万元USD", max_size=20), st.booleans())
def test_money_like_text_gives_cents_or_value_error(text, decimal_comma):
    try:
        value = parse_money(text, decimal_comma)
    except ValueError:
        return
    if value is not None:
        assert value == value.quantize(Decimal("0.01"))
        assert abs(value) <= Decimal("9999999999999999.99")


# -- reading a file's habits from sampled values (configure) ---------------------------------
def test_a_day_above_twelve_first_settles_day_first():
    assert day_first_in(["03/04/2024", "25/03/2024"], default=False) is True
    assert day_first_in(["03/25/2024", "04/03/2024"], default=True) is False


def test_contradicting_or_ambiguous_dates_leave_the_crms_habit():
    assert day_first_in(["25/03/2024", "03/25/2024"], default=True) is True
    assert day_first_in(["03/04/2024", "2024-03-25"], default=False) is False


def test_numbers_vote_for_the_decimal_mark():
    assert decimal_comma_in(["1.234,56", "12,5", "7"], default=False) is True
    assert decimal_comma_in(["1,234.56", "12.50"], default=True) is False
    assert decimal_comma_in(["1234", "7"], default=True) is True


def test_parser_for_reads_a_value_as_the_file_writes_it():
    assert parser_for("money", day_first=False, decimal_comma=True)("1.234,50") == Decimal(
        "1234.50"
    )
    assert parser_for("date", day_first=True, decimal_comma=False)("03/04/2024") == date(2024, 4, 3)
    assert parser_for("flag", day_first=False, decimal_comma=False)("是") is True
