"""Every view, keyed ``page.chart``: present mode, the meeting pack and ``flywheel export``
take keys from here, and the pages call the same functions.

A view is registered with ``@view("<page>", "<chart>")``. Its extra keyword arguments (a year,
a tab's control) must have defaults: the default is what the page shows first, and what the
registry draws. ``pack=False`` keeps a view out of its page's preset pack (a table, a chart
that only answers an in-page question).
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from views.spec import ChartSpec, Context

log = logging.getLogger("flywheel.views")

# One module per page, in the app's menu order (a deck follows the app).
PAGE_MODULES = ("overview", "market", "strategy_4p", "campaigns", "funnel", "scenarios", "data")

View = Callable[..., ChartSpec]


@dataclass(frozen=True)
class Entry:
    page: str
    key: str  # page + "." + chart
    build: View
    pack: bool  # in the page's preset pack


REGISTRY: dict[str, Entry] = {}


def view(page: str, chart: str, *, pack: bool = True) -> Callable[[View], View]:
    """Register ``fn(ctx, **defaults) -> ChartSpec`` under ``page.chart`` (decorator). The
    registered function asks ``ctx.charts`` (the app's chart cache) when the context has one."""

    def register(fn: View) -> View:
        key = f"{page}.{chart}"
        if key in REGISTRY:
            raise ValueError(f"view {key!r} registered twice")

        @functools.wraps(fn)
        def run(ctx: Context, *args: object, **kwargs: object) -> ChartSpec:
            if ctx.charts is None:
                return fn(ctx, *args, **kwargs)
            return ctx.charts(key, fn, ctx, args, kwargs)

        REGISTRY[key] = Entry(page, key, run, pack)
        return run

    return register


def _load() -> None:
    for name in PAGE_MODULES:
        importlib.import_module(f"views.{name}")


def entries() -> list[Entry]:
    """Every view, in the menu order of its page and the declaration order within it."""
    _load()
    order = {p: i for i, p in enumerate(PAGE_MODULES)}
    listed = enumerate(REGISTRY.values())  # the declaration order (dicts keep it)
    ranked = sorted(listed, key=lambda ie: (order.get(ie[1].page, len(order)), ie[0]))
    return [e for _, e in ranked]


def pack_pages() -> list[str]:
    """Pages with a preset pack, in the app's menu order."""
    return list(dict.fromkeys(e.page for e in entries() if e.pack))


def preset(page: str) -> list[str]:
    """The keys of a page's preset pack."""
    return [e.key for e in entries() if e.pack and e.page == page]


def pack_keys() -> list[str]:
    return [e.key for e in entries() if e.pack]


def build(
    ctx: Context,
    *,
    pages: Sequence[str] | None = None,
    keys: Sequence[str] | None = None,
) -> list[ChartSpec]:
    """The charts of the chosen pages' presets (every preset when both are None) or of the
    chosen keys (any view), in the app's menu order. One broken chart is logged and left out:
    it must not cost a meeting its whole pack."""
    listed = entries()
    known_pages = {e.page for e in listed}
    unknown = [k for k in (keys or ()) if k not in REGISTRY]
    unknown += [p for p in (pages or ()) if p not in known_pages]
    if unknown:
        raise ValueError(f"unknown charts or pages: {unknown}")
    if keys is not None:
        chosen = [e for e in listed if e.key in keys]
    else:
        chosen = [e for e in listed if e.pack and (pages is None or e.page in pages)]
    specs = []
    for e in chosen:
        try:
            specs.append(e.build(ctx))
        except Exception:
            log.exception("chart %s failed", e.key)
    return specs
