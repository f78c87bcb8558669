"""Issue 14's "tried as a new user would" findings, each on a real tool's output.

The logs are real runs captured by bench/triage_accuracy/capture.py (pytest, pip, npm).
"""

from __future__ import annotations

from real_runs import REAL

from ghbot.engine.triage.formats import to_markdown


def report_of(run_log, name: str):
    return run_log((REAL / f"{name}.log").read_bytes(), name)


def test_pytest_assertion_outranks_a_network_line_in_the_tests_captured_log(run_log) -> None:
    report = report_of(run_log, "pytest-captured-log")
    top = report.failures[0]
    assert top.category == "test" and "assert 4 == 3" in top.excerpt.text
    network = [f for f in report.failures if f.category == "network"]
    assert network and report.failures.index(network[0]) > 0
    assert network[0].confidence <= top.confidence


def test_pytest_setup_error_heading_is_not_a_failure_of_its_own(run_log) -> None:
    report = report_of(run_log, "pytest-setup-error")
    top = report.failures[0]
    assert "KeyError: 'database_url'" in top.excerpt.text and top.category == "test"
    assert not any(f.title.startswith("___") for f in report.failures)
    assert top.rule != "missing-secret"  # a lower-case key is not an environment variable


def test_pips_two_lines_about_one_missing_version_are_one_failure(run_log) -> None:
    report = report_of(run_log, "pip-no-version")
    confident = [f for f in report.failures if f.confidence >= 0.5]
    assert len(confident) == 1
    text = confident[0].excerpt.text
    assert "Could not find a version" in text and "No matching distribution" in text


def test_npm_eresolve_excerpt_names_the_conflicting_packages(run_log) -> None:
    report = report_of(run_log, "npm-eresolve")
    text = report.failures[0].excerpt.text
    for expected in ("ERESOLVE", "Found: react@18.2.0", "Could not resolve dependency",
                     'peer react@"17.0.2" from react-dom@17.0.2', "Fix the upstream"):
        assert expected in text
    assert sum(f.confidence >= 0.5 for f in report.failures) == 1


def test_markdown_keeps_code_spans_of_a_fix(run_log) -> None:
    markdown = to_markdown([report_of(run_log, "npm-eresolve")])
    assert "`--legacy-peer-deps`" in markdown and "\\`--legacy-peer-deps\\`" not in markdown
