"""The semantics every queue backend keeps, run against each: SQLite on a real file and Redis
Streams on this run's own redis-server (tests/redis_server.py)."""

from __future__ import annotations

import asyncio

import pytest

from ghbot.jobs.backends import open_queue
from ghbot.jobs.models import JobSpec
from ghbot.jobs.queue import JobQueue


@pytest.fixture
async def queue(backend_url: str):
    q = await open_queue(backend_url)
    yield q
    await q.close()


def spec(delivery: str, *keys: str, payload: bytes = b'{"action":"opened"}') -> JobSpec:
    return JobSpec(
        delivery_id=delivery, event="pull_request", payload=payload, action="opened",
        installation_id=1, repo="octo/repo", number=1, sha="f" * 40, serial_keys=keys,
    )  # fmt: skip


async def finish(queue: JobQueue, worker: str = "w") -> str:
    job = await queue.claim(worker, 30)
    assert job is not None
    await queue.complete(job.id, worker)
    return job.spec.delivery_id


async def test_a_redelivery_is_stored_once_even_after_its_job_is_done(queue):
    assert await queue.enqueue(spec("d1")) is True
    assert await queue.enqueue(spec("d1")) is False
    assert (await queue.stats()).pending == 1
    await finish(queue)
    assert await queue.enqueue(spec("d1")) is False  # done jobs are remembered for 7 days
    stats = await queue.stats()
    assert (stats.pending, stats.done) == (0, 1)


async def test_concurrent_enqueues_of_one_delivery_store_it_once(queue):
    results = await asyncio.gather(*(queue.enqueue(spec(f"d{i % 10}")) for i in range(40)))
    assert sum(results) == 10
    assert (await queue.stats()).pending == 10


async def test_claim_returns_the_stored_job_oldest_first(queue):
    first = JobSpec("first", "push", b'{"a": "\\u00e9"}', installation_id=2**62, repo="o/r",
                    serial_keys=("o/r:records", "o/r:fix-pr"))  # fmt: skip
    await queue.enqueue(first)
    await queue.enqueue(spec("second"))
    job = await queue.claim("w", 30)
    assert job is not None and job.spec == first  # every field comes back as it went in
    assert job.attempts == 1 and job.handlers is None and job.worker == "w"
    assert (await queue.claim("w", 30)).spec.delivery_id == "second"
    assert await queue.claim("w", 30) is None


async def test_jobs_sharing_a_key_never_run_at_once(queue):
    await queue.enqueue(spec("a1", "octo/repo#1"))
    await queue.enqueue(spec("a2", "octo/repo#1"))
    await queue.enqueue(spec("b1", "octo/repo#2"))
    first = await queue.claim("w1", 30)
    second = await queue.claim("w2", 30)
    assert (first.spec.delivery_id, second.spec.delivery_id) == ("a1", "b1")
    assert await queue.claim("w3", 30) is None  # a2 waits for a1
    await queue.complete(first.id, "w1")
    assert (await queue.claim("w3", 30)).spec.delivery_id == "a2"


async def test_a_job_with_several_keys_waits_until_none_is_held(queue):
    await queue.enqueue(spec("holds-records", "o/r:records"))
    await queue.enqueue(spec("needs-both", "o/r#1", "o/r:records"))
    await queue.enqueue(spec("needs-pr", "o/r#1"))
    first = await queue.claim("w1", 30)
    # The two-key job waits for its records key; the later job on its other key may run.
    second = await queue.claim("w2", 30)
    assert second.spec.delivery_id == "needs-pr"
    assert await queue.claim("w3", 30) is None
    await queue.complete(first.id, "w1")
    assert await queue.claim("w3", 30) is None  # "needs-pr" still holds o/r#1
    await queue.complete(second.id, "w2")
    assert (await queue.claim("w3", 30)).spec.delivery_id == "needs-both"


async def test_a_lapsed_lease_frees_the_job_and_its_keys_with_the_attempt_counted(queue):
    await queue.enqueue(spec("d", "o/r#1"))
    await queue.enqueue(spec("e", "o/r#1"))
    job = await queue.claim("dead-worker", 0.05)
    await asyncio.sleep(0.1)
    assert await queue.recover_expired() == 1
    again = await queue.claim("w2", 30)
    assert again.id == job.id and again.attempts == 2  # back in its place in line
    # The dead worker cannot finish or renew the job it lost.
    await queue.complete(job.id, "dead-worker")
    assert not await queue.heartbeat(job.id, "dead-worker", 30)
    assert (await queue.stats()).running == 1
    assert await queue.claim("w3", 30) is None  # "e" waits: w2 holds the key now


async def test_heartbeat_keeps_the_lease(queue):
    await queue.enqueue(spec("d"))
    job = await queue.claim("w", 0.3)
    for _ in range(3):
        await asyncio.sleep(0.15)
        assert await queue.heartbeat(job.id, "w", 0.3)
    assert await queue.recover_expired() == 0
    assert not await queue.heartbeat(job.id, "other", 0.3)


async def test_retry_waits_its_delay_and_keeps_only_failed_handlers(queue):
    await queue.enqueue(spec("d"))
    job = await queue.claim("w", 30)
    await queue.retry(job.id, "w", 0.3, "boom", ["mod.h2"])
    assert await queue.claim("w", 30) is None
    assert (await queue.stats()).pending == 1
    await asyncio.sleep(0.4)
    again = await queue.claim("w", 30)
    assert again.handlers == ("mod.h2",) and again.attempts == 2


async def test_dead_letters_keep_payload_and_reason_and_can_run_again(queue):
    payload = b'{"big": "' + b"x" * 50_000 + b'"}'
    await queue.enqueue(spec("dead", payload=payload))
    job = await queue.claim("w", 30)
    await queue.bury(job.id, "w", "gave up: KeyError 'head'")
    [dead] = await queue.jobs("dead", 10)
    assert (dead.id, dead.delivery_id, dead.error) == (job.id, "dead", "gave up: KeyError 'head'")
    assert await queue.claim("w", 30) is None  # never claimed again...
    assert await queue.revive(job.id) is True  # ...unless an operator says so
    assert await queue.revive(job.id) is False
    again = await queue.claim("w", 30)
    assert again.spec.payload == payload and again.attempts == 1


async def test_release_hands_a_job_back_without_counting_the_attempt(queue):
    await queue.enqueue(spec("back", "o/r#1"))
    job = await queue.claim("w", 30)
    await queue.release(job.id, "w")
    stats = await queue.stats()
    assert (stats.pending, stats.running) == (1, 0)
    assert (await queue.claim("w2", 30)).attempts == 1


async def test_a_job_whose_worker_process_died_is_buried_with_its_payload(queue):
    await queue.enqueue(spec("killer", "o/r#1"))
    await queue.enqueue(spec("innocent"))
    await queue.claim("crashed-host/0", 0.05)
    await queue.claim("stalled-host/0", 0.05)
    await asyncio.sleep(0.1)
    [buried] = await queue.bury_orphans(lambda worker: worker.startswith("crashed"))
    assert buried.spec.delivery_id == "killer" and buried.spec.payload == spec("x").payload
    [dead] = await queue.jobs("dead", 10)
    assert "died" in (dead.error or "")
    assert await queue.recover_expired() == 1  # the stalled one runs again


async def test_listing_shows_pending_running_and_dead_jobs(queue):
    for delivery in ("p1", "p2", "r1", "x1"):
        await queue.enqueue(spec(delivery))
    running = await queue.claim("w", 30)
    dead = await queue.claim("w", 30)
    await queue.bury(dead.id, "w", "no")
    assert [j.delivery_id for j in await queue.jobs("pending", 10)] == ["r1", "x1"]
    [shown] = await queue.jobs("running", 10)
    assert (shown.delivery_id, shown.worker, shown.attempts) == (running.spec.delivery_id, "w", 1)
    assert shown.serial_keys == () and shown.event == "pull_request" and shown.created_at > 0
    assert [j.state for j in await queue.jobs("dead", 10)] == ["dead"]
    assert len(await queue.jobs("pending", 1)) == 1


async def test_prune_forgets_old_done_jobs_only(queue):
    await queue.enqueue(spec("done"))
    await queue.enqueue(spec("dead"))
    await finish(queue)
    await queue.bury((await queue.claim("w", 30)).id, "w", "x")
    await asyncio.sleep(0.05)
    assert await queue.prune(0.01) == 1
    stats = await queue.stats()
    assert (stats.done, stats.dead) == (0, 1)


async def test_a_reopened_store_keeps_its_jobs(backend_url):
    first = await open_queue(backend_url)
    await first.enqueue(spec("kept"))
    await first.close()
    second = await open_queue(backend_url)
    try:
        assert (await second.claim("w", 30)).spec.delivery_id == "kept"
        assert await second.enqueue(spec("kept")) is False
    finally:
        await second.close()
