"""The Data page's data layer: what the workspace holds, the source -> motion mapping and the
workspace settings, with the validation that guards every write.

Writes validate first and change nothing when any field is invalid; valid writes run in one
transaction. Errors are returned as ``FieldError`` codes, not sentences, so the page can say
them in the reader's language (``data.error.<code>`` in the catalogues).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from babel import Locale, UnknownLocaleError
from babel.numbers import is_currency

from queries import settings as settings_q
from queries import sqlfiles
from queries.workspace import Workspace, kept_is_fresh

MOTIONS = ("pull", "push")
CONTRACT_TABLES = ("leads", "deals", "campaigns", "spend", "source_motion", "imports")
# The linked records (migration 014), counted in a second row on the Data page.
LINKED_TABLES = ("accounts", "reps", "products", "touches")
# The settings this page edits; keys as sample_data/seed.py writes and queries/metrics.py reads.
SETTING_KEYS = (
    "company_name",
    "currency",
    "locale",
    "fiscal_year_start_month",
    "pull_share_of_sales",
)
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class FieldError:
    field: str  # the setting key, or the lead source whose mapping is refused
    code: str  # what is wrong: the page shows t(f"data.error.{code}")
    value: str  # the refused input, as text


# -- reading ------------------------------------------------------------------------------------
def table_counts(ws: Workspace) -> pd.DataFrame:
    """One row per contract table with its row count."""
    return ws.query("table_counts")


def records_per_month(ws: Workspace) -> pd.DataFrame:
    """One row per table (leads, deals, spend) and month: rows dated that month, 0 = a gap."""
    df = ws.query("records_per_month", live=not kept_is_fresh(ws))
    df["month"] = pd.to_datetime(df["month"])
    return df


def source_motion(ws: Workspace) -> pd.DataFrame:
    """One row per lead source seen in leads, deals or the mapping, with its motion (None when
    unmapped) and lead and deal counts; unmapped sources first, then by leads."""
    df = ws.query("source_motion_mapping", live=not kept_is_fresh(ws))
    df["motion"] = df["motion"].astype(object).where(df["motion"].notna(), None)
    df["is_unmapped"] = df["motion"].isna()
    return df.sort_values(
        ["is_unmapped", "count_leads", "source"], ascending=[False, False, True]
    ).reset_index(drop=True)


def mapping_version(mapping: pd.DataFrame) -> str:
    """A short stamp of the mapping's content: it changes whenever any source's motion does.

    The page keys its editor with it, so edits made against one version of the mapping are
    never replayed onto another (after a save, or after someone else's save reorders rows).
    """
    text = "\n".join(f"{s}\t{m}" for s, m in zip(mapping["source"], mapping["motion"], strict=True))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def import_history(ws: Workspace) -> pd.DataFrame:
    """One row per import, newest first."""
    return ws.query("import_history")


# -- the source -> motion mapping -----------------------------------------------------------------
def import_rejects(ws: Workspace, import_id: str) -> pd.DataFrame:
    """The rejected rows of one import: row_number, column, code, value, reason."""
    return ws.query("import_rejects", import_id=import_id)


def is_blank(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def mapping_changes(before: pd.DataFrame, edited: pd.DataFrame) -> dict[str, object]:
    """The sources whose motion differs between two frames of (source, motion); a blank cell
    becomes None (= unmapped)."""
    old = {
        s: (None if is_blank(m) else m)
        for s, m in zip(before["source"], before["motion"], strict=True)
    }
    changes: dict[str, object] = {}
    for source, motion in zip(edited["source"], edited["motion"], strict=True):
        new = None if is_blank(motion) else motion
        if new != old.get(source):
            changes[source] = new
    return changes


def validate_source_motion(changes: Mapping[str, object]) -> list[FieldError]:
    """Each changed source must be named and get 'pull', 'push', or nothing (= unmapped)."""
    errors = []
    for source, motion in changes.items():
        if is_blank(source):
            errors.append(FieldError("source", "source_empty", ""))
        elif not is_blank(motion) and motion not in MOTIONS:
            errors.append(FieldError(str(source), "motion_invalid", str(motion)))
    return errors


def save_source_motion(ws: Workspace, changes: Mapping[str, object]) -> list[FieldError]:
    """Write the changed mappings in one transaction; a blank motion removes the mapping.

    Returns the validation errors; when there are any, nothing is written. The ``leads`` and
    ``deals`` views derive motion from this table, so every page follows at once (after the
    caller drops its cached results).
    """
    errors = validate_source_motion(changes)
    if errors or not changes:
        return errors
    set_q, clear_q = sqlfiles.get("set_source_motion"), sqlfiles.get("clear_source_motion")
    with ws.transaction() as cur:
        for source, motion in changes.items():
            if is_blank(motion):
                cur.execute(clear_q.sql, clear_q.bind({"source": source}))
            else:
                cur.execute(set_q.sql, set_q.bind({"source": source, "motion": motion}))
    return []


# -- workspace settings -------------------------------------------------------------------------
def _locale(text: str) -> str | None:
    """A canonical locale code ('en_US', 'zh_CN') for what the user typed, None if unknown."""
    parts = [p for p in re.split(r"[-_]", text.strip()) if p]
    if not parts or not all(p.isalpha() for p in parts):
        return None
    code = parts[0].lower()
    if len(parts) == 2:
        code += "_" + parts[1].upper()
    elif len(parts) > 2:
        code = "_".join([parts[0].lower(), parts[1].title(), *(p.upper() for p in parts[2:])])
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None
    return code


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def validate_settings(values: Mapping[str, object]) -> tuple[dict[str, str], list[FieldError]]:
    """Check the settings form and turn it into the stored text values.

    ``values`` holds company_name, currency, locale, fiscal_year_start_month and
    ``pull_share_pct`` (the share of sales spend charged to pull CAC in percent, 0-100, stored
    as ``pull_share_of_sales`` 0..1). Returns (values to store, errors), one error per field.
    """
    out: dict[str, str] = {}
    errors: list[FieldError] = []

    name = str(values.get("company_name") or "").strip()
    if not name:
        errors.append(FieldError("company_name", "company_empty", name))
    elif len(name) > MAX_NAME_LENGTH:
        errors.append(FieldError("company_name", "company_too_long", name[:40] + "…"))
    else:
        out["company_name"] = name

    raw_currency = str(values.get("currency") or "")
    currency = raw_currency.strip().upper()
    if re.fullmatch(r"[A-Z]{3}", currency) and is_currency(currency):
        out["currency"] = currency
    else:
        errors.append(FieldError("currency", "currency_invalid", raw_currency))

    raw_locale = str(values.get("locale") or "")
    locale = _locale(raw_locale)
    if locale:
        out["locale"] = locale
    else:
        errors.append(FieldError("locale", "locale_invalid", raw_locale))

    month = _number(values.get("fiscal_year_start_month"))
    if month is not None and month.is_integer() and 1 <= month <= 12:
        out["fiscal_year_start_month"] = str(int(month))
    else:
        errors.append(
            FieldError(
                "fiscal_year_start_month",
                "month_invalid",
                str(values.get("fiscal_year_start_month")),
            )
        )

    share = _number(values.get("pull_share_pct"))
    if share is not None and 0 <= share <= 100:
        out["pull_share_of_sales"] = f"{round(share / 100, 6):g}"
    else:
        errors.append(
            FieldError("pull_share_of_sales", "share_invalid", str(values.get("pull_share_pct")))
        )
    return out, errors


def save_settings(ws: Workspace, values: Mapping[str, object]) -> list[FieldError]:
    """Validate the settings form and store it in one transaction; nothing when invalid."""
    stored, errors = validate_settings(values)
    if errors:
        return errors
    with ws.transaction() as cur:
        for key in SETTING_KEYS:
            settings_q.write(cur, key, stored[key])
    return []
