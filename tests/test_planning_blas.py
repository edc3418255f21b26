"""The fit runs on one BLAS thread and gives the thread pool back afterwards, even nested."""

from __future__ import annotations

import numpy  # noqa: F401 - loads the BLAS library whose pool is checked
from threadpoolctl import threadpool_info

from planning.blas import single_thread


def _blas_threads() -> list[int]:
    return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]


def test_single_thread_sets_one_thread_and_restores_the_pool_after_nested_blocks():
    before = _blas_threads()
    assert before, "numpy should load a BLAS library"
    with single_thread():
        with single_thread():
            assert all(n == 1 for n in _blas_threads())
        assert all(n == 1 for n in _blas_threads())  # the outer block still holds it
    assert _blas_threads() == before
