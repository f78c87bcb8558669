"""What only the Redis backend needs proving: an acknowledged job survives the server being
killed (AOF, appendfsync always), and the queue carries on after Redis comes back."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator

import pytest
from redis_server import RedisServer

from ghbot.jobs.models import Job, JobOutcome, JobSpec
from ghbot.jobs.redis_streams import RedisQueue
from ghbot.jobs.workers import PoolConfig, WorkerPool


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of this test's own: the tests kill it."""
    server = RedisServer().start()
    yield server
    server.close()


def spec(delivery: str) -> JobSpec:
    return JobSpec(delivery, "push", b'{"after": "abc"}', repo="o/r", serial_keys=("o/r:records",))


async def test_an_acknowledged_job_survives_kill_9_of_redis(own_redis: RedisServer):
    queue = await RedisQueue.open(own_redis.url)
    try:
        assert await queue.enqueue(spec("kept")) is True
        assert own_redis.process is not None
        own_redis.process.send_signal(signal.SIGKILL)
        own_redis.process.wait()
        own_redis.start()  # same directory: it replays its append-only file
        job = await queue.claim("w", 30)  # the client reconnects by itself
        assert job is not None and job.spec == spec("kept")
        assert await queue.enqueue(spec("kept")) is False  # the dedupe survived too
    finally:
        await queue.close()


async def test_a_redis_that_lost_its_data_gets_its_consumer_group_back(own_redis: RedisServer):
    queue = await RedisQueue.open(own_redis.url)
    try:
        own_redis.flush()  # as a restart without persistence would leave it
        assert await queue.enqueue(spec("after")) is True
        job = await queue.claim("w", 30)
        assert job is not None and job.spec.delivery_id == "after"
    finally:
        await queue.close()


async def test_workers_carry_on_after_redis_restarts(own_redis: RedisServer):
    queue = await RedisQueue.open(own_redis.url)
    ran: list[str] = []

    async def run(job: Job) -> JobOutcome:
        ran.append(job.spec.delivery_id)
        return JobOutcome(ok=True)

    pool = WorkerPool(queue, run, PoolConfig(concurrency=2, lease=2, poll=0.05))
    await pool.start()
    try:
        await queue.enqueue(spec("before"))
        async with asyncio.timeout(10):
            while "before" not in ran:
                await asyncio.sleep(0.02)
        own_redis.restart()
        assert await queue.enqueue(spec("after")) is True
        async with asyncio.timeout(10):
            while "after" not in ran:
                await asyncio.sleep(0.02)
    finally:
        await pool.stop(1)
        await queue.close()
    assert ran == ["before", "after"]
