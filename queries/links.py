"""How a workspace's records link up: deals to leads and accounts, owners to the sales team,
touches to leads; and the rule that gives a motion to deals with no source anywhere.

A deal takes its lead's source (and so its motion) when it has none of its own, and an account's
segment and region (migration 014, refreshed with the lead facts). What cannot be linked is
counted here and named after every import, never silently left out of the pull/push split.
"""

from __future__ import annotations

from queries import settings as settings_q
from queries.ingest.presets import guess_motion
from queries.workspace import Changed, Workspace, kept_is_fresh, refresh_lead_facts

# How deals with no source of their own and no lead source get one (the workspace setting
# deal_source_rule): 'none' leaves them unmapped (the default), 'deal_type' makes each deal
# type a source ("Type: Renewal"), 'rep_role' each owner's role in the sales team ("Rep role:
# SDR"); the Lead sources mapping then says which of those is pull and which push.
DEAL_SOURCE_RULES = ("none", "deal_type", "rep_role")


def link_state(ws: Workspace) -> dict[str, int]:
    """The counts of the link report (queries/sql/links.sql, link_state)."""
    row = ws.query("link_state", live=not kept_is_fresh(ws)).iloc[0]
    state = {k: int(v) for k, v in row.items()}
    # The two costly lookups run only when there is something to look up.
    state["account_linked"] = (
        int(ws.query("deal_account_links").iloc[0]["account_linked"]) if state["accounts"] else 0
    )
    state["touches_linked"] = (
        int(ws.query("touch_links").iloc[0]["touches_linked"]) if state["touches"] else 0
    )
    return state


def motion_coverage(ws: Workspace) -> tuple[int, int]:
    """(deals, deals with a pull or push motion)."""
    row = ws.query("motion_coverage").iloc[0]
    return int(row["deals"]), int(row["with_motion"])


def deal_source_rule(ws: Workspace) -> str:
    rule = ws.settings().get("deal_source_rule", "none")
    return rule if rule in DEAL_SOURCE_RULES else "none"


def set_deal_source_rule(ws: Workspace, rule: str) -> int:
    """Save the rule and re-derive every deal's inherited source, in one transaction. The
    sources the rule makes get the motion their words say where they say one ("Rep role: SDR"
    is push; "Type: Renewal" is for the team to map). Returns the deals the rule gives a
    source."""
    if rule not in DEAL_SOURCE_RULES:
        raise ValueError(f"deal source rule must be one of {DEAL_SOURCE_RULES}")
    with ws.transaction() as cur:
        settings_q.write(cur, "deal_source_rule", rule)
        refresh_lead_facts(cur, Changed.NOTED)  # the sources it changes, the refresh notes
        made = cur.execute(
            "select distinct source from raw_deals where source_origin = 'rule' "
            "and source not in (select source from source_motion)"
        ).fetchall()
        for (source,) in made:
            motion = guess_motion(source)
            if motion:
                cur.execute("insert into source_motion values ($s, $m)", {"s": source, "m": motion})
        return int(
            cur.execute("select count(*) from raw_deals where source_origin = 'rule'").fetchone()[0]
        )
