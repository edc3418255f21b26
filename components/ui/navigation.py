"""Every page of the app, in navigation order: (script path, title key, icon).

Kept apart from app.py so tests can walk the same list the navigation shows.
"""

from __future__ import annotations

PAGES: tuple[tuple[str, str, str], ...] = (
    ("app_pages/overview.py", "nav.overview", ":material/dashboard:"),
    ("app_pages/market.py", "nav.market", ":material/public:"),
    ("app_pages/strategy_4p.py", "nav.strategy_4p", ":material/category:"),
    ("app_pages/campaigns.py", "nav.campaigns", ":material/calendar_month:"),
    ("app_pages/funnel.py", "nav.funnel", ":material/filter_alt:"),
    ("app_pages/scenarios.py", "nav.scenarios", ":material/balance:"),
    ("app_pages/data.py", "nav.data", ":material/database:"),
)


def url_path(script: str) -> str:
    """The URL path Streamlit gives a page: its file stem, and "" for the default (first) page."""
    if script == PAGES[0][0]:
        return ""
    return script.rsplit("/", 1)[-1].removesuffix(".py")
