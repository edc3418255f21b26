"""Dates and numbers in the reader's language (issue 20): a Chinese reader reads 2025年11月1日,
2026年3月 and 1,220万 / US$1.22亿 in the app, the charts and the packs; an English reader reads
what was there before ("Nov 1, 2025", "$12.2M")."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components import i18n
from components.charts import base, theme
from components.charts import campaign as campaign_charts
from components.export import packs
from components.fmt import Formatter
from queries import period
from queries.filters import Filters
from queries.workspace import Workspace
from tests.apptest_utils import figures, open_tab, plain, shown_text

# every AppTest here starts and ends with empty Streamlit caches (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = sorted(p.name for p in (Path(APP).parent / "app_pages").glob("*.py"))
TABS = {
    "campaigns.py": "campaigns_tab",
    "market.py": "market_tab",
    "strategy_4p.py": "strategy_4p_tab",
    "funnel.py": "funnel_tab",
    "scenarios.py": "scn_view",
}
MONTH_WORD = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)(uary|ruary|ch|il|e|y|ust|tember"
    r"|ober|ember)?\b"
)
# "$12.2M", "12K", "1.5B", "US$3M": a figure with an English (or SI) magnitude suffix
SUFFIXED = re.compile(r"\d(?:[.,]\d+)?\s?[KMBkG]\b")
ENGLISH_DATE = re.compile(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}\b")


# -- the Formatter, both languages, by hand -----------------------------------------------------
ZH = Formatter.safe("en_US", "USD", "zh")
ZH_CNY = Formatter.safe("zh_CN", "CNY", "zh")
EN = Formatter.safe("en_US", "USD", "en")


def test_the_readers_language_decides_the_forms_and_the_workspace_the_currency():
    assert Formatter("zh_CN", "USD") == ZH
    assert Formatter("en_US", "USD") == EN
    # an English reader of a Chinese workspace: English forms, the workspace's yuan
    assert Formatter.safe("zh_CN", "CNY", "en") == Formatter("en_US", "CNY")
    # an English reader keeps a German workspace's separators (as before this issue)
    assert Formatter.safe("de_DE", "EUR", "en") == Formatter("de_DE", "EUR")
    assert Formatter.safe("de_DE", "EUR") == Formatter("de_DE", "EUR")


def test_chinese_dates_months_and_ranges():
    assert ZH.date(date(2025, 11, 1)) == "2025年11月1日"
    assert ZH.date(date(2026, 12, 7)) == "2026年12月7日"
    assert ZH.month(date(2026, 3, 1)) == "2026年3月"
    assert ZH.date_range(date(2025, 11, 1), date(2026, 10, 31)) == "2025年11月1日至2026年10月31日"
    assert ZH.date(None) == ZH.month(None) == "—"


def test_english_dates_months_and_ranges_are_unchanged():
    assert EN.date(date(2025, 11, 1)) == "Nov 1, 2025"
    assert EN.month(date(2026, 3, 1)) == "Mar 2026"
    assert EN.date_range(date(2025, 11, 1), date(2026, 10, 31)) == "Nov 1, 2025 – Oct 31, 2026"


def test_a_period_reads_zhi_in_chinese_wherever_it_is_written():
    """The sidebar caption and the packs (common.period), the partial-month note, the campaign
    calendar's title and its hover: 2025年11月1日至2026年10月31日, never "… – …"."""
    nov, octo = date(2025, 11, 1), date(2026, 10, 31)
    zh_range = "2025年11月1日至2026年10月31日"
    assert i18n.translate("common.period", "zh", start=ZH.date(nov), end=ZH.date(octo)) == zh_range
    assert i18n.translate("common.period", "en", start=EN.date(nov), end=EN.date(octo)) == (
        "Nov 1, 2025 – Oct 31, 2026"
    )
    f = Filters(nov, octo, segments=("SMB",))
    assert (
        packs.describe_filters(f, ZH, "zh")
        == f"期间 {zh_range} · 细分市场: SMB · 区域: 全部 · 产品: 全部 · 负责人: 全部"
    )
    assert packs.describe_filters(f, EN, "en").startswith("Period Nov 1, 2025 – Oct 31, 2026 · ")
    title = i18n.translate("campaigns.timeline_title_channel", "zh", start="甲", end="乙")
    assert title.endswith("甲至乙")
    # no Chinese catalogue entry joins two placeholders with an English en dash
    joined = re.compile(r"\{(start|first)\}\s*[–-]\s*\{(end|last)\}")
    assert [k for k, v in i18n.catalogue("zh").items() if joined.search(v)] == []


def test_the_campaign_hover_writes_its_days_as_one_range():
    df = pd.DataFrame(
        {
            "campaign_id": ["C1"],
            "name": ["春季展会"],
            "channel": ["展会"],
            "objective": ["awareness"],
            "motion": ["pull"],
            "start_date": [date(2026, 3, 1)],
            "end_date": [date(2026, 3, 31)],
            "budget": [10_000.0],
            "spend_to_date": [5_000.0],
            "owner": ["王芳"],
            "segment": [None],
            "status": ["running"],
        }
    )
    kwargs = dict(
        title="t",
        group_by="channel",
        color_by="motion",
        stage_labels={},
        motion_labels={},
        hover_labels={
            k: k for k in ("budget", "spend", "owner", "segment", "status", "all_segments")
        },
    )
    zh = campaign_charts.campaign_timeline(df, day=ZH.date, span=ZH.date_range, **kwargs)
    en = campaign_charts.campaign_timeline(df, day=EN.date, **kwargs)
    zh_hover = " ".join(str(h) for tr in zh.data for h in (tr.customdata or []) for h in h) + str(
        [tr.hovertext for tr in zh.data]
    )
    en_hover = " ".join(str(h) for tr in en.data for h in (tr.customdata or []) for h in h) + str(
        [tr.hovertext for tr in en.data]
    )
    assert "2026年3月1日至2026年3月31日" in zh_hover
    assert "Mar 1, 2026 – Mar 31, 2026" in en_hover


@pytest.mark.parametrize(
    ("value", "money", "yuan", "number"),
    [
        (9_999, "US$9,999", "¥9,999", "9,999"),  # below 1万: full digits
        (12_345, "US$1.23万", "¥1.23万", "1.23万"),
        (122_000, "US$12.2万", "¥12.2万", "12.2万"),
        (12_200_000, "US$1,220万", "¥1,220万", "1,220万"),
        (99_996_000, "US$1亿", "¥1亿", "1亿"),  # 9,999.6万 rounds up into 亿
        (122_000_000, "US$1.22亿", "¥1.22亿", "1.22亿"),
        (1_500_000_000, "US$15亿", "¥15亿", "15亿"),
        (-4_500_000, "-US$450万", "-¥450万", "-450万"),
    ],
)
def test_chinese_compact_figures_count_in_wan_and_yi(value, money, yuan, number):
    assert ZH.money(value, compact=True) == money
    assert ZH_CNY.money(value, compact=True) == yuan
    assert ZH.number(value, compact=True) == number


def test_english_compact_figures_are_unchanged():
    assert EN.money(12_200_000, compact=True) == "$12.2M"
    assert EN.money(4_500_000, compact=True) == "$4.5M"
    assert EN.number(12_345, compact=True) == "12.3K"
    assert EN.money(1_234_567) == "$1,234,567"


def test_percentages_and_full_figures_read_the_same_in_both():
    assert ZH.pct(0.123) == EN.pct(0.123) == "12.3%"
    assert ZH.money(1_234_567) == "US$1,234,567"
    assert ZH_CNY.money(12.5) == "¥12.50"
    assert ZH.money(None, compact=True) == "—"


# -- charts -------------------------------------------------------------------------------------
def _revenue_figure(fmt: Formatter):
    months = pd.to_datetime(["2026-01-01", "2026-02-01"] * 2)
    df = pd.DataFrame(
        {
            "month": months,
            "motion": ["pull", "pull", "push", "push"],
            "won": [5_000_000.0, 7_000_000.0, 3_000_000.0, 4_000_000.0],
        }
    )
    fig = base.motion_time_series(
        df, x="month", y="won", title="Won", y_title="", motion_labels={}, y_prefix="US$"
    )
    return theme.localise(fig, fmt)


def test_a_chinese_money_axis_has_wan_ticks_from_the_stacked_data_and_no_si_format():
    fig = _revenue_figure(ZH)
    y = fig.layout.yaxis
    assert "s" not in (y.tickformat or "") and not y.tickprefix
    # stacked bars reach 7M + 4M = 11M: 11M / 6 = 1.83M, rounded up to a step of 2M = 200万
    assert list(y.tickvals) == [0, 2e6, 4e6, 6e6, 8e6, 10e6, 12e6]
    assert list(y.ticktext) == [
        "US$0",
        "US$200万",
        "US$400万",
        "US$600万",
        "US$800万",
        "US$1,000万",
        "US$1,200万",
    ]
    stops = {tuple(s.dtickrange): s.value for s in fig.layout.xaxis.tickformatstops}
    assert stops[("M1", "M12")] == "%Y年%-m月"
    assert fig.layout.xaxis.hoverformat == "%Y年%-m月"  # monthly points
    assert "%{x|%Y年%-m月}" in fig.data[0].hovertemplate and "%b" not in fig.data[0].hovertemplate
    # a second pass (the page after the pack) changes nothing
    again = theme.localise(go_copy(fig), ZH)
    assert again.layout.yaxis.ticktext == fig.layout.yaxis.ticktext


def test_an_axis_reads_in_one_unit_that_of_the_largest_figure():
    assert ZH.axis_ticks([0, 5_000, 10_000, 15_000]) == ["0", "0.5万", "1万", "1.5万"]
    assert ZH.axis_ticks([0, 2_000, 10_000], top=9_000) == ["0", "2,000", "10,000"]
    assert ZH.axis_ticks([0, 1e8, 2.5e8]) == ["0", "1亿", "2.5亿"]
    assert EN.axis_ticks([0, 5_000, 10_000]) == ["0", "5,000", "10,000"]


def test_plotlys_own_number_ticks_would_say_k_so_chinese_axes_get_labels():
    import plotly.graph_objects as go

    fig = theme.localise(go.Figure(go.Bar(x=["a", "b"], y=[12_000, 30_000])), ZH)
    assert list(fig.layout.yaxis.ticktext) == ["0", "0.5万", "1万", "1.5万", "2万", "2.5万", "3万"]
    small = theme.localise(go.Figure(go.Bar(x=["a", "b"], y=[120, 900])), ZH)
    assert small.layout.yaxis.exponentformat == "none" and small.layout.yaxis.ticktext is None
    english = theme.localise(go.Figure(go.Bar(x=["a", "b"], y=[12_000, 30_000])), EN)
    assert english.layout.yaxis.ticktext is None and english.layout.yaxis.exponentformat is None


def test_a_percentage_axis_is_not_taken_for_a_date_axis():
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=["2025-Q4", "2026-Q1"], y=[0.25, 0.31]))
    fig.update_yaxes(tickformat=".0%")
    theme.localise(fig, ZH)
    assert fig.layout.yaxis.tickformat == ".0%" and not fig.layout.yaxis.hoverformat


def go_copy(fig):
    import plotly.graph_objects as go

    return go.Figure(fig)


def test_an_english_figure_keeps_its_formats():
    fig = _revenue_figure(EN)
    assert fig.layout.yaxis.tickformat == "~s" and fig.layout.yaxis.tickprefix == "US$"
    assert fig.layout.yaxis.tickvals is None and not fig.layout.xaxis.tickformatstops
    assert "%{x|%b %Y}" in fig.data[0].hovertemplate
    assert fig.layout.separators == ".,"


def test_si_text_on_bars_becomes_wan_in_chinese():
    from components.charts import mix

    df = pd.DataFrame({"channel": ["A", "B"], "leads": [25_000.0, 800.0]})
    fig = mix.value_bars(df, category="channel", value="leads", title="", x_title="")
    theme.localise(fig, ZH)
    assert list(fig.data[0].text) == ["2.5万", "800"]
    assert ":~s" not in fig.data[0].hovertemplate


# -- every page, both languages, on the sample ---------------------------------------------------


def _figure_faults(fig: dict) -> list[str]:
    """SI tick formats and English month formats left in a Chinese figure."""
    faults = []
    for name, axis in fig.get("layout", {}).items():
        if re.match(r"[xy]axis\d*$", name) and isinstance(axis, dict):
            if "s" in str(axis.get("tickformat", "")) or "%b" in str(axis.get("tickformat", "")):
                faults.append(f"{name}.tickformat={axis.get('tickformat')}")
            faults += [f"{name}.ticktext {t}" for t in axis.get("ticktext", []) or []
                       if SUFFIXED.search(str(t))]  # fmt: skip
    for trace in fig.get("data", []):
        for key in ("hovertemplate", "texttemplate"):
            text = str(trace.get(key) or "")
            if "%b" in text or re.search(r":[^}|]*s\}", text):
                faults.append(f"{key} {text}")
        faults += [f"text {t}" for t in plain(trace.get("text")) or [] if isinstance(t, str)
                   and SUFFIXED.search(t)]  # fmt: skip
    return faults


def _md_escaped(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!<>|~$" else c for c in text)


def _take(at: AppTest, where: str, shown: list[str], faults: list[str]) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    shown.extend(f"{where}: {t}" for t in shown_text(at, tables=True))
    for fig in figures(at):
        faults.extend(f"{where}: {f}" for f in _figure_faults(fig))


def _walk(
    sample_path: Path, lang: str, monkeypatch, *, tabs: bool = True
) -> tuple[list[str], list[str]]:
    """Every page (and tab) in ``lang``: the text shown and the faults of its figures."""
    monkeypatch.setenv("FLYWHEEL_DB", str(sample_path))
    # AppTest formats a selectbox's options outside the script run, where the session's
    # language cannot be read (it falls back to the default): make the walked one the default.
    monkeypatch.setattr(i18n, "DEFAULT_LANGUAGE", lang)
    shown: list[str] = []
    faults: list[str] = []
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=300)
        at.session_state["lang"] = lang
        at.run()
        at.switch_page(f"app_pages/{page}").run()
        _take(at, page, shown, faults)
        for label in [t.label for t in at.tabs][1:] if tabs and page in TABS else []:
            open_tab(at, TABS[page], label)
            _take(at, f"{page}/{label}", shown, faults)
    return shown, faults


@pytest.fixture(scope="module")
def campaign_names(sample_path, tmp_path_factory) -> list[str]:
    """The sample's campaign names ("Search: competitor terms — Mar 2026"): data the reader
    typed, not our formats; read from a copy (the app tests hold the sample open)."""
    import shutil

    from queries import campaigns

    ws = Workspace(shutil.copy(sample_path, tmp_path_factory.mktemp("names") / "copy.duckdb"))
    try:
        names = campaigns.plan_rows(ws)["name"].dropna().tolist()
    finally:
        ws.close()
    return sorted(names, key=len, reverse=True)


def test_every_page_in_chinese_has_chinese_dates_and_no_english_magnitudes(
    sample_path, campaign_names, monkeypatch
):
    shown, faults = _walk(sample_path, "zh", monkeypatch)
    for name in campaign_names:
        shown = [t.replace(name, "").replace(_md_escaped(name), "") for t in shown]
    assert any("年" in t and "月" in t and "日" in t for t in shown)
    months = [t for t in shown if MONTH_WORD.search(t)]
    assert not months, months[:5]
    suffixed = [t for t in shown if SUFFIXED.search(t)]
    assert not suffixed, suffixed[:5]
    assert not faults, faults[:5]


def test_every_page_in_english_keeps_its_forms(
    sample_path, sample_names, campaign_names, monkeypatch
):
    # each page's first view: the English forms are what every other test reads already
    shown, _ = _walk(sample_path, "en", monkeypatch, tabs=False)
    for name in campaign_names:  # the Chinese sample's names hold 2026年3月: data, not forms
        shown = [t.replace(name, "").replace(_md_escaped(name), "") for t in shown]
    assert any(ENGLISH_DATE.search(t) for t in shown)
    # $12.2M, or the workspace's own symbol as English writes it (CN¥12.2M)
    symbol = Formatter.safe(sample_names.workspace_locale, sample_names.currency, "en")
    money = re.compile(re.escape(symbol.currency_symbol) + r"\d+(?:\.\d)?[KM]\b")
    assert any(money.search(t) for t in shown)
    # no figure in 万 or 亿, no date in 年 (the Chinese sample's names are Chinese: data)
    chinese = [t for t in shown if re.search(r"\d\s?[万亿年]", t)]
    assert not chinese, chinese[:5]


# -- the packs ----------------------------------------------------------------------------------
def test_the_chinese_pack_dates_its_cover_and_writes_figures_in_wan(sample_path, tmp_path):
    import shutil

    ws = Workspace(shutil.copy(sample_path, tmp_path / "copy.duckdb"), read_only=True)
    try:
        f = Filters(*period.default_period(*period.data_range(ws)))
        meta = packs.meta(ws, f, "zh", "Northwind")
        specs = packs.build(ws, f, lang="zh")
        kpis = packs.kpi_summary(ws, f, "zh")
    finally:
        ws.close()
    today = date.today()
    assert f"{today.year}年{today.month}月{today.day}日" in meta.generated
    assert f"{f.date_from.year}年{f.date_from.month}月{f.date_from.day}日" in meta.filters_text
    texts = [meta.filters_text, meta.data_date, meta.generated]
    texts += [s.title for s in specs] + [s.caption for s in specs] + [s.takeaway for s in specs]
    texts += [str(v) for v in kpis[["overall", "pull", "push", "change"]].to_numpy().ravel()]
    assert not [t for t in texts if MONTH_WORD.search(t) or SUFFIXED.search(t)]
    faults = [fault for s in specs for fault in _figure_faults(s.figure.to_plotly_json())]
    assert not faults, faults[:5]
