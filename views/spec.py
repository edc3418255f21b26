"""What a view returns and what it is given.

A view is a function ``(ctx: Context) -> ChartSpec``: it asks the workspace (through
``ctx.call``), builds the figure with a pure chart builder and writes the caption and the
takeaway from the figures it shows. The page, present mode, the meeting pack and
``flywheel export`` all call the same function, so a meeting hears what the screen says.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go

from components.charts import base as charts
from components.fmt import Formatter
from components.i18n import translate
from queries.filters import Filters
from queries.workspace import Workspace

T = TypeVar("T")
MOTIONS = ("pull", "push", "overall", "unmapped")


@dataclass(frozen=True)
class ChartSpec:
    key: str  # unique in the registry, e.g. "overview.won_by_month"
    page: str  # the page whose preset pack holds it
    title: str
    figure: go.Figure
    data: pd.DataFrame  # the table behind the chart, readable column names
    caption: str  # how it was computed (the metric definition)
    takeaway: str  # the one line a meeting should remember ("" when there is none)
    empty_reason: str | None = None  # why there is nothing to show; None when there is
    # the figure is already in the reader's forms and the brand (the app's chart cache made it
    # so): ``page.chart`` draws it as it is, and nobody may change it, as it is shared
    finished: bool = field(default=False, compare=False)

    @property
    def is_empty(self) -> bool:
        return self.empty_reason is not None


def direct_call(ws: Workspace) -> Callable[..., Any]:
    """``call(func, *args)`` = ``func(ws, *args)``: the pack and the CLI ask the workspace
    directly; the app passes its cached ``state.call`` instead."""

    def call(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return func(ws, *args, **kwargs)

    return call


@dataclass(frozen=True)
class Context:
    """Everything a view may read: no page globals, no Streamlit."""

    ws: Workspace
    filters: Filters
    lang: str = "en"
    fmt: Formatter = field(default_factory=Formatter)
    settings: Mapping[str, str] = field(default_factory=dict)
    call: Callable[..., Any] | None = None  # (func, *args) -> func(ws, *args), maybe cached
    # what ``once`` computed, for this context's life: without the app's cache (the pack, the
    # command line, tests) an expensive ask shared by several views runs once per export
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    # the app's chart cache, ``(key, view, ctx, args, kwargs) -> ChartSpec``: a registered view
    # goes through it (views/registry.py) instead of building its figure again on a rerun
    # that changed nothing it reads. None (the pack, the command line, tests): built each call.
    charts: Callable[..., ChartSpec] | None = field(default=None, compare=False, repr=False)

    def ask(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``func(ws, *args, **kwargs)``, through the app's cache when there is one."""
        if self.call is None:
            return func(self.ws, *args, **kwargs)
        return self.call(func, *args, **kwargs)

    def once(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``ask`` for an expensive call several views repeat (the planner's fit): the app's
        cache when there is one, else computed once per context (arguments must be hashable;
        the workspace is read-only for the context's life, as in an export)."""
        if self.call is not None:
            return self.call(func, *args, **kwargs)
        key = (id(self.ws), func, args, tuple(sorted(kwargs.items())))
        if key not in self.memo:
            self.memo[key] = func(self.ws, *args, **kwargs)
        return self.memo[key]

    def per_run(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()`` once for this context's life (one run of a page, one export), for what
        several views of a run read and the app's cache does not hold (computed from its
        results) or hands out only as copies. A context replaced with other filters shares the
        memo: ``key`` names everything the value depends on. Callers must not change it."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]

    def t(self, key: str, **kwargs: object) -> str:
        return translate(key, self.lang, **kwargs)

    @property
    def motion_labels(self) -> dict[str, str]:
        return {m: self.t(f"motion.{m}") for m in MOTIONS}

    def money(self, value: float | None) -> str:
        return self.fmt.money(value, compact=True)

    def empty(
        self, key: str, title: str, caption: str, reason: str | None = None, height: int = 420
    ) -> ChartSpec:
        """A titled chart that says why it is empty (``reason``, else "no data for these
        filters"), as tall as the chart it stands in for."""
        message = reason or self.t("common.no_data")
        fig = charts.empty_figure(title=title, message=message, height=height)
        page = key.split(".", 1)[0]
        return ChartSpec(key, page, title, fig, pd.DataFrame(), caption, message, message)


def context(ws: Workspace, filters: Filters, lang: str = "en") -> Context:
    """A context read straight from the workspace (the pack and the command line); the
    reader's language decides the forms of dates and numbers."""
    s = ws.settings()
    return Context(ws, filters, lang, Formatter.safe(s.get("locale"), s.get("currency"), lang), s)
