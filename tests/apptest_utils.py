"""Helpers for AppTest (streamlit.testing.v1) on a multipage app.

Streamlit 1.67's AppTest builds a fresh page registry for every run, so after the first run
a rerun executes only the page script, not the entry script (app.py) that draws the sidebar
filters (seen here: a counter in the entry script stays at 1 over several runs). Tests that
need the entry script again — sidebar filters, language — rerun the default page through
``rerun_entry``. Page widgets work as they are: pages rerun with the session state.
"""

from __future__ import annotations

import base64
import json

import numpy as np
from streamlit.testing.v1 import AppTest


def rerun_entry(at: AppTest) -> AppTest:
    """Run app.py from the top again (lands on the default page)."""
    at._finished_page_script_hash = ""  # private: see the module docstring
    at._page_hash = ""
    return at.run()


def figures(at: AppTest) -> list[dict]:
    """Every plotly figure on the page, as plotly JSON."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def plain(value: object) -> object:
    """Figure JSON with plotly's typed arrays ({"dtype", "bdata"[, "shape"]}) decoded into
    lists, recursively."""
    if isinstance(value, dict):
        if {"dtype", "bdata"} <= value.keys():
            data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:
                data = data.reshape([int(n) for n in str(value["shape"]).split(",")])
            return data.tolist()
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def values(array: object) -> list:
    """A trace's x/y values as a plain list."""
    return list(plain(array) or [])


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Select the lazy tab (``st.tabs(..., key=key, on_change="rerun")``) labelled ``label``
    and rerun: only the open tab's content runs."""
    at.session_state[key] = label
    return at.run()


def figures_of_every_tab(at: AppTest, key: str, labels: list[str]) -> list[dict]:
    """Open each lazy tab in turn; every figure drawn, in tab order (figures drawn outside the
    tabs on every run appear once per tab)."""
    drawn = []
    for label in labels:
        open_tab(at, key, label)
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        drawn += figures(at)
    return drawn


def shown_text(at: AppTest, *, tables: bool = False) -> list[str]:
    """The text a person reads on the page: markdown, captions, metrics and alerts; with
    ``tables`` also the column names and text cells of its tables (those behind the charts)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [str(m.value) for m in at.metric] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    for table in [*at.dataframe, *at.table] if tables else []:
        frame = table.value
        parts += [str(c) for c in frame.columns]
        parts += [v for v in frame.astype(object).to_numpy().ravel() if isinstance(v, str)]
    return [p for p in parts if p]
