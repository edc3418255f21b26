"""The meeting pack as a PowerPoint deck (16:9): a title slide, one slide per chart (title,
takeaway, picture, source, filters and data date) and a closing summary of the shared KPIs.

Pictures come from kaleido (components.export.images), so a deck needs a Chromium-based browser;
``ImagesUnavailable`` says so. Text from the workspace is cleaned of control characters, which
python-pptx refuses (shared/RECIPES.md).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from components.charts.theme import PULL_COLOR, PUSH_COLOR, TEXT_COLOR, Brand
from components.export import images
from components.export.pack_html import text_labels
from components.export.packs import LeftOut, PackMeta, kpi_notes
from views.spec import ChartSpec

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
# The picture box on a chart slide, and the CSS size the chart is drawn at for it (same
# aspect ratio; scale 3 keeps it sharp on a projector, fonts sized to read from the back).
PICTURE_TOP, PICTURE_H = Inches(1.95), Inches(4.42)
PICTURE_PX = (1320, 473)
PICTURE_SCALE = 3
GREY = "#52606D"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _clean(text: object) -> str:
    return _CONTROL.sub("", str(text))


def _text(slide, left, top, width, height, text, *, size, color=TEXT_COLOR, bold=False,
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):  # fmt: skip
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Emu(0)
    lines = _clean(text).split("\n")
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        run = para.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(color)
    return box


def _bar(slide, left, top, width, height, color: str) -> None:
    shape = slide.shapes.add_shape(1, left, top, width, height)  # 1 = rectangle
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(color)
    shape.line.fill.background()


def _logo(slide, brand: Brand, *, left, top, max_h, max_w) -> None:
    if not brand.logo_png:
        return
    from PIL import Image

    with Image.open(io.BytesIO(brand.logo_png)) as img:
        w, h = img.size
    scale = min(max_h / h, max_w / w)
    width, height = int(w * scale), int(h * scale)
    slide.shapes.add_picture(io.BytesIO(brand.logo_png), left + max_w - width, top, width, height)


def _title_slide(prs, meta: PackMeta, brand: Brand, count: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _bar(slide, 0, 0, Inches(0.35), SLIDE_H, brand.secondary)
    _logo(slide, brand, left=Inches(1.0), top=Inches(0.8), max_h=Inches(1.2), max_w=Inches(3.0))
    _text(slide, Inches(1.0), Inches(2.4), Inches(11.3), Inches(1.0), meta.company, size=40,
          color=brand.title_color, bold=True)  # fmt: skip
    _text(slide, Inches(1.0), Inches(3.4), Inches(11.3), Inches(0.9), meta.title, size=28)
    _bar(slide, Inches(1.0), Inches(4.45), Inches(1.6), Inches(0.06), brand.secondary)
    _text(slide, Inches(1.0), Inches(4.7), Inches(11.3), Inches(1.0), meta.filters_text,
          size=16, color=GREY)  # fmt: skip
    _text(slide, Inches(1.0), Inches(5.6), Inches(11.3), Inches(0.5), meta.data_date, size=16,
          color=GREY)  # fmt: skip
    _text(slide, Inches(1.0), Inches(6.6), Inches(11.3), Inches(0.4), meta.generated, size=12,
          color="#7B8794")  # fmt: skip


def _chart_slide(prs, spec: ChartSpec, meta: PackMeta, brand: Brand, n: int, total: int,
                 labels: dict[str, str]) -> None:  # fmt: skip
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _bar(slide, 0, 0, SLIDE_W, Inches(0.12), brand.secondary)
    _logo(slide, brand, left=Inches(11.33), top=Inches(0.3), max_h=Inches(0.55),
          max_w=Inches(1.5))  # fmt: skip
    title_w = Inches(10.6) if brand.logo_png else SLIDE_W - 2 * MARGIN
    # long titles and takeaways get a smaller size rather than running into each other
    _text(slide, MARGIN, Inches(0.25), title_w, Inches(0.85), spec.title,
          size=24 if len(spec.title) <= 60 else 20, color=brand.title_color, bold=True,
          anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip
    _bar(slide, MARGIN, Inches(1.2), Inches(0.08), Inches(0.62), brand.secondary)
    _text(slide, MARGIN + Inches(0.22), Inches(1.18), SLIDE_W - 2 * MARGIN - Inches(0.22),
          Inches(0.66), spec.takeaway, size=18 if len(spec.takeaway) <= 90 else 16, bold=True,
          anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip
    png = images.png(
        spec.figure,
        brand=brand,
        width=PICTURE_PX[0],
        height=PICTURE_PX[1],
        scale=PICTURE_SCALE,
        font_scale=1.15,
        drop_title=True,
    )
    width = SLIDE_W - 2 * MARGIN
    slide.shapes.add_picture(io.BytesIO(png), MARGIN, PICTURE_TOP, width, PICTURE_H)
    footer = f"{labels['source']}: {spec.caption}\n{meta.filters_text} · {meta.data_date}"
    _text(slide, MARGIN, Inches(6.45), Inches(11.5), Inches(0.95), footer, size=10, color=GREY)
    _text(slide, Inches(12.0), Inches(7.0), Inches(0.83), Inches(0.35), f"{n} / {total}",
          size=11, color=GREY, align=PP_ALIGN.RIGHT)  # fmt: skip


def _kpi_slide(prs, kpis: pd.DataFrame, meta: PackMeta, brand: Brand, labels: dict[str, str],
               n: int, total: int) -> None:  # fmt: skip
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _bar(slide, 0, 0, SLIDE_W, Inches(0.12), brand.secondary)
    _logo(slide, brand, left=Inches(11.33), top=Inches(0.3), max_h=Inches(0.55),
          max_w=Inches(1.5))  # fmt: skip
    _text(slide, MARGIN, Inches(0.3), Inches(10.6), Inches(0.85), labels["kpi_title"], size=26,
          color=brand.title_color, bold=True, anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip
    columns = [("label", labels["metric"], TEXT_COLOR), ("overall", labels["overall"], TEXT_COLOR),
               ("pull", labels["pull"], PULL_COLOR), ("push", labels["push"], PUSH_COLOR),
               ("change", labels["change"], TEXT_COLOR)]  # fmt: skip
    rows = len(kpis) + 1
    notes = kpi_notes(kpis)  # why a figure is "—": the table gives them room below it
    row_h = Inches(0.62) if not notes else Inches(0.5)
    shape = slide.shapes.add_table(rows, len(columns), MARGIN, Inches(1.45),
                                   SLIDE_W - 2 * MARGIN, row_h * rows)  # fmt: skip
    table = shape.table
    widths = [Inches(3.6), Inches(2.2), Inches(2.2), Inches(2.2), Inches(2.13)]
    for i, w in enumerate(widths):
        table.columns[i].width = w
    for c, (_, label, color) in enumerate(columns):
        cell = table.cell(0, c)
        _cell(cell, label, size=16, color=color, bold=True, fill="#F5F7FA", right=c > 0)
    for r, (_, row) in enumerate(kpis.iterrows(), start=1):
        for c, (key, _, color) in enumerate(columns):
            tint = TEXT_COLOR if key in ("label", "overall", "change") else color
            if key == "change" and row["improved"] is not None and not pd.isna(row["improved"]):
                tint = "#2B8A3E" if row["improved"] else "#C92A2A"
            _cell(table.cell(r, c), row[key], size=18, color=tint, bold=key == "overall",
                  fill="#FFFFFF", right=c > 0)  # fmt: skip
    caption = "\n".join([labels["kpi_caption"], *notes])
    top = Inches(6.0) if not notes else Inches(1.45) + row_h * rows + Inches(0.1)
    _text(slide, MARGIN, top, Inches(11.5), Inches(6.65) - top, caption,
          size=11 if not notes else 9, color=GREY)  # fmt: skip
    _text(slide, MARGIN, Inches(6.7), Inches(11.5), Inches(0.5),
          f"{meta.filters_text} · {meta.data_date}", size=10, color=GREY)  # fmt: skip
    _text(slide, Inches(12.0), Inches(7.0), Inches(0.83), Inches(0.35), f"{n} / {total}",
          size=11, color=GREY, align=PP_ALIGN.RIGHT)  # fmt: skip


def _cell(cell, text, *, size, color, bold, fill, right) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = _rgb(fill)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame = cell.text_frame
    frame.text = ""
    para = frame.paragraphs[0]
    para.alignment = PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT
    run = para.add_run()
    run.text = _clean(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(color)


def _left_out_slide(prs, left_out: Sequence[LeftOut], meta: PackMeta, brand: Brand,
                    labels: dict[str, str], n: int, total: int) -> None:  # fmt: skip
    """The charts the deck leaves out, each with why (nothing to show for these filters)."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _bar(slide, 0, 0, SLIDE_W, Inches(0.12), brand.secondary)
    _text(slide, MARGIN, Inches(0.3), Inches(10.6), Inches(0.85), labels["left_out_title"],
          size=26, color=brand.title_color, bold=True, anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip
    _text(slide, MARGIN, Inches(1.3), Inches(12.3), Inches(0.5), labels["left_out_intro"],
          size=14, color=GREY)  # fmt: skip
    lines = "\n".join(f"• {x.title}: {x.reason}" for x in left_out)
    _text(
        slide,
        MARGIN,
        Inches(1.9),
        Inches(12.3),
        Inches(4.6),
        lines,
        size=14 if len(left_out) < 9 else 11,
    )
    _text(slide, MARGIN, Inches(6.7), Inches(11.5), Inches(0.5),
          f"{meta.filters_text} · {meta.data_date}", size=10, color=GREY)  # fmt: skip
    _text(slide, Inches(12.0), Inches(7.0), Inches(0.83), Inches(0.35), f"{n} / {total}",
          size=11, color=GREY, align=PP_ALIGN.RIGHT)  # fmt: skip


def render(
    specs: list[ChartSpec],
    *,
    meta: PackMeta,
    brand: Brand,
    kpis: pd.DataFrame,
    left_out: Sequence[LeftOut] = (),
) -> bytes:
    """The deck as .pptx bytes, with a closing slide listing ``left_out`` (charts with nothing
    to show) when there are any. Raises ``images.ImagesUnavailable`` without a browser."""
    if not images.available():
        raise images.ImagesUnavailable(
            "The PowerPoint deck needs a Chromium-based browser to draw its pictures "
            "(Debian: apt-get install chromium); the HTML pack does not."
        )
    labels = text_labels(meta.lang)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = _clean(f"{meta.company} · {meta.title}")
    prs.core_properties.author = _clean(meta.company)
    total = len(specs) + 2 + (1 if left_out else 0)
    _title_slide(prs, meta, brand, len(specs))
    for i, spec in enumerate(specs, start=2):
        _chart_slide(prs, spec, meta, brand, i, total, labels)
    _kpi_slide(prs, kpis, meta, brand, labels, len(specs) + 2, total)
    if left_out:
        _left_out_slide(prs, left_out, meta, brand, labels, total, total)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
