"""Who is writing: the signed-in e-mail address on a shared server, else "local".

Writes record it in their ``by_user`` column (migration 018). The queries layer cannot know
who is signed in (that is Streamlit's, above it), so the app registers a source once at start
(components/ui/auth.py); the CLI and the tests register none and write "local".
"""

from __future__ import annotations

from collections.abc import Callable

LOCAL = "local"

_source: Callable[[], str | None] | None = None


def use(source: Callable[[], str | None] | None) -> None:
    """Set (or with None, remove) the function that names the current user."""
    global _source
    _source = source


def current() -> str:
    """The current user's address, or "local" when nobody is signed in here."""
    name = _source() if _source is not None else None
    return name or LOCAL
