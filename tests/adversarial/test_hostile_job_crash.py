"""A job that kills its worker process is not run again (it would kill the next one too), and no
dead job leaves its check run "in progress": it is concluded, with what to do."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

from handlers.conftest import bot  # noqa: F401 - the deployed bot, aimed at the sandbox
from sandbox.webhooks import pull_request_payload

from ghbot.jobs.models import Job, JobOutcome, JobSpec
from ghbot.jobs.sqlite import SqliteQueue
from ghbot.jobs.workers import PoolConfig, WorkerPool

# A worker process whose job segfaults it, as LibCST did inside `serve`.
CRASHING_WORKER = """
import asyncio, os, signal, sys
from pathlib import Path
from ghbot.jobs.sqlite import SqliteQueue
from ghbot.jobs.workers import PoolConfig, WorkerPool

async def main():
    queue = await SqliteQueue.open(Path(sys.argv[1]))
    async def run(job):
        os.kill(os.getpid(), signal.SIGSEGV)
    await WorkerPool(queue, run, PoolConfig(concurrency=1, lease=0.5, poll=0.02)).start()
    await asyncio.sleep(60)

asyncio.run(main())
"""


async def test_a_job_that_killed_its_worker_is_dead_lettered_not_run_again(tmp_path: Path):
    store = tmp_path / "jobs.sqlite3"
    queue = await SqliteQueue.open(store)
    await queue.enqueue(JobSpec(delivery_id="bomb", event="pull_request", payload=b"{}"))
    await queue.close()
    crashed = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", CRASHING_WORKER, str(store)], timeout=60, check=False
    )
    assert crashed.returncode == -11

    ran: list[Job] = []
    reported: list[tuple[Job, str]] = []

    async def run(job: Job) -> JobOutcome:
        ran.append(job)
        return JobOutcome(ok=True)

    async def on_dead(job: Job, why: str) -> None:
        reported.append((job, why))

    queue = await SqliteQueue.open(store)
    pool = WorkerPool(queue, run, PoolConfig(concurrency=2, lease=0.5, poll=0.02), on_dead)
    await pool.start()
    try:
        async with asyncio.timeout(10):
            while (await queue.stats()).dead != 1:
                await asyncio.sleep(0.02)
    finally:
        await pool.stop(1)
        await queue.close()
    assert ran == []  # never claimed again
    [(job, why)] = reported
    assert job.spec.delivery_id == "bomb" and job.attempts == 1
    assert why == "its worker process died while running it"


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
