"""Hostile logs against the link checkers' shapes (triage): lines that nearly read as one link's
entry or a checker's closing count cost about what plain lines of their size cost."""

from __future__ import annotations

from cost_alike import assert_costs_alike
from hostile_triage import travis_step, triaged


def _log(lines: list[str]) -> bytes:
    return travis_step("check-links", lines)


def test_near_entries_of_a_link_report_cost_no_more_than_plain_text() -> None:
    """Each entry shape reads a URL of up to 2,000 characters before the word it needs (an
    arrow, `failed`, a ` | `); long lines that have the start of an entry but never that word
    are ruled out once, not tried again at every length."""

    def log(filler: str) -> bytes:
        lines = []
        for n in range(40):
            lines += [f"  [\u2716] {filler * 3000} fail {n}",
                      f"  *  External link {filler * 3000} error {n}",
                      f"[ERROR] https://{filler * 3000} failed {n}",
                      f"  {n}. [L{n}] {filler * 3000} Failed"]
        return _log(lines)

    assert_costs_alike(triaged, log(" "), log("x"))


def test_near_closing_counts_of_link_checkers_cost_no_more_than_plain_text() -> None:
    """lychee's and html-proofer's closing lines, long and never complete, above long reports."""

    def log(filler: str) -> bytes:
        lines = []
        for n in range(40):
            lines += [f"\U0001f50d {n} Total (in 1s) " + filler * 3000 + " Errors x",
                      "HTML-Proofer found " + "9" * 3000 + " errors!"]
            lines += ["  *  " + filler * 500] * 10
        return _log(lines)

    assert_costs_alike(triaged, log("a "), log("1 "))
