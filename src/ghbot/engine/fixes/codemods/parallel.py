"""`run_codemods` over many files, each file in an isolated worker process, on every core when
there is enough text to pay for it.

LibCST's native parser runs on text a pull request wrote, and crashes on some of it (a segfault
on 5,000 nested lambdas): it runs only in `isolation`'s workers, where such a file costs itself
only and gets a "could not be analysed" finding. LibCST is pure Python past the parse, and the
scope analysis some codemods need runs at some 50 KB/s: on Django the 30-odd files where ruff
saw a codemod's problem took 25 s on one core, hence one worker per core on large inputs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from ghbot.engine.fixes.codemods.runner import run_codemods
from ghbot.engine.isolation import Failed, Limits, not_analysed, run_isolated
from ghbot.engine.models import Finding, SourceFile

Work = Sequence[tuple[SourceFile, Sequence[str]]]

# Below this much text a second worker's start-up (importing LibCST, ~1 s) costs more than it
# saves.
MIN_PARALLEL_CHARS = 200_000
# Per file: LibCST's scope analysis on the largest file analysed (2 MiB) takes about a minute.
LIMITS = Limits(seconds=180)


def run_codemods_many(
    work: Work, on_done: Callable[[int], None] | None = None
) -> list[list[Finding]]:
    """Each (file, codemod ids)'s findings, in order; a file LibCST could not get through has
    one `not_analysed` finding instead. `on_done(n)` once n files are done."""
    big = sum(len(file.text) for file, _ in work) >= MIN_PARALLEL_CHARS
    workers = (os.cpu_count() or 1) if big else 1
    found = run_isolated(_codemods, list(work), workers=workers, limits=LIMITS, on_done=on_done)
    return [
        [not_analysed(file.path, f"LibCST: {result.reason}")]
        if isinstance(result, Failed) else result
        for (file, _), result in zip(work, found, strict=True)
    ]  # fmt: skip


def _codemods(item: tuple[SourceFile, Sequence[str]]) -> list[Finding]:
    file, ids = item
    return run_codemods(file, ids)
