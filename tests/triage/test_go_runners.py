"""gotestsum, the runner over `go test -json` that many 2026 Go jobs use (real runs,
bench/triage_accuracy/capture.py): the failed test with what it printed is the cause, in each of
its formats; its `=== Failed` heading and `DONE 3 tests, 1 failure` closing line only sum up."""

from __future__ import annotations

import pytest
from real_runs import REAL

MESSAGE = "calc_test.go:14: Add(2, 3) = 6, want 5"


@pytest.mark.parametrize("name", ["gotestsum-pkgname", "gotestsum-standard-quiet"])
def test_the_failed_tests_block_under_failed_is_the_cause(run_log, name: str) -> None:
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    top = report.failures[0]
    assert (top.detector, top.category, top.title) == (
        "go-test", "test", "go test: TestAdd failed in calc"
    )
    assert top.excerpt.text.splitlines()[0] == "=== FAIL: calc TestAdd (0.00s)"
    assert MESSAGE in top.excerpt.text and top.confidence >= 0.7
    for failure in report.failures:
        assert not failure.title.startswith(("DONE ", "=== Failed"))
        if "DONE 3 tests" in failure.excerpt.text:
            assert failure.confidence <= 0.3


def test_a_streamed_tests_messages_above_its_result_belong_to_it(run_log) -> None:
    # `--format testname` (and `go test -v`): the test's messages come under its `=== RUN`,
    # before `--- FAIL:`
    report = run_log((REAL / "gotestsum-testname.log").read_bytes())
    top = report.failures[0]
    assert (top.detector, top.title) == ("go-test", "go test: TestAdd failed")
    assert top.excerpt.text.splitlines() == [
        "=== RUN   TestAdd",
        "    calc_test.go:12: adding small numbers",
        f"    {MESSAGE}",
        "--- FAIL: TestAdd (0.00s)",
    ]


def test_plain_go_test_keeps_its_messages_below_the_result(expect_top) -> None:
    expect_top("go-test", "test", "go-test", "calc_test.go:7: Add(2, 3) = 6, want 5", "TestAdd")


def test_a_panicking_tests_whole_trace_is_its_block(run_log) -> None:
    # gotestsum prints the panic unindented, over blank lines, up to its closing counts
    report = run_log((REAL / "gotestsum-panic.log").read_bytes())
    top = report.failures[0]
    assert (top.detector, top.title) == ("go-test", "go test: TestIndex failed in calc")
    text = top.excerpt.text
    assert "panic: runtime error: index out of range [2] with length 0 [recovered]" in text
    assert "/home/runner/work/demo/demo/calc/calc_test.go:7" in text
    assert "DONE" not in text


def test_a_test_file_that_does_not_compile_is_a_compile_error(expect_top) -> None:
    expect_top("gotestsum-build-error", "compile", "go", "calc_test.go:6:18: undefined: Sum")
