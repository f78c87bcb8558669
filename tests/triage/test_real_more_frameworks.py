"""Test frameworks common in languages the shared sets hold one repository of (Emacs Lisp,
Haskell, Erlang, Vim script, Lua), each captured from a real run (see fixtures/real/README.md):
the top failure is the framework's failure block, named after the failed test, holding the
assertion with its values."""

from __future__ import annotations

import pytest
from real_runs import REAL, SOURCES

# log: (category, detector, a line of the cause the excerpt holds, words the title holds)
FRAMEWORKS = {
    "ert-fail": ("test", "ert", "      (equal 7 6)", "calc-test-sums-three"),
    "buttercup-fail": ("test", "buttercup", "but instead it was `7'", "to be `equal' to `6'"),
    "package-lint": ("lint", "elisp-lint", "calc.el:12:0: error:", "package's prefix"),
    "hspec-fail": ("test", "hspec", "but got: 7", "total sums three numbers"),
    "hunit-fail": ("test", "hunit", "but got: 7", "1:sums three"),
    "quickcheck-falsified": ("test", "quickcheck", "\n[]", "Falsified after 1 test"),
    "ghc-type-error": ("compile", "ghc", "Couldn't match type", "Main.hs:7:21"),
    "emacs-byte-compile": ("compile", "emacs-byte-compile", "calc.el:3:20: Error: Unused lexical",
                           "Unused lexical variable"),
    "eunit-fail": ("test", "eunit", "{value,7}", "sums_three_test"),
    "erlc-missing-include": ("compile", "erlc", 'can\'t find include lib "eunit/include/',
                             "can't find include lib"),
    "rebar3-eunit-fail": ("test", "rebar3-eunit", "got: 7", "calc_tests:sums_three_test/0"),
    "vader-fail": ("test", "vader", "(X) 7 should be equal to 6", "total of three numbers"),
    "vim-assert-fail": ("test", "vim-assert", "Expected 6 but got 7",
                        "Test_total_of_three_numbers"),
    "luaunit-fail": ("test", "luaunit", "expected: 6, actual: 7", "testSumsThree"),
    "luacheck-warnings": ("lint", "luacheck", "accessing undefined variable",
                          "unused variable"),
}


@pytest.mark.parametrize("name", sorted(FRAMEWORKS))
def test_the_frameworks_failure_block_is_the_top_failure(expect_top, name: str) -> None:
    expect_top(name, *FRAMEWORKS[name])


def test_their_runs_are_recorded() -> None:
    for name in FRAMEWORKS:
        assert SOURCES[name]["command"], name


def test_a_lisp_backtrace_under_pythons_heading_is_not_a_python_traceback(run_log) -> None:
    # buttercup heads its backtrace `Traceback (most recent call last):` as Python does
    report = run_log((REAL / "buttercup-fail.log").read_bytes())
    assert all(failure.detector != "python" for failure in report.failures)
    top = report.failures[0]
    assert "calc-total sums three numbers" in top.excerpt.text
    assert top.excerpt.text.split("\n")[-1].startswith("FAILED: Expected `(calc-total")


def test_the_whole_eunit_failure_from_the_test_to_its_assertion_term(run_log) -> None:
    top = run_log((REAL / "eunit-fail.log").read_bytes()).failures[0]
    lines = top.excerpt.text.split("\n")
    assert lines[0].strip() == "calc: sums_three_test...*failed*"
    assert any(line.startswith("**error:{assertEqual") for line in lines)
    assert "[done in" not in top.excerpt.text


def test_every_luacheck_warning_of_the_file_is_in_one_excerpt(run_log) -> None:
    report = run_log((REAL / "luacheck-warnings.log").read_bytes())
    text = report.failures[0].excerpt.text
    assert all(f"src/calc.lua:{where}:" in text for where in ("5:9", "6:7", "13:30"))
    assert sum(failure.detector == "luacheck" for failure in report.failures) == 1
