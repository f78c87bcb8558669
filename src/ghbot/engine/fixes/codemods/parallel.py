"""`run_codemods` over many files, on every core when there is enough text to pay for it.

LibCST is pure Python, and the scope analysis some codemods need runs at some 50 KB/s: on Django
the 30-odd files where ruff saw a codemod's problem took 25 s on one core. The files are shared
out among worker processes, each a fresh `python -m ghbot.engine.fixes.codemods.worker` given
its share in a file: not multiprocessing, whose fork would copy the caller's threads and locks
(the webhook server has both) and whose spawn re-imports the caller's main module.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from ghbot.engine.fixes.codemods.runner import run_codemods
from ghbot.engine.models import Finding, SourceFile

Work = Sequence[tuple[SourceFile, Sequence[str]]]

# Below this much text a worker's start-up (importing LibCST, ~1 s) costs more than it saves.
MIN_PARALLEL_CHARS = 200_000
# A worker that takes longer than this is given up on, and its share run here instead.
_WORKER_TIMEOUT = 3600


def run_codemods_many(
    work: Work, on_done: Callable[[int], None] | None = None
) -> list[list[Finding]]:
    """Each (file, codemod ids)'s findings, in order; `on_done(n)` once n files are done."""
    workers = min(os.cpu_count() or 1, len(work))
    if workers < 2 or sum(len(file.text) for file, _ in work) < MIN_PARALLEL_CHARS:
        results = []
        for file, ids in work:
            results.append(run_codemods(file, ids))
            if on_done is not None:
                on_done(len(results))
        return results
    return _in_workers(work, _shares(work, workers), on_done)


def _shares(work: Work, workers: int) -> list[list[int]]:
    """Indices of `work` per worker, balanced by text size: the largest file first, each to the
    worker with the least so far (a few big files dominate, and must not share a worker)."""
    shares: list[list[int]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for index in sorted(range(len(work)), key=lambda i: -len(work[i][0].text)):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += len(work[index][0].text)
    return [share for share in shares if share]


def _in_workers(
    work: Work, shares: list[list[int]], on_done: Callable[[int], None] | None
) -> list[list[Finding]]:
    results: list[list[Finding]] = [[] for _ in work]
    done = 0
    with tempfile.TemporaryDirectory(prefix="hephaestus-codemods-") as tmp:
        started = []
        for number, share in enumerate(shares):
            given, taken = Path(tmp, f"{number}.in"), Path(tmp, f"{number}.out")
            given.write_bytes(pickle.dumps([work[i] for i in share]))
            command = [sys.executable, "-m", "ghbot.engine.fixes.codemods.worker", given, taken]
            started.append((share, taken, subprocess.Popen(command)))  # noqa: S603 - our module
        for share, taken, process in started:
            try:
                finished = process.wait(timeout=_WORKER_TIMEOUT) == 0
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                finished = False
            # Our own worker's output, from our own temporary directory.
            found = pickle.loads(taken.read_bytes()) if finished else None  # noqa: S301
            for position, index in enumerate(share):
                file, ids = work[index]
                results[index] = found[position] if found is not None else run_codemods(file, ids)
            done += len(share)
            if on_done is not None:
                on_done(done)
    return results
