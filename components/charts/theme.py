"""One plotly template for every chart, and the fixed colours of the two engines.

Why an explicit template on every figure: importing streamlit sets plotly's default template
to "streamlit", whose colorway is placeholder colours (#000001...) that plotly bakes into
traces — exported charts then come out black (shared/RECIPES.md). Builders therefore never rely
on ``plotly.io.templates.default``.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any, Protocol

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from queries.branding import (  # noqa: F401 - the brand record and its defaults, re-exported
    DEFAULT_BRAND_PRIMARY,
    DEFAULT_BRAND_SECONDARY,
    OVERALL_COLOR,
    PULL_COLOR,
    PUSH_COLOR,
    TEXT_COLOR,
    Brand,
    colour_distance,
    contrast_ratio,
)

UNMAPPED_COLOR = "#A3ADB8"
MOTION_COLORS = {
    "pull": PULL_COLOR,
    "push": PUSH_COLOR,
    "overall": OVERALL_COLOR,
    "unmapped": UNMAPPED_COLOR,
}
# Categorical colours for anything that is not a motion (channels, segments...): muted, and
# none close to the pull teal or the push orange so the engines stay recognisable.
CATEGORY_COLORS = [
    "#4C6EF5",
    "#9C6ADE",
    "#D6336C",
    "#5C940D",
    "#F2B705",
    "#1C7ED6",
    "#845EF7",
    "#868E96",
    "#2B8A3E",
    "#C2255C",
]
FONT_FAMILY = "Inter, 'Segoe UI', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', Arial, sans-serif"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 14, "color": "#1F2933"},
        title={"x": 0.0, "xanchor": "left", "font": {"size": 18}},
        colorway=CATEGORY_COLORS,
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        hoverlabel={"font": {"family": FONT_FAMILY}},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "title": None,
            "traceorder": "normal",
        },
        margin={"l": 60, "r": 24, "t": 80, "b": 50},
        xaxis={
            "showgrid": False,
            "linecolor": "#CBD2D9",
            "ticks": "outside",
            "tickcolor": "#CBD2D9",
            "automargin": True,
            "title": {"standoff": 8},
        },
        yaxis={
            "gridcolor": "#E4E7EB",
            "zerolinecolor": "#CBD2D9",
            "automargin": True,
            "title": {"standoff": 8},
        },
        bargap=0.25,
    )
)


# Plotly checks every property of a figure as it is built (about 7 ms of a 9 ms figure, each
# chart on each rerun that builds one). Our builders are pure and their output is fixed by tests
# (tests/views/test_figures_unvalidated.py builds every view both ways and compares the JSON),
# so figures are built without the checks; True turns them back on (the test does).
VALIDATE = False


def figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout dicts in one go, where add_trace and update_xaxes
    walk the figure again on every call (see VALIDATE)."""
    return go.Figure(data=traces, layout=layout, _validate=VALIDATE)


def new_figure(*, title: str, height: int = 420) -> go.Figure:
    """An empty figure already carrying our template, title and size."""
    fig = go.Figure(layout={"template": TEMPLATE, "height": height}, _validate=VALIDATE)
    fig.update_layout(title={"text": title})
    return fig


def motion_color(motion: str) -> str:
    return MOTION_COLORS.get(motion, UNMAPPED_COLOR)


# A workspace's brand (queries/branding.py) colours titles, accents, present mode and the
# meeting packs; pull and push keep PULL_COLOR / PUSH_COLOR whatever the brand.
def apply_brand(fig: go.Figure, brand: Brand | None) -> go.Figure:
    """Put the brand on a figure in place: our template where a figure lacks it, title colour,
    and the brand colours first in the colorway (only traces without an explicit colour use
    it, so pull and push keep theirs)."""
    template = fig.layout.template
    if template is None or not template.layout.colorway or _is_placeholder_colorway(template):
        fig.update_layout(template=TEMPLATE)
    if brand is not None:
        colorway = [brand.primary, brand.secondary] + [
            c for c in CATEGORY_COLORS if c not in (brand.primary, brand.secondary)
        ]
        fig.update_layout(colorway=colorway, title_font_color=brand.title_color)
    return fig


def _is_placeholder_colorway(template: go.layout.Template) -> bool:
    """Streamlit's template paints with #000001, #000002...: replaced at render by the app,
    black everywhere else (shared/RECIPES.md)."""
    way = template.layout.colorway or ()
    return any(str(c).lower().startswith("#00000") for c in way)


# -- the reader's forms on every figure ----------------------------------------------------------
# Builders write English-style plotly formats (SI "~s" ticks, "%b %Y" months); ``localise`` turns
# them into the reader's forms once the figure is built, so every chart follows without each
# builder knowing the language. English figures keep their formats (only the separators are set).
_AXIS_NAME = re.compile(r"^([xy])axis(\d*)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?([ T]\d{2}:\d{2}(:\d{2})?)?$")
_TIME_FIELD = re.compile(r"%\{([\w.\[\]]+)\|([^}]*)\}")
# a d3 time directive ("%b %Y"), not a percentage format (".0%")
_TIME_FORMAT = re.compile(r"%-?[aAbBdeHIjmMpSUwWyYZ]")
_SI_FIELD = re.compile(r"%\{([\w.\[\]]+):([^}]*s)\}")


class Forms(Protocol):
    """What ``localise`` needs of ``components.fmt.Formatter``."""

    @property
    def plotly_separators(self) -> str: ...
    @property
    def plotly_month_format(self) -> str: ...
    @property
    def plotly_day_format(self) -> str: ...
    @property
    def lang(self) -> str: ...
    def number_tick(self, value: float) -> str: ...
    def axis_ticks(self, values: list[float], top: float | None = None) -> list[str]: ...


def localise(fig: go.Figure, forms: Forms) -> go.Figure:
    """Put the reader's forms on a figure in place: separators always; in Chinese, dates as
    2026年3月 (ticks and hovers) and SI ticks (k, M, G) as 万/亿 labels computed from the data.
    Running it twice changes nothing more."""
    fig.update_layout(separators=forms.plotly_separators)
    if forms.lang != "zh":
        return fig
    for name in _axis_names(fig):
        match = _AXIS_NAME.match(name)
        if not match:
            continue
        axis = fig.layout[name]
        letter, ref = match.group(1), match.group(1) + match.group(2)
        traces = [t for t in fig.data if (getattr(t, f"{letter}axis", None) or letter) == ref]
        values = [_values(t, letter) for t in traces]
        if _is_date_axis(axis, values):
            _date_axis(axis, values, forms)
        elif axis.type == "category" or axis.tickmode == "array" or axis.visible is False:
            continue
        elif "s" in (axis.tickformat or ""):
            _myriad_axis(axis, traces, letter, fig.layout.barmode, forms)
        elif not axis.tickformat:
            _plain_axis(axis, traces, letter, fig.layout.barmode, forms)
    for trace in fig.data:
        _trace_texts(trace, forms)
    return fig


def _axis_names(fig: go.Figure) -> list[str]:
    """Every cartesian axis: those the layout sets and those only traces refer to."""
    names = [n for n in fig.layout.to_plotly_json() if _AXIS_NAME.match(n)]
    for t in fig.data:
        for letter in "xy":
            if f"{letter}axis" in t:  # a cartesian trace (a pie has no axes)
                ref = getattr(t, f"{letter}axis") or letter
                names.append(f"{letter}axis{ref[1:]}")
    return list(dict.fromkeys(names))


def _values(trace: Any, letter: str) -> list:
    raw = getattr(trace, letter, None)
    if raw is None:
        return []
    return list(np.asarray(raw, dtype=object).ravel())


def _as_date(v: object) -> pd.Timestamp | None:
    if isinstance(v, (datetime, date, np.datetime64, pd.Timestamp)):
        stamp = pd.Timestamp(v)
        return None if pd.isna(stamp) else stamp
    if isinstance(v, str) and _ISO_DATE.match(v):
        return pd.Timestamp(v)
    return None


def _is_date_axis(axis: Any, values: list[list]) -> bool:
    if axis.type == "date":
        return True
    if axis.type in ("category", "log", "linear", "multicategory"):
        return False
    if _TIME_FORMAT.search(axis.tickformat or ""):
        return True
    firsts = [next((v for v in vs if v is not None), None) for vs in values if vs]
    firsts = [v for v in firsts if v is not None]
    return bool(firsts) and all(_as_date(v) is not None for v in firsts)


def _date_axis(axis: Any, values: list[list], forms: Forms) -> None:
    month, day = forms.plotly_month_format, forms.plotly_day_format
    stamps = [s for vs in values for s in map(_as_date, vs) if s is not None]
    monthly = bool(stamps) and all(s.day == 1 and s == s.normalize() for s in stamps)
    current = axis.tickformat or ""
    if current and current not in (month, day, "%Y年"):
        axis.tickformat = day if re.search(r"%-?[de]", current) else month
    elif not current:
        # plotly's own date ticks are English ("Mar 2026"): name each zoom level's form
        axis.tickformatstops = [
            {"dtickrange": [None, "M1"], "value": day},
            {"dtickrange": ["M1", "M12"], "value": month},
            {"dtickrange": ["M12", None], "value": "%Y年"},
        ]
    if not axis.hoverformat or "%b" in axis.hoverformat:
        axis.hoverformat = month if monthly else day


def _extent(traces: list, letter: str, barmode: str | None) -> tuple[float, float, bool] | None:
    """The lowest and highest value drawn on an axis (stacked bars summed per category), and
    whether the axis starts at zero (bars do)."""
    other = "y" if letter == "x" else "x"
    stacks: dict[object, list[float]] = {}
    points: list[float] = []
    has_bar = False
    for t in traces:
        nums = pd.to_numeric(pd.Series(_values(t, letter), dtype=object), errors="coerce")
        if t.type == "bar":
            has_bar = True
            if barmode in ("stack", "relative"):
                keys = _values(t, other) or list(range(len(nums)))
                for k, v in zip(keys, nums, strict=False):
                    if pd.notna(v):
                        pair = stacks.setdefault(str(k), [0.0, 0.0])
                        pair[0 if v < 0 else 1] += float(v)
                continue
        points += [float(v) for v in nums if pd.notna(v) and math.isfinite(v)]
    points += [v for pair in stacks.values() for v in pair]
    if not points:
        return None
    return min(points), max(points), has_bar


def _nice_step(span: float) -> float:
    raw = span / 6  # five to seven ticks
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def _myriad_axis(axis: Any, traces: list, letter: str, barmode: str | None, forms: Forms) -> None:
    """Ticks written by the formatter (1.2万, US$1,220万) in place of plotly's SI ticks."""
    if axis.range is not None and None not in axis.range:
        low, high = sorted(float(v) for v in axis.range)
        from_zero = False
    else:
        found = _extent(traces, letter, barmode)
        if found is None:
            axis.tickformat = ",.0f"  # nothing drawn: at least no SI suffix
            return
        low, high, from_zero = found
        from_zero = from_zero or axis.rangemode == "tozero"
    if from_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    prefix = axis.tickprefix or ""
    if axis.type == "log":
        low = max(low, 1e-9)
        vals = [
            m * 10.0**k
            for k in range(math.floor(math.log10(low)), math.ceil(math.log10(max(high, low))) + 1)
            for m in (1, 2, 5)
        ]
    else:
        span = high - low or abs(high) or 1.0
        step = _nice_step(span)
        first, last = math.floor(low / step), math.ceil(high / step)
        vals = [round(i * step, 10) for i in range(first, last + 1)]
    labels = forms.axis_ticks(vals, top=max(abs(low), abs(high)))
    text = [("-" if v < 0 else "") + prefix + label for v, label in zip(vals, labels, strict=True)]
    axis.update(tickmode="array", tickvals=vals, ticktext=text, tickprefix="", tickformat="")


def _plain_axis(axis: Any, traces: list, letter: str, barmode: str | None, forms: Forms) -> None:
    """An axis left to plotly's own number ticks, which abbreviate with k, M, B ("20k"):
    万/亿 from 1万 up, full digits below."""
    found = _extent(traces, letter, barmode)
    if found is None:
        return
    if max(abs(found[0]), abs(found[1])) >= 10_000:
        _myriad_axis(axis, traces, letter, barmode, forms)
    else:
        axis.exponentformat = "none"


def _trace_texts(trace: Any, forms: Forms) -> None:
    """Hover and text templates: months as 2026年3月, SI numbers as 万/亿 or full digits."""
    month, day = forms.plotly_month_format, forms.plotly_day_format

    def dates(text: str) -> str:
        def one(m: re.Match) -> str:
            spec = m.group(2)
            if "%b" not in spec and "%B" not in spec:
                return m.group(0)
            return "%{" + m.group(1) + "|" + (day if re.search(r"%-?[de]", spec) else month) + "}"

        return _TIME_FIELD.sub(one, text)

    hover = getattr(trace, "hovertemplate", None)
    if isinstance(hover, str):
        trace.hovertemplate = _SI_FIELD.sub(r"%{\1:,.0f}", dates(hover))
    template = getattr(trace, "texttemplate", None)
    if not isinstance(template, str):
        return
    whole = _SI_FIELD.fullmatch(template)
    field = whole.group(1) if whole else None
    if field in ("x", "y", "z") and getattr(trace, field, None) is not None:
        grid = np.asarray(trace[field], dtype=float)
        text = np.vectorize(forms.number_tick, otypes=[object])(grid)
        trace.text = text.tolist()
        trace.texttemplate = "%{text}"
    else:
        trace.texttemplate = _SI_FIELD.sub(r"%{\1:,.0f}", dates(template))
