"""What this workspace can answer: each input the pages need, what the workspace holds of it,
and the one step that fills a gap. One definition (``NEEDS``, ``PAGE_NEEDS``) read by the Data
page's readiness panel and by the one-line notice in every page's header, from one row of
counts (``queries.readiness.counts``, one cached query per rerun in the app).

A need is met when the workspace holds at least one record of it; a page lacks what it needs
when one of its needs is not met, and its header says which, what the page cannot show without
it, and links to the Data page. Plain functions, no chart: nothing here is registered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from babel.lists import format_list

from components.fmt import Formatter
from locales import translate

# need -> (the count of records that meet it, the count it is out of, or None for a plain count)
NEEDS: dict[str, tuple[str, str | None]] = {
    "leads_sourced": ("leads_with_source", "leads"),
    "lead_dates": ("leads_with_created", "leads"),
    "deals_motion": ("deals_with_motion", "deals"),
    "deal_segments": ("deals_with_segment", "deals"),
    "marketing_spend": ("marketing_spend_rows", None),
    "sales_reps": ("sales_reps", None),
    "sales_cost": ("sales_cost", None),
    "touches": ("touches", None),
    "campaigns": ("campaigns", None),
    "lost_deals": ("lost_deals", "closed_deals"),
    "open_amounts": ("open_with_amount", "open_deals"),
    "first_touch": ("leads_with_first_touch", "leads"),
    "market_assumptions": ("market_assumptions", None),
}

# needs that are gaps only when there are leads to lack them
WHEN_LEADS = frozenset({"lead_dates"})

# page (its script name in app_pages/) -> what it needs, in the order the panel lists them
PAGE_NEEDS: dict[str, tuple[str, ...]] = {
    "overview": (
        "leads_sourced",
        "lead_dates",
        "deals_motion",
        "marketing_spend",
        "lost_deals",
        "open_amounts",
    ),
    "market": ("market_assumptions", "deal_segments", "lost_deals", "open_amounts"),
    "strategy_4p": ("deals_motion", "marketing_spend", "deal_segments"),
    "campaigns": ("campaigns", "touches", "marketing_spend"),
    "funnel": ("leads_sourced", "lead_dates", "first_touch", "lost_deals", "open_amounts"),
    "scenarios": (
        "leads_sourced",
        "lead_dates",
        "deals_motion",
        "marketing_spend",
        "sales_reps",
        "sales_cost",
    ),
}


@dataclass(frozen=True)
class Need:
    key: str
    have: int
    out_of: int | None  # None: a plain count
    met: bool


def needs(counts: Mapping[str, int]) -> dict[str, Need]:
    """Every need with what the workspace holds of it (``counts``: queries.readiness.counts)."""
    c = dict(counts)
    c["closed_deals"] = c.get("won_deals", 0) + c.get("lost_deals", 0)
    # the scenario planner's sales cost: sales spend rows, else the reps' monthly cost
    c["sales_cost"] = c.get("sales_spend_rows", 0) + c.get("reps_with_cost", 0)
    out: dict[str, Need] = {}
    for key, (have_key, total_key) in NEEDS.items():
        have = int(c.get(have_key, 0))
        total = None if total_key is None else int(c.get(total_key, 0))
        out[key] = Need(key, have, total, have > 0)
    return out


def missing(counts: Mapping[str, int], page: str) -> list[Need]:
    """The needs of ``page`` this workspace does not meet (none for a page without needs)."""
    all_needs = needs(counts)
    return [
        all_needs[k]
        for k in PAGE_NEEDS.get(page, ())
        # without any lead, the missing leads are named once (by the leads-with-a-source gap)
        if not all_needs[k].met and not (k in WHEN_LEADS and not all_needs[k].out_of)
    ]


def _join(items: Sequence[str], lang: str, style: str = "standard") -> str:
    return format_list(list(items), style=style, locale="zh_Hans_CN" if lang == "zh" else "en")


# the gaps a page's header names; with more, it names the first and counts the rest, so the
# line stays one line on an imported workspace that lacks much (the Data page lists them all)
NAMED_GAPS = 2

# what the motion notice under the header already says (deals without a pull or push motion)
MOTION_NEED = "deals_motion"


def notice(
    counts: Mapping[str, int], page: str, lang: str = "en", *, motion_notice: bool = False
) -> str | None:
    """The one line a page's header shows when it lacks something it needs, e.g. "Without
    marketing spend this page cannot show CAC or payback — add it on the Data page."; None when
    every need of the page is met. It names up to two gaps; with more it names the first and
    says how many more there are and where they are listed. ``motion_notice``: the page shows
    the motion notice below it, which already says deals lack a motion, so that gap is left
    out here."""
    gaps = missing(counts, page)
    if motion_notice:
        gaps = [n for n in gaps if n.key != MOTION_NEED]
    if not gaps:
        return None
    named = gaps if len(gaps) <= NAMED_GAPS else gaps[:1]
    names = [translate(f"readiness.name.{n.key}", lang) for n in named]
    effects = [translate(f"readiness.effect.{page}.{n.key}", lang) for n in named]
    if len(named) < len(gaps):
        where = translate(
            "readiness.notice_where",
            lang,
            page=translate("nav.data", lang),
            section=translate("readiness.header", lang),
        )
        return translate(
            "readiness.notice_more",
            lang,
            missing=names[0],
            effects=effects[0],
            count=len(gaps) - len(named),
            where=where,
        )
    return translate(
        "readiness.notice_one" if len(gaps) == 1 else "readiness.notice_many",
        lang,
        missing=_join(names, lang),
        effects=_join(effects, lang, "or"),
    )


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def have_text(need: Need, fmt: Formatter, lang: str = "en") -> str:
    """What the workspace holds of ``need``: "Open deals with an amount: 0 of 2,089" ("No open
    deals yet" when there is none to count)."""
    if need.out_of is None:
        return translate(f"readiness.have.{need.key}", lang, have=fmt.number(need.have))
    if need.out_of == 0:  # "No open deals yet", not "0 of 0"
        return translate(f"readiness.have_none.{NEEDS[need.key][1]}", lang)
    return translate(
        f"readiness.have.{need.key}",
        lang,
        have=fmt.number(need.have),
        total=fmt.number(need.out_of),
    )


def pages_of(need: str) -> list[str]:
    return [p for p, keys in PAGE_NEEDS.items() if need in keys]


def panel(counts: Mapping[str, int], fmt: Formatter, lang: str = "en") -> pd.DataFrame:
    """One row per need: ✓ or —, the need, what the workspace holds, the pages that use it and
    the step that fills it (blank when it is met). Column names in the reader's language."""
    rows = []
    for need in needs(counts).values():
        rows.append(
            {
                translate("readiness.col.status", lang): "✓" if need.met else "—",
                translate("readiness.col.need", lang): _first_upper(
                    translate(f"readiness.name.{need.key}", lang)
                ),
                translate("readiness.col.have", lang): have_text(need, fmt, lang),
                translate("readiness.col.pages", lang): _join(
                    [translate(f"nav.{p}", lang) for p in pages_of(need.key)], lang
                ),
                translate("readiness.col.step", lang): ""
                if need.met
                else translate(f"readiness.step.{need.key}", lang),
            }
        )
    return pd.DataFrame(rows)


def page_lines(counts: Mapping[str, int], lang: str = "en") -> list[tuple[str, str, bool]]:
    """Per page: (its menu name, "has everything it needs" or what it lacks, ready?)."""
    out = []
    for page in PAGE_NEEDS:
        gaps = missing(counts, page)
        name = translate(f"nav.{page}", lang)
        if gaps:
            what = _join([translate(f"readiness.name.{n.key}", lang) for n in gaps], lang)
            out.append((name, translate("readiness.page_lacks", lang, missing=what), False))
        else:
            out.append((name, translate("readiness.page_ready", lang), True))
    return out
