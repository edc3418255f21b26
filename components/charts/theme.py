"""One plotly template for every chart, and the fixed colours of the two engines.

Why an explicit template on every figure: importing streamlit sets plotly's default template
to "streamlit", whose colorway is placeholder colours (#000001...) that plotly bakes into
traces — exported charts then come out black (shared/RECIPES.md). Builders therefore never rely
on ``plotly.io.templates.default``.
"""

from __future__ import annotations

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


def new_figure(*, title: str, height: int = 420) -> go.Figure:
    """An empty figure already carrying our template, title and size."""
    fig = go.Figure(layout={"template": TEMPLATE, "height": height})
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
