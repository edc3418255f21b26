"""Amounts in another currency than the workspace's: found, counted and said, never converted;
and amounts a header says are in 万 or 亿 (金额（万元）), said as read.

A file says its currency in a currency column (币种 = 美元, Currency = USD) or in the amounts'
own text ("$12,500", "12,500.00元", "¥8.5万"). The value parser reads the number and drops the
mark, so a dollar amount in a yuan workspace would silently count as yuan; the import reports
each such column instead (file, column, rows, the two currencies) and stores the amounts as
written. Converting is the user's decision, with the rate they choose.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

import duckdb

from locales import translate
from queries.ingest import compile
from queries.ingest.compile import Reading
from queries.ingest.fields import field_type

# A mark written in an amount or a currency column -> the ISO code it names. Symbols shared by
# several currencies ($, ¥) name the first of their codes but clash with none of the others.
_CODES: dict[str, str] = {
    "us$": "USD",
    "$": "USD",
    "美元": "USD",
    "美金": "USD",
    "¥": "CNY",
    "￥": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "rmb": "CNY",
    "cnh": "CNY",
    "本位币": "",  # the company's own currency, whichever it is
    "hk$": "HKD",
    "港币": "HKD",
    "港元": "HKD",
    "nt$": "TWD",
    "新台币": "TWD",
    "s$": "SGD",
    "新加坡元": "SGD",
    "a$": "AUD",
    "澳元": "AUD",
    "c$": "CAD",
    "加元": "CAD",
    "€": "EUR",
    "欧元": "EUR",
    "£": "GBP",
    "英镑": "GBP",
    "円": "JPY",
    "日元": "JPY",
    "₩": "KRW",
    "韩元": "KRW",
    "₹": "INR",
}
_SHARED_SYMBOLS = {
    "$": frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN"}),
    "¥": frozenset({"CNY", "JPY"}),
    "￥": frozenset({"CNY", "JPY"}),
}
_ISO = "usd|cny|rmb|cnh|hkd|twd|sgd|aud|cad|nzd|eur|gbp|jpy|krw|inr|chf|mxn|brl"
# Group 1: an ISO code standing alone ("12,500 CNY", "USD12,500", not the "eur" of "Europe");
# group 2: a symbol or word, longer marks first (US$ before $, 美元 before 元: the first
# alternative that fits is taken).
_PATTERN = (
    r"(?i)(?:^|[^a-z])(" + _ISO + r")(?:[^a-z]|$)"
    r"|(us\$|hk\$|nt\$|s\$|a\$|c\$|人民币|美元|美金|港币|港元|新台币|新加坡元|澳元|加元|欧元|"
    r"英镑|日元|韩元|\$|¥|￥|€|£|₩|₹|円|元)"
)
FIRST_ROWS_SHOWN = 5


@dataclass(frozen=True)
class CurrencyMismatch:
    """Rows of one column whose amounts are in ``currency``, not the workspace's."""

    file: str
    column: str  # the column that says so: the amount itself, or the currency column
    written: str  # the mark as the file writes it ("$", "美元", "USD")
    currency: str  # its ISO code
    workspace_currency: str
    rows: int
    first_rows: tuple[int, ...]  # 1-based data rows, as the rejects list them

    def message(self, lang: str) -> str:
        rows = ", ".join(str(r) for r in self.first_rows)
        if self.rows > len(self.first_rows):
            rows += translate("import.currency_more_rows", lang)
        return translate(
            "import.currency_mismatch",
            lang,
            file=self.file,
            column=self.column,
            written=self.written,
            currency=self.currency,
            workspace=self.workspace_currency,
            count=self.rows,
            rows=rows,
        )


def warnings_json(found: list[CurrencyMismatch]) -> str | None:
    """The mismatches as the import record keeps them (``imports.warnings``, migration 021):
    their fields, not a sentence, so the history says them in its reader's language."""
    if not found:
        return None
    items = [{"kind": "currency_mismatch", **asdict(m)} for m in found]
    return json.dumps(items, ensure_ascii=False)


def from_warnings(text: object) -> list[CurrencyMismatch]:
    """The currency mismatches an import record kept (``warnings_json``); [] for none."""
    if not isinstance(text, str) or not text:
        return []
    out = []
    for item in json.loads(text):
        if item.get("kind") != "currency_mismatch":
            continue  # a kind of warning this version does not know
        fields = {k: v for k, v in item.items() if k != "kind"}
        fields["first_rows"] = tuple(fields.get("first_rows") or ())
        out.append(CurrencyMismatch(**fields))
    return out


def code_of(mark: str) -> str | None:
    """The ISO code a currency mark or word names; None when it names none ("本位币")."""
    key = re.sub(r"\s+", "", mark).casefold()
    if key in _CODES:
        return _CODES[key] or None
    if re.fullmatch(r"[a-z]{3}", key):
        return key.upper()
    return None


def _differs(mark: str, code: str, workspace: str) -> bool:
    shared = _SHARED_SYMBOLS.get(mark.strip())
    if shared is not None:
        return workspace not in shared
    return code != workspace


def mismatches(
    cur: duckdb.DuckDBPyConnection, r: Reading, workspace_currency: str, file: str
) -> list[CurrencyMismatch]:
    """Every column of the staged file whose rows name another currency than the workspace's:
    the currency column's values, then the currency marks in each mapped amount column."""
    workspace = (workspace_currency or "USD").upper()
    found: list[CurrencyMismatch] = []
    checks: list[tuple[str, str, dict[str, object]]] = []
    if "currency" in r.mapping:
        column = r.mapping["currency"]
        checks.append((column, compile.currency_values_sql(r.column_of(column)), {}))
    for fname, column in r.mapping.items():
        if field_type(r.kind, fname) == "money":
            sql = compile.currency_tokens_sql(r.column_of(column))
            checks.append((column, sql, {"pattern": _PATTERN}))
    for column, sql, params in checks:
        by_code: dict[str, list] = {}
        for mark, n, first in cur.execute(sql, params).fetchall():
            code = code_of(mark)
            if code is None or not _differs(mark, code, workspace):
                continue
            entry = by_code.setdefault(code, [[], 0, []])
            if mark not in entry[0]:
                entry[0].append(mark)
            entry[1] += int(n)
            entry[2].extend(int(x) for x in first)
        for code, (marks, n, first) in by_code.items():
            found.append(
                CurrencyMismatch(
                    file=file,
                    column=column,
                    written=" / ".join(marks),
                    currency=code,
                    workspace_currency=workspace,
                    rows=n,
                    first_rows=tuple(sorted(set(first))[:FIRST_ROWS_SHOWN]),
                )
            )
    return found


_UNIT_WORDS = {3: "千", 4: "万", 6: "百万", 8: "亿"}


@dataclass(frozen=True)
class AmountUnit:
    """A money column whose header names the unit of its plain numbers (金额（万元）)."""

    file: str
    column: str
    power: int  # 4: the numbers are in 万, times 10,000

    def message(self, lang: str) -> str:
        return translate(
            "import.amount_unit",
            lang,
            file=self.file,
            column=self.column,
            unit=_UNIT_WORDS.get(self.power, f"10^{self.power}"),
            factor=f"{10**self.power:,}",
        )
