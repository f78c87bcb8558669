"""The values that cross the queue: ids and the payload, never a token."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class JobSpec:
    """What the webhook endpoint enqueues for one delivery."""

    delivery_id: str  # also the dedupe key: a re-delivery reuses it
    event: str
    payload: bytes = field(repr=False)  # the delivery's JSON text
    action: str | None = None
    installation_id: int | None = None
    repo: str | None = None
    number: int | None = None
    sha: str | None = None
    # Jobs sharing any key never run at the same time (ghbot.github.serial says which).
    serial_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed job: the spec plus its queue bookkeeping."""

    id: int
    spec: JobSpec
    attempts: int  # including the one now running
    worker: str
    # Handlers still to run; None means all that match. A retry re-runs only the ones that failed.
    handlers: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class JobOutcome:
    ok: bool
    failed_handlers: tuple[str, ...] = ()
    error: str | None = None
    retry: bool = True  # False: retrying cannot help (e.g. an unreadable payload)


@dataclass(frozen=True, slots=True)
class QueueStats:
    pending: int
    running: int
    dead: int
    done: int


STATES = ("pending", "running", "dead", "done")


@dataclass(frozen=True, slots=True)
class JobInfo:
    """One job as `hephaestus jobs` lists it (no payload)."""

    id: int
    delivery_id: str
    event: str
    action: str | None
    repo: str | None
    state: str  # one of STATES
    attempts: int
    serial_keys: tuple[str, ...]
    worker: str | None
    error: str | None
    created_at: float  # seconds since the epoch
