"""Run small numerical work on one BLAS thread.

The planner's fits are thousands of tiny optimisations (vectors of a few dozen months). With
OpenBLAS's default thread pool, each tiny BLAS call wakes and spins threads: on a 2-core
machine shared with other work this made the fit 5–8× slower (16 s against 2 s, measured).
threadpoolctl sets the BLAS pools of numpy and scipy to one thread for the block, then
restores them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits

_lock = threading.Lock()
_state: dict[str, object] = {"depth": 0, "limits": None}


@contextmanager
def single_thread() -> Iterator[None]:
    """One BLAS thread inside the block. The setting is process-wide, so nested or concurrent
    blocks (two sessions fitting at once) share it; the last block to end restores it."""
    with _lock:
        if _state["depth"] == 0:
            _state["limits"] = threadpool_limits(limits=1, user_api="blas")
        _state["depth"] = int(_state["depth"]) + 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] = int(_state["depth"]) - 1
            if _state["depth"] == 0 and _state["limits"] is not None:
                _state["limits"].restore_original_limits()
                _state["limits"] = None
