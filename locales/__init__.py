"""The catalogues of UI text, English and Simplified Chinese, and the one function that reads
them. Below every other layer (the importer says its refusals with it, the pages through
``components.i18n.t``), so it imports nothing of the project.

Catalogues are JSON files under ``locales/<lang>/``; each page owns one file, so several people
can add strings without touching the same file. Keys are ``<area>.<name>``. Placeholders use
``str.format`` names: ``translate("overview.compared_with", "zh", days=30)``.

A text that counts something may have plural forms: an object of CLDR categories,
``{"one": "{count} open deal", "other": "{count} open deals"}``, chosen by the ``count``
argument (or ``n``; or the argument named by an optional ``"by"`` member). English has "one"
and "other"; Chinese has one form, so its entry stays a plain string. Every form keeps the
placeholder: the figure is the caller's, never a literal 1 in the catalogue.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from babel import Locale

LOCALES_DIR = Path(__file__).parent
LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"


# A catalogue entry: a text, or a text per plural category ("one", "other", ...).
Entry = str | dict[str, str]
PLURAL_MEMBERS = {"zero", "one", "two", "few", "many", "other", "by"}


@cache
def catalogue(lang: str) -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    if not lang.isalpha():  # a language code names a folder, never a path
        return merged
    for path in sorted((LOCALES_DIR / lang).glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        for key, entry in entries.items():
            if isinstance(entry, dict) and (
                "other" not in entry or not entry.keys() <= PLURAL_MEMBERS
            ):
                raise ValueError(f"{path}: {key}: plural forms need 'other' and CLDR categories")
        clash = merged.keys() & entries.keys()
        if clash:
            raise ValueError(f"{path}: keys defined twice: {sorted(clash)}")
        merged.update(entries)
    return merged


def forms(entry: Entry) -> dict[str, str]:
    """An entry's texts by plural category; a plain text is its own "other" form."""
    if isinstance(entry, str):
        return {"other": entry}
    return {k: v for k, v in entry.items() if k != "by"}


def _number(value: object) -> int | float | Decimal | None:
    """The figure a count argument stands for: a number, or a written one ("1", "1,234");
    None for what is no plain figure ("1.2万", "—")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):  # as str.format writes it: 1.0 is "1.0 days", not one
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", "").replace("\u202f", ""))
        except InvalidOperation:
            return None
    if hasattr(value, "item"):  # numpy integers and floats
        return _number(value.item())
    return None


def plural_category(lang: str, count: object) -> str:
    """The CLDR plural category of ``count`` in ``lang``: English 1 → "one", 2 → "other";
    Chinese always "other"."""
    number = _number(count)
    if number is None:
        return "other"
    try:
        return Locale.parse(lang).plural_form(number)
    except ValueError:
        return "other"


def choose(entry: Entry, lang: str, kwargs: dict[str, object]) -> str:
    """The text of ``entry`` for these arguments: its plural form for the count."""
    if isinstance(entry, str):
        return entry
    names = [entry["by"]] if "by" in entry else ["count", "n"]
    count = next((kwargs[name] for name in names if name in kwargs), None)
    texts = forms(entry)
    return texts.get(plural_category(lang, count)) or texts["other"]


def translate(key: str, lang: str, **kwargs: object) -> str:
    """The text for ``key`` in ``lang``, falling back to English, then to the key itself."""
    if catalogue(lang).get(key):
        entry, used = catalogue(lang)[key], lang
    else:
        entry, used = catalogue(DEFAULT_LANGUAGE).get(key) or key, DEFAULT_LANGUAGE
    text = choose(entry, used, kwargs)
    return text.format(**kwargs) if kwargs else text
