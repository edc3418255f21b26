"""Chart builders of the Pull vs push & scenarios page: DataFrame in, plotly Figure out.

No Streamlit here; labels arrive translated, and pull and push keep their fixed colours.
User or CRM strings (channel names) are escaped before they reach plotly text, which renders
a subset of HTML.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from components.charts import theme
from components.charts.base import MOTION_ORDER, axis_key, axis_ref, subplot_layout
from components.charts.theme import PULL_COLOR, TEMPLATE, motion_color

# How each engine metric is drawn: (kind of value, d3 tick format).
METRIC_FORMATS: dict[str, tuple[str, str]] = {
    "won_amount": ("money", "~s"),
    "new_customers": ("count", ",d"),
    "win_rate": ("rate", ".0%"),
    "avg_deal_size": ("money", "~s"),
    "sales_cycle_days": ("days", ",.0f"),
    "cac": ("money", "~s"),
}
_HOVER = {"money": ",.0f", "count": ",d", "rate": ".1%", "days": ",.1f"}


def engines_by_quarter(
    df: pd.DataFrame,
    *,
    title: str,
    panel_titles: Mapping[str, str],
    motion_labels: Mapping[str, str],
    money_prefix: str = "",
    partial_suffix: str = "*",
    motions: tuple[str, ...] = ("pull", "push"),
    cols: int = 3,
    height: int = 640,
) -> go.Figure:
    """Small multiples, one panel per metric (the keys of ``panel_titles``, in order), a line per
    motion across quarters. Quarters flagged ``is_partial`` get ``partial_suffix`` on the axis.

    ``df``: ``quarter``, ``motion_group``, ``is_partial`` and one column per metric.
    """
    metrics = list(panel_titles)
    rows = math.ceil(len(metrics) / cols)
    quarters = sorted(df["quarter"].unique())
    partial = set(df.loc[df["is_partial"], "quarter"]) if "is_partial" in df else set()
    labels = {q: q + (partial_suffix if q in partial else "") for q in quarters}
    x = [labels[q] for q in quarters]
    # long quarter labels ("2025年第4季度") are drawn slanted: room below each row of panels
    # so they do not run into the titles of the row under it
    slanted = max((len(s) for s in x), default=0) > 8
    layout = subplot_layout(
        rows,
        cols,
        tuple(panel_titles[k] for k in metrics),
        horizontal_spacing=0.08,
        vertical_spacing=0.26 if slanted else 0.16,
    )
    layout.update(
        template=TEMPLATE,
        height=height + (70 * rows if slanted else 0),
        # title at the very top, the legend between it and the panel titles
        title={"text": title, "y": 0.985, "yref": "container", "yanchor": "top"},
        legend={"y": 1.08, "yanchor": "bottom"},
        margin={"t": 115},
    )
    symbols = ["circle-open" if q in partial else "circle" for q in quarters]
    parts = {m: df[df["motion_group"] == m].set_index("quarter").reindex(quarters) for m in motions}
    traces = []
    for i, metric in enumerate(metrics):
        axis = i + 1
        kind, tick = METRIC_FORMATS.get(metric, ("count", ",.0f"))
        prefix = money_prefix if kind == "money" else ""
        for m in motions:
            name = motion_labels.get(m, m)
            traces.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": parts[m][metric],
                    "name": name,
                    "legendgroup": m,
                    "showlegend": i == 0,
                    "mode": "lines+markers",
                    "line": {"color": motion_color(m), "width": 3},
                    # a quarter the data cover only in part: hollow point
                    "marker": {
                        "size": 8,
                        "symbol": symbols,
                        "line": {"width": 2, "color": motion_color(m)},
                    },
                    "connectgaps": False,
                    "hovertemplate": (
                        f"{name}<br>%{{x}}: {prefix}%{{y:{_HOVER[kind]}}}<extra></extra>"
                    ),
                    "xaxis": axis_ref("x", axis),
                    "yaxis": axis_ref("y", axis),
                }
            )
        layout[axis_key("y", axis)].update(tickprefix=prefix, tickformat=tick, rangemode="tozero")
    for key in [k for k in layout if k.startswith("xaxis")]:
        layout[key].update(type="category", categoryorder="array", categoryarray=x)
        if slanted:
            layout[key].update(tickangle=-45)
    for note in layout.get("annotations", []):
        note["font"] = {**note.get("font", {}), "size": 14}
    return theme.figure(traces, layout)


def value_per_lead_curve(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    motion_labels: Mapping[str, str],
    cohorts_label: str,
    y_prefix: str = "",
    height: int = 440,
) -> go.Figure:
    """Cumulative won revenue per lead against months since the lead was created, a line per
    motion: how soon each engine's leads turn into money, and how much they bring in the end.

    ``df``: ``motion``, ``months_since``, ``won_per_lead``, ``count_cohorts``.
    """
    present = [m for m in MOTION_ORDER if m in set(df["motion"]) and m != "unmapped"]
    traces = []
    for m in present:
        part = df[df["motion"] == m].sort_values("months_since")
        name = motion_labels.get(m, m)
        traces.append(
            {
                "type": "scatter",
                "x": part["months_since"],
                "y": part["won_per_lead"],
                "name": name,
                "mode": "lines+markers",
                "line": {"color": motion_color(m), "width": 3, "shape": "hv"},
                "marker": {"size": 6},
                "customdata": part["count_cohorts"],
                "hovertemplate": (
                    f"{name}<br>{x_title}: %{{x}}<br>{y_title}: {y_prefix}%{{y:,.0f}}"
                    f"<br>{cohorts_label}: %{{customdata}}<extra></extra>"
                ),
            }
        )
    layout = {
        "template": TEMPLATE,
        "height": height,
        "title": {"text": title},
        "xaxis": {"title": {"text": x_title}, "dtick": 1, "rangemode": "tozero"},
        "yaxis": {
            "title": {"text": y_title},
            "tickprefix": y_prefix,
            "tickformat": "~s",
            "rangemode": "tozero",
        },
    }
    return theme.figure(traces, layout)


def channel_response_grid(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    cost_label: str,
    x_prefix: str = "",
    cols: int = 3,
    row_height: int = 260,
) -> go.Figure:
    """One scatter per marketing channel: monthly spend (x) against leads that month (y), in the
    pull colour, each point a month. Axes are per channel, since channels differ in scale.

    ``df``: ``channel``, ``month``, ``spend_amount``, ``count_leads``, ``cost_per_lead``.
    """
    channels = sorted(df["channel"].unique())
    rows = max(math.ceil(len(channels) / cols), 1)
    layout = subplot_layout(
        rows,
        cols,
        tuple(html.escape(str(c)) for c in channels),
        horizontal_spacing=0.08,
        vertical_spacing=min(0.5 / rows, 0.14),
    )
    layout.update(
        template=TEMPLATE,
        height=120 + row_height * rows,
        title={"text": title},
        showlegend=False,
    )
    traces = []
    for i, channel in enumerate(channels):
        axis = i + 1
        row, col = i // cols + 1, i % cols + 1
        part = df[df["channel"] == channel].sort_values("month")
        months = [pd.Timestamp(m).strftime("%Y-%m") for m in part["month"]]
        name = html.escape(str(channel))
        traces.append(
            {
                "type": "scatter",
                "x": part["spend_amount"],
                "y": part["count_leads"],
                "mode": "markers",
                "name": name,
                "marker": {
                    "color": PULL_COLOR,
                    "size": 9,
                    "opacity": 0.8,
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                "customdata": list(zip(months, part["cost_per_lead"], strict=True)),
                "hovertemplate": (
                    f"{name} · %{{customdata[0]}}<br>"
                    f"{x_title}: {x_prefix}%{{x:,.0f}}<br>{y_title}: %{{y:,}}<br>"
                    f"{cost_label}: {x_prefix}%{{customdata[1]:,.0f}}<extra></extra>"
                ),
                "xaxis": axis_ref("x", axis),
                "yaxis": axis_ref("y", axis),
            }
        )
        xaxis = layout[axis_key("x", axis)]
        yaxis = layout[axis_key("y", axis)]
        xaxis.update(
            tickprefix=x_prefix,
            tickformat="~s",
            rangemode="tozero",
            showgrid=True,
            gridcolor="#F0F2F5",
        )
        yaxis.update(rangemode="tozero")
        if row == rows:
            xaxis["title"] = {"text": x_title}
        if col == 1:
            yaxis["title"] = {"text": y_title}
    for note in layout.get("annotations", []):
        note["font"] = {**note.get("font", {}), "size": 14}
    return theme.figure(traces, layout)
