"""The data checks shared by the Funnel health badges and the Market and 4P takeaways: the
balance of the period's closed deals (won against lost, how many, how many segments) and the
deals whose amount is an outlier. The rules that read them are in ``planning/data_checks.py``.
"""

from __future__ import annotations

import pandas as pd

from planning.data_checks import OUTLIER_MULTIPLE
from queries.filters import Filters
from queries.workspace import Workspace


def deal_balance(ws: Workspace, filters: Filters) -> dict[str, int]:
    """The deals closed in the period: count_closed, count_won, count_lost, count_segments."""
    row = ws.query("deal_balance", **filters.params()).iloc[0]
    return {k: int(row[k]) for k in ("count_closed", "count_won", "count_lost", "count_segments")}


def deal_outliers(
    ws: Workspace, filters: Filters, multiple: float = OUTLIER_MULTIPLE
) -> pd.DataFrame:
    """Won deals of the period and open deals whose amount is above ``multiple`` × the median
    amount of their kind: deal_id, kind, amount, median_amount, count_priced, times_median."""
    if not multiple > 0:
        raise ValueError("multiple must be positive")
    return ws.query("deal_outliers", **filters.params(), multiple=float(multiple))
