"""The command audit trail on the Redis the job queue is on, so every server and worker host
writes to, and `hephaestus commands --audit` reads from, one trail.

Records are entries of the stream `hephaestus:audit` (one JSON field each), capped at about
`KEEP` entries. Calls are blocking: `ghbot.commands.audit` makes them from a thread.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import redis

from ghbot.jobs.audit import AuditRecord
from ghbot.jobs.urls import without_password

KEEP = 100_000
_SCAN = 10_000  # newest entries a filtered query reads at most


class RedisAuditLog:
    def __init__(self, url: str, *, prefix: str = "hephaestus:") -> None:
        self._url = url
        self._r = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
        self._key = prefix + "audit"

    def __repr__(self) -> str:
        return f"RedisAuditLog({without_password(self._url)})"

    def append(self, record: AuditRecord) -> None:
        entry = json.dumps(asdict(record), sort_keys=True)
        self._r.xadd(self._key, {"record": entry}, maxlen=KEEP, approximate=True)

    def query(self, *, repo: str | None = None, limit: int = 100) -> list[AuditRecord]:
        """The newest records first, optionally of one repository."""
        wanted = max(1, min(limit, 10_000))
        found: list[AuditRecord] = []
        entries = self._r.xrevrange(self._key, count=_SCAN if repo else wanted) or []
        for _, fields in entries:
            raw = (fields or {}).get(b"record")
            if not isinstance(raw, bytes):
                continue  # not an entry of ours
            record = AuditRecord(**json.loads(raw))
            if repo is None or record.repo == repo:
                found.append(record)
            if len(found) == wanted:
                break
        return found

    def close(self) -> None:
        self._r.close()
