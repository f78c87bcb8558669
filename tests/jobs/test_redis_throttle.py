"""One write budget per installation for every process on a Redis queue: two throttles with
budgets of their own, sharing the window, together stay within the one limit (in one process,
and in two worker processes); bookkeeping leaves people's writes their reserve."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

from ghbot.github.throttle import Priority, WriteThrottle
from ghbot.jobs.redis_throttle import RedisWriteWindow

WRITER = Path(__file__).with_name("throttled_writer.py")


async def test_two_processes_budgets_share_one_window(redis_url: str):
    window = RedisWriteWindow(redis_url, limit=4, period=0.6, reserve=1)
    # Two processes' throttles: each alone would allow 4 writes in 0.6 s.
    hosts = [WriteThrottle(limit=4, period=0.6, shared=window.slot_for(7)) for _ in range(2)]
    other = WriteThrottle(limit=4, period=0.6, shared=window.slot_for(8))
    stamps: list[float] = []

    async def write(throttle: WriteThrottle) -> None:
        await throttle.acquire(Priority.PEOPLE)
        stamps.append(time.monotonic())

    try:
        start = time.monotonic()
        await asyncio.gather(*(write(hosts[i % 2]) for i in range(8)))
        # Another installation has a window of its own: no wait.
        before = time.monotonic()
        await other.acquire(Priority.PEOPLE)
        assert time.monotonic() - before < 0.3
    finally:
        await window.close()
    offsets = sorted(s - start for s in stamps)
    assert sum(o < 0.5 for o in offsets) == 4  # the first window held only 4 writes of 8
    assert offsets[-1] >= 0.55  # the rest waited for their slots


async def test_bookkeeping_leaves_people_their_reserve(redis_url: str):
    window = RedisWriteWindow(redis_url, limit=3, period=5.0, reserve=1)
    take = window.slot_for(9)
    try:
        assert [await take(Priority.BOOKKEEPING) for _ in range(2)] == [0, 0]
        assert await take(Priority.BOOKKEEPING) > 0  # only limit - reserve for bookkeeping
        assert await take(Priority.PEOPLE) == 0  # the reserved slot
        assert await take(Priority.PEOPLE) > 0
    finally:
        await window.close()


async def test_an_unreachable_window_leaves_each_process_its_own_budget():
    window = RedisWriteWindow("redis://127.0.0.1:1/0")
    try:
        assert await window.slot_for(1)(Priority.PEOPLE) == 0
    finally:
        await window.close()


def test_two_worker_processes_together_stay_inside_one_installations_budget(
    redis_url: str, tmp_path: Path
):
    # Each process's own throttle allows 4 writes in 2 s; together they make 12 writes.
    limit, period, writes = 4, 2.0, 6
    go, log = tmp_path / "go", tmp_path / "writes.log"
    procs = [subprocess.Popen([sys.executable, str(WRITER), redis_url, f"{limit} {period}",
                               str(writes), str(go), str(log)]) for _ in range(2)]  # fmt: skip
    try:
        time.sleep(0.5)  # both connected and waiting (each waits for `go` up to 30 s)
        go.touch()
        assert [proc.wait(timeout=60) for proc in procs] == [0, 0]
    finally:
        for proc in procs:
            proc.kill()
    stamps = sorted(float(line) for line in log.read_text().split())
    assert len(stamps) == 2 * writes
    # However the writes fell, no stretch of half the period (the other half a margin for a
    # process slow to log its stamp on a loaded machine) holds more than one budget's writes:
    # with a budget per process, 8 would fall together.
    margin = period / 2
    for i, start in enumerate(stamps):
        assert sum(start <= s < start + period - margin for s in stamps[i:]) <= limit
    # 12 writes at 4 a window: the last waited for the third window (per process: the second).
    assert stamps[-1] - stamps[0] >= 2 * period - margin
