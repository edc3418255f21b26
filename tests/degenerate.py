"""Workspaces a real team can have: the sample company with one input taken away (or a few),
for the "degenerate workspace" suite of issue 16. Each variant is a copy of the sample with
the rows removed in one transaction and the linked facts refreshed, as an import or undo
would leave them.

    build_variant(sample_path, folder, "no_spend") -> Path
"""

from __future__ import annotations

import shutil
from pathlib import Path

from queries.workspace import Workspace, refresh_lead_facts

# name -> the statements that take the input away
VARIANTS: dict[str, tuple[str, ...]] = {
    "no_spend": ("delete from spend",),
    "no_reps": ("delete from sales_reps",),
    "no_touches": ("delete from touches",),
    "no_leads": ("delete from raw_leads",),
    "no_lost_deals": ("delete from raw_deals where outcome = 'lost'",),
    "no_open_amounts": ("update raw_deals set amount = null where outcome = 'open'",),
    "no_first_touch": ("update raw_leads set first_touch_at = null",),
    "no_campaigns": ("delete from touches", "delete from campaigns"),
    "no_spend_no_reps": ("delete from spend", "delete from sales_reps"),
    "deals_only": (
        "delete from spend",
        "delete from sales_reps",
        "delete from touches",
        "delete from raw_leads",
    ),
}


def build_variant(sample: Path, folder: Path, name: str) -> Path:
    """A copy of ``sample`` at ``folder/<name>.duckdb`` without the variant's input."""
    path = folder / f"{name}.duckdb"
    shutil.copy(sample, path)
    ws = Workspace(path)
    try:
        with ws.transaction() as cur:
            for sql in VARIANTS[name]:
                cur.execute(sql)
            refresh_lead_facts(cur)
    finally:
        ws.close()
    return path
