"""Opening the queue backend a URL names (ghbot.jobs.urls)."""

from __future__ import annotations

import sqlite3
from typing import Literal

from ghbot.jobs.queue import JobQueue, QueueUnavailable
from ghbot.jobs.redis_streams import RedisQueue
from ghbot.jobs.sqlite import SqliteQueue
from ghbot.jobs.urls import check_url, sqlite_path


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
