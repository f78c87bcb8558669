"""The job store's journal, on real files and real processes: kill -9, recovery, GC, FULL mode."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ghbot.jobs import journal
from ghbot.jobs.models import JobSpec
from ghbot.jobs.sqlite import SqliteQueue


def big(n: int) -> bytes:
    return json.dumps({"n": n, "body": "p" * 22_000}).encode()


def spec(delivery: str, n: int = 0) -> JobSpec:
    return JobSpec(delivery_id=delivery, event="push", payload=big(n), repo="octo/repo")


def segment_rows(path: Path) -> list[tuple[str, int, int]]:
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT name, indexed_to, sealed FROM journal_segments ORDER BY name"
        ).fetchall()


def job_rows(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT delivery_id, state FROM jobs ORDER BY id").fetchall()


async def drain(queue: SqliteQueue) -> dict[str, bytes]:
    got = {}
    while (job := await queue.claim("w", 30)) is not None:
        got[job.spec.delivery_id] = job.spec.payload
        await queue.complete(job.id, "w")
    return got


# Enqueues argv[2] deliveries, then kills itself with SIGKILL straight after the last
# acknowledgement: most rows are not written yet, only the journal has the jobs.
KILLED = """
import asyncio, json, os, signal, sys
from pathlib import Path
from ghbot.jobs.models import JobSpec
from ghbot.jobs.sqlite import SqliteQueue

async def main():
    q = await SqliteQueue.open(Path(sys.argv[1]))
    for n in range(int(sys.argv[2])):
        body = json.dumps({"n": n, "body": "p" * 22_000}).encode()
        assert await q.enqueue(JobSpec(delivery_id=f"k{n}", event="push", payload=body,
                                       repo="octo/repo"))
    print("acknowledged", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""


def run_killed(path: Path, count: int) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", KILLED, str(path), str(count)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == -9, proc.stderr
    assert proc.stdout.strip() == "acknowledged"


async def test_jobs_acknowledged_before_a_kill_9_are_all_recovered_intact(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    run_killed(path, 40)
    assert len(job_rows(path)) < 40  # the test means something: rows were still missing
    queue = await SqliteQueue.open(path)
    try:
        assert (await queue.stats()).pending == 40
        assert await queue.enqueue(spec("k7")) is False  # recovered ids dedupe too
        got = await drain(queue)
    finally:
        await queue.close()
    assert got == {f"k{n}": big(n) for n in range(40)}
    (segment,) = segment_rows(path)
    assert segment[2] == 1  # sealed: never scanned again


async def test_recovery_is_exactly_once_and_finished_jobs_stay_finished(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    run_killed(path, 10)
    queue = await SqliteQueue.open(path)
    for _ in range(4):
        job = await queue.claim("w", 30)
        await queue.complete(job.id, "w")
    await asyncio.sleep(0.02)
    assert await queue.prune(0.01) == 4  # done and forgotten: a re-index would bring them back
    await queue.close()
    for _ in range(2):
        queue = await SqliteQueue.open(path)
        try:
            assert await queue.recover_expired() == 0
            stats = await queue.stats()
            assert (stats.pending, stats.done) == (6, 0)
        finally:
            await queue.close()
    assert sorted(d for d, _ in job_rows(path)) == sorted(f"k{n}" for n in range(4, 10))


# Opens the store, enqueues, then waits on stdin before enqueueing more and closing cleanly.
LIVE = """
import asyncio, sys
from pathlib import Path
from ghbot.jobs.models import JobSpec
from ghbot.jobs.sqlite import SqliteQueue

async def main():
    q = await SqliteQueue.open(Path(sys.argv[1]))
    for n in range(5):
        await q.enqueue(JobSpec(delivery_id=f"live{n}", event="push", payload=b'{"n": 1}'))
    await q.stats()
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    for n in range(5, 8):
        await q.enqueue(JobSpec(delivery_id=f"live{n}", event="push", payload=b'{"n": 2}'))
    await q.close()
    print("closed", flush=True)

asyncio.run(main())
"""


async def test_a_live_writers_segment_is_left_alone_by_another_processes_recovery(tmp_path):
    path = tmp_path / "jobs.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", LIVE, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        queue = await SqliteQueue.open(path)  # recovery runs here
        try:
            assert await queue.recover_expired() == 0  # and here
            (name,) = journal.segment_names(queue.journal_dir)
            assert [s for s in segment_rows(path) if s[0] == name][0][2] == 0  # not sealed
            # The other process's jobs are claimable here, their payloads read from its segment.
            job = await queue.claim("w", 30)
            assert job.spec.payload == b'{"n": 1}'
            await queue.complete(job.id, "w")
            out, _ = child.communicate("go\n", timeout=30)
            assert out.strip() == "closed" and child.returncode == 0
            stats = await queue.stats()
            assert (stats.pending, stats.done) == (7, 1)
            assert await queue.recover_expired() == 0  # the owner sealed it: nothing to adopt
        finally:
            await queue.close()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert segment_rows(path)[0][2] == 1
    assert len(job_rows(path)) == 8


async def test_a_buried_job_keeps_its_payload_after_its_segment_is_deleted(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    queue = await SqliteQueue.open(path)
    await queue.enqueue(spec("doomed", 1))
    job = await queue.claim("w", 30)
    await queue.bury(job.id, "w", "gave up")
    await queue.close()  # seals the segment
    queue = await SqliteQueue.open(path)
    try:
        assert await queue.collect_garbage() == 1
        assert journal.segment_names(queue.journal_dir) == []
        assert segment_rows(path) == []
    finally:
        await queue.close()
    with sqlite3.connect(path) as db:
        assert db.execute(
            "SELECT state, last_error, payload, segment FROM jobs"
        ).fetchall() == [("dead", "gave up", big(1), None)]


async def test_a_segment_is_deleted_only_once_no_job_needs_it(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    queue = await SqliteQueue.open(path)
    await queue.enqueue(spec("a", 1))
    await queue.enqueue(spec("b", 2))
    assert await queue.collect_garbage() == 0  # live: not sealed
    await queue.close()
    queue = await SqliteQueue.open(path)
    try:
        (name,) = journal.segment_names(queue.journal_dir)
        first = await queue.claim("w", 30)
        await queue.complete(first.id, "w")
        second = await queue.claim("w", 30)  # running: still needs the segment
        assert await queue.collect_garbage() == 0
        await queue.retry(second.id, "w", 0, "flaky", None)  # pending again: still needs it
        assert await queue.collect_garbage() == 0
        assert (queue.journal_dir / name).exists()
        again = await queue.claim("w", 30)
        assert again.spec.payload == big(2)
        await queue.complete(again.id, "w")
        assert await queue.collect_garbage() == 1
        assert not (queue.journal_dir / name).exists()
        assert segment_rows(path) == []
    finally:
        await queue.close()


async def test_a_job_whose_payload_is_gone_is_buried_and_claim_moves_on(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    for delivery in ("lost", "kept"):  # one segment each: one store opened per job
        queue = await SqliteQueue.open(path)
        await queue.enqueue(spec(delivery, 3))
        await queue.close()
    lost_segment = journal.segment_names(tmp_path / "jobs.journal")[0]
    (tmp_path / "jobs.journal" / lost_segment).unlink()
    queue = await SqliteQueue.open(path)
    try:
        job = await queue.claim("w", 30)
        assert job.spec.delivery_id == "kept" and job.spec.payload == big(3)
        stats = await queue.stats()
        assert (stats.dead, stats.running) == (1, 1)
    finally:
        await queue.close()
    with sqlite3.connect(path) as db:
        (error,) = db.execute("SELECT last_error FROM jobs WHERE state = 'dead'").fetchone()
    assert error.startswith("payload unreadable") and lost_segment in error


async def test_full_mode_acknowledges_only_after_an_fdatasync_shared_by_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    synced: list[int] = []  # the segment's size at each fdatasync
    real = os.fdatasync

    def spy(fd: int) -> None:
        real(fd)
        synced.append(os.fstat(fd).st_size)

    monkeypatch.setattr(os, "fdatasync", spy)
    path = tmp_path / "jobs.sqlite3"
    queue = await SqliteQueue.open(path, synchronous="FULL")
    try:
        assert await queue.enqueue(spec("one")) is True
        (name,) = journal.segment_names(queue.journal_dir)
        assert synced and synced[-1] >= (queue.journal_dir / name).stat().st_size
        before = len(synced)
        results = await asyncio.gather(*(queue.enqueue(spec(f"b{n}", n)) for n in range(30)))
        assert all(results)
        assert 1 <= len(synced) - before < 30  # grouped
        assert synced[-1] >= (queue.journal_dir / name).stat().st_size
    finally:
        await queue.close()
    queue = await SqliteQueue.open(path)
    try:
        assert len(await drain(queue)) == 31
    finally:
        await queue.close()


async def test_a_store_from_before_the_journal_gains_it_and_keeps_its_inline_jobs(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # the table as it was, with one job stored inline
        db.execute(
            "CREATE TABLE jobs (id INTEGER PRIMARY KEY, delivery_id TEXT NOT NULL UNIQUE,"
            " event TEXT NOT NULL, action TEXT, installation_id INTEGER, repo TEXT,"
            " number INTEGER, sha TEXT, serial_key TEXT, payload BLOB NOT NULL,"
            " state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,"
            " run_at REAL NOT NULL, lease_until REAL, worker TEXT, handlers TEXT,"
            " last_error TEXT, created_at REAL NOT NULL, finished_at REAL)"
        )
        db.execute(
            "INSERT INTO jobs (delivery_id, event, payload, run_at, created_at)"
            " VALUES ('inline', 'push', ?, 0, 0)", (big(9),),
        )
    queue = await SqliteQueue.open(path)
    try:
        await queue.enqueue(spec("journaled", 10))
        assert await drain(queue) == {"inline": big(9), "journaled": big(10)}
    finally:
        await queue.close()


async def test_rotated_segments_are_sealed_and_unlocked_once_indexed_and_then_collected(
    tmp_path: Path,
):
    from ghbot.jobs.journal import JournalWriter

    path = tmp_path / "jobs.sqlite3"
    queue = await SqliteQueue.open(path)
    queue._journal = JournalWriter(queue.journal_dir, segment_bytes=40_000)  # 2 jobs a segment
    try:
        for n in range(7):
            await queue.enqueue(spec(f"r{n}", n))
        await queue.stats()
        names = journal.segment_names(queue.journal_dir)
        assert len(names) == 4
        assert [sealed for _, _, sealed in segment_rows(path)] == [1, 1, 1, 0]
        for name in names[:3]:  # unlocked: the owner is done with them
            fd = journal.try_lock(queue.journal_dir / name)
            assert fd is not None
            os.close(fd)
        assert journal.try_lock(queue.journal_dir / names[3]) is None
        assert await drain(queue) == {f"r{n}": big(n) for n in range(7)}
        assert await queue.collect_garbage() == 3
        assert journal.segment_names(queue.journal_dir) == names[3:]
    finally:
        await queue.close()


async def test_enqueues_of_one_loop_pass_share_one_write_and_dedupe_among_themselves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    queue = await SqliteQueue.open(tmp_path / "jobs.sqlite3")
    try:
        assert await queue.enqueue(spec("old", 1))
        await queue.stats()  # its row is written: found by the lookup, not the in-memory set
        writes = []
        real = os.pwritev

        def counting(fd, buffers, offset):
            writes.append(len(buffers))
            return real(fd, buffers, offset)

        monkeypatch.setattr(os, "pwritev", counting)
        deliveries = ["a", "b", "a", "old", "c"]
        results = await asyncio.gather(*(queue.enqueue(spec(d, n))
                                         for n, d in enumerate(deliveries)))
        assert results == [True, True, False, False, True]
        assert writes == [6]  # a, b and c: header + meta and payload each, in one call
        monkeypatch.undo()
        assert await drain(queue) == {"old": big(1), "a": big(0), "b": big(1), "c": big(4)}
    finally:
        await queue.close()


async def test_a_failed_journal_write_fails_its_whole_batch_and_stores_none_of_it(
    tmp_path: Path,
):
    from ghbot.jobs.journal import JournalWriter

    queue = await SqliteQueue.open(tmp_path / "jobs.sqlite3")
    working = queue._journal
    (tmp_path / "not-a-directory").write_text("")
    queue._journal = JournalWriter(tmp_path / "not-a-directory")  # every segment fails to open
    try:
        results = await asyncio.gather(*(queue.enqueue(spec(f"x{n}", n)) for n in range(3)),
                                       return_exceptions=True)
        assert all(isinstance(r, OSError) for r in results), results
        assert (await queue.stats()).pending == 0
        queue._journal = working
        # Nothing was taken for stored: GitHub's redelivery is accepted as new.
        assert await queue.enqueue(spec("x1", 1)) is True
        assert await drain(queue) == {"x1": big(1)}
    finally:
        queue._journal = working
        await queue.close()
