"""Input crafted to stall a pattern must cost about what ordinary input of its size costs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

Input = TypeVar("Input")


def _seconds(run: Callable[[Input], object], given: Input) -> float:
    """CPU seconds of `run(given)`, the best of two (the machine may be busy)."""
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        run(given)
        best = min(best, time.process_time() - started)
    return best


def assert_costs_alike(run: Callable[[Input], object], plain: Input, crafted: Input) -> None:
    plain_seconds, crafted_seconds = _seconds(run, plain), _seconds(run, crafted)
    assert crafted_seconds < 3 * plain_seconds + 0.2, (crafted_seconds, plain_seconds)
