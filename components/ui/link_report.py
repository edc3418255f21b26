"""The link report shown after every import (wizard and command line): sentences computed from
the counts of ``queries.links.link_state``, in the reader's language. Pure: no Streamlit."""

from __future__ import annotations

from collections.abc import Mapping

from components.i18n import translate


def link_lines(state: Mapping[str, int], lang: str = "en") -> list[str]:
    """One sentence per fact worth saying; a count of zero says nothing (and no sentence)."""

    def say(key: str, **counts: int) -> str:
        return translate(key, lang, **{k: f"{v:,}" for k, v in counts.items()})

    lines: list[str] = []
    if state["deals"]:
        parts = [
            say(key, count=state[field])
            for key, field in (
                ("links.part_own", "own"),
                ("links.part_lead", "from_lead"),
                ("links.part_rule", "from_rule"),
            )
            if state[field]
        ]
        if parts:
            lines.append(
                translate(
                    "links.deals_motion",
                    lang,
                    with_motion=f"{state['with_motion']:,}",
                    deals=f"{state['deals']:,}",
                    parts=translate("links.part_sep", lang).join(parts),
                )
            )
        else:
            lines.append(say("links.deals_no_motion", deals=state["deals"]))
        for key, field in (
            ("links.deals_unmapped_source", "unmapped_source"),
            ("links.deals_lead_without_source", "lead_without_source"),
            ("links.deals_lead_missing", "lead_missing"),
            ("links.deals_orphan", "orphan"),
        ):
            if state[field]:
                lines.append(say(key, count=state[field]))
        if state["accounts"] and state["with_account"]:
            lines.append(
                say(
                    "links.deals_account",
                    linked=state["account_linked"],
                    with_account=state["with_account"],
                )
            )
        if state["reps"] and state["owners"]:
            lines.append(
                say(
                    "links.reps",
                    matched=state["owners_in_team"],
                    owners=state["owners"],
                    reps=state["reps"],
                )
            )
    elif state["leads"] or state["accounts"] or state["reps"]:
        lines.append(translate("links.none", lang))
    if state["leads_no_date"]:
        lines.append(say("links.leads_no_date", count=state["leads_no_date"], leads=state["leads"]))
    if state["touches"]:
        lines.append(say("links.touches", linked=state["touches_linked"], touches=state["touches"]))
    return lines
