"""Which queue backend a URL names, and opening it: `sqlite:///path` (embedded, the default
under the data dir) or `redis://host:port/db`, `rediss://` (TLS), `unix:///socket` (shared)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Literal

from ghbot.jobs.queue import JobQueue, QueueUnavailable
from ghbot.jobs.redis_streams import RedisQueue
from ghbot.jobs.sqlite import SqliteQueue

SCHEMES = ("sqlite://", "redis://", "rediss://", "unix://")


def check_url(url: str) -> str:
    """`url` if it names a backend; else ValueError saying which forms are understood."""
    if not url.startswith(SCHEMES) or url in SCHEMES:
        raise ValueError(
            "must be sqlite:///PATH, redis://HOST:PORT/DB, rediss://HOST:PORT/DB or "
            "unix:///PATH/TO/SOCKET"
        )
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite://` URL (`sqlite:///abs` or `sqlite://relative`); None otherwise."""
    return Path(url.removeprefix("sqlite://")) if url.startswith("sqlite://") else None


async def open_queue(
    url: str, *, synchronous: Literal["FULL", "NORMAL"] = "NORMAL"
) -> JobQueue:
    """The queue `url` names, open; QueueUnavailable (one sentence) when it cannot be."""
    path = sqlite_path(check_url(url))
    if path is None:
        return await RedisQueue.open(url)
    try:
        return await SqliteQueue.open(path, synchronous=synchronous)
    except (OSError, sqlite3.Error) as exc:
        raise QueueUnavailable(f"cannot open the job store {path}: {exc}") from None
