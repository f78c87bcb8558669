"""Hostile logs against the shapes of Sphinx's warnings, doctest reports and pytest-xdist's
lines (triage): long lines that start as one of them and never complete cost about what plain
lines of their size cost."""

from __future__ import annotations

from cost_alike import assert_costs_alike
from hostile_triage import travis_step, triaged


def _log(lines: list[str]) -> bytes:
    return travis_step("make docs", lines, 2)


def test_near_sphinx_messages_cost_no_more_than_plain_text() -> None:
    """A location of thousands of characters before `: WARNING: ` (or never reaching it), a
    message that never ends in its `[type]`, and detail lines under an ERROR."""

    def log(filler: str) -> bytes:
        lines = []
        for n in range(40):
            lines += [f"src/{filler * 1500}.rst:{n}: WARNING: {filler * 1500} [",
                      f"{filler * 1500}.rst:docstring of {filler * 1000}:{n} WARNING: x",
                      f"<{filler * 1500}>:{n}: ERROR: {filler * 1500}",
                      f"{'a/' * 1000}{filler * 500}.rst{filler}: WARNING: x",
                      f"{filler * 3000}... : WARNING: ",
                      "Warning, treated as error:", f"{filler * 3000}:{n}:{filler * 500}",
                      f"WARNING: {filler * 3000} [a.{filler * 30}",
                      f"WARNING: autodoc: {filler * 3000} [x] [y]",
                      f"(  {filler * 1500}: line   {n}) broken   {filler * 1500}",
                      f"({' ' * 40}index: line {' ' * 3000}",
                      "Traceback", f"    {filler * 1500}Error {filler * 1500}",
                      f"Extension error ({filler * 3000}):"]
        return _log(lines)

    assert_costs_alike(triaged, log("ab"), log("a."))


def test_near_doctest_and_xdist_lines_cost_no_more_than_plain_text() -> None:
    """Doctest locations and exceptions, xdist's crash and progress lines, and pytest's
    verbose progress line, each long and never complete."""

    def log(filler: str) -> bytes:
        lines = []
        for n in range(40):
            lines += [f'File "{filler * 1500}", line {n}, in {filler * 1500}',
                      "Failed example:", f"    {filler * 3000}",
                      f"UNEXPECTED EXCEPTION: {filler * 1500}({filler * 1500}",
                      f"{filler * 1500}:{n}: DocTestFailure {filler}",
                      f"worker 'gw{n}' crashed while running '{filler * 3000}",
                      f"[gw{n}] [ {n}%] FAILED {filler * 3000} x",
                      f"tests/{filler * 1500}::{filler * 1500} FAILED {filler}",
                      f"{n:03d}     >>> {filler * 3000}",
                      f"{'.F' * 1500}Fatal Python error {filler * 1000}",
                      f"Current thread 0x{filler * 3000}"]
        return _log(lines)

    assert_costs_alike(triaged, log("ab"), log("a:"))
