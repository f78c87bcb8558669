"""Open what `hephaestus triage` is given: a log file, stdin, or a GitHub Actions run-logs zip.

A run-logs zip holds one file per job (`1_build.txt`) and, in a folder per job, one file per
step (`build/3_Run tests.txt`). When both exist the per-step files are used, so the step is known
and nothing is read twice. Members are streamed straight out of the archive.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from ghbot.engine.triage.engine import Log
from ghbot.engine.triage.scan import Readable

ZIP_MAGIC = b"PK\x03\x04"
MAX_MEMBERS = 2000
SNIFF = 8192  # bytes looked at for a NUL, as `check` does to skip binary files
_ORDER = re.compile(r"^\d+_")
_LOG_SUFFIXES = (".txt", ".log")


class InputError(ValueError):
    """An input cannot be read (missing, a directory, a corrupt zip); the message says which."""


@dataclass(slots=True)
class ReadBudget:
    """What may be read of one input: bytes per log, bytes over all its logs, and seconds.

    Decompressing and scanning cost CPU per byte (~42 s per GiB), and a worker thread cannot be
    cancelled, so a hostile zip is bounded here; `summary()` says what was left unread.
    """

    log_bytes: int
    total_bytes: int
    seconds: float
    used: int = 0
    deadline: float = 0.0
    cut_logs: list[str] = field(default_factory=list)  # logs read only up to log_bytes
    total_spent: bool = False
    expired: bool = False

    def start(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def summary(self) -> str | None:
        parts = []
        if self.cut_logs:
            shown = ", ".join(self.cut_logs[:3]) + (" and more" if len(self.cut_logs) > 3 else "")
            parts.append(f"only the first {_mib(self.log_bytes)} of {shown} were read")
        if self.total_spent:
            parts.append(f"reading stopped after {_mib(self.total_bytes)} in all")
        if self.expired:
            parts.append(f"reading stopped after {self.seconds:g} s")
        text = "; ".join(parts)
        return f"{text[:1].upper()}{text[1:]}." if text else None


class _Capped:
    """A log stream that ends early (an empty read) once its budget is spent."""

    def __init__(self, stream: Readable, name: str, budget: ReadBudget) -> None:
        self.stream, self.name, self.budget, self.read_bytes = stream, name, budget, 0

    def read(self, size: int = -1) -> bytes:
        budget = self.budget
        allowed = min(budget.log_bytes - self.read_bytes, budget.total_bytes - budget.used)
        if time.monotonic() > budget.deadline:
            budget.expired = budget.expired or bool(self.stream.read(1))
            return b""
        if allowed <= 0:
            if self.stream.read(1):  # something was left unread
                if self.read_bytes >= budget.log_bytes:
                    budget.cut_logs.append(self.name)
                else:
                    budget.total_spent = True
            return b""
        data = self.stream.read(allowed if size < 0 else min(size, allowed))
        self.read_bytes += len(data)
        budget.used += len(data)
        return data


def _mib(size: int) -> str:
    return f"{size / 1_048_576:.0f} MiB"


class _Prefixed:
    """A stream whose first bytes were already read (stdin cannot seek back)."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head, self.rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.rest.read(size)
        data = self.head if size < 0 else self.head[:size]
        self.head = self.head[len(data) :]
        return data


@contextmanager
def open_logs(name: str, budget: ReadBudget | None = None) -> Iterator[list[Log]]:
    """The logs inside input `name` (`-` is stdin), opened for streaming; with a budget, each
    stops early once the budget is spent (see ReadBudget.cut)."""
    with ExitStack() as stack:
        if name == "-":
            stream: IO[bytes] = sys.stdin.buffer
        else:
            path = Path(name)
            if path.is_dir():
                raise InputError(f"{name}: is a directory, not a log")
            try:
                stream = stack.enter_context(path.open("rb"))
            except OSError as error:
                raise InputError(f"{name}: {error.strerror or error}") from None
        head = stream.read(SNIFF)
        reader: Readable = stream
        if stream.seekable():
            stream.seek(0)
        elif head.startswith(ZIP_MAGIC):  # a zip needs seeking: spool the pipe to a temp file
            spool = stack.enter_context(tempfile.TemporaryFile())
            spool.write(head)
            shutil.copyfileobj(stream, spool, 1 << 20)
            spool.seek(0)
            stream = spool
        else:  # stdin or a pipe (`<(cmd)`): the head was read already and cannot be re-read
            reader = _Prefixed(head, stream)
        if budget is not None:
            budget.start()
        if head.startswith(ZIP_MAGIC):
            logs = _zip_logs(stream, name, stack)
        elif b"\0" in head:
            raise InputError(f"{name}: binary data (a NUL byte at offset {head.index(0)}), "
                             "not a text log: give the log or the run's logs zip")  # fmt: skip
        else:
            logs = [Log(None, reader)]
        if budget is not None:
            logs = [Log(log.name, _Capped(log.stream, log.name or name, budget), log.step)
                    for log in logs]  # fmt: skip
        yield logs


def _zip_logs(stream: IO[bytes], name: str, stack: ExitStack) -> list[Log]:
    try:
        archive = stack.enter_context(zipfile.ZipFile(stream))
        members = [
            info for info in archive.infolist()
            if not info.is_dir() and info.filename.lower().endswith(_LOG_SUFFIXES)
        ]
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputError(f"{name}: not a readable zip: {error}") from None
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{name}: {len(members)} files in the zip (at most {MAX_MEMBERS})")
    folders = {PurePosixPath(info.filename).parts[0] for info in members
               if len(PurePosixPath(info.filename).parts) > 1}  # fmt: skip
    logs = []
    for info in sorted(members, key=lambda info: _order_key(info.filename)):
        path = PurePosixPath(info.filename)
        if len(path.parts) == 1 and _ORDER.sub("", path.stem) in folders:
            continue  # the whole-job log duplicates the per-step files of its folder
        step = None
        if len(path.parts) > 1:
            step = f"{' / '.join(path.parts[:-1])} / {_ORDER.sub('', path.stem)}"
        try:
            logs.append(Log(info.filename, stack.enter_context(archive.open(info)), step))
        except (zipfile.BadZipFile, OSError, NotImplementedError) as error:
            raise InputError(f"{name}: cannot read {info.filename}: {error}") from None
    return logs


def _order_key(filename: str) -> tuple[str, int, str]:
    path = PurePosixPath(filename)
    number = _ORDER.match(path.name)
    return ("/".join(path.parts[:-1]), int(number.group()[:-1]) if number else 0, path.name)
