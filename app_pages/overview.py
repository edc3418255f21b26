"""Overview: the twin-engine scoreboard of shared goals and won revenue by motion."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components.charts.theme import PULL_COLOR, PUSH_COLOR
from components.i18n import current_language, t
from components.ui import page, state
from views import overview as overview_views
from views import scoreboard

f = page.filters()
fmt = state.formatter()
labels = page.motion_labels()

page.header("overview.title", "overview.intro")
st.caption(page.period_caption(f) + " · " + t("overview.compared_with", days=f.days))

ctx = page.context()
board = overview_views.scoreboard_rows(ctx)
# each card's row by (kpi, group): a boolean mask per lookup cost ~6 ms a card
cells = {(r.kpi, r.group): r for r in board.itertuples(index=False)}


def _split_line(kpi_key: str) -> str:
    """'● Pull value (change) · ● Push value (change)' in the engines' colours, escaped."""
    parts = []
    for group, color in (("pull", PULL_COLOR), ("push", PUSH_COLOR)):
        row = cells[(kpi_key, group)]
        delta = f" ({row.change_text})" if row.change is not None and pd.notna(row.change) else ""
        parts.append(
            f"<span style='color:{color};font-weight:600'>"
            f"●&nbsp;{html.escape(t(f'motion.{group}_short'))}</span>"
            f"&nbsp;{html.escape(row.text)}<span style='color:#616E7C'>{html.escape(delta)}</span>"
        )
    return "<div style='font-size:0.9rem;line-height:1.6'>" + "<br>".join(parts) + "</div>"


said = overview_views.card_notes(ctx, board)
for line in said.shared:  # a reason on several cards, once above them
    st.caption(line)
if current_language() == "zh":
    # 万 amounts with the currency's symbol ("US$1,667万") are longer than "$16.7M": a smaller
    # figure keeps them whole in a sixth of the page instead of cut to "US$1,6…"
    st.html("<style>[data-testid='stMetricValue'] > div {font-size: 1.55rem;}</style>")
columns = st.columns(len(scoreboard.SCOREBOARD))
for col, kpi in zip(columns, scoreboard.SCOREBOARD, strict=True):
    overall = cells[(kpi.key, "overall")]
    has_change = overall.change is not None and pd.notna(overall.change)
    with col.container(border=True):
        st.metric(
            t(f"kpi.{kpi.key}"),
            overall.text,
            # st.metric reads the direction from a leading ASCII "-", not the typographic minus
            delta=overall.change_text.replace("−", "-") if has_change else None,
            delta_color="inverse" if kpi.lower_is_better else "normal",
            help=" ".join([t(f"kpi.{kpi.key}.help"), *said.every[kpi.key]]),
        )
        st.html(_split_line(kpi.key))
        if said.own[kpi.key]:  # the card's first own reason; every one in its help
            st.caption(said.own[kpi.key][0])

page.show(overview_views.won_by_month(ctx), key="overview_won")

st.subheader(t("overview.side_by_side"))
st.dataframe(overview_views.side_by_side(ctx), hide_index=True, width="stretch", height="content")
st.caption(overview_views.mql_caption(ctx))
for line in overview_views.side_by_side_notes(ctx):
    st.caption(line)
st.caption(
    t(
        "overview.table_caption",
        share=fmt.pct(float(state.settings().get("pull_share_of_sales", "0") or 0), digits=0),
    )
)
