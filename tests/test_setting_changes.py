"""Issue 17, item 2: every setting change records who made it (migration 020, queries/settings.py)
and the Data page lists them: who, when, which setting, before → after.

Each writer of settings is run once as bob@acme.com and must leave exactly the rows it changed;
writing the same value again must leave none. The view is checked on rows written by hand.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from queries import actor, branding, data_admin, funnel, links, retention, workspaces
from queries import data_checks as checks_q
from queries import settings as settings_q
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from views import data as data_views
from views.spec import context

BOB = "bob@acme.com"


@pytest.fixture
def signed_in() -> Iterator[dict[str, str | None]]:
    """Bob is signed in (the app registers the source; queries.actor reads it)."""
    who: dict[str, str | None] = {"name": BOB}
    actor.use(lambda: who["name"])
    yield who
    actor.use(None)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    w = workspaces.create_workspace(tmp_path / "team.duckdb", company_name="Acme")
    yield w
    w.close()


def _log(ws: Workspace) -> list[tuple]:
    cur = ws.cursor()
    try:
        return cur.execute(
            "select key, old_value, new_value, by_user from setting_changes order by change_id"
        ).fetchall()
    finally:
        cur.close()


def _count(ws: Workspace) -> int:
    return int(ws.scalar("select count(*) from setting_changes"))


# -- the log: one row per change, none for the same value, none for a new workspace -------------
def test_a_new_workspace_starts_with_its_settings_and_an_empty_log(ws):
    assert ws.settings()["company_name"] == "Acme"
    assert _count(ws) == 0  # its starting settings are not somebody's change


def test_set_setting_logs_the_change_once_and_the_same_value_not_at_all(ws, signed_in):
    ws.set_setting("currency", "EUR")
    ws.set_setting("currency", "EUR")
    assert _log(ws) == [("currency", "USD", "EUR", BOB)]
    signed_in["name"] = None  # nobody signed in: "local"
    ws.set_setting("funnel_sla_hours", "48")  # not set before: old is null
    assert _log(ws)[1:] == [("funnel_sla_hours", None, "48", "local")]
    assert ws.scalar("select list(change_id order by change_id) from setting_changes") == [1, 2]


def test_write_says_whether_the_value_changed_and_can_leave_no_row(ws, signed_in):
    with ws.transaction() as cur:
        assert settings_q.write(cur, "locale", "de_DE", record_change=False) is True
        assert settings_q.write(cur, "locale", "de_DE") is False
        assert settings_q.write(cur, "locale", None) is True  # removed
    assert "locale" not in ws.settings()
    assert _log(ws) == [("locale", "de_DE", None, BOB)]


def test_the_settings_form_logs_only_the_fields_that_changed(ws, signed_in):
    form = {
        "company_name": "Acme Ltd",
        "currency": "USD",
        "locale": "en_US",
        "fiscal_year_start_month": 4,
        "pull_share_pct": 25,
    }
    assert data_admin.save_settings(ws, form) == []
    assert _log(ws) == [
        ("company_name", "Acme", "Acme Ltd", BOB),
        ("fiscal_year_start_month", "1", "4", BOB),
        ("pull_share_of_sales", "0", "0.25", BOB),
    ]
    assert data_admin.save_settings(ws, form) == []  # saved again unchanged: nothing
    assert _count(ws) == 3
    assert data_admin.save_settings(ws, {**form, "currency": "nope"})  # refused: nothing
    assert _count(ws) == 3


def test_the_funnel_forms_log_who_saved_them(ws, signed_in):
    assert (
        funnel.save_handoff(ws, {"mql_rule": "score", "mql_threshold": "40", "sla_hours": 24}) == []
    )
    assert _log(ws) == [
        ("funnel_mql_rule", None, "score", BOB),
        ("funnel_mql_score_threshold", None, "40", BOB),
        ("funnel_sla_hours", None, "24", BOB),
    ]
    assert (
        funnel.save_handoff(ws, {"mql_rule": "score", "mql_threshold": "40", "sla_hours": 24}) == []
    )
    assert _count(ws) == 3
    values = {"gross_margin_pct": 70, "annual_churn_pct": 10, "pull_share_pct": 0}
    assert funnel.save_unit_assumptions(ws, values) == []
    # pull share was already 0 (a new workspace's default): only the two new ones
    assert _log(ws)[3:] == [
        ("unit_gross_margin", None, "0.7", BOB),
        ("unit_annual_churn", None, "0.1", BOB),
    ]


def test_the_deal_checks_the_source_rule_and_retention_log_who(ws, signed_in):
    checks_q.set_zero_amount_missing(ws, True)
    checks_q.set_zero_amount_missing(ws, True)
    links.set_deal_source_rule(ws, "deal_type")
    assert retention.save(ws, {"imports": "5", "days": ""}) == []
    checks_q.set_exclude_outliers(ws, True)
    checks_q.set_exclude_outliers(ws, True)
    assert _log(ws) == [
        ("zero_amount_is_missing", None, "1", BOB),
        ("deal_source_rule", None, "deal_type", BOB),
        ("undo_keep_imports", None, "5", BOB),
        ("undo_keep_days", None, "", BOB),  # "" (no limit) is a value, not "not set"
        ("exclude_outlier_deals", None, "1", BOB),
    ]


def test_branding_logs_colours_and_the_logo_by_name_and_digest_never_its_bytes(ws, signed_in):
    branding.save_colours(ws, {"brand_primary": "#112233"})
    branding.save_colours(ws, {"brand_primary": "#112233"})
    png = b"\x89PNG" + bytes(5000)  # the log never sees these bytes
    branding.save_logo(ws, branding.Logo(png, 120, 40, "acme.png"))
    branding.save_logo(ws, branding.Logo(png, 120, 40, "acme.png"))  # the same logo: nothing
    branding.remove_logo(ws)
    branding.reset_colours(ws)
    logo = f"acme.png (120×40 px, sha256:{hashlib.sha256(png).hexdigest()[:12]})"
    assert _log(ws) == [
        ("brand_primary", None, "#112233", BOB),
        ("brand_logo", None, logo, BOB),
        ("brand_logo", logo, None, BOB),
        ("brand_primary", "#112233", None, BOB),  # reset: removed, the default applies
    ]
    assert max(len(v or "") for row in _log(ws) for v in row[1:3]) < 60


def test_a_long_value_is_logged_by_its_length_and_digest(ws, signed_in):
    ws.set_setting("company_name", "x" * 300)
    (_key, _old, new, _by) = _log(ws)[0]
    assert new.startswith("sha256:") and new.endswith(" (300 characters)")
    assert ws.settings()["company_name"] == "x" * 300  # the setting itself is whole


def test_clearing_the_sample_logs_nothing_its_markers_are_not_team_settings(ws, signed_in):
    ws.set_setting("is_sample", "true")  # as a sample workspace (logged: it is a write)
    before = _count(ws)
    workspaces.clear_sample(ws)
    assert ws.settings()["is_sample"] == "false" and _count(ws) == before


def test_left_out_deals_record_who_turned_the_setting_on(ws, signed_in):
    # five won deals of 1,000 and one of 100,000: median 1,000, so D6 is 100× it, an outlier
    with ws.transaction() as cur:
        for i, amount in enumerate([1000, 1000, 1000, 1000, 1000, 100000], start=1):
            cur.execute(
                "insert into raw_deals (deal_id, created_at, closed_at, stage, outcome, amount) "
                "values ($id, '2025-01-02', '2025-01-20', 'Won', 'won', $amount)",
                {"id": f"D{i}", "amount": amount},
            )
        refresh_lead_facts(cur)
    checks_q.set_exclude_outliers(ws, True)
    rows = checks_q.excluded_deals(ws)
    assert rows[["deal_id", "excluded_by"]].values.tolist() == [["D6", BOB]]
    # a later import by someone else: the deal it brings is left out by the rule Bob set
    signed_in["name"] = "ana@acme.com"
    with ws.transaction() as cur:
        cur.execute(
            "insert into raw_deals (deal_id, created_at, closed_at, stage, outcome, amount) "
            "values ('D7', '2025-01-02', '2025-01-21', 'Won', 'won', 90000)"
        )
        refresh_lead_facts(cur)
    assert sorted(checks_q.excluded_deals(ws)[["deal_id", "excluded_by"]].values.tolist()) == [
        ["D6", BOB],
        ["D7", BOB],
    ]


# -- the view ------------------------------------------------------------------------------------
def _write_log(ws: Workspace, rows: list[tuple]) -> None:
    with ws.transaction() as cur:
        cur.executemany("insert into setting_changes values (?, ?, ?, ?, ?, ?)", rows)


LOG = [
    (1, "pull_share_of_sales", "0", "0.25", "2026-03-02 09:05:00", None),
    (2, "exclude_outlier_deals", None, "1", "2026-03-03 10:30:00", "local"),
    (3, "fiscal_year_start_month", "1", "4", "2026-03-04 11:00:00", BOB),
    (4, "deal_source_rule", "none", "rep_role", "2026-03-05 12:15:00", BOB),
    (5, "undo_keep_days", "90", "", "2026-03-06 08:00:00", BOB),
    (6, "some_new_key", "a", None, "2026-03-07 17:45:00", BOB),
]


def test_the_view_lists_the_newest_changes_in_words(ws):
    _write_log(ws, LOG)
    log = data_views.setting_changes(context(ws, Filters(date(2026, 1, 1), date(2026, 12, 31))))
    assert log.count_all == 6 and log.count_shown == 6
    assert log.rows.values.tolist() == [
        ["Mar 7, 2026 17:45", BOB, "some_new_key", "a", "not set"],
        ["Mar 6, 2026 08:00", BOB, "Undo kept for days", "90", "no limit"],
        [
            "Mar 5, 2026 12:15",
            BOB,
            "Source of deals with no source",
            "Leave them unmapped (counted and named, never in pull or push)",
            'By the owner\'s role in the sales team: "Rep role: SDR" (SDR/BDR-sourced deals are '
            "push)",
        ],
        ["Mar 4, 2026 11:00", BOB, "Fiscal year starts in", "January", "April"],
        ["Mar 3, 2026 10:30", "local", "Leave outlier deals out of every figure", "not set", "on"],
        ["Mar 2, 2026 09:05", None, "Share of sales spend charged to pull CAC", "0.0%", "25.0%"],
    ]


def test_the_view_shows_the_newest_and_counts_all(ws):
    _write_log(ws, LOG)
    log = data_views.setting_changes(
        context(ws, Filters(date(2026, 1, 1), date(2026, 12, 31)), "zh"), limit=2
    )
    assert log.count_all == 6 and log.count_shown == 2
    assert log.rows["setting"].tolist() == ["some_new_key", "保留撤销的天数"]
    assert log.rows["new"].tolist() == ["未设置", "不限"]


def test_an_empty_log_is_an_empty_view(ws):
    ctx = context(ws, Filters(date(2026, 1, 1), date(2026, 12, 31)))
    log = data_views.setting_changes(ctx)
    assert log.count_all == 0 and log.rows.empty
    assert data_views.undone_imports(ctx).count_all == 0


def test_an_undone_import_is_listed_with_who_undid_it(ws, signed_in, tmp_path):
    from queries.ingest import engine
    from queries.ingest.engine import Choices

    leads = tmp_path / "leads.csv"
    leads.write_text("Lead ID,Created\nL1,2025-01-05\nL2,2025-01-06\n", encoding="utf-8")
    choices = Choices("leads", "generic", {"lead_id": "Lead ID", "created_at": "Created"})
    with engine.open_import(ws, leads, choices=choices) as plan:
        import_id = plan.commit("append").import_id
    signed_in["name"] = "ana@acme.com"
    engine.undo(ws, import_id)
    log = data_views.undone_imports(context(ws, Filters(date(2026, 1, 1), date(2026, 12, 31))))
    assert log.count_all == 1
    assert log.rows[["by_user", "file", "kind", "rows"]].values.tolist() == [
        ["ana@acme.com", "leads.csv", "Leads", "2"]
    ]


# -- the Data page's section, in both languages --------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "caption", "who_unknown"),
    [
        (
            "en",
            "All 6 changes to the workspace's settings",
            "— (recorded before sign-in was added)",
        ),
        ("zh", "工作区设置的全部 6 次变更", "—（在加入登录功能之前记录）"),
    ],
)
def test_the_data_page_section_lists_the_changes(
    tmp_path, monkeypatch, fresh_streamlit_caches, lang, caption, who_unknown
):
    from streamlit.testing.v1 import AppTest

    w = workspaces.create_workspace(tmp_path / "w.duckdb")
    _write_log(w, LOG)
    with w.transaction() as cur:  # an import undone before sign-in was added: no user
        cur.execute(
            "insert into import_undos values ('I1', 'deals.csv', 'deals', 1200, "
            "'2026-03-08 09:00:00', null)"
        )
    w.close()
    monkeypatch.setenv("FLYWHEEL_DB", str(tmp_path / "w.duckdb"))

    def section() -> None:
        from components.ui import data_sections

        data_sections.setting_changes()

    at = AppTest.from_function(section, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(caption in c.value for c in at.caption)
    table, undos = at.dataframe
    who = table.value["by_user"].tolist()
    assert who[-1] == who_unknown  # the row with no user: "—" and why, never "None"
    assert who[-2] == ("local" if lang == "en" else "本机")
    assert who[0] == BOB
    assert "None" not in table.value.astype(str).values
    assert undos.value.values.tolist() == [
        [
            "Mar 8, 2026 09:00" if lang == "en" else "2026年3月8日 09:00",
            who_unknown,
            "deals.csv",
            "Deals" if lang == "en" else "商机",
            "1,200",
        ]
    ]


def test_only_queries_settings_writes_the_settings_table():
    # a writer that bypassed queries/settings.write would change a setting and log nothing
    root = Path(__file__).resolve().parent.parent
    writes = re.compile(r"(into|update|delete\s+from)\s+settings\b|\"(set|remove)_setting\"", re.I)
    code = [*root.glob("*.py")] + [
        path
        for folder in ("queries", "sample_data", "components", "views", "app_pages")
        for path in (root / folder).rglob("*.py")
    ]
    found = [
        str(path.relative_to(root))
        for path in code
        if writes.search(path.read_text(encoding="utf-8"))
    ]
    assert found == ["queries/settings.py"]
