"""All UI text goes through ``t``: English and Simplified Chinese catalogues.

Catalogues are JSON files under ``components/locales/<lang>/``; each page owns one file, so
several people can add strings without touching the same file. Keys are ``<area>.<name>``.
Placeholders use ``str.format`` names: ``t("overview.compared_with", days=30)``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "lang"


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
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


def current_language() -> str:
    try:
        import streamlit as st

        lang = st.session_state.get(SESSION_KEY, DEFAULT_LANGUAGE)
    except Exception:  # outside a Streamlit run (tests, CLI)
        return DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **kwargs: object) -> str:
    """Translate ``key`` into the language chosen in the sidebar."""
    return translate(key, current_language(), **kwargs)
