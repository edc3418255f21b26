"""The catalogues of UI text, English and Simplified Chinese, and the one function that reads
them. Below every other layer (the importer says its refusals with it, the pages through
``components.i18n.t``), so it imports nothing of the project.

Catalogues are JSON files under ``locales/<lang>/``; each page owns one file, so several people
can add strings without touching the same file. Keys are ``<area>.<name>``. Placeholders use
``str.format`` names: ``translate("overview.compared_with", "zh", days=30)``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent
LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    if not lang.isalpha():  # a language code names a folder, never a path
        return merged
    for path in sorted((LOCALES_DIR / lang).glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        clash = merged.keys() & entries.keys()
        if clash:
            raise ValueError(f"{path}: keys defined twice: {sorted(clash)}")
        merged.update(entries)
    return merged


def translate(key: str, lang: str, **kwargs: object) -> str:
    """The text for ``key`` in ``lang``, falling back to English, then to the key itself."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**kwargs) if kwargs else text
