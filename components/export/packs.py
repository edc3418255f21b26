"""Meeting packs: the registered views (``views.registry``) in the app's menu order, with a
cover, the filters, the data date and the shared KPIs; rendered by ``pack_html`` and
``pack_pptx``. Present mode, the app's pack download and ``flywheel export`` all draw from here,
and the charts are the pages' own view functions, so a meeting sees what the pages show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from components.charts import theme
from components.fmt import Formatter
from components.i18n import translate
from queries import period
from queries.filters import ALL_FROM, ALL_TO, Filters
from queries.workspace import Workspace
from views import overview as overview_views
from views import registry, scoreboard
from views.spec import ChartSpec, Context
from views.spec import context as view_context

__all__ = [
    "ChartSpec",
    "LeftOut",
    "PackMeta",
    "build",
    "context",
    "pages",
    "preset",
    "render_pack",
    "split",
]


@dataclass(frozen=True)
class LeftOut:
    """A chart the deck leaves out, and why: a slide that says "no data" teaches a meeting
    nothing, so the closing slide lists these instead."""

    title: str
    reason: str


def split(specs: Sequence[ChartSpec]) -> tuple[list[ChartSpec], list[LeftOut]]:
    """The charts with something to show, in order, and the empty ones with their reasons."""
    shown = [s for s in specs if not s.is_empty]
    left_out = [LeftOut(s.title, s.empty_reason or "") for s in specs if s.is_empty]
    return shown, left_out


def pages() -> list[str]:
    """Pages with a preset pack, in the app's menu order."""
    return registry.pack_pages()


def preset(page: str) -> list[str]:
    """The keys of a page's preset pack."""
    return registry.preset(page)


def context(ws: Workspace, filters: Filters, lang: str = "en") -> Context:
    return view_context(ws, filters, lang)


def build(
    ws: Workspace,
    filters: Filters,
    *,
    lang: str = "en",
    pages: Sequence[str] | None = None,
    keys: Sequence[str] | None = None,
) -> list[ChartSpec]:
    """The charts of the chosen pages' presets (all pages when None) or of the chosen keys,
    in the app's menu order, each figure in the reader's forms (2026年3月, 万/亿 ticks)."""
    ctx = context(ws, filters, lang)
    specs = registry.build(ctx, pages=pages, keys=keys)
    for spec in specs:
        theme.localise(spec.figure, ctx.fmt)
    return specs


# -- what every pack says about itself ----------------------------------------------------------
def describe_filters(filters: Filters, fmt: Formatter, lang: str) -> str:
    """'Period 1 Nov 2025 – 31 Oct 2026 · Segment: SMB, Mid-market · ...' in ``lang``."""
    parts = []
    if filters.date_from == ALL_FROM and filters.date_to == ALL_TO:
        parts.append(translate("pack.all_time", lang))
    else:
        parts.append(
            translate("filters.period", lang)
            + " "
            + translate(
                "common.period",
                lang,
                start=fmt.date(filters.date_from),
                end=fmt.date(filters.date_to),
            )
        )
    for name, values in (
        ("segment", filters.segments),
        ("region", filters.regions),
        ("product", filters.products),
        ("owner", filters.owners),
    ):
        label = translate(f"filters.{name}", lang)
        shown = ", ".join(values) if values else translate("filters.all", lang)
        parts.append(f"{label}: {shown}")
    return " · ".join(parts)


def kpi_summary(ws: Workspace, filters: Filters, lang: str = "en") -> pd.DataFrame:
    """The shared KPIs (the Overview's scoreboard) for the closing slide: one row per KPI with
    the label, overall, pull and push values formatted, and the overall change against the
    previous period."""
    ctx = context(ws, filters, lang)
    board = overview_views.scoreboard_rows(ctx)
    out = []
    for kpi in scoreboard.SCOREBOARD:
        part = board[board.kpi == kpi.key].set_index("group")
        out.append(
            {
                "kpi": kpi.key,
                "label": ctx.t(f"kpi.{kpi.key}"),
                "overall": part.loc["overall", "text"],
                "pull": part.loc["pull", "text"],
                "push": part.loc["push", "text"],
                "change": part.loc["overall", "change_text"] or "",
                "improved": part.loc["overall", "improved"],
                # why a figure is "—" or what distorts it: the slide says it under the table
                "note": part.loc["overall", "note"] if "note" in part else "",
            }
        )
    return pd.DataFrame(out)


def kpi_notes(kpis: pd.DataFrame) -> list[str]:
    """A line "<KPI>: <why>" for each shared KPI whose overall figure carries a note."""
    if "note" not in kpis:
        return []
    return [f"{r.label}: {r.note}" for r in kpis.itertuples() if r.note]


@dataclass(frozen=True)
class PackMeta:
    """The cover and footer facts shared by the HTML and PPTX writers."""

    title: str
    company: str
    filters_text: str
    data_date: str
    generated: str
    lang: str


def meta(ws: Workspace, filters: Filters, lang: str, company: str) -> PackMeta:
    ctx = context(ws, filters, lang)
    last = period.data_span(ws)[1]
    return PackMeta(
        title=ctx.t("pack.title"),
        company=company,
        filters_text=describe_filters(filters, ctx.fmt, lang),
        data_date=ctx.t("pack.data_as_of", date=ctx.fmt.date(last)),
        generated=ctx.t("pack.generated", when=ctx.fmt.date(datetime.now().date())),
        lang=lang,
    )


def render_pack(
    ws: Workspace,
    filters: Filters,
    *,
    fmt: str,
    lang: str = "en",
    pages: list[str] | tuple[str, ...] | None = None,
    keys: list[str] | tuple[str, ...] | None = None,
) -> bytes:
    """The whole pack as a file's bytes: ``fmt`` "html" or "pptx" (the app and the CLI)."""
    from components.export import pack_html, pack_pptx
    from queries import branding

    specs, left_out = split(build(ws, filters, lang=lang, pages=pages, keys=keys))
    brand = branding.brand(ws)
    info = meta(ws, filters, lang, brand.company)
    kpis = kpi_summary(ws, filters, lang)
    if fmt == "html":
        page = pack_html.render(specs, meta=info, brand=brand, kpis=kpis, left_out=left_out)
        return page.encode("utf-8")
    if fmt == "pptx":
        return pack_pptx.render(specs, meta=info, brand=brand, kpis=kpis, left_out=left_out)
    raise ValueError(f"unknown pack format {fmt!r}; expected html or pptx")
