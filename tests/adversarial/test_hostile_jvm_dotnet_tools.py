"""Hostile logs against the Java and .NET tools' shapes (Ant's task column, its junit task and
BUILD FAILED, Checkstyle, TestNG, NUnit, groovyc): near-misses of each at every length the
patterns allow and past it, repeated, and cut short, cost about what plain lines of their size
cost; a line never loses more than one Ant column."""

from __future__ import annotations

from cost_alike import assert_costs_alike
from hostile_triage import travis_step, triaged

from ghbot.engine.triage.normalise import MAX_LINE, normalise


def _log(lines: list[str]) -> bytes:
    return travis_step("ant test", lines)


def test_near_shapes_cost_no_more_than_plain_text() -> None:
    def log(a: str) -> bytes:
        lines = []
        for n in range(60):
            lines += [
                # Ant's column: off by one, a name too long for it, a bracket that never closes
                f"{' ' * 9}[{a * 8}] error {n}", f"[{a * 61}] error {n}", f"    [{a * 4000} error",
                # its junit task: a Testcase heading that runs on, a FAILED line cut short
                f"Testcase: {a * 3000} took {'1.' * 500} sec", "\tFAILED", f"{a * 4000} error",
                f"Testcase: {a * 400}:\tFAILE", f"Test {a * 400} FAILED ({a * 3000})",
                # BUILD FAILED over a location line of many colons and `.xml`s
                "BUILD FAILED", f"{'a.xml:1' * 600}: error {n}",
                # Checkstyle: a path of many `.java:`s, a message of many ` [`s
                f"[ERROR] {'a.java:1:' * 400}: {' [x' * 1000}]",
                f"[ERROR] /a.java:3:4: {a * 299} [{a * 81}] error",
                # TestNG: FAILED: over a line of many dots that never names an exception
                f"FAILED: {a * 4000}", f"{'a.' * 2000}Errors error",
                # NUnit: many numbers before the parenthesis, a name too long
                f"{'1' * 4000}) Test Failure : x", f"1) Test Error : {a * 4000} error",
                # the JUnit console: `=> ` over a dotted name that never ends in an exception,
                # a heading of many colons, counts that never close their bracket
                f"    => {'a.' * 2000}Errors error", f"  {'a:' * 2000}(", "    MethodSource [",
                f"[ {'1' * 3000} tests failed", f"[{' ' * 3000}1 tests failed ]",
                # Maven's warnings made errors: a path of many `:[`s, an error with no heading
                f"[WARNING] {'a:[1,' * 800}2] x", f"[ERROR] {a * 300}: warnings found and -Werror",
                # MSBuild: a path of many dots and `proj`s that never reaches `: error`
                f"{'a.proj' * 600} : errors", f"  {a * 299}.csproj{' ' * 2000}: error",
                # groovyc: `startup failed:` over a location of many quotes and colons
                "startup failed:", f"build file '{'a: 1: ' * 600}' error",
            ]
        return _log(lines)

    assert_costs_alike(triaged, log(" "), log("a"))


def test_many_failures_and_long_reports_stay_bounded() -> None:
    def log(text: str) -> bytes:
        block = []
        for n in range(300):
            block += [f"    [junit] Testcase: test{n} took 0.01 sec", f"    [junit] \t{text}",
                      f"    [junit] expected:<{n}> but was:<{n + 1}>",
                      *[f"    [junit] \tat a.B.c{i}(B.java:{i})" for i in range(40)],
                      f"{n}) Test Failure : A.B.C{n}", *[f"at A.B{i} ()" for i in range(40)]]
        return _log(block)

    assert_costs_alike(triaged, log("PASSED"), log("FAILED"))


def test_only_one_ant_column_goes_and_lines_stay_capped() -> None:
    assert normalise(1, "    [junit]     [junit] x").text == "    [junit] x"
    assert normalise(2, "[checkstyle] [checkstyle] x").text == "[checkstyle] x"
    long = "    [junit] " + "x" * 10_000
    assert len(normalise(3, long).text) <= MAX_LINE


def test_traces_read_down_to_their_root_causes_cost_what_their_lines_cost() -> None:
    """A JVM trace is read on past its excerpt for a `Caused by:` (at most ROOT_LINES): runs of
    failure headings, of exceptions and of deep traces cost about what as many plain lines do."""
    def log(failing: bool) -> bytes:
        exc, cause, state = ("Exception", "Caused by", "FAILURE") if failing else (
            "Examples", "Called by", "PASSING")
        lines = [f"t{n}(a.B)  Time elapsed: 0.1 s  <<< {state}!" for n in range(3000)]
        lines += [f"java.lang.Illegal{exc}: x{n}" for n in range(3000)]
        for n in range(20):
            lines += [f"java.lang.Illegal{exc}: deep {n}",
                      *[f"\tat a.B.c{i}(B.java:{i})" for i in range(300)],
                      *[f"{cause}: java.lang.Other{exc}: cause {i}" for i in range(50)],
                      *[f"\tat a.C.d{i}(C.java:{i})" for i in range(300)]]
        return travis_step("mvn test", lines)

    assert_costs_alike(triaged, log(False), log(True))
