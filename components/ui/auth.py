"""Sign-in and roles in the app: Streamlit's own ``st.login`` (OpenID Connect) when the secrets
file has an ``[auth]`` section, the allow-list of ``[access]`` (components/access.py), and the
guard every write site calls on the server before it writes.

Without ``[auth]`` Flywheel runs in local mode: one machine, its user is admin, the sidebar says
so. With it nothing of the app is drawn before sign-in, and an address in no list is refused.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import threading
from collections.abc import Mapping

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import access
from components.i18n import t
from components.ui.page import escape_md
from queries import actor

log = logging.getLogger("flywheel.auth")

AUTH_SECTION = "auth"
ACCESS_SECTION = "access"


def _read_table(name: str) -> Mapping[str, object] | None:
    try:
        table = st.secrets.get(name)
    except StreamlitSecretNotFoundError:  # no secrets file at all: local mode
        return None
    return table if isinstance(table, Mapping) else None


# The secrets' sections, read once per secrets object and version of its files: a rerun asks
# several times (gate, allowed, require...), and without a secrets file Streamlit looks for
# one and raises each time. Only the file's contents are kept, never a role: ``role()`` still
# decides on every call from the signed-in identity.
_TABLES: dict[str, object] = {}
_TABLES_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _secrets_files() -> tuple[str, ...]:
    # where Streamlit looks for secrets, fixed at start (reading an option costs ~0.2 ms)
    return tuple(st.get_option("secrets.files") or ())


def _files_version() -> tuple:
    """The secrets files' paths and modification times (None: no such file)."""
    version = []
    for path in _secrets_files():
        try:
            version.append((path, os.stat(path).st_mtime_ns))
        except OSError:
            version.append((path, None))
    return tuple(version)


def _forget_tables(*_args: object, **_kwargs: object) -> None:
    with _TABLES_LOCK:
        _TABLES.clear()


def _secrets_table(name: str) -> Mapping[str, object] | None:
    secrets, version = st.secrets, _files_version()
    with _TABLES_LOCK:
        if _TABLES.get("secrets") is not secrets or _TABLES.get("version") != version:
            if _TABLES.get("secrets") is not secrets:
                # Streamlit reloads a changed secrets file on its own watch: drop ours then too
                listener = getattr(secrets, "file_change_listener", None)
                if listener is not None:
                    listener.connect(_forget_tables, weak=False)
            _TABLES.clear()
            _TABLES.update(secrets=secrets, version=version, tables={})
        tables = _TABLES["tables"]
        if name not in tables:
            tables[name] = _read_table(name)
        return tables[name]


def configured() -> bool:
    """Whether sign-in is on: the secrets file has an ``[auth]`` section."""
    return bool(_secrets_table(AUTH_SECTION))


def policy() -> access.Policy:
    """The allow-list; raises ValueError naming a bad entry."""
    return access.policy_from(_secrets_table(ACCESS_SECTION))


def signed_in_email() -> str | None:
    """The signed-in address, or None (local mode, signed out, or no verified address)."""
    if get_script_run_ctx() is None or not configured():
        return None
    if not st.user.is_logged_in:
        return None
    return access.identity(st.user.to_dict())


def role() -> str | None:
    """This session's role, read again on every call (from the identity cookie and the secrets
    file), never from anything the browser sends; None when refused."""
    if not configured():
        return access.LOCAL_ROLE
    try:
        return access.role_for(policy(), signed_in_email())
    except ValueError:
        return None


def who() -> str:
    """The name writes record: the signed-in address, or "local"."""
    return actor.current()


# Writes in the queries layer ask this who is signing them (queries/actor.py).
actor.use(signed_in_email)


def by_user_label(value: object) -> str:
    """Who made a change, for the logs: the address, "local" (no sign-in), or "—" with its
    reason (rows written before migration 018, when sign-in was added)."""
    if not isinstance(value, str) or not value:
        return t("auth.by_user_unknown")
    return t("auth.by_user_local") if value == actor.LOCAL else value


def allowed(action: str) -> bool:
    """Whether this session may take ``action`` (to disable a button; the write still calls
    ``require``)."""
    return access.can(role(), action)


def require(action: str) -> bool:
    """Call at a write site, on the server, before the write: True when this session's role
    may take ``action``; else a sentence says who may, and False."""
    current = role()
    if access.can(current, action):
        return True
    log.warning("refused %s to %s (%s)", action, signed_in_email() or "nobody", current)
    st.error(
        t(
            "auth.refused",
            action=t(f"auth.action.{action}"),
            role=t(f"auth.role.{current}") if current else t("auth.role.none"),
            needed=t(f"auth.role.{access.lowest_role(action)}"),
        ),
        icon=":material/lock:",
    )
    return False


def _is_loopback(address: str) -> bool:
    if address in ("", "localhost"):
        return address == "localhost"
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _sign_out_button(where: object, key: str) -> None:
    where.button(t("auth.sign_out"), key=key, icon=":material/logout:", on_click=st.logout)


def gate() -> None:
    """Run first in app.py: in local mode say so in the sidebar; with sign-in, show the sign-in
    screen or the refusal and stop the run until someone allowed is signed in."""
    if not configured():
        st.sidebar.caption(t("auth.local_mode"), help=t("auth.local_mode_help"))
        if _secrets_table(ACCESS_SECTION):  # an allow-list that nothing enforces
            st.sidebar.warning(t("auth.access_without_auth"))
        address = str(st.get_option("server.address") or "")
        if not _is_loopback(address):  # reachable from other machines without sign-in
            st.sidebar.warning(
                t("auth.local_mode_exposed", address=address or "0.0.0.0", loopback="127.0.0.1")
            )
        return
    try:
        current_policy = policy()
    except ValueError as exc:
        st.error(t("auth.bad_access", error=escape_md(str(exc))))
        st.stop()
    if not st.user.is_logged_in:
        st.title("Flywheel")
        st.write(t("auth.sign_in_intro"))
        st.button(t("auth.sign_in"), type="primary", icon=":material/login:", on_click=st.login)
        st.stop()
    email = signed_in_email()
    current = access.role_for(current_policy, email)
    if current is None:
        if email is None:
            st.error(t("auth.no_address"))
        elif current_policy.is_empty:
            st.error(t("auth.empty_list", email=escape_md(email)))
        else:
            st.error(t("auth.not_listed", email=escape_md(email)))
        _sign_out_button(st, "auth_sign_out_refused")
        st.stop()
    st.sidebar.text(t("auth.signed_in", email=email, role=t(f"auth.role.{current}")))
    _sign_out_button(st.sidebar, "auth_sign_out")
