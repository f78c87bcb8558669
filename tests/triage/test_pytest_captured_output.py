"""What a pytest failure's captured output is worth (real runs, bench/triage_accuracy/capture.py):
the test's output is below the failure block it belongs to, unless the block only says that a
command the test ran failed; then what the command printed says why."""

from __future__ import annotations

from real_runs import REAL


def report_of(run_log, name: str):
    return run_log((REAL / f"{name}.log").read_bytes(), name)


def test_a_logged_traceback_with_a_known_failure_stays_below_the_value_assertion(run_log) -> None:
    # The code under test logged a refused connection with its traceback, and a rule names it:
    # the rule used to lift the captured traceback back above the assertion it was demoted under.
    report = report_of(run_log, "pytest-captured-traceback")
    top = report.failures[0]
    assert (top.detector, top.category) == ("pytest", "test")
    assert "assert 4 == 3" in top.excerpt.text and top.confidence >= 0.7
    [network] = [f for f in report.failures if f.category == "network"]
    assert network.confidence < 0.5


def test_when_the_test_only_says_its_command_failed_the_commands_error_is_the_cause(
    run_log,
) -> None:
    report = report_of(run_log, "pytest-script-network")
    top = report.failures[0]
    assert (top.category, top.rule) == ("network", "connection-failed")
    assert "ConnectionRefusedError: [Errno 111] Connection refused" in top.excerpt.text
    assert top.confidence >= 0.7
    [assertion] = [f for f in report.failures if f.title.endswith("Error at harness.py:17")]
    assert report.failures.index(assertion) > 0
    # `--showlocals` prints the frame's locals between the E line and the location: the
    # failure block still reaches up to the assertion and the code that raised it
    assert "E           AssertionError: Script returned code: 1" in assertion.excerpt.text
    assert "code       = 1" in assertion.excerpt.text


def test_a_commands_own_traceback_outranks_the_assertion_on_its_exit_code(run_log) -> None:
    report = report_of(run_log, "pytest-script-error")
    top = report.failures[0]
    assert (top.detector, top.category) == ("python", "test")
    assert top.title == "TypeError: unsupported operand type(s) for +: 'int' and 'str'"
    assert 'File "/home/runner/work/demo/demo/report.py", line 3' in top.excerpt.text
    assert any("Script returned code: 1" in f.excerpt.text for f in report.failures[1:])


def test_a_value_assertion_keeps_its_place_over_a_captured_command_failure(run_log) -> None:
    # The same shapes, reversed: the test's assertion is about a value, and the captured log
    # holds a failed command's report: the assertion is still the cause.
    log = "\n".join([
        "=================================== FAILURES ===================================",
        "_________________________________ test_total _________________________________",
        "",
        "    def test_total():",
        ">       assert total([1, 2]) == 3",
        "E       assert 4 == 3",
        "",
        "test_prices.py:5: AssertionError",
        "------------------------------ Captured log call -------------------------------",
        "WARNING  cache:cache.py:9 refresh: Command 'curl' returned non-zero exit status 7.",
        "ERROR    cache:cache.py:10 curl: (7) Failed to connect to 127.0.0.1 port 9: Connection"
        " refused",
        "=========================== short test summary info ============================",
        "FAILED test_prices.py::test_total - assert 4 == 3",
        "============================== 1 failed in 0.05s ===============================",
    ])
    top = run_log(log).failures[0]
    assert top.detector == "pytest" and "assert 4 == 3" in top.excerpt.text


def test_a_failure_block_coloured_in_caret_notation_is_read_as_pytests(run_log) -> None:
    # A job log saved with its control characters shown as `^[` (as some of 2026's Actions logs
    # are): the E line and the location start with colour codes in caret notation.
    stamp = "2026-05-04T06:35:53.2090186Z "
    block = [
        "^[[31m^[[1m_______________ test_no_truststore_can_install[GitHub] _______________^[[0m",
        "    ^[[94mdef^[[39;49;00m ^[[92mtest_no_truststore_can_install^[[39;49;00m(script):",
        ">       result = script.pip(^[[33m\"^[[39;49;00m^[[33minstall^[[39;49;00m^[[33m\"^[[0m)",
        "^[[1m^[[31mE       AssertionError: Script returned code: 1^[[0m",
        "",
        "allow_error = False",
        "",
        "^[[1m^[[31mtests/lib/__init__.py^[[0m:681: AssertionError",
    ]
    top = run_log("\n".join(stamp + line for line in block)).failures[0]
    assert top.detector == "pytest"
    assert top.title == (
        "test_no_truststore_can_install[GitHub]: AssertionError at tests/lib/__init__.py:681"
    )
    assert "E       AssertionError: Script returned code: 1" in top.excerpt.text
    assert "^[" not in top.excerpt.text
