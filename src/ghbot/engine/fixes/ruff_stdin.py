"""Ruff on a text that is not on disk yet: the fix pipeline's re-check of a candidate fix.

The rule selection and the JSON parsing are the lint integration's (`RuffRun`, `parse_report`), so
a text is judged exactly as `hephaestus check` would judge the file; only the input differs
(`--stdin-filename`, so the repository's configuration and per-file ignores still apply).
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from ruff.__main__ import find_ruff_bin

from ghbot.engine.analysis.lint import RuffError, RuffRun
from ghbot.engine.analysis.ruff_report import parse_report
from ghbot.engine.models import Finding, SourceFile

_TIMEOUT_SECONDS = 120


class RuffOnText:
    """`ruff check` of one text as if it were the file at `root / file.path`."""

    def __init__(self, root: Path, extend_select: Sequence[str] = ()) -> None:
        self.root = root.resolve()
        self.args = RuffRun(self.root, [], extend_select).args  # no paths: nothing runs

    def __call__(self, file: SourceFile) -> list[Finding]:
        command = [
            find_ruff_bin(), "check", "--no-cache", "--exit-zero", "--force-exclude",
            "--output-format", "json", *self.args,
            "--stdin-filename", str(self.root / file.path), "-",
        ]  # fmt: skip
        try:
            done = subprocess.run(  # noqa: S603 - ruff's own binary, fixed flags, text on stdin
                command, input=file.text.encode("utf-8"), cwd=self.root,
                capture_output=True, timeout=_TIMEOUT_SECONDS, check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as error:
            raise RuffError(f"ruff did not run: {error}") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()
            raise RuffError(f"ruff exited with {done.returncode}: {message[:2000]}")
        return parse_report(done.stdout, self.root, {file.path: file.text})
