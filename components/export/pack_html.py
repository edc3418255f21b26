"""The meeting pack as one self-contained HTML file: works offline, from a USB stick or e-mail.

plotly.js is embedded once (in the first chart); no script, font or picture comes from the
network, and the logo travels as a data URI. Every text that comes from the workspace (company
name, CRM values in tables, filters) is escaped.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

import pandas as pd
import plotly.io as pio

from components.charts.theme import FONT_FAMILY, PULL_COLOR, PUSH_COLOR, TEXT_COLOR, Brand
from components.export.images import export_figure
from components.export.packs import LeftOut, PackMeta, kpi_notes
from components.i18n import translate
from views.spec import ChartSpec

_CSS = """
* { box-sizing: border-box; }
body { font-family: __FONT__; color: __INK__; margin: 0; background: #F5F7FA; }
header { background: #FFFFFF; border-bottom: 4px solid __SECONDARY__; padding: 28px 48px;
  display: flex; align-items: center; gap: 24px; }
header img { max-height: 64px; max-width: 220px; }
header h1 { margin: 0; font-size: 30px; color: __PRIMARY__; }
header .meta { color: #52606D; font-size: 15px; margin-top: 6px; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 32px 64px; }
nav ol { columns: 2; font-size: 15px; }
nav a { color: __PRIMARY__; }
section.chart { background: #FFFFFF; border-radius: 10px; padding: 24px 28px; margin: 28px 0;
  box-shadow: 0 1px 3px rgba(31,41,51,.12); page-break-inside: avoid; }
.takeaway { font-size: 21px; font-weight: 600; border-left: 6px solid __SECONDARY__;
  padding: 6px 14px; margin: 0 0 12px; }
.caption { color: #52606D; font-size: 14px; line-height: 1.5; }
.facts { color: #7B8794; font-size: 13px; margin-top: 8px; }
details { margin-top: 12px; font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid #E4E7EB; padding: 6px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th.pull { color: __PULL__; } th.push { color: __PUSH__; }
footer { color: #7B8794; font-size: 13px; text-align: center; padding: 24px; }
@media print { body { background: #FFFFFF; } section.chart { box-shadow: none; } }
"""


def text_labels(lang: str) -> dict[str, str]:
    """The words around the charts, translated (shared with the PPTX writer)."""
    keys = {
        "contents": "pack.contents",
        "source": "pack.source",
        "filters": "pack.filters",
        "data_table": "pack.data_table",
        "kpi_title": "pack.kpi_title",
        "kpi_caption": "pack.kpi_caption",
        "left_out_title": "pack.left_out_title",
        "left_out_intro": "pack.left_out_intro",
        "metric": "pack.kpi_metric",
        "change": "pack.kpi_change",
        "overall": "motion.overall",
        "pull": "motion.pull",
        "push": "motion.push",
    }
    return {name: translate(key, lang) for name, key in keys.items()}


def _logo_img(brand: Brand) -> str:
    if not brand.logo_png:
        return ""
    data = base64.b64encode(brand.logo_png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(brand.company)}">'


def _table(df: pd.DataFrame) -> str:
    return df.to_html(index=False, escape=True, border=0, na_rep="—", float_format="{:,.2f}".format)


def _kpi_table(kpis: pd.DataFrame, labels: dict[str, str]) -> str:
    head = (
        f"<tr><th>{html.escape(labels['metric'])}</th><th>{html.escape(labels['overall'])}</th>"
        f"<th class='pull'>{html.escape(labels['pull'])}</th>"
        f"<th class='push'>{html.escape(labels['push'])}</th>"
        f"<th>{html.escape(labels['change'])}</th></tr>"
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(r[c]))}</td>"
            for c in ("label", "overall", "pull", "push", "change")
        )
        + "</tr>"
        for _, r in kpis.iterrows()
    )
    return f"<table>{head}{rows}</table>"


def render(
    specs: list[ChartSpec],
    *,
    meta: PackMeta,
    brand: Brand,
    kpis: pd.DataFrame,
    left_out: Sequence[LeftOut] = (),
) -> str:
    """The whole pack as one HTML document (a str), in ``meta.lang``; ``left_out`` are the
    charts with nothing to show, listed with their reasons after the summary."""
    labels = text_labels(meta.lang)
    css = (
        _CSS.replace("__FONT__", FONT_FAMILY)
        .replace("__INK__", TEXT_COLOR)
        .replace("__PRIMARY__", brand.title_color)
        .replace("__SECONDARY__", brand.secondary)
        .replace("__PULL__", PULL_COLOR)
        .replace("__PUSH__", PUSH_COLOR)
    )
    esc = html.escape
    toc = "".join(
        f'<li><a href="#chart-{i}">{esc(s.title)}</a></li>' for i, s in enumerate(specs, 1)
    )
    sections = []
    for i, spec in enumerate(specs, 1):
        fig = export_figure(spec.figure, brand=brand)
        div = pio.to_html(
            fig,
            full_html=False,
            include_plotlyjs=(i == 1),  # plotly.js once, inline
            include_mathjax=False,
            div_id=f"plot-{i}",
            config={"displaylogo": False, "responsive": True},
            default_width="100%",
        )
        table = (
            ""
            if spec.data.empty
            else (
                f"<details><summary>{esc(labels['data_table'])}</summary>{_table(spec.data)}</details>"
            )
        )
        sections.append(
            f'<section class="chart" id="chart-{i}" data-chart-key="{esc(spec.key)}">'
            f'<p class="takeaway">{esc(spec.takeaway)}</p>{div}'
            f'<p class="caption"><b>{esc(labels["source"])}:</b> {esc(spec.caption)}</p>'
            f'<p class="facts">{esc(meta.filters_text)} · {esc(meta.data_date)}</p>'
            f"{table}</section>"
        )
    kpi_section = (
        f'<section class="chart" id="summary"><h2>{esc(labels["kpi_title"])}</h2>'
        f"{_kpi_table(kpis, labels)}<p class='caption'>{esc(labels['kpi_caption'])}</p>"
        + "".join(f"<p class='caption'>{esc(n)}</p>" for n in kpi_notes(kpis))
        + "</section>"
    )
    if left_out:
        items = "".join(f"<li><b>{esc(x.title)}</b>: {esc(x.reason)}</li>" for x in left_out)
        kpi_section += (
            f'<section class="chart" id="left-out"><h2>{esc(labels["left_out_title"])}</h2>'
            f"<p class='caption'>{esc(labels['left_out_intro'])}</p><ul>{items}</ul></section>"
        )
    return (
        f'<!DOCTYPE html><html lang="{esc(meta.lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(meta.company)} · {esc(meta.title)}</title><style>{css}</style></head><body>"
        f"<header>{_logo_img(brand)}<div><h1>{esc(meta.company)} · {esc(meta.title)}</h1>"
        f'<div class="meta">{esc(meta.filters_text)}<br>{esc(meta.data_date)}</div></div></header>'
        f"<main><nav><h2>{esc(labels['contents'])}</h2><ol>{toc}</ol></nav>"
        + "".join(sections)
        + kpi_section
        + f"</main><footer>{esc(meta.generated)}</footer></body></html>"
    )
