"""Charts of the Data page: DataFrame in, plotly Figure out, no Streamlit."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from components.charts.base import axis_key, axis_ref, subplot_layout
from components.charts.theme import CATEGORY_COLORS, TEMPLATE, figure

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
    height = 140 + 170 * len(tables)
    has_gaps = bool((df["count_records"] == 0).any())
    # built in one go (theme.figure) on make_subplots' grid: its add_trace(row=) and
    # update_yaxes(row=) calls walked the figure each time, most of this chart's cost
    layout = subplot_layout(
        len(tables),
        1,
        tuple(table_labels.get(tn, tn) for tn in tables),
        horizontal_spacing=0.2,
        vertical_spacing=0.09,
        shared_xaxes=True,
    )
    layout.update(
        template=TEMPLATE,
        height=height,
        margin={"t": 110 if has_gaps else 80},  # room for the gap marker's legend
        **_title_and_legend_on_top(height, title),
        bargap=0.15,
    )
    traces: list[dict] = []
    gap_shown = False
    for i, table in enumerate(tables, start=1):
        part = df[df["table_name"] == table].sort_values("month")
        label = table_labels.get(table, table)
        axes = {"xaxis": axis_ref("x", i), "yaxis": axis_ref("y", i)}
        traces.append(
            {
                "type": "bar",
                "x": part["month"],
                "y": part["count_records"],
                "name": label,
                "marker": {"color": TABLE_COLORS.get(table, CATEGORY_COLORS[7])},
                "showlegend": False,
                "hovertemplate": f"{label} %{{x|%b %Y}}: %{{y:,}}<extra></extra>",
                **axes,
            }
        )
        gaps = part[part["count_records"] == 0]
        traces.append(
            {
                "type": "scatter",
                "x": gaps["month"],
                "y": [0] * len(gaps),
                "mode": "markers",
                "name": gap_label,
                "marker": {"symbol": "x", "size": 10, "color": GAP_COLOR},
                "legendgroup": "gap",
                "showlegend": not gap_shown and len(gaps) > 0,
                "hovertemplate": f"{label} %{{x|%b %Y}}: {gap_label}<extra></extra>",
                **axes,
            }
        )
        gap_shown = gap_shown or len(gaps) > 0
        layout[axis_key("y", i)].update(
            title={"text": y_title}, tickformat="~s", rangemode="tozero"
        )
        layout[axis_key("x", i)].update(tickformat="%b %Y", showgrid=False)
    for note in layout.get("annotations", []):
        note["font"] = {**note.get("font", {}), "size": 13}
    return figure(traces, layout)
