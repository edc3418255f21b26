"""The access policy: roles from the allow-list, the closed list of actions, the actor column."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from components import access
from components.access import can, identity, policy_from, role_for

POLICY = policy_from(
    {
        "admins": ["Ana@Acme.com"],
        "editors": ["@acme.com"],
        "viewers": ["intern@acme.com", "@partner.org"],
    }
)


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("ana@acme.com", "admin"),  # listed by itself, case ignored on both sides
        ("ANA@ACME.COM ", "admin"),
        ("bob@acme.com", "editor"),  # by its domain
        ("intern@acme.com", "viewer"),  # the address itself wins over its (higher) domain
        ("eve@partner.org", "viewer"),
        ("eve@evil.com", None),  # in no list: refused
        ("bob@sub.acme.com", None),  # a subdomain is another domain
        ("acme.com", None),  # not an address
        (None, None),
    ],
)
def test_role_for(email, role):
    assert role_for(POLICY, email) == role


def test_the_highest_role_wins_among_entries_of_one_kind():
    policy = policy_from({"viewers": ["@acme.com"], "editors": ["@acme.com"]})
    assert role_for(policy, "x@acme.com") == "editor"


def test_roles_include_the_ones_below():
    assert [a for a in access.ACTIONS if can("viewer", a)] == ["read", "present", "export"]
    editor = [a for a in access.ACTIONS if can("editor", a)]
    assert editor == [
        "read",
        "present",
        "export",
        "import",
        "undo",
        "edit_plans",
        "edit_campaigns",
        "edit_scenarios",
    ]
    assert all(can("admin", a) for a in access.ACTIONS)
    assert not can("editor", "switch_workspace") and not can("editor", "branding")
    assert not any(can(None, a) for a in access.ACTIONS)  # refused or signed out: nothing


def test_unknown_actions_and_roles_are_errors_not_refusals():
    with pytest.raises(KeyError, match="unknown action"):
        can("admin", "delete_everything")
    with pytest.raises(KeyError, match="unknown role"):
        can("superuser", "read")


def test_a_typo_in_the_allow_list_is_named():
    with pytest.raises(ValueError, match="editor"):
        policy_from({"editor": ["@acme.com"]})  # "editors"
    with pytest.raises(ValueError, match="neither an e-mail"):
        policy_from({"editors": ["acme.com"]})  # no "@": neither an address nor a domain
    with pytest.raises(ValueError, match="list"):
        policy_from({"admins": 3})


def test_no_table_refuses_everyone():
    empty = policy_from(None)
    assert empty.is_empty and role_for(empty, "ana@acme.com") is None
    assert not POLICY.is_empty
    assert policy_from({"admins": "ana@acme.com"}).entries["admin"] == ("ana@acme.com",)


def test_identity_needs_an_address_the_provider_does_not_deny():
    assert identity({"email": "Ana@Acme.com", "email_verified": True}) == "ana@acme.com"
    assert identity({"email": "ana@acme.com"}) == "ana@acme.com"  # no claim: trusted
    assert identity({"email": "ana@acme.com", "email_verified": False}) is None
    assert identity({"sub": "123"}) is None


def test_the_policy_module_is_pure():
    tree = ast.parse(Path(access.__file__).read_text(encoding="utf-8"))
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
    }
    assert not imported & {"streamlit", "duckdb", "queries", "views"}, imported


# -- who did what (queries.actor, migration 018) -------------------------------------------------
@pytest.fixture
def signed_in():
    """A source naming whoever the test sets, removed afterwards (the app registers one)."""
    from queries import actor

    who: dict[str, str | None] = {"name": None}
    actor.use(lambda: who["name"])
    yield who
    actor.use(None)


def _rows(ws, sql: str) -> list[tuple]:
    cur = ws.cursor()
    try:
        return cur.execute(sql).fetchall()
    finally:
        cur.close()


def test_every_write_records_who_made_it(tmp_path: Path, signed_in):
    import pandas as pd

    from queries import campaigns, plans, scenarios, workspaces
    from queries.ingest import engine
    from queries.ingest.engine import Choices

    ws = workspaces.create_workspace(tmp_path / "team.duckdb")
    try:
        leads = tmp_path / "leads.csv"
        leads.write_text("Lead ID,Created,Source\nL1,2025-01-05,Web\n", encoding="utf-8")
        mapping = {"lead_id": "Lead ID", "created_at": "Created", "source": "Source"}
        signed_in["name"] = "bob@acme.com"
        with engine.open_import(ws, leads, choices=Choices("leads", "generic", mapping)) as plan:
            first = plan.commit("append").import_id
        more = tmp_path / "more.csv"
        more.write_text("Lead ID,Created,Source\nL2,2025-01-06,Web\n", encoding="utf-8")
        signed_in["name"] = None  # nobody signed in (CLI, one machine): "local"
        with engine.open_import(ws, more, choices=Choices("leads", "generic", mapping)) as plan:
            second = plan.commit("append").import_id
        assert dict(_rows(ws, "select import_id, by_user from imports")) == {
            first: "bob@acme.com",
            second: "local",
        }
        signed_in["name"] = "ana@acme.com"
        engine.undo(ws, second)
        assert _rows(
            ws, "select import_id, file_name, kind, rows_loaded, by_user from import_undos"
        ) == [(second, "more.csv", "leads", 1, "ana@acme.com")]

        row = {
            "campaign_id": "C9", "name": "Webinar", "channel": "Webinar",
            "objective": "consideration", "start_date": pd.Timestamp("2025-03-01").date(),
            "end_date": pd.Timestamp("2025-03-31").date(), "budget": 100.0,
            "status": "planned", "owner": "Ann", "segment": None,
        }  # fmt: skip
        signed_in["name"] = "bob@acme.com"
        campaigns.save_changes(ws, action="add", summary="C9", upserts=[row])
        signed_in["name"] = "ana@acme.com"
        campaigns.undo_last_change(ws)
        assert _rows(ws, "select by_user, undone_by from campaign_changes") == [
            ("bob@acme.com", "ana@acme.com")
        ]

        plans.save_target_decision(ws, ["SMB"], "Best win rate", "Team")
        assert _rows(ws, "select decided_by, by_user from target_decisions") == [
            ("Team", "ana@acme.com")  # the typed name stays; the signed-in address beside it
        ]
        scenarios.save_scenario(ws, "Plan A", {"budget": 1})
        assert _rows(ws, "select name, by_user from scenarios") == [("Plan A", "ana@acme.com")]
    finally:
        ws.close()


# -- the app's guard (components/ui/auth.py), outside a page run ---------------------------------
def test_require_reads_the_role_on_each_call(monkeypatch):
    from components.ui import auth

    tables: dict[str, dict] = {}
    monkeypatch.setattr(auth, "_secrets_table", lambda name: tables.get(name))
    who = {"email": None}
    monkeypatch.setattr(auth, "signed_in_email", lambda: who["email"])

    assert not auth.configured() and auth.role() == "admin"  # local mode: this machine only
    assert auth.require("clear") and auth.require("switch_workspace")

    tables["auth"] = {"client_id": "x"}
    tables["access"] = {"editors": ["@acme.com"], "viewers": ["vic@partner.org"]}
    assert auth.role() is None and not auth.require("read")  # signed out: nothing
    who["email"] = "vic@partner.org"
    assert auth.require("export") and not auth.require("import")
    who["email"] = "bob@acme.com"
    assert auth.require("import") and not auth.require("branding")
    tables["access"] = {"editors": ["acme.com"]}  # a broken list refuses, it does not open
    assert auth.role() is None and not auth.require("read")


def test_an_allow_list_without_sign_in_is_said_in_the_sidebar(tmp_path, monkeypatch):
    """[access] alone enforces nothing: local mode says so instead of looking protected."""
    from streamlit.testing.v1 import AppTest

    from tests.fixtures import build_tiny_workspace

    db = build_tiny_workspace(tmp_path / "tiny.duckdb")
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    app = str(Path(__file__).resolve().parent.parent / "app.py")
    at = AppTest.from_file(app, default_timeout=120)
    at.secrets["access"] = {"admins": ["ana@acme.com"]}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Local mode — this machine only" in c.value for c in at.sidebar.caption)
    assert any("[access] allow-list but no [auth]" in w.value for w in at.sidebar.warning)


def test_an_editor_cannot_change_the_workspace_settings_on_the_data_page(tmp_path, monkeypatch):
    """The Data page's settings are an admin's: an editor's save is refused on the server and
    the workspace keeps its settings and every deal (the checks toggle writes nothing)."""
    from streamlit.testing.v1 import AppTest

    from components.ui import auth
    from queries.workspace import Workspace
    from tests.fixtures import build_tiny_workspace

    db = build_tiny_workspace(tmp_path / "tiny.duckdb")
    before = dict(Workspace(db).settings())
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    monkeypatch.setattr(auth, "role", lambda: "editor")
    app = str(Path(__file__).resolve().parent.parent / "app.py")
    at = AppTest.from_file(app, default_timeout=120)
    at.run()
    at.switch_page("app_pages/data.py").run()
    at.text_input(key="data_company").set_value("Renamed Ltd")
    at.button(key="data_save_settings").click().run()
    assert any("needs the admin role" in e.value for e in at.error)
    at.toggle(key="data_zero_amount_missing_0").set_value(True).run()
    assert any("needs the admin role" in e.value for e in at.error)
    assert not at.exception, [e.value for e in at.exception]
    import streamlit as st

    st.cache_resource.clear()  # the app's connection: read the file afresh
    ws = Workspace(db)
    try:
        after = dict(ws.settings())
    finally:
        ws.close()
    assert after == before
