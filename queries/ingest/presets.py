"""CRM presets: which kind of records a file holds, which CRM exported it, and which column
feeds which field.

Detection reads the header row (and, when given, a sample of values): a CRM's export is
recognised by its *marker* headers, spelled as that CRM spells them (``Deal Stage``, ``Deal -
Won time``, ``商机名称``, or the API's ``StageName``, ``dealstage``), and the kind by the fields a
mapping can fill. Mapping matches header names against alias lists (each CRM's own names
first, then general English and Chinese names), then by similarity, and checks each candidate
against the column's values: CRM admins rename fields freely, so a label alone is not trusted —
a column called "Kunde" that holds dates is not the account.

The names themselves are data, one module per CRM in queries/ingest/aliases/; this module
holds the matching and detection logic.

Everything here is a *suggestion*: the user confirms or corrects it in the mapping step, and the
value parsers (queries/ingest/parsers.py) remain the only judges of whether a value is valid. The
regexes of ``looks_like`` are deliberately loose and never decide what gets stored.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType, ModuleType

from locales import translate
from queries.ingest import parsers
from queries.ingest.aliases import (
    chinese_crm,
    dingtalk,
    fxiaoke,
    generic,
    hubspot,
    jiandaoyun,
    kingdee_yonyou,
    neocrm,
    pipedrive,
    salesforce,
    zoho,
)
from queries.ingest.fields import FIELDS, KINDS, REQUIRED, missing_required

# -- headers -------------------------------------------------------------------------------------
_QUOTES = "\"'`“”‘’«»「」『』"
_SEPARATORS = re.compile(r"[\s_\-./]+")
# camelCase and PascalCase API names: StageName → Stage Name, ConvertedOpportunityId →
# Converted Opportunity Id, Product2Id → Product2 Id, HTMLTitle → HTML Title. An all-capitals
# word with a plural s stays whole (IDs, SKUs), and scripts without case (Chinese) are untouched.
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2})")


def normalise_header(text: str) -> str:
    """The comparable form of a header: full-width forms to half-width (NFKC), BOM, quotes and
    outer whitespace removed, camelCase split, case folded, runs of ``_ - . /`` and spaces
    collapsed to one space. ``"﻿Deal - Won time"``, ``deal_won_time`` and ``DealWonTime`` all
    become ``deal won time``."""
    s = _clean(text)
    s = _CAMEL.sub(" ", s).casefold()
    return _SEPARATORS.sub(" ", s).strip()


def _clean(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "").replace("\u200b", "")
    return s.strip().strip(_QUOTES).strip()


def _value_key(text: str) -> str:
    """A value's comparable form: as ``normalise_header`` but without the camelCase split (a
    lead source "LinkedIn" or "YouTube" is one word; tables list both spellings where a CRM
    writes camelCase values, such as Pipedrive's ``WebForms``)."""
    return _SEPARATORS.sub(" ", _clean(text).casefold()).strip()


def _core(norm: str) -> str:
    """A normalised header without units and punctuation: ``value (usd)`` → ``value``,
    ``won?`` → ``won``, ``商机金额(元)`` → ``商机金额``."""
    s = re.sub(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】", " ", norm)
    s = re.sub(r"[?!:#*,;%|]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _light(text: str) -> str:
    """Marker comparison: case-insensitive but separator-sensitive, because a CRM's export
    spells its headers exactly (``Deal Stage``) while a database dump spells them
    ``deal_stage`` — and the latter is a plain spreadsheet, not a HubSpot export."""
    s = unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "")
    s = s.strip().strip(_QUOTES).strip().casefold()
    return re.sub(r"\s+", " ", s)


def _exact(text: str) -> str:
    """API marker comparison: exact but for a BOM, quotes and outer spaces (``StageName`` is
    Salesforce's, ``stagename`` nobody's)."""
    return unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "").strip().strip(_QUOTES)


# -- presets -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Preset:
    name: str  # 'hubspot'
    label: str  # 'HubSpot'
    aliases: Mapping[str, Mapping[str, tuple[str, ...]]]  # kind -> field -> headers as exported
    markers: Mapping[str, tuple[str, ...]]  # kind -> headers that identify this CRM's export
    day_first: bool = False  # how a/b/yyyy dates are read by default
    decimal_comma: bool = False
    # kind -> API names that identify the export, compared exactly (StageName, dealstage)
    api_markers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # API names every object of the CRM carries (Id, CreatedDate): evidence, never enough alone
    common_api_markers: tuple[str, ...] = ()
    # The broader preset this one refines (纷享销客 → chinese_crm): its names apply after this
    # one's, its markers add evidence, and this preset outranks it when both fit.
    refines: str | None = None
    # Cell values only this CRM writes (纷享销客's 预设业务类型): a column holding one is a marker.
    value_markers: tuple[str, ...] = ()


def _freeze(d: Mapping[str, Mapping[str, tuple[str, ...]]]) -> Mapping:
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in d.items()})


def _merged_aliases(module: ModuleType, base: ModuleType | None) -> Mapping:
    """The module's aliases, then (for a preset that refines another) the base's."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for source in (module, base):
        for kind, fields in (source.ALIASES if source else {}).items():
            for fname, names in fields.items():
                have = out.setdefault(kind, {}).get(fname, ())
                out[kind][fname] = have + tuple(n for n in names if n not in have)
    return _freeze(out)


def _preset(name: str, module: ModuleType) -> Preset:
    api = getattr(module, "API_MARKERS", {})
    refines = getattr(module, "REFINES", None)
    base = _CRM_MODULES[refines] if refines else None
    # A kind is detectable for a CRM when it has UI or API markers for it.
    markers = {
        k: tuple(module.MARKERS.get(k, ())) for k in KINDS if k in module.MARKERS or k in api
    }
    return Preset(
        name=name,
        label=module.LABEL,
        aliases=_merged_aliases(module, base),
        markers=MappingProxyType(markers),
        day_first=module.DAY_FIRST,
        decimal_comma=module.DECIMAL_COMMA,
        api_markers=MappingProxyType(dict(api)),
        common_api_markers=tuple(getattr(module, "COMMON_API_MARKERS", ())),
        refines=refines,
        value_markers=tuple(getattr(module, "VALUE_MARKERS", ())),
    )


# General names, English and Chinese, tried for every preset after the preset's own names.
GENERIC_ALIASES: Mapping[str, Mapping[str, tuple[str, ...]]] = _freeze(generic.ALIASES)
_HEAD_WORDS: Mapping[str, Mapping[str, tuple[str, ...]]] = _freeze(generic.HEAD_WORDS)
_CRM_MODULES: dict[str, ModuleType] = {
    "hubspot": hubspot,
    "salesforce": salesforce,
    "pipedrive": pipedrive,
    "zoho": zoho,
    "chinese_crm": chinese_crm,
    # Chinese CRMs with an export of their own; each refines chinese_crm's general labels.
    "fxiaoke": fxiaoke,
    "neocrm": neocrm,
    "dingtalk": dingtalk,
    "jiandaoyun": jiandaoyun,
    "kingdee_yonyou": kingdee_yonyou,
}
PRESETS: dict[str, Preset] = {
    **{name: _preset(name, module) for name, module in _CRM_MODULES.items()},
    "generic": Preset(
        name="generic",
        label=generic.LABEL,
        aliases=GENERIC_ALIASES,
        markers=MappingProxyType({}),
    ),
}

# Pipedrive prefixes every column with the record type: "Deal - Title", "Person - Email".
_PIPEDRIVE_PREFIXES = {
    "deals": ("deal - ",),
    "leads": ("lead - ", "person - "),
    "accounts": ("organization - ",),
    "products": ("product - ",),
}

# Header words that say which kind a file holds, for files whose mapped fields do not.
_KIND_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(dict(generic.KIND_WORDS))
# Fields only one kind has (or that mean most for it): mapping them is evidence of that kind.
# The lead's account and the deal's e-mail are shared with other kinds, so they are not here;
# neither are ids and names, which every kind has.
_OWN_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "leads": (
            "email",
            "mql_at",
            "sql_at",
            "lead_score",
            "first_touch_at",
            "converted",
            "converted_deal_id",
        ),
        "deals": (
            "stage",
            "status",
            "close_date",
            "won_at",
            "lost_at",
            "account",
            "product",
            "currency",
            "discount_pct",
            "lost_reason",
            "is_won",
            "is_closed",
            "deal_type",
        ),
        "campaigns": ("objective", "start_date", "end_date", "budget"),
        "spend": ("spent_on",),
        "accounts": ("industry", "employees", "annual_revenue", "parent", "country"),
        "reps": ("role", "team", "manager", "hired_on", "left_on", "quota", "monthly_cost"),
        "products": ("product_id", "family", "list_price"),
        "touches": ("touch_id", "touched_at", "touch_type"),
    }
)


# -- value shapes ----------------------------------------------------------------------------------
_NUM = r"[-+]?(?:\d{1,3}(?:[,.\s\u00a0'’]\d{3})+|\d+)(?:[.,]\d+)?"
_CURRENCY = (
    r"(?:[A-Z]{3}|US\$|A\$|C\$|HK\$|NT\$|R\$|RMB|[$€£¥￥₹₩₽₺]|人民币|美元|港币|欧元|日元"
    r"|Rs\.?|kr|zł|Fr\.?|CHF)"
)
_MONEY_RE = re.compile(
    rf"^\(?\s*-?\s*(?:{_CURRENCY}\s*)?-?\s*{_NUM}\s*(?:[万亿千]\s*)?(?:元|块|{_CURRENCY})?\s*\)?$",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(rf"^{_NUM}(?:[eE][-+]?\d+)?$")
_PERCENT_RE = re.compile(rf"^{_NUM}\s*%?$")
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TIME = (
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:z|[+-]\d{2}:?\d{2}|utc)?)?"
)
_DATE_RES = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"^\d{{4}}-\d{{1,2}}-\d{{1,2}}{_TIME}$",  # ISO
        rf"^\d{{4}}[/.]\d{{1,2}}[/.]\d{{1,2}}{_TIME}$",  # 2024/3/5
        rf"^\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}{_TIME}$",  # 3/5/2024, 05.03.2024
        rf"^\d{{4}}年\d{{1,2}}月\d{{1,2}}[日号]?\s*{_TIME}$",  # 2024年3月5日
        # 2024年3月5日10:23, 2024年3月5日 下午3:20
        r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}[日号]?\s*(?:上午|下午|凌晨|早上|中午|晚上)?\s*"
        r"\d{1,2}:\d{2}(?::\d{2})?$",
        rf"^\d{{1,2}}[\s-]{_MONTHS}[\s-]\d{{2,4}}{_TIME}$",  # 5-Mar-2024
        rf"^{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}{_TIME}$",  # Mar 5, 2024
    )
)
_OUTCOME_WORDS = {
    "won",
    "win",
    "closed won",
    "lost",
    "lose",
    "closed lost",
    "open",
    "in progress",
    "active",
    "赢单",
    "赢单关闭",
    "成交",
    "已成交",
    "签约",
    "已签约",
    "输单",
    "丢单",
    "失败",
    "已输单",
    "进行中",
    "跟进中",
    "未结束",
    # Pipedrive's status column also holds "deleted" (parse_outcome rejects it row by row).
    "deleted",
} | {normalise_header(w) for w in parsers.OUTCOME_WORDS}
_LETTER = re.compile(r"[^\W\d_]")


def _is_blank(value: object) -> bool:
    return value is None or not str(value).replace("\u3000", " ").strip()


# Yes/no as CRMs write them (Salesforce and HubSpot true/false, spreadsheets Yes/No or 1/0,
# X Education 1/0, Chinese CRMs 是/否); the same words parsers.parse_flag reads.
_FLAG_WORDS = frozenset(
    {"true", "false", "t", "f", "yes", "no", "y", "n", "1", "0", "1.0", "0.0", "x", "checked"}
    | {"unchecked", "是", "否", "不是", "对", "√", "×"}
    | parsers.FLAG_WORDS
)
# Epoch milliseconds between 2001-09 and 2286: what HubSpot's API writes for its date
# properties (1709649000000). Read as a timestamp only for API-named date columns.
_EPOCH_MS = re.compile(r"^1\d{12}$")
_API_DATE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_API_DATE_WORD = re.compile(r"(?i:date|time|stamp)|_at$|[a-z]At$")


def epoch_ms_header(header: str) -> bool:
    """Whether a header is named like an API date property (``createdate``,
    ``hs_lifecyclestage_marketingqualifiedlead_date``, ``submittedAt``, ``timestamp``): the
    only columns whose 13-digit numbers are read as epoch milliseconds."""
    h = str(header).strip().lstrip("\ufeff")
    return bool(_API_DATE_NAME.match(h) and _API_DATE_WORD.search(h))


def _looks(value: str, type_: str, epoch_ms: bool = False) -> bool:
    v = unicodedata.normalize("NFKC", value).strip()
    if type_ == "money":
        return bool(_MONEY_RE.match(v))
    if type_ == "number":
        return bool(_NUMBER_RE.match(v))
    if type_ == "percent":
        return bool(_PERCENT_RE.match(v))
    if type_ in ("timestamp", "date"):
        if epoch_ms and _EPOCH_MS.match(v):
            return True
        return any(r.match(v) for r in _DATE_RES)
    if type_ == "flag":
        return v.casefold() in _FLAG_WORDS
    if type_ == "outcome":
        return normalise_header(v) in _OUTCOME_WORDS
    if type_ == "text":
        return bool(_LETTER.search(v))
    raise ValueError(f"unknown type {type_!r}")


def looks_like(values: Sequence[str], type_: str, epoch_ms: bool = False) -> float:
    """The share of non-blank values that look like ``type_`` (0.0 when all are blank).
    Loose on purpose: it ranks mapping suggestions; the SQL parsers decide validity.
    ``epoch_ms``: 13-digit epoch milliseconds count as timestamps (API-named date columns)."""
    seen = [str(v) for v in values if not _is_blank(v)]
    if not seen:
        return 0.0
    return sum(_looks(v, type_, epoch_ms) for v in seen) / len(seen)


# -- mapping -------------------------------------------------------------------------------------
EXACT_PRESET = 1.0  # the CRM's own name for the field
EXACT_GENERIC = 0.9  # a general name
CORE_MATCH = 0.8  # equal once units and punctuation are dropped: "Value (USD)"
HEAD_WORD = 0.65  # the header ends with the field's head word: "Opportunity Amount"
SIMILAR = 0.55  # close spelling (difflib ratio >= 0.85): "Oportunity Name"
_RANK_STEP = 0.002  # an earlier alias wins a tie
_SIMILAR_MIN = 5  # shorter names are compared exactly only


@dataclass(frozen=True)
class _FieldNames:
    name: str
    exact: Mapping[str, float]  # normalised alias -> score
    core: Mapping[str, float]  # core form -> score
    cores: frozenset[str]  # core forms long enough for a similarity match
    head_words: tuple[str, ...]


@functools.lru_cache(maxsize=256)
def _names(kind: str, preset: str) -> tuple[_FieldNames, ...]:
    """Each field's names for ``kind`` under ``preset``: the preset's own aliases first, then
    the general ones, with the score an exact or a core match earns."""
    out = []
    for fname in _field_order(kind):
        own_raw = () if preset == "generic" else PRESETS[preset].aliases.get(kind, {})
        own_raw = own_raw.get(fname, ()) if own_raw else ()
        generic_raw = GENERIC_ALIASES.get(kind, {}).get(fname, ())
        own = {normalise_header(a) for a in own_raw}
        ordered: list[str] = []
        for a in (*own_raw, *generic_raw):
            n = normalise_header(a)
            if n not in ordered:
                ordered.append(n)
        exact: dict[str, float] = {}
        core: dict[str, float] = {}
        for i, n in enumerate(ordered):
            base = EXACT_PRESET if n in own else EXACT_GENERIC
            exact.setdefault(n, base - _RANK_STEP * i)
            c = _core(n)
            if c:
                core.setdefault(c, CORE_MATCH - _RANK_STEP * i)
        out.append(
            _FieldNames(
                name=fname,
                exact=MappingProxyType(exact),
                core=MappingProxyType(core),
                cores=frozenset(c for c in core if len(c) >= _SIMILAR_MIN),
                head_words=_HEAD_WORDS.get(kind, {}).get(fname, ()),
            )
        )
    return tuple(out)


@functools.lru_cache(maxsize=16)
def _all_cores(kind: str) -> Mapping[str, tuple[str, ...]]:
    """Every alias core of ``kind`` under any preset, long enough for a similarity match,
    indexed by its first two and by its last two characters."""
    found: set[str] = set()
    for preset in PRESETS:
        for names in _names(kind, preset):
            found |= names.cores
    index: dict[str, list[str]] = {}
    for c in sorted(found):
        index.setdefault("<" + c[:2], []).append(c)
        index.setdefault(">" + c[-2:], []).append(c)
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


@functools.lru_cache(maxsize=65536)
def _similar_cores(kind: str, core: str) -> frozenset[str]:
    """The alias cores of ``kind`` spelled close to ``core`` (difflib ratio >= 0.85), worked
    out once per header and kind whatever the preset. Only aliases that share the header's
    first or last two characters are compared: a misspelling that close rarely changes both
    ends, and comparing every alias would cost more than the rest of the detection."""
    if len(core) < _SIMILAR_MIN:
        return frozenset()
    index = _all_cores(kind)
    candidates = {*index.get("<" + core[:2], ()), *index.get(">" + core[-2:], ())}
    candidates.discard(core)
    matcher = difflib.SequenceMatcher(None, core)
    n = len(core)
    found = set()
    for a in candidates:
        # ratio <= 2·min(len)/(len sum): skip pairs whose lengths already rule it out.
        if 2 * min(n, len(a)) < 0.85 * (n + len(a)):
            continue
        matcher.set_seq1(a)
        if matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85:
            found.add(a)
    return frozenset(found)


@functools.lru_cache(maxsize=65536)
def _header_scores(kind: str, preset: str, norm: str) -> tuple[tuple[str, float], ...]:
    """(field, score) for every field of ``kind`` the normalised header may name (score > 0).
    A field takes its best tier: exact alias, then core form, then head word, then spelling.
    Cached: the same headers are scored for every kind and preset during detection."""
    if not norm:
        return ()
    core = _core(norm)
    similar: frozenset[str] | None = None
    out = []
    for names in _names(kind, preset):
        score = names.exact.get(norm, 0.0)
        if not score and core:
            score = names.core.get(core, 0.0)
        if not score and core:
            for w in names.head_words:
                if core.endswith(w) if _has_cjk(w) else (core == w or core.endswith(" " + w)):
                    score = HEAD_WORD
                    break
        if not score and len(core) >= _SIMILAR_MIN and names.cores:
            if similar is None:
                similar = _similar_cores(kind, core)
            if similar & names.cores:
                score = SIMILAR
        if score > 0:
            out.append((names.name, score))
    return tuple(out)


def _name_score(kind: str, preset: str, field_name: str, norm: str) -> float:
    """How well a normalised header names the field (0: not at all)."""
    return dict(_header_scores(kind, preset, norm)).get(field_name, 0.0)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# Text fields whose values must not be numbers or dates ("Kunde" holding dates is not the
# account); ids may be numeric.
_NUMERIC_OK = {
    "deal_id",
    "lead_id",
    "campaign_id",
    "email",
    "account_id",
    "rep_id",
    "product_id",
    "touch_id",
    "converted_deal_id",
    # Ids stand in for names in API exports: OwnerId, hubspot_owner_id, associatedcompanyid,
    # ParentId, user_id are numbers or record ids.
    "owner",
    "account",
    "parent",
    "manager",
    "role",  # role_id (Pipedrive), UserRoleId (Salesforce)
    "stage",  # Pipedrive stage_id; stage_outcome leaves the numbers to the user
}


class _Profile:
    """What a column's sample looks like, worked out once per column and type (detection asks
    the same question for every kind and preset)."""

    MAX_VALUES = 200

    def __init__(self, samples: Mapping[str, Sequence[str]] | None) -> None:
        self.samples = samples or {}
        self._values: dict[str, list[str]] = {}
        self._shares: dict[tuple[str, str], float] = {}

    def values(self, header: str) -> list[str]:
        if header not in self._values:
            vals = [str(v) for v in self.samples.get(header, ()) or () if not _is_blank(v)]
            self._values[header] = vals[: self.MAX_VALUES]
        return self._values[header]

    def share(self, header: str, type_: str) -> float:
        key = (header, type_)
        if key not in self._shares:
            vals = self.values(header)
            if type_ == "email":
                self._shares[key] = sum("@" in v for v in vals) / len(vals) if vals else 0.0
            else:
                epoch = type_ == "timestamp" and epoch_ms_header(header)
                self._shares[key] = looks_like(vals, type_, epoch_ms=epoch)
        return self._shares[key]


def _content_ok(kind: str, field_name: str, header: str, profile: _Profile, score: float) -> bool:
    """Does the column's sample agree with the field's type? No sample: trust the name."""
    if not profile.values(header):
        return True
    type_ = _field_type(kind, field_name)
    if field_name == "email":
        return profile.share(header, "email") >= 0.5
    if type_ != "text":
        # A CRM's own header is trusted a little further: the parser will list the bad values.
        need = 0.3 if score >= EXACT_GENERIC - 0.1 else 0.6
        return profile.share(header, type_) >= need
    if profile.share(header, "timestamp") >= 0.8:
        return False
    if field_name in _NUMERIC_OK:
        return True
    # Numbers, or yes/no answers, are not names.
    return profile.share(header, "number") < 0.8 and profile.share(header, "flag") < 0.9


@functools.lru_cache(maxsize=512)
def _field_type(kind: str, name: str) -> str:
    for f in FIELDS[kind]:
        if f.name == name:
            return f.type
    raise KeyError(name)


@functools.lru_cache(maxsize=16)
def _field_order(kind: str) -> tuple[str, ...]:
    """Required fields first, so that a tie goes to the field the import cannot do without."""
    order: list[str] = []
    for group in REQUIRED[kind]:
        order += [f for f in group if f not in order]
    order += [f.name for f in FIELDS[kind] if f.name not in order]
    return tuple(order)


def suggest_mapping(
    kind: str,
    preset: str,
    headers: Sequence[str],
    samples: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, str]:
    """field -> header, each header used at most once (best-scoring pairs first) — but for an
    MQL list, whose one date feeds both the created and the MQL date (see _mql_list)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    preset = preset if preset in PRESETS else "generic"
    return _suggest(
        kind, preset, headers, [normalise_header(h) for h in headers], _Profile(samples)
    )


def _suggest(
    kind: str, preset: str, headers: Sequence[str], norms: Sequence[str], profile: _Profile
) -> dict[str, str]:
    order = {f: i for i, f in enumerate(_field_order(kind))}
    candidates: list[tuple[float, int, int, str, str]] = []
    for hi, (header, norm) in enumerate(zip(headers, norms, strict=True)):
        for fname, score in _header_scores(kind, preset, norm):
            if not _content_ok(kind, fname, header, profile, score):
                continue
            candidates.append((-score, order[fname], hi, fname, header))
    candidates.sort()
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for _, _, _, fname, header in candidates:
        if fname in mapping or header in used:
            continue
        mapping[fname] = header
        used.add(header)
    if kind == "leads":
        _mql_list(mapping, headers, norms)
    return {f: mapping[f] for f in _field_order(kind) if f in mapping}


def _mql_list(mapping: dict[str, str], headers: Sequence[str], norms: Sequence[str]) -> None:
    """A file whose lead ids are MQL ids (Olist's mql_id) lists marketing-qualified leads
    only: every row became an MQL when it was created, so its one date is both the created
    and the MQL date. The engine accepts one header for two fields."""
    lead_header = mapping.get("lead_id")
    if "mql_at" in mapping or "created_at" not in mapping or lead_header is None:
        return
    norm = norms[list(headers).index(lead_header)]
    if "mql" in norm.split():
        mapping["mql_at"] = mapping["created_at"]


# -- detection -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Detection:
    kind: str
    preset: str
    score: float
    reasons: tuple[str, ...] = field(default=())


@functools.lru_cache(maxsize=128)
def _marker_sets(
    preset: str, kind: str
) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(UI markers by _light, API markers exact, common API markers exact, the refined
    preset's UI markers by _light)."""
    p = PRESETS[preset]
    base = PRESETS[p.refines].markers.get(kind, ()) if p.refines else ()
    return (
        frozenset(_light(m) for m in p.markers.get(kind, ())),
        frozenset(_exact(m) for m in p.api_markers.get(kind, ())),
        frozenset(_exact(m) for m in p.common_api_markers),
        frozenset(_light(m) for m in base),
    )


def _marker_hits(
    preset: str,
    kind: str,
    headers: Sequence[str],
    lights: Sequence[str],
    exacts: Sequence[str],
    profile: _Profile | None = None,
) -> tuple[list[str], list[str]]:
    """(headers that identify this CRM's export of this kind, headers every export of the
    CRM carries). A column whose sampled values hold one of the CRM's own values (纷享销客's
    预设业务类型) identifies it as a marker header does; the labels of the preset it refines
    (商机名称 for every Chinese CRM) are shared evidence, never enough alone."""
    ui, api, common, base = _marker_sets(preset, kind)
    hits = [h for h, li, ex in zip(headers, lights, exacts, strict=True) if li in ui or ex in api]
    if preset == "pipedrive":
        prefixes = _PIPEDRIVE_PREFIXES.get(kind, ())
        if prefixes:
            hits += [
                h
                for h, li in zip(headers, lights, strict=True)
                if h not in hits and li.startswith(prefixes)
            ]
    values = PRESETS[preset].value_markers
    if values and profile is not None:
        hits += [h for h in headers if h not in hits and set(profile.values(h)) & set(values)]
    shared = [
        h
        for h, li, ex in zip(headers, lights, exacts, strict=True)
        if (ex in common or li in base) and h not in hits
    ]
    return hits, shared


def _anchored(kind: str, mapping: Mapping[str, str], norms: Sequence[str]) -> bool:
    """Whether a plain spreadsheet plausibly holds this kind at all."""
    m = set(mapping)
    if kind == "leads":
        strong = m & {
            "lead_id",
            "email",
            "mql_at",
            "sql_at",
            "lead_score",
            "first_touch_at",
            "converted",
            "converted_deal_id",
        }
    elif kind == "deals":
        strong = m & {
            "deal_id",
            "stage",
            "status",
            "close_date",
            "won_at",
            "lost_at",
            "is_won",
            "is_closed",
        }
        if "amount" in m and m & {"name", "account"}:
            return True
    elif kind == "campaigns":
        strong = m & {"objective", "budget"}
        if {"start_date", "end_date"} <= m:
            return True
    elif kind == "spend":
        return {"spent_on", "amount"} <= m
    else:
        # The new kinds share their ids and names with every other kind: one of their own
        # fields beside an identity, or the kind named in the headers.
        identity = not missing_required(kind, m)
        strong = m & set(_OWN_FIELDS[kind]) if identity else set()
    if strong:
        return True
    words = _KIND_WORDS[kind]
    return len(m) >= 2 and any(w in n for n in norms for w in words)


def detect(
    headers: Sequence[str], samples: Mapping[str, Sequence[str]] | None = None
) -> list[Detection]:
    """Every (kind, preset) that fits the headers at all, best first.

    A named CRM fits when its marker headers are present: two of its UI labels or API names
    for the kind, or one beside an API name all of its objects carry (``Id``-like system
    fields are not enough alone, one shared label such as "Close Date" neither). A plain
    spreadsheet fits a kind when a field that identifies the kind is mapped (a deal id, a
    stage, an email...), or the headers name it. The score adds up: required fields mapped
    (0.45), fields only this kind has (0.2), fields mapped (0.1), headers no other kind's
    mapping claims (0.1) and, for a named CRM, its markers (up to 0.25) — so a CRM's own
    export beats the same columns read as a plain spreadsheet, and a file that fills a
    kind's required fields beats one that only shares a few names with it.
    """
    norms = [normalise_header(h) for h in headers]
    lights = [_light(h) for h in headers]
    exacts = [_exact(h) for h in headers]
    profile = _Profile(samples)
    generic_maps = {k: _suggest(k, "generic", headers, norms, profile) for k in KINDS}
    claims: dict[str, set[str]] = {}
    for kind, mapping in generic_maps.items():
        for header in mapping.values():
            claims.setdefault(header, set()).add(kind)
    found: list[Detection] = []
    for kind in KINDS:
        for preset in PRESETS:
            reasons: list[str] = []
            if preset == "generic":
                mapping = generic_maps[kind]
                if not _anchored(kind, mapping, norms):
                    continue
                marker = 0.0
            else:
                if kind not in PRESETS[preset].markers:
                    continue
                hits, shared = _marker_hits(preset, kind, headers, lights, exacts, profile)
                if not hits or len(hits) + len(shared) < 2:
                    continue
                mapping = _suggest(kind, preset, headers, norms, profile)
                marker = min(1.0, (len(hits) + 0.5 * len(shared)) / 4)
                reasons.append(f"{PRESETS[preset].label} {kind} headers: " + ", ".join(hits[:6]))
            missing = missing_required(kind, mapping)
            met = len(REQUIRED[kind]) - len(missing)
            own = sum(f in mapping for f in _OWN_FIELDS[kind])
            headers_used = set(mapping.values())
            alone = sum(claims.get(h, {kind}) <= {kind} for h in headers_used)
            score = (
                0.45 * met / len(REQUIRED[kind])
                + 0.2 * min(1.0, own / 3)
                + 0.1 * min(1.0, len(headers_used) / 6)
                + 0.1 * min(1.0, alone / 2)
                + 0.25 * marker
            )
            reasons.append(f"{len(mapping)} fields mapped: " + ", ".join(mapping))
            if missing:
                reasons.append("missing: " + "; ".join(missing))
            found.append(Detection(kind, preset, round(score, 4), tuple(reasons)))
    found = _refined_first(found)
    found.sort(key=lambda d: (-d.score, KINDS.index(d.kind), list(PRESETS).index(d.preset)))
    return found


def _refined_first(found: list[Detection]) -> list[Detection]:
    """A CRM's own reading outranks the broader preset it refines for the same kind (a
    纷享销客 export is a Chinese CRM export too, read better with 纷享销客's names)."""
    best = {(d.kind, d.preset): d.score for d in found}
    out = []
    for d in found:
        base = PRESETS[d.preset].refines
        floor = best.get((d.kind, base)) if base else None
        if floor is not None and d.score <= floor:
            d = Detection(d.kind, d.preset, round(floor + 0.001, 4), d.reasons)
        out.append(d)
    return out


# -- value mappings --------------------------------------------------------------------------------
_VALUE_MODULES = (
    generic,
    hubspot,
    salesforce,
    pipedrive,
    zoho,
    chinese_crm,
    fxiaoke,
    neocrm,
    dingtalk,
    jiandaoyun,
    kingdee_yonyou,
)


def _table(attr: str) -> Mapping[str, str]:
    """value key -> outcome (or motion), from every alias module's ``attr`` table. A word two
    modules file under different answers is a mistake in the data: refused at import."""
    out: dict[str, str] = {}
    for module in _VALUE_MODULES:
        for answer, words in getattr(module, attr).items():
            for w in words:
                key = _value_key(w)
                if out.setdefault(key, answer) != answer:
                    raise ValueError(f"{w!r} is both {out[key]} and {answer} ({attr})")
    return MappingProxyType(out)


STAGE_OUTCOME: Mapping[str, str] = _table("STAGES")


def stage_outcome(stage: str) -> str | None:
    """won / lost / open for a stage name a preset knows; None when unknown (custom pipelines
    differ per company, so the user decides those in the mapping step)."""
    if _is_blank(stage):
        return None
    key = _value_key(stage)
    if key in STAGE_OUTCOME:
        return STAGE_OUTCOME[key]
    core = _core(key)  # "Closed Won (100%)"
    if core in STAGE_OUTCOME:
        return STAGE_OUTCOME[core]
    squashed = key.replace(" ", "")  # "ClosedWon", "Closed-Won" -> closedwon
    if squashed in STAGE_OUTCOME:
        return STAGE_OUTCOME[squashed]
    return STAGE_OUTCOME.get(normalise_header(stage))  # "ClosedWon" as camelCase


# A stage written as an id or a code, not a name: 销售易's saleStageId (1318525), a pipeline's
# stage number (3), a code (S2, stage_4). No preset can tell what such a value means.
_STAGE_ID = re.compile(r"\d{1,19}(?:\.0)?|[A-Za-z]{1,6}[-_ ]?\d{1,6}")
# Fields that say a deal's outcome without its stage (compile.py's outcome expression).
OUTCOME_WITHOUT_STAGE = frozenset({"status", "is_won", "is_closed", "won_at", "lost_at"})
IDS_SHOWN = 10


@dataclass(frozen=True)
class StageIds:
    """A stage column that holds ids or codes, not names: the outcome of each id is the user's
    to say (the wizard's Stage → outcome table, ``--stage ID=won`` on the command line);
    until every id has one the import is refused, never read as all open."""

    file: str
    column: str
    ids: tuple[str, ...]  # every id in the file
    unmapped: tuple[str, ...]  # the ids whose outcome nobody has said yet

    def message(self, lang: str) -> str:
        shown = ", ".join(self.ids[:IDS_SHOWN]) + ("…" if len(self.ids) > IDS_SHOWN else "")
        return translate(
            "import.stage_ids",
            lang,
            file=self.file,
            column=self.column,
            ids=shown,
            count=len(self.ids),
        )

    def refusal_details(self) -> dict[str, object]:
        shown = ", ".join(self.unmapped[:IDS_SHOWN])
        return {
            "column": self.column,
            "ids": shown + ("…" if len(self.unmapped) > IDS_SHOWN else ""),
        }


def is_stage_id(value: str) -> bool:
    """An id or code (1318525, 3, S2), not a stage name a preset knows."""
    text = str(value).strip()
    return bool(_STAGE_ID.fullmatch(text)) and stage_outcome(text) is None


def stage_ids(
    file: str,
    column: str,
    values: Sequence[str],
    said: Mapping[str, str],
    mapped: Sequence[str] = (),
) -> StageIds | None:
    """The column's stage ids, when every value of it is one and no other field of ``mapped``
    says the outcome (a status column, won/lost times, IsWon); ``said``: the outcomes the user
    chose or confirmed before, by value."""
    values = [v for v in values if not _is_blank(v)]
    if not values or OUTCOME_WITHOUT_STAGE & set(mapped):
        return None
    if not all(is_stage_id(v) for v in values):
        return None
    return StageIds(
        file=file,
        column=column,
        ids=tuple(values),
        unmapped=tuple(v for v in values if v not in said),
    )


# Lead sources by motion: pull = the buyer came to us (marketing), push = we went to them
# (sales outreach). Sources that can be either (Partner, Import, Other) stay None; each
# module's SOURCES table says why for the values that are not obvious.
_MOTION_EXACT: Mapping[str, str] = _table("SOURCES")
_PUSH_WORDS = re.compile(
    r"\b(outbound|outreach|cold|sdr|bdr|prospect\w*|purchased|telemarketing)\b|电销|外呼|陌拜|地推|主动开发|电话拜访|上门拜访|销售开发"
)
_PULL_WORDS = re.compile(
    r"\b(organic|seo|sem|paid|ads?|ppc|search|social|newsletter|webinar|content|blog|website|"
    r"inbound|referrals?|chat|display|marketing|nurture|youtube|linkedin ads|facebook|google)\b"
    r"|官网|广告|推广|公众号|转介绍|客户介绍|展会|直播|内容"
)


def guess_motion(source: str) -> str | None:
    """'pull' or 'push' for well-known lead-source names; None when it could be either (the
    workspace's source_motion table, edited by the user, has the last word)."""
    if _is_blank(source):
        return None
    key = _value_key(source)
    if key in _MOTION_EXACT:
        return _MOTION_EXACT[key]
    if _PUSH_WORDS.search(key):
        return "push"
    if _PULL_WORDS.search(key):
        return "pull"
    return None
