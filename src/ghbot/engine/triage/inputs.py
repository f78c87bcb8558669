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
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from ghbot.engine.triage.engine import Log

ZIP_MAGIC = b"PK\x03\x04"
MAX_MEMBERS = 2000
_ORDER = re.compile(r"^\d+_")
_LOG_SUFFIXES = (".txt", ".log")


class InputError(ValueError):
    """An input cannot be read (missing, a directory, a corrupt zip); the message says which."""


@contextmanager
def open_logs(name: str) -> Iterator[list[Log]]:
    """The logs inside input `name` (`-` is stdin), opened for streaming."""
    with ExitStack() as stack:
        if name == "-":
            stream: IO[bytes] = sys.stdin.buffer
            head = _peek(stream)
            if head.startswith(ZIP_MAGIC):  # a zip needs seeking: spool stdin to a temp file
                spool = stack.enter_context(tempfile.TemporaryFile())
                shutil.copyfileobj(stream, spool, 1 << 20)
                spool.seek(0)
                stream = spool
        else:
            path = Path(name)
            if path.is_dir():
                raise InputError(f"{name}: is a directory, not a log")
            try:
                stream = stack.enter_context(path.open("rb"))
            except OSError as error:
                raise InputError(f"{name}: {error.strerror or error}") from None
            head = stream.read(4)
            stream.seek(0)
        if head.startswith(ZIP_MAGIC):
            yield _zip_logs(stream, name, stack)
        else:
            yield [Log(None, stream)]


def _peek(stream: IO[bytes]) -> bytes:
    peek = getattr(stream, "peek", None)
    return peek(4)[:4] if peek is not None else b""


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
