"""Chart builders shared by every page: DataFrame in, plotly Figure out, no Streamlit.

Each builder takes its labels explicitly (already translated by the page) and paints pull and
push with their fixed colours. Page-specific charts live in modules named for their page
(``components/charts/funnel.py``...) and follow the same contract.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.charts.theme import motion_color, new_figure

MOTION_ORDER = ("pull", "push", "unmapped")


def _motions(df: pd.DataFrame, column: str) -> list[str]:
    present = [m for m in MOTION_ORDER if m in set(df[column])]
    return present + sorted(set(df[column]) - set(present))


def empty_figure(*, title: str, message: str, height: int = 420) -> go.Figure:
    """A titled figure that says why there is nothing to draw."""
    fig = new_figure(title=title, height=height)
    fig.add_annotation(
        text=message,
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 16, "color": "#616E7C"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def motion_time_series(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    y_title: str,
    motion_labels: Mapping[str, str],
    motion: str = "motion",
    kind: str = "bar",
    y_prefix: str = "",
    y_format: str = "~s",
    hover_format: str = ",.0f",
    height: int = 420,
) -> go.Figure:
    """A series per motion over time: stacked bars (``kind="bar"``) or lines."""
    fig = new_figure(title=title, height=height)
    for m in _motions(df, motion):
        part = df[df[motion] == m].sort_values(x)
        name = motion_labels.get(m, m)
        hover = f"{name}<br>%{{x|%b %Y}}: {y_prefix}%{{y:{hover_format}}}<extra></extra>"
        if kind == "bar":
            fig.add_trace(
                go.Bar(
                    x=part[x],
                    y=part[y],
                    name=name,
                    marker_color=motion_color(m),
                    hovertemplate=hover,
                )
            )
        else:
            fig.add_trace(
                go.Scatter(
                    x=part[x],
                    y=part[y],
                    name=name,
                    mode="lines+markers",
                    line={"color": motion_color(m), "width": 3},
                    hovertemplate=hover,
                )
            )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title={"text": y_title}, tickprefix=y_prefix, tickformat=y_format)
    return fig


def motion_bars(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    value_title: str,
    motion_labels: Mapping[str, str],
    motion: str = "motion",
    value_prefix: str = "",
    value_format: str = "~s",
    horizontal: bool = False,
    category_title: str | None = None,
    height: int = 420,
) -> go.Figure:
    """Grouped bars per category, one bar per motion side by side."""
    fig = new_figure(title=title, height=height)
    for m in _motions(df, motion):
        part = df[df[motion] == m]
        name = motion_labels.get(m, m)
        if horizontal:
            fig.add_trace(
                go.Bar(
                    y=part[category],
                    x=part[value],
                    name=name,
                    orientation="h",
                    marker_color=motion_color(m),
                )
            )
        else:
            fig.add_trace(
                go.Bar(x=part[category], y=part[value], name=name, marker_color=motion_color(m))
            )
    fig.update_layout(barmode="group")
    value_axis = {
        "title": {"text": value_title},
        "tickprefix": value_prefix,
        "tickformat": value_format,
    }
    cat_axis = {"title": {"text": category_title or ""}}
    if horizontal:
        fig.update_xaxes(**value_axis)
        fig.update_yaxes(**cat_axis, autorange="reversed")
    else:
        fig.update_yaxes(**value_axis)
        fig.update_xaxes(**cat_axis)
    return fig


def funnel_by_motion(
    df: pd.DataFrame,
    *,
    stage: str,
    count: str,
    title: str,
    motion_labels: Mapping[str, str],
    motion: str = "motion",
    height: int = 460,
) -> go.Figure:
    """A funnel per motion, stages in the frame's order, with % of the first stage."""
    fig = new_figure(title=title, height=height)
    for m in _motions(df, motion):
        part = df[df[motion] == m]
        fig.add_trace(
            go.Funnel(
                y=part[stage],
                x=part[count],
                name=motion_labels.get(m, m),
                marker={"color": motion_color(m)},
                textinfo="value+percent initial",
            )
        )
    return fig


# Figures are built as plain dicts and validated once by go.Figure: plotly's per-call
# add_trace(row=, col=) / update_xaxes(row=, col=) / update_annotations walk the whole figure
# each time and cost tens of milliseconds on a grid of panels. The grid itself (axis domains,
# panel titles) is make_subplots', computed once per shape.
@lru_cache(maxsize=64)
def _subplot_grid(
    rows: int,
    cols: int,
    titles: tuple[str, ...],
    horizontal_spacing: float,
    vertical_spacing: float,
    shared_yaxes: bool,
    shared_xaxes: bool,
) -> dict:
    layout = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=list(titles),
        shared_yaxes=shared_yaxes,
        shared_xaxes=shared_xaxes,
        horizontal_spacing=horizontal_spacing,
        vertical_spacing=vertical_spacing,
    ).to_dict()["layout"]
    layout.pop("template", None)  # whatever plotly's default is; each builder sets ours
    return layout


def subplot_layout(
    rows: int,
    cols: int,
    titles: tuple[str, ...],
    *,
    horizontal_spacing: float,
    vertical_spacing: float | None = None,
    shared_yaxes: bool = False,
    shared_xaxes: bool = False,
) -> dict:
    """A fresh copy of the layout ``make_subplots`` gives for this grid, without a template.
    Panel n (row-major, from 1) uses the axes named by ``axis_key``/``axis_ref``."""
    grid = _subplot_grid(
        rows, cols, titles, horizontal_spacing, vertical_spacing, shared_yaxes, shared_xaxes
    )
    # builders change axes and annotations one level down (update, or replace a nested dict)
    return {
        key: [dict(note) for note in value]
        if key == "annotations"
        else dict(value)
        if isinstance(value, dict)
        else value
        for key, value in grid.items()
    }


def axis_key(letter: str, n: int) -> str:
    """The layout key of panel n's axis: ``xaxis``, ``xaxis2``..."""
    return f"{letter}axis{n if n > 1 else ''}"


def axis_ref(letter: str, n: int) -> str:
    """How a trace names panel n's axis: ``x``, ``x2``..."""
    return f"{letter}{n if n > 1 else ''}"
