"""The global filters in the sidebar, kept across pages and mirrored in the URL.

The widgets live in app.py's sidebar, so Streamlit keeps their state while pages change; the
URL (``st.query_params``) carries the same values so a view can be shared by link.
"""

from __future__ import annotations

from datetime import date

import streamlit as st
from babel.dates import format_date, format_skeleton

from components.fmt import Formatter
from components.i18n import current_language, t, translate
from components.ui import state
from queries import period, plans
from queries.filters import Filters
from queries.workspace import Workspace

DIMENSIONS = {"segment": "segments", "region": "regions", "product": "products", "owner": "owners"}
_KEY = "filter_"
# Set by the Market page when a target decision is saved; applied before the widgets exist.
SEGMENT_PENDING_KEY = "filter_segment_pending"


def options(ws: Workspace) -> dict[str, list[str]]:
    df = ws.query("filter_options")
    return {dim: df.loc[df["dimension"] == dim, "value"].tolist() for dim in DIMENSIONS}


def _from_url(key: str) -> list[str]:
    return [v for v in st.query_params.get_all(key) if v]


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def render(ws: Workspace) -> Filters:
    """Draw the filter widgets in the sidebar and return the filters they select."""
    opts = state.call(options)
    first, last = state.call(period.data_range)
    default_from, default_to = period.default_period(first, last)
    if f"{_KEY}period" not in st.session_state:
        url_from = _parse_date(st.query_params.get("from"))
        url_to = _parse_date(st.query_params.get("to"))
        start = url_from if url_from else default_from
        end = url_to if url_to else default_to
        st.session_state[f"{_KEY}period"] = (start, end)
        targets = state.call(plans.target_segments)
        for dim in DIMENSIONS:
            chosen = [v for v in _from_url(dim) if v in opts[dim]]
            if dim == "segment" and not _from_url(dim):  # the target market is the default
                chosen = [s for s in targets if s in opts[dim]]
            st.session_state[f"{_KEY}{dim}"] = chosen
    pending = st.session_state.pop(SEGMENT_PENDING_KEY, None)
    if pending is not None:  # a target decision just saved on the Market page
        st.session_state[f"{_KEY}segment"] = [v for v in pending if v in opts["segment"]]

    st.sidebar.subheader(t("filters.title"))
    picked = st.sidebar.date_input(
        t("filters.period"),
        key=f"{_KEY}period",
        format="YYYY-MM-DD",
        help=t("filters.period_help"),
    )
    chosen = {}
    for dim in DIMENSIONS:
        chosen[dim] = st.sidebar.multiselect(
            t(f"filters.{dim}"), opts[dim], key=f"{_KEY}{dim}", placeholder=t("filters.all")
        )
        if dim == "segment":
            targets = state.call(plans.target_segments)
            if targets and sorted(chosen[dim]) == sorted(s for s in targets if s in opts[dim]):
                st.sidebar.caption(t("filters.segment_is_target"))
    if isinstance(picked, tuple) and len(picked) == 2:
        date_from, date_to = picked
    else:  # the user has picked only the first day so far
        date_from = picked[0] if isinstance(picked, tuple) and picked else default_from
        date_to = default_to if date_from <= default_to else date_from
    note = period_note(date_from, date_to, state.call(period.activity_span)[1], state.formatter())
    if note:
        st.sidebar.caption(note)
    filters = Filters(
        date_from=date_from,
        date_to=date_to,
        segments=tuple(chosen["segment"]),
        regions=tuple(chosen["region"]),
        products=tuple(chosen["product"]),
        owners=tuple(chosen["owner"]),
    )
    return filters


def period_note(
    date_from: date, date_to: date, last: date | None, fmt: Formatter, lang: str | None = None
) -> str:
    """The caption under the period when the data end inside its last month, e.g. "Nov 1, 2025
    – Oct 14, 2026 (October partial: data end on Oct 14)"; "" when every month is whole. The
    month and the last day are written in the language of the sentence (the workspace locale's
    when it is that language)."""
    cut = period.partial_end(date_from, date_to, last)
    if cut is None:
        return ""
    lang = lang or current_language()
    words = fmt.locale if fmt.locale.split("_")[0] == lang else lang
    return translate(
        "period.partial_month",
        lang,
        start=fmt.date(date_from),
        end=fmt.date(date_to),
        month=format_date(cut, "LLLL", locale=words),
        last=format_skeleton("MMMd", cut, locale=words),
    )


def to_query_params(filters: Filters) -> dict[str, str | list[str]]:
    """The URL form of the filters (what ``st.query_params`` should hold)."""
    params: dict[str, str | list[str]] = {
        "from": filters.date_from.isoformat(),
        "to": filters.date_to.isoformat(),
    }
    for dim, field in DIMENSIONS.items():
        values = list(getattr(filters, field))
        if values:
            params[dim] = values
    return params
