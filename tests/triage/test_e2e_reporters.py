"""End-to-end and JS test reporters (real runs, bench/triage_accuracy/capture.py): Playwright
Test's numbered failure details are the cause, titled by the test, whatever the reporter (`dot`,
CI's default, `list`, `line`, `github`); its progress glyphs, its closing counts, a retry's
details and a flaky test (failed, then passed on a retry) never are."""

from __future__ import annotations

import pytest
from real_runs import LABELS, REAL

from ghbot.engine.triage.extractors import EXTRACTORS, PLAYWRIGHT_FAILURE

# fixture: (the top failure's title, a line its excerpt shows)
PLAYWRIGHT = {
    "playwright-dot-retries": ("cart › keeps the order", '+   "pen",'),
    "playwright-list": ("reads the order", "TypeError: Cannot read properties of undefined"),
    "playwright-line-timeout": ("answers in time", "Test timeout of 100ms exceeded."),
    "playwright-github": ("accounts › signs in", "Error: seed data missing: users.json"),
}


@pytest.mark.parametrize("name", sorted(PLAYWRIGHT))
def test_the_top_failure_is_the_failed_tests_details_whole(run_log, name: str) -> None:
    title, shown = PLAYWRIGHT[name]
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    top = report.failures[0]
    assert (top.detector, top.category, top.rule, top.title) == ("playwright", "test", None, title)
    [(first, last)] = LABELS[name]["span"]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)
    assert shown in top.excerpt.text
    assert top.confidence >= 0.7


def test_a_flaky_tests_lost_connection_is_never_the_cause(run_log) -> None:
    # The flaky test's first try threw ECONNREFUSED (a network rule's word) and its retry passed;
    # Playwright shows its details after the failed test's. It is shown as flaky, low, and no
    # rule reads it as the job's network failure.
    report = run_log((REAL / "playwright-dot-retries.log").read_bytes(), "playwright-dot-retries")
    assert all(f.rule is None for f in report.failures)
    [flaky] = [f for f in report.failures if f.category == "flaky"]
    assert flaky.title == "fetches the prices (flaky: passed on a retry)"
    assert "ECONNREFUSED" in flaky.excerpt.text
    assert report.failures.index(flaky) > 0 and flaky.confidence < 0.7
    assert not any("ECONNREFUSED" in f.excerpt.text for f in report.failures if f is not flaky)


def test_a_retrys_details_follow_the_tests_own_and_say_so(run_log) -> None:
    report = run_log((REAL / "playwright-dot-retries.log").read_bytes(), "playwright-dot-retries")
    [retry] = [f for f in report.failures if "retry #1" in f.title]
    assert retry.title == "cart › keeps the order: retry #1 failed too"
    assert retry.excerpt.text.lstrip().startswith("Retry #1")
    assert retry.confidence < report.failures[0].confidence


def test_progress_glyphs_counts_and_snapshot_paths_are_no_failures(run_log) -> None:
    for name in PLAYWRIGHT:
        report = run_log((REAL / f"{name}.log").read_bytes(), name)
        for failure in report.failures:
            assert "Error Context:" not in failure.title
            assert not failure.title.startswith(("×", "±", "F·"))
            assert "(8ms)" not in failure.title and "(18ms)" not in failure.title


def test_a_playwright_timeout_is_no_mocha_timeout(run_log) -> None:
    report = run_log((REAL / "playwright-line-timeout.log").read_bytes(), "playwright-line-timeout")
    assert all(f.rule != "mocha-test-timeout" for f in report.failures)
    # Mocha's own timeouts, old and new spelling, still are
    for line in ("  Error: Timeout of 50ms exceeded. For async tests and hooks, ensure",
                 "     Error: timeout of 2000ms exceeded. Ensure the done() callback is"):
        log = f"  1 failing\n\n  1) saves:\n{line}\n"
        assert run_log(log).failures[0].rule == "mocha-test-timeout"


def test_the_second_failure_is_the_next_tests_details(run_log) -> None:
    report = run_log((REAL / "playwright-list.log").read_bytes(), "playwright-list")
    second = report.failures[1]
    assert (second.detector, second.title) == ("playwright", "lists the items")
    assert "Expected length: 2" in second.excerpt.text


@pytest.mark.parametrize(("line", "test"), [
    ("  1) [chromium] › tests/cart.spec.ts:6:3 › cart › adds the prices " + "─" * 40,
     "cart › adds the prices"),
    ("  12) [Mobile Safari] › e2e/login.spec.ts:14:7 › login › rejects a bad password ──",
     "login › rejects a bad password"),
    ("  3) a.spec.ts:3:5 › a title far too long for the terminal's width",
     "a title far too long for the terminal's width"),
])
def test_the_heading_shapes_of_a_failed_test(line: str, test: str) -> None:
    found = PLAYWRIGHT_FAILURE.match(line)
    assert found is not None and found.group("test") == test


@pytest.mark.parametrize("line", [
    "  1) AtomApplication waits until all the windows have saved their state:",  # Mocha
    "  1) Calc adds",  # RSpec, Jasmine
    "    [chromium] › tests/cart.spec.ts:6:3 › cart › adds the prices ───",  # closing list
])
def test_other_numbered_failures_are_no_playwright_heading(line: str) -> None:
    assert PLAYWRIGHT_FAILURE.match(line) is None


def test_the_marked_failure_row_leaves_playwrights_progress_alone() -> None:
    [marked] = [e for e in EXTRACTORS if e.name == "marked-failure"]
    for line in ("×±×F·", "××F", "  ✘  1 [chromium] › tests/a.spec.ts:6:1 › reads the order (8ms)",
                 "  ✘  2 tests/a.spec.ts:6:1 › reads (retry #1) (20ms)"):
        assert marked.pattern.search(line) is None, line
    assert marked.pattern.search("  ✖ reads the order") is not None


# Reporters made for GitHub Actions (an annotation per failure, which the runner logs as
# `##[error]` and the message's lines) and node's own runner's: the failure's details come top.
# fixture: (detector, the top failure's title, a line its excerpt shows)
ACTIONS_REPORTERS = {
    "jest-github-actions": ("jest", "cart › adds the prices", "Received: 6"),
    "vitest-github-actions": ("vitest", "cart.test.js > cart > adds the prices",
                              "AssertionError: expected 6 to be 5"),
    "playwright-github-actions": ("playwright", "accounts › signs in",
                                  "Error: seed data missing: users.json"),
    "node-test-tap": ("tap", "test adds negative numbers failed", "-3 !== -4"),
    "node-test-dot": ("marked-failure", "adds negative numbers", "-3 !== -4"),
}


@pytest.mark.parametrize("name", sorted(ACTIONS_REPORTERS))
def test_annotating_and_node_reporters_put_the_failures_details_first(run_log, name: str) -> None:
    detector, title, shown = ACTIONS_REPORTERS[name]
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    top = report.failures[0]
    assert (top.detector, top.rule) == (detector, None)
    assert top.title.startswith(title)
    assert shown in top.excerpt.text
    [(first, _)] = LABELS[name]["span"]
    assert top.excerpt.start_line == first


def test_the_runner_logs_an_annotation_as_its_error_and_the_messages_lines() -> None:
    # (capture.py wraps a tool's workflow commands as the runner logs them)
    lines = (REAL / "vitest-github-actions.log").read_text().splitlines()
    error = "##[error]AssertionError: expected 6 to be 5 // Object.is equality"
    [first] = [n for n, line in enumerate(lines) if line.endswith(error)]
    assert lines[first + 1] == "" and lines[first + 5] == "- 5"  # no timestamp: one message
    assert not any(line.startswith("::") or "%0A" in line for line in lines)


def test_a_tap_blocks_message_goes_on_over_its_blank_lines(run_log) -> None:
    top = run_log((REAL / "node-test-tap.log").read_bytes(), "node-test-tap").failures[0]
    [(first, last)] = LABELS["node-test-tap"]["span"]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)
    assert "stack:" not in top.excerpt.text


def test_browsers_never_installed_is_named_over_the_failed_test(run_log) -> None:
    report = run_log((REAL / "playwright-no-browsers.log").read_bytes(), "playwright-no-browsers")
    top = report.failures[0]
    assert (top.detector, top.rule, top.category) == (
        "playwright", "playwright-browsers-missing", "dependency")
    assert "npx playwright install" in top.fix
    assert "Executable doesn't exist at" in top.excerpt.text
    [(first, last)] = LABELS["playwright-no-browsers"]["span"]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)


def test_a_web_server_that_dies_at_its_start_is_the_cause_by_its_own_error(run_log) -> None:
    report = run_log((REAL / "playwright-webserver.log").read_bytes(), "playwright-webserver")
    top = report.failures[0]
    assert top.rule == "node-module-not-found"
    assert "[WebServer] Error: Cannot find module './config.json'" in top.excerpt.text


def test_a_failure_near_the_logs_end_is_shown_once(run_log) -> None:
    # The scanner reads the last lines of a log again with the next chunk's region: a failure's
    # excerpt from the first region still covers them there (node --test's TAP output, bare:
    # its second failure's `error: |-` line was a failure of its own).
    lines = (REAL / "node-test-tap.log").read_text().splitlines()
    plain = [line.split("Z ", 1)[1] for line in lines]
    first = plain.index("TAP version 13")
    end = next(n for n, line in enumerate(plain) if line.startswith("##[error]Process completed"))
    report = run_log("\n".join(plain[first:end]) + "\n", "node-test-tap")
    shown = [(f.excerpt.start_line, f.excerpt.end_line) for f in report.failures]
    assert not any(a[0] <= b[1] and b[0] <= a[1] for n, a in enumerate(shown)
                   for b in shown[n + 1:]), shown
    assert [f.detector for f in report.failures[:2]] == ["tap", "tap"]


def test_a_typescript_modules_syntax_error_is_javascripts_not_pythons(run_log) -> None:
    report = run_log((REAL / "playwright-ts-syntax.log").read_bytes(), "playwright-ts-syntax")
    top = report.failures[0]
    assert (top.rule, top.category, top.title) == (
        "javascript-syntax-error", "compile", "JavaScript syntax error")
    assert "SyntaxError: /home/runner/work/demo/demo/src/cart.ts: Unexpected token (3:1)" in (
        top.excerpt.text)
    assert "> 3 | }}" in top.excerpt.text


@pytest.mark.parametrize(("log", "rule"), [
    ("/app/a.js:3\nfoo(\n    ^\n\nSyntaxError: missing ) after argument list\n", "javascript"),
    ("SyntaxError: Cannot use import statement outside a module\n", "javascript"),
    ("SyntaxError: Unexpected token 'export'\n", "javascript"),
    ('  File "a.py", line 1\n    def f(\n         ^\nSyntaxError: \'(\' was never closed\n',
     "python"),
    ('  File "a.py", line 2\n    print "x"\n    ^\nSyntaxError: invalid syntax\n', "python"),
])
def test_syntax_errors_are_named_by_their_language(run_log, log: str, rule: str) -> None:
    assert run_log(log).failures[0].rule == f"{rule}-syntax-error"
