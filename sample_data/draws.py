"""Vectorised sampling helpers shared by the lead and deal models, and fast Arrow strings."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sample_data import params as P

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def sigmoid(z: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-z))


def lognormal(
    rng: np.random.Generator, median: float | FloatArray, sigma: float | FloatArray, n: int
) -> FloatArray:
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(n))


def pick_weighted(month: IntArray, u: FloatArray, w: FloatArray) -> IntArray:
    """Column of w[month] drawn with probability proportional to the row (inverse CDF)."""
    n_m, n_r = w.shape
    cum = np.cumsum(w, axis=1)
    cum = cum / np.where(cum[:, -1:] > 0, cum[:, -1:], 1.0) + np.arange(n_m)[:, None]
    idx = np.searchsorted(cum.ravel(), month + u, side="right") - month * n_r
    return np.clip(idx, 0, n_r - 1)


def group_table(eligible: BoolArray, region: IntArray) -> tuple[IntArray, IntArray]:
    """Per (month, region): the eligible reps (padded table and count); when a region has none
    that month, all eligible reps of the month stand in (36 x 4 small loops)."""
    n_m = eligible.shape[0]
    n_g = len(P.REGIONS)
    lists = []
    for m in range(n_m):
        for g in range(n_g):
            idx = np.flatnonzero(eligible[m] & (region == g))
            lists.append(idx if idx.size else np.flatnonzero(eligible[m]))
    width = max(1, max(len(v) for v in lists))
    table = np.zeros((n_m * n_g, width), dtype=np.int64)
    count = np.zeros(n_m * n_g, dtype=np.int64)
    for i, v in enumerate(lists):
        table[i, : len(v)] = v
        count[i] = len(v)
    return table.reshape(n_m, n_g, width), count.reshape(n_m, n_g)


def pick_uniform(
    month: IntArray, region: IntArray, u: FloatArray, tc: tuple[IntArray, IntArray]
) -> IntArray:
    table, count = tc
    n = count[month, region]
    k = np.minimum((u * n).astype(np.int64), np.maximum(n - 1, 0))
    return table[month, region, k]


def categorical(u: FloatArray, probs: npt.ArrayLike, key: IntArray | None = None) -> IntArray:
    """Category index by inverse CDF; probs is [k] or [groups, k] selected by key."""
    cum = np.cumsum(np.asarray(probs, dtype=np.float64), axis=-1)
    cum = cum / cum[..., -1:]
    if key is None:
        return np.searchsorted(cum, u, side="right").clip(0, cum.shape[-1] - 1)
    rows = cum[key][:, :-1]
    return (u[:, None] >= rows).sum(axis=1)


def arrow_str(codes: IntArray, labels: pa.Array | list[str] | tuple[str, ...]) -> pd.Series:
    """Codes (-1 = null) to a pandas 'str' Series via Arrow dictionary decoding (fast)."""
    arr = pa.DictionaryArray.from_arrays(
        pa.array(codes.astype(np.int32), mask=codes < 0), pa.array(labels, type=pa.string())
    )
    return arr.dictionary_decode().to_pandas()


def make_ids(prefix: str, n: int, width: int, start: int = 1) -> pa.Array:
    """prefix + zero-padded start, start+1, ... (start > 1: a later chunk of a large build)."""
    digits = pc.utf8_lpad(pc.cast(pa.array(np.arange(start, start + n)), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")
