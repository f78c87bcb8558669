"""Hostile logs against the C and C++ tools' shapes (triage): long lines that start like their
reports and never finish them (clang-tidy's check list, cppcheck's `[id]`, Boost.Test's quoted
test name, Catch2's and doctest's locations, configure's and automake's lines, a sanitizer's
prefix), and a run of doctest-shaped lines with no `TEST CASE:` above them, each of which looks up
for one, cost about what plain error lines of their size cost."""

from __future__ import annotations

from cost_alike import assert_costs_alike
from hostile_triage import travis_step, triaged


def _log(lines: list[str]) -> bytes:
    return travis_step("make check", lines)


def test_unfinished_reports_cost_no_more_than_plain_error_lines() -> None:
    def log(crafted: bool) -> bytes:
        lines = []
        for n in range(150):
            filler = "a[" * 1000 if crafted else "ab" * 1000
            if crafted:
                lines += [f"w.cpp:{n}:1: error: {filler} [{'x,' * 500}-warnings-as-error",
                          f"w.c:{n}:1: error: {filler} [{'a' * 900} x]",
                          f"[w.c:{n}]{' -> [w.c:1]' * 200}: (error x",
                          f't.cpp({n}): error: in "{filler}: boom',
                          f"{'t.cpp:' * 400}{n}: FAILED: x",
                          f"{'t.cpp(' * 400}{n}: ERROR: x",
                          f"configure: error: in `{filler}",
                          f"FAIL {'t ' * 800} (exit status: 1",
                          f"u.c:{n}:1: runtime error:{' ' * 2000}",
                          f"{'= ' * 1500}==1== ERROR: AddressSanitizer: {'-' * 2000}",
                          f"=={'1' * 3000}== ERROR: LeakSanitizer",
                          f"a.cc:{n}:  {'  [x/y] [' * 200}",
                          f"Total errors found: {n + 1}"]
            else:
                lines += [f"error: {filler} {n}"] * 13
        return _log(lines)

    assert_costs_alike(triaged, log(False), log(True))


def test_doctest_shaped_lines_without_a_test_case_cost_what_error_lines_cost() -> None:
    """Each `file:line: ERROR:` line asks whether doctest's heading is above it: in a region that
    never says `TEST CASE:`, none reads the lines above."""

    def log(doctest_shaped: bool) -> bytes:
        lines = [f"doc{n}.rst:{n}: ERROR: Unknown directive type {'x' * 200}" if doctest_shaped
                 else f"doc{n}.rst {n}: error Unknown directive type {'x' * 200}"
                 for n in range(3000)]
        return _log(lines)

    assert_costs_alike(triaged, log(False), log(True))
