"""PHP, Scala and Swift as their CI jobs run them: each shape checked on what the real tool
printed (tests/triage/fixtures/real/, made by bench/triage_accuracy/capture.py), bare and inside
whole GitHub Actions and Travis job logs."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from ghbot.engine.triage.engine import Log, Triage
from ghbot.engine.triage.model import Failure

ROOT = Path(__file__).resolve().parents[2]
REAL = Path(__file__).parent / "fixtures" / "real"
sys.path.insert(0, str(ROOT / "bench" / "triage_accuracy"))
import wrapped  # noqa: E402

LABELS = json.loads((ROOT / "bench" / "triage_accuracy" / "labels.json").read_text())


def top(run_log, name: str) -> Failure:
    report = run_log((REAL / f"{name}.log").read_text())
    assert report.failures, name
    return report.failures[0]


@pytest.mark.parametrize(("name", "detector"), [
    ("phpunit-warnings-risky", "phpunit"),  # after a warning, before risky and skipped tests
    ("phpunit-long-diff", "phpunit"),  # the whole array diff down to the file and line
    ("php-lint-loop", "php"),  # `php -l` over many files: the parse error and `Errors parsing`
    ("phpcs-report", "phpcs"),  # the FILE heading down to the last ERROR row
    ("php-cs-fixer-diff", "php-cs-fixer"),  # the numbered file with its rules and diff
    ("scala-junit4", "jvm-exception"),  # JUnit 4 running Scala tests
    ("swift-build-errors", "gcc"),  # Swift 6's framed source lines under each error
    ("swift-build-llvm-style", "gcc"),  # the older style: source line and caret
    ("xcpretty-swift-errors", "xcpretty"),  # a cross before the location, no `error:`
    ("swift-test-crash", "swift"),  # the runtime's `Fatal error`, not SwiftPM's exit line
    ("swiftlint-strict", "swiftlint"),  # both violations, a lint report
])
def test_the_top_excerpt_is_the_labelled_cause_block(run_log, name: str, detector: str) -> None:
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
    assert failure.excerpt.text.endswith("Errors parsing src/Order.php")
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


NAMES = ["phpunit-warnings-risky", "phpunit-long-diff", "php-lint-loop", "phpcs-report",
         "php-cs-fixer-diff", "scala-junit4", "scala-require", "scalac-fatal-warnings",
         "swift-build-errors", "swift-build-llvm-style", "xcpretty-swift-errors",
         "swift-test-xctest", "swift-test-crash", "swiftlint-strict"]


@pytest.mark.parametrize("provider", wrapped.PROVIDERS)
def test_inside_a_whole_job_log_the_cause_is_first(triage: Triage, provider: str) -> None:
    runs = [r for r in wrapped.tool_runs() if r.name in NAMES]
    assert len(runs) == len(NAMES)
    for run in runs:
        job = wrapped.wrap(run, provider)
        report = triage.run(run.name, [Log(None, io.BytesIO(job.text.encode()))])
        first = report.failures[0].excerpt
        assert wrapped.overlaps((first.start_line, first.end_line), job.cause), run.name
