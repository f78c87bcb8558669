"""A run whose tests all pass and whose coverage threshold fails it (real runs of Jest 30 and
Vitest 4, bench/triage_accuracy/capture.py): the threshold's line is the cause, shown under the
coverage table, not a 'possible cause' guess."""

from __future__ import annotations

import pytest
from real_runs import REAL


@pytest.mark.parametrize(("name", "line"), [
    ("jest-coverage-threshold", 'Jest: Coverage for lines (40%) does not meet "global" threshold'),
    ("vitest-coverage-threshold", "ERROR: Coverage for lines (25%) does not meet global threshold"),
])
def test_the_threshold_that_failed_the_run_is_the_cause(run_log, name: str, line: str) -> None:
    top = run_log((REAL / f"{name}.log").read_bytes(), name).failures[0]
    assert (top.rule, top.category) == ("js-coverage-threshold", "test")
    assert line in top.excerpt.text and "All files |" in top.excerpt.text
    assert top.confidence >= 0.7
