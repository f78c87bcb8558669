"""`hephaestus jobs` lists pending, running and dead jobs and retries a dead one, on either
backend, as a real process."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from ghbot.jobs.backends import open_queue
from ghbot.jobs.models import JobSpec


def jobs(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ghbot", "jobs", *args],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


async def fill(url: str) -> int:
    """Two pending, one running, one dead job; the dead one's id."""
    queue = await open_queue(url)
    try:
        for delivery in ("run-me", "dead-me", "wait-1", "wait-2"):
            keys = ("o/r#1",) if delivery.startswith("wait") else ()
            await queue.enqueue(JobSpec(delivery, "push", b"{}", repo="o/r", serial_keys=keys))
        await queue.claim("host:1.2:ab/0", 30)
        dead = await queue.claim("host:1.2:ab/0", 30)
        assert dead is not None
        await queue.bury(dead.id, dead.worker, "KeyError: 'head'\nTraceback ...")
        return dead.id
    finally:
        await queue.close()


async def test_lists_every_state_and_retries_a_dead_job(backend_url: str):
    dead_id = await fill(backend_url)
    listed = await asyncio.to_thread(jobs, "--queue", backend_url)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert [line.split()[1] for line in lines] == ["pending", "pending", "running", "dead"]
    assert "o/r#1" in lines[0] and "worker=host:1.2:ab/0" in lines[2]
    assert lines[3].endswith("KeyError: 'head'")  # the reason's first line
    as_json = await asyncio.to_thread(jobs, "--queue", backend_url, "--state", "dead", "--json")
    [dead] = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert (dead["id"], dead["delivery_id"], dead["state"]) == (dead_id, "dead-me", "dead")

    retried = await asyncio.to_thread(jobs, "--queue", backend_url, "--retry", str(dead_id))
    assert retried.returncode == 0 and f"job {dead_id} is pending again" in retried.stdout
    again = await asyncio.to_thread(jobs, "--queue", backend_url, "--retry", str(dead_id))
    assert again.returncode == 1 and "not a dead job" in again.stderr
    queue = await open_queue(backend_url)
    try:
        await queue.claim("w", 30)  # wait-1: the revived job joined the end of the line
        job = await queue.claim("w", 30)  # (wait-2 waits for wait-1's key)
        assert job is not None and job.spec.delivery_id == "dead-me" and job.attempts == 1
    finally:
        await queue.close()


def test_a_missing_store_or_a_bad_url_is_one_sentence_and_exit_2(tmp_path: Path):
    for args, said in [(("--data-dir", str(tmp_path / "none")), "no job store at"),
                       (("--queue", "mysql://x"), "HEPHAESTUS_QUEUE_URL"),
                       (("--queue", "redis://:hunter2@127.0.0.1:1/0"),
                        "cannot reach Redis at redis://127.0.0.1:1/0")]:  # fmt: skip
        result = jobs(*args)
        assert result.returncode == 2 and said in result.stderr, result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert "hunter2" not in result.stderr  # a password in the URL is never shown
    assert not (tmp_path / "none").exists()
