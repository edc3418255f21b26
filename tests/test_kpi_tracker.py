"""The KPI tracker rows the 4P page and the meeting pack share: units, labels, escaping."""

from __future__ import annotations

import math

import pandas as pd

from components.fmt import Formatter
from components.i18n import translate
from views import kpi_tracker


def _t(key: str, **kw: object) -> str:
    return translate(key, "en", **kw)


def test_kpi_values_are_written_in_their_unit():
    fmt = Formatter()
    assert kpi_tracker.kpi_text("win_rate", 30.0, fmt, _t) == "30.0%"
    assert kpi_tracker.kpi_text("avg_deal_size", 250_000.0, fmt, _t) == "$250K"
    assert kpi_tracker.kpi_text("win_rate", math.nan, fmt, _t) == "—"
    assert kpi_tracker.kpi_text("win_rate", None, fmt, _t) == "—"


def test_rows_are_labelled_segment_p_kpi_and_plan_text_is_escaped():
    track = pd.DataFrame(
        {
            "segment": ["<b>SMB</b>"],
            "p": ["price"],
            "kpi": ["win_rate"],
            "target": [30.0],
            "actual": [25.0],
            "previous": [math.nan],
        }
    )
    rows = kpi_tracker.tracker_rows(track, Formatter(), _t)
    assert rows["label"].iloc[0] == "<b>SMB</b> · Price · Win rate"
    detail = rows["detail"].iloc[0]
    assert detail.startswith("&lt;b&gt;SMB&lt;/b&gt; · Price<br>")
    assert "Win rate: 25.0%" in detail and "30.0%" in detail and "—" in detail
