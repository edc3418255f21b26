"""All UI text goes through ``t``: the catalogues (``locales``) in the language chosen in the
sidebar. ``t("overview.compared_with", days=30)``; outside a Streamlit run, English."""

from __future__ import annotations

from locales import (  # noqa: F401 - the catalogue and its reader, re-exported
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LOCALES_DIR,
    Entry,
    catalogue,
    forms,
    translate,
)

SESSION_KEY = "lang"


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
