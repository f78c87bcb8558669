"""Hostile logs against the shapes of functional and less common languages' tools (triage):
long lines of SBCL's, FiveAM's, Racket's, rackunit's, OCaml's, Alcotest's, Clojure's, Elixir's,
HLint's, Haskell doctest's, Dialyzer's, rebar3's, BibTeX's and ChkTeX's own prefixes that never
complete their shape, and runs of their headings with nothing under them, cost about what plain
lines of their size cost."""

from __future__ import annotations

from cost_alike import assert_costs_alike
from hostile_triage import travis_step, triaged


def test_near_shapes_cost_no_more_than_plain_text() -> None:
    """Each line a few thousand characters long and one character short of its tool's shape."""

    def log(filler: str) -> bytes:
        long = filler * 3000
        lines = ["  Proceeding with analysis...", "INFO - This is Biber 2.18"]
        for n in range(40):
            lines += [f"; in: DEFUN {long}", f";     ({long}", "; caught WARNING:",
                      f";   {long}", f"Unhandled {long} in thread #<x",
                      f"debugger invoked on a {long}in thread", f"   {long}",
                      f" {long} in SUITE [{long}]:x", f" T in {long} [x]: ",
                      f"{'x: ' * 1000}", "  context...:", f"{long}: x", "    context...: ",
                      f'File "{long}", line {n}, characters 1-:', f"{long}", f"Error: {long}",
                      f"\u2502 [FAIL]{long}\u2502x", f"> [FAIL]{long}", "FAILURE",
                      f"name:{long}", f"{long}FAILURE",
                      f"Syntax error compiling at ({long}).x", f"Syntax error {long} at (x).",
                      f"Execution error ({long}) at x (y).x", f"Execution error at {long} (x)",
                      f"warning: {long}", f"a.hs:{n}:1-{long}: Warning: y",
                      f"a{long}.hs:{n}:1: Suggestion{long}", f"Warning {n} in {long} line x: y",
                      f"Warning 1{long} in a.tex line 2: y", f"a.erl:{n}:1: {long}",
                      f"  {long}", f"** (Mix) mix format failed due to --check-formatted{long}",
                      f"===> a.erl:{n}: Warning: {long} is unused (Xref)x",
                      f"a.erl:{n}: Warning: {long}(Xref)", f"%%% {long} ==> {long}: FAILED",
                      f"%%% S ==> {long}", f"Line {n} Column {long}: x",
                      f"===> Warnings occurred running dialyzer: {long}",
                      f"{long}---line {n} of file{long}", f"x---while reading file {long} x",
                      f"a.hs:{n}: failure in expression `{long}", f"{long}.hs:{n}: error in",
                      f"Test {long} failed", f"Test x{long}failed", "Form: x",
                      f'File "a.t", line {n}, characters 0-0:', f"  {long} (internal) (exit 1)x",
                      f"  git{long}(exit 1)", f"+{long}", f"Failed: After {long} test(s).",
                      f"--  While building package {long}", f"    {long}: exited with: x",
                      f"    Process exited with code: ExitFailure {long}",
                      f"{long}: collection not found", f"  for module path: {long}",
                      f"ERROR - {long}", f"Biber error: [{long}", f"  {long} {long}: gave an x",
                      f"Collected error summary (may duplicate other messages){long}",
                      f"    Fail: {long} (1%)", f" Failure Details:{long}"]
        lines.append("Compilation failed due to warnings while using the --warnings-as-errors"
                     " option")
        return travis_step("make test", lines)

    assert_costs_alike(triaged, log(" "), log("a"))


def test_runs_of_headings_with_nothing_under_them_cost_no_more_than_plain_text() -> None:
    """Thousands of the lines each of these shapes starts from, with the lines they reach for
    (SBCL's `; in:`, Racket's message, OCaml's `File` line, rackunit's rules, Dialyzer's
    warnings above rebar3's closing line) missing or far."""

    def log(crafted: bool) -> bytes:
        lines = []
        for n in range(1500):
            if crafted:
                lines += ["; caught WARNING:", "  context...:", "x: collection not found",
                          "FAILURE", "name: check-equal?",
                          f"Error: bad {n}", " T in S []: ", "Unhandled X in thread #<T",
                          "Compilation failed due to warnings while using the"
                          " --warnings-as-errors option", "%%% S ==> c: FAILED",
                          "===> Warnings occurred running dialyzer: 1",
                          "ERROR! Test suite aborted after successful execution due to warnings"
                          " while using the --warnings-as-errors option"]
            else:
                lines += ["; compiling", "  in thread", "x: collection found", "PASSED",
                          "name: check-equal?",
                          f"Ok: good {n}", " T is S []: ", "Handled X in a thread #<T",
                          "Compilation passed with warnings while using the options",
                          "%%% S ==> c: passed", "===> Warnings noted after running it: 1",
                          "Test suite finished after successful execution with warnings noted"
                          " while using the --warnings-as-notes option"]
        return travis_step("make test", lines)

    assert_costs_alike(triaged, log(False), log(True))
