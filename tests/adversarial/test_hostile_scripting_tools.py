"""Hostile logs against the shapes of the scripting languages' CI tools (triage): Gherkin steps
of behave and Cucumber (Ruby's and JavaScript's), Test::Unit's faults, Test2's tables,
PHPUnit's testdox, Bandit's issues, tox's closing, twine's checks, pytest-timeout's dumps,
Pyflakes', pydocstyle's, codespell's, Vulture's, Perl::Critic's and PHPMD's reports, cpanm's
errors, Perl's deaths. Long lines that start as one of them and never complete, and many of
them in a row, cost about what plain lines of their size cost."""

from __future__ import annotations

from cost_alike import assert_costs_alike
from hostile_triage import travis_step, triaged


def _log(lines: list[str]) -> bytes:
    return travis_step("make test", lines, 1)


def test_near_gherkin_steps_cost_no_more_than_plain_text() -> None:
    """Step lines with no location or a location that never ends, assertion and exception
    lines under them, Cucumber's exception class never closed, many steps in a row."""

    def log(filler: str) -> bytes:
        lines = []
        for n in range(40):
            lines += [f"    Then {filler * 1500} # {filler * 1500}",
                      f"    When {filler * 1500} # features/{filler * 1500}:{n} {filler}s",
                      f"      ASSERT FAILED: {filler * 3000}",
                      f"      {filler * 1500}Error: {filler * 1500}",
                      f"      {filler * 1500} ({'A' * 1500}::{filler * 1500}",
                      f"      ({'Ab::' * 1000}",
                      f"      ./{filler * 1500}:{n}:in `{filler * 1500}",
                      *[f"    And {filler * 60} # steps/{filler}.py:{n}" for _ in range(20)],
                      f"      Assertion Failed: {filler * 3000}",
                      f"   \u2716 Then {filler * 1500} # {filler * 1500}",
                      f"   \u2716 When {' # ' * 1000}x:{n}"]
        return _log(lines)

    assert_costs_alike(triaged, log("ab"), log("a#"))


def test_near_test_unit_test2_and_testdox_reports_cost_no_more_than_plain_text() -> None:
    def log(filler: str) -> bytes:
        lines = []
        for n in range(40):
            lines += ["=" * 79, f"Failure: {filler * 1500}({filler * 1500}",
                      "=" * 79, f"Error: test_{n}({'A::' * 1000}) [{filler * 1500}",
                      f"An error occurred while loading {filler * 3000}",
                      f"An error occurred in a `{filler * 3000}' hook.",
                      f"{filler * 3000}", "# Failed test 'x'", f"# at {filler * 3000}",
                      f"# | {filler * 3000}", f"# +{'-+' * 1500}",
                      f"{' ' * 3000}#   Failed test '{filler * 1000}",
                      f"{' ' * 32}#   Failed test '{filler * 3000}",
                      f" \u2718 {filler * 3000}", f"   \u2502 {filler * 3000}",
                      f"   {chr(0x2502) * 3000}"]
        return _log(lines)

    assert_costs_alike(triaged, log("ab"), log("a("))


def test_near_linter_reports_cost_no_more_than_plain_text() -> None:
    """Bandit's issue line and its source lines, Pyflakes' messages with names that never
    close, pydocstyle's places, Perl::Critic's locations and PHPMD's columns, each long."""

    def log(filler: str) -> bytes:
        lines = []
        for n in range(40):
            lines += [f">> Issue: [B{n:03d}:{filler * 1500}] {filler * 1500}",
                      f"{n}\t{filler * 3000}", "-" * 3000,
                      f"{filler * 1500}.py:{n}:1: '{filler * 1500} imported but unused",
                      f"x.py:{n}: undefined name '{filler * 3000}",
                      f"x.py:{n}: '{filler * 1500}' may be undefined, or defined from star"
                      f" imports: {filler * 1500}",
                      f"{filler * 1500}:{n} in public method `{filler * 1500}:",
                      f"        D{n:03d}: {filler * 3000}",
                      f"{filler * 1500} at line {n}, column 1.  {filler * 1500}  (Severity: ",
                      f"lib/{filler * 1000}: [{filler * 1000}] x at line {n}, column {n}."
                      f"{'  ' * 500}(Severity: 5",
                      f"/src/{filler * 1500}.php:{n}  {'A' * 1500}  {' ' * 100}",
                      f"/src/x.php:{n}{' ' * 1500}{filler * 1500}",
                      f"! Finding {filler * 1500} ({filler * 1500} on mirror {filler}",
                      f"! Installing {filler * 3000}", f"! {filler * 3000}",
                      f"{filler * 1500}:{n}: {filler * 90} ==> {filler * 1500}",
                      f"x.py:{n}: {filler * 1500} ==>", f"x:{n}: a ==> {' ' * 3000}",
                      f"x.py:{n}: unused import '{filler * 1500}' ({filler * 1500}% confidence",
                      f"x.py:{n}: unused function 'f' ({n}% confidence, {filler * 3000}",
                      f"Checking {filler * 3000}: FAILED, due to", f"ERROR{' ' * 3000}x",
                      f"{'py3' * 1000}: FAIL code 1 (", f"ERROR:   {'py' * 1500}: commands",
                      f"  {filler * 3000}: FAIL code {filler}",
                      f"{'+' * 1500} Timeout {'+' * 1500}{filler}", f"{'~' * 3000} Stack",
                      f"{'+' * 100} Timeout {'+' * 100}",
                      f"Can't call method {filler * 1500} at {filler * 1500} line {n}",
                      f"Not a HASH reference at x line {n}, <{filler * 3000}",
                      f"Undefined subroutine {' at ' * 1000} line"]
        return _log(lines)

    assert_costs_alike(triaged, log("ab"), log("a "))


def test_many_entries_of_phpunits_flagged_list_cost_no_more_than_plain_text() -> None:
    """Thousands of numbered entries under a list of warnings with no closing below: each looks
    down for the run's closing."""

    def log(heading: str) -> bytes:
        lines = [heading]
        for n in range(3000):
            lines += [f"{n % 999 + 1}) Acme\\CartTest::testLabel{n}", "assertRegExp() is gone"]
        return _log(lines)

    assert_costs_alike(triaged, log("There were 3000 failures:"), log("There were 3000 warnings:"))
