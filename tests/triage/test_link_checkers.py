"""Link checkers' reports (real runs, bench/triage_accuracy/capture.py): the block of links that
failed is the cause, whole; a rule never reads one link's failure as the job's own network
failure, and awesome_bot's white-listed links (allowed to fail) are never a cause."""

from __future__ import annotations

import pytest
from real_runs import LABELS, REAL

from ghbot.engine.triage.extractors import LINK_ENTRY

# fixture: (the extractor that reports it, a line of its issue block)
CHECKERS = {
    "awesome-bot-links": ("awesome_bot", "[L10] 404 http://127.0.0.1:"),
    "awesome-bot-dupes": ("awesome_bot", "> Dupes"),
    "markdown-link-check-dead": ("markdown-link-check", "/wiki/Removed_Page → Status: 404"),
    "html-proofer-site": ("html-proofer", "External link http://127.0.0.1:"),
    "lychee-links": ("lychee", "[404] http://127.0.0.1:"),
}


@pytest.mark.parametrize("name", sorted(CHECKERS))
def test_the_top_failure_is_the_whole_issue_block(run_log, name: str) -> None:
    detector, shown = CHECKERS[name]
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    top = report.failures[0]
    assert (top.detector, top.rule, top.category) == (detector, None, "lint")
    [(first, last)] = LABELS[name]["span"]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)
    assert shown in top.excerpt.text
    assert top.confidence >= 0.7 and not top.retry


def test_white_listed_links_that_fail_are_no_dns_failure_of_the_job(run_log) -> None:
    # awesome_bot lists the white-listed links first; three of them fail their DNS lookups
    # (`getaddrinfo: Name or service not known`), and so does one link of the issue block.
    raw = (REAL / "awesome-bot-links.log").read_bytes()
    assert raw.count(b"getaddrinfo") == 4
    report = run_log(raw, "awesome-bot-links")
    assert all(f.rule is None for f in report.failures)
    assert not any("White listed" in f.excerpt.text or "awesome.re" in f.excerpt.text
                   for f in report.failures)
    assert "mirror.hephaestus-demo.dev:443 (getaddrinfo" in report.failures[0].excerpt.text


def test_a_links_5xx_is_no_server_error_of_the_job(run_log) -> None:
    # lychee's `[500] URL | Rejected status code: 500` is a finding, not a remote service the
    # job needed being down (no retry hint).
    report = run_log((REAL / "lychee-links.log").read_bytes(), "lychee-links")
    assert [f.rule for f in report.failures] == [None] * len(report.failures)
    assert "Rejected status code: 500" in report.failures[0].excerpt.text


def test_the_rules_still_read_a_jobs_own_network_failures(run_log) -> None:
    top = run_log((REAL / "dns-failure.log").read_bytes(), "dns-failure").failures[0]
    assert top.rule == "dns-failure"


@pytest.mark.parametrize("line", [
    "  1. [L01]  https://awesome.re Failed to open TCP connection to awesome.re:443",
    "  04. [L0944] 301 https://github.com/kean/Yalta  → https://github.com/kean/Align",
    "  [✖] https://awesome.re → Status: 0",
    "  *  External link https://x.org/a failed: response code 0 means something's wrong.",
    "[500] http://127.0.0.1:4/api (at 11:3) | Rejected status code: 500 Internal Server Error",
    "[ERROR] https://awesome.re/ (at 1:16) | Connection failed.",
    "✗ [404] https://example.org/gone | Failed: Network error: Not Found",
])
def test_a_link_checkers_line_about_one_link_is_an_entry(line: str) -> None:
    assert LINK_ENTRY.match(line)


@pytest.mark.parametrize("line", [
    "[ERROR] Failed to execute goal on project demo: Could not resolve dependencies",
    "[ERROR] https://repo.maven.apache.org/maven2 is not reachable",
    "curl: (6) Could not resolve host: registry.npmjs.org",
    "  1. test_fetch failed: Temporary failure in name resolution",
    "  *  Connection refused by https://db.internal:5432",
])
def test_other_tools_lines_are_no_link_entries(line: str) -> None:
    assert not LINK_ENTRY.match(line)
