"""The scripting languages' CI tools run for real (bench/triage_accuracy/capture.py, the
`tscript` block): a Gherkin step that failed (behave, Cucumber, Cucumber.js), a Test::Unit fault, a
Test2::V0 table, PHPUnit's testdox, and the linters none of whose words says that they failed
(Bandit, Pyflakes, pydocstyle, codespell, Vulture, Perl::Critic, PHPMD) each come out first,
whole, under a title that names them."""

from __future__ import annotations

import pytest
from real_runs import REAL

# name: (category, rule or detector, a line of the top excerpt, a part of its title)
RUNS = {
    # the closing counts (`0 features passed, 1 failed`) came first (unknown, 0.85)
    "behave-assert": ("test", "behave", "ASSERT FAILED: expected total 10, got 11",
                      "Then the total is 10: step failed: expected total 10, got 11"),
    "behave-exception": ("test", "behave", "TypeError: unsupported operand",
                         "When I add 2 items priced 5: step failed (TypeError)"),
    "cucumber-expectation": ("test", "cucumber", "got: 11", "Then the total is 10: step failed"
                             " (RSpec::Expectations::ExpectationNotMetError)"),
    # Cucumber.js: its counts came first (`2 scenarios (2 failed)`, unknown 0.85), a miss
    "cucumberjs-assert": ("test", "cucumber-js", "11 !== 10",
                          "step failed: Then the total is 10"),
    # RSpec could not load a spec file: was the locator's block titled `LoadError:` (unknown)
    "rspec3-load-error": ("test", "rspec", "cannot load such file",
                          "rspec: an error occurred while loading ./spec/calc_spec.rb"),
    # the second fault's heading alone came first, without its message
    "testunit-fault": ("test", "test-unit", "NoMethodError: undefined method `downcase'",
                       "Test::Unit: test_nil (SlugTest) Error"),
    # the excerpt stopped at `# Failed test`, above the table of what it got
    "test2-table": ("test", "perl-tap", "| -1  | eq | 3", "test adds two numbers failed"),
    # Bandit's metrics came first; all four issues are shown, the last with its location
    "bandit-issues": ("lint", "bandit", "Location: ./app.py:10:11",
                      "bandit B404: Consider possible security implications"),
    "pyflakes-unused": ("lint", "pyflakes", "app.py:1:1: 'os' imported but unused",
                        "pyflakes: 'os' imported but unused"),
    "pydocstyle-missing": ("lint", "pydocstyle", "D403: First word of the first line",
                           "pydocstyle D100: Missing docstring in public module"),
    # was the `Checking ...: FAILED` line alone as a failed test, its errors not in it (a miss)
    "twine-check-readme": ("lint", "twine", "line 2: Warning: Title underline too short.",
                           "twine check: dist/acme-tw-0.1.0.tar.gz failed"),
    # its violations come after an empty `#` line, where the excerpt stopped (a miss)
    "testperlcritic-violations": ("test", "perl-tap", "Code before warnings are enabled",
                                  "Test::Perl::Critic for \"lib/Calc.pm\" failed"),
    # a subtest's failure, indented, was not taken: its parent's (without values) came first
    "prove-subtest": ("test", "perl-tap", "#          got: '81'", "test port failed"),
    # a test script died: was prove's summary of it (Wstat, unknown 0.85), a miss
    "prove-died": ("test", "perl", "at t/client.t line 10.",
                   "Perl died: Can't call method \"connect\" on an undefined value"),
    # the run ended in a stack dump: was "No clear cause" (0.20; bare, pytest-timeout's own
    # settings in pytest's header came first)
    "pytesttimeout-thread": ("test", "pytest-timeout", 'test_wait.py", line 14, in test_ready',
                             "pytest-timeout ended the run"),
    # rules with a fix: yapf's diff (was "Possible cause" from its middle, a miss), pyupgrade's
    # rewrite ("No clear cause"), interrogate's result (the locator's line, unknown)
    "yapf-diff": ("lint", "python-formatter-diff", "+    return sum(items)",
                  "A formatter (yapf, autopep8) would reformat files"),
    "pyupgrade-rewrite": ("lint", "pyupgrade-rewrote", "Rewriting app.py", "pyupgrade rewrote"),
    "interrogate-fail-under": ("lint", "interrogate-docstring-coverage",
                               "RESULT: FAILED (minimum: 80.0%, actual: 25.0%)",
                               "Docstring coverage is under interrogate's minimum"),
    # each "No clear cause" or "Possible cause (no known pattern matched)" (0.20) before
    "codespell-typos": ("lint", "codespell", "calcualte ==> calculate",
                        "codespell: Retrun ==> Return"),
    "vulture-dead-code": ("lint", "vulture", "unreachable code after 'return'",
                          "vulture: unused import 'os' (90% confidence)"),
    # "No clear cause" (0.20) and "Possible cause (no known pattern matched)" (0.20)
    "perlcritic-violations": ("lint", "perlcritic", "Close filehandles as soon as possible",
                              "Perl::Critic: Always unpack @_ first (severity 4)"),
    "phpmd-text": ("lint", "phpmd", "UnusedLocalVariable",
                   "PHPMD: UnusedFormalParameter Avoid unused parameters"),
    # rules with a fix: tox 4's refusal (was the locator's line, unknown), a step no definition
    # matches (Cucumber's: was the snippets' heading alone, a miss; behave's: the snippet's
    # last line, unknown)
    "tox3-interpreter-missing": ("config", "tox-interpreter-not-found",
                                 "InterpreterNotFound: python3.6", "tox could not find the Python"),
    "tox4-interpreter-missing": ("config", "tox-interpreter-not-found", "specs py36",
                                 "tox could not find the Python"),
    "tox4-allowlist-externals": ("config", "tox-allowlist-externals",
                                 "failed with make is not allowed", "tox refused to run"),
    "cucumber-strict-undefined": ("test", "gherkin-undefined-step",
                                  'Undefined step: "I remove 2 items"', "no step definition"),
    "behave-undefined-step": ("test", "gherkin-undefined-step",
                              "raise StepNotImplementedError(u'When I remove 2 items')",
                              "no step definition"),
    # no test failed, the run is strict: what PHPUnit flagged (was the locator's message line)
    "phpunit9-fail-on-risky": ("test", "phpunit", "This test did not perform any assertions",
                               "phpunit: CartTest::testNothing flagged"),
    "phpunit9-fail-on-warning": ("test", "phpunit", "assertRegExp() is deprecated",
                                 "phpunit: LabelTest::testLabel flagged"),
    # Test::Pod's diagnostics under its failed test were cut off (a miss)
    "testpod-directive": ("test", "perl-tap", "# lib/Calc.pm (13): =over without closing =back",
                          "test POD test for lib/Calc.pm failed"),
    # was the locator's block from its second line (unknown)
    "composer2-validate": ("config", "composer-validate", "description is required",
                           "composer.json does not pass `composer validate`"),
    # cpanm's `! ` lines were TeX's errors (compile), its first alone
    "cpanm-installdeps-missing": ("dependency", "cpanm",
                                  "! Couldn't find module or a distribution Acme::Hephaestus",
                                  "cpanm: Finding Acme::Hephaestus::Missing (1.0) on mirror"),
    # the locator's block from the middle of the first failure's margin came first (unknown)
    "phpunit9-testdox": ("test", "phpunit", "Failed asserting that 7 is identical to 6.",
                         "phpunit: Total failed"),
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_tools_report_is_the_top_failure(expect_top, name: str) -> None:
    expect_top(name, *RUNS[name])


def test_the_counts_of_behave_and_cucumber_only_sum_up(run_log) -> None:
    for name in ("behave-assert", "cucumber-expectation"):
        failures = run_log((REAL / f"{name}.log").read_bytes()).failures
        counts = [f for f in failures if "scenarios" in f.title or "features" in f.title]
        assert all(f.confidence < 0.5 for f in counts), name


def test_the_older_layouts_of_phpmd_and_pyflakes(run_log) -> None:
    # PHPMD before 2.8 (a tab, no rule's name), Pyflakes before 2.2 (no column); a Python
    # warning in Pyflakes' layout is none of its messages
    phpmd = run_log("/src/Order.php:4\tAvoid unused parameters such as '$unused'.\n"
                    "/src/Order.php:6\tAvoid unused local variables such as '$x'.\n")
    assert (phpmd.failures[0].detector, phpmd.failures[0].excerpt.end_line) == ("phpmd", 2)
    assert phpmd.failures[0].title == "PHPMD: Avoid unused parameters such as '$unused'."
    pyflakes = run_log("app.py:1: 'os' imported but unused\n"
                       "conf.py:12: DeprecationWarning: the old API\n")
    assert pyflakes.failures[0].detector == "pyflakes"
    assert pyflakes.failures[0].excerpt.end_line == 1


def test_behave_before_1_3(run_log) -> None:
    # behave 1.2 says `Assertion Failed:` and times each step
    report = run_log("  Scenario: Empty cart  # features/cart.feature:8\n"
                     "    Given an empty cart # features/steps/cart_steps.py:4 0.000s\n"
                     "    Then the total is 0 # features/steps/cart_steps.py:14 0.000s\n"
                     "      Assertion Failed: expected total 0, got 1\n\n"
                     "0 features passed, 1 failed, 0 skipped\n")
    top = report.failures[0]
    assert (top.detector, top.excerpt.start_line, top.excerpt.end_line) == ("behave", 3, 4)
    assert top.title == "Then the total is 0: step failed: expected total 0, got 1"


def test_unittests_diff_of_the_values_is_in_the_excerpt(run_log) -> None:
    # nose2 and nosetests print unittest's report: difflib's lines under the AssertionError
    for name in ("nose2-fail-and-error", "nosetests-fail"):
        failures = run_log((REAL / f"{name}.log").read_bytes()).failures
        failed = next(f for f in failures if "test_spaces" in f.title)
        assert failed.excerpt.text.rstrip().endswith("+ hello-world\n?      ^"), name


def test_an_rspec_examples_excerpt_stops_at_the_next_example(expect_top, run_log) -> None:
    expect_top("rspec3-documentation", "test", "rspec", "got: -1", "Calc.add adds two numbers")
    failures = run_log((REAL / "rspec3-documentation.log").read_bytes()).failures
    assert "2) Calc.div refuses zero" not in failures[0].excerpt.text
    assert "ZeroDivisionError:" in failures[1].excerpt.text


def test_what_phpunit_flags_is_no_failure_in_a_run_that_failed_tests(run_log) -> None:
    failures = run_log((REAL / "phpunit-warnings-risky.log").read_bytes()).failures
    assert failures[0].title == "phpunit: CartTest::testTotal failed"
    assert not any("flagged" in failure.title for failure in failures)


def test_toxs_closing_lines_only_sum_up(run_log) -> None:
    # tox 3's `ERROR:   py311: commands failed`, tox 4's `lint: FAIL code 1 (...)` and
    # `evaluation failed :(` were runner-ups of their own (unknown), titled by their text
    for name in ("tox3-pytest", "tox4-lint-env"):
        failures = run_log((REAL / f"{name}.log").read_bytes()).failures
        assert not any("commands failed" in f.title or "FAIL code" in f.title
                       or "evaluation failed" in f.title for f in failures), name
