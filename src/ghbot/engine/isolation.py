"""Parsers of untrusted code run in child processes, so that what a file does to them costs that
file only.

LibCST's native parser segfaults on deeply nested code, a search can run away, a parse can eat
all memory: none of that may take down the CLI, the webhook server or a job worker. `run_isolated`
runs a function over items in workers, each a fresh `python -m ghbot.engine.isolation` (never a
fork of the caller, whose threads and locks would be copied) that limits its own address space
and stack with `setrlimit` and writes no core dump. Items go one at a time over a pipe, so when
a worker dies (a signal, the memory limit) or overruns the time given per item (it is killed),
the item it was on is the only loss: it gets a `Failed` with the reason, and a fresh worker
takes the rest. Idle workers are kept for the next call (the import of LibCST costs most of a
start), at most one per core; `prestart` starts one ahead of the work, so that its start-up
overlaps the caller's other work instead of following it.

Wire format on both pipes: an 8-byte big-endian length, then a pickle. The child unpickles only
what its parent wrote; the parent unpickles only results of its own module's functions.
"""

from __future__ import annotations

import importlib
import itertools
import os
import pickle
import resource
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from ghbot.engine.models import Finding, Severity

T = TypeVar("T")
R = TypeVar("R")

NOT_ANALYSED = "analysis/not-analysed"
NOT_ANALYSED_SOURCE = "analysis"

_HEADER = 8
_MAX_IDLE = max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class Limits:
    seconds: float = 120.0  # wall time per item
    memory_bytes: int = 4 << 30  # address space of a worker (and of what it starts)
    # Half the usual 8 MiB: LibCST's parser overflows it in 0.4 s on 5,000 nested lambdas, where
    # 8 MiB let it recurse for 13 s of CPU first. Ordinary code needs a fraction of it.
    stack_bytes: int = 4 << 20


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Failed:
    """An item its worker could not finish: crashed, killed at the time limit, or raised."""

    reason: str


def not_analysed(path: str, reason: str) -> Finding:
    """The error-level finding of a file some analyser could not get through."""
    return Finding(
        rule=NOT_ANALYSED,
        severity=Severity.ERROR,
        message=f"could not be analysed: {reason}",
        path=path,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        source=NOT_ANALYSED_SOURCE,
    )


def crash_reason(returncode: int | None, what: str = "the analyser") -> str:
    """`returncode` of a dead process in words: the signal that killed it, or its exit status."""
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        cause = {"SIGSEGV": "a segmentation fault, e.g. its stack overflowed",
                 "SIGABRT": "it aborted, e.g. on a stack overflow or out of memory",
                 "SIGKILL": "it was killed, e.g. out of memory"}.get(name, name)  # fmt: skip
        return f"{what} crashed on it ({cause})"
    return f"{what} died on it (exit status {returncode})"


def run_isolated(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int = 1,
    limits: Limits = DEFAULT_LIMITS,
    on_done: Callable[[int], None] | None = None,
) -> list[R | Failed]:
    """`function(item)` for each item, in order, in up to `workers` child processes. `function`
    must be importable by name (a module-level function). `on_done(n)` once n items are done."""
    results: list[R | Failed] = [Failed("not run")] * len(items)
    if not items:
        return results
    order = iter(range(len(items)))
    lock = threading.Lock()
    done = itertools.count(1)

    def serve() -> None:
        worker: _Worker | None = None
        try:
            while True:
                with lock:
                    index = next(order, None)
                if index is None:
                    return
                worker = worker if worker is not None and worker.alive else _take(limits)
                results[index] = worker.run(function, items[index], limits.seconds)
                if on_done is not None:
                    with lock:
                        on_done(next(done))
        finally:
            if worker is not None:
                _give_back(worker)

    count = max(1, min(workers, len(items)))
    if count == 1:
        serve()
        return results
    threads = [threading.Thread(target=serve, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def prestart(limits: Limits, preload: Sequence[str] = ()) -> None:
    """Start an idle worker for `limits` now, which imports the modules `preload` (those the
    coming work needs) while the caller does something else; the next `run_isolated` with these
    limits takes it. Nothing is started when such a worker is idle already or the pool is full."""
    with _idle_lock:
        live = [w for w in _idle if w.process.poll() is None]
        if len(live) >= _MAX_IDLE or any(w.limits == limits for w in live):
            return
    _give_back(_Worker(limits, preload))


class _Worker:
    def __init__(self, limits: Limits, preload: Sequence[str] = ()) -> None:
        self.limits = limits
        command = [sys.executable, "-m", "ghbot.engine.isolation", str(limits.memory_bytes),
                   str(limits.stack_bytes), *preload]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - our own module
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.alive = True

    def run(self, function: Callable[[T], R], item: T, seconds: float) -> R | Failed:
        assert self.process.stdin is not None and self.process.stdout is not None  # noqa: S101
        try:
            _write_frame(self.process.stdin, pickle.dumps((function, item)))
            reply = _read_frame(self.process.stdout.fileno(), time.monotonic() + seconds)
        except BrokenPipeError:
            reply = None
        except TimeoutError:
            self.stop()
            return Failed(f"the analysis took longer than {seconds:g} s")
        if reply is None:  # the pipe closed: the worker died on this item
            self.stop()
            return Failed(crash_reason(self.process.returncode))
        ok, value = pickle.loads(reply)  # noqa: S301 - our child's answer to our request
        return value if ok else Failed(value)

    def stop(self) -> None:
        self.alive = False
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except BrokenPipeError:
                    pass


_idle: list[_Worker] = []
_idle_lock = threading.Lock()


def _take(limits: Limits) -> _Worker:
    with _idle_lock:
        for worker in _idle:
            if worker.limits == limits and worker.process.poll() is None:
                _idle.remove(worker)
                return worker
    return _Worker(limits)


def _give_back(worker: _Worker) -> None:
    if not worker.alive:
        return
    with _idle_lock:
        if len(_idle) < _MAX_IDLE:
            _idle.append(worker)
            return
    worker.stop()


def _write_frame(stream: IO[bytes], data: bytes) -> None:
    stream.write(len(data).to_bytes(_HEADER, "big") + data)
    stream.flush()


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    """`size` bytes from `fd`, None at end of file; TimeoutError past `deadline`."""
    chunks: list[bytes] = []
    missing = size
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float | None) -> bytes | None:
    header = _read_exactly(fd, _HEADER, deadline)
    if header is None:
        return None
    return _read_exactly(fd, int.from_bytes(header, "big"), deadline)


def _limit(memory_bytes: int, stack_bytes: int) -> None:
    """Lower this process's limits (never above the hard ones it inherited)."""
    for which, wanted in ((resource.RLIMIT_AS, memory_bytes), (resource.RLIMIT_STACK, stack_bytes),
                          (resource.RLIMIT_CORE, 0)):  # fmt: skip
        _, hard = resource.getrlimit(which)
        value = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(which, (value, hard))


def _child(memory_bytes: int, stack_bytes: int, preload: Sequence[str]) -> None:
    _limit(memory_bytes, stack_bytes)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing a task prints may corrupt the replies
    for module in preload:  # an import that fails here fails again, reported, in the task
        try:
            importlib.import_module(module)
        except Exception:  # noqa: S112 - the task that needs the module says what went wrong
            continue
    while (request := _read_frame(requests.fileno(), None)) is not None:
        try:
            function, item = pickle.loads(request)  # noqa: S301 - written by our parent
            reply: tuple[bool, Any] = (True, function(item))
        except Exception as error:  # RecursionError and MemoryError included
            reply = (False, f"the analyser failed on it ({type(error).__name__}: {error})"[:500])
        _write_frame(replies, pickle.dumps(reply))


if __name__ == "__main__":
    _child(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])
