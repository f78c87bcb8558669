"""Hostile logs against Playwright Test's shapes (triage): long lines of its own prefixes (the
numbered heading, the project, the location, the rule of `─`, a retry's heading) and a run
whose every failure asks whether the closing counts list it as flaky cost about what plain
lines of their size cost."""

from __future__ import annotations

from cost_alike import assert_costs_alike
from hostile_triage import travis_step, triaged


def _log(lines: list[str]) -> bytes:
    return travis_step("npx playwright test", lines)


def test_near_headings_of_failed_tests_cost_no_more_than_plain_text() -> None:
    """Each heading shape: a project never closed, a title of up to 400 characters tried before
    a rule of `─` that never ends the line, a location that never comes, a retry's rule."""

    def log(filler: str) -> bytes:
        lines = []
        for n in range(1, 120):
            lines += [f"  {n}) [{filler * 3000} › a.spec.ts:1:1 › t",
                      f"  {n}) [chromium] › a.spec.ts:1:1 › {filler * 2000} x",
                      f"  {n}) {filler * 3000}:1:1 › t " + "─" * 300,
                      f"    Retry #{n} " + filler * 3000,
                      f"    Error: failed {n}"]
        return _log(lines)

    assert_costs_alike(triaged, log("a "), log("─ "))


def test_a_run_of_failures_over_a_long_flaky_list_costs_what_error_lines_cost() -> None:
    """Every failure's heading asks whether the closing counts list it as flaky: the region is
    read for that list once, not once per heading."""

    def log(playwright: bool) -> bytes:
        lines = []
        for n in range(1, 700):
            heading = f"[chromium] › tests/a{n}.spec.ts:3:1 › test {n} " + "─" * 60
            lines += [f"  {n}) {heading}" if playwright else f"  Error: {heading}",
                      "    Error: expect(received).toBe(expected)"]
        lines += ["  699 flaky" if playwright else "  699 failed"]
        lines += [f"    [chromium] › tests/a{n}.spec.ts:3:1 › test {n} " + "─" * 60
                  for n in range(1, 700)]
        return _log(lines)

    assert_costs_alike(triaged, log(False), log(True))


def test_long_headings_over_a_flaky_count_cost_what_long_error_lines_cost() -> None:
    """A region full of long headings with a `1 flaky` line at its end: each heading reads the
    lines below it for the count, and a long line is passed over at memchr speed."""

    def log(playwright: bool) -> bytes:
        lines = []
        for n in range(1, 500):
            filler = "a" * 3900
            lines.append(f"  {n}) [x] › a.spec.ts:1:1 › t{n} {filler}" if playwright
                         else f"  Error: t{n} {filler}")
        return _log([*lines, "  1 flaky", "    [x] › a.spec.ts:1:1 › t1"])

    assert_costs_alike(triaged, log(False), log(True))


def test_near_javascript_syntax_errors_cost_no_more_than_plain_text() -> None:
    """Babel's shape reads a path and a message before its `(line:col)`; lines that have the
    start but never that end (RE2: linear whatever the line)."""

    def log(filler: str) -> bytes:
        lines = []
        for n in range(200):
            lines += [f"SyntaxError: /{filler * 2000}: {filler * 1000} (1:{n}",
                      f"SyntaxError: Identifier '{filler * 2000} has already",
                      f"SyntaxError: The requested module '{filler * 2000}"]
        return _log(lines)

    assert_costs_alike(triaged, log("a"), log(":"))
