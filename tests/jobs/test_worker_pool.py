"""The worker pool over a real SQLite store: runs, retries, dead-letters, serialises, stops."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from ghbot import metrics
from ghbot.github import fence
from ghbot.jobs.models import Job, JobOutcome, JobSpec
from ghbot.jobs.sqlite import SqliteQueue
from ghbot.jobs.workers import PoolConfig, WorkerPool, backoff

FAST = PoolConfig(concurrency=3, lease=5, max_attempts=3, retry_base=0.01, retry_max=0.05,
                  poll=0.02)


def spec(delivery: str, serial: str | None = None) -> JobSpec:
    return JobSpec(delivery_id=delivery, event="pull_request", payload=b"{}",
                   serial_keys=(serial,) if serial else ())


@pytest.fixture
async def queue(tmp_path: Path):
    q = await SqliteQueue.open(tmp_path / "jobs.sqlite3")
    yield q
    await q.close()


async def wait_for(predicate, timeout: float = 10) -> None:
    async with asyncio.timeout(timeout):
        while not await predicate():
            await asyncio.sleep(0.02)


def dead_count(event: str) -> float:
    value = metrics.REGISTRY.get_sample_value(
        "hephaestus_jobs_dead_lettered_total", {"event": event}
    )
    return value or 0.0


async def test_jobs_run_and_complete(queue):
    ran: list[str] = []

    async def run(job: Job) -> JobOutcome:
        ran.append(job.spec.delivery_id)
        return JobOutcome(ok=True)

    pool = WorkerPool(queue, run, FAST)
    await pool.start()
    assert pool.ready
    for i in range(5):
        await queue.enqueue(spec(f"d{i}"))
        pool.wake()
    await wait_for(lambda: _done(queue, 5))
    await pool.stop(1)
    assert sorted(ran) == [f"d{i}" for i in range(5)]
    assert not pool.ready


async def _done(queue, n: int) -> bool:
    return (await queue.stats()).done == n


async def test_failures_retry_with_backoff_then_dead_letter(queue):
    attempts: list[tuple[int, tuple[str, ...] | None]] = []

    async def run(job: Job) -> JobOutcome:
        attempts.append((job.attempts, job.handlers))
        return JobOutcome(ok=False, failed_handlers=("m.h2",), error="boom")

    before = dead_count("pull_request")
    pool = WorkerPool(queue, run, FAST)
    await pool.start()
    await queue.enqueue(spec("d"))
    await wait_for(lambda: _dead(queue))
    await pool.stop(1)
    # Attempt 1 runs every handler, the retries only the one that failed.
    assert attempts == [(1, None), (2, ("m.h2",)), (3, ("m.h2",))]
    assert dead_count("pull_request") == before + 1


async def _dead(queue) -> bool:
    return (await queue.stats()).dead == 1


async def test_a_runner_that_raises_is_a_failed_attempt(queue):
    async def run(job: Job) -> JobOutcome:
        raise RuntimeError("runner bug")

    pool = WorkerPool(queue, run, FAST)
    await pool.start()
    await queue.enqueue(spec("d"))
    await wait_for(lambda: _dead(queue))
    await pool.stop(1)


async def test_unretryable_outcomes_are_dead_lettered_at_once(queue):
    calls = 0

    async def run(job: Job) -> JobOutcome:
        nonlocal calls
        calls += 1
        return JobOutcome(ok=False, error="unreadable", retry=False)

    pool = WorkerPool(queue, run, FAST)
    await pool.start()
    await queue.enqueue(spec("d"))
    await wait_for(lambda: _dead(queue))
    await pool.stop(1)
    assert calls == 1


async def test_same_pr_jobs_never_overlap_while_others_run_in_parallel(queue):
    running: dict[str, int] = {}
    overlap = {"same_pr": 0, "parallel": 0}

    async def run(job: Job) -> JobOutcome:
        (key,) = job.spec.serial_keys
        running[key] = running.get(key, 0) + 1
        if running[key] > 1:
            overlap["same_pr"] += 1
        if sum(running.values()) > 1:
            overlap["parallel"] += 1
        await asyncio.sleep(0.05)
        running[key] -= 1
        return JobOutcome(ok=True)

    for i in range(4):
        await queue.enqueue(spec(f"a{i}", "o/r#1"))
        await queue.enqueue(spec(f"b{i}", "o/r#2"))
    pool = WorkerPool(queue, run, FAST)
    await pool.start()
    await wait_for(lambda: _done(queue, 8))
    await pool.stop(1)
    assert overlap["same_pr"] == 0
    assert overlap["parallel"] > 0


async def test_stop_waits_for_running_jobs_within_the_grace(queue):
    started = asyncio.Event()

    async def run(job: Job) -> JobOutcome:
        started.set()
        await asyncio.sleep(0.2)
        return JobOutcome(ok=True)

    pool = WorkerPool(queue, run, FAST)
    await pool.start()
    await queue.enqueue(spec("d"))
    await asyncio.wait_for(started.wait(), 5)
    await pool.stop(5)
    assert (await queue.stats()).done == 1


async def test_stop_hands_back_jobs_that_outlive_the_grace(queue):
    started = asyncio.Event()

    async def run(job: Job) -> JobOutcome:
        started.set()
        await asyncio.sleep(60)
        return JobOutcome(ok=True)

    pool = WorkerPool(queue, run, FAST)
    await pool.start()
    await queue.enqueue(spec("d"))
    await asyncio.wait_for(started.wait(), 5)
    await pool.stop(0.05)
    stats = await queue.stats()
    assert (stats.pending, stats.running, stats.done) == (1, 0, 0)
    job = await queue.claim("next", 30)
    assert job.attempts == 1  # the interrupted attempt was not counted


async def test_a_job_whose_worker_keeps_dying_is_dead_lettered(queue):
    await queue.enqueue(spec("poison"))
    for n in range(FAST.max_attempts):  # each time its worker "dies" holding the lease
        await queue.claim(f"w{n}", 0.01)
        await asyncio.sleep(0.02)
        await queue.recover_expired()
    ran = []

    async def run(job: Job) -> JobOutcome:
        ran.append(job)
        return JobOutcome(ok=True)

    pool = WorkerPool(queue, run, FAST)
    await pool.start()
    await wait_for(lambda: _dead(queue))
    await pool.stop(1)
    assert ran == []


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    for attempt, full in [(1, 2.0), (2, 4.0), (3, 8.0), (10, 60.0), (500, 60.0)]:
        delays = [backoff(attempt, 2.0, 60.0) for _ in range(50)]
        assert all(full / 2 <= d <= full for d in delays)
        assert len(set(delays)) > 1


async def test_a_run_whose_lease_was_lost_stops_before_it_writes_twice(tmp_path):
    """A process that stalls past its lease: the job goes to another worker, and the stalled
    run, told by its next heartbeat, stops instead of working beside the new one (two check
    runs for one sha, found by the Redis chaos test)."""

    class StallingHeartbeats(SqliteQueue):
        async def heartbeat(self, job_id: int, worker: str, lease: float) -> bool:
            await asyncio.sleep(1.0)  # this process stalls past its 0.3 s lease
            return await super().heartbeat(job_id, worker, lease)

    path = tmp_path / "jobs.sqlite3"
    stalled, other = await StallingHeartbeats.open(path), await SqliteQueue.open(path)
    writes: list[int] = []

    async def run(job: Job) -> JobOutcome:
        await asyncio.sleep(1.5)  # the job's reads, then its one write
        writes.append(job.attempts)
        return JobOutcome(ok=True)

    first = WorkerPool(stalled, run, PoolConfig(concurrency=1, lease=0.3, poll=0.02))
    second = WorkerPool(other, run, PoolConfig(concurrency=1, lease=0.6, poll=0.02))
    try:
        await first.start()
        await stalled.enqueue(spec("d"))
        first.wake()
        await wait_for(lambda: _running(stalled, 1))
        await second.start()  # its housekeeping hands the lapsed job to its own worker
        await wait_for(lambda: _done(other, 1))
        await asyncio.sleep(0.5)
    finally:
        await first.stop(1)
        await second.stop(1)
        await stalled.close()
        await other.close()
    assert writes == [2]  # only the new owner's run wrote


async def _running(queue, n: int) -> bool:
    return (await queue.stats()).running == n


async def test_a_run_that_stalls_past_its_lease_writes_nothing(queue):
    """The whole process freezes past the lease (no heartbeat can tell it in time): the write
    the run makes on waking is refused by the fence, and the job's next attempt writes once."""
    writes: list[int] = []

    async def run(job: Job) -> JobOutcome:
        if job.attempts == 1:
            time.sleep(0.5)  # noqa: ASYNC251 (the stall: the loop itself stops)
        fence.check()  # what the GitHub client asks before every write
        writes.append(job.attempts)
        return JobOutcome(ok=True)

    pool = WorkerPool(queue, run, PoolConfig(concurrency=1, lease=0.3, poll=0.02,
                                             retry_base=0.01, retry_max=0.05))  # fmt: skip
    await pool.start()
    await queue.enqueue(spec("d"))
    pool.wake()
    await wait_for(lambda: _done(queue, 1))
    await pool.stop(1)
    assert writes == [2]
