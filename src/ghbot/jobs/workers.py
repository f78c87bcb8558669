"""Bounded in-process workers: claim, run with a renewed lease, then complete, retry or bury.

Each worker is an asyncio task. A job's lease is renewed while it runs. A lease that lapses while
its process lives (a stall) lets the job run again, and the stalled run stops as soon as its
heartbeat finds the lease gone; a job whose process crashed under it is dead-lettered by the
next pool that looks, never run again: it may be what killed the process. A process killed from
outside (kill -9, the OOM killer) leaves its jobs to run again, attempts
counted, where the processes keep crash records (`PoolConfig.crash_records`). Every dead-lettered
job is handed to `on_dead`, which concludes what it left open (its check run). On stop, workers
claim nothing more; running jobs get a grace period, then are cancelled and handed back to the
store unfinished (their attempt not counted).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from ghbot import logs, metrics
from ghbot.github import fence
from ghbot.jobs import liveness
from ghbot.jobs.models import Job, JobOutcome
from ghbot.jobs.queue import JobQueue

log = logging.getLogger("ghbot.jobs")

Runner = Callable[[Job], Awaitable[JobOutcome]]
# Called once a job is dead-lettered, with why; must not raise for long (it is logged).
DeadReporter = Callable[[Job, str], Awaitable[None]]

_REPORT_SECONDS = 60.0  # concluding a dead job's check run: a few GitHub calls
# Finished jobs are kept this long so a re-delivery (GitHub allows it for 3 days) is recognised.
KEEP_DONE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class PoolConfig:
    concurrency: int = 4
    lease: float = 30.0
    max_attempts: int = 5
    retry_base: float = 2.0
    retry_max: float = 600.0
    poll: float = 0.5  # how often an idle worker looks for jobs other processes enqueued
    # Where this process keeps its crash record and reads other processes' (liveness.py); None:
    # every job whose process died is taken for a job that killed it.
    crash_records: Path | None = None


def backoff(attempt: int, base: float, cap: float) -> float:
    """Exponential with equal jitter: half fixed, half random, so retries spread out."""
    delay = min(cap, math.ldexp(base, min(attempt - 1, 32)))  # base * 2 ** (attempt - 1)
    return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 (not cryptographic)


class WorkerPool:
    def __init__(
        self, queue: JobQueue, run: Runner, config: PoolConfig, on_dead: DeadReporter | None = None
    ) -> None:
        self.queue = queue
        self.run = run
        self.config = config
        self.on_dead = on_dead
        self.name = liveness.new_name()
        self._wake = asyncio.Event()
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []
        self._running: dict[asyncio.Task[None], Job] = {}

    @property
    def ready(self) -> bool:
        return bool(self._tasks) and not self._stopping and all(not t.done() for t in self._tasks)

    async def start(self) -> None:
        if self.config.crash_records is not None:
            liveness.record_crashes(self.config.crash_records)
        await self._bury_orphans()
        recovered = await self.queue.recover_expired()
        if recovered:
            log.info("recovered %d jobs whose worker died", recovered)
        for index in range(self.config.concurrency):
            self._tasks.append(asyncio.create_task(self._work(index), name=f"worker-{index}"))
        self._tasks.append(asyncio.create_task(self._housekeeping(), name="housekeeping"))

    def wake(self) -> None:
        """A job was just enqueued in this process: look now rather than at the next poll."""
        self._wake.set()

    async def stop(self, grace: float) -> None:
        self._stopping = True
        self._wake.set()
        workers = [t for t in self._tasks if t.get_name() != "housekeeping"]
        for task in self._tasks:
            if task.get_name() == "housekeeping":
                task.cancel()
        _, late = await asyncio.wait(workers, timeout=grace) if workers else (set(), set())
        for task in late:
            task.cancel()  # `_execute` hands its job back to the store
        await asyncio.gather(*self._tasks, return_exceptions=True)
        liveness.retire(self.name)
        if late:
            log.warning("shutdown: %d running jobs left in the store for later", len(late))

    async def _work(self, index: int) -> None:
        worker = f"{self.name}/{index}"
        while not self._stopping:
            try:
                job = await self.queue.claim(worker, self.config.lease)
            except Exception:
                log.exception("claim failed; retrying")
                job = None
                await asyncio.sleep(self.config.poll)
            if job is None:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.config.poll)
                continue
            # Another worker may be idle while this one runs: let it look too.
            self._wake.set()
            await self._execute(job)

    async def _execute(self, job: Job) -> None:
        spec = job.spec
        with logs.delivery(spec.delivery_id):
            started = time.perf_counter()
            if job.attempts > self.config.max_attempts:
                # Claimed again after its worker died mid-run each time: a poison job.
                poison = JobOutcome(ok=False, error="its worker died while running it", retry=False)
                await self._settle(job, poison, time.perf_counter() - started)
                return
            renewed = [time.monotonic()]  # when the last renewal that succeeded was sent
            runner = asyncio.ensure_future(self._fenced(job, renewed))
            heartbeat = asyncio.create_task(self._heartbeat(job, runner, renewed))
            try:
                outcome = await runner  # a cancellation of this task cancels the runner too
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if current is not None and current.cancelling():  # stop(): hand it back
                    await self.queue.release(job.id, job.worker)
                    log.warning("job %d handed back unfinished", job.id)
                    raise
                return  # its lease was lost (the heartbeat said so): it runs again elsewhere
            except Exception as exc:  # the runner itself broke: treat as a failed attempt
                log.exception("job %d runner failed", job.id)
                outcome = JobOutcome(ok=False, error=f"{type(exc).__name__}: {exc}")
            finally:
                heartbeat.cancel()
            await self._settle(job, outcome, time.perf_counter() - started)

    async def _settle(self, job: Job, outcome: JobOutcome, seconds: float) -> None:
        event = job.spec.event
        fields = {"job": job.id, "event": event, "attempt": job.attempts}
        try:
            if outcome.ok:
                await self.queue.complete(job.id, job.worker)
                metrics.job_finished(event, "ok", seconds)
                log.info("job done", extra={"fields": {**fields, "seconds": round(seconds, 4)}})
            elif outcome.retry and job.attempts < self.config.max_attempts:
                delay = backoff(job.attempts, self.config.retry_base, self.config.retry_max)
                handlers = outcome.failed_handlers or job.handlers
                await self.queue.retry(job.id, job.worker, delay, outcome.error or "", handlers)
                metrics.job_finished(event, "retry", seconds)
                log.warning(
                    "job failed; retrying",
                    extra={"fields": {**fields, "delay": round(delay, 2), "error": outcome.error}},
                )
            else:
                await self.queue.bury(job.id, job.worker, outcome.error or "")
                metrics.job_finished(event, "dead", seconds)
                await self._dead(job, outcome.error or "it failed")
        except Exception:
            # The store is unreachable: the lease lapses and the job runs again; nothing is lost.
            log.exception("could not record the outcome of job %d", job.id)

    async def _fenced(self, job: Job, renewed: list[float]) -> JobOutcome:
        """The run, writing to GitHub only while this process can show a live lease: a tenth
        of it is kept as margin for the store's clock and the renewal's round trip."""
        margin = self.config.lease * 0.9
        with fence.holding(lambda: time.monotonic() - renewed[0] < margin):
            return await self.run(job)

    async def _heartbeat(
        self, job: Job, runner: asyncio.Future[JobOutcome], renewed: list[float]
    ) -> None:
        """Renews the job's lease while it runs. A lease found lost (this process stalled past
        it, or the store forgot it) belongs to whoever claims the job next: the run stops at
        once rather than work beside that one, with its serial keys no longer held."""
        while True:
            await asyncio.sleep(self.config.lease / 3)
            sent = time.monotonic()
            try:
                if not await self.queue.heartbeat(job.id, job.worker, self.config.lease):
                    log.warning("job %d: lease lost; stopped, it runs again", job.id)
                    runner.cancel()
                    return
                renewed[0] = sent
            except Exception:
                log.exception("job %d: heartbeat failed", job.id)

    async def _bury_orphans(self) -> None:
        records = self.config.crash_records
        for job in await self.queue.bury_orphans(lambda worker: liveness.crashed(worker, records)):
            await self._dead(job, "its worker process died while running it")

    async def _dead(self, job: Job, error: str) -> None:
        """A job is dead-lettered: count it, say so, conclude what it left open."""
        metrics.dead_lettered(job.spec.event)
        fields = {"job": job.id, "event": job.spec.event, "attempt": job.attempts, "error": error}
        log.error("job dead-lettered", extra={"fields": fields})
        if self.on_dead is None:
            return
        try:
            # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation that
            # arrives as the report completes, and then stop() waits forever for housekeeping
            async with asyncio.timeout(_REPORT_SECONDS):
                await self.on_dead(job, error)
        except Exception:  # the job stays dead-lettered; only the report is lost
            log.exception("job %d: its failure could not be reported", job.id)

    async def _housekeeping(self) -> None:
        while not self._stopping:  # stop() also cancels it: either ends the loop
            await asyncio.sleep(max(self.config.lease / 2, 0.2))
            try:
                await self._bury_orphans()
                if recovered := await self.queue.recover_expired():
                    log.info("recovered %d jobs whose lease lapsed", recovered)
                    self._wake.set()
                await self.queue.prune(KEEP_DONE_SECONDS)
            except Exception:
                log.exception("housekeeping failed")
