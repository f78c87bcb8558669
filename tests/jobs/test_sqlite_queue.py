"""What only the SQLite queue does: group commit, WAL, checkpoints, processes on one file.

The semantics every backend shares are in test_queue_conformance.py."""

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


async def test_concurrent_enqueues_are_group_committed_and_all_stored(queue):
    results = await asyncio.gather(*(queue.enqueue(spec(f"d{i % 50}", None)) for i in range(200)))
    assert sum(results) == 50  # each id stored once, the repeats answered False
    assert (await queue.stats()).pending == 50


async def test_wal_mode_on_disk(queue):
    with sqlite3.connect(queue.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


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


