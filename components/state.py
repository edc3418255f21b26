"""The app's shared state: the open workspace, cached query calls, the locale formatter.

Caching sits at this edge only (STYLE.md 14): one ``st.cache_resource`` opens the workspace per
process; ``call`` memoises plain query functions, which stay uncached and directly testable.
Any write to the workspace must call ``data_changed`` so cached results are dropped.
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


def workspace() -> Workspace:
    """The workspace this session looks at (``FLYWHEEL_DB`` or the sample workspace)."""
    return _open(str(default_path().resolve()))


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
    return _cached(func, func_id, ws, str(ws.path), args, tuple(sorted(kwargs.items())))


def data_changed() -> None:
    """Drop every cached query result after a write."""
    _cached.clear()
    _settings.clear()


@st.cache_data(show_spinner=False)
def _settings(_ws: Workspace, ws_path: str) -> dict[str, str]:
    return _ws.settings()


def settings() -> dict[str, str]:
    ws = workspace()
    return _settings(ws, str(ws.path))


def formatter() -> Formatter:
    s = settings()
    return Formatter.safe(s.get("locale"), s.get("currency"))
