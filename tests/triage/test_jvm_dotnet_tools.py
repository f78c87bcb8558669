"""Java and .NET CI tools beyond Maven and Gradle, on real runs (bench/triage_accuracy/capture.py):
Ant (its junit and javac tasks, a task of its own that failed), Checkstyle, TestNG, NUnit's
console on Mono, mcs and groovyc."""

from __future__ import annotations

import pytest
from real_runs import LABELS, REAL, SOURCES

from ghbot.engine.triage.normalise import normalise

# name -> (category, detector, a line of the top excerpt, a part of its title)
RUNS = {
    # the plain formatter's `Testcase: NAME took N sec` over a bare `FAILED` line
    "ant-junit-plain": ("test", "ant-junit", "junit.framework.AssertionFailedError: expected:<5>",
                        "addsTwoNumbers: expected:<5> but was:<-1>"),
    "ant-junit-brief": ("test", "ant-junit", "junit.framework.AssertionFailedError: expected:<5>",
                        "addsTwoNumbers(acme.CalcTest): expected:<5> but was:<-1>"),
    # results in files only: the task's line naming the class is all there is
    "ant-junit-summary": ("test", "ant-junit", "Test acme.CalcTest FAILED",
                          "test class acme.CalcTest failed"),
    # the root cause, 70 lines down its trace, shown and named beside the exception
    "java-deep-cause": ("test", "jvm-exception",
                        "Caused by: java.nio.file.NoSuchFileException: config/app.properties",
                        "Failed to load application context (caused by java.nio.file."
                        "NoSuchFileException: config/app.properties)"),
    # the same under Surefire: the test's failure, its root cause shown and named
    "maven-surefire3-deep-cause": ("test", "junit",
                                   "Caused by: java.nio.file.NoSuchFileException",
                                   "loadsTheConfiguration failed (caused by java.nio.file."
                                   "NoSuchFileException: config/app.properties)"),
    # a JVM program's trace under the java task's column, its cause included
    "ant-java-exception": ("test", "jvm-exception", "Caused by: java.lang.NumberFormatException",
                           "bad port in config: 80a (caused by java.lang.NumberFormatException"),
    # javac's diagnostic under the javac task's column, read as any compiler's
    "ant-javac": ("compile", "gcc", "location: class Calc", "cannot find symbol"),
    "ant-missing-file": ("config", "ant", "Could not find file",
                         "Ant: Warning: Could not find file"),
    # known failures: the rule names them (tests that passed under a coverage check that did
    # not; an element Ant has no task for, with Ant's Cause and Action lines)
    "ant-jacoco-check": ("test", "jacoco-coverage-check", "Rule violated for bundle demo:",
                         "Code coverage below the minimum"),
    "ant-undefined-task": ("config", "ant-undefined-task", "Cause: The name is undefined.",
                           "Ant does not know a task"),
    "ant-checkstyle": ("lint", "checkstyle", "[LocalVariableName]",
                       "AvoidStarImport: Using the '.*' form of import"),
    "checkstyle-cli": ("lint", "checkstyle", "[LocalVariableName]",
                       "AvoidStarImport: Using the '.*' form of import"),
    "testng-verbose": ("test", "testng", "two plus two expected [5] but found [4]",
                       "test addsTwoNumbers failed"),
    # not its counts: the failure under `Failures (1):`, its test named in the title
    "junit5-console": ("test", "junit-console", "CalcTest.addsTwoNumbers(CalcTest.java:12)",
                       "JUnit Jupiter:CalcTest:addsTwoNumbers(): 2 + 3 ==> expected: <5>"),
    "nunit2-console": ("test", "nunit", "But was:  -1",
                       "test Acme.CalcTests.AddsTwoNumbers failed"),
    # Maven Enforcer's rules: the JDK's version is a known mismatch, another rule names its
    # message down to Maven's closing advice
    "maven-enforcer-java": ("config", "java-version-mismatch", "is not in the allowed range [21,)",
                            "Java version mismatch"),
    "maven-enforcer-files": ("config", "maven-enforcer-rule", "config/app.properties",
                             "A Maven Enforcer rule failed"),
    # a test that ended Surefire's forked JVM: the known failure, with the crashed class
    "maven-surefire3-fork-crash": ("test", "surefire-fork-crash", "acme.ExitTest",
                                   "Surefire's test JVM died"),
    # javac's warnings made errors under Maven: the warnings, not the error naming the file
    "maven-compile-werror": ("compile", "werror", "found raw type: java.util.List",
                             "warnings treated as errors"),
    # no tool's shape: the generic locator's block, above Maven's closing advice
    "maven-invalid-pom": ("compile", "locator", "Non-parseable POM", "has 1 error"),
    "mcs-two-errors": ("compile", "msbuild", "error CS0029", "CS0103"),
    # a project's check for its restored packages, not the error it causes after it
    "xbuild-nuget-not-restored": ("dependency", "nuget-packages-not-restored",
                                  "references NuGet package(s) that are missing",
                                  "NuGet packages were not restored"),
    # nuget.exe's missing version: the known NuGet restore failure
    "nuget-missing-version": ("dependency", "dotnet-restore",
                              "Unable to find version '12.0.3' of package 'Newtonsoft.Json'.",
                              "NuGet restore failed"),
    # down to the outer exception's frame, past the line that ends the inner one's
    "mono-unhandled-exception": ("test", "exception", "Program.cs:18",
                                 "System.InvalidOperationException: no port configured"),
    "kotlinc-two-errors": ("compile", "gcc", "return a + c", "unresolved reference: c"),
    "groovyc-syntax": ("compile", "groovyc", "expecting ')', found '}'",
                       "expecting ')', found '}'"),
    "groovyc-static": ("compile", "groovyc", "Apparent variable 'c' was found",
                       "Apparent variable 'c' was found in a static scope"),
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_tools_own_report_is_the_top_failure(expect_top, name: str) -> None:
    expect_top(name, *RUNS[name])


# the runs whose tool never says why: the answer is "no clear cause" (tested below)
UNCLEAR = ("testng-default", "ant-testng")


def test_every_run_of_the_family_is_recorded_and_labelled() -> None:
    for name in [*RUNS, *UNCLEAR]:
        assert SOURCES[name]["command"] and SOURCES[name]["version"], name
        assert LABELS[name]["cause_lines"], name
        assert LABELS[name].get("unclear", False) is (name in UNCLEAR), name


def _top(run_log, name: str):
    return run_log((REAL / f"{name}.log").read_bytes(), name).failures[0]


def test_ants_javac_error_is_shown_without_ants_column_down_to_javacs_context(run_log) -> None:
    top = _top(run_log, "ant-javac")
    lines = top.excerpt.text.split("\n")
    assert top.category == "compile" and lines[0].endswith("Calc.java:5: error: cannot find symbol")
    assert lines[-1].strip() == "location: class Calc"  # not javac's count under it
    assert not any("[javac]" in line for line in lines)


def test_ant_saying_only_that_something_under_it_failed_is_no_cause_of_its_own(run_log) -> None:
    for name in ("ant-javac", "ant-checkstyle", "ant-junit-plain", "ant-jacoco-check",
                 "ant-testng"):
        report = run_log((REAL / f"{name}.log").read_bytes(), name)
        assert all(failure.detector != "ant" for failure in report.failures), name


def test_the_first_nunit_failure_comes_first_with_its_values_and_trace(run_log) -> None:
    report = run_log((REAL / "nunit2-console.log").read_bytes(), "nunit2-console")
    first, second = report.failures[:2]
    assert "Expected: 5" in first.excerpt.text
    assert "at Acme.CalcTests.AddsTwoNumbers" in first.excerpt.text
    assert "ParsesNumber" not in first.excerpt.text
    assert second.detector == "nunit" and "System.FormatException" in second.excerpt.text


def test_ninjas_failed_target_is_no_testng_test(run_log) -> None:
    report = run_log((REAL / "meson-ninja-gfortran.log").read_bytes(), "meson-ninja-gfortran")
    assert all(failure.detector != "testng" for failure in report.failures)


@pytest.mark.parametrize(("raw", "text"), [
    ("    [junit] \tFAILED", "\tFAILED"),
    ("    [javac] /src/A.java:5: error: no symbol", "/src/A.java:5: error: no symbol"),
    ("     [echo] packaged", "packaged"),
    ("    [junit] ", ""),
    ("[checkstyle] [ERROR] /src/A.java:3:17: msg [X]", "[ERROR] /src/A.java:3:17: msg [X]"),
    ("[ant:checkstyle] [ERROR] /src/A.java:3:17: msg [X]", "[ERROR] /src/A.java:3:17: msg [X]"),
    # not Ant's column: Maven's level, a short name at the margin, a name off the column
    ("[INFO] BUILD FAILURE", "[INFO] BUILD FAILURE"),
    ("[ERROR] /src/A.java:[3,5] no symbol", "[ERROR] /src/A.java:[3,5] no symbol"),
    ("[junit] Tests run: 1", "[junit] Tests run: 1"),
    ("   [junit] Tests run: 1", "   [junit] Tests run: 1"),
    ("      [WARN] deprecated", "      [WARN] deprecated"),
])
def test_ants_task_column_is_read_past_and_nothing_like_it(raw: str, text: str) -> None:
    assert normalise(1, raw).text == text


@pytest.mark.parametrize("name", ["maven-junit", "maven-surefire3-junit5", "maven-compile",
                                  "maven-invalid-pom", "maven-enforcer-files"])
def test_mavens_closing_advice_is_no_failure(run_log, name: str) -> None:
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    for failure in report.failures:
        first = failure.excerpt.text.split("\n")[0]
        assert not first.startswith(("[ERROR] [Help", "[ERROR] Please refer to")), first
        assert failure.title != "[ERROR]"


def test_testngs_counts_alone_are_no_clear_cause_and_shown_with_its_last_lines(run_log) -> None:
    """At its default verbosity TestNG names no failed test: the answer says it is not sure,
    and its counts (what failed, in numbers) are among the step's last lines it shows."""
    top = _top(run_log, "testng-default")
    assert top.confidence <= 0.25
    assert "Total tests run: 2, Failures: 1, Skips: 0" in top.excerpt.text
    step = run_log(b"$ ant test\n" + (REAL / "testng-default.log").read_bytes()
                   + b'The command "ant test" exited with 1.\n').failures[0]
    assert step.title.startswith("No clear cause") and step.confidence <= 0.25
    assert step.excerpt.text.split("\n")[-1] == "Total tests run: 2, Failures: 1, Skips: 0"


def test_testngs_counts_under_its_failures_only_sum_them_up(run_log) -> None:
    report = run_log((REAL / "testng-verbose.log").read_bytes(), "testng-verbose")
    counts = [f for f in report.failures if "Failures: 1, Skips: 0" in f.excerpt.text]
    assert counts and all(f.detector == "test-summary" and f.confidence <= 0.25 for f in counts)


def test_the_junit_consoles_counts_only_sum_up(run_log) -> None:
    report = run_log((REAL / "junit5-console.log").read_bytes(), "junit5-console")
    for failure in report.failures[1:]:
        assert "containers" not in failure.title and "tests failed  " not in failure.title
        assert failure.confidence <= 0.3


def test_a_short_trace_is_shown_whole_from_its_exception_down_to_its_root_cause(run_log) -> None:
    top = _top(run_log, "java-exception-trace")
    lines = top.excerpt.text.split("\n")
    assert lines[0].startswith('Exception in thread "main" java.lang.IllegalStateException')
    assert lines[-1].strip() == "... 13 more"
    assert top.title.endswith('(caused by java.lang.NumberFormatException: For input string:'
                              ' "twelve")')


def test_a_maven_message_read_on_stops_at_its_closing_advice(run_log) -> None:
    top = _top(run_log, "maven-enforcer-files")
    assert top.excerpt.text.split("\n")[-1].endswith("/config/app.properties")


@pytest.mark.parametrize("name", ["maven-surefire3-deep-cause", "java-deep-cause"])
def test_a_trace_cut_around_its_root_cause_is_one_failure(run_log, name: str) -> None:
    """Its exception's line, above the excerpt, makes no second failure of the same trace."""
    top, *rest = run_log((REAL / f"{name}.log").read_bytes(), name).failures
    assert "(caused by java.nio.file.NoSuchFileException: config/app.properties)" in top.title
    assert all(failure.detector not in ("jvm-exception", "junit") for failure in rest)


def test_testngs_ant_task_says_no_more_than_its_counts_and_the_answer_says_so(run_log) -> None:
    """Under Ant the counts come before Ant's `The tests failed.` and `Total time:`, which only
    close the build."""
    top = _top(run_log, "ant-testng")
    assert top.title.startswith("No clear cause") and top.confidence <= 0.25
    assert top.excerpt.text.split("\n")[-1] == "Total tests run: 2, Failures: 1, Skips: 0"
