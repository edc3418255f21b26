"""The app's shared state: the open workspace, cached query calls, the locale formatter.

Caching sits at this edge only (STYLE.md 14): one ``st.cache_resource`` opens each workspace
file once per process; ``call`` memoises plain query functions, which stay uncached and
directly testable. Any write to the workspace must call ``data_changed`` so cached results are
dropped.

Each session chooses which workspace it has open (the sidebar switcher, or the import wizard
after it starts a new workspace): the choice lives in ``st.session_state[OPEN_KEY]`` and
defaults to ``default_path()`` (``FLYWHEEL_DB`` or the sample company). The switcher offers the
workspace files in the folder of that default workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from components.fmt import Formatter
from queries.workspace import SAMPLE_PATH, Workspace, default_path

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Workspace:
    p = Path(path)
    if not p.exists() and p.resolve() == SAMPLE_PATH.resolve():
        # First start without `make run`: build the sample company so the dashboard is full.
        from sample_data.seed import build_sample_workspace

        build_sample_workspace(p)
    return Workspace(p)


OPEN_KEY = "workspace_open"
# Sidebar filters hold values of the workspace they were drawn for (its segments, its date
# range): a switch drops them so they start again from the new workspace's data.
_FILTER_PREFIX = "filter_"
_FILTER_PARAMS = ("from", "to", "segment", "region", "product", "owner")


def open_path() -> Path:
    """The workspace file this session has open."""
    chosen = st.session_state.get(OPEN_KEY)
    return Path(chosen) if chosen else default_path().resolve()


def workspace_folder() -> Path:
    """The folder whose workspaces the sidebar offers: the default workspace's folder."""
    return default_path().resolve().parent


def workspace() -> Workspace:
    """The workspace this session looks at (chosen in the sidebar, else ``FLYWHEEL_DB`` or the
    sample workspace)."""
    return _open(str(open_path()))


def switch_workspace(path: Path) -> None:
    """Open ``path`` in this session from the next run on (the caller reruns, or this runs in
    a widget callback, which reruns anyway)."""
    target = str(Path(path).resolve())
    if target == str(open_path()):
        return
    st.session_state[OPEN_KEY] = target
    reset_filters()
    data_changed()


def reset_filters() -> None:
    """Let the sidebar filters start again from the workspace's data (its date range, its
    segments): after a switch, or an import that changed the range of the data."""
    for key in [k for k in st.session_state if str(k).startswith(_FILTER_PREFIX)]:
        del st.session_state[key]
    for name in _FILTER_PARAMS:
        if name in st.query_params:
            del st.query_params[name]


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(
    _func: Callable[..., Any],
    func_id: str,
    _ws: Workspace,
    ws_path: str,
    args: tuple,
    kwargs: tuple,
) -> Any:
    return _func(_ws, *args, **dict(kwargs))


def call(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``func(workspace(), *args, **kwargs)``, memoised per workspace and arguments."""
    ws = workspace()
    func_id = f"{func.__module__}.{func.__qualname__}"
    return _cached(func, func_id, ws, ws.data_version(), args, tuple(sorted(kwargs.items())))


def data_changed() -> None:
    """Drop every cached query result after a write."""
    _cached.clear()
    _settings.clear()


@st.cache_data(show_spinner=False)
def _settings(_ws: Workspace, ws_path: str) -> dict[str, str]:
    return _ws.settings()


def settings() -> dict[str, str]:
    ws = workspace()
    return _settings(ws, ws.data_version())


def formatter() -> Formatter:
    """The workspace's currency in the forms of the reader's language (万/亿 and 年月日 in
    Chinese; the workspace locale in English)."""
    from components.i18n import current_language

    s = settings()
    return Formatter.safe(s.get("locale"), s.get("currency"), current_language())
