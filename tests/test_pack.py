"""Meeting packs: the curated charts (components/export/packs.py), the HTML and the PPTX deck."""

from __future__ import annotations

import html
import io
import re
import shutil
from datetime import date

import pytest
from pptx import Presentation
from pptx.util import Inches

from components.charts.theme import PULL_COLOR, PUSH_COLOR, Brand
from components.export import images, pack_html, pack_pptx, packs
from queries import period
from queries.filters import Filters
from queries.workspace import Workspace
from views import registry

JANUARY = Filters(date(2025, 1, 1), date(2025, 1, 31))
needs_browser = pytest.mark.skipif(not images.available(), reason="no Chromium for kaleido")


@pytest.fixture(scope="module")
def sample_ws(sample_path, tmp_path_factory):
    copy = tmp_path_factory.mktemp("pack") / "sample.duckdb"
    shutil.copy(sample_path, copy)
    ws = Workspace(copy, read_only=True)
    yield ws
    ws.close()


def _sample_filters(ws: Workspace) -> Filters:
    return Filters(*period.default_period(*period.data_range(ws)))


# -- the registry and the charts ----------------------------------------------------------------
def test_every_registered_chart_has_a_page_preset_and_a_unique_key():
    # the app's menu order, so a deck follows the app
    assert packs.pages() == [
        "overview",
        "market",
        "strategy_4p",
        "campaigns",
        "funnel",
        "scenarios",
    ]
    keys = [k for p in packs.pages() for k in packs.preset(p)]
    assert sorted(keys) == sorted(registry.pack_keys())
    assert all(k.startswith(registry.REGISTRY[k].page + ".") for k in keys)


def test_registering_a_key_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        registry.view("overview", "won_by_month")(lambda ctx: None)


def test_unknown_page_or_key_is_refused(tiny_ws):
    with pytest.raises(ValueError, match="unknown"):
        packs.build(tiny_ws, JANUARY, pages=["nope"])


def test_won_takeaway_is_the_pull_share_of_won_revenue_computed_by_hand(tiny_ws):
    # January 2025 won: pull D1 10,000 + D2 5,000 + D7 3,000 = 18,000; push D4 2,000 -> 90 %
    (spec,) = packs.build(tiny_ws, JANUARY, keys=["overview.won_by_month"])
    assert "90%" in spec.takeaway
    assert "$18K" in spec.takeaway and "$2,000" in spec.takeaway
    assert spec.data.iloc[:, 2].sum() == pytest.approx(20000)
    colours = {t.name: t.marker.color for t in spec.figure.data}
    assert colours["Pull (marketing)"] == PULL_COLOR and colours["Push (sales)"] == PUSH_COLOR


def test_pack_charts_come_in_the_chosen_language(tiny_ws):
    (spec,) = packs.build(tiny_ws, JANUARY, lang="zh", keys=["overview.won_by_month"])
    assert "拉动" in spec.takeaway and "赢单" in spec.title


def test_sample_pack_has_every_registered_chart_with_data_and_takeaway(sample_ws):
    specs = packs.build(sample_ws, _sample_filters(sample_ws))
    assert [s.key for s in specs] == [k for p in packs.pages() for k in packs.preset(p)]
    assert sorted(s.key for s in specs) == sorted(registry.pack_keys())
    for spec in specs:
        assert spec.title and spec.caption and spec.takeaway
        assert not spec.data.empty
        assert spec.figure.layout.template.layout.paper_bgcolor == "#FFFFFF"


def test_filters_that_leave_no_rows_give_titled_empty_charts(tiny_ws):
    empty = Filters(date(2030, 1, 1), date(2030, 1, 31))
    specs = packs.build(tiny_ws, empty, pages=["overview"])
    assert specs and specs[0].data.empty and specs[0].is_empty
    assert specs[0].takeaway == specs[0].empty_reason
    assert specs[0].empty_reason.startswith("No deal was won in this period")


def test_default_period_is_the_last_twelve_months_partial_last_one_kept():
    # hand-worked: the latest twelve months up to the data's last day; a last month the data end
    # inside is kept (the sidebar calls it partial), not dropped as it used to be
    assert period.default_period(date(2023, 11, 1), date(2026, 10, 31)) == (
        date(2025, 11, 1),
        date(2026, 10, 31),
    )
    assert period.default_period(date(2025, 1, 5), date(2025, 3, 14)) == (
        date(2025, 1, 5),
        date(2025, 3, 14),
    )
    assert period.default_period(date(2020, 2, 29), date(2024, 2, 28)) == (
        date(2023, 3, 1),
        date(2024, 2, 28),
    )


def test_kpi_summary_lists_the_scoreboard_for_each_engine(tiny_ws):
    kpis = packs.kpi_summary(tiny_ws, JANUARY)
    row = kpis.set_index("kpi").loc["won_amount"]
    assert (row["overall"], row["pull"], row["push"]) == ("$20K", "$18K", "$2,000")


def test_filters_are_described_with_period_and_every_dimension(tiny_ws):
    f = Filters(date(2025, 1, 1), date(2025, 1, 31), segments=("SMB",))
    text = packs.describe_filters(f, packs.context(tiny_ws, f).fmt, "en")
    assert text.startswith("Period Jan 1, 2025 – Jan 31, 2025")
    assert "Segment: SMB" in text and "Region: All" in text


# -- HTML -------------------------------------------------------------------------------------
def _html(ws, filters, brand=None, pages=None) -> str:
    specs = packs.build(ws, filters, pages=pages)
    meta = packs.meta(ws, filters, "en", (brand or Brand()).company)
    return pack_html.render(
        specs, meta=meta, brand=brand or Brand(), kpis=packs.kpi_summary(ws, filters)
    )


def test_html_pack_holds_every_chosen_chart_and_no_outside_script(sample_ws):
    filters = _sample_filters(sample_ws)
    doc = _html(sample_ws, filters)
    for key in registry.pack_keys():
        assert f'data-chart-key="{key}"' in doc
    assert doc.count('class="plotly-graph-div"') == len(registry.pack_keys())
    assert not re.search(r"<script[^>]+src\s*=\s*[\"']?(https?:)?//", doc, re.I)
    assert "<link" not in doc  # no outside stylesheet or font either
    assert len(re.findall(r"plotly\.js v\d", doc)) == 1  # plotly.js inline, exactly once
    assert doc.count("window.PlotlyConfig") == 1


def test_html_pack_of_one_page_holds_only_that_pages_charts(sample_ws):
    doc = _html(sample_ws, _sample_filters(sample_ws), pages=["funnel"])
    assert 'data-chart-key="funnel.lifecycle"' in doc
    assert 'data-chart-key="overview.won_by_month"' not in doc


def test_html_pack_escapes_the_company_name_and_embeds_the_logo(tiny_ws):
    brand = Brand(company="<script>alert(1)</script>", logo_png=_png_bytes())
    doc = _html(tiny_ws, JANUARY, brand=brand, pages=["overview"])
    assert "<script>alert(1)</script>" not in doc
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert 'src="data:image/png;base64,' in doc


def _png_bytes(size=(64, 32), colour=(200, 30, 60)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="PNG")
    return buf.getvalue()


# -- PPTX ------------------------------------------------------------------------------------
@needs_browser
def test_pptx_has_title_a_slide_per_chart_and_a_kpi_summary(sample_ws):
    filters = _sample_filters(sample_ws)
    data = packs.render_pack(sample_ws, filters, fmt="pptx")
    prs = Presentation(io.BytesIO(data))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))  # 16:9
    slides = list(prs.slides)
    assert len(slides) == len(registry.pack_keys()) + 2
    texts = ["\n".join(s.text_frame.text for s in sl.shapes if s.has_text_frame) for sl in slides]
    assert "Pull and push: the meeting pack" in texts[0] and "Data as of" in texts[0]
    specs = packs.build(sample_ws, filters)
    for slide, text, spec in zip(slides[1:-1], texts[1:-1], specs, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1 and pictures[0].width > Inches(10)
        assert spec.title in text and spec.takeaway in text
        assert "Source:" in text and "Period " in text and "Data as of" in text
    tables = [s for s in slides[-1].shapes if s.has_table]
    assert len(tables) == 1
    first_column = [tables[0].table.cell(r, 0).text for r in range(len(tables[0].table.rows))]
    assert first_column[1:] == list(packs.kpi_summary(sample_ws, filters)["label"])


@needs_browser
def test_pptx_carries_the_logo_on_every_slide(tiny_ws):
    specs = packs.build(tiny_ws, JANUARY, pages=["overview"])
    brand = Brand(company="Acme", logo_png=_png_bytes())
    meta = packs.meta(tiny_ws, JANUARY, "en", "Acme")
    data = pack_pptx.render(specs, meta=meta, brand=brand, kpis=packs.kpi_summary(tiny_ws, JANUARY))
    prs = Presentation(io.BytesIO(data))
    for slide in prs.slides:
        assert any(s.shape_type == 13 and s.height < Inches(1.3) for s in slide.shapes)


def test_pptx_without_a_browser_says_so(tiny_ws, monkeypatch):
    monkeypatch.setattr(images, "available", lambda: False)
    with pytest.raises(images.ImagesUnavailable, match="Chromium"):
        packs.render_pack(tiny_ws, JANUARY, fmt="pptx")


def test_control_characters_in_text_do_not_break_the_deck():
    assert pack_pptx._clean("Acme\x00 Corp\x1b") == "Acme Corp"


# -- a pack from a workspace that cannot fill every chart ----------------------------------------
NOTHING = Filters(date(2030, 1, 1), date(2030, 1, 31))  # after the tiny workspace's data


def test_split_keeps_charts_with_something_to_show_and_names_the_others(tiny_ws):
    specs = packs.build(tiny_ws, JANUARY) + packs.build(tiny_ws, NOTHING, pages=["overview"])
    shown, left_out = packs.split(specs)
    assert [s.key for s in shown] == [s.key for s in specs if not s.is_empty]
    empty = [s for s in specs if s.is_empty]
    assert empty, "the 2030 overview chart has nothing to show"
    assert [(x.title, x.reason) for x in left_out] == [(s.title, s.empty_reason) for s in empty]


def test_html_pack_leaves_empty_charts_out_and_lists_them_with_their_reasons(tiny_ws):
    doc = packs.render_pack(tiny_ws, NOTHING, fmt="html", pages=["overview", "funnel"])
    text = doc.decode("utf-8")
    specs = packs.build(tiny_ws, NOTHING, pages=["overview", "funnel"])
    assert specs and all(s.is_empty for s in specs)
    assert 'class="plotly-graph-div"' not in text  # no "no data" slides
    assert 'id="left-out"' in text and "Left out of this pack" in text
    for s in specs:
        assert f"<b>{html.escape(s.title)}</b>: {html.escape(s.empty_reason)}" in text


def test_html_pack_from_a_full_workspace_has_no_left_out_section(sample_ws):
    doc = packs.render_pack(sample_ws, _sample_filters(sample_ws), fmt="html", pages=["overview"])
    assert b'id="left-out"' not in doc


@needs_browser
def test_pptx_closes_with_a_slide_naming_the_charts_left_out(tiny_ws):
    data = packs.render_pack(tiny_ws, NOTHING, fmt="pptx", lang="zh", pages=["overview"])
    slides = list(Presentation(io.BytesIO(data)).slides)
    # title, the KPI summary, the left-out list: no chart slide says "no data"
    assert len(slides) == 3
    last = "\n".join(s.text_frame.text for s in slides[-1].shapes if s.has_text_frame)
    (spec,) = packs.build(tiny_ws, NOTHING, lang="zh", pages=["overview"])
    assert "未放入本次材料的图表" in last and spec.title in last and spec.empty_reason in last
    assert "3 / 3" in last


def test_the_closing_summary_says_why_a_shared_kpi_is_missing(sample_path, tmp_path):
    from tests.degenerate import build_variant

    ws = Workspace(build_variant(sample_path, tmp_path, "no_spend"), read_only=True)
    try:
        f = _sample_filters(ws)
        kpis = packs.kpi_summary(ws, f)
        doc = packs.render_pack(ws, f, fmt="html", pages=["overview"]).decode("utf-8")
    finally:
        ws.close()
    cac = kpis.set_index("kpi").loc["cac"]
    assert cac["overall"] == "—" and cac["note"]
    assert f"{cac['label']}: {cac['note']}" in packs.kpi_notes(kpis)
    assert html.escape(f"{cac['label']}: {cac['note']}") in doc
