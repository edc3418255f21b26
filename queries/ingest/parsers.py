"""The value parsers of the CRM import: one implementation, in Python.

Each returns None for a blank value (only whitespace, including NBSP and the ideographic
space) and raises ValueError for a value it cannot read. The engine reads whole columns in SQL
with fast paths (a plain cast, one strptime format) that it checks against these functions on
a sample of the column; every value the fast path does not read comes here, once per distinct
value. So these functions decide what every value means, and the SQL only goes faster.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial

MAX_MONEY = Decimal("9999999999999999.99")  # decimal(18, 2)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％：／（）−　", "0123456789.,-+%:/()- ")
_BLANK = re.compile(r"^[\s\u00a0\u3000\u200b\ufeff]*$")

_CURRENCY = (
    r"(?:US\$|A\$|AU\$|C\$|CA\$|HK\$|NZ\$|S\$|NT\$|R\$|\$|¥|￥|€|£|₹|₩|₽|₺|₱|฿|₫|₪|元|圆|円"
    r"|人民币|美元|港币|欧元|日元|Rs\.?"
    r"|(?i:usd|eur|gbp|jpy|cny|rmb|cnh|hkd|twd|ntd|aud|cad|nzd|chf|sgd|inr|krw|sek|nok|dkk"
    r"|pln|czk|huf|brl|mxn|zar|rub|try|aed|sar|thb|myr|idr|php|vnd|ils))"
)
_UNITS = {"千": 3, "万": 4, "萬": 4, "亿": 8, "億": 8}
# A header's unit in brackets: 金额（万元）, 预计签单金额(万), 合同额【千元】, 收入（百万元）.
_HEADER_UNIT = re.compile(r"[(\[【]\s*(千|万|萬|百万|亿|億)\s*(?:元|人民币|RMB)?\s*[)\]】]\s*$")
_HEADER_UNITS = {**_UNITS, "百万": 6}


def header_scale(header: str) -> int:
    """The power of ten a money column's header says its plain numbers are in (0: units)."""
    m = _HEADER_UNIT.search(unicodedata.normalize("NFKC", str(header)).strip())
    return _HEADER_UNITS[m.group(1)] if m else 0


_MONEY = re.compile(
    rf"^(?P<open>\()?\s*(?P<s1>[-+])?\s*(?:{_CURRENCY}\s*)?(?P<s2>[-+])?\s*"
    r"(?P<num>[0-9][0-9.,' ’]*|[.,][0-9]+)\s*(?P<unit>[千万萬亿億])?\s*"
    rf"(?:{_CURRENCY})?\s*(?P<s3>-)?\s*(?P<close>\))?$"
)
_GROUPED = re.compile(
    r"^(?:[0-9]+|[1-9][0-9]{0,2}(?:(?P<sep>[,. '’])[0-9]{3})(?:(?P=sep)[0-9]{3})*"
    r"|[1-9][0-9]?(?:,[0-9]{2})+,[0-9]{3})$"
)


def is_blank(text: object) -> bool:
    return text is None or (isinstance(text, str) and bool(_BLANK.match(text)))


_EDGE_BLANKS = re.compile(r"^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$")


def _norm(text: str) -> str:
    # Trim every character is_blank calls blank (thin spaces, vertical tab, ...), not a subset.
    stripped = _EDGE_BLANKS.sub("", text.translate(_FULLWIDTH))
    return re.sub(r"\s+", " ", stripped)


def _plain_number(body: str, decimal_comma: bool) -> str:
    """'12,500.00' -> '12500.00'; '1.234,56' -> '1234.56'; raises ValueError on bad grouping.

    The decimal separator: when both '.' and ',' occur, the last one; a space or apostrophe
    grouping makes the '.' or ',' decimal; a separator that occurs twice groups thousands; one
    separator followed by other than three digits is decimal; one followed by exactly three
    digits is decimal when it is ',' with decimal_comma or '.' without, else it groups.
    """
    m = re.search(r"([.,])([0-9]*)$", body)
    if not m:
        int_part, frac = body, None
    else:
        sep, digits = m.group(1), m.group(2)
        before = body[: m.start()]
        if (
            (sep == "." and "," in before)
            or (sep == "," and "." in before)
            or re.search(r"[ '’]", before)
        ):
            is_dec = True
        elif body.count(sep) > 1:
            is_dec = False
        elif len(digits) != 3:
            is_dec = True
        else:
            is_dec = (sep == ",") == decimal_comma
        int_part, frac = (before, digits) if is_dec else (body, None)
    if int_part == "" and frac:
        return "0." + frac
    if not _GROUPED.match(int_part):
        raise ValueError(body)
    plain = re.sub(r"[^0-9]", "", int_part)
    return plain + ("." + frac if frac else "")


def _number_text(text: str, decimal_comma: bool, *, currency: bool) -> tuple[Decimal, int]:
    s = _norm(text)
    if not currency and re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?[eE][-+]?[0-9]+", s):
        return Decimal(s), 0
    m = _MONEY.match(s)
    if not m:
        raise ValueError(text)
    signs = [x for x in (m.group("s1"), m.group("s2"), m.group("s3")) if x]
    if bool(m.group("open")) != bool(m.group("close")) or len(signs) > 1:
        raise ValueError(text)
    if m.group("open") and signs:
        raise ValueError(text)
    if not currency and re.search(_CURRENCY, s):
        raise ValueError(text)
    plain = _plain_number(m.group("num").strip(), decimal_comma)
    value = Decimal(plain)
    if m.group("open") or "-" in signs:
        value = -value
    return value, _UNITS.get(m.group("unit") or "", 0)


def parse_money(text: str | None, decimal_comma: bool = False, scale: int = 0) -> Decimal | None:
    """'$12,500.00', 'USD 12,500', '12.500,00 €', '¥12,500', '1.2万', '(500)' -> Decimal, cents
    rounded half up. ``scale``: the power of ten the column's header says its plain numbers
    are in (金额（万元）: 4, so 12.5 is 125,000.00); a value with its own unit (8.5万) keeps it."""
    if is_blank(text):
        return None
    try:
        value, shift = _number_text(str(text), decimal_comma, currency=True)
        value = value.scaleb(shift or scale).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValueError(f"not an amount of money: {text!r}") from None
    if abs(value) > MAX_MONEY:
        raise ValueError(f"amount too large: {text!r}")
    return value


def parse_number(text: str | None, decimal_comma: bool = False) -> float | None:
    """A plain number (lead scores, counts): separators as parse_money, no currency."""
    if is_blank(text):
        return None
    try:
        value, shift = _number_text(str(text), decimal_comma, currency=False)
    except (InvalidOperation, ValueError):
        raise ValueError(f"not a number: {text!r}") from None
    if shift:
        value = value.scaleb(shift)
    result = float(value)
    if result != result or result in (float("inf"), float("-inf")):
        raise ValueError(f"not a number: {text!r}")
    return result


def parse_percent(text: str | None, decimal_comma: bool = False) -> float | None:
    """'12%' -> 12.0, '12,5 %' (decimal comma) -> 12.5, '12' -> 12.0: percent points."""
    if is_blank(text):
        return None
    s = _norm(str(text))
    s = re.sub(r"\s*%$", "", s)
    if is_blank(s):  # "%" alone says nothing: a reject, not a blank
        raise ValueError(f"not a percentage: {text!r}")
    try:
        return parse_number(s, decimal_comma)
    except ValueError:
        raise ValueError(f"not a percentage: {text!r}") from None


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_TIME = (
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"\s*(?P<ampm>[AaPp][Mm])?)?"
)
_ZONE = r"\s*(?P<z>Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
_PATTERNS = [
    (
        "ymd",
        re.compile(rf"^(?P<y>\d{{4}})[-/.](?P<a>\d{{1,2}})[-/.](?P<b>\d{{1,2}}){_TIME}{_ZONE}$"),
    ),
    (
        "ymd",
        re.compile(
            rf"^(?P<y>\d{{4}})\s*年\s*(?P<a>\d{{1,2}})\s*月\s*(?P<b>\d{{1,2}})\s*[日号]?{_TIME}{_ZONE}$"
        ),
    ),
    ("dot", re.compile(rf"^(?P<a>\d{{1,2}})\.(?P<b>\d{{1,2}})\.(?P<y>\d{{4}}){_TIME}{_ZONE}$")),
    (
        "slash",
        re.compile(rf"^(?P<a>\d{{1,2}})[/-](?P<b>\d{{1,2}})[/-](?P<y>\d{{4}}){_TIME}{_ZONE}$"),
    ),
    (
        "dmy_name",
        re.compile(
            rf"^(?P<b>\d{{1,2}})[- ](?P<mon>[A-Za-z]{{3,9}})\.?[- ,]\s*(?P<y>\d{{4}})"
            rf"{_TIME}{_ZONE}$"
        ),
    ),
    (
        "mdy_name",
        re.compile(
            rf"^(?P<mon>[A-Za-z]{{3,9}})\.? (?P<b>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y>\d{{4}})"
            rf"{_TIME}{_ZONE}$"
        ),
    ),
]
_EXCEL_BASE = datetime(1899, 12, 30)
# A Chinese date's time: "2024年3月5日10:23", "2024年3月5日 下午3:20", "2024-03-05 上午 10:23".
_ZH_TIME = re.compile(
    r"^(?P<day>.*?\d)\s*[日号]?\s*(?P<half>上午|下午|凌晨|早上|中午|晚上)?\s*"
    r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)$"
)
_AFTERNOON = {"下午": "PM", "晚上": "PM", "中午": "PM", "上午": "AM", "凌晨": "AM", "早上": "AM"}


def _zh_time(s: str) -> str:
    """A Chinese date-time rewritten as the patterns read it: the time after a space, 上午 and
    下午 as AM and PM (中午12:30 is 12:30 PM)."""
    if not re.search(r"[年月日号午晨晚]", s):
        return s
    m = _ZH_TIME.match(s)
    if not m:
        return s
    day = m.group("day") + ("日" if "年" in m.group("day") else "")
    half = _AFTERNOON.get(m.group("half") or "", "")
    return f"{day} {m.group('time')}" + (f" {half}" if half else "")


def parse_timestamp(text: str | None, day_first: bool = False) -> datetime | None:
    """ISO dates and times, 2024/3/5, 2024年3月5日, 3/5/2024 (month first unless day_first),
    05.03.2024 (always day first), 5-Mar-2024, Mar 5, 2024, Excel serial numbers, epoch
    milliseconds; values with a zone are converted to UTC and stored without it."""
    if is_blank(text):
        return None
    s = _zh_time(_norm(str(text)))
    if re.fullmatch(r"\d{13}", s):  # epoch milliseconds (HubSpot API exports)
        return datetime.fromtimestamp(int(s) / 1000, tz=UTC).replace(tzinfo=None)
    if re.fullmatch(r"\d{1,7}(\.\d+)?", s):
        serial = float(s)
        if 1 <= serial <= 2958465:
            # Excel keeps times to the millisecond; floats would land a hair early.
            return _EXCEL_BASE + timedelta(milliseconds=round(serial * 86_400_000))
        raise ValueError(f"not a date: {text!r}")
    for kind, pattern in _PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        g = m.groupdict()
        y = int(g["y"])
        if kind == "ymd":
            month, day = int(g["a"]), int(g["b"])
        elif kind == "dot":
            day, month = int(g["a"]), int(g["b"])
        elif kind == "slash":
            a, b = int(g["a"]), int(g["b"])
            month, day = (b, a) if day_first else (a, b)
        else:
            month = _MONTHS.get(g["mon"].lower(), 0)
            day = int(g["b"])
        try:
            value = _with_time(datetime(y, month, day), g)
        except ValueError:
            raise ValueError(f"not a date: {text!r}") from None
        return value
    raise ValueError(f"not a date: {text!r}")


def _with_time(day: datetime, g: dict) -> datetime:
    if g.get("H") is None:
        if g.get("z"):
            raise ValueError("zone without time")
        return day
    hour, minute = int(g["H"]), int(g["M"])
    second = int(g["S"] or 0)
    micro = int((g["f"] or "0")[:6].ljust(6, "0"))
    if g.get("ampm"):
        if not 1 <= hour <= 12:
            raise ValueError("hour")
        hour = hour % 12 + (12 if g["ampm"].lower() == "pm" else 0)
    value = day.replace(hour=hour, minute=minute, second=second, microsecond=micro)
    zone = g.get("z")
    if zone and zone not in ("Z", "UTC", "GMT"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        value = value - sign * offset
    return value


def parse_date(text: str | None, day_first: bool = False) -> date | None:
    value = parse_timestamp(text, day_first)
    return None if value is None else value.date()


def is_ambiguous_date(text: str | None) -> bool:
    """a/b/yyyy where both could be the month: its reading depends on day_first."""
    if is_blank(text):
        return False
    m = re.match(r"^\s*(\d{1,2})[/-](\d{1,2})[/-]\d{4}", unicodedata.normalize("NFKC", str(text)))
    return (
        bool(m)
        and 1 <= int(m.group(1)) <= 12
        and 1 <= int(m.group(2)) <= 12
        and (m.group(1).lstrip("0") != m.group(2).lstrip("0"))
    )


_OUTCOMES = {
    "won": "won",
    "win": "won",
    "closed won": "won",
    "closed-won": "won",
    "closedwon": "won",
    "赢单": "won",
    "赢单关闭": "won",
    "成交": "won",
    "已成交": "won",
    "签约": "won",
    "已签约": "won",
    "lost": "lost",
    "lose": "lost",
    "closed lost": "lost",
    "closed-lost": "lost",
    "closedlost": "lost",
    "输单": "lost",
    "丢单": "lost",
    "失败": "lost",
    "已输单": "lost",
    "已丢单": "lost",
    "输单关闭": "lost",
    "丢单关闭": "lost",
    # 纷享销客's sales_status 无效: the opportunity was disqualified, closed without a win.
    "无效": "lost",
    "已无效": "lost",
    "已赢单": "won",
    "open": "open",
    "in progress": "open",
    "active": "open",
    "进行中": "open",
    "跟进中": "open",
    "未结束": "open",
}
# The words parse_outcome reads (presets.looks_like ranks a status column by them).
OUTCOME_WORDS = frozenset(_OUTCOMES)


def parse_outcome(text: str | None) -> str | None:
    """A status word -> 'won' | 'lost' | 'open'. ('关闭' alone is not read: closed won or
    closed lost?)"""
    if is_blank(text):
        return None
    key = re.sub(r"\s+", " ", _norm(str(text)).lower())
    if key in _OUTCOMES:
        return _OUTCOMES[key]
    raise ValueError(f"not won, lost or open: {text!r}")


# Yes/no as CRMs export them: Salesforce true/false, HubSpot true/false, spreadsheets Yes/No or
# 1/0, X Education 1/0, Chinese CRMs 是/否.
_FLAGS = {
    **dict.fromkeys(("true", "t", "yes", "y", "1", "1.0", "x", "checked", "是", "对", "√"), True),
    **dict.fromkeys(("false", "f", "no", "n", "0", "0.0", "unchecked", "否", "不是", "×"), False),
    # A lead list's 是否转换 / 是否转化 column: 已转换 or 未转换.
    **dict.fromkeys(("已转换", "已转化"), True),
    **dict.fromkeys(("未转换", "未转化"), False),
}
FLAG_WORDS = frozenset(_FLAGS)


def parse_flag(text: str | None) -> bool | None:
    """'true', 'Yes', '1', '是' -> True; 'false', 'No', '0', '否' -> False; blank -> None."""
    if is_blank(text):
        return None
    key = _norm(str(text)).lower()
    if key in _FLAGS:
        return _FLAGS[key]
    raise ValueError(f"not yes or no: {text!r}")


def parser_for(
    type_: str, *, day_first: bool, decimal_comma: bool, scale: int = 0
) -> Callable[[str], object]:
    """The parser that decides what a value of a typed field means, read as the file is
    (``scale``: the unit of a money column's plain numbers, see parse_money)."""
    if type_ == "money" and scale:
        return partial(parse_money, decimal_comma=decimal_comma, scale=scale)
    if type_ in ("money", "number", "percent"):
        parse = {"money": parse_money, "number": parse_number, "percent": parse_percent}[type_]
        return partial(parse, decimal_comma=decimal_comma)
    if type_ in ("timestamp", "date"):
        return partial(parse_timestamp if type_ == "timestamp" else parse_date, day_first=day_first)
    if type_ == "flag":
        return parse_flag
    return parse_outcome


_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[/-](\d{1,2})[/-]\d{4}")


def day_first_in(values: Iterable[str], default: bool) -> bool:
    """Whether a file's a/b/yyyy dates are day-first: a value like 25/03/2024 settles it (when
    no value says the opposite); otherwise ``default`` (the CRM's habit)."""
    first_gt, second_gt = 0, 0
    for v in values:
        m = _DAY_MONTH.match(v)
        if m:
            first_gt += int(m.group(1)) > 12
            second_gt += int(m.group(2)) > 12
    if first_gt and not second_gt:
        return True
    if second_gt and not first_gt:
        return False
    return default


_COMMA_DECIMAL = re.compile(r"\d,\d{1,2}(\D*)$|\d\.\d{3},")
_POINT_DECIMAL = re.compile(r"\d\.\d{1,2}(\D*)$|\d,\d{3}\.")


def decimal_comma_in(values: Iterable[str], default: bool) -> bool:
    """Whether a file's numbers use a decimal comma: the values vote (1,5 or 1.234,56 for;
    1.5 or 1,234.56 against); a tie leaves ``default``."""
    votes = 0
    for v in values:
        votes += bool(_COMMA_DECIMAL.search(v)) - bool(_POINT_DECIMAL.search(v))
    if votes:
        return votes > 0
    return default
