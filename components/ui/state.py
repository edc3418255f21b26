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

import copy
import functools
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from components.fmt import Formatter
from queries.lake import is_target as is_lake_target
from queries.workspace import SAMPLE_PATH, Workspace, default_path, target

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Workspace:
    if is_lake_target(path):  # not through Path(): it would fold the // of s3://…
        return Workspace(target(path))
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


@functools.lru_cache(maxsize=256)
def resolved(path: Path) -> Path:
    """``path.resolve()``, once per path and process: a realpath walks the file system, and a
    rerun asks for the open workspace (FLYWHEEL_DB or the sample) dozens of times."""
    return path.resolve()


def open_path() -> Path:
    """The workspace file this session has open."""
    chosen = st.session_state.get(OPEN_KEY)
    return Path(chosen) if chosen else resolved(default_path())


def workspace_folder() -> Path:
    """The folder whose workspaces the sidebar offers: the default workspace's folder."""
    return resolved(default_path()).parent


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


class _Kept:
    """What the process keeps for every session (the query results, the built charts): at
    most ``most`` values, the least recently used dropped first, behind a lock."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value kept under ``key``, else ``build()``'s, then kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.most:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _key(*parts: Any) -> Hashable | None:
    """``parts`` as a key of what is kept, with the caches' generation (a value kept before
    they were dropped is never handed out again); None when a part cannot be hashed."""
    key = (_generation(), _frozen(parts))
    try:
        hash(key)
    except TypeError:
        return None
    return key


# A click reruns the page, which asks ``call`` for its results again, most already cached.
# st.cache_data costs ~0.6 ms a call even when it has the result (it hashes the arguments and
# inspects the function's signature each time, then unpickles a copy): 12-13 ms of a warm
# rerun of the sample's pages, 4-7 ms with this memo (bench/rerun_split.py). So the results
# are kept here, in the process (shared by sessions, as st.cache_data's are), under the
# arguments themselves, and handed out as copies: a caller may change what it gets. An
# argument that cannot be a key (a DataFrame) goes through st.cache_data as before.
_RESULTS = _Kept(512)


def call(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``func(workspace(), *args, **kwargs)``, memoised per workspace and arguments."""
    ws = workspace()
    func_id = f"{func.__module__}.{func.__qualname__}"
    items = tuple(sorted(kwargs.items()))
    version = ws.data_version()
    key = _key(func_id, version, args, items)
    if key is None:
        return _cached(func, func_id, ws, version, args, items)
    return copy.deepcopy(_RESULTS.get(key, lambda: func(ws, *args, **kwargs)))


def data_changed() -> None:
    """Drop every cached query result and built chart after a write."""
    _cached.clear()
    _generation.clear()
    _RESULTS.clear()
    _CHARTS.clear()


# -- built charts --------------------------------------------------------------------------------
# A rerun that changes nothing a chart reads (a click elsewhere on the page, a tab, the sidebar)
# must not build its plotly figure again: building it (and the view's tables behind it) costs
# more than the (cached) queries behind the figure. The finished figures are kept here, in the
# process (shared by sessions, like the query results), by everything they depend on
# (``page.chart_key``), and never copied: nobody may change a cached figure (ChartSpec.finished).
_CHARTS = _Kept(256)  # figures are small (aggregates); a session's pages hold ~60


@st.cache_data(show_spinner=False)
def _generation() -> str:
    """A token that changes whenever the query cache is dropped (``data_changed``, or any
    ``st.cache_data.clear()``): a chart built before is then never handed out again."""
    return uuid.uuid4().hex


def _frozen(value: Any) -> Hashable:
    """``value`` as a key: lists, tuples, dicts and sets by their contents (tagged with their
    kind, so that equal contents of another kind do not collide), numbers and flags tagged with
    their type (True, 1 and 1.0 are equal keys otherwise); anything else as it is."""
    if isinstance(value, (bool, int, float)):
        return (type(value).__name__, value)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *(_frozen(v) for v in value))
    if isinstance(value, dict):
        return ("dict", *sorted((_frozen(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(_frozen(v) for v in value))
    return value


def chart(key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, kept under ``key`` until the data change (``data_changed``); built each
    call when ``key`` cannot be hashed (an argument such as a DataFrame)."""
    kept = _key(key)
    return build() if kept is None else _CHARTS.get(kept, build)


def settings() -> dict[str, str]:
    """The workspace's settings (a copy; the workspace reads them once per data version)."""
    return workspace().settings()


def formatter() -> Formatter:
    """The workspace's currency in the forms of the reader's language (万/亿 and 年月日 in
    Chinese; the workspace locale in English)."""
    from components.i18n import current_language

    s = settings()
    return Formatter.safe(s.get("locale"), s.get("currency"), current_language())
