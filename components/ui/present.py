"""Present mode: the curated charts one per screen, for a planning meeting.

Turned on by the sidebar toggle or a link with ``?present=1``. It hides the sidebar and the
page controls, enlarges the type, and steps through the meeting pack (components/export/packs.py)
with Previous / Next (or the arrow keys; Esc leaves): each chart with its title, its one-line
takeaway, the filters and the data date it reflects, then a closing summary of the shared KPIs.
The filters are the sidebar's, so a link keeps its period and segments.
"""

from __future__ import annotations

import base64
import html

import streamlit as st

from components.charts import theme
from components.export import packs
from components.i18n import current_language, t
from components.ui import state
from queries.filters import Filters

PRESENT_KEY = "present_mode"
INDEX_KEY = "present_index"
PAGES_KEY = "present_pages"  # plain state: survives the runs where its widget is not drawn
_PAGES_WIDGET = "present_pages_choice"
URL_PARAM = "present"
PACK_PARAM = "pack"  # ?pack=overview,funnel: the pages whose charts a link presents


def init_from_url() -> None:
    """On a session's first run, a link with ``?present=1`` opens in present mode."""
    if PRESENT_KEY not in st.session_state:
        st.session_state[PRESENT_KEY] = st.query_params.get(URL_PARAM) in ("1", "true", "yes")
        wanted = [p for p in st.query_params.get(PACK_PARAM, "").split(",") if p in packs.pages()]
        if wanted:
            st.session_state[PAGES_KEY] = wanted


def is_on() -> bool:
    return bool(st.session_state.get(PRESENT_KEY))


def sidebar_controls() -> None:
    """The toggle and the choice of pages whose charts are shown, in the sidebar."""
    st.sidebar.toggle(t("present.toggle"), key=PRESENT_KEY, help=t("present.toggle_help"),
                      on_change=_restart)  # fmt: skip
    all_pages = packs.pages()
    if PAGES_KEY not in st.session_state:
        st.session_state[PAGES_KEY] = all_pages
    if is_on():  # the sidebar is hidden
        return
    st.session_state[_PAGES_WIDGET] = list(st.session_state[PAGES_KEY])
    with st.sidebar.expander(t("export.pack_title"), icon=":material/slideshow:"):
        st.caption(t("export.pack_intro"))
        st.multiselect(
            t("present.pages"),
            options=all_pages,
            format_func=lambda p: t(f"pack.page.{p}"),
            key=_PAGES_WIDGET,
            on_change=_pages_changed,
        )
        pack_downloads()


def _pages_changed() -> None:
    st.session_state[PAGES_KEY] = list(st.session_state.get(_PAGES_WIDGET) or [])
    _restart()


def pack_downloads() -> None:
    """HTML and PowerPoint downloads of the pack for the current filters; built on click only
    (each button gets a function, not bytes), so drawing the sidebar costs nothing."""
    from components.export import images
    from components.ui import page

    ws = state.workspace()
    filters = page.filters()
    lang = current_language()
    chosen = tuple(st.session_state.get(PAGES_KEY) or ())
    if not chosen:
        st.caption(t("present.no_charts"))
        return
    stem = f"flywheel-pack-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}"
    st.download_button(
        t("export.pack_html"),
        data=lambda: packs.render_pack(ws, filters, fmt="html", lang=lang, pages=chosen),
        file_name=f"{stem}.html",
        mime="text/html",
        on_click="ignore",
        key="pack_html",
        icon=":material/language:",
        width="stretch",
    )
    if images.available():
        st.download_button(
            t("export.pack_pptx"),
            data=lambda: packs.render_pack(ws, filters, fmt="pptx", lang=lang, pages=chosen),
            file_name=f"{stem}.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            on_click="ignore",
            key="pack_pptx",
            icon=":material/slideshow:",
            width="stretch",
        )
    else:
        st.caption(t("export.pack_no_browser"))


def _restart() -> None:
    st.session_state[INDEX_KEY] = 0


def _step(delta: int, total: int) -> None:
    st.session_state[INDEX_KEY] = min(max(st.session_state.get(INDEX_KEY, 0) + delta, 0), total - 1)


def _exit() -> None:
    st.session_state[PRESENT_KEY] = False


def _css(brand: theme.Brand) -> str:
    # Streamlit's own chrome and the sidebar go; type grows for the back of the room.
    return f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"] {{ display: none !important; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 1.2rem; max-width: 100%; }}
.fw-present-company {{ font-size: 1.6rem; font-weight: 700; color: {brand.title_color}; }}
.fw-present-pos {{ font-size: 1.1rem; color: #52606D; text-align: center; padding-top: .4rem; }}
.fw-present-title {{ font-size: 1.7rem; font-weight: 700; color: {brand.title_color};
  margin: .2rem 0 .3rem; }}
.fw-present-takeaway {{ font-size: 1.9rem; font-weight: 650; line-height: 1.35;
  border-left: 8px solid {brand.secondary}; padding: .2rem 0 .2rem 1rem; margin: .4rem 0 .6rem; }}
.fw-present-facts {{ font-size: 1.05rem; color: #52606D; }}
.fw-present-caption {{ font-size: .95rem; color: #7B8794; }}
.fw-present-kpi td, .fw-present-kpi th {{ font-size: 1.5rem; padding: .55rem 1.2rem;
  border-bottom: 1px solid #E4E7EB; text-align: right; }}
.fw-present-kpi td:first-child, .fw-present-kpi th:first-child {{ text-align: left; }}
.fw-present-kpi {{ border-collapse: collapse; width: 100%; }}
</style>"""


def _logo_html(brand: theme.Brand) -> str:
    if not brand.logo_png:
        return ""
    data = base64.b64encode(brand.logo_png).decode("ascii")
    return (
        f'<img src="data:image/png;base64,{data}" alt="" '
        'style="max-height:44px;max-width:180px;vertical-align:middle;margin-right:14px">'
    )


def render(filters: Filters) -> None:
    """Draw the current slide of the show (called by app.py instead of the page)."""
    from components.ui import page

    brand = page.brand()
    lang = current_language()
    chosen = tuple(st.session_state.get(PAGES_KEY) or packs.pages())
    # a chart with nothing to show is left out of the show and named on the closing screen
    specs, left_out = packs.split(state.call(packs.build, filters, lang=lang, pages=chosen))
    total = len(specs) + 1  # the charts, then the KPI summary
    index = min(max(int(st.session_state.get(INDEX_KEY, 0)), 0), total - 1)
    st.session_state[INDEX_KEY] = index

    st.html(_css(brand))
    head, pos, prev, nxt, leave = st.columns([6, 2, 1.2, 1.2, 1.6], vertical_alignment="center")
    head.html(
        f'<div class="fw-present-company">{_logo_html(brand)}{html.escape(brand.company)}</div>'
    )
    where = t("present.position", n=index + 1, total=total)
    pos.html(f'<div class="fw-present-pos">{html.escape(where)}</div>')
    prev.button(t("present.previous"), icon=":material/arrow_back:", on_click=_step,
                args=(-1, total), disabled=index == 0, key="present_prev", shortcut="Left",
                width="stretch")  # fmt: skip
    nxt.button(t("present.next"), icon=":material/arrow_forward:", on_click=_step,
               args=(1, total), disabled=index >= total - 1, key="present_next",
               shortcut="Right", type="primary", width="stretch")  # fmt: skip
    leave.button(t("present.exit"), icon=":material/close:", on_click=_exit, key="present_exit",
                 shortcut="Esc", width="stretch")  # fmt: skip

    meta = state.call(packs.meta, filters, lang, brand.company)
    facts = f"{meta.filters_text} · {meta.data_date}"
    if index < len(specs):
        spec = specs[index]
        from components.export.images import export_figure

        # the title as text, like a slide: the chart below gets the whole height
        st.html(
            f'<div class="fw-present-title">{html.escape(spec.title)}</div>'
            f'<div class="fw-present-takeaway">{html.escape(spec.takeaway)}</div>'
        )
        fig = export_figure(spec.figure, brand=brand, font_scale=1.35, drop_title=True)
        fig.update_layout(height=600)
        theme.localise(fig, state.formatter())  # the reader's dates and 万/亿 ticks
        # theme=None: our template exactly, as in the exported images (Streamlit's theme would
        # shrink the enlarged tick and legend fonts back)
        st.plotly_chart(
            fig, key=f"present_chart_{spec.key}", theme=None, config={"displaylogo": False}
        )
        st.html(
            f'<div class="fw-present-facts">{html.escape(facts)}</div>'
            f'<div class="fw-present-caption">{html.escape(spec.caption)}</div>'
        )
    else:
        _summary(filters, lang, facts, left_out)


def _summary(filters: Filters, lang: str, facts: str, left_out: list[packs.LeftOut]) -> None:
    kpis = state.call(packs.kpi_summary, filters, lang)
    st.header(t("pack.kpi_title"))
    cols = [
        ("label", t("pack.kpi_metric"), theme.TEXT_COLOR),
        ("overall", t("motion.overall"), theme.TEXT_COLOR),
        ("pull", t("motion.pull"), theme.PULL_COLOR),
        ("push", t("motion.push"), theme.PUSH_COLOR),
        ("change", t("pack.kpi_change"), theme.TEXT_COLOR),
    ]
    head = "".join(f'<th style="color:{c}">{html.escape(label)}</th>' for _, label, c in cols)

    def cell(row, key: str, colour: str) -> str:
        if key == "change" and row["improved"] is not None and row["improved"] == row["improved"]:
            colour = "#2B8A3E" if row["improved"] else "#C92A2A"  # better / worse than before
        elif key in ("label", "overall"):
            colour = theme.TEXT_COLOR
        weight = "700" if key == "overall" else "400"
        text = html.escape(str(row[key]))
        return f'<td style="color:{colour};font-weight:{weight}">{text}</td>'

    body = "".join(
        "<tr>" + "".join(cell(row, k, c) for k, _, c in cols) + "</tr>"
        for _, row in kpis.iterrows()
    )
    st.html(f'<table class="fw-present-kpi"><tr>{head}</tr>{body}</table>')
    st.html(
        f'<div class="fw-present-facts" style="margin-top:1rem">{html.escape(facts)}</div>'
        f'<div class="fw-present-caption">{html.escape(t("pack.kpi_caption"))}</div>'
        + "".join(
            f'<div class="fw-present-caption">{html.escape(n)}</div>' for n in packs.kpi_notes(kpis)
        )
    )
    if left_out:
        items = "".join(
            f"<li><b>{html.escape(x.title)}</b>: {html.escape(x.reason)}</li>" for x in left_out
        )
        st.html(
            f'<div class="fw-present-caption" style="margin-top:1.5rem">'
            f"<b>{html.escape(t('pack.left_out_title'))}</b> · "
            f"{html.escape(t('pack.left_out_intro'))}<ul>{items}</ul></div>"
        )
