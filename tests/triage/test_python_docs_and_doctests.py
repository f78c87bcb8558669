"""Python's documentation and test output as cpython's and pandas' jobs print it: Sphinx's
warnings (9, 8 and 7, `-W`, `--keep-going`, `-n`, through make), doctests (pytest's, the standard
library's runner, Sphinx's doctest builder) and pytest-xdist's workers. Each log is a real run
(see fixtures/real/README.md); the top failure is the tool's own report of the first problem,
never its closing count or a progress line."""

from __future__ import annotations

import re

import pytest
from real_runs import LABELS, REAL, SOURCES

# log: (category, detector, a line of the cause the excerpt holds, words the title holds)
RUNS = {
    "sphinx-warnings": ("lint", "sphinx", "toctree contains reference to nonexisting document",
                        "Sphinx WARNING: toctree contains reference"),
    # coloured, as Sphinx 9 prints on a runner (CI=true), and --quiet: one run of messages
    "sphinx-ci-colour": ("lint", "sphinx", "index.rst:8: WARNING: unknown document: 'nodoc'",
                         "Sphinx WARNING: toctree contains reference"),
    "sphinx7-keep-going": ("lint", "sphinx", "index.rst:4: WARNING: toctree contains",
                           "Sphinx WARNING: toctree contains reference"),
    "sphinx7-make-warning-error": ("lint", "sphinx", "index.rst:4:toctree contains reference",
                                   "stopped on a warning: toctree contains reference"),
    "sphinx8-nitpicky": ("lint", "sphinx", "py:class reference target not found: Item",
                         "reference target not found: Item"),
    "sphinx-linkcheck": ("lint", "sphinx-linkcheck", "404 Client Error: Not Found for url",
                         "Sphinx linkcheck: broken link"),
    # autodoc's warning quotes the import's traceback: the rule names the missing module
    "sphinx-autodoc-import": ("dependency", "python-module-not-found",
                              "WARNING: autodoc: failed to import 'shop_payments'",
                              "A Python module is not installed"),
    # Sphinx stopped on its own error: the exception, titled by the report's headline
    "sphinx-extension-error": ("config", "sphinx", "threw an exception (exception: 'colour')",
                               "Extension error (badges): sphinx.errors.ExtensionError"),
    "sphinx9-config-error": ("config", "sphinx", "NameError: name 'theme_name' is not defined",
                             "Configuration error: sphinx.errors.ConfigError"),
    "sphinx7-config-error": ("config", "sphinx", "NameError: name 'theme_name' is not defined",
                             "Sphinx Configuration error: There is a programmable error"),
    "sphinx7-missing-extension": ("config", "sphinx",
                                  "Could not import extension sphinx_copybutton_typo",
                                  "Sphinx Extension error: Could not import extension"),
    "sphinx-doctest-builder": ("test", "doctest", "    median([3, 1, 2])", "index.rst:7"),
    "doctest-pytest-modules": ("test", "doctest",
                               "UNEXPECTED EXCEPTION: ZeroDivisionError('division by zero')",
                               "[doctest] stats.mean: ZeroDivisionError"),
    "doctest-stdlib-verbose": ("test", "doctest", "    ZeroDivisionError: division by zero",
                               "stats.mean: doctest example"),
    "doctest-testmod": ("test", "doctest", "    ZeroDivisionError: division by zero",
                        "__main__.mean: doctest example"),
    "pytest-xdist-crash": ("test", "pytest-xdist",
                           "worker 'gw1' crashed while running 'tests/test_exit.py::test_crash'",
                           "worker gw1 crashed while running tests/test_exit.py::test_crash"),
    # a test segfaults: pytest's faulthandler dump (after its progress dots) names it first
    "pytest-xdist-segfault": ("test", "segfault",
                              'tests/test_native.py", line 5 in test_reads_null',
                              "Segmentation fault"),
    # (its workers finish in no set order: the first failure listed is the top, see below)
    "pytest-xdist-fail": ("test", "pytest", "E       ", ": AssertionError at tests/test_"),
}


def _report(run_log, name: str):
    return run_log((REAL / f"{name}.log").read_bytes(), name)


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_tools_own_report_of_the_first_problem_is_the_top_failure(
    expect_top, name: str
) -> None:
    expect_top(name, *RUNS[name])


def test_their_runs_are_recorded() -> None:
    for name in RUNS:
        assert SOURCES[name]["command"] and SOURCES[name]["version"], name
        assert LABELS[name]["cause_lines"], name


@pytest.mark.parametrize("name", ["sphinx-warnings", "sphinx7-keep-going"])
def test_sphinxs_warnings_come_first_one_first_and_its_closing_only_counts_them(
    run_log, name: str
) -> None:
    report = _report(run_log, name)
    first, second = report.failures[:2]
    # the reading run: the first warning and the ERROR below it with the directive it quotes
    lines = first.excerpt.text.split("\n")
    assert "WARNING: toctree contains reference" in lines[0]
    assert 'ERROR: Error in "code-block" directive:' in lines[1]
    assert "   :bogus:" in lines and lines[-1].startswith("   x = 1")
    assert "looking for now-outdated files" not in first.excerpt.text
    # the writing run's two warnings, one excerpt, next
    assert second.detector == "sphinx"
    assert "undefined label: 'nolabel'" in second.excerpt.text
    assert "unknown document: 'nodoc'" in second.excerpt.text
    for failure in report.failures:
        if "build finished with problems" in failure.excerpt.text:
            assert failure.confidence <= 0.3 and failure.detector != "sphinx"


def test_a_warning_that_stopped_sphinx_under_make_is_the_cause_not_makes_error(run_log) -> None:
    report = _report(run_log, "sphinx7-make-warning-error")
    top = report.failures[0]
    assert top.excerpt.text.split("\n")[0] == "Warning, treated as error:"
    assert "/home/runner" not in top.title  # the message, not the path, names it
    assert all("make: ***" not in line for line in top.excerpt.text.split("\n"))
    assert report.failures[1].detector == "make"


def test_every_nitpicky_reference_of_the_run_is_in_one_excerpt(run_log) -> None:
    report = _report(run_log, "sphinx8-nitpicky")
    text = report.failures[0].excerpt.text
    assert "docstring of shop.Cart:3: WARNING" in text
    assert text.count("reference target not found: Money") == 2
    assert sum(failure.detector == "sphinx" for failure in report.failures) == 1


def test_pytests_doctests_each_show_the_example_and_what_it_did(run_log) -> None:
    report = _report(run_log, "doctest-pytest-modules")
    first, second = report.failures[:2]
    lines = first.excerpt.text.split("\n")
    assert lines[0] == "009     >>> mean([])"
    assert lines[-1].endswith("stats.py:9: UnexpectedException")
    assert "ZeroDivisionError: division by zero" in lines
    assert second.title.startswith("[doctest] stats.median:")
    assert second.excerpt.text.split("\n")[:5] == [
        "018     >>> median([3, 1, 2])", "Expected:", "    2", "Got:", "    3"]
    # the traceback inside the first one is not a failure of its own
    assert all(failure.detector != "python" for failure in report.failures)


def test_the_doctest_runners_failures_are_each_their_own_and_its_counts_only_sum_up(
    run_log,
) -> None:
    report = _report(run_log, "doctest-stdlib-verbose")
    first, second = report.failures[:2]
    assert first.excerpt.text.startswith('File "/home/runner/work/demo/demo/stats.py", line 9')
    assert "Exception raised:" in first.excerpt.text
    assert "Trying:" not in first.excerpt.text  # the verbose run's next example
    assert second.title.startswith("stats.median:")
    assert second.excerpt.text.split("\n")[-4:] == ["Expected:", "    2", "Got:", "    3"]
    for failure in report.failures[2:]:
        assert failure.confidence <= 0.25


def test_sphinxs_doctest_builder_shows_the_second_failure_too(run_log) -> None:
    report = _report(run_log, "sphinx-doctest-builder")
    shown = "\n".join(failure.excerpt.text for failure in report.failures[:2])
    assert "Got:\n    3" in shown
    assert "ZeroDivisionError: division by zero" in shown
    assert "2 failures in tests" not in report.failures[1].excerpt.text


def test_xdists_progress_lines_only_say_that_tests_failed(run_log) -> None:
    report = _report(run_log, "pytest-xdist-crash")
    names = [failure.title for failure in report.failures]
    assert names[1:3] == ["test_total: AssertionError at tests/test_calc.py:6",
                          "test_join: AssertionError at tests/test_more.py:6"]
    progress = [failure for failure in report.failures if "%] FAILED" in failure.excerpt.text]
    assert progress and all(failure.confidence <= 0.1 for failure in progress)
    assert report.failures.index(progress[0]) > 2


def test_autodocs_warning_holds_the_traceback_it_quotes_and_the_run_goes_on(run_log) -> None:
    report = _report(run_log, "sphinx-autodoc-import")
    lines = report.failures[0].excerpt.text.split("\n")
    assert lines[-2] == "ModuleNotFoundError: No module named 'shop_payments'"
    assert lines[-1].strip() == "[autodoc.import_object]"
    assert report.failures[1].title == "Sphinx WARNING: py:class reference target not found: Item"


def test_a_warning_line_is_sphinxs_only_by_its_place_extension_or_type(run_log) -> None:
    # pip's warnings start alike; Sphinx 8+ types its own, or names the extension
    log = "\n".join([
        "$ make docs",
        "WARNING: Running pip as the 'root' user can result in broken permissions",
        "app.db: WARNING: Retrying after connection broken",
        "WARNING: html_static_path entry '_static' does not exist [config.static_path]",
        "build finished with problems, 1 warning (with warnings treated as errors).",
        'The command "make docs" exited with 2.',
    ]) + "\n"
    report = run_log(log)
    assert report.failures[0].detector == "sphinx"
    assert report.failures[0].excerpt.text.startswith("WARNING: html_static_path entry")
    assert not any(failure.detector == "sphinx" and "Running pip" in failure.excerpt.text
                   for failure in report.failures)
    assert not any(failure.title.startswith("Sphinx WARNING: Retrying")
                   for failure in report.failures)


def test_a_crashed_process_shows_its_crashing_threads_frames_then_xdist_names_the_worker(
    run_log,
) -> None:
    report = _report(run_log, "pytest-xdist-segfault")
    first, second = report.failures[:2]
    lines = first.excerpt.text.split("\n")
    assert lines[0] == "...Fatal Python error: Segmentation fault"
    assert any(line.startswith("Current thread 0x") for line in lines)
    assert second.title == ("pytest-xdist worker gw1 crashed while running"
                            " tests/test_native.py::test_reads_null")


def test_linkchecks_dead_host_is_a_broken_link_not_the_jobs_network_failure(run_log) -> None:
    report = _report(run_log, "sphinx-linkcheck")
    text = report.failures[0].excerpt.text
    assert all(f"/{page}" in text for page in ("api/v1/reference", "wiki/Removed_Page"))
    assert "mirror.hephaestus-demo.dev/releases - HTTPSConnectionPool" in text
    assert all(failure.category != "network" for failure in report.failures)


@pytest.mark.parametrize("name", ["sphinx-extension-error", "sphinx9-config-error"])
def test_sphinxs_crash_report_shows_its_traceback_section_not_its_boilerplate(
    run_log, name: str
) -> None:
    report = _report(run_log, name)
    lines = report.failures[0].excerpt.text.split("\n")
    assert lines[:2] == ["Traceback", "========="]
    assert "Loaded Extensions" not in lines and "Versions" not in lines
    # the headline, the saved traceback's path and the request to report only say it stopped
    for failure in report.failures[1:]:
        assert failure.confidence <= 0.3 and failure.detector != "sphinx"


def test_a_worker_that_pytest_timeout_ended_is_named_with_the_test_it_ran(run_log) -> None:
    report = _report(run_log, "pytest-xdist-timeout")
    crashed = [failure for failure in report.failures if failure.detector == "pytest-xdist"]
    assert [failure.title for failure in crashed] == [
        "pytest-xdist worker gw1 crashed while running"
        " tests/test_queue.py::test_waits_for_the_queue"]
    assert "timeout" in crashed[0].explanation
    assert report.failures[0].title == "test_total: AssertionError at tests/test_calc.py:6"


@pytest.mark.parametrize("name", ["pytest-xdist-fail", "pytest-xdist-timeout"])
def test_xdists_first_failure_listed_is_the_top_one(run_log, name: str) -> None:
    log = (REAL / f"{name}.log").read_text()
    first = re.search(r"= FAILURES =+\n\S+Z _+ (\w+) _+\n", log)
    assert first is not None
    report = _report(run_log, name)
    assert report.failures[0].title.startswith(f"{first.group(1)}: AssertionError")
