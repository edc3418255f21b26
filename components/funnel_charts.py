"""Chart builders of the Funnel health page: DataFrame in, plotly Figure out, no Streamlit.

Each takes its labels already translated and paints pull and push in their fixed colours.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go

from components.charts import MOTION_ORDER, axis_ref, subplot_layout
from components.theme import TEMPLATE, motion_color


def _default_pct(value: float) -> str:
    return f"{value:.0%}"


def _default_count(value: float) -> str:
    return f"{value:,.0f}"


def _motions(df: pd.DataFrame, column: str = "motion") -> list[str]:
    """Motions present, pull then push then unmapped, then anything else."""
    seen = set(df[column])
    return [m for m in MOTION_ORDER if m in seen] + sorted(seen - set(MOTION_ORDER))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _layout(*, title: str, height: int) -> dict:
    """The layout ``theme.new_figure`` starts from, as a plain dict (see ``_figure``)."""
    return {"template": TEMPLATE, "height": height, "title": {"text": title}}


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """Build the figure in one go: plotly validates the dicts once, where add_trace and
    update_xaxes/update_yaxes walk and re-validate the figure on every call."""
    return go.Figure(data=traces, layout=layout)


def lifecycle_funnel(
    df: pd.DataFrame,
    *,
    title: str,
    stage_labels: Mapping[str, str],
    motion_labels: Mapping[str, str],
    step_label: str,
    format_pct: Callable[[float], str] = _default_pct,
    format_count: Callable[[float], str] = _default_count,
    height: int = 460,
) -> go.Figure:
    """One funnel per motion, side by side: how many reached each stage, and the conversion
    from the previous stage written on each bar.

    ``df`` has one row per motion and stage: ``motion``, ``stage_order``, ``stage``,
    ``count_reached``, ``step_conversion``. ``step_label`` is the text before the conversion
    (e.g. "of previous").
    """
    motions = _motions(df, "motion")
    layout = subplot_layout(
        1,
        max(len(motions), 1),
        tuple(motion_labels.get(m, m) for m in motions),
        horizontal_spacing=0.04,
        shared_yaxes=True,
    )
    layout.update(template=TEMPLATE, height=height, title={"text": title}, showlegend=False)
    traces = []
    for col, m in enumerate(motions, start=1):
        part = df[df["motion"] == m].sort_values("stage_order")
        first = float(part["count_reached"].max() or 0)
        texts = [
            format_count(n) if _missing(c) else f"{format_count(n)} · {format_pct(c)} {step_label}"
            for n, c in zip(part["count_reached"], part["step_conversion"], strict=True)
        ]
        traces.append(
            {
                "type": "funnel",
                "y": [stage_labels.get(s, s) for s in part["stage"]],
                "x": part["count_reached"],
                "name": motion_labels.get(m, m),
                "text": texts,
                "textinfo": "text",
                # inside the bars wide enough to hold the label, beside the narrow ones
                "textposition": [
                    "inside" if n >= 0.45 * first else "outside" for n in part["count_reached"]
                ],
                "insidetextfont": {"color": "#FFFFFF", "size": 14},
                "outsidetextfont": {"color": "#1F2933", "size": 13},
                "marker": {"color": motion_color(m)},
                "connector": {"fillcolor": "#E4E7EB"},
                "customdata": part["share_of_first"],
                "hovertemplate": (
                    "%{y}: %{x:,} (%{customdata:.1%})<extra>" + motion_labels.get(m, m) + "</extra>"
                ),
                "xaxis": axis_ref("x", col),
                "yaxis": axis_ref("y", col),
            }
        )
    for key in layout:
        if key.startswith("xaxis"):
            layout[key]["visible"] = False
        elif key.startswith("yaxis"):
            layout[key].update(showgrid=False, tickfont={"size": 14, "color": "#1F2933"})
    return _figure(traces, layout)


def stage_velocity(
    df: pd.DataFrame,
    *,
    title: str,
    step_labels: Mapping[str, str],
    motion_labels: Mapping[str, str],
    median_label: str,
    p80_label: str,
    x_title: str,
    height: int = 440,
) -> go.Figure:
    """Median days per stage step as bars, one per motion, with the 80th percentile as a tick
    mark on the same row: the bar is the typical lead, the tick the slow fifth.

    ``df``: ``motion``, ``step_order``, ``step``, ``count_steps``, ``median_days``, ``p80_days``.
    """
    layout = _layout(title=title, height=height)
    steps = df.drop_duplicates("step").sort_values("step_order")["step"].tolist()
    order = [step_labels.get(s, s) for s in steps]
    traces = []
    for m in _motions(df, "motion"):
        part = df[df["motion"] == m].sort_values("step_order")
        name = motion_labels.get(m, m)
        y = [step_labels.get(s, s) for s in part["step"]]
        traces.append(
            {
                "type": "bar",
                "y": y,
                "x": part["median_days"],
                "orientation": "h",
                "name": name,
                "legendgroup": m,
                "offsetgroup": m,
                "marker": {"color": motion_color(m)},
                "customdata": part[["p80_days", "count_steps"]],
                "hovertemplate": (
                    f"{name}<br>%{{y}}<br>{median_label}: %{{x:,.1f}}<br>"
                    f"{p80_label}: %{{customdata[0]:,.1f}}<br>n = %{{customdata[1]:,}}"
                    "<extra></extra>"
                ),
            }
        )
        traces.append(
            {
                "type": "scatter",
                "y": y,
                "x": part["p80_days"],
                "mode": "markers+text",
                # "median–p80" beside the tick: the span the bar and tick draw, in numbers
                "text": [
                    f"{a:,.1f}–{b:,.1f}"
                    for a, b in zip(part["median_days"], part["p80_days"], strict=True)
                ],
                "textposition": "middle right",
                "textfont": {"size": 12, "color": motion_color(m)},
                "name": f"{name} · {p80_label}",
                "legendgroup": m,
                "showlegend": False,
                "offsetgroup": m,
                "orientation": "h",
                "marker": {
                    "symbol": "line-ns",
                    "size": 18,
                    "line": {"width": 3, "color": motion_color(m)},
                    "color": motion_color(m),
                },
                "hovertemplate": f"{name}<br>%{{y}}<br>{p80_label}: %{{x:,.1f}}<extra></extra>",
                "cliponaxis": False,
            }
        )
    traces.append(  # legend key for the tick marks
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "name": p80_label,
            "marker": {"symbol": "line-ns", "size": 14, "line": {"width": 3, "color": "#616E7C"}},
            "hoverinfo": "skip",
        }
    )
    longest = float(df["p80_days"].max()) if len(df) else 1.0
    layout.update(
        barmode="group",
        scattermode="group",
        yaxis={"categoryorder": "array", "categoryarray": order, "autorange": "reversed"},
        xaxis={
            "title": {"text": x_title},
            # room for the labels beside the longest tick
            "range": [0, max(longest, 1.0) * 1.35],
            "showgrid": True,
            "gridcolor": "#E4E7EB",
        },
    )
    return _figure(traces, layout)


def response_curve(
    df: pd.DataFrame,
    *,
    title: str,
    motion_labels: Mapping[str, str],
    sla_hours: float,
    sla_label: str,
    x_title: str,
    y_title: str,
    sla_shares: Mapping[str, float] | None = None,
    format_pct: Callable[[float], str] = _default_pct,
    x_max: float = 96,
    height: int = 440,
) -> go.Figure:
    """The share of MQLs first touched by sales within x hours, a curve per motion, with the SLA
    as a dashed line and each motion's share within the SLA marked on it.

    ``df``: ``motion``, ``bucket_start_hours`` (whole hours), ``cumulative_share`` (of all the
    motion's MQLs touched before the hour's end). ``sla_shares`` (motion -> share within SLA)
    labels the crossing points; without it they are read off the curve.
    """
    layout = _layout(title=title, height=height)
    top = int(max(x_max, df["bucket_start_hours"].max() + 1 if len(df) else 1))
    traces = []
    for m in _motions(df, "motion"):
        part = df[df["motion"] == m].set_index("bucket_start_hours")["cumulative_share"]
        # hours with no touch keep the share reached so far
        curve = part.reindex(range(top)).ffill().fillna(0.0)
        name = motion_labels.get(m, m)
        traces.append(
            {
                "type": "scatter",
                "x": [0, *[h + 1 for h in curve.index]],
                "y": [0.0, *curve.tolist()],
                "name": name,
                "mode": "lines",
                "line": {"color": motion_color(m), "width": 3},
                "hovertemplate": f"{name}<br>≤ %{{x}} h: %{{y:.1%}}<extra></extra>",
            }
        )
        share = (sla_shares or {}).get(m)
        if share is None:
            share = float(curve.get(int(sla_hours) - 1, 0.0)) if sla_hours >= 1 else 0.0
        traces.append(
            {
                "type": "scatter",
                "x": [sla_hours],
                "y": [share],
                "mode": "markers+text",
                "showlegend": False,
                "marker": {
                    "color": motion_color(m),
                    "size": 11,
                    "line": {"color": "#FFFFFF", "width": 2},
                },
                "text": [format_pct(share)],
                "textposition": "middle right",
                "textfont": {"color": motion_color(m), "size": 14},
                "hovertemplate": f"{name}<br>{sla_label}: %{{y:.1%}}<extra></extra>",
            }
        )
    layout.update(
        # the SLA: what fig.add_vline(annotation_position="bottom right") draws
        shapes=[
            {
                "type": "line",
                "x0": sla_hours,
                "x1": sla_hours,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": "#2F3E4E", "width": 2, "dash": "dash"},
            }
        ],
        annotations=[
            {
                "text": sla_label,
                "font": {"color": "#2F3E4E"},
                "showarrow": False,
                "x": sla_hours,
                "xanchor": "left",
                "xref": "x",
                "y": 0,
                "yanchor": "bottom",
                "yref": "y domain",
            }
        ],
        xaxis={
            "title": {"text": x_title},
            "range": [0, max(x_max, sla_hours * 1.25)],
            "dtick": 12,
            "showgrid": True,
            "gridcolor": "#F0F2F5",
        },
        yaxis={"title": {"text": y_title}, "tickformat": ".0%", "range": [0, 1.05]},
    )
    return _figure(traces, layout)


def cohort_heatmap(
    df: pd.DataFrame,
    *,
    title: str,
    motion: str,
    x_title: str,
    y_title: str,
    colorbar_title: str,
    height: int = 520,
) -> go.Figure:
    """Monthly lead cohorts (rows) × months since creation (columns): the share of the cohort
    won by then, shaded from white to the motion's colour; months the data do not reach are
    blank.

    ``df``: ``cohort_month``, ``motion``, ``months_since``, ``count_leads``, ``share_won``.
    """
    part = df[df["motion"] == motion]
    layout = _layout(title=title, height=height)
    if part.empty:
        return _figure([], layout)
    grid = part.pivot_table(
        index="cohort_month", columns="months_since", values="share_won", dropna=False
    ).sort_index()
    grid = grid.loc[:, grid.notna().any()]  # ages no cohort has reached yet
    sizes = part.groupby("cohort_month")["count_leads"].first().reindex(grid.index)
    rows = [pd.Timestamp(m).strftime("%Y-%m") for m in grid.index]
    z = grid.to_numpy(dtype=float)
    trace = {
        "type": "heatmap",
        "z": z,
        "x": [int(c) for c in grid.columns],
        "y": rows,
        "customdata": [[int(n)] * z.shape[1] for n in sizes],
        "colorscale": [[0.0, "#FFFFFF"], [1.0, motion_color(motion)]],
        "zmin": 0,
        "texttemplate": "%{z:.1%}",
        "textfont": {"size": 11},
        "hoverongaps": False,
        "xgap": 1,
        "ygap": 1,
        "colorbar": {"title": {"text": colorbar_title}, "tickformat": ".1%"},
        "hovertemplate": (
            f"{y_title}: %{{y}} (n = %{{customdata:,}})<br>{x_title}: %{{x}}<br>"
            f"{colorbar_title}: %{{z:.1%}}<extra></extra>"
        ),
    }
    layout.update(
        xaxis={"title": {"text": x_title}, "dtick": 1, "showgrid": False, "ticks": ""},
        yaxis={
            "title": {"text": y_title},
            "autorange": "reversed",
            "type": "category",
            "showgrid": False,
            "ticks": "",
        },
    )
    return _figure([trace], layout)
