"""Who may do what on a shared server: roles, the allow-list that gives them, and the closed list
of actions each role may take. Pure (no Streamlit): the app's sign-in (components/ui/auth.py)
reads the identity and the config, this module decides.

The allow-list is the ``[access]`` table of the secrets file, one list per role; an entry is an
e-mail address (``ana@acme.com``) or a whole domain (``@acme.com``)::

    [access]
    admins = ["ana@acme.com"]
    editors = ["@acme.com"]
    viewers = ["auditor@partner.org"]

An address listed by itself wins over its domain (so ``viewers = ["intern@acme.com"]`` keeps one
person of an editor domain to reading); among entries of the same kind the highest role wins. An
address in no list is refused.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")  # lowest first: each has the ones below
LOCAL_ROLE = "admin"  # no sign-in configured: this machine only, its user may do everything

# The closed list of actions and the lowest role that may take each. A write site names one of
# these; an unknown name is a programming error, refused loudly rather than allowed.
ACTIONS: Mapping[str, str] = {
    "read": "viewer",
    "present": "viewer",
    "export": "viewer",
    "import": "editor",
    "undo": "editor",
    "edit_plans": "editor",
    "edit_campaigns": "editor",
    "edit_scenarios": "editor",
    "settings": "admin",
    "branding": "admin",
    "clear": "admin",
    "compact": "admin",
    "create_workspace": "admin",
    "switch_workspace": "admin",
}

# The keys of the [access] table, one per role.
LIST_KEYS: Mapping[str, str] = {"viewers": "viewer", "editors": "editor", "admins": "admin"}

_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^@[^@\s]+\.[^@\s]+$")


@dataclasses.dataclass(frozen=True)
class Policy:
    """The allow-list: for each role, the addresses and domains (with their "@") given it."""

    entries: Mapping[str, tuple[str, ...]]  # role -> normalised entries

    @property
    def is_empty(self) -> bool:
        return not any(self.entries.values())


def policy_from(table: Mapping[str, object] | None) -> Policy:
    """Read the ``[access]`` table. A missing table is an empty policy (everyone refused); an
    unknown key or an entry that is neither an address nor an ``@domain`` raises ValueError
    naming it, so a typo never silently lets someone in or out."""
    table = dict(table or {})
    unknown = sorted(set(table) - set(LIST_KEYS))
    if unknown:
        raise ValueError(
            f"[access] has unknown key(s) {', '.join(unknown)}; expected {', '.join(LIST_KEYS)}."
        )
    entries: dict[str, tuple[str, ...]] = {}
    for key, role in LIST_KEYS.items():
        raw = table.get(key, [])
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list | tuple):
            raise ValueError(f"[access] {key} must be a list of addresses or @domains.")
        clean = []
        for item in raw:
            entry = str(item).strip().lower()
            if not (_ADDRESS.match(entry) or _DOMAIN.match(entry)):
                raise ValueError(
                    f"[access] {key}: {item!r} is neither an e-mail address nor an @domain."
                )
            clean.append(entry)
        entries[role] = tuple(clean)
    return Policy(entries)


def normalise(email: object) -> str | None:
    """The address in lower case, or None when it is not an address."""
    if not isinstance(email, str):
        return None
    email = email.strip().lower()
    return email if _ADDRESS.match(email) else None


def identity(claims: Mapping[str, object]) -> str | None:
    """The signed-in address from the provider's claims: ``email``, unless the provider says it
    is not verified (a provider that says nothing is trusted: the mock and some IdPs omit it)."""
    if claims.get("email_verified") is False:
        return None
    return normalise(claims.get("email"))


def role_for(policy: Policy, email: str | None) -> str | None:
    """The role the allow-list gives ``email``, or None (refused)."""
    email = normalise(email)
    if email is None:
        return None
    domain = "@" + email.rsplit("@", 1)[1]
    for wanted in (email, domain):  # the address itself first, then its domain
        found = [role for role in ROLES if wanted in policy.entries.get(role, ())]
        if found:
            return found[-1]  # ROLES is lowest first
    return None


def can(role: str | None, action: str) -> bool:
    """Whether ``role`` may take ``action``. No role (refused, signed out) may do nothing."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    if role is None:
        return False
    if role not in ROLES:
        raise KeyError(f"unknown role {role!r}; known: {', '.join(ROLES)}")
    return ROLES.index(role) >= ROLES.index(ACTIONS[action])


def lowest_role(action: str) -> str:
    """The lowest role that may take ``action`` (for the refusal sentence)."""
    return ACTIONS[action]
