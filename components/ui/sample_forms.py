"""A sample company in a new workspace, in English (Northwind Analytics, USD) or Chinese
(北辰数智科技, CNY): the same generated company, so both tell the same pull vs push story
(sample_data/localise.py). The new workspace sits beside the others in the workspace folder
and opens at once; the Chinese one can switch the app to 简体中文 as it opens."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.i18n import SESSION_KEY, current_language, t
from components.ui import auth, page, state
from queries import workspaces
from sample_data.localise import LOCALES
from sample_data.params_zh import CNY_PER_USD

SECTION = "sample"
DEFAULT_NAMES = {"en": "sample-en", "zh": "sample-zh"}


def free_name(folder: Path, locale: str) -> str:
    """``sample-zh``, or ``sample-zh-2``, ``-3`` … when that workspace already exists."""
    base = DEFAULT_NAMES[locale]
    name, n = base, 1
    while workspaces.path_for(folder, name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def render() -> None:
    """The choice (English / 中文 sample), the new workspace's name and the build button."""
    st.subheader(t("sample.header"))
    st.caption(t("sample.intro"))
    page.show_flash(SECTION)
    folder = state.workspace_folder()
    locale = st.segmented_control(
        t("sample.choice"),
        options=list(LOCALES),
        format_func=lambda c: t(f"sample.choice_{c}"),
        default="zh" if current_language() == "zh" else "en",
        key="sample_locale",
    )
    locale = locale or "en"  # a cleared control falls back to English
    st.caption(t(f"sample.about_{locale}", factor=f"{CNY_PER_USD:g}"))
    name = st.text_input(
        t("sample.name"),
        value=free_name(folder, locale),
        key=f"sample_name_{locale}",
        # a shared server keeps its paths to itself: the folder's name only
        help=t("sample.name_help", folder=folder.name if auth.configured() else str(folder)),
    )
    switch = False
    if locale == "zh" and current_language() != "zh":
        switch = st.checkbox(t("sample.switch_language"), value=True, key="sample_switch_lang")
    if st.button(t("sample.build"), key="sample_build", type="primary"):
        build(folder, name, locale, switch_language=switch)


def build(folder: Path, name: str, locale: str, *, switch_language: bool = False) -> None:
    """Build the sample into a new workspace ``name`` (never over an existing file), open it,
    and rerun; a refused name is said in place."""
    from sample_data.seed import build_sample_workspace  # heavy: only when building

    if not auth.require("create_workspace"):
        return
    name = (name or "").strip()
    if not name or not workspaces.valid_name(name):
        st.error(t("sample.name_invalid", name=name, limit=workspaces.MAX_NAME_LENGTH))
        return
    path = workspaces.path_for(folder, name)
    if path.exists():
        st.error(t("sample.name_taken", name=name))
        return
    with st.spinner(t("sample.building")):
        build_sample_workspace(path, locale=locale)
    state.switch_workspace(path)
    if switch_language:
        st.session_state[SESSION_KEY] = "zh"  # read by app.py before its language switch
    page.flash(t(f"sample.built_{locale}", name=name), section=SECTION)
    st.rerun()
