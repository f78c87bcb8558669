"""Real tool outputs (tests/triage/fixtures/real/) inside whole CI job logs, and the shapes the
session-10 captures added: each rule is checked on the output a real tool printed."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from real_runs import LABELS, REAL

from ghbot.engine.triage.engine import Log, Triage
from ghbot.engine.triage.model import Failure

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "triage_accuracy"))
import wrapped  # noqa: E402


def top(run_log, name: str) -> Failure:
    report = run_log((REAL / f"{name}.log").read_text())
    assert report.failures, name
    return report.failures[0]


def lines_of(name: str, first: int, last: int) -> list[str]:
    return (REAL / f"{name}.log").read_text().split("\n")[first - 1 : last]


@pytest.mark.parametrize("provider", wrapped.PROVIDERS)
def test_every_real_output_inside_a_whole_job_log_is_found_first(
    triage: Triage, provider: str
) -> None:
    results = wrapped.score(triage, (provider,))
    assert len(results) >= 120
    missed = [r.name for r in results if not r.hit1]
    assert missed == []


def test_a_wrapped_log_keeps_its_cause_lines_where_the_labels_say() -> None:
    run = next(r for r in wrapped.tool_runs() if r.name == "ctest-fail")
    for provider in wrapped.PROVIDERS:
        job = wrapped.wrap(run, provider)
        lines = job.text.split("\n")
        assert all("expected 6, got 7" in lines[n - 1] for n in job.cause)
        assert job.text.count("\n") > len(run.lines) + 80  # a whole job around the step


def test_unwrapping_an_actions_step_gives_the_tool_output_alone() -> None:
    run = next(r for r in wrapped.tool_runs() if r.name == "pytest-assert")
    assert not any(line.startswith(("##[", "20")) for line in run.lines)
    assert any("assert 4 == 3" in run.lines[n - 1] for n in run.cause)


def test_a_pytest_diff_line_left_blank_stays_in_the_assertion(run_log) -> None:
    failure = top(run_log, "pytest-dict-diff")
    first, last = LABELS["pytest-dict-diff"]["span"][0]
    assert (failure.excerpt.start_line, failure.excerpt.end_line) == (first, last)
    assert "AssertionError: assert" in failure.excerpt.text
    assert "{'port': 5433} != {'port': 5432}" in failure.excerpt.text


def test_a_chained_exception_shows_the_original_error_and_the_last_one(run_log) -> None:
    failure = top(run_log, "python-chained-exception")
    assert failure.title == "RuntimeError: settings file is not JSON"
    assert failure.excerpt.text.startswith("json.decoder.JSONDecodeError")
    assert failure.excerpt.text.endswith("RuntimeError: settings file is not JSON")


def test_a_ctest_failure_is_the_test_with_what_it_printed(run_log) -> None:
    failure = top(run_log, "ctest-fail")
    assert failure.detector == "ctest"
    assert failure.title == "ctest: math_twice Failed"
    assert failure.excerpt.text.endswith("t_math.c:5: expected 6, got 7")


def test_of_several_diagnostics_the_first_is_the_cause(run_log) -> None:
    failure = top(run_log, "erlc-missing-include")
    assert failure.excerpt.start_line == 1
    assert "can't find include lib" in failure.title
    assert "undefined macro" not in failure.excerpt.text  # what followed from it


def test_the_script_an_actions_step_echoes_is_not_its_output(triage: Triage) -> None:
    run = next(r for r in wrapped.tool_runs() if r.name == "valgrind-invalid-read")
    job = wrapped.wrap(run, "actions")
    assert "--error-exitcode" in job.text  # the echoed command reads like an error
    report = triage.run("job", [Log(None, io.BytesIO(job.text.encode()))])
    assert report.failures[0].excerpt.start_line == job.cause[0]
    assert "Invalid read of size 4" in report.failures[0].title


@pytest.mark.parametrize("name", [
    "gpp-no-matching-call", "gcc-werror", "make-recursive-gcc", "c-segfault", "c-assert-abort",
    "asan-overflow", "shell-command-not-found", "npm-test-script-assert", "rake-minitest",
    "ghc-type-error", "perl-test-more-diag", "minitest-reporters", "node-gyp-compile",
])
def test_session_ten_shapes_hold_their_whole_cause_block(run_log, name: str) -> None:
    failure = top(run_log, name)
    label = LABELS[name]
    assert any(
        failure.excerpt.start_line <= n <= failure.excerpt.end_line for n in label["cause_lines"]
    )
    if "span" in label:
        first, last = label["span"][0]
        shown = set(range(failure.excerpt.start_line, failure.excerpt.end_line + 1))
        assert len(shown & set(range(first, last + 1))) * 2 > last - first + 1, lines_of(
            name, first, last)


@pytest.mark.parametrize(("name", "first", "last"), [
    ("ruff-concise-list", 1, 4), ("javac-two-errors", 1, 8), ("gcc-two-errors", 1, 7),
])
def test_a_list_of_reports_is_one_excerpt(run_log, name: str, first: int, last: int) -> None:
    """A linter's offences and a compiler's errors, one after another, are shown together (the
    first one ranks, the rest are what the reader fixes in the same pass)."""
    failure = top(run_log, name)
    assert (failure.excerpt.start_line, failure.excerpt.end_line) == (first, last)


def test_a_list_stops_at_the_tools_closing_count(run_log) -> None:
    failure = top(run_log, "ruff-concise-list")
    assert "Found 4 errors" not in failure.excerpt.text


def test_an_unnumbered_minitest_failure_shows_the_test_and_both_values(run_log) -> None:
    """minitest-reporters (and Rails' runner) print `Failure:` over `Class#test [file:line]`."""
    failure = top(run_log, "minitest-reporters")
    assert failure.detector == "minitest"
    assert (failure.excerpt.start_line, failure.excerpt.end_line) == (9, 12)
    assert failure.excerpt.text.endswith("Actual: 7")


def test_a_php_tool_missing_its_extensions_is_named(run_log) -> None:
    failure = top(run_log, "phpunit-missing-extensions")
    assert failure.rule == "php-extension-missing"
    assert failure.category == "dependency"


def test_phpunit_reports_the_error_before_the_failure(run_log) -> None:
    """PHPUnit lists errors (a call on null) before failures: each with its own block."""
    report = run_log((REAL / "phpunit-diff-and-error.log").read_text())
    first, second = report.failures[:2]
    assert "Call to a member function percent() on null" in first.excerpt.text
    assert "+    'pear' => 4" in second.excerpt.text


@pytest.mark.parametrize(("name", "detector", "first", "last"), [
    ("stylelint-list", "eslint", 2, 4),  # the same table as ESLint's, errors marked with a cross
    ("coffee-syntax", "gcc", 1, 3),  # the source line and its caret under the message
    ("jasmine-fail", "jasmine", 6, 12),  # `1) spec` with its Message and Stack
    ("tape-tap", "tap", 3, 8),  # TAP's YAML block up to the reporter's own stack
    ("bats-fail", "tap", 2, 4),  # TAP with `#` diagnostics
])
def test_javascript_css_and_shell_test_shapes(
    run_log, name: str, detector: str, first: int, last: int
) -> None:
    failure = top(run_log, name)
    assert failure.detector == detector
    assert (failure.excerpt.start_line, failure.excerpt.end_line) == (first, last)


@pytest.mark.parametrize(("name", "detector", "first", "last"), [
    ("gtest-fail", "gtest", 6, 11),  # `file:line: Failure` up to the test's `[  FAILED  ]`
    ("latex-undefined", "tex", 12, 14),  # `! message` with its `l.N` input line
    ("latex-missing-package", "tex", 11, 11),
])
def test_cpp_and_tex_shapes(run_log, name: str, detector: str, first: int, last: int) -> None:
    failure = top(run_log, name)
    assert failure.detector == detector
    assert (failure.excerpt.start_line, failure.excerpt.end_line) == (first, last)


def test_googletest_names_the_failed_test_and_counts_the_failures(run_log) -> None:
    failure = top(run_log, "gtest-fail")
    assert failure.title.startswith("Calc.Sums: ")
    assert failure.count == 2


def test_a_compiler_error_inside_pips_output_box_outranks_pips_notice(run_log) -> None:
    """pip indents the build's output under `╰─> [N lines of output]`: the compiler's error
    there is the cause, pip's "failed to build" lines only say that it failed."""
    failure = top(run_log, "pip-c-extension")
    assert failure.detector == "gcc"
    assert "expected ‘;’ before ‘}’ token" in failure.title
    assert failure.excerpt.start_line == LABELS["pip-c-extension"]["span"][0][0]


def test_setuptools_without_bdist_wheel_is_named(run_log) -> None:
    failure = top(run_log, "pip-bdist-wheel-missing")
    assert failure.rule == "bdist-wheel-missing"


def test_a_failed_tests_exception_printed_at_the_margin_belongs_to_it(run_log) -> None:
    """minitest-reporters' SpecReporter prints the assertion back at the margin under the
    indented `test_sum ... FAIL` line."""
    failure = top(run_log, "minitest-spec-reporter")
    assert failure.detector == "test-status"
    assert (failure.excerpt.start_line, failure.excerpt.end_line) == (7, 11)
    assert "Expected: 6" in failure.excerpt.text


@pytest.mark.parametrize(("name", "detector", "first", "last"), [
    ("clojure-test-fail", "clojure-test", 4, 7),  # not vitest's `FAIL name`
    ("r-missing-package", "r", 6, 7),  # `Error in CALL :` with its message below
])
def test_clojure_and_r_shapes(run_log, name: str, detector: str, first: int, last: int) -> None:
    failure = top(run_log, name)
    assert failure.detector == detector
    assert (failure.excerpt.start_line, failure.excerpt.end_line) == (first, last)


def test_cpythons_test_runner_shows_the_failure_not_its_closing_counts(run_log) -> None:
    report = run_log((REAL / "cpython-regrtest.log").read_text())
    failure = report.failures[0]
    assert failure.title == "unittest: test_add (test_calc.CalcTests.test_add) FAIL"
    assert failure.excerpt.text.endswith("AssertionError: 6 != 7")
    assert all(f.detector != "locator" for f in report.failures)  # its closing lines say only


def test_mocha_failures_listed_together_are_one_excerpt(run_log) -> None:
    # A test and its afterEach hook time out: mocha's list of failures, with a blank line and
    # a blank stack between them (mocha 12), is shown whole from its first entry.
    failure = top(run_log, "mocha-hook-timeout")
    first, last = LABELS["mocha-hook-timeout"]["span"][0]
    assert failure.excerpt.start_line == first
    assert "Timeout of 50ms" in failure.excerpt.text and "Timeout of 60ms" in failure.excerpt.text
    assert failure.excerpt.end_line >= last
    assert failure.excerpt.text.rstrip().endswith("(node:internal/timers:519:7)")  # no blanks


def test_a_mocha_progress_entry_is_not_the_failure(run_log) -> None:
    # `1) saves its state` in the progress list, with the nested suite's title under it, reads
    # like the details; those come after `1 failing`.
    report = run_log((REAL / "mocha-nested-progress.log").read_text())
    failure = report.failures[0]
    assert failure.detector == "mocha"
    assert failure.excerpt.start_line == LABELS["mocha-nested-progress"]["span"][0][0]
    assert "Expected values to be strictly equal" in failure.excerpt.text
    assert not any("layout" in f.excerpt.text for f in report.failures)


@pytest.mark.parametrize("provider", wrapped.PROVIDERS)
def test_no_excerpt_reaches_over_the_failing_steps_header_or_exit(
    triage: Triage, provider: str
) -> None:
    # A rule's context lines (`before: 3`, `after: 2`) used to take in the step's header and the
    # fold mark above it when the tool's first output line was the cause (a crash, a missing
    # secret), and the step's exit line below its last; an extractor's lines below (Jest's,
    # busted's, pre-commit's) ran into the exit line too.
    header = "##[group]Run " if provider == "actions" else "travis_time:start:6a7b8c9d"
    ending = "##[error]Process completed" if provider == "actions" else 'The command "'
    crossing = []
    for run in wrapped.tool_runs():
        job = wrapped.wrap(run, provider)
        lines = job.text.split("\n")
        step = max(n for n in range(1, job.cause[0]) if header in lines[n - 1])
        exit_line = next(n for n in range(job.cause[-1], len(lines)) if ending in lines[n - 1])
        report = triage.run(run.name, [Log(None, io.BytesIO(job.text.encode()))])
        crossing += [
            (run.name, f.excerpt.start_line, f.excerpt.end_line) for f in report.failures[:3]
            if f.excerpt.start_line <= step <= f.excerpt.end_line
            or f.excerpt.start_line <= exit_line < f.excerpt.end_line
        ]  # fmt: skip
        # the top one's ends above the exit line, unless a signal killed the step (exit 137)
        first = report.failures[0].excerpt
        if first.start_line < exit_line == first.end_line and not 128 < run.code < 160:
            crossing.append((run.name, first.start_line, first.end_line))
    assert crossing == []


def test_a_compilers_notes_on_an_error_are_part_of_it(run_log) -> None:
    failure = top(run_log, "gpp-no-matching-call")
    first, last = LABELS["gpp-no-matching-call"]["span"][0]
    assert (failure.excerpt.start_line, failure.excerpt.end_line) == (first, last)
    assert "note: in passing argument 2 of" in failure.excerpt.text


def test_nodes_own_module_is_not_where_an_assertion_failed(run_log) -> None:
    # `node:assert:90` with `throw new AssertionError(obj);` and a caret: Node's assert module
    # threw it; the excerpt starts at the assertion, its frames name the caller.
    failure = top(run_log, "npm-test-script-assert")
    assert failure.excerpt.text.startswith("AssertionError [ERR_ASSERTION]")


# PHP, Scala and Swift as their CI jobs run them (session 11): PHPUnit 9, php -l, phpcs, PHP CS
# Fixer, scalac and JUnit 4, swift build / swift test (Debian trixie's swiftlang), xcpretty and
# SwiftLint, each checked bare and inside whole job logs.
@pytest.mark.parametrize(("name", "detector"), [
    ("phpunit-warnings-risky", "phpunit"),  # after a warning, before risky and skipped tests
    ("phpunit-long-diff", "phpunit"),  # the whole array diff down to the file and line
    ("php-lint-loop", "php"),  # `php -l` over many files: the parse error among clean ones
    ("phpcs-report", "phpcs"),  # the FILE heading down to the last ERROR row
    ("php-cs-fixer-diff", "php-cs-fixer"),  # the numbered file with its rules and diff
    ("scala-junit4", "jvm-exception"),  # JUnit 4 running Scala tests
    ("swift-build-errors", "gcc"),  # Swift 6's framed source lines under each error
    ("swift-build-llvm-style", "gcc"),  # the older style: source line and caret
    ("xcpretty-swift-errors", "xcpretty"),  # a cross before the location, no `error:`
    ("swift-test-crash", "swift"),  # the runtime's `Fatal error`, not SwiftPM's exit line
    ("swiftlint-strict", "swiftlint"),  # both violations, a lint report
])
def test_php_scala_swift_top_excerpt_is_the_labelled_cause_block(
    run_log, name: str, detector: str
) -> None:
    failure = top(run_log, name)
    assert failure.detector == detector
    [(first, last)] = LABELS[name]["span"]
    assert (failure.excerpt.start_line, failure.excerpt.end_line) == (first, last)


def test_phpunits_warnings_risky_and_skipped_tests_are_not_failures(run_log) -> None:
    """PHPUnit 9 numbers a deprecated assertion's warning, a risky and a skipped test as it
    numbers failures; only the failure is one."""
    report = run_log((REAL / "phpunit-warnings-risky.log").read_text())
    titles = [f.title for f in report.failures]
    assert titles[0] == "phpunit: CartTest::testTotal failed"
    assert "Failed asserting that 7 is identical to 6." in report.failures[0].excerpt.text
    assert not any(t.endswith(("testLabel failed", "testNothing failed", "testSkipped failed"))
                   for t in titles)


def test_a_php_parse_error_among_clean_files_is_named(run_log) -> None:
    failure = top(run_log, "php-lint-loop")
    assert "src/Order.php on line 12" in failure.excerpt.text
    assert "No syntax errors detected" not in failure.excerpt.text


def test_xcpretty_errors_are_one_excerpt_of_both_errors(run_log) -> None:
    failure = top(run_log, "xcpretty-swift-errors")
    assert failure.category == "compile"
    assert failure.title == "cannot convert value of type 'String' to specified type 'Int'"
    assert "cannot find 'shipping' in scope" in failure.excerpt.text


def test_php_cs_fixers_file_is_a_style_report_not_a_test(run_log) -> None:
    failure = top(run_log, "php-cs-fixer-diff")
    assert failure.category == "lint"
    assert failure.title == "PHP CS Fixer would change src/Order.php"


def test_a_swift_test_crash_names_the_trap(run_log) -> None:
    report = run_log((REAL / "swift-test-crash.log").read_text())
    assert report.failures[0].title == "Swift fatal error: Index out of range"
    assert all("signal code 4" not in f.title for f in report.failures[:1])


def test_an_xctest_assertion_is_the_cause(run_log) -> None:
    failure = top(run_log, "swift-test-xctest")
    assert "XCTAssertEqual failed: (\"7\") is not equal to (\"6\")" in failure.title


def test_scalacs_fatal_warnings_show_the_warning_they_made_an_error(run_log) -> None:
    failure = top(run_log, "scalac-fatal-warnings")
    assert failure.detector == "werror"
    assert (failure.excerpt.start_line, failure.excerpt.end_line) == (1, 5)
    assert failure.title.startswith("Shapes.scala:6: warning: match may not be exhaustive.")


def test_a_scala_requirement_names_the_exception(run_log) -> None:
    failure = top(run_log, "scala-require")
    assert failure.title.startswith("java.lang.IllegalArgumentException: requirement failed")


def test_sbts_log_levels_hide_nothing(run_log) -> None:
    # The same real program run bare and logged as sbt logs a forked run (`[info] ` before
    # each stdout line, `[error] ` before each stderr line): the same failure, without levels.
    logged, bare = top(run_log, "sbt-fork-run"), top(run_log, "scala-require")
    assert (logged.detector, logged.title) == (bare.detector, bare.title) == (
        "jvm-exception", "java.lang.IllegalArgumentException: requirement failed: PORT must be a"
        " number, got '80a'")
    assert (logged.excerpt.start_line, logged.excerpt.end_line) == (
        bare.excerpt.start_line, bare.excerpt.end_line)
    assert logged.excerpt.text == bare.excerpt.text
    assert "at Main$.port(Main.scala:3)" in logged.excerpt.text


@pytest.mark.parametrize(("name", "record"), [
    ("scala-junit4-logged", ("Prices$$anonfun$total$1 apply", "WARNING: using the cached price")),
    ("scala-junit4-logback", ("[main] WARN Prices - using the cached price",)),
    ("scala-junit4-slf4j-simple", ("[main] WARN Prices - using the cached price",)),
])
def test_exceptions_a_test_logged_are_not_its_failure(
    run_log, name: str, record: tuple[str, ...]
) -> None:
    # Log records (java.util.logging's, Logback's, slf4j-simple's) of exceptions the code under
    # test caught come first; JUnit's assertion failure is the cause.
    report = run_log((REAL / f"{name}.log").read_text())
    first, *rest = report.failures
    assert (first.detector, first.title) == (
        "jvm-exception", "totalsTwoItems(CalcTest): java.lang.AssertionError: expected:<20> but"
        " was:<21>")
    assert (first.excerpt.start_line, first.excerpt.end_line) == tuple(LABELS[name]["span"][0])
    logged = [f for f in rest if f.detector == "jvm-logged"]
    assert [f.title for f in logged] == [
        "logged java.io.IOException: price service unreachable for tea",
        "logged java.io.IOException: price service unreachable for milk"]
    # each excerpt holds the whole record over the trace
    for failure in logged:
        lines = failure.excerpt.text.split("\n")
        assert len(lines) > len(record) and lines[len(record)].startswith("java.io.IOException")
        assert all(part in line for part, line in zip(record, lines, strict=False))
    assert all(f.confidence < first.confidence for f in logged)


PHP_SCALA_SWIFT = [
    "phpunit-warnings-risky", "phpunit-long-diff", "php-lint-loop", "phpcs-report",
    "php-cs-fixer-diff", "scala-junit4", "scala-junit4-logged", "scala-junit4-logback",
    "scala-junit4-slf4j-simple", "scala-require", "sbt-fork-run", "scalac-fatal-warnings",
    "swift-build-errors", "swift-build-llvm-style", "xcpretty-swift-errors",
    "swift-test-xctest", "swift-test-crash", "swiftlint-strict",
]


@pytest.mark.parametrize("provider", wrapped.PROVIDERS)
def test_php_scala_swift_inside_a_whole_job_log_the_cause_is_first(
    triage: Triage, provider: str
) -> None:
    runs = [r for r in wrapped.tool_runs() if r.name in PHP_SCALA_SWIFT]
    assert len(runs) == len(PHP_SCALA_SWIFT)
    for run in runs:
        job = wrapped.wrap(run, provider)
        report = triage.run(run.name, [Log(None, io.BytesIO(job.text.encode()))])
        first = report.failures[0].excerpt
        assert wrapped.overlaps((first.start_line, first.end_line), job.cause), run.name
