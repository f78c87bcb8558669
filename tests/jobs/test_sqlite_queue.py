"""The SQLite queue on a real file: dedupe, ordering, per-PR serialisation, leases, retries."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ghbot.jobs.models import JobSpec
from ghbot.jobs.sqlite import SqliteQueue


def spec(delivery: str, serial: str | None = "octo/repo#1", **kw) -> JobSpec:
    return JobSpec(
        delivery_id=delivery, event="pull_request", payload=b'{"action":"opened"}',
        action="opened", installation_id=1, repo="octo/repo", number=1, sha="f" * 40,
        serial_keys=(serial,) if serial else (), **kw,
    )


@pytest.fixture
async def queue(tmp_path: Path):
    q = await SqliteQueue.open(tmp_path / "jobs.sqlite3")
    yield q
    await q.close()


async def test_enqueue_is_idempotent_on_the_delivery_id(queue):
    assert await queue.enqueue(spec("d1")) is True
    assert await queue.enqueue(spec("d1")) is False
    assert (await queue.stats()).pending == 1


async def test_concurrent_enqueues_are_group_committed_and_all_stored(queue):
    results = await asyncio.gather(*(queue.enqueue(spec(f"d{i % 50}", None)) for i in range(200)))
    assert sum(results) == 50  # each id stored once, the repeats answered False
    assert (await queue.stats()).pending == 50


async def test_wal_mode_on_disk(queue):
    with sqlite3.connect(queue.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_claim_returns_the_stored_job_oldest_first(queue):
    await queue.enqueue(spec("first", None))
    await queue.enqueue(spec("second", None))
    job = await queue.claim("w", 30)
    assert job is not None
    assert job.spec == spec("first", None)
    assert job.attempts == 1 and job.handlers is None
    assert (await queue.claim("w", 30)).spec.delivery_id == "second"
    assert await queue.claim("w", 30) is None


async def test_jobs_of_one_pr_never_run_at_once(queue):
    await queue.enqueue(spec("a1", "octo/repo#1"))
    await queue.enqueue(spec("a2", "octo/repo#1"))
    await queue.enqueue(spec("b1", "octo/repo#2"))
    first = await queue.claim("w1", 30)
    second = await queue.claim("w2", 30)
    assert (first.spec.delivery_id, second.spec.delivery_id) == ("a1", "b1")
    assert await queue.claim("w3", 30) is None  # a2 waits for a1
    await queue.complete(first.id, "w1")
    assert (await queue.claim("w3", 30)).spec.delivery_id == "a2"


async def test_a_lapsed_lease_is_recovered_and_claimed_again(queue):
    await queue.enqueue(spec("d"))
    job = await queue.claim("dead-worker", 0.05)
    await asyncio.sleep(0.1)
    assert await queue.recover_expired() == 1
    again = await queue.claim("w2", 30)
    assert again.id == job.id and again.attempts == 2
    # The dead worker cannot finish the job it lost.
    await queue.complete(job.id, "dead-worker")
    assert (await queue.stats()).running == 1


async def test_heartbeat_keeps_the_lease(queue):
    await queue.enqueue(spec("d"))
    job = await queue.claim("w", 0.2)
    for _ in range(3):
        await asyncio.sleep(0.1)
        assert await queue.heartbeat(job.id, "w", 0.2)
    assert await queue.recover_expired() == 0
    assert not await queue.heartbeat(job.id, "other", 0.2)


async def test_retry_waits_its_delay_and_keeps_only_failed_handlers(queue):
    await queue.enqueue(spec("d"))
    job = await queue.claim("w", 30)
    await queue.retry(job.id, "w", 0.15, "boom", ["mod.h2"])
    assert await queue.claim("w", 30) is None
    await asyncio.sleep(0.2)
    again = await queue.claim("w", 30)
    assert again.handlers == ("mod.h2",) and again.attempts == 2


async def test_bury_dead_letters_and_release_does_not_count_an_attempt(queue):
    await queue.enqueue(spec("dead", None))
    await queue.enqueue(spec("back", None))
    dead = await queue.claim("w", 30)
    await queue.bury(dead.id, "w", "gave up")
    back = await queue.claim("w", 30)
    await queue.release(back.id, "w")
    stats = await queue.stats()
    assert (stats.dead, stats.pending, stats.running) == (1, 1, 0)
    assert (await queue.claim("w", 30)).attempts == 1
    with sqlite3.connect(queue.path) as db:
        assert db.execute("SELECT last_error FROM jobs WHERE state='dead'").fetchone() == (
            "gave up",
        )


async def test_prune_forgets_old_done_jobs_only(queue):
    await queue.enqueue(spec("done", None))
    await queue.enqueue(spec("dead", None))
    await queue.complete((await queue.claim("w", 30)).id, "w")
    await queue.bury((await queue.claim("w", 30)).id, "w", "x")
    await asyncio.sleep(0.05)
    assert await queue.prune(0.01) == 1
    stats = await queue.stats()
    assert (stats.done, stats.dead) == (0, 1)


async def test_a_store_reopened_keeps_its_jobs(tmp_path):
    first = await SqliteQueue.open(tmp_path / "j.sqlite3")
    await first.enqueue(spec("kept"))
    await first.close()
    second = await SqliteQueue.open(tmp_path / "j.sqlite3")
    try:
        assert (await second.claim("w", 30)).spec.delivery_id == "kept"
        assert await second.enqueue(spec("kept")) is False
    finally:
        await second.close()


CLAIMER = """
import asyncio, sys
from pathlib import Path
from ghbot.jobs.sqlite import SqliteQueue

async def main():
    q = await SqliteQueue.open(Path(sys.argv[1]))
    got = []
    while (job := await q.claim(sys.argv[2], 60)) is not None:
        got.append(job.spec.delivery_id)
        await q.complete(job.id, sys.argv[2])
    await q.close()
    print(" ".join(got))

asyncio.run(main())
"""


async def test_processes_sharing_the_file_never_claim_a_job_twice(queue, tmp_path):
    ids = [f"d{i}" for i in range(120)]
    await asyncio.gather(*(queue.enqueue(spec(i, None)) for i in ids))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, str(queue.path), f"p{n}"],
            stdout=subprocess.PIPE, text=True,
        )
        for n in range(3)
    ]
    deadline = time.monotonic() + 60
    claimed = []
    for proc in procs:
        out, _ = proc.communicate(timeout=max(1, deadline - time.monotonic()))
        assert proc.returncode == 0
        claimed += out.split()
    assert sorted(claimed) == sorted(ids)
    assert (await queue.stats()).done == 120


async def test_background_checkpoint_moves_indexed_jobs_into_the_database_file(queue, tmp_path):
    # Without it the writer's backstop (20,000 pages) would leave every row in the WAL.
    from ghbot.jobs.sqlite import _CHECKPOINT_EVERY

    await asyncio.gather(*(queue.enqueue(spec(f"d{i}", None)) for i in range(_CHECKPOINT_EVERY)))
    assert (await queue.stats()).pending == _CHECKPOINT_EVERY
    assert queue._checkpoint is not None
    await queue._checkpoint
    # The database file alone, without its WAL, already holds the rows.
    alone = tmp_path / "alone.sqlite3"
    alone.write_bytes(queue.path.read_bytes())
    with sqlite3.connect(alone) as db:
        assert db.execute("SELECT count(*) FROM jobs").fetchone() == (_CHECKPOINT_EVERY,)


async def test_jobs_survive_when_the_store_is_reopened_with_synchronous_full(tmp_path):
    q = await SqliteQueue.open(tmp_path / "full.sqlite3", synchronous="FULL")
    assert await q.enqueue(spec("durable", None)) is True
    await q.close()
    q = await SqliteQueue.open(tmp_path / "full.sqlite3")
    try:
        assert await q.enqueue(spec("durable", None)) is False
        assert (await q.stats()).pending == 1
    finally:
        await q.close()


async def test_a_new_store_has_16_kib_pages_and_an_older_store_keeps_its_own(tmp_path: Path):
    fresh = await SqliteQueue.open(tmp_path / "new.sqlite3")
    payload = b'{"x":"' + b"y" * 22_000 + b'"}'
    big = JobSpec(delivery_id="big", event="pull_request", payload=payload)
    assert await fresh.enqueue(big) is True
    await fresh.close()
    with sqlite3.connect(tmp_path / "new.sqlite3") as db:
        assert db.execute("PRAGMA page_size").fetchone() == (16384,)

    old_path = tmp_path / "old.sqlite3"
    with sqlite3.connect(old_path) as db:  # a store created before the page size was set
        db.execute("PRAGMA page_size = 4096")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE t (x)")
    old = await SqliteQueue.open(old_path)
    try:
        assert await old.enqueue(big) is True
        job = await old.claim("w1", lease=30)
        assert job is not None and job.spec.payload == big.payload
    finally:
        await old.close()
    with sqlite3.connect(old_path) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (4096,)


async def test_a_job_with_several_keys_waits_until_none_is_held(queue):
    await queue.enqueue(JobSpec("holds-b", "push", b"{}", serial_keys=("o/r:records",)))
    await queue.enqueue(JobSpec("needs-a-and-b", "push", b"{}",
                                serial_keys=("o/r#1", "o/r:records")))
    await queue.enqueue(JobSpec("needs-a", "push", b"{}", serial_keys=("o/r#1",)))
    first = await queue.claim("w1", 30)
    # The two-key job waits for its records key; the later job on its other key may run.
    second = await queue.claim("w2", 30)
    assert second.spec.delivery_id == "needs-a"
    assert await queue.claim("w3", 30) is None
    await queue.complete(first.id, "w1")
    assert await queue.claim("w3", 30) is None  # "needs-a" still holds o/r#1
    await queue.complete(second.id, "w2")
    assert (await queue.claim("w3", 30)).spec.delivery_id == "needs-a-and-b"
