"""Build the sample workspace: generate the sample company and load it in one transaction."""

from __future__ import annotations

from pathlib import Path

from queries import settings as settings_q
from queries.lake import LakeTarget, drop_everything
from queries.workspace import Workspace, refresh_lead_facts, target
from queries.workspaces import DEFAULT_SETTINGS

# Tables filled by the generator, in load order.
SAMPLE_TABLES = (
    "source_motion",
    "campaigns",
    "raw_leads",
    "raw_deals",
    "spend",
    "sales_reps",
    "market_segments",
    "competitors",
    "touches",
)


def build_sample_workspace(
    path: str | Path | LakeTarget,
    *,
    scale: float = 1.0,
    deals_scale: float | None = None,
    seed: int | None = None,
    locale: str = "en",
) -> Path | LakeTarget:
    """Create (or overwrite) a workspace file or DuckLake workspace holding the sample company;
    ``locale`` "zh" is the same company in Chinese (names, regions, channels, CNY;
    sample_data/localise.py)."""
    from sample_data.generator import generate  # heavy import only when seeding
    from sample_data.localise import localise
    from sample_data.localise import settings as locale_settings
    from sample_data.params import COMPANY

    extra = locale_settings(locale)  # refuses an unknown locale before touching the file

    path = target(path)
    if isinstance(path, LakeTarget):
        drop_everything(path)  # a DuckLake workspace: its tables, views and macros
    else:
        for stale in (path, path.with_name(path.name + ".wal")):
            stale.unlink(missing_ok=True)
    kwargs = {} if seed is None else {"seed": seed}
    frames = localise(generate(scale, deals_scale=deals_scale, **kwargs), locale)
    ws = Workspace(path)
    try:
        with ws.transaction() as cur:
            for table in SAMPLE_TABLES:
                frame = frames[table]
                cur.register("frame_to_load", frame)
                cur.execute(f"insert into {table} by name select * from frame_to_load")
                cur.unregister("frame_to_load")
            refresh_lead_facts(cur)
            settings = {
                **DEFAULT_SETTINGS,
                "is_sample": "true",
                "company_name": COMPANY,
                "sample_scale": str(scale),
                **extra,
            }
            for key, value in settings.items():  # the sample begins with these: not logged
                settings_q.write(cur, key, value, record_change=False)
        # the sample company's starting plan: targets, a first 4P version, positioning, budget
        if locale == "zh":
            from sample_data.plans_zh import seed_plans

            seed_plans(ws)
        else:
            from queries.plans import seed_sample_plans

            seed_sample_plans(ws)
    finally:
        ws.close()
    return path
