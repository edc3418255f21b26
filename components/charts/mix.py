"""Chart builders of the 4P strategy page: DataFrame in, plotly Figure out, no Streamlit.

Pull and push keep their fixed colours; products and channels take the categorical palette in
a stable (sorted) order so one channel has one colour in every chart of the page. CRM strings
are escaped before plotly renders them.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import pandas as pd
import plotly.graph_objects as go

from components.charts.theme import (
    CATEGORY_COLORS,
    OVERALL_COLOR,
    PULL_COLOR,
    PUSH_COLOR,
    motion_color,
    new_figure,
)

MOTION_LINES = ("pull", "push", "overall")
PROMOTION_COLORS = {"spend": "#868E96", "pipeline_created": "#4C6EF5", "won_amount": "#2B8A3E"}
HEAT_SCALE = [[0.0, "#F8F9FA"], [1.0, "#3B5BDB"]]


def esc(value: object) -> str:
    return escape(str(value))


def category_colors(values: list[str]) -> dict[str, str]:
    """One colour per category (channel, product), stable across charts: by sorted order."""
    ordered = sorted({str(v) for v in values})
    return {v: CATEGORY_COLORS[i % len(CATEGORY_COLORS)] for i, v in enumerate(ordered)}


def category_lines(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    title: str,
    y_title: str,
    y_prefix: str = "",
    y_format: str = "~s",
    y_suffix: str = "",
    hover_format: str = ",.0f",
    height: int = 420,
) -> go.Figure:
    """A line per value of ``series`` (e.g. product) over ``x`` (e.g. quarter)."""
    fig = new_figure(title=title, height=height)
    colors = category_colors(df[series].tolist()) if not df.empty else {}
    keys = df[series].astype(str)
    hover = f"%{{fullData.name}} · %{{x}}: {y_prefix}%{{y:{hover_format}}}{y_suffix}<extra></extra>"
    traces = []
    # one split by series; each part in x order (a stable sort keeps ties as they were)
    for value, part in df.groupby(keys, sort=True):
        part = part.sort_values(x)
        traces.append(
            {
                "type": "scatter",
                "x": part[x].astype(str),
                "y": part[y],
                "name": esc(value),
                "mode": "lines+markers",
                "line": {"color": colors[value], "width": 3},
                "hovertemplate": hover,
            }
        )
    fig.add_traces(traces)
    fig.update_layout(
        xaxis={"type": "category", "categoryorder": "category ascending"},
        yaxis={
            "title": {"text": y_title},
            "tickprefix": y_prefix,
            "tickformat": y_format,
            "ticksuffix": y_suffix,
            "rangemode": "tozero",
        },
    )
    return fig


def discount_curve(
    df: pd.DataFrame,
    *,
    y: str,
    title: str,
    y_title: str,
    x_title: str,
    band_labels: Mapping[int, str],
    motion_labels: Mapping[str, str],
    closed_label: str,
    y_prefix: str = "",
    y_format: str = "~s",
    hover_format: str = ",.0f",
    height: int = 420,
) -> go.Figure:
    """``y`` (win rate or average deal size) per discount band: a line per motion group.

    ``df`` comes from ``queries.mix.discount_curve`` (``band_index``, ``motion_group``,
    ``closed``, ``y``). Pull and push in their colours, overall dashed dark grey; the number of
    closed deals behind each point is in the hover (few deals = noisy point).
    """
    fig = new_figure(title=title, height=height)
    order = sorted(band_labels)
    hover = (
        f"%{{fullData.name}} · %{{x}}: {y_prefix}%{{y:{hover_format}}}"
        f"<br>{closed_label}: %{{customdata:,}}<extra></extra>"
    )
    groups = dict(iter(df.groupby("motion_group", sort=False)))
    traces = []
    for group in MOTION_LINES:
        part = groups.get(group)
        if part is None or part.empty:
            continue
        part = part.sort_values("band_index")
        dash = "dash" if group == "overall" else "solid"
        traces.append(
            {
                "type": "scatter",
                "x": [band_labels[int(b)] for b in part["band_index"]],
                "y": part[y],
                "name": motion_labels.get(group, group),
                "mode": "lines+markers",
                "line": {"color": motion_color(group), "width": 3, "dash": dash},
                "marker": {"size": 8},
                "customdata": part["closed"],
                "hovertemplate": hover,
            }
        )
    fig.add_traces(traces)
    fig.update_layout(
        xaxis={
            "title": {"text": x_title},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [band_labels[b] for b in order],
        },
        yaxis={
            "title": {"text": y_title},
            "tickprefix": y_prefix,
            "tickformat": y_format,
            "rangemode": "tozero",
        },
    )
    return fig


def deal_size_histogram(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    bin_labels: Mapping[int, str],
    motion_labels: Mapping[str, str],
    height: int = 420,
) -> go.Figure:
    """Won deals per deal-size bin, pull and push side by side.

    ``df`` comes from ``queries.mix.deal_size_bins`` (``bin_index``, ``motion``, ``deals``);
    ``bin_labels`` names each bin (e.g. "$10K–20K").
    """
    fig = new_figure(title=title, height=height)
    order = sorted(bin_labels)
    motions = dict(iter(df.groupby("motion", sort=False)))
    traces = []
    for motion in ("pull", "push", "unmapped"):
        part = motions.get(motion)
        if part is None or part.empty:
            continue
        part = part.sort_values("bin_index")
        traces.append(
            {
                "type": "bar",
                "x": [bin_labels[int(b)] for b in part["bin_index"]],
                "y": part["deals"],
                "name": motion_labels.get(motion, motion),
                "marker": {"color": motion_color(motion)},
                "hovertemplate": "%{fullData.name} · %{x}: %{y:,}<extra></extra>",
            }
        )
    fig.add_traces(traces)
    fig.update_layout(
        barmode="group",
        xaxis={
            "title": {"text": x_title},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [bin_labels[b] for b in order],
        },
        yaxis={"title": {"text": y_title}},
    )
    return fig


def heatmap(
    df: pd.DataFrame,
    *,
    rows: str,
    cols: str,
    value: str,
    title: str,
    value_label: str,
    count_label: str,
    count: str | None = None,
    text_format: str = ".0%",
    height: int = 420,
) -> go.Figure:
    """A ``rows`` × ``cols`` grid coloured by ``value`` with the value printed in each cell.

    ``count`` (optional) names a column shown in the hover (e.g. closed deals behind a win
    rate). Empty cells stay blank.
    """
    fig = new_figure(title=title, height=height)
    grid = df.pivot_table(index=rows, columns=cols, values=value, aggfunc="first")
    counts = (
        df.pivot_table(index=rows, columns=cols, values=count, aggfunc="first").reindex_like(grid)
        if count
        else None
    )
    fig.add_traces(
        [
            {
                "type": "heatmap",
                "z": grid.to_numpy(dtype=float),
                "x": [esc(c) for c in grid.columns],
                "y": [esc(r) for r in grid.index],
                "colorscale": HEAT_SCALE,
                "texttemplate": f"%{{z:{text_format}}}",
                "textfont": {"size": 14},
                "customdata": None if counts is None else counts.to_numpy(dtype=float),
                "hovertemplate": (
                    f"%{{y}} · %{{x}}<br>{value_label}: %{{z:{text_format}}}"
                    + (f"<br>{count_label}: %{{customdata:,.0f}}" if counts is not None else "")
                    + "<extra></extra>"
                ),
                "colorbar": {"title": {"text": value_label}, "tickformat": text_format},
                "xgap": 2,
                "ygap": 2,
            }
        ]
    )
    fig.update_layout(
        yaxis={"autorange": "reversed", "showgrid": False},
        xaxis={"showgrid": False, "side": "bottom"},
    )
    return fig


def promotion_bars(
    df: pd.DataFrame,
    *,
    title: str,
    labels: Mapping[str, str],
    x_title: str,
    money_prefix: str = "",
    height: int = 460,
) -> go.Figure:
    """Per marketing channel (rows), spend beside the pipeline created and the revenue won.

    ``df`` has ``channel``, ``spend``, ``pipeline_created``, ``won_amount``; ``labels`` names
    the three measures.
    """
    fig = new_figure(title=title, height=height)
    channels = [esc(c) for c in df["channel"]]
    hover = f"%{{y}} · %{{fullData.name}}: {money_prefix}%{{x:,.0f}}<extra></extra>"
    fig.add_traces(
        [
            {
                "type": "bar",
                "y": channels,
                "x": df[key],
                "name": labels[key],
                "orientation": "h",
                "marker": {"color": PROMOTION_COLORS[key]},
                "hovertemplate": hover,
            }
            for key in ("spend", "pipeline_created", "won_amount")
        ]
    )
    fig.update_layout(
        barmode="group",
        xaxis={"title": {"text": x_title}, "tickprefix": money_prefix, "tickformat": "~s"},
        yaxis={"autorange": "reversed"},
    )
    return fig


def cost_per_lead_bars(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    leads_label: str,
    money_prefix: str = "",
    colors: Mapping[str, str] | None = None,
    height: int = 420,
) -> go.Figure:
    """Cost per lead per channel (channels without spend are left out), cheapest first; the
    number of leads in the hover. ``colors`` maps channel → colour (default:
    ``category_colors`` of the channels in ``df``) so a channel matches the other charts."""
    fig = new_figure(title=title, height=height)
    colors = colors or (category_colors(df["channel"].tolist()) if not df.empty else {})
    paid = df[df["cost_per_lead"].notna()].sort_values("cost_per_lead")
    fig.add_traces(
        [
            {
                "type": "bar",
                "y": [esc(c) for c in paid["channel"]],
                "x": paid["cost_per_lead"],
                "orientation": "h",
                "marker": {"color": [colors.get(str(c), "#868E96") for c in paid["channel"]]},
                "customdata": paid["leads"],
                "text": [f"{money_prefix}{v:,.0f}" for v in paid["cost_per_lead"]],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": (
                    f"%{{y}}: {money_prefix}%{{x:,.0f}}<br>{leads_label}: %{{customdata:,}}"
                    "<extra></extra>"
                ),
                "showlegend": False,
            }
        ]
    )
    top = float(paid["cost_per_lead"].max()) if not paid.empty else 0.0
    fig.update_layout(
        xaxis={
            "title": {"text": x_title},
            "tickprefix": money_prefix,
            "tickformat": "~s",
            "range": [0, top * 1.18 if top > 0 else 1],  # room for the value labels
        },
        yaxis={"autorange": "reversed"},
    )
    return fig


def budget_donut(
    df: pd.DataFrame,
    *,
    title: str,
    center_text: str = "",
    money_prefix: str = "",
    colors: Mapping[str, str] | None = None,
    height: int = 420,
) -> go.Figure:
    """Each channel's share of the spend in ``df`` (``channel``, ``amount``) as a donut;
    ``colors`` maps channel → colour (default: ``category_colors`` of ``df``'s channels)."""
    fig = new_figure(title=title, height=height)
    part = df[df["amount"] > 0]
    colors = colors or (category_colors(df["channel"].tolist()) if not df.empty else {})
    fig.add_traces(
        [
            {
                "type": "pie",
                "labels": [esc(c) for c in part["channel"]],
                "values": part["amount"],
                "hole": 0.55,
                "sort": True,
                "direction": "clockwise",
                "marker": {"colors": [colors.get(str(c), "#868E96") for c in part["channel"]]},
                "texttemplate": "%{label}<br>%{percent:.1%}",
                "textposition": "outside",
                "hovertemplate": (
                    f"%{{label}}: {money_prefix}%{{value:,.0f}} (%{{percent}})<extra></extra>"
                ),
            }
        ]
    )
    layout: dict = {"showlegend": False, "margin": {"t": 90, "b": 40, "l": 40, "r": 40}}
    if center_text:
        layout["annotations"] = [
            {
                "text": center_text,
                "showarrow": False,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "font": {"size": 15, "color": OVERALL_COLOR},
            }
        ]
    fig.update_layout(layout)
    return fig


def engine_split_bar(
    marketing: float,
    sales: float,
    *,
    title: str,
    motion_labels: Mapping[str, str],
    money_prefix: str = "",
    height: int = 200,
) -> go.Figure:
    """One 100 % bar: marketing spend (the pull engine) against sales spend (push)."""
    fig = new_figure(title=title, height=height)
    total = marketing + sales
    traces = []
    for motion, amount, color in (("pull", marketing, PULL_COLOR), ("push", sales, PUSH_COLOR)):
        share = amount / total if total else 0.0
        traces.append(
            {
                "type": "bar",
                "y": [""],
                "x": [share],
                "name": motion_labels.get(motion, motion),
                "orientation": "h",
                "marker": {"color": color},
                "text": [f"{share:.0%}"],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": "#FFFFFF", "size": 15},
                "customdata": [amount],
                "hovertemplate": (
                    f"%{{fullData.name}}: {money_prefix}%{{customdata:,.0f}} (%{{x:.1%}})"
                    "<extra></extra>"
                ),
            }
        )
    fig.add_traces(traces)
    fig.update_layout(
        barmode="stack",
        margin={"t": 70, "b": 20},
        xaxis={"range": [0, 1], "showticklabels": False, "ticks": "", "showline": False},
        yaxis={"showticklabels": False, "showgrid": False},
    )
    return fig


LIGHT_COLORS = {"green": "#2B8A3E", "amber": "#F2B705", "red": "#C92A2A", "grey": "#ADB5BD"}
ACTUAL_COLOR = "#ADB5BD"
PLANNED_COLOR = "#3B5BDB"


def budget_vs_actual(
    df: pd.DataFrame,
    *,
    title: str,
    labels: Mapping[str, str],
    x_title: str,
    money_prefix: str = "",
    height: int = 420,
) -> go.Figure:
    """Per budget line (rows), the planned amount beside last period's actual spend.

    ``df`` has ``label`` (the line as shown), ``amount`` (planned) and ``actual`` (NaN for a
    line without spend history, drawn as no bar); ``labels`` names ``amount`` and ``actual``.
    """
    fig = new_figure(title=title, height=height)
    lines = [esc(v) for v in df["label"]]
    hover = f"%{{y}} · %{{fullData.name}}: {money_prefix}%{{x:,.0f}}<extra></extra>"
    fig.add_traces(
        [
            {
                "type": "bar",
                "y": lines,
                "x": df[key],
                "name": labels[key],
                "orientation": "h",
                "marker": {"color": color},
                "hovertemplate": hover,
            }
            for key, color in (("actual", ACTUAL_COLOR), ("amount", PLANNED_COLOR))
        ]
    )
    fig.update_layout(
        barmode="group",
        xaxis={"title": {"text": x_title}, "tickprefix": money_prefix, "tickformat": "~s"},
        yaxis={"autorange": "reversed"},
    )
    return fig


def kpi_attainment(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    light_labels: Mapping[str, str],
    height: int | None = None,
) -> go.Figure:
    """Each plan KPI's attainment (actual ÷ target, mirrored for lower-is-better KPIs) as a
    bar coloured by its traffic light, with a line at 100 % (on target).

    ``df`` has ``label`` (segment · P · KPI as shown), ``attainment`` (1.0 = on target; NaN
    draws no bar), ``light`` ('green', 'amber', 'red', 'grey') and ``detail`` (hover text,
    already escaped).
    """
    fig = new_figure(title=title, height=height or max(320, 46 * len(df) + 150))
    fig.add_traces(
        [
            {
                "type": "bar",
                "y": [esc(v) for v in df["label"]],
                "x": df["attainment"],
                "orientation": "h",
                "marker": {
                    "color": [LIGHT_COLORS.get(v, LIGHT_COLORS["grey"]) for v in df["light"]]
                },
                "text": [
                    f"{a:.0%} · {light_labels.get(v, v)}" if pd.notna(a) else light_labels.get(v, v)
                    for a, v in zip(df["attainment"], df["light"], strict=True)
                ],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertext": df["detail"],
                "hoverinfo": "text",
                "showlegend": False,
            }
        ]
    )
    top = float(df["attainment"].max()) if df["attainment"].notna().any() else 1.0
    fig.update_layout(
        shapes=[
            {
                "type": "line",
                "x0": 1,
                "x1": 1,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": OVERALL_COLOR, "width": 2, "dash": "dash"},
                "layer": "below",  # the bars' labels stay readable where they cross it
            }
        ],
        xaxis={
            "title": {"text": x_title},
            "tickformat": ".0%",
            "range": [0, max(top, 1.0) * 1.3],
        },
        yaxis={"autorange": "reversed"},
        margin={"l": 60, "r": 40, "t": 80, "b": 50},
    )
    return fig


def value_bars(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    x_title: str,
    text: list[str] | None = None,
    value_format: str = "~s",
    x_range: tuple[float, float] | None = None,
    color: str = "#3B5BDB",
    height: int = 420,
) -> go.Figure:
    """One horizontal bar per ``category`` (both engines together), its ``value`` printed at
    the end (``text``, already formatted; default plotly's ``value_format``)."""
    fig = new_figure(title=title, height=height)
    fig.add_traces(
        [
            {
                "type": "bar",
                "y": [esc(v) for v in df[category]],
                "x": df[value],
                "orientation": "h",
                "marker": {"color": color},
                "text": text if text is not None else None,
                "texttemplate": None if text is not None else f"%{{x:{value_format}}}",
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": f"%{{y}}: %{{x:{value_format}}}<extra></extra>",
                "showlegend": False,
            }
        ]
    )
    xaxis: dict = {"title": {"text": x_title}, "tickformat": value_format}
    if x_range is not None:
        xaxis["range"] = [x_range[0], x_range[1] * 1.15]  # room for the value labels
    fig.update_layout(xaxis=xaxis, yaxis={"autorange": "reversed"})
    return fig
