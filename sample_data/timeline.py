"""The fixed calendar of the sample company: months, days, and time conversion.

Internally every instant is a float number of days since START (00:00 UTC), which keeps all
lags plain vectorised additions; `to_timestamp` turns them into datetime64[us] at the end.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sample_data import params as P

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

START_D = np.datetime64(P.START, "D")
END_D = np.datetime64(P.END, "D")
N_DAYS = int((END_D - START_D).astype(int))
# Month starts from START through the planned-campaign horizon (plus one closing boundary).
MONTHS = np.arange(np.datetime64(P.START, "M"), np.datetime64(P.START, "M") + 42)
MONTH_START_DAY: IntArray = (MONTHS.astype("datetime64[D]") - START_D).astype(np.int64)
CAL_MONTH: IntArray = (MONTHS.astype(np.int64) % 12 + 1).astype(np.int64)  # 1..12

_days = START_D + np.arange(N_DAYS)
DAY_MONTH: IntArray = np.searchsorted(MONTH_START_DAY, np.arange(N_DAYS), side="right") - 1
DAY_DOW: IntArray = ((_days.astype(np.int64) + 3) % 7).astype(np.int64)  # 1970-01-01 = Thu
_month = (_days.astype("datetime64[M]").astype(np.int64) % 12) + 1
_dom = (_days - _days.astype("datetime64[M]")).astype(np.int64) + 1
IS_HOLIDAY = ((_month == 12) & (_dom >= 24)) | ((_month == 1) & (_dom == 1))


def day_weights(dow: tuple[float, ...], holiday: float) -> FloatArray:
    """Relative chance of each day of the window, from day-of-week and holiday weights."""
    w = np.asarray(dow, dtype=np.float64)[DAY_DOW]
    return np.where(IS_HOLIDAY, w * holiday, w)


def pick_days(month: IntArray, u: FloatArray, weights: FloatArray) -> IntArray:
    """Day index (inside `month`) for each event, by inverse CDF of the within-month weights."""
    # Per-month cumulative weights scaled to (m, m+1]: one searchsorted serves every month.
    cum = np.empty(N_DAYS)
    for m in range(int(DAY_MONTH[-1]) + 1):  # 36 months, not per row
        lo, hi = MONTH_START_DAY[m], MONTH_START_DAY[m + 1]
        c = np.cumsum(weights[lo:hi])
        cum[lo:hi] = m + c / c[-1]
    idx = np.searchsorted(cum, month + u, side="right")
    first = MONTH_START_DAY[month]
    last = np.minimum(MONTH_START_DAY[month + 1], N_DAYS) - 1
    return np.clip(idx, first, last)


def weekday(days: FloatArray) -> IntArray:
    """0 = Monday for an instant given in days since START."""
    return ((np.floor(days).astype(np.int64) + int(DAY_DOW[0])) % 7).astype(np.int64)


def month_of(days: FloatArray) -> IntArray:
    """Month index (0 = START month) of instants inside the window."""
    d = np.clip(np.floor(days).astype(np.int64), 0, N_DAYS - 1)
    return DAY_MONTH[d]


def to_timestamp(days: FloatArray) -> npt.NDArray[np.datetime64]:
    """datetime64[us], whole seconds (floored, so order is kept); NaN -> NaT."""
    out = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[us]")
    ok = ~np.isnan(days)
    secs = np.floor(days[ok] * 86_400.0).astype(np.int64)
    out[ok] = START_D.astype("datetime64[us]") + (secs * 1_000_000).astype("timedelta64[us]")
    return out


def to_date(days: IntArray | FloatArray) -> npt.NDArray[np.datetime64]:
    """datetime64[us] at midnight (DuckDB casts it to DATE on insert); NaN -> NaT."""
    d = np.asarray(days, dtype=np.float64)
    return to_timestamp(np.floor(d))
