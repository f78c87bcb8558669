"""Real runs of functional and less common languages' tools (bench/triage_accuracy/capture.py):
the top failure is the tool's own report of the cause, with the lines that say why."""

from __future__ import annotations

import pytest
from real_runs import REAL

CASES = [
    # (run, category, detector, a cause line of the excerpt, a part of the title)
    # SBCL's `; caught WARNING:` under ASDF, not its COMPILE-FILE-ERROR nor the closing counts
    ("sbcl-asdf-warning", "compile", "sbcl", 'Constant "1" conflicts with its asserted type',
     'SBCL WARNING: Constant "1" conflicts'),
    # a READ error (an unbalanced parenthesis) has no form: its file's heading and the position
    ("sbcl-read-error", "compile", "sbcl", "(in form starting at line: 3",
     "SBCL ERROR: READ error during COMPILE-FILE"),
    # the unhandled condition with its message, not the first frame of the backtrace
    ("sbcl-script-error", "test", "sbcl", "  no values to average",
     "SBCL: unhandled SIMPLE-ERROR: no values to average"),
    ("fiveam-fail", "test", "fiveam", "(TOTAL '(1 2 3))", "SUMS-THREE in CALC-SUITE failed"),
    ("clrt-fail", "test", "cl-rt", "Actual value: 7.", "RT: TOTAL.THREE failed"),
    # an error inside a check, and neither FiveAM's counts nor its 'Failure Details:' heading
    ("fiveam-unexpected-error", "test", "fiveam", "Unexpected Error: #<SIMPLE-ERROR",
     "FiveAM: MEAN-OF-NOTHING in STATS failed"),
    ("raco-test-error", "test", "rackunit", "car: contract violation",
     "rackunit: check-equal? ERROR parse-test.rkt:4:0"),
    ("raco-test-fail", "test", "rackunit", "actual:     7",
     "rackunit: check-equal? FAILURE calc-test.rkt:4:0"),
    ("raco-make-unbound", "compile", "racket", "lenght: unbound identifier",
     "stats.rkt:4:19: lenght: unbound identifier"),
    ("lein-syntax-error", "compile", "clojure", "Unable to resolve symbol: totl",
     "Unable to resolve symbol: totl in this context (calc/core.clj:3:20)"),
    ("lein-run-execution-error", "test", "clojure", "Divide by zero",
     "Clojure ArithmeticException: Divide by zero (core.clj:3)"),
    # the files listed under mix's message, and a fix that formats them
    ("mixfmt-check-formatted", "lint", "mix-format", "* lib/calc.ex", "not formatted"),
    ("mixwarn-warnings-as-errors", "compile", "werror", 'variable "unused" is unused',
     'variable "unused" is unused'),
    # the warning above the passing tests' counts, not mix's closing ERROR! line
    ("exunit-warnings-as-errors", "compile", "werror", 'variable "unused" is unused',
     'variable "unused" is unused'),
    ("exunit-coverage-threshold", "test", "exunit-coverage-under", "Threshold:  90.00%",
     "Test coverage below the threshold"),
    ("dune-type-error", "compile", "ocaml", "^^^^^^^", "This expression has type int"),
    ("dune-warning-as-error", "compile", "ocaml", "let unused = 3 in",
     "OCaml: unused variable unused."),
    # dune's diff of a cram test's output (no trigger word: its `File` line is a shape)
    ("dune-cram-diff", "test", "dune", "+  7", "dune: tests/run.t differs"),
    # Alcotest's boxed failure, not read as a JavaScript runner's `FAIL name`
    ("alcotest-fail", "test", "alcotest", "Received: `7'", "Alcotest: total three failed"),
    ("hsdoctest-failure", "test", "haskell-doctest", " but got: 7",
     "doctest failure in `total [1, 2, 3]` at src/Calc.hs:5"),
    ("hlint-hints", "lint", "hlint", "Warning: Redundant if", "HLint Warning: Eta reduce"),
    # Dialyzer's warning with its success typing, not read as erlc's error
    ("dialyzer-spec", "lint", "dialyzer", "nonempty_improper_list",
     "Dialyzer: Invalid type specification for function calc:label/1"),
    # BibTeX's error with the entry it quotes, not latexmk's closing summary
    ("bibtex-missing-comma", "compile", "bibtex", "title = {LaTeX},",
     "BibTeX: I was expecting a `,' or a `}' (refs.bib:9)"),
    # Biber's error, not latexmk's summary of it nor its repeat in 'Biber error: [306] ...'
    ("biber-syntax-error", "compile", "biber", 'line 9, syntax error: found "title"',
     "Biber: BibTeX subsystem:"),
    ("chktex-warnings", "lint", "chktex", "Warning 18 in paper.tex line 4",
     "ChkTeX Warning 2: Non-breaking space"),
    # GHC's message in the title, not only its place (a -Werror warning under cabal)
    ("cabal-werror-unused-import", "compile", "ghc", "-Werror=unused-imports",
     "GHC: The import of \u2018Data.List\u2019 is redundant at src/Calc.hs:3:1"),
    # rebar3: Common Test's reason under the failed case; Xref's call to a function that does not
    # exist before the unused exports listed above it; Dialyzer's warning, which holds no
    # trigger word, reached from rebar3's closing line
    ("ct-rebar3-badmatch", "test", "common-test", "{{badmatch,7}",
     "Common Test calc_SUITE:sums_three failed: {{badmatch,7}"),
    ("xref-undefined-function", "lint", "xref", "calls undefined function lists:lenght/1",
     "Xref: calc:mean/1 calls undefined function lists:lenght/1"),
    ("dialyzer-rebar3-spec", "lint", "dialyzer", "Line 7 Column 2: Invalid type specification",
     "Invalid type specification for function calc:label/1"),
    # PropEr's counterexample and the shrunk one under it
    ("proper-counterexample", "test", "proper", "[100]", "PropEr: a property failed after"),
    # under stack, GHC's error with its message (stack-test-hspec's top, hspec's, was right
    # before: its closing lines are the test below)
    ("stack-werror-unused-import", "compile", "ghc", "-Werror=unused-imports",
     "GHC: The import of \u2018Data.List\u2019 is redundant"),
    # a dependency the runner lacks: the rule that says how to install it
    ("sbcl-asdf-missing-system", "dependency", "asdf-system-missing",
     'Component "cl-csv-reader" not found', "Common Lisp system"),
    ("raco-make-collection", "dependency", "racket-collection-not-found",
     'collection: "threading"', "Racket collection"),
    ("hex-not-installed", "dependency", "hex-not-installed", "Could not find Hex", "Hex"),
    ("cabal-unknown-package", "dependency", "cabal-could-not-resolve", "unknown package: aeson",
     "cabal could not resolve"),
    # the dependency and why, above mix's closing `Can't continue due to errors on dependencies`
    ("mixdeps-unchecked", "dependency", "mix-unchecked-dependencies",
     "the dependency is not available", "Elixir dependencies"),
]


@pytest.mark.parametrize(("name", "category", "detector", "cause", "title"), CASES,
                         ids=[case[0] for case in CASES])
def test_top_failure_is_the_tools_report(
    expect_top, name: str, category: str, detector: str, cause: str, title: str
) -> None:
    expect_top(name, category, detector, cause, title)


@pytest.mark.parametrize("name", ["stack-werror-unused-import", "stack-test-hspec"])
def test_stacks_closing_lines_are_no_failure_of_their_own(run_log, name: str) -> None:
    """`--  While building package`, `Test suite failure for package` and the ExitFailure lines
    under them only say that GHC or the tests failed: no [unknown] failure of their own."""
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    closing = ("While building package", "Test suite failure for package", "ExitFailure")
    assert not [failure.title for failure in report.failures
                if failure.detector != "stack" and any(c in failure.title for c in closing)]


def test_an_error_line_under_a_python_doctest_place_is_not_ocamls(run_log) -> None:
    """OCaml's `Error:` belongs to a `File "x.ml", line 3, characters 2-5:` place above it; the
    doctest runner's `File "x.py", line 3, in name` has none."""
    log = "\n".join(['File "calc.py", line 3, in calc.total', "Failed example:", "    total([])",
                     "Exception raised:", "    Traceback (most recent call last):",
                     "Error: no values to average", "***Test Failed*** 1 failures."]) + "\n"
    assert "ocaml" not in {failure.detector for failure in run_log(log).failures}


def test_an_old_ghcs_one_line_warning_is_not_hlints(run_log) -> None:
    """GHC before 7.8 printed `Calc.hs:3:1: Warning: Defined but not used: x` on one line, as
    HLint prints its hints; HLint's have the code it found below (`Found:`)."""
    log = ("[1 of 1] Compiling Calc ( src/Calc.hs, dist/build/Calc.o )\n"
           "src/Calc.hs:3:1: Warning: Defined but not used: `helper'\n"
           "src/Calc.hs:4:1: Warning: Top-level binding with no type signature: x :: Int\n")
    assert "hlint" not in {failure.detector for failure in run_log(log).failures}


def test_another_tools_missing_component_is_not_asdfs(run_log) -> None:
    """The ASDF rule wants ASDF's words (`required by #<SYSTEM`, its condition's name), not any
    `Component "x" not found` (a web framework's)."""
    log = 'ERROR in ./src/App.vue\nComponent "Button" not found\n'
    assert "asdf-system-missing" not in {failure.rule for failure in run_log(log).failures}


def test_a_databases_missing_collection_is_not_rackets(run_log) -> None:
    """Racket's missing collection has its module path under it; a database's has not."""
    log = "test_users.py F\nE   pymongo.errors.OperationFailure: collection not found\n"
    assert "racket-collection-not-found" not in {f.rule for f in run_log(log).failures}
