"""Chart builders of the Market analysis page: DataFrame in, plotly Figure out, no Streamlit.

Market sizes use one sequential blue family (TAM light → SOM dark) so that they never read as
the pull teal or the push orange; our own revenue is always split pull vs push in the engines'
fixed colours. Labels arrive translated; money axes take the currency symbol as tick prefix.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from html import escape

import pandas as pd
import plotly.graph_objects as go

from components.charts.theme import (
    CATEGORY_COLORS,
    OVERALL_COLOR,
    TEMPLATE,
    figure,
    motion_color,
    new_figure,
)

SIZE_COLORS = {"tam": "#BAC8FF", "sam": "#748FFC", "som": "#3B5BDB", "bottom_up": "#9C6ADE"}
SOM_TRACK_COLOR = "#DDE3EA"
STATUS_COLORS = {"below": "#C92A2A", "near": "#5C940D", "above": "#1C7ED6", "no_som": "#868E96"}
NO_POSITION_COLOR = "#ADB5BD"  # players with no price/quality position (e.g. "Other vendors")


def esc(value: object) -> str:
    """CRM and plan strings are escaped before plotly renders them as (a subset of) HTML."""
    return escape(str(value))


def nice_ticks(low: float, high: float, *, log: bool = False) -> list[float]:
    """Round tick values covering ``low``..``high``: the 1-2-5 series on a log axis (decades
    only when it spans more than three), else about five steps of a 1-2-5 size."""
    if high <= 0 or math.isnan(high):
        return [0.0]
    if log:
        low = max(low, high / 1e6, 1e-9)
        first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
        steps = (1, 2, 5) if last - first <= 3 else (1,)
        series = [m * 10.0**e for e in range(first, last + 1) for m in steps]
        below = [v for v in series if v <= low]
        above = [v for v in series if v >= high]
        start = below[-1] if below else series[0]
        stop = above[0] if above else series[-1]
        return [v for v in series if start <= v <= stop]
    span = high - min(low, high)
    raw = (span if span > 0 else high) / 5.0
    exponent = math.floor(math.log10(raw))
    step = next(m * 10.0**exponent for m in (1, 2, 5, 10) if m * 10.0**exponent >= raw)
    start = math.floor(min(low, high) / step) * step
    ticks, value = [], start
    while value <= high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def money_axis(
    values: list[float],
    *,
    money_text: Callable[[float], str] | None,
    money_prefix: str,
    log: bool = False,
    from_zero: bool = True,
) -> dict:
    """Axis settings for money: round ticks written by ``money_text`` (e.g. "$1.4B" rather
    than plotly's SI "$1.4G"); plotly's own "~s" ticks when no ``money_text`` is given."""
    clean = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if money_text is None or not clean or max(clean) <= 0:
        return {"tickprefix": money_prefix, "tickformat": "~s"}
    positive = [v for v in clean if v > 0]
    low = min(positive) if log else (0.0 if from_zero else min(clean))
    ticks = nice_ticks(low, max(clean), log=log)
    text = [money_text(v) if v else f"{money_prefix}0" for v in ticks]
    return {"tickmode": "array", "tickvals": ticks, "ticktext": text}


def _segment_colors(segments: list[str]) -> dict[str, str]:
    return {s: CATEGORY_COLORS[i % len(CATEGORY_COLORS)] for i, s in enumerate(sorted(segments))}


def sizing_bars(
    df: pd.DataFrame,
    *,
    title: str,
    labels: Mapping[str, str],
    y_title: str,
    money_prefix: str = "",
    money_text: Callable[[float], str] | None = None,
    log_y: bool = True,
    height: int = 440,
) -> go.Figure:
    """Grouped bars per segment: TAM, SAM, SOM (top-down) beside the bottom-up size.

    ``df`` has one row per segment with columns ``segment``, ``tam``, ``sam``, ``som`` and
    ``bottom_up``; ``labels`` names those four. A log axis (default) keeps a SOM of a few
    millions visible beside a TAM of billions.
    """
    fig = new_figure(title=title, height=height)
    segments = [esc(s) for s in df["segment"]]
    hover = f"%{{x}} · %{{fullData.name}}: {money_prefix}%{{y:,.0f}}<extra></extra>"
    traces = []
    for key in ("tam", "sam", "som", "bottom_up"):
        marker: dict = {"color": SIZE_COLORS[key]}
        if key == "bottom_up":
            # overlay keeps the bar's colour under the hatching (the default would make the
            # background transparent and a white hatch invisible)
            marker["pattern"] = {
                "shape": "/",
                "fgcolor": "#FFFFFF",
                "solidity": 0.3,
                "fillmode": "overlay",
            }
        traces.append(
            {
                "type": "bar",
                "x": segments,
                "y": df[key],
                "name": labels[key],
                "marker": marker,
                "hovertemplate": hover,
            }
        )
    fig.add_traces(traces)
    values = [v for key in SIZE_COLORS for v in df[key].tolist()]
    fig.update_layout(
        barmode="group",
        bargroupgap=0.05,
        yaxis={
            "title": {"text": y_title},
            "type": "log" if log_y else "linear",
            **money_axis(values, money_text=money_text, money_prefix=money_prefix, log=log_y),
        },
    )
    return fig


def som_check(
    df: pd.DataFrame,
    *,
    title: str,
    som_label: str,
    motion_labels: Mapping[str, str],
    status_labels: Mapping[str, str],
    coverage_texts: Mapping[str, str],
    x_title: str,
    money_prefix: str = "",
    money_text: Callable[[float], str] | None = None,
    deliverable_label: str | None = None,
    height: int = 440,
) -> go.Figure:
    """Per segment, our won revenue (pull then push, stacked) drawn inside its SOM bar.

    With ``deliverable_label``, ``df``'s ``deliverable`` column (what the funnel delivers in a
    year at its current pace) is drawn as a diamond on each row: a diamond left of the SOM's
    end is a SOM the funnel does not reach at today's pace.

    ``df`` has ``segment``, ``som``, ``won_pull``, ``won_push``, ``som_status``;
    ``coverage_texts`` maps each segment to its formatted "won ÷ SOM" text and
    ``status_labels`` each status to words. The status text sits at the end of each row, in
    red when the funnel is far below the SOM.
    """
    fig = new_figure(title=title, height=height)
    segments = [esc(s) for s in df["segment"]]
    hover = f"%{{y}} · %{{fullData.name}}: {money_prefix}%{{x:,.0f}}<extra></extra>"
    traces = [
        {
            "type": "bar",
            "y": segments,
            "x": df["som"],
            "name": som_label,
            "orientation": "h",
            "width": 0.7,
            "marker": {"color": SOM_TRACK_COLOR},
            "hovertemplate": hover,
        }
    ]
    for motion, column, base in (
        ("pull", "won_pull", None),
        ("push", "won_push", df["won_pull"]),
    ):
        traces.append(
            {
                "type": "bar",
                "y": segments,
                "x": df[column],
                "base": base,
                "name": motion_labels.get(motion, motion),
                "orientation": "h",
                "width": 0.35,
                "marker": {"color": motion_color(motion)},
                "hovertemplate": hover,
            }
        )
    has_deliverable = deliverable_label is not None and "deliverable" in df.columns
    if has_deliverable:
        traces.append(
            {
                "type": "scatter",
                "y": segments,
                "x": df["deliverable"],
                "name": deliverable_label,
                "mode": "markers",
                "marker": {
                    "symbol": "diamond",
                    "size": 16,
                    "color": OVERALL_COLOR,
                    "line": {"color": "#FFFFFF", "width": 1.5},
                },
                "hovertemplate": hover,
            }
        )
    fig.add_traces(traces)
    right = max(
        float(df["som"].fillna(0).max()),
        float((df["won_pull"] + df["won_push"]).max()),
        float(df["deliverable"].fillna(0).max()) if has_deliverable else 0.0,
        1.0,
    )
    annotations = []
    for row in df.itertuples():
        status = str(row.som_status)
        annotations.append(
            {
                "y": esc(row.segment),
                "x": right * 1.02,
                "xanchor": "left",
                "showarrow": False,
                "text": f"{coverage_texts.get(row.segment, '')} · "
                f"{status_labels.get(status, status)}",
                "font": {"color": STATUS_COLORS.get(status, "#616E7C"), "size": 13},
            }
        )
    fig.update_layout(
        annotations=annotations,
        barmode="overlay",
        margin={"r": 190},
        legend={"y": -0.3, "yanchor": "top"},
        xaxis={
            "title": {"text": x_title},
            "range": [0, right * 1.02],
            **money_axis([right], money_text=money_text, money_prefix=money_prefix),
        },
        yaxis={"autorange": "reversed"},
    )
    return fig


def attractiveness_bubbles(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    hover_texts: Mapping[str, str],
    money_prefix: str = "",
    money_text: Callable[[float], str] | None = None,
    height: int = 460,
) -> go.Figure:
    """Segments as bubbles: x = SAM, y = growth %, bubble area = our won revenue.

    ``df`` has ``segment``, ``sam``, ``growth_pct`` and ``won_amount``; ``hover_texts`` maps
    each segment to its (already formatted, escaped) hover lines. A segment with no revenue
    still shows as a small hollow ring.
    """
    fig = new_figure(title=title, height=height)
    colors = _segment_colors(df["segment"].astype(str).tolist())
    biggest = float(df["won_amount"].max()) if not df.empty else 0.0
    # sizemode "area": a bubble's area is proportional to revenue; the largest is 70 px wide.
    sizeref = 2.0 * biggest / (70.0**2) if biggest > 0 else 1.0
    traces = []
    for row in df.itertuples():
        has_revenue = row.won_amount > 0
        traces.append(
            {
                "type": "scatter",
                "x": [row.sam],
                "y": [row.growth_pct],
                "mode": "markers+text",
                "name": esc(row.segment),
                "text": [esc(row.segment)],
                "textposition": "top center",
                "marker": {
                    "size": [row.won_amount if has_revenue else 0],
                    "sizemode": "area",
                    "sizeref": sizeref,
                    "sizemin": 10,
                    "color": colors[str(row.segment)] if has_revenue else "rgba(0,0,0,0)",
                    "opacity": 0.75,
                    "line": {"color": colors[str(row.segment)], "width": 2},
                },
                "hovertext": [hover_texts.get(row.segment, esc(row.segment))],
                "hoverinfo": "text",
            }
        )
    fig.add_traces(traces)
    fig.update_layout(
        xaxis={
            "title": {"text": x_title},
            **money_axis(
                df["sam"].tolist(),
                money_text=money_text,
                money_prefix=money_prefix,
                from_zero=False,
            ),
        },
        yaxis={"title": {"text": y_title}, "ticksuffix": "%", "rangemode": "tozero"},
        showlegend=False,
    )
    return fig


def competitor_shares(
    df: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    research_name: str | None = None,
    research_label: str | None = None,
    no_position: set[str] | frozenset[str] = frozenset(),
    height: int = 440,
) -> go.Figure:
    """Each competitor's market share by year, a line each, largest first in the legend.

    ``df`` has ``year``, ``player``, ``share_pct`` (competitor rows of
    ``queries.market.share_over_time``). The row that is us in market research
    (``research_name``) is drawn dashed in dark grey and named ``research_label``; players in
    ``no_position`` (residual rows such as "Other vendors") dotted in light grey.
    """
    fig = new_figure(title=title, height=height)
    color_i = 0
    order = df.groupby("player")["share_pct"].mean().sort_values(ascending=False).index
    # one sort, then each player's rows in year order (a stable sort keeps ties as they were)
    by_player = dict(iter(df.sort_values("year", kind="stable").groupby("player", sort=False)))
    traces = []
    for player in order:
        part = by_player[player]
        if player == research_name:
            line = {"color": OVERALL_COLOR, "width": 3, "dash": "dash"}
            name = research_label or esc(player)
        elif player in no_position:
            line = {"color": NO_POSITION_COLOR, "width": 2, "dash": "dot"}
            name = esc(player)
        else:
            line = {"color": CATEGORY_COLORS[color_i % len(CATEGORY_COLORS)], "width": 2}
            color_i += 1
            name = esc(player)
        traces.append(
            {
                "type": "scatter",
                "x": part["year"],
                "y": part["share_pct"],
                "name": name,
                "mode": "lines+markers",
                "line": line,
                "hovertemplate": "%{fullData.name} · %{x}: %{y:.1f}%<extra></extra>",
            }
        )
    fig.add_traces(traces)
    years = sorted(df["year"].unique()) if not df.empty else []
    fig.update_layout(
        legend={"y": -0.15, "yanchor": "top"},
        xaxis={"tickmode": "array", "tickvals": years, "ticktext": [str(y) for y in years]},
        yaxis={"title": {"text": y_title}, "ticksuffix": "%", "rangemode": "tozero"},
    )
    return fig


def our_share(
    df: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    motion_labels: Mapping[str, str],
    total_label: str,
    year_labels: Mapping[int, str] | None = None,
    height: int = 440,
) -> go.Figure:
    """Our share of TAM by year computed from the CRM: pull and push stacked, total on top.

    ``df`` has ``year``, ``player`` (``us``, ``pull``, ``push``) and ``share_pct``.
    ``year_labels`` renames x ticks (e.g. to mark a year with only part of its data).
    """
    fig = new_figure(title=title, height=height)
    total = df[df["player"] == "us"].set_index("year")["share_pct"]
    traces = []
    for motion in ("pull", "push"):
        part = df[df["player"] == motion].sort_values("year")
        if part.empty:
            continue
        traces.append(
            {
                "type": "bar",
                "x": part["year"],
                "y": part["share_pct"],
                "name": motion_labels.get(motion, motion),
                "marker": {"color": motion_color(motion)},
                "hovertemplate": "%{fullData.name} · %{x}: %{y:.3f}%<extra></extra>",
            }
        )
    if not total.empty:
        traces.append(
            {
                "type": "scatter",
                "x": list(total.index),
                "y": list(total.values),
                "mode": "text",
                "text": [f"{v:.2f}%" for v in total.values],
                "textposition": "top center",
                "textfont": {"color": OVERALL_COLOR, "size": 13},
                "name": total_label,
                "showlegend": False,
                "hovertemplate": f"{total_label} · %{{x}}: %{{y:.3f}}%<extra></extra>",
            }
        )
    fig.add_traces(traces)
    years = sorted(df["year"].unique()) if not df.empty else []
    ticktext = [(year_labels or {}).get(int(y), str(y)) for y in years]
    top = float(total.max()) if not total.empty else 0.0
    # two-line year ticks ("2023 / (2 months)") need the legend further down
    fig.update_layout(
        barmode="stack",
        legend={"y": -0.25, "yanchor": "top"},
        xaxis={"tickmode": "array", "tickvals": years, "ticktext": ticktext},
        yaxis={
            "title": {"text": y_title},
            "ticksuffix": "%",
            "range": [0, top * 1.2 if top > 0 else 1],
        },
    )
    return fig


def positioning_map(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    us_label: str,
    us_price: float | None = None,
    us_quality: float | None = None,
    us_hover: str = "",
    average_label: str = "",
    share_label: str = "share",
    target_x: float | None = None,
    target_y: float | None = None,
    target_label: str = "",
    height: int = 520,
) -> go.Figure:
    """Competitors on price index × quality index, bubble area = share; us as a star.

    ``df`` has ``competitor``, ``price_index``, ``quality_index``, ``share_pct`` (rows without
    both indices are left out). Dotted lines mark the share-weighted market average of each
    index, splitting the map into value / premium quadrants. ``price_index`` and
    ``quality_index`` are the x and y values: a page may put any two axes there. ``target_x``,
    ``target_y`` place the position we aim for as a hollow diamond, with an arrow from us.
    """
    fig = new_figure(title=title, height=height)
    placed = df.dropna(subset=["price_index", "quality_index"])
    biggest = float(placed["share_pct"].max()) if not placed.empty else 0.0
    sizeref = 2.0 * biggest / (80.0**2) if biggest > 0 else 1.0
    hover = (
        f"%{{fullData.name}}<br>{x_title}: %{{x:.0f}}<br>{y_title}: %{{y:.0f}}"
        f"<br>{share_label}: %{{customdata:.1f}}%<extra></extra>"
    )
    traces = []
    for i, row in enumerate(placed.itertuples()):
        traces.append(
            {
                "type": "scatter",
                "x": [row.price_index],
                "y": [row.quality_index],
                "name": esc(row.competitor),
                "mode": "markers+text",
                "text": [esc(row.competitor)],
                "textposition": "top center",
                "marker": {
                    "size": [max(float(row.share_pct), 0.0)],
                    "sizemode": "area",
                    "sizeref": sizeref,
                    "sizemin": 8,
                    "color": CATEGORY_COLORS[i % len(CATEGORY_COLORS)],
                    "opacity": 0.7,
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                "customdata": [row.share_pct],
                "hovertemplate": hover,
            }
        )
    layout: dict = {"showlegend": False}
    if not placed.empty and placed["share_pct"].sum() > 0:
        weights = placed["share_pct"].clip(lower=0)
        avg_price = float((placed["price_index"] * weights).sum() / weights.sum())
        avg_quality = float((placed["quality_index"] * weights).sum() / weights.sum())
        line = {"color": "#9AA5B1", "width": 1, "dash": "dot"}
        # what fig.add_vline / add_hline(annotation_position="bottom right") draw, set at
        # once (each of those calls re-walks the figure's subplots)
        layout["shapes"] = [
            {
                "type": "line",
                "x0": avg_price,
                "x1": avg_price,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": line,
            },
            {
                "type": "line",
                "x0": 0,
                "x1": 1,
                "xref": "x domain",
                "y0": avg_quality,
                "y1": avg_quality,
                "yref": "y",
                "line": line,
            },
        ]
        layout["annotations"] = [
            {
                "text": average_label,
                "showarrow": False,
                "x": 1,
                "xanchor": "right",
                "xref": "x domain",
                "y": avg_quality,
                "yanchor": "top",
                "yref": "y",
                "font": {"color": "#616E7C", "size": 12},
            }
        ]
    if us_price is not None and us_quality is not None:
        traces.append(
            {
                "type": "scatter",
                "x": [us_price],
                "y": [us_quality],
                "name": us_label,
                "mode": "markers+text",
                "text": [us_label],
                "textposition": "bottom center",
                "textfont": {"color": OVERALL_COLOR, "size": 14},
                "marker": {
                    "symbol": "star",
                    "size": 26,
                    "color": OVERALL_COLOR,
                    "line": {"color": "#FFFFFF", "width": 1.5},
                },
                "hovertext": [us_hover or us_label],
                "hoverinfo": "text",
            }
        )
    has_target = target_x is not None and target_y is not None
    if has_target:
        traces.append(
            {
                "type": "scatter",
                "x": [target_x],
                "y": [target_y],
                "name": target_label,
                "mode": "markers+text",
                "text": [target_label],
                "textposition": "top center",
                "textfont": {"color": OVERALL_COLOR, "size": 14},
                "marker": {
                    "symbol": "diamond-open",
                    "size": 24,
                    "color": OVERALL_COLOR,
                    "line": {"color": OVERALL_COLOR, "width": 3},
                },
                "hovertemplate": f"{target_label}<br>{x_title}: %{{x:.1f}}<br>"
                f"{y_title}: %{{y:.1f}}<extra></extra>",
            }
        )
        if us_price is not None and us_quality is not None:
            layout.setdefault("annotations", []).append(
                {
                    "x": target_x,
                    "y": target_y,
                    "ax": us_price,
                    "ay": us_quality,
                    "xref": "x",
                    "yref": "y",
                    "axref": "x",
                    "ayref": "y",
                    "text": "",
                    "showarrow": True,
                    "arrowhead": 3,
                    "arrowwidth": 2,
                    "arrowcolor": "#616E7C",
                    "standoff": 14,
                    "startstandoff": 14,
                }
            )
    fig.add_traces(traces)
    xs = [*placed["price_index"].tolist(), *([us_price] if us_price is not None else [])]
    ys = [*placed["quality_index"].tolist(), *([us_quality] if us_quality is not None else [])]
    if has_target:
        xs.append(target_x)
        ys.append(target_y)
    # room around the points: 8 index points on the usual 0..150 scales, less on small ones
    clean_x = [v for v in xs if v is not None and not math.isnan(v)]
    span = (max(clean_x) - min(clean_x)) if clean_x else 0.0
    pad = 8.0 if span >= 40 else max(span * 0.2, 0.5)
    xaxis: dict = {"title": {"text": x_title}, "showgrid": True, "gridcolor": "#F0F2F5"}
    yaxis: dict = {"title": {"text": y_title}}
    if xs and ys and not any(math.isnan(v) for v in xs + ys):
        xaxis["range"] = [min(xs) - pad, max(xs) + pad]
        yaxis["range"] = [min(ys) - pad, max(ys) + pad]
    fig.update_layout(layout, xaxis=xaxis, yaxis=yaxis)
    return fig


def sizing_funnel(
    top_down: Mapping[str, float],
    bottom_up: Mapping[str, float],
    *,
    title: str,
    top_down_title: str,
    bottom_up_title: str,
    labels: Mapping[str, str],
    money_text: Callable[[float], str],
    height: int = 460,
) -> go.Figure:
    """Two funnels side by side: top-down (TAM → SAM → SOM) and bottom-up (accounts × ACV →
    what the funnel delivers in a year → won in the year).

    ``top_down`` and ``bottom_up`` map stage keys to money values (in display order; missing
    or non-positive stages are left out); ``labels`` names the stages; ``money_text`` writes a
    value. Widths are on a logarithmic scale shared by both funnels (a SOM of millions stays
    visible under a TAM of billions, and equal values are equally wide on both sides); each
    stage is labelled with its value and its share of its funnel's first stage.
    """
    # two panels side by side, laid out as make_subplots(1, 2, horizontal_spacing=0.22) would,
    # in one go (theme.figure): its update calls were most of this chart's 60 ms
    domains = ([0.0, 0.39], [0.61, 1.0])
    everything = [
        float(v)
        for v in [*top_down.values(), *bottom_up.values()]
        if v is not None and not math.isnan(float(v)) and float(v) > 0
    ]
    # the floor of the log scale: a decade below the smallest stage, so it keeps some width
    floor = math.log10(min(everything)) - 1.0 if everything else 0.0
    dark, light = "#1F2933", "#FFFFFF"
    traces: list[dict] = []
    for col, stages, colors, text_colors in (
        (
            1,
            top_down,
            [SIZE_COLORS["tam"], SIZE_COLORS["sam"], SIZE_COLORS["som"]],
            [dark, light, light],  # dark text on the pale TAM
        ),
        (2, bottom_up, [SIZE_COLORS["bottom_up"], OVERALL_COLOR, "#5C940D"], [light] * 3),
    ):
        keys = [
            k
            for k, v in stages.items()
            if v is not None and not math.isnan(float(v)) and float(v) > 0
        ]
        values = [float(stages[k]) for k in keys]
        first = values[0] if values else None
        text = [
            money_text(v) + (f" · {v / first:.1%}" if first and i else "")
            for i, v in enumerate(values)
        ]
        suffix = "" if col == 1 else str(col)
        traces.append(
            {
                "type": "funnel",
                "y": [labels.get(k, k) for k in keys],
                "x": [math.log10(v) - floor for v in values],
                "text": text,
                "textinfo": "text",
                "textposition": "inside",
                "insidetextfont": {"color": text_colors[: len(keys)], "size": 13},
                "marker": {"color": colors[: len(keys)]},
                "connector": {"line": {"color": "#CBD2D9", "width": 1}},
                "hovertemplate": "%{y}: %{text}<extra></extra>",
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
            }
        )
    layout: dict = {"template": TEMPLATE}
    for col, domain in enumerate(domains, start=1):
        suffix = "" if col == 1 else str(col)
        layout[f"xaxis{suffix}"] = {"anchor": f"y{suffix}", "domain": domain, "visible": False}
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": [0.0, 1.0]}
    layout["annotations"] = [
        {
            "font": {"size": 13, "color": "#616E7C"},
            "showarrow": False,
            "text": panel_title,
            "x": (domain[0] + domain[1]) / 2,
            "xanchor": "center",
            "xref": "paper",
            "y": 1.0,
            "yanchor": "bottom",
            "yref": "paper",
        }
        for domain, panel_title in zip(domains, (top_down_title, bottom_up_title), strict=True)
    ]
    layout.update(
        title={"text": title},
        height=height,
        showlegend=False,
        margin={"l": 60, "r": 24, "t": 110, "b": 30},
    )
    fig = figure(traces, layout)
    return fig
