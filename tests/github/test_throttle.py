"""The write budget: spaced beyond the limit, spent in priority order, no lock held waiting."""

from __future__ import annotations

import asyncio

from ghbot.github.throttle import Priority, WriteThrottle, bookkeeping


class Clock:
    """A fake clock whose sleeps advance it, yielding to the loop like real ones."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def test_people_go_before_bookkeeping_once_the_budget_is_spent():
    clock = Clock()
    throttle = WriteThrottle(limit=2, period=60.0, clock=clock, sleep=clock.sleep)
    order: list[str] = []

    async def write(name: str, priority: Priority) -> None:
        await throttle.acquire(priority)
        order.append(name)

    await write("first", Priority.PEOPLE)
    await write("second", Priority.BOOKKEEPING)
    # the budget is spent: three records wait, then a review comes
    records = [asyncio.create_task(write(f"record{i}", Priority.BOOKKEEPING)) for i in range(3)]
    await asyncio.sleep(0)
    review = asyncio.create_task(write("review", Priority.PEOPLE))
    await asyncio.gather(*records, review)
    assert order == ["first", "second", "review", "record0", "record1", "record2"]
    assert clock.slept[0] == 60.0  # nobody wrote before the first write left the window


async def test_the_priority_comes_from_the_context():
    clock = Clock()
    throttle = WriteThrottle(limit=1, period=10.0, clock=clock, sleep=clock.sleep)
    order: list[str] = []

    async def record() -> None:
        with bookkeeping():
            await throttle.acquire()
        order.append("record")

    async def reply() -> None:
        await throttle.acquire()
        order.append("reply")

    await throttle.acquire()
    first = asyncio.create_task(record())
    await asyncio.sleep(0)
    await asyncio.gather(first, reply())
    assert order == ["reply", "record"]


async def test_a_cancelled_waiter_gives_its_turn_away():
    clock = Clock()
    throttle = WriteThrottle(limit=1, period=5.0, clock=clock, sleep=clock.sleep)
    await throttle.acquire()
    doomed = asyncio.create_task(throttle.acquire(Priority.PEOPLE))
    later = asyncio.create_task(throttle.acquire(Priority.BOOKKEEPING))
    await asyncio.sleep(0)
    doomed.cancel()
    await asyncio.wait_for(later, timeout=5)
    assert throttle.waiting == 0 and clock.slept == [5.0]


async def test_real_time_a_review_overtakes_a_burst_of_records():
    """On the real loop and clock: 40 record writes over a budget of 10 per 0.2 s; a review
    asked for after them is let through in the next window, not after the burst."""
    throttle = WriteThrottle(limit=10, period=0.2)
    loop = asyncio.get_running_loop()
    done: dict[str, float] = {}

    async def write(name: str, priority: Priority) -> None:
        await throttle.acquire(priority)
        done[name] = loop.time()

    start = loop.time()
    burst = [asyncio.create_task(write(f"r{i}", Priority.BOOKKEEPING)) for i in range(40)]
    await asyncio.sleep(0.01)
    await write("review", Priority.PEOPLE)
    review_wait = done["review"] - start
    await asyncio.gather(*burst)
    assert review_wait < 0.35  # one window, not the four the burst needs
    assert sum(1 for n, t in done.items() if n != "review" and t > done["review"]) >= 25
