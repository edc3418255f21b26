"""Chart images: never black (the plotly-template trap), slide sized, brand applied, engines'
colours kept. Needs Debian's Chromium (kaleido); skipped with the reason when it is missing."""

from __future__ import annotations

import io

import pandas as pd
import plotly.express as px
import plotly.io as pio
import pytest
from PIL import Image

from components.charts import base as charts
from components.charts.theme import PULL_COLOR, PUSH_COLOR, TEMPLATE, Brand, apply_brand
from components.export import images

LABELS = {"pull": "Pull", "push": "Push"}
needs_browser = pytest.mark.skipif(not images.available(), reason="no Chromium for kaleido")


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": pd.to_datetime(["2026-01-01", "2026-02-01"] * 2),
            "motion": ["pull", "pull", "push", "push"],
            "won": [10.0, 20.0, 15.0, 5.0],
        }
    )


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))


def _near(a, b, tol=12) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a[:3], b[:3], strict=True))


@pytest.fixture
def streamlit_default_template():
    """What every figure meets inside the app: importing streamlit sets its template."""
    import streamlit  # noqa: F401

    before = pio.templates.default
    pio.templates.default = "streamlit"
    yield
    pio.templates.default = before


@needs_browser
def test_png_is_slide_sized_with_a_white_background_and_the_engines_colours(
    streamlit_default_template,
):
    fig = charts.motion_time_series(
        _frame(), x="month", y="won", title="Won", y_title="USD", motion_labels=LABELS
    )
    img = Image.open(io.BytesIO(images.png(fig))).convert("RGB")
    assert img.size == (3840, 2160)  # 1920 x 1080 at 2x
    corners = [img.getpixel(p) for p in ((5, 5), (3834, 5), (5, 2154), (3834, 2154))]
    assert all(_near(c, (255, 255, 255)) for c in corners)
    colours = {c for _, c in img.getcolors(maxcolors=1 << 20)}
    assert any(_near(c, _rgb(PULL_COLOR)) for c in colours)
    assert any(_near(c, _rgb(PUSH_COLOR)) for c in colours)


@needs_browser
def test_plotly_express_figure_made_under_streamlits_template_is_not_black(
    streamlit_default_template,
):
    fig = px.bar(_frame(), x="month", y="won", color="motion")  # bakes #000001... into traces
    img = Image.open(io.BytesIO(images.png(fig, width=800, height=450, scale=1))).convert("RGB")
    counts = img.getcolors(maxcolors=1 << 20)
    dark = sum(n for n, c in counts if max(c) < 40)
    assert dark / (800 * 450) < 0.02  # text only, no black bars
    assert _near(img.getpixel((3, 3)), (255, 255, 255))


@needs_browser
def test_svg_is_vector_text_with_our_colours():
    fig = charts.motion_time_series(
        _frame(), x="month", y="won", title="Won", y_title="USD", motion_labels=LABELS
    )
    svg = images.svg(fig).decode("utf-8")
    assert svg.startswith("<svg")
    assert "rgb(27, 158, 138)" in svg  # PULL_COLOR #1B9E8A


def test_export_copy_keeps_the_original_and_sets_our_template(streamlit_default_template):
    fig = px.bar(_frame(), x="month", y="won", color="motion")
    out = images.export_figure(fig, brand=Brand(primary="#7A1FA2"))
    assert out.layout.template.layout.colorway == TEMPLATE.layout.colorway
    assert all(not str(t.marker.color).startswith("#00000") for t in out.data)
    assert out.layout.title.font.color == "#7A1FA2"
    assert str(fig.data[0].marker.color).startswith("#00000")  # the original is untouched


def test_brand_never_changes_the_engines_colours():
    fig = charts.motion_time_series(
        _frame(), x="month", y="won", title="Won", y_title="USD", motion_labels=LABELS
    )
    apply_brand(fig, Brand(primary="#FF0000", secondary="#00FF00"))
    assert [t.marker.color for t in fig.data] == [PULL_COLOR, PUSH_COLOR]
    assert list(fig.layout.colorway[:2]) == ["#FF0000", "#00FF00"]


def test_a_pale_brand_colour_is_not_used_for_title_text():
    assert Brand(primary="#FFE066").title_color == "#1F2933"
    assert Brand(primary="#1F4E79").title_color == "#1F4E79"


def test_missing_browser_is_reported_as_images_unavailable(monkeypatch):
    monkeypatch.setattr(images, "browser_path", lambda: None)
    monkeypatch.setattr(images, "_server_started", False)
    assert not images.available()
    with pytest.raises(images.ImagesUnavailable, match="apt-get install chromium"):
        images.png(charts.empty_figure(title="x", message="y"))
