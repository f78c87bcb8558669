"""The SQLite job store: payloads in an append-only journal, the jobs' rows in one WAL file.

An enqueue appends the payload (and the job's fields) to this process's journal segment and
returns; the enqueues of one pass of the event loop share one duplicate lookup and one write,
made on the loop itself. From then on a kill -9 cannot lose them (a power cut can,
unless synchronous=FULL, where the enqueue also waits for an fdatasync shared by every record
appended before it). The row, small since it only points at the record, is written afterwards by
the store's own thread, many jobs per transaction; every read (claim, stats) first waits for the
rows of the jobs this process already accepted. A row's `indexed_to` in `journal_segments` moves
in the same transaction as the rows it covers, so a record is indexed exactly once, by its writer
or, if that process died, by whichever process next recovers its segment (`open`,
`recover_expired`). Segments nothing points at any more are deleted; a dead-lettered job's
payload is copied into its row first.

Each process talks to the file through one connection owned by one thread, plus a read-only one
the event loop uses for the duplicate lookup. Checkpoints run on a third connection in
the background. Other processes (`hephaestus worker`) share the file; SQLite's locks and
`BEGIN IMMEDIATE` keep their claims apart.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from ghbot.jobs import journal
from ghbot.jobs.journal import JournalError, JournalWriter, Record, Ref
from ghbot.jobs.models import STATES, Job, JobInfo, JobSpec, QueueStats
from ghbot.jobs.queue import Unstorable

T = TypeVar("T")

log = logging.getLogger("ghbot.jobs")

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    delivery_id TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL,
    action TEXT,
    installation_id INTEGER,
    repo TEXT,
    number INTEGER,
    sha TEXT,
    serial_key TEXT,
    payload BLOB NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','running','done','dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    run_at REAL NOT NULL,
    lease_until REAL,
    worker TEXT,
    handlers TEXT,
    last_error TEXT,
    created_at REAL NOT NULL,
    finished_at REAL
);
CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (state, run_at, id);
DROP INDEX IF EXISTS jobs_serial;
CREATE TABLE IF NOT EXISTS journal_segments (
    name TEXT PRIMARY KEY,
    indexed_to INTEGER NOT NULL,
    sealed INTEGER NOT NULL DEFAULT 0
);
"""

# Where a journal-backed row's payload is (NULL once it is inline again, or no longer needed).
# Added by ALTER TABLE so stores created before the journal gain them.
_REF_COLUMNS = {"segment": "TEXT", "seg_offset": "INTEGER", "seg_length": "INTEGER"}
_REF_INDEX = "CREATE INDEX IF NOT EXISTS jobs_segment ON jobs (segment) WHERE segment IS NOT NULL"

# The columns `_job` reads, in its order (as `_CLAIM` returns them).
_JOB_COLUMNS = ("id, delivery_id, event, payload, action, installation_id, repo, number, sha,"
                " serial_key, attempts, worker, handlers, segment, seg_offset, seg_length")

# Claims the job `_pick` chose; `serial_key` holds the job's keys, one per line.
_CLAIM = f"""
UPDATE jobs SET state = 'running', attempts = attempts + 1, worker = :worker,
                lease_until = :now + :lease
WHERE id = :id AND state = 'pending'
RETURNING {_JOB_COLUMNS}
"""  # noqa: S608 - a constant column list

_LIST = ("SELECT id, delivery_id, event, action, repo, state, attempts, serial_key, worker,"
         " last_error, created_at FROM jobs WHERE state = ? ORDER BY id")  # fmt: skip

# The delivery id stays the dedupe key: a record indexed twice (never, barring bugs) or a
# delivery another process stored first adds nothing.
_INSERT = """
INSERT OR IGNORE INTO jobs (delivery_id, event, action, installation_id, repo, number, sha,
                            serial_key, payload, segment, seg_offset, seg_length, run_at,
                            created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, X'', ?, ?, ?, ?, ?)
"""

# A recovered record no worker could run: dead at once, its payload inline.
_INSERT_DEAD = """
INSERT OR IGNORE INTO jobs (delivery_id, event, action, installation_id, repo, number, sha,
                            serial_key, payload, state, last_error, run_at, created_at,
                            finished_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'dead', ?, ?, ?, ?)
"""

# Which of a batch's delivery ids (a JSON array) already have a row.
_STORED = "SELECT delivery_id FROM jobs WHERE delivery_id IN (SELECT value FROM json_each(?))"

_INDEXED = """
INSERT INTO journal_segments (name, indexed_to, sealed) VALUES (?, ?, ?)
ON CONFLICT (name) DO UPDATE SET indexed_to = max(indexed_to, excluded.indexed_to),
                                 sealed = max(sealed, excluded.sealed)
"""

# A background checkpoint after this many indexed jobs. Rows are small now (the payload is in the
# journal): 1024 of them are a few pages.
_CHECKPOINT_EVERY = 1024
# The writer's own checkpoint is only a backstop should the background ones fall behind (pages).
_BACKSTOP_CHECKPOINT_PAGES = 20_000

_PAGE_SIZE = 16384

# Under load (the last index transaction carried several jobs), the next one waits this long for
# more to join: fewer, larger transactions and thread hand-offs. A lone job is indexed at once.
_GATHER_SECONDS = 0.01
# After a failed index transaction (the records are safe in the journal), try again this late.
_RETRY_SECONDS = 0.5
# Deleting unreferenced segments: at most this often.
_GC_SECONDS = 5.0
# A claim that meets this many unreadable payloads in a row gives up until the next poll.
_MAX_UNREADABLE = 100

# Errors are stored for inspection; a bounded excerpt is enough.
_MAX_ERROR_CHARS = 4000

# A journal record's meta: the spec without its payload, plus the enqueue time.
_Meta = tuple[
    str, str, str | None, int | None, str | None, int | None, str | None, str | None, float
]
_meta_decoder = msgspec.json.Decoder(_Meta)
_meta_encoder = msgspec.json.Encoder()
# Recovery checks a payload is whole by parsing it as JSON (validated, nothing built).
_json_checker = msgspec.json.Decoder(msgspec.Raw)

# The row's columns of a spec, in the meta's order; which may hold an integer (SQLite: 64 bits).
_COLUMNS = ("delivery_id", "event", "action", "installation_id", "repo", "number", "sha",
            "serial_key")  # fmt: skip
_INTEGERS = frozenset({"installation_id", "number"})
_REQUIRED = frozenset({"delivery_id", "event"})
_INT64 = range(-(2**63), 2**63)


def _fields(spec: JobSpec) -> tuple[Any, ...]:
    return (spec.delivery_id, spec.event, spec.action, spec.installation_id, spec.repo,
            spec.number, spec.sha, join_keys(spec.serial_keys))  # fmt: skip


def join_keys(keys: Sequence[str]) -> str | None:
    """A job's serial keys as one text (no key holds a newline); None for none."""
    return "\n".join(keys) or None


def split_keys(text: str | None) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text else ()


def _unstorable(fields: Sequence[Any]) -> str | None:
    """Why a row with these column values could not be written (SQLite would raise), or None.
    Checked before a record enters the journal and again when one is recovered, so no record
    can stop the indexing of the others."""
    for name, value in zip(_COLUMNS, fields, strict=True):
        if (problem := _column_problem(name, value)) is not None:
            return problem
    return None


def _column_problem(name: str, value: Any) -> str | None:
    if value is None and name not in _REQUIRED:
        return None
    if name in _INTEGERS:
        if type(value) is not int or value not in _INT64:
            return f"{name} is not a 64-bit integer"
    elif type(value) is not str:
        return f"{name} is not text"
    return None


def _meta(spec: JobSpec, at: float) -> bytes:
    return _meta_encoder.encode((*_fields(spec), at))


@dataclass(frozen=True, slots=True)
class _Accepted:
    """A job in the journal whose row this process has yet to write."""

    seq: int
    spec: JobSpec
    ref: Ref
    at: float


class SqliteQueue:
    """`JobQueue` on a SQLite file and its journal. Create with `await SqliteQueue.open(path)`.

    The journal is the directory `<stem>.journal` beside the file (`jobs.journal` for
    `jobs.sqlite3`), so two stores in one directory never adopt each other's segments.
    """

    backend = "sqlite"

    def __init__(self, path: Path, *, synchronous: str = "NORMAL") -> None:
        if synchronous not in {"FULL", "NORMAL"}:
            raise ValueError("synchronous must be FULL or NORMAL")
        self.path = path
        self.journal_dir = path.parent / f"{path.stem}.journal"
        self._synchronous = synchronous
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-jobs")
        self._conn: sqlite3.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._journal: JournalWriter | None = None
        # Accepted jobs: waiting for the next index transaction, and all ids not yet in a row.
        self._accepted: list[_Accepted] = []
        self._unindexed: set[str] = set()
        # Enqueued since the loop last came round, not yet journaled (by delivery id, in order).
        self._arriving: dict[str, tuple[JobSpec, asyncio.Future[bool]]] = {}
        self._seq = 0  # of the last accepted job
        self._indexed_seq = 0  # every job up to this one has its row
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._closing = False
        self._syncer_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs-sync")
        self._sync_waiters: list[asyncio.Future[None]] = []
        self._syncer: asyncio.Task[None] | None = None
        self._checkpointer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-ckpt")
        self._checkpoint_conn: sqlite3.Connection | None = None
        self._checkpoint: asyncio.Future[None] | None = None
        self._since_checkpoint = 0
        self._last_gc = 0.0

    @classmethod
    async def open(cls, path: Path, *, synchronous: str = "NORMAL") -> SqliteQueue:
        queue = cls(path, synchronous=synchronous)
        await queue._call(queue._connect)
        await queue._call(queue._recover_journal)
        queue._reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        queue._reader.execute("PRAGMA query_only = 1")
        queue._reader.execute("PRAGMA busy_timeout = 1000")
        queue._journal = JournalWriter(queue.journal_dir, durable=synchronous == "FULL")
        return queue

    # -- plumbing ---------------------------------------------------------------------------

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn, *args)

    def _connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: every transaction below is explicit and short.
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 10000")
        # Before WAL, which fixes it: a new store gets 16 KiB pages (fewer, larger frames for the
        # payloads of buried jobs and of stores from before the journal). An existing store keeps
        # its page size.
        conn.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {self._synchronous}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {_BACKSTOP_CHECKPOINT_PAGES}")
        conn.executescript(SCHEMA)
        with _transaction(conn):  # another process may be migrating too
            have = {row[1] for row in conn.execute("PRAGMA table_info(jobs)")}
            for column, kind in _REF_COLUMNS.items():
                if column not in have:
                    conn.execute(f"ALTER TABLE jobs ADD COLUMN {column} {kind}")
            conn.execute(_REF_INDEX)
        self._conn = conn

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("the job store is closed")
        return self._conn

    def _write(self, sql: str, params: Any) -> tuple[int, list[Any]]:
        """One statement in its own short write transaction: (rows changed, rows returned)."""
        db = self._db
        with _transaction(db):
            cursor = db.execute(sql, params)
            rows = cursor.fetchall()  # RETURNING rows must be read before COMMIT
        return cursor.rowcount, rows

    # -- enqueue: journal now, row later -----------------------------------------------------

    async def enqueue(self, spec: JobSpec) -> bool:
        if self._journal is None or self._closing:
            raise RuntimeError("the job store is closed")
        problem = _unstorable(_fields(spec))
        if problem is not None:
            raise Unstorable(problem)
        if spec.delivery_id in self._unindexed:
            return False
        arriving = self._arriving.get(spec.delivery_id)
        if arriving is not None:  # twice in one batch: stored once, by the first
            await asyncio.shield(arriving[1])
            return False
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        if not self._arriving:
            loop.call_soon(self._write_arrivals)
        self._arriving[spec.delivery_id] = (spec, future)
        stored = await future
        if stored and self._synchronous == "FULL":
            await self._synced()
        return stored

    def _write_arrivals(self) -> None:
        """Journal the deliveries enqueued since the event loop last came round: one duplicate
        lookup and one write for them all. Under load the handlers of many requests run in one
        pass of the loop, and the batch spares each of them a query and a syscall."""
        if not self._arriving:
            return
        batch, self._arriving = list(self._arriving.values()), {}
        assert self._journal is not None and self._reader is not None
        try:
            ids = json.dumps([spec.delivery_id for spec, _ in batch])
            stored = {delivery for (delivery,) in self._reader.execute(_STORED, (ids,))}
            fresh = [spec for spec, _ in batch if spec.delivery_id not in stored]
            at = time.time()
            refs = self._journal.append([(_meta(spec, at), spec.payload) for spec in fresh])
        except Exception as exc:  # whatever it is, every waiting delivery gets its answer (503)
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for spec, ref in zip(fresh, refs, strict=True):
            self._seq += 1
            self._accepted.append(_Accepted(self._seq, spec, ref, at))
            self._unindexed.add(spec.delivery_id)
        for spec, future in batch:
            if not future.done():
                future.set_result(spec.delivery_id not in stored)
        if fresh and self._flusher is None:
            self._flusher = asyncio.create_task(self._flush())

    async def _flush(self) -> None:
        gather = False
        try:
            while self._accepted:
                if gather:  # under load: let a few more jobs join this transaction
                    await asyncio.sleep(_GATHER_SECONDS)
                batch, self._accepted = self._accepted, []
                gather = len(batch) > 1
                # Every record of a rotated-away segment is in this batch or an earlier one.
                assert self._journal is not None
                seal = self._journal.retired()
                try:
                    await self._call(self._index, batch, seal)
                except Exception as exc:
                    log.exception("indexing %d journal records failed", len(batch))
                    self._accepted[:0] = batch
                    self._wake_waiters(exc)
                    if self._closing:  # left in the journal: the next open indexes them
                        return
                    await asyncio.sleep(_RETRY_SECONDS)
                    continue
                for name, _ in seal:
                    self._journal.release(name)
                self._unindexed.difference_update(a.spec.delivery_id for a in batch)
                self._indexed_seq = batch[-1].seq
                self._wake_waiters(None)
                self._since_checkpoint += len(batch)
                if self._since_checkpoint >= _CHECKPOINT_EVERY and (
                    self._checkpoint is None or self._checkpoint.done()
                ):
                    self._since_checkpoint = 0
                    self._checkpoint = asyncio.get_running_loop().run_in_executor(
                        self._checkpointer, self._run_checkpoint
                    )
        finally:
            self._flusher = None

    def _index(self, batch: Sequence[_Accepted], seal: Sequence[tuple[str, int]]) -> None:
        """The rows of `batch`, and how far each segment is indexed, in one transaction."""
        db = self._db
        ends: dict[str, int] = {}
        for a in batch:
            ends[a.ref.segment] = a.ref.offset + a.ref.length
        with _transaction(db):
            db.executemany(_INSERT, (
                (*_fields(a.spec), a.ref.segment, a.ref.offset, a.ref.length, a.at, a.at)
                for a in batch
            ))  # fmt: skip
            for name, size in seal:
                db.execute(_INDEXED, (name, size, 1))
                ends.pop(name, None)
            for name, end in ends.items():
                db.execute(_INDEXED, (name, end, 0))
        self._maybe_collect()

    async def _caught_up(self) -> None:
        """Wait until every job this process accepted so far has its row (read your writes)."""
        if self._indexed_seq >= self._seq:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((self._seq, future))
        await future

    def _wake_waiters(self, error: Exception | None) -> None:
        keep = []
        for seq, future in self._waiters:
            if future.done():
                continue
            if error is not None:
                future.set_exception(error)
            elif seq <= self._indexed_seq:
                future.set_result(None)
            else:
                keep.append((seq, future))
        self._waiters = keep

    async def _synced(self) -> None:
        """synchronous=FULL: wait for an fdatasync begun after this job's record was written."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sync_waiters.append(future)
        if self._syncer is None:
            self._syncer = asyncio.create_task(self._sync())
        await future

    async def _sync(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._sync_waiters:
                waiters, self._sync_waiters = self._sync_waiters, []
                assert self._journal is not None and self._journal.live_fd is not None
                # A duplicate fd: rotation may close the segment's own one meanwhile (rotation
                # syncs the old segment first, so records there are covered either way).
                fd = os.dup(self._journal.live_fd)
                try:
                    await loop.run_in_executor(self._syncer_thread, _datasync_and_close, fd)
                except OSError as exc:
                    for future in waiters:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for future in waiters:
                    if not future.done():
                        future.set_result(None)
        finally:
            self._syncer = None

    def _run_checkpoint(self) -> None:
        """PASSIVE: copies what it can without taking the write lock, so indexing goes on."""
        try:
            if self._checkpoint_conn is None:
                self._checkpoint_conn = sqlite3.connect(
                    self.path, isolation_level=None, check_same_thread=False
                )
                self._checkpoint_conn.execute(f"PRAGMA synchronous = {self._synchronous}")
            self._checkpoint_conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:  # the backstop checkpoint still bounds the WAL
            log.exception("background checkpoint failed")

    # -- journal recovery and garbage collection (the store's thread) ------------------------

    def _recover_journal(self) -> int:
        """Index the records of segments whose writer died; how many jobs that added."""
        journal.remove_abandoned_partials(self.journal_dir)
        sealed = {
            name for (name,) in
            self._db.execute("SELECT name FROM journal_segments WHERE sealed = 1")
        }
        added = 0
        for name in journal.segment_names(self.journal_dir):
            if name in sealed:
                continue
            fd = journal.try_lock(self.journal_dir / name)
            if fd is None:  # a live process still writes it
                continue
            try:
                added += self._adopt(name)
            finally:
                os.close(fd)
        return added

    def _adopt(self, name: str) -> int:
        """Index what `name` holds past its `indexed_to`, then seal it. Its lock is held."""
        db = self._db
        row = db.execute(
            "SELECT indexed_to, sealed FROM journal_segments WHERE name = ?", (name,)
        ).fetchone()
        if row is not None and row[1]:
            return 0  # sealed by its owner or another recovery since we listed it
        start = 0 if row is None else row[0]
        found: list[tuple[_Meta, Record]] = []
        end = start
        too_deep = False

        def whole(payload: bytes) -> bool:
            # A torn tail does not parse; a payload too deep for the parser is whole, and buried.
            nonlocal too_deep
            too_deep = False
            try:
                _json_checker.decode(payload)
            except msgspec.DecodeError:
                return False
            except RecursionError:
                too_deep = True
            return True

        buried: list[tuple[_Meta, Record, str]] = []
        try:
            for record in journal.scan(self.journal_dir / name, start, whole):
                end = record.ref.offset + record.ref.length
                try:
                    meta = _meta_decoder.decode(record.meta)
                except msgspec.DecodeError as exc:  # checksummed, so not torn: skip this one
                    log.error("journal %s:%d: unreadable record skipped: %s",
                              name, record.ref.offset, exc)  # fmt: skip
                    continue
                problem = _unstorable(meta[:-1]) or (
                    "the payload is nested too deeply to parse" if too_deep else None
                )
                if problem is None:
                    found.append((meta, record))
                else:
                    buried.append((meta, record, problem))
        except FileNotFoundError:  # collected meanwhile: it was sealed after all
            return 0
        added = 0
        with _transaction(db):
            for meta, record in found:
                *fields, at = meta
                ref = record.ref
                cursor = db.execute(
                    _INSERT, (*fields, ref.segment, ref.offset, ref.length, at, at)
                )
                added += cursor.rowcount
            for meta, record, problem in buried:
                added += self._bury_record(meta, record.payload, problem)
            db.execute(_INDEXED, (name, end, 1))
        if found or buried:
            log.info("journal segment %s: recovered %d jobs", name, added)
        return added

    def _bury_record(self, meta: _Meta, payload: bytes, problem: str) -> int:
        """A recovered record no worker could run becomes a dead letter at once, its payload
        inline and its unusable columns empty; 1 if its row was added."""
        delivery_id, event, *_, at = meta
        if type(delivery_id) is not str or type(event) is not str:
            log.error("journal record without a delivery id skipped: %s", problem)
            return 0
        keep = [v if _column_problem(n, v) is None else None
                for n, v in zip(_COLUMNS, meta, strict=False)]  # fmt: skip
        log.error("delivery %s dead-lettered at recovery: %s", delivery_id, problem)
        cursor = self._db.execute(_INSERT_DEAD, (*keep, payload, _clip(problem), at, at, at))
        return cursor.rowcount

    def _maybe_collect(self) -> None:
        if time.monotonic() - self._last_gc >= _GC_SECONDS:
            try:
                self._collect()
            except (OSError, sqlite3.Error):
                log.exception("journal garbage collection failed")

    def _collect(self) -> int:
        """Delete sealed segments no row points at; how many."""
        self._last_gc = time.monotonic()
        db = self._db
        names = [name for (name,) in db.execute(
            "SELECT name FROM journal_segments s WHERE sealed = 1"
            " AND NOT EXISTS (SELECT 1 FROM jobs WHERE segment = s.name)"
        )]
        for name in names:
            # The file before its row: a row without a file is harmless, a file without its
            # row would be indexed again from the start.
            (self.journal_dir / name).unlink(missing_ok=True)
            db.execute("DELETE FROM journal_segments WHERE name = ? AND sealed = 1", (name,))
        return len(names)

    async def collect_garbage(self) -> int:
        """Delete the journal segments nothing needs any more, now; how many."""
        await self._caught_up()
        return await self._call(self._collect)

    # -- the worker side ---------------------------------------------------------------------

    async def claim(self, worker: str, lease: float) -> Job | None:
        await self._caught_up()
        return await self._call(self._claim, worker, lease)

    def _claim(self, worker: str, lease: float) -> Job | None:
        db = self._db
        for _ in range(_MAX_UNREADABLE):
            now = time.time()
            # Most polls find nothing: answer those from a read, without taking the write lock.
            due = db.execute(
                "SELECT 1 FROM jobs WHERE state = 'pending' AND run_at <= ? LIMIT 1", (now,)
            ).fetchone()
            if due is None:
                return None
            with _transaction(db):
                chosen = _pick(db, now)
                row = None if chosen is None else db.execute(
                    _CLAIM, {"worker": worker, "now": now, "lease": lease, "id": chosen}
                ).fetchone()  # RETURNING rows must be read before COMMIT
            if row is None:
                return None
            try:
                return self._job(row)
            except JournalError as exc:
                # Lost with its segment (deleted by hand, or a disk fault): no retry can help.
                log.error("job %d: payload unreadable, dead-lettered: %s", row[0], exc)
                self._write(
                    "UPDATE jobs SET state = 'dead', finished_at = ?, lease_until = NULL,"
                    " last_error = ?, segment = NULL, seg_offset = NULL, seg_length = NULL"
                    " WHERE id = ?",
                    (time.time(), _clip(f"payload unreadable: {exc}"), row[0]),
                )
        return None

    def _job(self, row: tuple[Any, ...]) -> Job:
        (job_id, delivery_id, event, payload, action, installation_id, repo, number, sha,
         serial_key, attempts, worker, handlers, segment, offset, length) = row
        if segment is not None:
            payload = journal.read(self.journal_dir, Ref(segment, offset, length))
        spec = JobSpec(
            delivery_id=delivery_id, event=event, payload=bytes(payload), action=action,
            installation_id=installation_id, repo=repo, number=number, sha=sha,
            serial_keys=split_keys(serial_key),
        )
        return Job(
            id=job_id, spec=spec, attempts=attempts, worker=worker,
            handlers=None if handlers is None else tuple(json.loads(handlers)),
        )

    async def heartbeat(self, job_id: int, worker: str, lease: float) -> bool:
        changed, _ = await self._call(
            self._write,
            "UPDATE jobs SET lease_until = ? WHERE id = ? AND worker = ? AND state = 'running'",
            (time.time() + lease, job_id, worker),
        )
        return changed == 1

    async def complete(self, job_id: int, worker: str) -> None:
        await self._call(
            self._write,
            "UPDATE jobs SET state = 'done', finished_at = ?, lease_until = NULL,"
            " last_error = NULL, segment = NULL, seg_offset = NULL, seg_length = NULL"
            " WHERE id = ? AND worker = ? AND state = 'running'",
            (time.time(), job_id, worker),
        )

    async def bury(self, job_id: int, worker: str, error: str) -> None:
        await self._call(self._bury, job_id, worker, error)

    def _bury(self, job_id: int, worker: str, error: str) -> None:
        """Dead letters outlive their segment: the payload moves into the row."""
        db = self._db
        with _transaction(db):
            row = db.execute(
                "SELECT segment, seg_offset, seg_length FROM jobs"
                " WHERE id = ? AND worker = ? AND state = 'running'", (job_id, worker),
            ).fetchone()
            payload = None
            if row is not None and row[0] is not None:
                try:
                    payload = journal.read(self.journal_dir, Ref(*row))
                except JournalError as exc:
                    error = f"{error} (payload unreadable: {exc})"
            db.execute(
                "UPDATE jobs SET state = 'dead', finished_at = ?, lease_until = NULL,"
                " last_error = ?, payload = coalesce(?, payload),"
                " segment = NULL, seg_offset = NULL, seg_length = NULL"
                " WHERE id = ? AND worker = ? AND state = 'running'",
                (time.time(), _clip(error), payload, job_id, worker),
            )

    async def retry(
        self, job_id: int, worker: str, delay: float, error: str, handlers: Sequence[str] | None
    ) -> None:
        await self._call(
            self._write,
            "UPDATE jobs SET state = 'pending', run_at = ?, lease_until = NULL, worker = NULL,"
            " last_error = ?, handlers = ? WHERE id = ? AND worker = ? AND state = 'running'",
            (time.time() + delay, _clip(error),
             None if handlers is None else json.dumps(list(handlers)), job_id, worker),
        )

    async def release(self, job_id: int, worker: str) -> None:
        await self._call(
            self._write,
            "UPDATE jobs SET state = 'pending', attempts = attempts - 1, lease_until = NULL,"
            " worker = NULL WHERE id = ? AND worker = ? AND state = 'running'",
            (job_id, worker),
        )

    async def bury_orphans(self, died: Callable[[str], bool]) -> list[Job]:
        """Dead-letter the running jobs whose lease lapsed and whose worker `died(worker)`; they
        are returned (payload included) so the caller can conclude them."""
        return await self._call(self._bury_orphans, died)

    def _bury_orphans(self, died: Callable[[str], bool]) -> list[Job]:
        rows = self._db.execute(
            f"SELECT {_JOB_COLUMNS} FROM jobs"  # noqa: S608 - a constant column list
            " WHERE state = 'running' AND lease_until <= ?",
            (time.time(),),
        ).fetchall()
        buried = []
        for row in rows:
            if row[11] is None or not died(row[11]):  # row[11]: the worker
                continue
            try:
                job = self._job(row)
            except JournalError:
                job = None  # the claim path reports an unreadable payload; bury it all the same
            self._bury(row[0], row[11], "its worker process died while running it")
            if job is not None:
                buried.append(job)
        return buried

    async def recover_expired(self) -> int:
        """Also indexes the journal records of processes that died before writing their rows."""
        return await self._call(self._recover_expired)

    def _recover_expired(self) -> int:
        adopted = self._recover_journal()
        changed, _ = self._write(
            "UPDATE jobs SET state = 'pending', worker = NULL, lease_until = NULL"
            " WHERE state = 'running' AND lease_until <= ?",
            (time.time(),),
        )
        self._maybe_collect()
        return adopted + changed

    async def prune(self, older_than: float) -> int:
        changed, _ = await self._call(
            self._write,
            "DELETE FROM jobs WHERE state = 'done' AND finished_at < ?",
            (time.time() - older_than,),
        )
        return changed

    async def stats(self) -> QueueStats:
        await self._caught_up()
        rows = await self._call(
            lambda: self._db.execute("SELECT state, count(*) FROM jobs GROUP BY state").fetchall()
        )
        counts = dict(rows)
        return QueueStats(
            pending=counts.get("pending", 0),
            running=counts.get("running", 0),
            dead=counts.get("dead", 0),
            done=counts.get("done", 0),
        )

    async def jobs(self, state: str, limit: int) -> list[JobInfo]:
        if state not in STATES:
            raise ValueError(f"no such state: {state}")
        await self._caught_up()
        # In line first for jobs still to run, newest first for finished ones.
        sql = _LIST if state in ("pending", "running") else _LIST + " DESC"
        rows = await self._call(
            lambda: self._db.execute(f"{sql} LIMIT ?", (state, limit)).fetchall()
        )
        return [
            JobInfo(id=r[0], delivery_id=r[1], event=r[2], action=r[3], repo=r[4], state=r[5],
                    attempts=r[6], serial_keys=split_keys(r[7]), worker=r[8], error=r[9],
                    created_at=r[10])
            for r in rows
        ]  # fmt: skip

    async def revive(self, job_id: int) -> bool:
        changed, _ = await self._call(
            self._write,
            "UPDATE jobs SET state = 'pending', attempts = 0, run_at = ?, finished_at = NULL,"
            " worker = NULL, handlers = NULL WHERE id = ? AND state = 'dead'",
            (time.time(), job_id),
        )
        return bool(changed == 1)

    async def close(self) -> None:
        self._closing = True
        self._write_arrivals()  # accepted already: on their way to the journal
        if self._flusher is not None:
            await self._flusher
        if self._syncer is not None:
            await self._syncer
        if self._journal is not None:
            live = self._journal.live
            if live is not None and not self._accepted and self._conn is not None:
                await self._call(self._write, _INDEXED, (live[0], live[1], 1))
            self._journal.close()  # releases the locks
            self._journal = None
        if self._checkpoint is not None:
            await self._checkpoint
        if self._checkpoint_conn is not None:
            self._checkpoint_conn.close()
            self._checkpoint_conn = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._conn is not None:
            await self._call(self._conn.close)
            self._conn = None
        self._thread.shutdown(wait=True)
        self._syncer_thread.shutdown(wait=True)
        self._checkpointer.shutdown(wait=True)


def _pick(db: sqlite3.Connection, now: float) -> int | None:
    """The oldest due pending job none of whose serial keys a running job holds under a live
    lease. Called inside the claim's write transaction, so no other process can take a key
    between this choice and the claim."""
    held: set[str] = set()
    for (keys,) in db.execute(
        "SELECT serial_key FROM jobs WHERE state = 'running' AND lease_until > ?"
        " AND serial_key IS NOT NULL", (now,),
    ):
        held.update(split_keys(keys))
    for job_id, keys in db.execute(
        "SELECT id, serial_key FROM jobs WHERE state = 'pending' AND run_at <= ?"
        " ORDER BY run_at, id", (now,),
    ):
        if held.isdisjoint(split_keys(keys)):
            return int(job_id)
    return None


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """A write transaction: IMMEDIATE takes the write lock up front (waiting out other
    processes' writers under busy_timeout) rather than failing at the first write."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _datasync_and_close(fd: int) -> None:
    try:
        os.fdatasync(fd)
    finally:
        os.close(fd)


def _clip(error: str | None) -> str | None:
    return None if error is None else error[:_MAX_ERROR_CHARS]
