"""Whether the process that claimed a job is gone: names for worker processes that say it.

A lease also lapses when its process is alive but stalled (a blocked event loop, the store out
of reach for a while): such a job may run again. A lease whose process died is different: the
process may have died of that very job (a crash no isolation caught), and running it again would
kill the next process too, and the next. The claim's name carries the host, the pid and the
pid's start time (a restarted container reuses pids), so a later process can tell the two apart.

A process that died is not always one that crashed: `kill -9`, the OOM killer or a power cut
leave jobs that should simply run again. Processes that keep a crash record
(`record_crashes`: faulthandler writes its traceback there on SIGSEGV, SIGABRT, SIGBUS, SIGFPE
or SIGILL, and a clean exit deletes the file) let a later process tell a crash from a kill.
"""

from __future__ import annotations

import atexit
import faulthandler
import os
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import IO

_HOST = socket.gethostname()
_live_names: set[str] = set()  # this process's pools that are still running
_lock = threading.Lock()


def _start_ticks(pid: int) -> str:
    """When `pid` started (clock ticks since boot, from /proc), or "" when unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return ""
    return fields[19].decode() if len(fields) > 19 else ""


_OWN = f"{os.getpid()}.{_start_ticks(os.getpid())}"
_RECORDS_KEPT = 7 * 24 * 3600.0  # seconds: records of dead processes are read within minutes
_crash_record: IO[str] | None = None


def new_name() -> str:
    """A unique claim name for a pool of this process, live until `retire(name)`."""
    name = f"{_HOST}:{_OWN}:{uuid.uuid4().hex[:8]}"
    with _lock:
        _live_names.add(name)
    return name


def retire(name: str) -> None:
    with _lock:
        _live_names.discard(name)


def process_died(worker: str) -> bool:
    """True when `worker` (a claim name, `new_name()` + "/index") names a process of this host
    that no longer runs (or a pool of this process that stopped). False when it cannot be known
    (another host, an older name) or the process lives."""
    pool = worker.rsplit("/", 1)[0]
    parts = pool.split(":")
    if len(parts) != 3 or parts[0] != _HOST or "." not in parts[1]:
        return False
    pid, _, ticks = parts[1].partition(".")
    if parts[1] == _OWN:
        with _lock:
            return pool not in _live_names
    if not pid.isdigit():
        return False
    if ticks:
        return _start_ticks(int(pid)) != ticks
    try:  # no /proc where it was named: only whether some process has the pid
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def record_crashes(directory: Path) -> None:
    """Keep this process's crash record in `directory` (once per process)."""
    global _crash_record
    if _crash_record is not None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - _RECORDS_KEPT
    for old in directory.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    path = directory / _OWN
    _crash_record = path.open("w", encoding="utf-8")
    faulthandler.enable(_crash_record, all_threads=True)
    atexit.register(_clean_exit, path)


def _clean_exit(path: Path) -> None:
    global _crash_record
    faulthandler.disable()
    if _crash_record is not None:
        _crash_record.close()
        _crash_record = None
    path.unlink(missing_ok=True)


def crashed(worker: str, records: Path | None) -> bool:
    """True when `worker`'s process died and may have died of its job: its crash record in
    `records` holds a fatal signal's traceback, or it kept none there (nothing says otherwise).
    An empty record means it was killed from outside: its jobs may run again."""
    if not process_died(worker):
        return False
    if records is None:
        return True
    process = worker.rsplit("/", 1)[0].split(":")[1]
    try:
        return (records / process).stat().st_size > 0
    except OSError:
        return True
