"""The queue interface every backend implements (SQLite, embedded; Redis Streams, shared).

Semantics a backend must keep:
- `enqueue` is idempotent on the delivery id: the second time it returns False and stores nothing.
  Once it returns True the job survives the process being killed; the payload is JSON text.
  A spec the backend could not index (an integer over 64 bits, say) raises `Unstorable` before
  anything is stored: one such delivery must never hold back the others.
- Reads (`claim`, `stats`) see every job this process's `enqueue` already accepted.
- `claim` hands out the oldest ready job none of whose serial keys a running job holds under a
  live lease, and leases it to `worker`; a lease lapses unless renewed by `heartbeat`.
- `complete`, `retry`, `bury`, `release` and `heartbeat` act only if `worker` still holds the
  lease (a worker that lost it must not overwrite its successor's work).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from ghbot.jobs.models import Job, JobInfo, JobSpec, QueueStats


class Unstorable(ValueError):
    """The spec holds a value the store cannot keep; the message names the field."""


class QueueUnavailable(Exception):
    """The store cannot be opened or reached: one sentence for the operator."""


class JobQueue(Protocol):
    backend: str  # "sqlite" or "redis", for /readyz and logs

    async def enqueue(self, spec: JobSpec) -> bool:
        """Store the job durably; False if this delivery id was already stored. Raises
        `Unstorable` for a spec the store could not index."""
        ...

    async def claim(self, worker: str, lease: float) -> Job | None: ...

    async def heartbeat(self, job_id: int, worker: str, lease: float) -> bool: ...

    async def complete(self, job_id: int, worker: str) -> None: ...

    async def retry(
        self, job_id: int, worker: str, delay: float, error: str, handlers: Sequence[str] | None
    ) -> None:
        """Back to pending after `delay` seconds, to re-run `handlers` only (None: all)."""
        ...

    async def bury(self, job_id: int, worker: str, error: str) -> None:
        """Dead-letter: kept for inspection, never claimed again."""
        ...

    async def release(self, job_id: int, worker: str) -> None:
        """Give a job back unfinished (shutdown): pending again, the attempt not counted."""
        ...

    async def bury_orphans(self, died: Callable[[str], bool]) -> list[Job]:
        """Dead-letter the running jobs whose lease lapsed and whose worker `died(worker)` (its
        process is gone: the job may be what killed it, so it is not run again); returns them."""
        ...

    async def recover_expired(self) -> int:
        """Return jobs whose lease lapsed (their worker died) to pending; how many."""
        ...

    async def prune(self, older_than: float) -> int:
        """Forget finished jobs older than this many seconds (dead ones are kept)."""
        ...

    async def stats(self) -> QueueStats: ...

    async def jobs(self, state: str, limit: int) -> list[JobInfo]:
        """Up to `limit` jobs in `state` (pending and running oldest first, others newest first)."""
        ...

    async def revive(self, job_id: int) -> bool:
        """A dead job back to pending, attempts from zero; False if `job_id` is not dead."""
        ...

    async def close(self) -> None: ...
