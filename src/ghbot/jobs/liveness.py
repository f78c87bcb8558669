"""Whether the process that claimed a job is gone: names for worker processes that say it.

A lease also lapses when its process is alive but stalled (a blocked event loop, the store out
of reach for a while): such a job may run again. A lease whose process died is different: the
process may have died of that very job (a crash no isolation caught), and running it again would
kill the next process too, and the next. The claim's name carries the host, the pid and the
pid's start time (a restarted container reuses pids), so a later process can tell the two apart.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid

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
