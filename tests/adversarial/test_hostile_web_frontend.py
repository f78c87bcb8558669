"""Hostile logs against the web front-end tools' shapes (triage): Karma's browser lines, a
linter's count that reads the lines above it, node-tap's YAML block, AVA's and Standard's
lines, long, repeated or cut, cost about what plain error lines of their size cost."""

from __future__ import annotations

from cost_alike import assert_costs_alike
from hostile_triage import travis_step, triaged


def _log(lines: list[str]) -> bytes:
    return travis_step("npm test", lines)


def test_near_karma_browser_lines_cost_no_more_than_plain_text() -> None:
    """A browser name that never closes its platform, a test name of 3,000 characters before a
    status that never comes, counts that never say FAILED, and cut lines."""

    def log(filler: str) -> bytes:
        lines = []
        for n in range(300):
            lines += [f"Chrome Headless 1{n}.0 ({filler * 1500}",
                      f"IE 9.0.0 (Windows 7.0.0) {filler * 1500} FAILE",
                      f"Firefox 68.0.0 (Linux 0.0.0): Executed {n} of {filler * 1500}",
                      "Safari 8.0.8 (Mac OS X 10.10.5) ERROR",
                      f"  {filler * 1500} error"]
        return _log(lines)

    assert_costs_alike(triaged, log("a "), log("A1 "))


def test_counts_of_errors_over_long_reports_cost_what_error_lines_cost() -> None:
    """Every count asks whether the indented lines above it are a linter's report: each reads
    at most its own reach up, however many counts there are."""

    def log(counts: bool) -> bytes:
        lines = []
        for n in range(1, 600):
            lines += [f"      {n} |  return x{n};" + " " * 200, f"    {'a' * 300} ^ nope {n}",
                      f"{n} errors" if counts else f"error {n} here"]
        return _log(lines)

    assert_costs_alike(triaged, log(False), log(True))


def test_failed_tap_tests_over_long_yaml_blocks_cost_what_error_lines_cost() -> None:
    """Each failed test reads its YAML block for a diff after the stack, up to a bounded reach,
    even where the block never ends."""

    def log(tap: bool) -> bytes:
        lines = []
        for n in range(1, 400):
            lines += [f"not ok {n} - adds {n}" if tap else f"error {n} adds"]
            lines += ["  stack: |"] + [f"    at f{k} (a.js:{k}:1)" for k in range(30)]
        return _log(lines)

    assert_costs_alike(triaged, log(False), log(True))


def test_near_standard_and_ava_lines_cost_no_more_than_plain_text() -> None:
    """Standard's offence with a message that nearly ends in a rule, a path of 300 characters
    that never reaches its place, and AVA's count without its rule above it."""

    def log(filler: str) -> bytes:
        lines = []
        for n in range(300):
            lines += [f"  src/a{n}.js:{n}:1: {filler * 1000} (no-x (warning",
                      f"  {filler * 1500}.js:1: x",
                      f"  {n + 1} tests failed",
                      f"ERROR in {filler * 1500}",
                      f"[!] Error: {filler * 1500}"]
        return _log(lines)

    assert_costs_alike(triaged, log("a "), log("( "))
