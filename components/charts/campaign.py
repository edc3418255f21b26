"""Charts of the Campaign calendar page: DataFrame in, plotly Figure out, no Streamlit.

Journey stages keep one colour each (``STAGE_COLORS``), pull and push keep theirs
(``theme.motion_color``). Campaign names and other CRM strings are HTML-escaped before they
reach plotly, whose text understands a few HTML tags.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.charts.theme import (
    CATEGORY_COLORS,
    OVERALL_COLOR,
    TEMPLATE,
    UNMAPPED_COLOR,
    figure,
    motion_color,
    new_figure,
)

JOURNEY_STAGES = ("awareness", "consideration", "purchase", "loyalty", "advocacy")
# One colour per journey stage, none close to the pull teal or the push orange.
STAGE_COLORS = {
    "awareness": CATEGORY_COLORS[0],
    "consideration": CATEGORY_COLORS[1],
    "purchase": CATEGORY_COLORS[2],
    "loyalty": CATEGORY_COLORS[3],
    "advocacy": CATEGORY_COLORS[4],
}
BUDGET_COLOR = "#D9DEE4"  # the plan: a pale bar behind what was spent
OVER_BUDGET_COLOR = "#C92A2A"
UNDER_PACE_COLOR = "#E0A800"  # amber: spending too slowly to use the budget
# One colour per attribution model (none is pull teal or push orange).
MODEL_COLORS = {
    "first_touch": CATEGORY_COLORS[0],
    "last_touch": CATEGORY_COLORS[2],
    "linear": CATEGORY_COLORS[7],
    "u_shaped": CATEGORY_COLORS[1],
    "w_shaped": CATEGORY_COLORS[3],
    "time_decay": CATEGORY_COLORS[4],
}
GAP_COLOR = "#FCE4E4"  # an empty cell of the journey coverage: a gap
MS_PER_DAY = 86_400_000
MOTION_ORDER = ("pull", "push", "unmapped")


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


def _esc(value: object, missing: str = "—") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return missing
    return html.escape(str(value))


def _iso(value: object) -> str:
    return pd.Timestamp(value).date().isoformat()


def _ordered(values: Sequence[str], order: Sequence[str]) -> list[str]:
    present = set(values)
    return [v for v in order if v in present] + sorted(present - set(order))


def campaign_timeline(
    df: pd.DataFrame,
    *,
    title: str,
    group_by: str,
    color_by: str,
    stage_labels: Mapping[str, str],
    motion_labels: Mapping[str, str],
    hover_labels: Mapping[str, str],
    money: Callable[[float | None], str] = lambda v: f"{v:,.0f}",
    day: Callable[[date], str] = lambda d: d.isoformat(),
    span: Callable[[date, date], str] | None = None,
    today: date | None = None,
    today_label: str = "Today",
    x_range: tuple[date, date] | None = None,
) -> go.Figure:
    """A Gantt of campaigns: one bar per campaign from its first to its last day (inclusive),
    rows grouped by ``group_by`` ("channel" or "objective"), bars coloured by ``color_by``
    ("objective" or "motion"), with a dashed line on ``today`` when it is on the axis.

    ``df`` holds the columns of ``queries.campaigns.calendar``. ``hover_labels`` names the hover
    fields: budget, spend, owner, segment, status, all_segments, and optionally overlaps (shown
    when ``df`` has a ``count_overlaps`` column). ``span`` writes a campaign's days in the
    reader's form ("Nov 1, 2025 – Nov 30, 2025", 2025年11月1日至2025年11月30日); by default two
    ``day``s joined by " – ".
    """
    if span is None:
        span = lambda a, b: f"{day(a)} – {day(b)}"  # noqa: E731
    data = df.copy()
    data["group_key"] = data[group_by].fillna("—").astype(str)
    if group_by == "objective":
        group_order = _ordered(data["group_key"].tolist(), JOURNEY_STAGES)
        group_text = {g: stage_labels.get(g, g) for g in group_order}
    else:
        group_order = sorted(set(data["group_key"]))
        group_text = {g: g for g in group_order}
    data["group_rank"] = data["group_key"].map({g: i for i, g in enumerate(group_order)})
    data = data.sort_values(["group_rank", "start_date", "end_date", "campaign_id"])
    # Two campaigns with one name in one group would share a row: tell them apart by id.
    dup = data.duplicated(["group_key", "name"], keep=False)
    data["row_label"] = [
        _esc(n) + (f" ({_esc(c)})" if d else "")
        for n, c, d in zip(data["name"], data["campaign_id"], dup, strict=True)
    ]
    data["group_label"] = [_esc(group_text[g]) for g in data["group_key"]]
    starts = pd.to_datetime(data["start_date"])
    ends = pd.to_datetime(data["end_date"])
    data["base"] = [_iso(s) for s in starts]
    data["length_ms"] = ((ends - starts).dt.days + 1) * MS_PER_DAY
    data["hover"] = [
        "<b>{name}</b><br>{days}<br>{lb}: {budget}<br>{ls}: {spend}<br>"
        "{lo}: {owner}<br>{lseg}: {segment}<br>{lst}: {status}".format(
            name=_esc(r.name),
            days=span(pd.Timestamp(r.start_date).date(), pd.Timestamp(r.end_date).date()),
            lb=hover_labels["budget"],
            budget=money(r.budget),
            ls=hover_labels["spend"],
            spend=money(r.spend_to_date),
            lo=hover_labels["owner"],
            owner=_esc(r.owner),
            lseg=hover_labels["segment"],
            segment=_esc(r.segment, hover_labels["all_segments"]),
            lst=hover_labels["status"],
            status=_esc(r.status),
        )
        + (
            f"<br><b>{hover_labels['overlaps']}: {int(r.count_overlaps)}</b>"
            if "overlaps" in hover_labels and getattr(r, "count_overlaps", 0)
            else ""
        )
        for r in data.itertuples()
    ]
    height = max(380, 150 + 26 * len(data))
    # An invisible first trace fixes the row order: a multicategory axis orders rows by first
    # appearance across traces, and the colour traces below each hold a mix of groups.
    traces: list[dict] = [
        {
            "type": "scatter",
            "x": data["base"].tolist(),
            "y": [data["group_label"].tolist(), data["row_label"].tolist()],
            "mode": "markers",
            "marker": {"opacity": 0},
            "showlegend": False,
            "hoverinfo": "skip",
        }
    ]
    if color_by == "objective":
        color_keys = _ordered(data["objective"].fillna("—").tolist(), JOURNEY_STAGES)
        color_of = {k: STAGE_COLORS.get(k, UNMAPPED_COLOR) for k in color_keys}
        name_of = {k: stage_labels.get(k, k) for k in color_keys}
        key_col = data["objective"].fillna("—")
    else:
        color_keys = _ordered(data["motion"].tolist(), MOTION_ORDER)
        color_of = {k: motion_color(k) for k in color_keys}
        name_of = {k: motion_labels.get(k, k) for k in color_keys}
        key_col = data["motion"]
    for key in color_keys:
        part = data[key_col == key]
        traces.append(
            {
                "type": "bar",
                "x": part["length_ms"].tolist(),
                "base": part["base"].tolist(),
                "y": [part["group_label"].tolist(), part["row_label"].tolist()],
                "orientation": "h",
                "name": name_of[key],
                "marker": {"color": color_of[key], "line": {"width": 0}},
                "hovertext": part["hover"].tolist(),
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    # The chart is tall: dates go on top, under the title and the legend (placed in pixels from
    # the top of the figure), and the "today" label goes under the line at the bottom. Built in
    # one go (theme.figure): a trace added and an axis updated one call at a time was most of
    # the Campaigns page's time.
    xaxis: dict = {
        "type": "date",
        "side": "top",
        "showgrid": True,
        "gridcolor": "#EEF1F4",
        "tickformat": "%b %Y",
    }
    if x_range is not None:
        xaxis["range"] = [x_range[0].isoformat(), x_range[1].isoformat()]
    layout: dict = {
        "template": TEMPLATE,
        "height": height,
        "barmode": "overlay",
        "bargap": 0.3,
        "margin": {"l": 20, "t": 130, "b": 40},
        **_title_and_legend_on_top(height, title),
        "yaxis": {"autorange": "reversed", "showgrid": False, "tickfont": {"size": 12}},
        "xaxis": xaxis,
    }
    shown = x_range is None or x_range[0] <= (today or x_range[0]) <= x_range[1]
    if today is not None and shown:
        layout["shapes"] = [
            {
                "type": "line",
                "x0": today.isoformat(),
                "x1": today.isoformat(),
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": OVERALL_COLOR, "width": 2, "dash": "dash"},
            }
        ]
        layout["annotations"] = [
            {
                "x": today.isoformat(),
                "y": 0,
                "yref": "paper",
                "yanchor": "top",
                "text": html.escape(today_label),
                "showarrow": False,
                "font": {"size": 12, "color": OVERALL_COLOR},
            }
        ]
    fig = figure(traces, layout)
    return fig


def budget_pacing(
    df: pd.DataFrame,
    *,
    title: str,
    labels: Mapping[str, str],
    motion_labels: Mapping[str, str],
    money_prefix: str = "",
    value_title: str = "",
) -> go.Figure:
    """Per campaign, a pale bar for its budget, a bar in its motion's colour for its spend to
    date over it, a tick for the spend a linear pacing would have reached, and a red marker on
    campaigns pacing over their budget. With the columns of ``planning.pacing.pace``, a hollow
    diamond marks the projected end-of-campaign spend and the flags follow ``pace_status``
    (red: over, amber: under). ``labels`` names the traces: budget, spend, planned,
    over_budget, and optionally projected and under."""
    data = df.sort_values(["start_date", "campaign_id"]).copy()
    data["row_label"] = [
        f"{_esc(n)} ({_esc(c)})" for n, c in zip(data["name"], data["campaign_id"], strict=True)
    ]
    height = max(380, 150 + 24 * len(data))
    fig = new_figure(title=title, height=height)
    fig.add_trace(
        go.Bar(
            y=data["row_label"],
            x=data["budget"],
            orientation="h",
            name=labels["budget"],
            marker={"color": BUDGET_COLOR},
            width=0.8,
            hovertemplate=f"%{{y}}<br>{labels['budget']}: {money_prefix}%{{x:,.0f}}<extra></extra>",
        )
    )
    for m in _ordered(data["motion"].tolist(), MOTION_ORDER):
        part = data[data["motion"] == m]
        fig.add_trace(
            go.Bar(
                y=part["row_label"],
                x=part["spend_to_date"],
                orientation="h",
                name=f"{labels['spend']} · {motion_labels.get(m, m)}",
                marker={"color": motion_color(m)},
                width=0.45,
                hovertemplate=(
                    f"%{{y}}<br>{labels['spend']}: {money_prefix}%{{x:,.0f}}<extra></extra>"
                ),
            )
        )
    fig.add_trace(
        go.Scatter(
            y=data["row_label"],
            x=data["planned_to_date"],
            mode="markers",
            name=labels["planned"],
            marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": OVERALL_COLOR}},
            hovertemplate=(
                f"%{{y}}<br>{labels['planned']}: {money_prefix}%{{x:,.0f}}<extra></extra>"
            ),
        )
    )
    if "projected_spend" in data and "projected" in labels:
        fig.add_trace(
            go.Scatter(
                y=data["row_label"],
                x=data["projected_spend"],
                mode="markers",
                name=labels["projected"],
                marker={
                    "symbol": "diamond-open",
                    "size": 11,
                    "line": {"width": 2},
                    "color": OVERALL_COLOR,
                },
                hovertemplate=(
                    f"%{{y}}<br>{labels['projected']}: {money_prefix}%{{x:,.0f}}<extra></extra>"
                ),
            )
        )
    if "pace_status" in data:
        over = data[data["pace_status"] == "over"]
        under = data[data["pace_status"] == "under"]
    else:
        over, under = data[data["is_over_budget"]], data.iloc[0:0]
    flags = [(over, "over_budget", "triangle-left", OVER_BUDGET_COLOR)]
    if "under" in labels:
        flags.append((under, "under", "triangle-right", UNDER_PACE_COLOR))
    for part, key, symbol, color in flags:
        x = part["projected_spend"] if "projected_spend" in part else part["spend_to_date"]
        fig.add_trace(
            go.Scatter(
                y=part["row_label"],
                x=x,
                mode="markers",
                name=labels[key],
                marker={"symbol": symbol, "size": 12, "color": color},
                hovertemplate=(
                    f"%{{y}}<br>{labels[key]}: {money_prefix}%{{x:,.0f}}<extra></extra>"
                ),
                visible=True if len(part) else "legendonly",
            )
        )
    # Up to seven legend entries: title and legend sit in fixed pixels above the bars.
    fig.update_layout(barmode="overlay", margin={"t": 120}, **_title_and_legend_on_top(height))
    _campaign_rows_money_axes(fig, data["row_label"], value_title, money_prefix, tick_size=12)
    return fig


def channel_month_pacing(
    df: pd.DataFrame,
    *,
    title: str,
    labels: Mapping[str, str],
    channel_motion: Mapping[str, str],
    money_prefix: str = "",
    columns: int = 3,
) -> go.Figure:
    """Small multiples, one panel per channel: campaign spend per month as bars (in the
    channel's motion colour) against the campaign budget planned for the month as a line.
    ``labels`` names the traces: planned, spend."""
    channels = sorted(set(df["channel"]))
    rows = max(1, math.ceil(len(channels) / columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[_esc(c) for c in channels],
        shared_xaxes=True,
        vertical_spacing=0.16 if rows > 1 else 0.1,
        horizontal_spacing=0.06,
    )
    height = 190 + 230 * rows
    fig.update_layout(
        template=TEMPLATE,
        height=height,
        margin={"t": 110},
        **_title_and_legend_on_top(height, title),
    )
    for i, channel in enumerate(channels):
        part = df[df["channel"] == channel].sort_values("month")
        row, col = i // columns + 1, i % columns + 1
        color = motion_color(channel_motion.get(channel, "unmapped"))
        fig.add_trace(
            go.Bar(
                x=part["month"],
                y=part["spend"],
                name=labels["spend"],
                marker={"color": color},
                legendgroup="spend",
                showlegend=i == 0,
                hovertemplate=(
                    f"{_esc(channel)} %{{x|%b %Y}}<br>{labels['spend']}: "
                    f"{money_prefix}%{{y:,.0f}}<extra></extra>"
                ),
            ),
            row=row,
            col=col,
        )
        fig.add_trace(
            go.Scatter(
                x=part["month"],
                y=part["planned_budget"],
                name=labels["planned"],
                mode="lines+markers",
                line={"color": OVERALL_COLOR, "width": 2, "dash": "dot"},
                marker={"size": 5},
                legendgroup="planned",
                showlegend=i == 0,
                hovertemplate=(
                    f"{_esc(channel)} %{{x|%b %Y}}<br>{labels['planned']}: "
                    f"{money_prefix}%{{y:,.0f}}<extra></extra>"
                ),
            ),
            row=row,
            col=col,
        )
    fig.update_yaxes(tickprefix=money_prefix, tickformat="~s", rangemode="tozero")
    fig.update_xaxes(tickformat="%b %y", showgrid=False)
    fig.update_annotations(font={"size": 13})
    return fig


def top_campaigns(
    df: pd.DataFrame,
    *,
    title: str,
    labels: Mapping[str, str],
    motion_labels: Mapping[str, str],
    top: int = 10,
    money_prefix: str = "",
    value_title: str = "",
) -> go.Figure:
    """The ``top`` campaigns by won revenue: won revenue in the campaign's motion colour beside
    its spend in grey. ``labels`` names the traces: won, spend."""
    data = df[df["won_amount"] > 0].nlargest(top, "won_amount").copy()
    data["row_label"] = [
        f"{_esc(n)} ({_esc(c)})" for n, c in zip(data["name"], data["campaign_id"], strict=True)
    ]
    fig = new_figure(title=title, height=max(380, 150 + 44 * len(data)))
    for m in _ordered(data["motion"].tolist(), MOTION_ORDER):
        part = data[data["motion"] == m]
        fig.add_trace(
            go.Bar(
                y=part["row_label"],
                x=part["won_amount"],
                orientation="h",
                name=f"{labels['won']} · {motion_labels.get(m, m)}",
                marker={"color": motion_color(m)},
                hovertemplate=(
                    f"%{{y}}<br>{labels['won']}: {money_prefix}%{{x:,.0f}}<extra></extra>"
                ),
            )
        )
    fig.add_trace(
        go.Bar(
            y=data["row_label"],
            x=data["spend"],
            orientation="h",
            name=labels["spend"],
            marker={"color": "#9AA5B1"},
            hovertemplate=f"%{{y}}<br>{labels['spend']}: {money_prefix}%{{x:,.0f}}<extra></extra>",
        )
    )
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    _campaign_rows_money_axes(fig, data["row_label"], value_title, money_prefix)
    return fig


def journey_coverage(
    df: pd.DataFrame,
    *,
    title: str,
    stage_labels: Mapping[str, str],
    colorbar_title: str = "",
    gap_text: str = "0",
) -> go.Figure:
    """A heatmap of campaigns running per journey stage (rows, in journey order) and quarter
    (columns); empty cells are painted as gaps. ``df`` holds the columns of
    ``queries.campaigns.journey_coverage``."""
    quarters = df.drop_duplicates("quarter_start").sort_values("quarter_start")
    stages = _ordered(df["objective"].tolist(), JOURNEY_STAGES)
    sums = df.groupby(["objective", "quarter_start"])["count_campaigns"].sum()
    # a pivot table's grid, without pivot_table's ~20 ms of generality
    grid = sums.unstack().reindex(index=stages, columns=quarters["quarter_start"])  # noqa: PD010
    z = grid.fillna(0).astype(int).to_numpy()
    z_max = max(int(z.max()) if z.size else 0, 1)
    # The gap colour holds z = 0 only; counts of one and more run from a pale to a deep blue.
    edge = 0.5 / z_max
    scale = [[0.0, GAP_COLOR], [edge, GAP_COLOR], [edge, "#DBE4FF"], [1.0, "#364FC7"]]
    text = [[gap_text if v == 0 else str(v) for v in row] for row in z]
    heatmap = {
        "type": "heatmap",
        "z": z,
        "x": quarters["quarter_label"].tolist(),
        "y": [stage_labels.get(s, s) for s in stages],
        "zmin": 0,
        "zmax": z_max,
        "colorscale": scale,
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": 14},
        "xgap": 3,
        "ygap": 3,
        "colorbar": {"title": {"text": colorbar_title}, "thickness": 14},
        "hovertemplate": "%{y} · %{x}: %{z}<extra></extra>",
    }
    layout = {
        "template": TEMPLATE,
        "height": max(320, 140 + 56 * len(stages)),
        "title": {"text": title},
        "xaxis": {"side": "top", "showline": False, "ticks": "", "type": "category"},
        "yaxis": {"autorange": "reversed", "showgrid": False, "type": "category"},
    }
    return figure([heatmap], layout)


def _campaign_rows_money_axes(
    fig: go.Figure,
    rows: pd.Series,
    value_title: str,
    money_prefix: str,
    *,
    tick_size: int | None = None,
) -> None:
    """Axes of a horizontal bar chart with one row per campaign: money across, campaigns
    down in the frame's order."""
    fig.update_xaxes(
        title={"text": value_title},
        tickprefix=money_prefix,
        tickformat="~s",
        showgrid=True,
        gridcolor="#EEF1F4",
    )
    fig.update_yaxes(
        autorange="reversed",
        categoryorder="array",
        categoryarray=rows.tolist(),
        showgrid=False,
    )
    if tick_size is not None:
        fig.update_yaxes(tickfont={"size": tick_size})


def model_comparison(
    df: pd.DataFrame,
    *,
    title: str,
    model_labels: Mapping[str, str],
    channel_motion: Mapping[str, str],
    money_prefix: str = "",
    value_title: str = "",
) -> go.Figure:
    """Won revenue credited to each channel (rows) under each attribution model (one bar per
    model, in ``model_labels`` order). Channel names are written in their motion's colour,
    pull channels first. ``df`` holds the columns of ``queries.campaigns.channel_credit``."""
    models = [m for m in model_labels if m in set(df["model"])]
    grid = df.pivot_table(index="channel", columns="model", values="won_amount", aggfunc="sum")
    grid = grid.reindex(columns=models).fillna(0.0)
    rank = {m: i for i, m in enumerate(MOTION_ORDER)}
    ref = models[len(models) // 2] if models else None
    channels = sorted(
        grid.index,
        key=lambda c: (
            rank.get(channel_motion.get(c, "unmapped"), 9),
            -(grid.loc[c, ref] if ref else 0),
            c,
        ),
    )
    ticks = [
        f'<span style="color:{motion_color(channel_motion.get(c, "unmapped"))}">{_esc(c)}</span>'
        for c in channels
    ]
    height = max(420, 150 + 24 * len(models) * len(channels) // 2)
    fig = new_figure(title=title, height=height)
    fig.update_layout(margin={"t": 110}, **_title_and_legend_on_top(height))
    for m in models:
        fig.add_trace(
            go.Bar(
                y=channels,
                x=grid.loc[channels, m],
                orientation="h",
                name=model_labels[m],
                marker={"color": MODEL_COLORS.get(m, UNMAPPED_COLOR)},
                hovertemplate=(
                    f"%{{y}} · {html.escape(model_labels[m])}: {money_prefix}%{{x:,.0f}}"
                    "<extra></extra>"
                ),
            )
        )
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.02)
    fig.update_xaxes(
        title={"text": value_title},
        tickprefix=money_prefix,
        tickformat="~s",
        showgrid=True,
        gridcolor="#EEF1F4",
    )
    fig.update_yaxes(
        autorange="reversed",
        categoryorder="array",
        categoryarray=channels,
        tickmode="array",
        tickvals=channels,
        ticktext=ticks,
        showgrid=False,
    )
    return fig


def expected_pipeline(
    df: pd.DataFrame,
    *,
    title: str,
    labels: Mapping[str, str],
    motion: str,
    money_prefix: str = "",
    value_title: str = "",
) -> go.Figure:
    """A planned campaign's expected pipeline created per month (bars, in its channel's motion
    colour) and its expected won revenue cumulated (line). ``df`` holds the columns of
    ``planning.campaign_forecast.expected_pipeline``; ``labels`` names the traces: pipeline,
    cumulative_pipeline, cumulative_won."""
    fig = new_figure(title=title, height=440)
    fig.add_trace(
        go.Bar(
            x=df["month"],
            y=df["expected_pipeline"],
            name=labels["pipeline"],
            marker={"color": motion_color(motion)},
            hovertemplate=(
                f"%{{x|%b %Y}}<br>{labels['pipeline']}: {money_prefix}%{{y:,.0f}}<extra></extra>"
            ),
        )
    )
    for key, dash in (("cumulative_pipeline", "dot"), ("cumulative_won", "solid")):
        fig.add_trace(
            go.Scatter(
                x=df["month"],
                y=df[key],
                name=labels[key],
                mode="lines+markers",
                line={"color": OVERALL_COLOR, "width": 2, "dash": dash},
                marker={"size": 6},
                hovertemplate=(
                    f"%{{x|%b %Y}}<br>{labels[key]}: {money_prefix}%{{y:,.0f}}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(type="date", tickformat="%b %Y", dtick="M1")
    fig.update_yaxes(
        title={"text": value_title}, tickprefix=money_prefix, tickformat="~s", rangemode="tozero"
    )
    return fig
