"""What every page shares: the current filters, the header, and the motion labels."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import pandas as pd
import streamlit as st

from components.charts import theme
from components.i18n import t
from queries.filters import Filters

FILTERS_KEY = "_filters"


def filters() -> Filters:
    """The filters chosen in the sidebar (set by app.py before the page runs)."""
    return st.session_state.get(FILTERS_KEY, Filters())


def context():
    """The views' context for this run: the open workspace, the sidebar filters, the language
    and formats, with the app's cached query calls and built charts."""
    from components.i18n import current_language
    from components.ui import state
    from views.spec import Context

    return Context(
        ws=state.workspace(),
        filters=filters(),
        lang=current_language(),
        fmt=state.formatter(),
        settings=state.settings(),
        call=state.call,
        charts=cached_view,
    )


def chart_key(view_key: str, ctx, args: tuple, kwargs: Mapping, current) -> tuple:
    """Everything a built chart depends on: the view and its arguments, the filters, the
    language and formats, the settings, the brand's colours, the workspace's data version (a
    file's writes; a lake's snapshot, which another server's write changes) and today (views
    that count from today)."""
    return (
        view_key,
        args,
        tuple(sorted(kwargs.items())),
        ctx.filters,
        ctx.lang,
        ctx.fmt,
        tuple(sorted(ctx.settings.items())),
        ctx.ws.data_version(),
        (current.primary, current.secondary) if current is not None else None,
        date.today(),
    )


def finish(fig, fmt, current) -> None:
    """Put the reader's forms (separators; in Chinese 2026年3月 and 万/亿 ticks) and the brand
    on a figure, in place."""
    theme.localise(fig, fmt)
    theme.apply_brand(fig, current)


def cached_view(view_key: str, build, ctx, args: tuple, kwargs: Mapping):
    """A registered view's ChartSpec from the app's chart cache (``Context.charts``): built
    once, finished (``finish``) and kept until the data, the settings or the brand change. The
    view runs on a context without the cache, so a view it calls is not finished twice."""
    from components.ui import state

    current = brand()

    def make():
        spec = build(dataclasses.replace(ctx, charts=None), *args, **kwargs)
        finish(spec.figure, ctx.fmt, current)
        return dataclasses.replace(spec, finished=True)

    return state.chart(chart_key(view_key, ctx, args, kwargs, current), make)


def show(spec, *, key: str | None = None) -> None:
    """Draw a view's ``ChartSpec``: the figure, its takeaway and caption, the export control
    (an empty spec draws its titled figure saying why it is empty)."""
    chart(
        spec.figure,
        caption=spec.caption,
        key=key or spec.key.replace(".", "_"),
        data=None if spec.is_empty else spec.data,
        takeaway=None if spec.is_empty else (spec.takeaway or None),
        finished=spec.finished,
    )


def motion_labels() -> dict[str, str]:
    return {
        "pull": t("motion.pull"),
        "push": t("motion.push"),
        "overall": t("motion.overall"),
        "unmapped": t("motion.unmapped"),
    }


def header(title_key: str, intro_key: str | None = None, *, page: str | None = None) -> None:
    """The page's title and intro, then what the page lacks (``readiness_notice``), the motion
    notice and the messages left for the header. ``page`` is the script name in app_pages/
    (default: the title key's area, which is the script name on every page)."""
    st.title(t(title_key))
    if intro_key:
        st.caption(t(intro_key))
    readiness_notice(page or title_key.split(".", 1)[0])
    motion_notice()
    show_flash()


def readiness_notice(page: str) -> None:
    """One short line naming what this page needs and the workspace lacks (the first gap or
    two, then how many more), and what it cannot show without it, with a link to the Data page
    (views/readiness.py says which page needs what; cached queries). It leaves out what the
    motion notice below says. Nothing on a page whose needs are met, or on the Data page."""
    from components.i18n import current_language
    from components.ui import state
    from queries import links
    from queries import readiness as readiness_queries
    from views import readiness

    if page not in readiness.PAGE_NEEDS:
        return
    deals, with_motion = state.call(links.motion_coverage)  # motion_notice's own test
    line = readiness.notice(
        state.call(readiness_queries.counts),
        page,
        current_language(),
        motion_notice=deals > with_motion,
    )
    if line:
        st.caption(line)
        st.page_link(
            "app_pages/data.py", label=t("readiness.notice_link"), icon=":material/checklist:"
        )


def tabs(key: str, sections: Mapping[str, Callable[[], None]], label_prefix: str) -> None:
    """The page's tabs, one per question (labels ``t(label_prefix + name)``). Only the open tab
    runs its section, so a click stays fast on a large workspace; present mode and the meeting
    pack draw every chart through the views instead."""
    names = list(sections)
    shown = st.tabs([t(label_prefix + n) for n in names], key=key, on_change="rerun")
    for name, tab in zip(names, shown, strict=True):
        with tab:
            if tab.open:
                sections[name]()


FLASH_KEY = "_flash"


def flash(message: str, *, section: str | None = None, level: str = "success") -> None:
    """A message to show after the next rerun (a rerun drops what was drawn), where
    ``show_flash(section)`` is called: the page header for ``None``, else the section the user
    acted in. ``level`` is success, info, warning or error."""
    st.session_state.setdefault(FLASH_KEY, []).append((section, level, message))


def saved(message: str, *, section: str | None = None) -> None:
    """After a write: drop cached results, say ``message`` once after the rerun, rerun."""
    from components.ui import state

    state.data_changed()
    flash(message, section=section)
    st.rerun()


def show_flash(section: str | None = None) -> None:
    """Show, once, the messages left for this place."""
    pending = st.session_state.get(FLASH_KEY, [])
    for where, level, text in pending:
        if where == section:
            getattr(st, level)(text)
    st.session_state[FLASH_KEY] = [m for m in pending if m[0] != section]


def refusal_lines(
    errors: Sequence[object],
    translate: Callable[..., str],
    prefix: str,
    fields: Mapping[str, str] | None = None,
    row_labels: Mapping[int, str] | None = None,
) -> list[str]:
    """One readable line per refused field, the why read from ``<prefix>.<code>``: any page's
    messages (``market.err``, ``funnel.error``, ``data.error``, …). An error has ``code`` and
    ``field``, and either ``params`` (name, value pairs, with ``row``: planning.market_sizing's
    FieldError) or ``value`` (the refused input: queries.data_admin's). The message gets the
    params, ``value`` and ``field`` (the field's label) as placeholders, and its line starts
    "<segment> · <row> · <field>: " when there are ``fields`` to name it (row 0 is the form
    itself, without a row; ``row_labels`` names rows, else "Row n")."""
    lines = []
    for e in errors:
        params = dict(getattr(e, "params", ()) or ())
        segment = params.pop("segment", None)
        field = str(getattr(e, "field", ""))
        label = (fields or {}).get(field, field)
        if hasattr(e, "value"):
            params["value"] = e.value
        why = translate(f"{prefix}.{e.code}", **{"field": label, **params})
        if fields is None:
            lines.append(why)
            continue
        where = label
        row = int(getattr(e, "row", 0) or 0)
        if row:
            name = (row_labels or {}).get(row) or translate("common.refused_row", row=row)
            where = f"{name} · {where}"
        if segment:
            where = f"{segment} · {where}"
        lines.append(f"{where}: {why}")
    return lines


def refuse(
    errors: Sequence[object],
    fields: Mapping[str, str] | None = None,
    row_labels: Mapping[int, str] | None = None,
    *,
    prefix: str = "market.err",
) -> None:
    """Say, field by field, why an edit was refused (nothing was saved). ``errors`` are the
    refused fields (``refusal_lines`` says which kinds); ``prefix`` is where the page keeps its
    messages (``market.err`` for the plan editors, ``funnel.error``, ``data.error``, …);
    ``fields`` names the fields in the reader's language (None: the messages name them)."""
    lines = refusal_lines(errors, t, prefix, fields, row_labels)
    st.error(t("common.refused") + "\n\n" + "\n".join(f"- {html.escape(x)}" for x in lines))


def motion_notice() -> None:
    """Say so on every page when deals have no pull/push motion: they count in totals but in
    neither engine, and a pull-vs-push chart without them is not the whole company."""
    from components.ui import state
    from queries import links

    deals, with_motion = state.call(links.motion_coverage)
    missing = deals - with_motion
    if not missing:
        return
    fmt = state.formatter()
    if with_motion == 0:
        st.warning(t("links.notice_none", deals=fmt.number(deals)), icon=":material/link_off:")
    else:
        st.caption(
            t(
                "links.notice_some",
                missing=fmt.number(missing),
                deals=fmt.number(deals),
                share=fmt.pct(missing / deals),
            )
        )
    st.page_link("app_pages/data.py", label=t("links.notice_link"), icon=":material/link:")


def period_caption(f: Filters) -> str:
    from components.ui import state
    from queries import period

    fmt = state.formatter()
    text = t("common.period", start=fmt.date(f.date_from), end=fmt.date(f.date_to))
    undated = state.call(period.undated_records)
    if undated:  # no lead or deal has a date: the period holds none of them, say so
        text += " · " + t("period.no_dates", count=fmt.number(undated))
    return text


def brand():
    """The open workspace's brand (name, colours, logo), cached with the other settings."""
    from components.ui import state
    from queries import branding

    return state.call(branding.brand)


def chart(
    fig,
    *,
    caption: str,
    key: str | None = None,
    data: pd.DataFrame | None = None,
    takeaway: str | None = None,
    finished: bool = False,
) -> None:
    """Show a figure with its 'how it was computed' caption under it and an export control.

    ``data`` is the table behind the chart (exported with it) and ``takeaway`` the one-line
    message a meeting should remember; both feed the exports and present mode. A ``finished``
    figure (the chart cache's) is already in the reader's forms and the brand, and shared: it
    is drawn as it is, never changed.
    """
    from components.ui import state

    current = brand()
    if not finished:
        finish(fig, state.formatter(), current)
    st.plotly_chart(fig, key=key, config={"displaylogo": False})
    text, control = st.columns([12, 1], vertical_alignment="top")
    with text:
        if takeaway:
            st.markdown(f"**{escape_md(takeaway)}**")
        st.caption(caption)
    with control:
        export_control(fig, key=key or _fallback_key(fig), data=data, brand=current)


def escape_md(text: str) -> str:
    """Markdown-safe text: CRM values in a takeaway must not become links or formatting."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!<>|~$" else c for c in text)


def _fallback_key(fig) -> str:
    import hashlib

    title = str(fig.layout.title.text or "chart")
    return "chart_" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:10]


def _file_stem(fig) -> str:
    import re

    title = str(fig.layout.title.text or "chart")
    stem = re.sub(r"[^\w]+", "-", title, flags=re.UNICODE).strip("-").lower()
    return (stem or "chart")[:60]


def export_control(fig, *, key: str, data: pd.DataFrame | None, brand=None) -> None:
    """A compact 'Export' popover: PNG (slide size) and SVG made on click only, CSV and XLSX
    of the data behind the chart. Nothing is rendered while the page draws: each download
    button gets a function that Streamlit calls when it is clicked."""
    from components.export import images
    from components.export import tables as exports

    stem = _file_stem(fig)

    def download(kind: str, make, mime: str, icon: str) -> None:
        st.download_button(
            t(f"export.{kind}"),
            data=make,
            file_name=f"{stem}.{kind}",
            mime=mime,
            key=f"{key}__{kind}",
            on_click="ignore",
            icon=icon,
            width="stretch",
        )

    with st.popover("", icon=":material/download:", help=t("export.help")):
        if images.available():
            download("png", lambda: images.png(fig, brand=brand), "image/png", ":material/image:")
            svg = "image/svg+xml"
            download("svg", lambda: images.svg(fig, brand=brand), svg, ":material/draw:")
        else:
            st.caption(t("export.no_browser"))
        if data is not None and not data.empty:
            download("csv", lambda: exports.csv_bytes(data), "text/csv", ":material/table:")
            download(
                "xlsx",
                lambda: exports.xlsx_bytes(data),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ":material/grid_on:",
            )
        else:
            st.caption(t("export.no_data"))
