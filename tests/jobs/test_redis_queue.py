"""What only the Redis backend needs proving: an acknowledged job survives the server being
killed (AOF, appendfsync always), the queue carries on after Redis comes back, and deliveries
that arrive together are stored in one script call."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator

import pytest
import redis
from redis_server import RedisServer

from ghbot.jobs.models import Job, JobOutcome, JobSpec
from ghbot.jobs.queue import Unstorable
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


def _enqueue_calls(server: RedisServer) -> int:
    """Enqueue script calls Redis ran (the other scripts go by EVALSHA)."""
    with redis.Redis(unix_socket_path=str(server.socket)) as client:
        calls = client.info("commandstats").get("cmdstat_eval", {})
    return int(calls.get("calls", 0))


async def test_deliveries_arriving_together_are_stored_in_one_call(own_redis: RedisServer):
    queue = await RedisQueue.open(own_redis.url)
    try:
        before = _enqueue_calls(own_redis)
        names = [f"d{i}" for i in range(40)]
        stored = await asyncio.gather(*(queue.enqueue(spec(n)) for n in [*names, "d3", "d7"]))
        assert _enqueue_calls(own_redis) - before == 1
        assert stored == [True] * 40 + [False, False]  # a delivery twice in one call: stored once
        assert (await queue.stats()).pending == 40
        claimed = []
        while (job := await queue.claim("w", 30)) is not None:
            claimed.append(job.spec.delivery_id)
            await queue.complete(job.id, "w")
        assert claimed == names  # stored in the order they arrived
        again = await asyncio.gather(*(queue.enqueue(spec(n)) for n in names[:5]))
        assert again == [False] * 5
        # A payload lives only while its job may run: none is left by done jobs or redeliveries.
        with redis.Redis(unix_socket_path=str(own_redis.socket)) as client:
            assert client.keys("hephaestus:arriving:*") == []
            assert client.keys("hephaestus:payload:*") == []
    finally:
        await queue.close()


async def test_a_call_too_big_for_one_script_goes_in_several(own_redis: RedisServer):
    queue = await RedisQueue.open(own_redis.url)
    try:
        before = _enqueue_calls(own_redis)
        assert all(await asyncio.gather(*(queue.enqueue(spec(f"d{i}")) for i in range(600))))
        assert 3 <= _enqueue_calls(own_redis) - before <= 4  # 256 deliveries a call at most
        assert (await queue.stats()).pending == 600
    finally:
        await queue.close()


async def test_every_delivery_of_a_batch_is_on_disk_when_acknowledged(own_redis: RedisServer):
    queue = await RedisQueue.open(own_redis.url)
    try:
        assert all(await asyncio.gather(*(queue.enqueue(spec(f"k{i}")) for i in range(30))))
        assert own_redis.process is not None
        own_redis.process.send_signal(signal.SIGKILL)
        own_redis.process.wait()
        own_redis.start()  # replays its append-only file
        assert (await queue.stats()).pending == 30
    finally:
        await queue.close()


async def test_a_batch_redis_refuses_fails_each_of_its_deliveries(own_redis: RedisServer):
    queue = await RedisQueue.open(own_redis.url)
    try:
        own_redis.stop()
        results = await asyncio.gather(*(queue.enqueue(spec(f"x{i}")) for i in range(5)),
                                       return_exceptions=True)  # fmt: skip
        assert all(isinstance(r, redis.RedisError) for r in results), results
        own_redis.start()
        assert await queue.enqueue(spec("x0")) is True  # nothing of the failed call was stored
    finally:
        await queue.close()


async def test_a_delivery_whose_text_redis_cannot_take_fails_alone(own_redis: RedisServer):
    queue = await RedisQueue.open(own_redis.url)
    try:
        bad = JobSpec("bad", "push", b"{}", repo="o/\ud800")  # a lone surrogate: not UTF-8
        results = await asyncio.gather(queue.enqueue(spec("before")), queue.enqueue(bad),
                                       queue.enqueue(spec("after")), return_exceptions=True)
        assert results[0] is True and results[2] is True
        assert isinstance(results[1], Unstorable) and "not valid text" in str(results[1])
        assert (await queue.stats()).pending == 2
    finally:
        await queue.close()
