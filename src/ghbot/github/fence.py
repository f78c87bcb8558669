"""Writes only under a live lease.

A job's run whose process stalled past its lease has lost the job to the worker that reclaimed
it, which may be writing the same check run or comment this minute; the stalled run learns it
at its next heartbeat, but a write it makes before that would be a duplicate. So the worker
gives each run a check that its lease is still held, and the client asks it before every write:
a run that cannot show a live lease writes nothing (`LeaseLost`). Outside a job (the Action,
the CLI) there is no check and every write goes out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_HELD: ContextVar[Callable[[], bool] | None] = ContextVar("hephaestus_lease_held", default=None)


class LeaseLost(Exception):
    """This run's lease may have lapsed: the job belongs to whoever claims it next."""


@contextmanager
def holding(held: Callable[[], bool]) -> Iterator[None]:
    """Writes inside go out only while `held()` says the lease is live."""
    token = _HELD.set(held)
    try:
        yield
    finally:
        _HELD.reset(token)


def check() -> None:
    held = _HELD.get()
    if held is not None and not held():
        raise LeaseLost("the job's lease may have lapsed: the write was not sent")
