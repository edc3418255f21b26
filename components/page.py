"""What every page shares: the current filters, the header, and the motion labels."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.i18n import t
from queries.filters import Filters

FILTERS_KEY = "_filters"


def filters() -> Filters:
    """The filters chosen in the sidebar (set by app.py before the page runs)."""
    return st.session_state.get(FILTERS_KEY, Filters())


def motion_labels() -> dict[str, str]:
    return {
        "pull": t("motion.pull"),
        "push": t("motion.push"),
        "overall": t("motion.overall"),
        "unmapped": t("motion.unmapped"),
    }


def header(title_key: str, intro_key: str | None = None) -> None:
    st.title(t(title_key))
    if intro_key:
        st.caption(t(intro_key))


def period_caption(f: Filters) -> str:
    from components import state

    fmt = state.formatter()
    return t("common.period", start=fmt.date(f.date_from), end=fmt.date(f.date_to))


def chart(
    fig,
    *,
    caption: str,
    key: str | None = None,
    data: pd.DataFrame | None = None,
    takeaway: str | None = None,
) -> None:
    """Show a figure with its 'how it was computed' caption under it.

    ``data`` is the table behind the chart (exported with it) and ``takeaway`` the one-line
    message a meeting should remember; both are optional and feed exports and present mode.
    """
    from components import state

    del data, takeaway  # used by the export and present mode (issue 8)

    fig.update_layout(separators=state.formatter().plotly_separators)
    st.plotly_chart(fig, key=key, config={"displaylogo": False})
    st.caption(caption)
