"""Where the command audit trail is kept: a SQLite table beside the job store (the Redis
backend keeps it in jobs/redis_audit.py). `ghbot.commands.audit` records into one of these.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

FILENAME = "audit.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS command_audit (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    delivery_id TEXT NOT NULL,
    repo TEXT NOT NULL,
    number INTEGER NOT NULL,
    comment_id INTEGER NOT NULL,
    caller TEXT NOT NULL,
    verb TEXT NOT NULL,
    args TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS command_audit_repo ON command_audit (repo, at);
"""
_COLUMNS = "at, delivery_id, repo, number, comment_id, caller, verb, args, outcome, detail"


@dataclass(frozen=True, slots=True)
class AuditRecord:
    delivery_id: str
    repo: str  # owner/name
    number: int
    comment_id: int
    caller: str
    verb: str
    args: str  # as written, space-joined
    outcome: str  # ok, denied, error
    detail: str  # the reply's first line or the reason
    at: float = 0.0  # set when recorded


class AuditLog:
    """A SQLite table of records; a short-lived connection per call keeps threads apart."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"AuditLog({self.path})"

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10.0)
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(_SCHEMA)
        return db

    def append(self, record: AuditRecord) -> None:
        db = self._connect()
        try:
            with db:
                values = asdict(record)
                db.execute(
                    f"INSERT INTO command_audit ({_COLUMNS}) VALUES "  # noqa: S608 - constant
                    "(:at, :delivery_id, :repo, :number, :comment_id, :caller, :verb, :args,"
                    " :outcome, :detail)",
                    values,
                )
        finally:
            db.close()

    def query(self, *, repo: str | None = None, limit: int = 100) -> list[AuditRecord]:
        """The newest records first, optionally of one repository."""
        db = self._connect()
        try:
            where, params = ("WHERE repo = ?", [repo]) if repo else ("", [])
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM command_audit {where} "  # noqa: S608 - constant
                "ORDER BY at DESC, id DESC LIMIT ?",
                [*params, max(1, min(limit, 10_000))],
            ).fetchall()
        finally:
            db.close()
        return [
            AuditRecord(
                at=r[0],
                delivery_id=r[1],
                repo=r[2],
                number=r[3],
                comment_id=r[4],
                caller=r[5],
                verb=r[6],
                args=r[7],
                outcome=r[8],
                detail=r[9],
            )
            for r in rows
        ]


class AuditStore(Protocol):
    """Where records are kept (`AuditLog` here, or on Redis); called from a thread."""

    def append(self, record: AuditRecord) -> None: ...

    def query(self, *, repo: str | None = None, limit: int = 100) -> list[AuditRecord]: ...
