"""The write budget of one installation, spent in priority order.

GitHub's secondary limit on content creation is about 80 writes a minute per installation, and
tripping it risks a ban, so writes beyond the budget wait. They wait in priority order: what
people are looking at (check runs, reviews, command replies) goes before bookkeeping (records,
the dashboard), so a burst of deployments on one repository cannot hold back a review on another.
Nobody holds a lock while waiting: each waiter is a future in a heap, and the one timer that
sleeps until the oldest write leaves the window hands the freed slots to the best waiters.

Processes that share a queue on Redis share the budget too (`shared`, ghbot.jobs.redis_throttle):
a write this process's budget allows then also takes a slot of the installation's window on the
Redis, or waits for one, so many workers on many hosts stay within GitHub's one limit.

The priority travels in a contextvar, set around bookkeeping code (`bookkeeping()`), so the
client's call sites need not pass it and a job's every write inherits it.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import IntEnum


class Priority(IntEnum):
    PEOPLE = 0  # someone is looking at it: check runs, reviews, comments, replies
    BOOKKEEPING = 1  # nobody waits for it: records, the dashboard


_priority: ContextVar[Priority] = ContextVar("write_priority", default=Priority.PEOPLE)


@contextmanager
def bookkeeping() -> Iterator[None]:
    """Writes made inside wait behind people's writes when the budget is spent."""
    token = _priority.set(Priority.BOOKKEEPING)
    try:
        yield
    finally:
        _priority.reset(token)


# Asks the shared window for a slot at this priority: 0 when granted, else seconds to wait before
# asking again.
SharedSlot = Callable[[Priority], Awaitable[float]]
_SHARED_TRIES = 1000  # asks per write; each wait lasts until a slot frees, so a few suffice


class WriteThrottle:
    """At most `limit` writes in any `period` seconds; beyond that, the best waiter first
    (lowest priority value, then first come)."""

    def __init__(
        self,
        limit: int = 80,
        period: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        shared: SharedSlot | None = None,
    ) -> None:
        self._limit, self._period = limit, period
        self._shared = shared
        self._clock, self._sleep = clock, sleep
        self._stamps: deque[float] = deque()
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._timer: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> int:
        return sum(1 for *_, f in self._waiters if not f.done())

    async def acquire(self, priority: Priority | None = None) -> None:
        rank = Priority(_priority.get() if priority is None else priority)
        await self._local(rank)
        if self._shared is None:
            return
        for _ in range(_SHARED_TRIES):
            wait = await self._shared(rank)
            if wait <= 0:
                return
            await self._sleep(wait)

    async def _local(self, rank: int) -> None:
        self._expire()
        if not self._waiters and len(self._stamps) < self._limit:
            self._stamps.append(self._clock())
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (rank, next(self._order), future))
        self._arm()
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():  # granted as we were cancelled
                self._stamps.pop()  # the slot was never used: give it back
                self._grant()
            raise

    def _expire(self) -> None:
        horizon = self._clock() - self._period
        while self._stamps and self._stamps[0] <= horizon:
            self._stamps.popleft()

    def _grant(self) -> None:
        """Hand free slots to the best waiters."""
        self._expire()
        while self._waiters and len(self._stamps) < self._limit:
            *_, future = heapq.heappop(self._waiters)
            if future.done():  # its task was cancelled
                continue
            self._stamps.append(self._clock())
            future.set_result(None)
        self._arm()

    def _arm(self) -> None:
        """One timer at a time, sleeping until the oldest write leaves the window."""
        if self._timer is not None and not self._timer.done():
            return
        if not any(not f.done() for *_, f in self._waiters):
            self._waiters.clear()
            return
        self._timer = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        if self._stamps:
            await self._sleep(max(0.0, self._stamps[0] + self._period - self._clock()))
        self._timer = None
        self._grant()
