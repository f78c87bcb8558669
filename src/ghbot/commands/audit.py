"""The audit trail of commands that write: who asked what, where, and what came of it.

Every record is one structured log line (logger `ghbot.audit`), and, on the App server, also a
row in `audit.sqlite3` in the data directory, or an entry on the Redis the job queue is on
(ghbot.jobs.redis_audit), queryable with `hephaestus commands --audit`. The Action has no data
directory: its log lines are its record.
Denied and failed attempts are recorded too: they are what an audit is for.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import asdict
from pathlib import Path

from ghbot.jobs.audit import FILENAME, AuditLog, AuditRecord, AuditStore

log = logging.getLogger("ghbot.audit")
MAX_DETAIL = 1000

_store: AuditStore | None = None


def configure(data_dir: Path | None) -> None:
    """Keep records in `data_dir/audit.sqlite3` from now on (None: log lines only)."""
    global _store
    _store = AuditLog(data_dir / FILENAME) if data_dir is not None else None


def use(store: AuditStore | None) -> None:
    """Keep records in `store` from now on (None: log lines only)."""
    global _store
    _store = store


def store() -> AuditStore | None:
    return _store


async def record(entry: AuditRecord) -> AuditRecord:
    """Log the record and store it when a store is configured. A store that fails is logged,
    never raised: the command already happened, and the log line still holds the record."""
    detail = entry.detail.strip().splitlines()[0][:MAX_DETAIL] if entry.detail.strip() else ""
    entry = AuditRecord(**{**asdict(entry), "detail": detail, "at": time.time()})
    log.info("command audited", extra={"fields": asdict(entry)})
    target = _store
    if target is not None:
        try:
            await asyncio.to_thread(target.append, entry)
        except Exception:  # a broken file, an unreachable Redis: the log line keeps the record
            log.exception("audit record not stored in %r", target)
    return entry
