"""What the app shell no longer redoes on every rerun, and when it does: the secrets' sections
(once per secrets object and version of the files), the workspace folder's listing (while the
folder is unchanged), the open workspace's real path (once per path)."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
from blinker import Signal

from components.ui import auth, state
from queries import workspaces


class _Secrets:
    """A stand-in for ``st.secrets`` that counts its reads."""

    def __init__(self, tables: dict) -> None:
        self.tables, self.reads = tables, 0
        self.file_change_listener = Signal()

    def get(self, name: str):
        self.reads += 1
        return self.tables.get(name)


def test_the_secrets_are_read_again_only_when_they_change(tmp_path, monkeypatch):
    toml = tmp_path / "secrets.toml"
    toml.write_text("")
    monkeypatch.setattr(auth, "_secrets_files", lambda: (str(toml), str(tmp_path / "none")))
    fake = _Secrets({"access": {"admins": ["ana@acme.com"]}})
    monkeypatch.setattr(st, "secrets", fake)
    auth._forget_tables()

    assert [auth._secrets_table("access") for _ in range(3)][-1] == {"admins": ["ana@acme.com"]}
    assert auth._secrets_table("auth") is None and not auth.configured()
    assert fake.reads == 2  # each section once

    fake.tables["auth"] = {"client_id": "x"}  # the file edited: its time changes
    os.utime(toml, ns=(toml.stat().st_atime_ns, toml.stat().st_mtime_ns + 10**9))
    assert auth.configured() and fake.reads == 3

    fake.tables["auth"] = {}  # Streamlit reloaded the file (its watcher's signal)
    fake.file_change_listener.send()
    assert not auth.configured() and fake.reads == 4

    other = _Secrets({"auth": {"client_id": "y"}})  # another secrets object (an AppTest's)
    monkeypatch.setattr(st, "secrets", other)
    assert auth.configured() and other.reads == 1
    auth._forget_tables()


def test_the_role_is_still_decided_on_every_call(tmp_path, monkeypatch):
    """Only the file's contents are kept: who is signed in is asked each time."""
    monkeypatch.setattr(auth, "_secrets_files", lambda: (str(tmp_path / "none"),))
    monkeypatch.setattr(
        st,
        "secrets",
        _Secrets({"auth": {"client_id": "x"}, "access": {"editors": ["bob@acme.com"]}}),
    )
    auth._forget_tables()
    who = {"email": "bob@acme.com"}
    monkeypatch.setattr(auth, "signed_in_email", lambda: who["email"])
    assert auth.role() == "editor" and auth.allowed("import")
    who["email"] = "eve@elsewhere.com"
    assert auth.role() is None and not auth.allowed("read")
    auth._forget_tables()


def test_the_workspace_list_follows_the_folder(tmp_path, monkeypatch):
    (tmp_path / "b.duckdb").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("")
    globbed = []
    real_glob = Path.glob
    monkeypatch.setattr(Path, "glob", lambda self, p: globbed.append(p) or real_glob(self, p))

    assert workspaces.list_workspaces(tmp_path) == [tmp_path / "b.duckdb"]
    assert workspaces.list_workspaces(tmp_path) == [tmp_path / "b.duckdb"]
    assert len(globbed) == 1  # the unchanged folder is not listed again

    (tmp_path / "a.duckdb").write_bytes(b"")  # a new workspace (the wizard's)
    assert workspaces.list_workspaces(tmp_path) == [tmp_path / "a.duckdb", tmp_path / "b.duckdb"]
    (tmp_path / "b.duckdb").unlink()
    assert workspaces.list_workspaces(tmp_path) == [tmp_path / "a.duckdb"]
    assert len(globbed) == 3

    monkeypatch.setattr(workspaces, "LIST_TTL_S", 0.0)  # past the time limit: listed again
    workspaces.list_workspaces(tmp_path)
    assert len(globbed) == 4
    listed = workspaces.list_workspaces(tmp_path)
    listed.append(tmp_path / "x.duckdb")  # a caller's list is its own
    assert workspaces.list_workspaces(tmp_path) == [tmp_path / "a.duckdb"]
    assert workspaces.list_workspaces(tmp_path / "missing") == []


def test_the_default_workspace_path_is_resolved_once(tmp_path, monkeypatch):
    target = tmp_path / "real.duckdb"
    link = tmp_path / "link.duckdb"
    link.symlink_to(target)
    monkeypatch.setenv("FLYWHEEL_DB", str(link))
    state.resolved.cache_clear()
    assert state.open_path() == target.resolve() and state.workspace_folder() == tmp_path.resolve()
    state.open_path()
    assert state.resolved.cache_info().hits >= 2 and state.resolved.cache_info().misses == 1


def test_a_formatted_figure_is_kept_and_the_same(monkeypatch):
    """Babel formats a figure once per formatter; the kept text is the text it would give."""
    import numpy as np

    from components import fmt

    en, zh = fmt.Formatter("en_US", "USD"), fmt.Formatter("zh_CN", "CNY")
    values = [1234567.5, 1234567, np.float64(1234567.5), -0.0, 0.0, 0, 12.25, -9_999.6]
    first = {
        (f.locale, type(v), repr(v), k): m(v, **kw)
        for f in (en, zh)
        for v in values
        for k, (m, kw) in {
            "money": (f.money, {}),
            "compact": (f.money, {"compact": True}),
            "number1": (f.number, {"digits": 1}),
            "pct": (f.pct, {}),
        }.items()
    }
    for f in (en, zh):  # kept texts are Babel's own, option by option
        for v in values:
            assert f.money(v, compact=True) == fmt.Formatter.money.__wrapped__(f, v, compact=True)
            assert f.number(v, digits=1) == fmt.Formatter.number.__wrapped__(f, v, digits=1)
            assert f.pct(v) == fmt.Formatter.pct.__wrapped__(f, v)
    assert first[("en_US", float, "-0.0", "money")] == "-$0.00"  # not the kept "$0.00"
    assert first[("en_US", float, "0.0", "money")] == "$0.00"
    assert first[("en_US", int, "1234567", "number1")] == "1,234,567.0"
    assert first[("zh_CN", float, "1234567.5", "compact")] == "¥123万"

    calls = []
    real = fmt.format_decimal
    monkeypatch.setattr(fmt, "format_decimal", lambda *a, **k: calls.append(a) or real(*a, **k))
    assert en.number(1234567, digits=1) == "1,234,567.0" and calls == []  # kept
    assert en.number(7654321) == "7,654,321" and len(calls) == 1  # a new figure
    assert en.number(float("nan")) == fmt.DASH and en.number(None) == fmt.DASH
