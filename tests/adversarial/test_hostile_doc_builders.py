"""Hostile logs against MkDocs' strict-mode warnings (triage): each warning looks down for the
build's abort line, so a run of thousands of them over an abort costs about what as many plain
lines of their size cost."""

from __future__ import annotations

from cost_alike import assert_costs_alike
from hostile_triage import travis_step, triaged


def _log(lines: list[str]) -> bytes:
    return travis_step("mkdocs build --strict", lines, 1)


def test_many_warnings_over_a_strict_abort_cost_no_more_than_plain_text() -> None:
    def log(warning: str) -> bytes:
        lines = [f"{warning} -  Doc file 'p{n}.md' contains a link 'x{n}.md', but the target is"
                 " not found among documentation files." for n in range(1500)]
        # the abort's words on many lines, the abort itself only at the end
        lines += ["in strict mode! " * 20] * 200 + ["Aborted with 1500 warnings in strict mode!"]
        return _log(lines)

    assert_costs_alike(triaged, log("NOTICE"), log("WARNING"))
