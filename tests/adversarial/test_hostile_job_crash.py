"""A job that kills its worker process is not run again (it would kill the next one too), and no
dead job leaves its check run "in progress": it is concluded, with what to do."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from handlers.conftest import bot  # noqa: F401 - the deployed bot, aimed at the sandbox
from sandbox.webhooks import pull_request_payload

from ghbot.jobs.models import Job, JobOutcome, JobSpec
from ghbot.jobs.sqlite import SqliteQueue
from ghbot.jobs.workers import PoolConfig, WorkerPool

# A worker process whose job ends it with a signal: SIGSEGV as LibCST did inside `serve`, or
# SIGKILL from outside (kill -9, the OOM killer). argv: store, signal, crash records dir or "".
DYING_WORKER = """
import asyncio, os, signal, sys
from pathlib import Path
from ghbot.jobs.sqlite import SqliteQueue
from ghbot.jobs.workers import PoolConfig, WorkerPool

async def main():
    queue = await SqliteQueue.open(Path(sys.argv[1]))
    async def run(job):
        os.kill(os.getpid(), int(sys.argv[2]))
    records = Path(sys.argv[3]) if sys.argv[3] else None
    config = PoolConfig(concurrency=1, lease=0.5, poll=0.02, crash_records=records)
    await WorkerPool(queue, run, config).start()
    await asyncio.sleep(60)

asyncio.run(main())
"""


async def _after_death(
    store: Path, records: Path | None
) -> tuple[list[Job], list[tuple[Job, str]]]:
    """What a fresh pool on `store` does with the job a dead worker left: (ran, dead-lettered)."""
    ran: list[Job] = []
    reported: list[tuple[Job, str]] = []

    async def run(job: Job) -> JobOutcome:
        ran.append(job)
        return JobOutcome(ok=True)

    async def on_dead(job: Job, why: str) -> None:
        reported.append((job, why))

    queue = await SqliteQueue.open(store)
    config = PoolConfig(concurrency=2, lease=0.5, poll=0.02, crash_records=records)
    pool = WorkerPool(queue, run, config, on_dead)
    await pool.start()
    try:
        async with asyncio.timeout(10):
            while not ran and not reported:
                await asyncio.sleep(0.02)
    finally:
        await pool.stop(1)
        await queue.close()
    return ran, reported


async def _killed_worker(tmp_path: Path, signum: int, records: Path | None) -> Path:
    store = tmp_path / "jobs.sqlite3"
    queue = await SqliteQueue.open(store)
    await queue.enqueue(JobSpec(delivery_id="bomb", event="pull_request", payload=b"{}"))
    await queue.close()
    died = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", DYING_WORKER, str(store), str(signum), str(records or "")],
        timeout=60, check=False,
    )  # fmt: skip
    assert died.returncode == -signum
    return store


@pytest.mark.parametrize("keeps_records", [True, False], ids=["crash-record", "no-record"])
async def test_a_job_that_killed_its_worker_is_dead_lettered_not_run_again(
    tmp_path: Path, keeps_records: bool
):
    records = tmp_path / "crashes" if keeps_records else None
    store = await _killed_worker(tmp_path, signal.SIGSEGV, records)
    if records is not None:
        [record] = records.iterdir()
        assert "Fatal Python error" in record.read_text()  # faulthandler's, on the way down
    ran, reported = await _after_death(store, records)
    assert ran == []  # never claimed again
    [(job, why)] = reported
    assert job.spec.delivery_id == "bomb" and job.attempts == 1
    assert why == "its worker process died while running it"


async def test_a_worker_killed_from_outside_leaves_its_job_to_run_again(tmp_path: Path):
    """kill -9 or the OOM killer is no sign the job is poison: its crash record stays empty."""
    records = tmp_path / "crashes"
    store = await _killed_worker(tmp_path, signal.SIGKILL, records)
    ran, reported = await _after_death(store, records)
    assert reported == []
    [job] = ran
    assert job.spec.delivery_id == "bomb" and job.attempts == 2


async def test_a_lapsed_lease_of_a_live_worker_still_runs_again(tmp_path: Path):
    """A stall is not a crash: the job goes back to the queue, as before."""
    queue = await SqliteQueue.open(tmp_path / "jobs.sqlite3")
    ran: list[str] = []

    async def run(job: Job) -> JobOutcome:
        ran.append(job.spec.delivery_id)
        return JobOutcome(ok=True)

    first = WorkerPool(queue, run, PoolConfig(concurrency=1, lease=0.3, poll=0.02))
    await queue.enqueue(JobSpec(delivery_id="slow", event="push", payload=b"{}"))
    claimed = await queue.claim(f"{first.name}/0", 0.3)  # this process lives; its pool too
    assert claimed is not None
    await asyncio.sleep(0.4)
    await first.start()
    try:
        async with asyncio.timeout(10):
            while ran != ["slow"]:
                await asyncio.sleep(0.02)
    finally:
        await first.stop(1)
        await queue.close()


async def test_a_job_that_dies_concludes_its_check_run_with_what_to_do(sandbox, bot):  # noqa: F811
    sandbox.create_repo("octo/app", files={"README.md": "# app\n"})
    sandbox.create_installation("octo", ["octo/app"])
    head = sandbox.commit("octo/app", "feature", {"app.py": "x = 1\n"})
    number = sandbox.create_pull("octo/app", head="feature").number
    # Every attempt fails after the check run is started: the job is dead-lettered at the last.
    sandbox.inject("GET", "/repos/octo/app/pulls/*/files", status=404, times=None)
    status, delivery = await bot.deliver(
        "pull_request", pull_request_payload(sandbox, "octo/app", number)
    )
    assert status == 202
    await bot.settle(timeout=60)
    assert (await bot.queue.stats()).dead == 1
    deadline = time.monotonic() + 20
    while (runs := sandbox.check_runs("octo/app", head)) and runs[0].status != "completed":
        assert time.monotonic() < deadline, "the check run was left in progress"
        await asyncio.sleep(0.05)
    [run] = runs
    assert (run.status, run.conclusion) == ("completed", "failure")
    assert run.output_title == "Analysis did not finish"
    assert "/hephaestus check" in run.output_summary and delivery in run.output_summary
