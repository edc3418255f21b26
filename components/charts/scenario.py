"""Chart builders of the scenario planner: DataFrame in, plotly Figure out (no Streamlit).

Pull and push keep their fixed colours; bands are the same colour, translucent. Scenario and
channel names come from users: they are escaped before they reach plotly text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.charts import theme
from components.charts.base import axis_key, axis_ref, subplot_layout
from components.charts.theme import (
    CATEGORY_COLORS,
    OVERALL_COLOR,
    PULL_COLOR,
    PUSH_COLOR,
    TEMPLATE,
    motion_color,
)

# how each projected metric is drawn: (money?, d3 tick format)
PROJECTION_FORMATS: dict[str, tuple[bool, str]] = {
    "revenue": (True, "~s"),
    "revenue_cum": (True, "~s"),
    "leads": (False, ",.0f"),
    "pipeline": (True, "~s"),
    "won": (False, ",.0f"),
    "spend": (True, "~s"),
    "cac": (True, "~s"),
}


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _grid_layout(
    titles: Sequence[str], cols: int, *, title: str, height: int, vertical_spacing: float = 0.16
) -> dict:
    rows = max(math.ceil(len(titles) / cols), 1)
    layout = subplot_layout(
        rows,
        cols,
        tuple(titles),
        horizontal_spacing=0.08,
        vertical_spacing=min(0.5 / rows, vertical_spacing),
    )
    layout.update(
        template=TEMPLATE,
        height=height,
        title={"text": title, "y": 0.985, "yref": "container", "yanchor": "top"},
        legend={"y": 1.06, "yanchor": "bottom", "orientation": "h"},
        margin={"t": 120},
    )
    for note in layout.get("annotations", []):
        note["font"] = {**note.get("font", {}), "size": 14}
    return layout


def projection_grid(
    df: pd.DataFrame,
    *,
    title: str,
    panel_titles: Mapping[str, str],
    motion_labels: Mapping[str, str],
    band_label: str,
    money_prefix: str = "",
    cols: int = 3,
    height: int = 680,
) -> go.Figure:
    """Small multiples, one panel per metric (keys of ``panel_titles``, in order): a line per
    engine across the plan's quarters with its p10–p90 band.

    ``df``: ``quarter``, ``engine``, ``metric``, ``value``, ``low``, ``high``
    (``planning.projection.quarterly``).
    """
    metrics = list(panel_titles)
    layout = _grid_layout([panel_titles[m] for m in metrics], cols, title=title, height=height)
    quarters = list(dict.fromkeys(df["quarter"]))
    # each (engine, metric)'s value, low and high by quarter (NaN where a quarter is missing),
    # in one pass: a filter and a reindex per line cost more than the figure (a slider redraws
    # this on every move)
    at = {q: n for n, q in enumerate(quarters)}
    lines: dict[tuple[str, str], np.ndarray] = {}
    figures = df[["value", "low", "high"]].to_numpy(dtype=float)
    for engine_metric_quarter, row in zip(
        zip(df["engine"], df["metric"], df["quarter"], strict=True), figures, strict=True
    ):
        line = lines.get(engine_metric_quarter[:2])
        if line is None:
            line = lines[engine_metric_quarter[:2]] = np.full((len(quarters), 3), np.nan)
        line[at[engine_metric_quarter[2]]] = row
    missing = np.full((len(quarters), 3), np.nan)
    traces = []
    for i, metric in enumerate(metrics):
        axis = i + 1
        money, tick = PROJECTION_FORMATS.get(metric, (False, ",.0f"))
        prefix = money_prefix if money else ""
        for engine in ("pull", "push"):
            line = lines.get((engine, metric), missing)
            part = {"value": line[:, 0], "low": line[:, 1], "high": line[:, 2]}
            name = motion_labels.get(engine, engine)
            colour = motion_color(engine)
            refs = {"xaxis": axis_ref("x", axis), "yaxis": axis_ref("y", axis)}
            # the band: upper edge, then lower edge filled up to it
            traces.append(
                {
                    "type": "scatter",
                    "x": quarters,
                    "y": part["high"],
                    "mode": "lines",
                    "line": {"width": 0, "color": colour},
                    "showlegend": False,
                    "legendgroup": engine,
                    "hoverinfo": "skip",
                    **refs,
                }
            )
            traces.append(
                {
                    "type": "scatter",
                    "x": quarters,
                    "y": part["low"],
                    "mode": "lines",
                    "line": {"width": 0, "color": colour},
                    "fill": "tonexty",
                    "fillcolor": _rgba(colour, 0.18),
                    "name": f"{name} {band_label}",
                    "showlegend": False,
                    "legendgroup": engine,
                    "hoverinfo": "skip",
                    **refs,
                }
            )
            traces.append(
                {
                    "type": "scatter",
                    "x": quarters,
                    "y": part["value"],
                    "name": name,
                    "legendgroup": engine,
                    "showlegend": i == 0,
                    "mode": "lines+markers",
                    "line": {"color": colour, "width": 3},
                    "marker": {"size": 6},
                    "customdata": list(zip(part["low"], part["high"], strict=True)),
                    "hovertemplate": (
                        f"{name}<br>%{{x}}: {prefix}%{{y:,.0f}}<br>{band_label}: "
                        f"{prefix}%{{customdata[0]:,.0f}} – {prefix}%{{customdata[1]:,.0f}}"
                        "<extra></extra>"
                    ),
                    **refs,
                }
            )
        layout[axis_key("y", axis)].update(tickprefix=prefix, tickformat=tick, rangemode="tozero")
        layout[axis_key("x", axis)].update(type="category", tickangle=-45)
    return theme.figure(traces, layout)


def response_curves(
    curves: pd.DataFrame,
    marks: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    mark_labels: Mapping[str, str],
    band_label: str,
    x_prefix: str = "",
    cols: int = 3,
    row_height: int = 270,
) -> go.Figure:
    """One panel per channel: long-run leads per month against a constant monthly spend (the
    fitted adstock + Hill curve) with its band, and points marking spends (e.g. today, optimum).

    ``curves``: ``channel``, ``spend``, ``leads``, ``low``, ``high``.
    ``marks``: ``channel``, ``mark`` (a key of ``mark_labels``), ``spend``, ``leads``.
    """
    channels = list(dict.fromkeys(curves["channel"]))
    titles = [html.escape(str(c)) for c in channels]
    layout = _grid_layout(
        titles, cols, title=title, height=130 + row_height * max(math.ceil(len(channels) / cols), 1)
    )
    symbols = {
        0: ("circle-open", OVERALL_COLOR),
        1: ("star", PUSH_COLOR),
        2: ("diamond", CATEGORY_COLORS[0]),
    }
    mark_keys = list(mark_labels)
    hover_xy = f"{x_title}: {x_prefix}%{{x:,.0f}}<br>{y_title}: %{{y:,.0f}}"
    traces = []
    rows = max(math.ceil(len(channels) / cols), 1)
    # each channel's curve and each (channel, mark)'s points split once, not filtered per panel
    by_channel = dict(iter(curves.groupby("channel", sort=False)))
    by_mark = dict(iter(marks.groupby(["channel", "mark"], sort=False))) if len(marks) else {}
    for i, channel in enumerate(channels):
        axis = i + 1
        refs = {"xaxis": axis_ref("x", axis), "yaxis": axis_ref("y", axis)}
        part = by_channel[channel].sort_values("spend")
        name = html.escape(str(channel))
        traces.append(
            {
                "type": "scatter",
                "x": part["spend"],
                "y": part["high"],
                "mode": "lines",
                "line": {"width": 0, "color": PULL_COLOR},
                "showlegend": False,
                "hoverinfo": "skip",
                **refs,
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": part["spend"],
                "y": part["low"],
                "mode": "lines",
                "line": {"width": 0, "color": PULL_COLOR},
                "fill": "tonexty",
                "fillcolor": _rgba(PULL_COLOR, 0.18),
                "name": band_label,
                "showlegend": i == 0,
                "legendgroup": "band",
                "hoverinfo": "skip",
                **refs,
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": part["spend"],
                "y": part["leads"],
                "mode": "lines",
                "name": name,
                "line": {"color": PULL_COLOR, "width": 3},
                "showlegend": False,
                "hovertemplate": f"{name}<br>{hover_xy}<extra></extra>",
                **refs,
            }
        )
        for j, key in enumerate(mark_keys):
            point = by_mark.get((channel, key))
            if point is None or point.empty:
                continue
            symbol, colour = symbols.get(j, ("square", CATEGORY_COLORS[j % len(CATEGORY_COLORS)]))
            label = mark_labels[key]
            traces.append(
                {
                    "type": "scatter",
                    "x": point["spend"],
                    "y": point["leads"],
                    "mode": "markers",
                    "name": label,
                    "legendgroup": key,
                    "showlegend": i == 0,
                    # an open ring (today) is drawn larger and thicker, so a plan marker at the
                    # same spend shows inside it instead of hiding it
                    "marker": {
                        "symbol": symbol,
                        "size": 22 if symbol.endswith("-open") else 14,
                        "color": colour,
                        "line": {
                            "color": colour if symbol.endswith("-open") else "#FFFFFF",
                            "width": 3 if symbol.endswith("-open") else 1.5,
                        },
                    },
                    "hovertemplate": f"{name} · {label}<br>{hover_xy}<extra></extra>",
                    **refs,
                }
            )
        xaxis, yaxis = layout[axis_key("x", axis)], layout[axis_key("y", axis)]
        xaxis.update(tickprefix=x_prefix, tickformat="~s", rangemode="tozero")
        yaxis.update(rangemode="tozero")
        if i // cols + 1 == rows:
            xaxis["title"] = {"text": x_title}
        if i % cols == 0:
            yaxis["title"] = {"text": y_title}
    return theme.figure(traces, layout)


def scenario_revenue(
    df: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    motion_labels: Mapping[str, str],
    band_label: str,
    money_prefix: str = "",
    height: int = 460,
) -> go.Figure:
    """Stacked bars per scenario: won revenue over the horizon from pull and push, with the
    p10–p90 band of the total as a whisker.

    ``df``: ``scenario``, ``engine``, ``revenue``, and per scenario ``total_low``, ``total_high``.
    """
    names = list(dict.fromkeys(df["scenario"]))
    x = [html.escape(str(n)) for n in names]
    traces = []
    for engine in ("pull", "push"):
        part = df[df["engine"] == engine].set_index("scenario").reindex(names)
        label = motion_labels.get(engine, engine)
        traces.append(
            {
                "type": "bar",
                "x": x,
                "y": part["revenue"],
                "name": label,
                "marker": {"color": motion_color(engine)},
                "hovertemplate": f"%{{x}} · {label}: {money_prefix}%{{y:,.0f}}<extra></extra>",
            }
        )
    totals = (
        df.groupby("scenario", sort=False)
        .agg(revenue=("revenue", "sum"), low=("total_low", "first"), high=("total_high", "first"))
        .reindex(names)
    )
    traces.append(
        {
            "type": "scatter",
            "x": x,
            "y": totals["revenue"],
            "mode": "markers",
            "name": band_label,
            "marker": {"color": OVERALL_COLOR, "size": 7, "symbol": "line-ew-open"},
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": (totals["high"] - totals["revenue"]).clip(lower=0),
                "arrayminus": (totals["revenue"] - totals["low"]).clip(lower=0),
                "color": OVERALL_COLOR,
                "thickness": 2,
                "width": 10,
            },
            "hovertemplate": f"%{{x}}<br>{money_prefix}%{{y:,.0f}}<extra></extra>",
        }
    )
    layout = {
        "template": TEMPLATE,
        "height": height,
        "title": {"text": title},
        "barmode": "stack",
        "yaxis": {
            "title": {"text": y_title},
            "tickprefix": money_prefix,
            "tickformat": "~s",
            "rangemode": "tozero",
        },
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
    }
    return theme.figure(traces, layout)


def scenario_cumulative(
    df: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    money_prefix: str = "",
    height: int = 460,
) -> go.Figure:
    """A line per scenario: cumulative won revenue (both engines) by plan quarter, so a plan
    that pays later shows as a line that starts lower and crosses over.

    ``df``: ``scenario``, ``quarter``, ``revenue_cum``.
    """
    traces = []
    for i, (name, part) in enumerate(df.groupby("scenario", sort=False)):
        label = html.escape(str(name))
        traces.append(
            {
                "type": "scatter",
                "x": part["quarter"],
                "y": part["revenue_cum"],
                "name": label,
                "mode": "lines+markers",
                "line": {"color": CATEGORY_COLORS[i % len(CATEGORY_COLORS)], "width": 3},
                "hovertemplate": f"{label}<br>%{{x}}: {money_prefix}%{{y:,.0f}}<extra></extra>",
            }
        )
    layout = {
        "template": TEMPLATE,
        "height": height,
        "title": {"text": title},
        "xaxis": {"type": "category"},
        "yaxis": {
            "title": {"text": y_title},
            "tickprefix": money_prefix,
            "tickformat": "~s",
            "rangemode": "tozero",
        },
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
    }
    return theme.figure(traces, layout)


def tornado(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    low_label: str,
    high_label: str,
    money_prefix: str = "",
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars per input, largest swing on top: the change in revenue when the input
    is moved down (``low``) and up (``high``) from the plan.

    ``df``: ``input`` (label), ``low``, ``high`` (changes in money against the plan).
    """
    df = df.assign(swing=(df["high"] - df["low"]).abs()).sort_values("swing")
    y = [html.escape(str(v)) for v in df["input"]]
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "y": y,
            "x": df["low"],
            "name": low_label,
            "marker": {"color": CATEGORY_COLORS[1]},
            "hovertemplate": f"%{{y}} · {low_label}: {money_prefix}%{{x:,.0f}}<extra></extra>",
        },
        {
            "type": "bar",
            "orientation": "h",
            "y": y,
            "x": df["high"],
            "name": high_label,
            "marker": {"color": CATEGORY_COLORS[0]},
            "hovertemplate": f"%{{y}} · {high_label}: {money_prefix}%{{x:,.0f}}<extra></extra>",
        },
    ]
    layout = {
        "template": TEMPLATE,
        "height": height or 160 + 34 * len(df),
        "title": {"text": title},
        "barmode": "overlay",
        "xaxis": {
            "title": {"text": x_title},
            "tickprefix": money_prefix,
            "tickformat": "~s",
            "zeroline": True,
            "zerolinecolor": OVERALL_COLOR,
            "zerolinewidth": 2,
        },
        "yaxis": {"automargin": True},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
    }
    return theme.figure(traces, layout)


def backtest_grid(
    df: pd.DataFrame,
    *,
    title: str,
    panel_titles: Mapping[tuple[str, str], str],
    predicted_label: str,
    actual_label: str,
    money_prefix: str = "",
    height: int = 640,
) -> go.Figure:
    """One panel per (engine, metric): the projected monthly value (line, engine colour) and
    what happened (grey points). ``df``: ``month``, ``engine``, ``metric``, ``predicted``,
    ``actual``."""
    keys = list(panel_titles)
    layout = _grid_layout(
        [panel_titles[k] for k in keys], 2, title=title, height=height, vertical_spacing=0.24
    )
    traces = []
    for i, (engine, metric) in enumerate(keys):
        axis = i + 1
        refs = {"xaxis": axis_ref("x", axis), "yaxis": axis_ref("y", axis)}
        part = df[(df["engine"] == engine) & (df["metric"] == metric)].sort_values("month")
        months = [pd.Timestamp(m).strftime("%Y-%m") for m in part["month"]]
        prefix = money_prefix if metric == "revenue" else ""
        traces.append(
            {
                "type": "scatter",
                "x": months,
                "y": part["predicted"],
                "mode": "lines",
                "name": predicted_label,
                "legendgroup": "p",
                "showlegend": i == 0,
                "line": {"color": motion_color(engine), "width": 3},
                "hovertemplate": f"%{{x}} · {predicted_label}: {prefix}%{{y:,.0f}}<extra></extra>",
                **refs,
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": months,
                "y": part["actual"],
                "mode": "markers",
                "name": actual_label,
                "legendgroup": "a",
                "showlegend": i == 0,
                "marker": {"color": OVERALL_COLOR, "size": 7},
                "hovertemplate": f"%{{x}} · {actual_label}: {prefix}%{{y:,.0f}}<extra></extra>",
                **refs,
            }
        )
        layout[axis_key("y", axis)].update(tickprefix=prefix, tickformat="~s", rangemode="tozero")
        layout[axis_key("x", axis)].update(type="category", tickangle=-45)
    return theme.figure(traces, layout)


__all__ = [
    "PUSH_COLOR",
    "backtest_grid",
    "projection_grid",
    "response_curves",
    "scenario_cumulative",
    "scenario_revenue",
    "tornado",
]
