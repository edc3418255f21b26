"""Chart builders of the Funnel health page: DataFrame in, plotly Figure out, no Streamlit.

Each takes its labels already translated and paints pull and push in their fixed colours.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go

from components.charts import theme
from components.charts.base import MOTION_ORDER, axis_ref, subplot_layout
from components.charts.theme import TEMPLATE, motion_color


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
    """The layout ``theme.new_figure`` starts from, as a plain dict (see ``theme.figure``)."""
    return {"template": TEMPLATE, "height": height, "title": {"text": title}}


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
    return theme.figure(traces, layout)


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
    return theme.figure(traces, layout)


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
    return theme.figure(traces, layout)


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
        return theme.figure([], layout)
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
    return theme.figure([trace], layout)


# -- issue 4: the deeper views ------------------------------------------------------------------
BAND_COLORS = {"good": "#DCF2E3", "ok": "#FDF1D8", "poor": "#F9DEDC"}  # light green/amber/red
BAND_TEXT = {"good": "#1E7B45", "ok": "#8A6100", "poor": "#B3261E"}


def _percent_axis(title: str, *, top: float | None = None) -> dict:
    axis = {"title": {"text": title}, "tickformat": ".0%", "rangemode": "tozero"}
    if top is not None:
        axis["range"] = [0, top]
    return axis


def monthly_conversion(
    df: pd.DataFrame,
    *,
    title: str,
    motion_labels: Mapping[str, str],
    y_title: str,
    x_title: str,
    maturing_from: object | None = None,
    maturing_label: str = "",
    height: int = 380,
) -> go.Figure:
    """Lead -> won conversion per month, a line per motion; months from ``maturing_from`` on
    (cohorts that have not had time to convert) are shaded grey and labelled.

    ``df``: ``motion``, ``month``, ``count_leads``, ``count_won``, ``conversion``.
    """
    layout = _layout(title=title, height=height)
    traces = []
    for m in _motions(df):
        part = df[df["motion"] == m].sort_values("month")
        name = motion_labels.get(m, m)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": pd.to_datetime(part["month"]),
                "y": part["conversion"],
                "name": name,
                "line": {"color": motion_color(m), "width": 3},
                "marker": {"color": motion_color(m), "size": 7},
                "customdata": part[["count_won", "count_leads"]],
                "hovertemplate": (
                    f"{name}<br>%{{x|%b %Y}}: %{{y:.1%}} "
                    "(%{customdata[0]:,} / %{customdata[1]:,})<extra></extra>"
                ),
            }
        )
    shapes, annotations = [], []
    if maturing_from is not None and len(df):
        start = pd.Timestamp(maturing_from) - pd.Timedelta(days=15)  # from the bar's left edge
        end = pd.to_datetime(df["month"]).max() + pd.Timedelta(days=16)
        if start < end:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "y domain",
                    "x0": start,
                    "x1": end,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": "#E4E7EB",
                    "opacity": 0.55,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
            annotations.append(
                {
                    "text": maturing_label,
                    "x": start,
                    "xanchor": "left",
                    "xref": "x",
                    "y": 1,
                    "yanchor": "bottom",
                    "yref": "y domain",
                    "showarrow": False,
                    "font": {"color": "#52606D", "size": 12},
                }
            )
    layout.update(
        shapes=shapes,
        annotations=annotations,
        xaxis={"title": {"text": x_title}, "tickformat": "%b %Y"},
        yaxis=_percent_axis(y_title),
        hovermode="x unified",
    )
    return theme.figure(traces, layout)


def conversion_by_split(
    df: pd.DataFrame,
    *,
    title: str,
    motion_labels: Mapping[str, str],
    x_title: str,
    top: int = 12,
    height: int | None = None,
) -> go.Figure:
    """Lead -> won conversion per split value (the ``top`` with most leads), a bar per motion.

    ``df``: ``split_value``, ``motion``, ``count_leads``, ``count_won``, ``conversion``.
    """
    order = (
        df.groupby("split_value")["count_leads"].sum().sort_values(ascending=False).head(top).index
    )
    part_all = df[df["split_value"].isin(order)]
    rows = [str(v) for v in order]
    layout = _layout(title=title, height=height or max(320, 90 + 34 * len(rows)))
    traces = []
    for m in _motions(part_all):
        part = part_all[part_all["motion"] == m]
        name = motion_labels.get(m, m)
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": part["split_value"].astype(str),
                "x": part["conversion"],
                "name": name,
                "marker": {"color": motion_color(m)},
                "text": [f"{v:.1%}" if not _missing(v) else "" for v in part["conversion"]],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": part[["count_won", "count_leads"]],
                "hovertemplate": (
                    f"{name}<br>%{{y}}: %{{x:.1%}} (%{{customdata[0]:,}} / "
                    "%{customdata[1]:,})<extra></extra>"
                ),
            }
        )
    top_x = float(df["conversion"].max()) if len(df) and df["conversion"].notna().any() else 0.1
    layout.update(
        barmode="group",
        xaxis=_percent_axis(x_title, top=max(top_x, 0.01) * 1.2),
        yaxis={"categoryorder": "array", "categoryarray": rows, "autorange": "reversed"},
    )
    return theme.figure(traces, layout)


def motion_category_bars(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    motion_labels: Mapping[str, str],
    category_labels: Mapping[str, str] | None = None,
    value_title: str,
    category_title: str = "",
    percent: bool = True,
    value_prefix: str = "",
    horizontal: bool = False,
    stacked: bool = False,
    count_column: str | None = None,
    height: int = 400,
) -> go.Figure:
    """Bars per category, one per motion in its colour (grouped, or stacked), categories in the
    frame's order; values as percentages (``percent``) or numbers with ``value_prefix``.
    ``count_column`` adds the count behind each bar to the hover."""
    categories = list(dict.fromkeys(df[category].astype(str)))
    names = [(category_labels or {}).get(c, c) for c in categories]
    layout = _layout(title=title, height=height)
    traces = []
    fmt = ".1%" if percent else ",.0f"
    for m in _motions(df):
        part = df[df["motion"] == m].set_index(df[df["motion"] == m][category].astype(str))
        part = part.reindex(categories)
        name = motion_labels.get(m, m)
        values = part[value]
        # no label on empty bars: a row of "0%" is noise
        text = [
            ""
            if _missing(v) or abs(v) < 0.005
            else (f"{v:.0%}" if percent else f"{value_prefix}{v:,.0f}")
            for v in values
        ]
        cat_ax, val_ax = ("y", "x") if horizontal else ("x", "y")
        hover = f"{name}<br>%{{{cat_ax}}}: {value_prefix}%{{{val_ax}:{fmt}}}"
        trace = {
            "type": "bar",
            "name": name,
            "marker": {"color": motion_color(m)},
            "text": text,
            "textposition": "inside" if stacked else "outside",
            "cliponaxis": False,
        }
        if count_column:
            trace["customdata"] = part[count_column].fillna(0)
            hover += " (n = %{customdata:,})"
        trace["hovertemplate"] = hover + "<extra></extra>"
        if horizontal:
            trace.update(orientation="h", y=names, x=values)
        else:
            trace.update(x=names, y=values)
        traces.append(trace)
    value_axis = (
        _percent_axis(value_title)
        if percent
        else {"title": {"text": value_title}, "tickprefix": value_prefix, "tickformat": "~s"}
    )
    category_axis = {"title": {"text": category_title}, "categoryorder": "array"}
    category_axis["categoryarray"] = names
    if horizontal and not stacked:
        # room right of the longest bar for its label outside it (else cut at the edge); only
        # for bars that all grow rightwards from 0
        shown = pd.to_numeric(df[value], errors="coerce").dropna()
        if not shown.empty and shown.min() >= 0 and shown.max() > 0:
            value_axis["range"] = [0, float(shown.max()) * 1.15]
    if horizontal:
        category_axis["autorange"] = "reversed"
        layout.update(xaxis=value_axis, yaxis=category_axis)
    else:
        layout.update(xaxis=category_axis, yaxis=value_axis)
    layout.update(barmode="stack" if stacked else "group")
    return theme.figure(traces, layout)


def threshold_tuner(
    table: pd.DataFrame,
    *,
    title: str,
    motion_labels: Mapping[str, str],
    threshold: float,
    best: Mapping[str, float | None],
    above_label: str,
    below_label: str,
    best_label: str,
    threshold_label: str,
    x_title: str,
    y_title: str,
    min_leads: int = 30,
    height: int = 440,
) -> go.Figure:
    """Won share of the leads at or above a score threshold (solid) and below it (dotted), per
    motion, for every candidate threshold; the chosen threshold as a dashed line and each
    motion's best-separating threshold (largest Youden's J) as a star. A share resting on fewer
    than ``min_leads`` leads is not drawn (a handful of top-scored leads would swing to 100%).

    ``table``: ``motion``, ``threshold``, ``count_above``, ``count_below``, ``won_share_above``,
    ``won_share_below``.
    """
    layout = _layout(title=title, height=height)
    traces = []
    top = 0.0
    for m in [m for m in _motions(table) if m != "overall"]:
        part = table[table["motion"] == m].sort_values("threshold")
        name = motion_labels.get(m, m)
        for column, count, label, dash in (
            ("won_share_above", "count_above", above_label, "solid"),
            ("won_share_below", "count_below", below_label, "dot"),
        ):
            y = part[column].where(part[count] >= min_leads)
            top = max(top, float(y.max()) if y.notna().any() else 0.0)
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": part["threshold"],
                    "y": y,
                    "name": f"{name} · {label}",
                    "legendgroup": m,
                    "line": {"color": motion_color(m), "width": 2.5, "dash": dash},
                    "hovertemplate": (
                        f"{name} · {label}<br>{x_title}: %{{x:,.4~g}}<br>%{{y:.1%}}<extra></extra>"
                    ),
                }
            )
        at = best.get(m)
        if at is not None:
            row = part[part["threshold"] == at]
            if len(row):
                traces.append(
                    {
                        "type": "scatter",
                        "mode": "markers",
                        "x": [at],
                        "y": [float(row["won_share_above"].iloc[0])],
                        "name": f"{name} · {best_label}",
                        "legendgroup": m,
                        "marker": {
                            "symbol": "star",
                            "size": 16,
                            "color": motion_color(m),
                            "line": {"color": "#FFFFFF", "width": 1.5},
                        },
                        "hovertemplate": (
                            f"{name} · {best_label}: %{{x:,.4~g}}<br>%{{y:.1%}}<extra></extra>"
                        ),
                    }
                )
    layout.update(
        shapes=[
            {
                "type": "line",
                "x0": threshold,
                "x1": threshold,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": "#2F3E4E", "width": 2, "dash": "dash"},
            }
        ],
        annotations=[
            {
                "text": threshold_label,
                "x": threshold,
                "xref": "x",
                "xanchor": "left",
                "y": 0.98,
                "yref": "y domain",
                "yanchor": "top",
                "showarrow": False,
                "font": {"color": "#2F3E4E"},
            }
        ],
        xaxis={"title": {"text": x_title}},
        yaxis=_percent_axis(y_title, top=max(top, 0.01) * 1.15),
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"t": 110},
    )
    return theme.figure(traces, layout)


def benchmark_bars(
    df: pd.DataFrame,
    *,
    value: str,
    title: str,
    motion_labels: Mapping[str, str],
    bands: list[tuple[float, float, str]],
    band_labels: Mapping[str, str],
    value_title: str,
    format_value: Callable[[float], str],
    height: int = 400,
) -> go.Figure:
    """One bar per motion group (overall, pull, push) in its colour, over shaded benchmark
    bands: ``bands`` = [(low, high, 'good'|'ok'|'poor')], drawn across the plot and labelled at
    the right."""
    values = [float(v) if not _missing(v) else None for v in df[value]]
    known = [v for v in values if v is not None]
    top = max([*known, *[b[0] for b in bands if math.isfinite(b[0])], 1.0]) * 1.25
    groups = list(df["motion"])
    names = [motion_labels.get(g, g) for g in groups]
    trace = {
        "type": "bar",
        "x": names,
        "y": [v if v is not None else 0 for v in values],
        "marker": {"color": [motion_color(g) for g in groups]},
        "text": [format_value(v) if v is not None else "–" for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "showlegend": False,
        "hovertemplate": "%{x}: %{text}<extra></extra>",
        "width": 0.5,
    }
    shapes, annotations = [], []
    for low, high, band in bands:
        y0, y1 = max(low, 0.0), min(high, top)
        if y0 >= y1:
            continue
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": y0,
                "y1": y1,
                "fillcolor": BAND_COLORS[band],
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "text": band_labels.get(band, band),
                "xref": "paper",
                "x": 1,
                "xanchor": "right",
                "yref": "y",
                "y": (y0 + y1) / 2,
                "showarrow": False,
                "font": {"color": BAND_TEXT[band], "size": 12},
            }
        )
    layout = _layout(title=title, height=height)
    layout.update(
        shapes=shapes,
        annotations=annotations,
        yaxis={"title": {"text": value_title}, "range": [0, top], "showgrid": False},
        xaxis={"categoryorder": "array", "categoryarray": names},
    )
    return theme.figure([trace], layout)


def quarterly_lines(
    df: pd.DataFrame,
    *,
    value: str,
    title: str,
    motion_labels: Mapping[str, str],
    y_title: str,
    tickformat: str = "",
    tickprefix: str = "",
    height: int = 340,
) -> go.Figure:
    """One line per motion over quarters (``quarter`` labels such as '2025-Q3'); quarters the
    data do not cover entirely (``is_partial``) are drawn as hollow markers."""
    layout = _layout(title=title, height=height)
    traces = []
    for m in [m for m in _motions(df, "motion_group") if m in ("pull", "push")]:
        part = df[df["motion_group"] == m].sort_values("quarter")
        name = motion_labels.get(m, m)
        partial = part["is_partial"] if "is_partial" in part else pd.Series(False, index=part.index)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": part["quarter"],
                "y": part[value],
                "name": name,
                "line": {"color": motion_color(m), "width": 3},
                "marker": {
                    "color": ["#FFFFFF" if p else motion_color(m) for p in partial],
                    "line": {"color": motion_color(m), "width": 2},
                    "size": 8,
                },
                "hovertemplate": f"{name}<br>%{{x}}: {tickprefix}%{{y:,.3~f}}<extra></extra>",
            }
        )
    layout.update(
        xaxis={"type": "category"},
        yaxis={
            "title": {"text": y_title},
            "tickformat": tickformat,
            "tickprefix": tickprefix,
            "rangemode": "tozero",
        },
        legend={"orientation": "h", "y": -0.25},
        margin={"t": 60},
    )
    return theme.figure(traces, layout)
