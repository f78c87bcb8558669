"""C and C++ tooling beyond the compilers (real runs, bench/triage_accuracy/capture.py): the test
frameworks' failure blocks are the cause, not their closing counts nor another tool of the same
shape (doctest's lines read as Sphinx's, Boost.Test's as nvcc's, automake's as Vitest's); the
linters (clang-tidy, clang-format, cppcheck) are named as linters, not as the compiler; configure's
error comes with the check that failed above it and the lines of its message below; a gone apt
repository is named as one, not as a missing package."""

from __future__ import annotations

import pytest
from real_runs import LABELS, REAL

# fixture: (category, detector, a line of the top excerpt, a part of the top title)
TOPS = {
    "catch2-require": ("test", "catch2", "7 == 6", "total adds the values: REQUIRE( total({1,"
                       " 2, 3}) == 6 ) failed at t.cpp:10"),
    "doctestcpp-require": ("test", "doctest-cpp", "values: REQUIRE( 7 == 6 )",
                           "total adds the values: REQUIRE( total({1, 2, 3}) == 6 ) is NOT"),
    "boosttest-check": ("test", "boost-test", "has failed [hello_world != hello-world]",
                        "total_adds_the_values: check total({1, 2, 3}) == 6 has failed [7 != 6]"),
    "cppunit-assert-equal": ("test", "cppunit", "- Actual  : 7",
                             "CartTest::testTotal: equality assertion failed"),
    "ubsan-overflow": ("test", "ubsan", "in main",
                       "UBSan: signed integer overflow: 1073741823 * 4 cannot be represented"),
    "lsan-leak": ("test", "sanitizer", "in copy_name /home/runner/work/demo/demo/leak.c:5",
                  "LeakSanitizer: detected memory leaks"),
    "tsan-data-race": ("test", "sanitizer", "Previous write of size 4",
                       "ThreadSanitizer: data race"),
    "cpplint-style": ("lint", "cpplint", "src/slug.cc:6:  Missing space before ( in if(",
                      "cpplint found 3 style problems"),
    "clangtidy-warnings-as-errors": ("lint", "clang-tidy", "(int item : items)",
                                     "clang-tidy modernize-loop-convert: use range-based for"),
    "clangformat-dry-run": ("lint", "clang-format", "int count(const std::vector<int>& items){",
                            "clang-format: w.cpp is not formatted"),
    "cppcheck-error-exitcode": ("lint", "cppcheck", "return a[4];",
                                "cppcheck error: Array 'a[4]' accessed at index 4"),
    "cppcheck-legacy-template": ("lint", "cppcheck", "[w.c:3]: (error) Array 'a[4]'",
                                 "cppcheck error: Array 'a[4]' accessed at index 4"),
    "autoconf-missing-lib": ("config", "configure", "checking for frob_init in -lfrobnicate... no",
                             "configure: libfrobnicate is required"),
    "autoconf-pkg-config": ("config", "configure", "Package 'frobnicate', required by",
                            "configure: Package requirements (frobnicate >= 2.0) were not met"),
    "automake-check-verbose": ("test", "automake", "expected 6, got 7",
                               "make check: FAIL t_total (exit status 1)"),
    "automake-check-cat-log": ("test", "automake", "expected 6, got 7",
                               "make check: FAIL t_total (exit status 1)"),
    # the job's `apt-get update` for its build dependencies, one source gone
    "aptupdate-gone-repository": ("dependency", "apt-repository-unreachable",
                                  "hephaestus-gone Release' does not have a Release file",
                                  "An apt repository could not be fetched"),
    # unchanged: the compiler's own rows already read these
    "clang-fixit-notes": ("compile", "gcc", "note: 'price' declared here",
                          "no member named 'prise' in 'Item'; did you mean 'price'?"),
    "cmakemake-parallel": ("compile", "gcc", "return undefined_count;",
                           "‘undefined_count’ was not declared in this scope"),
}


@pytest.mark.parametrize("name", sorted(TOPS))
def test_the_top_failure_is_the_tools_own_report(expect_top, name: str) -> None:
    expect_top(name, *TOPS[name])


@pytest.mark.parametrize("name", ["catch2-require", "doctestcpp-require", "cppunit-assert-equal",
                                  "boosttest-check", "autoconf-missing-lib"])
def test_the_excerpt_is_the_labelled_block(run_log, name: str) -> None:
    top = run_log((REAL / f"{name}.log").read_bytes(), name).failures[0]
    [(first, last)] = LABELS[name]["span"]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)


@pytest.mark.parametrize(("name", "closing"), [
    ("catch2-require", "test cases: 3 | 1 passed | 2 failed"),
    ("doctestcpp-require", "[doctest] Status: FAILURE!"),
    ("boosttest-check", '*** 2 failures are detected in the test module "cart"'),
    ("cppunit-assert-equal", "Run:  3   Failures: 2   Errors: 0"),
    ("automake-check-verbose", "# FAIL:  1"),
])
def test_the_closing_counts_only_say_that_tests_failed(run_log, name: str, closing: str) -> None:
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    [counts] = [f for f in report.failures if closing in f.excerpt.text.splitlines()[0]]
    assert counts is not report.failures[0] and counts.confidence < 0.7


def test_an_asan_report_is_the_sanitizers_not_a_crash(run_log) -> None:
    # heap-buffer-overflow: caught before anything crashed, the report up to its SUMMARY
    top = run_log((REAL / "asan-overflow.log").read_bytes()).failures[0]
    assert (top.detector, top.rule, top.title) == ("sanitizer", None,
                                                   "AddressSanitizer: heap-buffer-overflow")
    assert top.excerpt.text.splitlines()[-1].startswith("SUMMARY: AddressSanitizer")


def test_a_crash_asan_reports_is_still_the_segfault_rules(run_log) -> None:
    log = ("AddressSanitizer:DEADLYSIGNAL\n" + "=" * 65 + "\n==16744==ERROR: AddressSanitizer:"
           " SEGV on unknown address 0x000001d548d0 (pc 0x000000455084 bp 0x0 sp 0x7ffe T0)\n"
           "==16744==The signal is caused by a READ memory access.\n"
           "    #0 0x455083 in main /src/a.c:3\n\nSUMMARY: AddressSanitizer: SEGV /src/a.c:3 in"
           " main\n==16744==ABORTING\n")
    top = run_log(log).failures[0]
    assert top.rule == "segfault" and "SEGV on unknown address" in top.excerpt.text


def test_catch2s_compact_reporter_and_a_section_name(run_log) -> None:
    # `-r compact`: one line a failure
    top = run_log("t.cpp:10: failed: total({1, 2, 3}) == 6 for: 7 == 6\n"
                  "Failed 1 test case, failed 1 assertion.\n").failures[0]
    assert (top.detector, top.title) == ("catch2", "total({1, 2, 3}) == 6 failed at t.cpp:10")
    # a section's name, indented under its test case's
    rule, dots = "-" * 79, "." * 79
    log = "\n".join([rule, "cart", "  totals", rule, "t.cpp:9", dots, "", "t.cpp:12: FAILED:",
                     "  CHECK( total == 6 )", "with expansion:", "  7 == 6", "", "=" * 79,
                     "test cases: 1 | 1 failed"]) + "\n"
    assert run_log(log).failures[0].title == "cart: CHECK( total == 6 ) failed at t.cpp:12"


@pytest.mark.parametrize(("name", "chatter"), [
    ("automake-check-verbose", "# ERROR: 0"),
    ("automake-check-cat-log", "# XFAIL: 0"),
    ("clangtidy-warnings-as-errors", "Use -header-filter=.*"),
])
def test_zero_counts_and_notes_on_hidden_warnings_are_no_failures(run_log, name: str,
                                                                  chatter: str) -> None:
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    assert not any(f.title.startswith(chatter) for f in report.failures)


def test_doctests_second_failure_is_its_next_test_case(run_log) -> None:
    report = run_log((REAL / "doctestcpp-require.log").read_bytes())
    second = report.failures[1]
    assert (second.detector, second.category) == ("doctest-cpp", "test")
    assert second.title.startswith("slug keeps words apart: CHECK( slug(")


def test_a_sphinx_error_without_a_doctest_case_above_is_still_sphinxs(run_log) -> None:
    log = ("Running Sphinx v7.2.6\nbuilding [html]: targets for 2 source files\n"
           "index.rst:4: ERROR: Unknown directive type \"autofoo\".\n\n.. autofoo:: x\n"
           "build finished with problems, 1 warning.\n")
    assert run_log(log).failures[0].detector == "sphinx"


def test_an_nvcc_error_is_still_nvccs(run_log) -> None:
    log = ("kernel.cu(4): error: identifier \"undefined_total\" is undefined\n"
           "    return undefined_total;\n           ^\n\n"
           "1 error detected in the compilation of \"kernel.cu\".\n")
    assert run_log(log).failures[0].detector == "nvcc"


def test_automakes_progress_line_names_the_test_when_no_log_is_printed(run_log) -> None:
    # `make check` without VERBOSE: the test's output stays in its .log file
    lines = ["make[2]: Entering directory '/w'", "FAIL: t_total", "PASS: t_slug",
             "=" * 76, "Testsuite summary for cart 1.0", "=" * 76, "# TOTAL: 2", "# PASS:  1",
             "# SKIP:  0", "# XFAIL: 0", "# FAIL:  1", "# XPASS: 0", "# ERROR: 0", "=" * 76,
             "See ./test-suite.log", "=" * 76,
             "make[2]: *** [Makefile:630: test-suite.log] Error 1"]
    top = run_log("\n".join(lines) + "\n").failures[0]
    assert (top.detector, top.title) == ("automake", "make check: FAIL t_total")


def test_a_mypy_error_code_in_brackets_is_no_cppcheck_finding(run_log) -> None:
    top = run_log("app.py:3:5: error: Unsupported operand types [operator]\n"
                  "Found 1 error in 1 file (checked 1 source file)\n").failures[0]
    assert top.detector != "cppcheck"
