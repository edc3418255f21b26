"""Charts of the Data page: DataFrame in, plotly Figure out, no Streamlit."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.charts.theme import CATEGORY_COLORS, TEMPLATE

# Tables are not motions: each keeps a neutral colour of its own, never the pull teal or the
# push orange.
TABLE_COLORS = {"leads": CATEGORY_COLORS[0], "deals": CATEGORY_COLORS[1], "spend": "#5C6B7A"}
GAP_COLOR = "#C92A2A"


def _title_and_legend_on_top(height: int, title: str | None = None) -> dict:
    """Layout placing the title, then the legend under it, at fixed pixels from the top of a
    tall figure (paper-relative positions drift with height and collide)."""
    layout: dict = {
        "legend": {"yref": "container", "y": 1 - 44 / height, "yanchor": "top", "x": 0},
        "title": {"yref": "container", "y": 1 - 14 / height, "yanchor": "top"},
    }
    if title is not None:
        layout["title"]["text"] = title
    return layout


def records_per_month(
    df: pd.DataFrame,
    *,
    title: str,
    table_labels: Mapping[str, str],
    y_title: str,
    gap_label: str = "No rows",
) -> go.Figure:
    """One panel per table (rows, shared time axis): rows dated each month as bars, and a red
    marker on the months with none, so gaps in an import stand out.

    ``df`` holds the columns of ``queries.data_admin.records_per_month`` (table_name, month,
    count_records), zeros included.
    """
    tables = list(dict.fromkeys(df["table_name"]))
    fig = make_subplots(
        rows=len(tables),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.09,
        subplot_titles=[table_labels.get(tn, tn) for tn in tables],
    )
    height = 140 + 170 * len(tables)
    has_gaps = bool((df["count_records"] == 0).any())
    fig.update_layout(
        template=TEMPLATE,
        height=height,
        margin={"t": 110 if has_gaps else 80},  # room for the gap marker's legend
        **_title_and_legend_on_top(height, title),
        bargap=0.15,
    )
    gap_shown = False
    for i, table in enumerate(tables, start=1):
        part = df[df["table_name"] == table].sort_values("month")
        label = table_labels.get(table, table)
        fig.add_trace(
            go.Bar(
                x=part["month"],
                y=part["count_records"],
                name=label,
                marker={"color": TABLE_COLORS.get(table, CATEGORY_COLORS[7])},
                showlegend=False,
                hovertemplate=f"{label} %{{x|%b %Y}}: %{{y:,}}<extra></extra>",
            ),
            row=i,
            col=1,
        )
        gaps = part[part["count_records"] == 0]
        fig.add_trace(
            go.Scatter(
                x=gaps["month"],
                y=[0] * len(gaps),
                mode="markers",
                name=gap_label,
                marker={"symbol": "x", "size": 10, "color": GAP_COLOR},
                legendgroup="gap",
                showlegend=not gap_shown and len(gaps) > 0,
                hovertemplate=f"{label} %{{x|%b %Y}}: {gap_label}<extra></extra>",
            ),
            row=i,
            col=1,
        )
        gap_shown = gap_shown or len(gaps) > 0
        fig.update_yaxes(title={"text": y_title}, tickformat="~s", rangemode="tozero", row=i, col=1)
    fig.update_xaxes(tickformat="%b %Y", showgrid=False)
    fig.update_annotations(font={"size": 13})
    return fig
