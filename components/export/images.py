"""Static chart images (PNG, SVG) through kaleido and a Chromium-based browser.

One kaleido browser is kept alive for the whole process (``kaleido.start_sync_server``): the
first image costs about 1.7 s, the next ones about 0.1 s. Nothing here runs while a page
draws; images are made only when someone asks for one.

Every figure is exported from a copy with our template set explicitly and its brand applied:
inside the app plotly's default template is Streamlit's, whose placeholder colours come out
black in any exported image (shared/RECIPES.md).
"""

from __future__ import annotations

import copy
import os
import shutil
import threading
from pathlib import Path

import plotly.graph_objects as go

from components.charts.theme import CATEGORY_COLORS, TEMPLATE, Brand, apply_brand

SLIDE_WIDTH, SLIDE_HEIGHT, SLIDE_SCALE = 1920, 1080, 2  # 16:9 at slide resolution, 2× sharp
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_lock = threading.Lock()
_server_started = False


class ImagesUnavailable(RuntimeError):
    """No Chromium-based browser: PNG and SVG cannot be made (CSV, XLSX and HTML still can)."""


def browser_path() -> str | None:
    """The browser kaleido will drive: ``BROWSER_PATH`` if set, else one on the PATH."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in _BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def available() -> bool:
    """Whether static images can be made here (a cheap check: no browser is started)."""
    return browser_path() is not None


def _ensure_server() -> None:
    global _server_started
    if _server_started:
        return
    with _lock:
        if _server_started:
            return
        path = browser_path()
        if path is None:
            raise ImagesUnavailable(
                "No Chromium-based browser found: PNG and SVG export need one "
                "(Debian: apt-get install chromium; or set BROWSER_PATH)."
            )
        os.environ.setdefault("BROWSER_PATH", path)
        import kaleido

        try:
            kaleido.start_sync_server(silence_warnings=True)
        except Exception as exc:  # kaleido raises plain RuntimeErrors for a missing browser
            raise ImagesUnavailable(f"Could not start the image renderer: {exc}") from exc
        _server_started = True


def export_figure(
    fig: go.Figure, *, brand: Brand | None = None, font_scale: float = 1.0, drop_title: bool = False
) -> go.Figure:
    """A copy of ``fig`` ready to leave the app: our template, the brand, white paper, and no
    placeholder (black) trace colours; fonts scaled for a slide if asked."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    apply_brand(out, brand)
    out.update_layout(paper_bgcolor="#FFFFFF", plot_bgcolor="#FFFFFF")
    _repaint_placeholders(out)
    if font_scale != 1.0:
        base = (out.layout.font.size or TEMPLATE.layout.font.size or 14) * font_scale
        out.update_layout(font_size=base)
        title_size = out.layout.title.font.size or TEMPLATE.layout.title.font.size or 18
        out.update_layout(title_font_size=title_size * font_scale)
        for note in out.layout.annotations or ():
            if note.font and note.font.size:
                note.font.size = note.font.size * font_scale
    if drop_title:  # the slide carries the title as text
        out.update_layout(title_text="", margin_t=min(out.layout.margin.t or 80, 60))
    elif out.layout.title.text:
        # Standalone, the title needs its own band above the legend (in the app Streamlit's
        # theme places it), and a little air from the left edge.
        out.update_layout(
            title={"y": 0.985, "yref": "container", "yanchor": "top", "x": 0.012},
            margin_t=max(out.layout.margin.t or 80, int(110 * max(font_scale, 1.0))),
        )
    return out


def _repaint_placeholders(fig: go.Figure) -> None:
    """Replace Streamlit's placeholder colours (#000001...) a figure may have baked in."""
    for i, trace in enumerate(fig.data):
        for part in ("marker", "line"):
            obj = getattr(trace, part, None)
            colour = getattr(obj, "color", None) if obj is not None else None
            if isinstance(colour, str) and colour.lower().startswith("#00000"):
                obj.color = CATEGORY_COLORS[i % len(CATEGORY_COLORS)]


def _render(fig: go.Figure, fmt: str, width: int, height: int, scale: float) -> bytes:
    _ensure_server()
    import kaleido

    try:
        return kaleido.calc_fig_sync(
            fig.to_dict(), opts={"format": fmt, "width": width, "height": height, "scale": scale}
        )
    except ImagesUnavailable:
        raise
    except Exception as exc:
        raise ImagesUnavailable(f"The image renderer failed: {exc}") from exc


def png(
    fig: go.Figure,
    *,
    brand: Brand | None = None,
    width: int = SLIDE_WIDTH,
    height: int = SLIDE_HEIGHT,
    scale: float = SLIDE_SCALE,
    font_scale: float = 1.4,
    drop_title: bool = False,
) -> bytes:
    """A PNG of the chart at slide resolution (1920×1080, 2× scale) by default."""
    ready = export_figure(fig, brand=brand, font_scale=font_scale, drop_title=drop_title)
    return _render(ready, "png", width, height, scale)


def svg(
    fig: go.Figure,
    *,
    brand: Brand | None = None,
    width: int = SLIDE_WIDTH,
    height: int = SLIDE_HEIGHT,
    font_scale: float = 1.4,
) -> bytes:
    ready = export_figure(fig, brand=brand, font_scale=font_scale)
    return _render(ready, "svg", width, height, 1)
