"""Flywheel: entry point. Page config, language, workspace badge, global filters, navigation."""

from __future__ import annotations

import logging
import os
import sys
import time

import streamlit as st

from components.i18n import LANGUAGES, SESSION_KEY, t
from components.ui import auth, filter_bar, present, state
from components.ui.navigation import PAGES
from components.ui.page import FILTERS_KEY
from queries import workspaces
from queries.workspace import WorkspaceLockedError

log = logging.getLogger("flywheel")
# The shell's cost per rerun (bench/first_paint.py, FLYWHEEL_TIMING=1). The imports above run
# once per process, so a rerun's shell starts here.
_STARTED = time.perf_counter()

st.set_page_config(
    page_title="Flywheel",
    page_icon="assets/flywheel.svg",
    layout="wide",
    initial_sidebar_state="expanded",
)

# Language: from the URL on first load, then from the sidebar switch. The switch has a key of
# its own so that "lang" is only ever written before widgets exist or in the callback.
_CHOICE = "lang_choice"


def _on_language_change() -> None:
    choice = st.session_state.get(_CHOICE)
    if choice in LANGUAGES:
        st.session_state[SESSION_KEY] = choice


if st.session_state.get(SESSION_KEY) not in LANGUAGES:
    url_lang = st.query_params.get("lang", "en")
    st.session_state[SESSION_KEY] = url_lang if url_lang in LANGUAGES else "en"
st.session_state[_CHOICE] = st.session_state[SESSION_KEY]
present.init_from_url()  # a link with ?present=1 opens in present mode
st.sidebar.segmented_control(
    "Language / 语言",
    options=list(LANGUAGES),
    format_func=LANGUAGES.get,
    key=_CHOICE,
    on_change=_on_language_change,
    label_visibility="collapsed",
)

# Sign-in before anything else: with [auth] configured, nothing below runs for a visitor who
# is not signed in and on the allow-list (components/ui/auth.py).
auth.gate()

try:
    ws = state.workspace()
except WorkspaceLockedError:
    st.error(t("app.workspace_locked"))
    st.stop()

settings = state.settings()
company = settings.get("company_name") or ws.path.stem
if settings.get("is_sample") == "true":
    st.sidebar.badge(t("app.sample_badge"), icon=":material/science:", color="orange")
st.sidebar.caption(t("app.workspace_label", name=company, file=ws.path.name))

# Workspace switcher (admins only): the workspace files in the default workspace's folder, by
# name; the paths stay on the server. Like the language switch, the widget has its own key, set
# from the open workspace before it is drawn.
_WS_CHOICE = "workspace_choice"
_ws_files = workspaces.list_workspaces(state.workspace_folder())
_ws_paths = {p.stem: state.resolved(p) for p in _ws_files}
_ws_paths.setdefault(ws.path.stem, state.resolved(ws.path))


def _on_workspace_change() -> None:
    choice = st.session_state.get(_WS_CHOICE)
    if choice in _ws_paths and auth.require("switch_workspace"):
        state.switch_workspace(_ws_paths[choice])


if auth.allowed("switch_workspace"):
    st.session_state[_WS_CHOICE] = ws.path.stem
    st.sidebar.selectbox(
        t("wizard.workspace_switch"),
        options=list(_ws_paths),
        key=_WS_CHOICE,
        on_change=_on_workspace_change,
        help=(
            t("auth.switch_help")
            if auth.configured()
            else t("wizard.workspace_switch_help", folder=str(state.workspace_folder()))
        ),
    )

filters = filter_bar.render(ws)
st.session_state[FILTERS_KEY] = filters
present.sidebar_controls()

navigation = st.navigation(
    [
        st.Page(path, title=t(key), icon=icon, default=(i == 0))
        for i, (path, key, icon) in enumerate(PAGES)
    ],
    position="hidden" if present.is_on() else "sidebar",
)

# Mirror the view in the URL so it can be shared by link.
params = filter_bar.to_query_params(filters)
params["lang"] = st.session_state[SESSION_KEY]
if present.is_on():
    params[present.URL_PARAM] = "1"
elif present.URL_PARAM in st.query_params:
    del st.query_params[present.URL_PARAM]
if {k: st.query_params.get_all(k) for k in params} != {
    k: (v if isinstance(v, list) else [v]) for k, v in params.items()
}:
    st.query_params.from_dict(params)

_SHELL_DONE = time.perf_counter()
try:
    if present.is_on():
        present.render(filters)  # the meeting pack one chart per screen, instead of the page
    else:
        navigation.run()
except st.errors.StreamlitAPIException:
    raise
except Exception:  # never show a traceback: log it, tell the user what to do
    log.exception("page %s failed", navigation.title)
    st.error(t("app.page_failed"))
finally:
    # bench/first_paint.py reads these lines: what the shell (language, sign-in, workspace,
    # filters, navigation) costs every rerun, and what the page costs after it.
    if os.environ.get("FLYWHEEL_TIMING") == "1":
        _end = time.perf_counter()
        print(
            f"flywheel-timing shell_ms={(_SHELL_DONE - _STARTED) * 1000:.1f} "
            f"page_ms={(_end - _SHELL_DONE) * 1000:.1f} page={navigation.url_path or 'overview'}",
            file=sys.stderr,
            flush=True,
        )
