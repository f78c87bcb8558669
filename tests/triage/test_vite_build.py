"""`vite build` (Vite 8, which bundles with Rolldown; real runs, bench/triage_accuracy/capture.py):
Rolldown's `[CODE] message` with its frame is the cause, not Node's stack frames under it nor
Vite's `error during build:` and `✗ Build failed` lines."""

from __future__ import annotations

import pytest
from real_runs import REAL


@pytest.mark.parametrize(("name", "title", "shown"), [
    ("vite-unresolved-import",
     "UNRESOLVED_IMPORT at src/main.js:1:23: Could not resolve './missing.js' in src/main.js",
     "Help: 'src/main.js' is imported by the following path:"),
    ("vite-parse-error",
     "PARSE_ERROR at src/main.js:2:1: Expected `,` or `]` but found `Identifier`",
     "`,` or `]` expected"),
])
def test_rolldowns_error_with_its_frame_is_the_cause(run_log, name: str, title: str,
                                                     shown: str) -> None:
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    top = report.failures[0]
    assert (top.detector, top.category, top.title) == ("rolldown", "compile", title)
    assert shown in top.excerpt.text
    assert top.excerpt.text.rstrip().endswith("\u2500\u2500\u2500\u256f")  # the frame's end
    assert "aggregateBindingErrorsIntoJsError" not in top.excerpt.text
    assert top.confidence >= 0.7
    assert all(f.confidence <= 0.3 for f in report.failures if f.title == "the build failed")
