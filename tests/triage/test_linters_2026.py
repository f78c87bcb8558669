"""Biome and pyright, the linter and the type checker of many 2026 jobs (real runs,
bench/triage_accuracy/capture.py): each diagnostic is a failure titled by its place, rule and
message, with its code frame; their closing counts only sum up."""

from __future__ import annotations

import pytest
from real_runs import REAL

FIRST = ("app.js:3:6 lint/correctness/noInnerDeclarations: This var should be declared at the root"
         " of the module.")


@pytest.mark.parametrize("name", ["biome-ci", "biome-lint"])
def test_each_biome_diagnostic_is_a_failure_with_its_frame(run_log, name: str) -> None:
    # `biome ci` as it prints in a job (colours, each glyph after several codes) and `biome lint`
    # without colours (`×` for `✖`)
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    top, second = report.failures[:2]
    assert (top.detector, top.category, top.title) == ("biome", "lint", FIRST)
    assert "> 3 │ for (var i = 0; i < items.length; i++) {" in top.excerpt.text
    assert top.excerpt.text.splitlines()[0].startswith("app.js:3:6 lint/correctness/")
    assert top.confidence >= 0.7
    assert second.title.startswith("app.js:6:11 lint/suspicious/noDoubleEquals: Using ==")
    for failure in report.failures:
        assert not failure.title.startswith(("Found ", "Some errors were emitted"))


def test_biomes_format_check_is_named_by_its_file(run_log) -> None:
    report = run_log((REAL / "biome-ci.log").read_bytes())
    [formatting] = [f for f in report.failures if " format: " in f.title]
    assert formatting.title == "app.js format: File content differs from formatting output"


def test_pyrights_errors_are_type_errors_with_the_rule_below(run_log) -> None:
    report = run_log((REAL / "pyright-types.log").read_bytes())
    top = report.failures[0]
    assert (top.detector, top.category) == ("pyright", "lint")
    assert top.title == 'pyright: Type "int" is not assignable to declared type "str"'
    assert '"int" is not assignable to "str" (reportAssignmentType)' in top.excerpt.text
    assert "app.py:7:14 - error: Argument of type" in top.excerpt.text  # the run of reports
    summary = [f for f in report.failures if "2 errors, 0 warnings" in f.excerpt.text]
    assert all(f.detector == "lint-summary" and f.confidence <= 0.3 for f in summary)


@pytest.mark.parametrize(("name", "frame"), [("oxlint-plain", ",-[app.js:2:5]"),
                                             ("oxlint-colour", "\u256d\u2500[app.js:2:5]")])
def test_oxlints_diagnostics_drawn_by_miette_are_read(run_log, name: str, frame: str) -> None:
    # `--deny-warnings` fails on warnings (`!`, or `⚠` coloured): each is a lint failure titled
    # by its place, rule and message, with its frame and help
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    top, second = report.failures[:2]
    assert (top.detector, top.category) == ("miette", "lint")
    assert top.title.startswith("app.js:2:5: eslint(no-unused-vars): Variable 'unused' is declared")
    assert frame in top.excerpt.text
    assert top.excerpt.text.rstrip().endswith("help: Consider removing this declaration.")
    assert top.confidence >= 0.7
    assert second.title.startswith("app.js:3:18: eslint(no-cond-assign): Expected a conditional")
    assert not any(f.title.startswith("Found 5 warnings") for f in report.failures)


def test_tys_errors_are_type_errors_with_their_frame_and_notes(run_log) -> None:
    report = run_log((REAL / "ty-check.log").read_bytes())
    top, second = report.failures[:2]
    assert (top.detector, top.category) == ("ty", "lint")
    assert top.title == ("ty invalid-assignment: Object of type `int` is not assignable to `str`"
                         " (app.py:5:15)")
    assert "Incompatible value of type `int`" in top.excerpt.text and top.confidence >= 0.7
    assert second.title.startswith("ty invalid-argument-type: Argument to function `total`")
    assert "info: Function defined here" in second.excerpt.text
    assert not any("Found 2 diagnostics" in f.title for f in report.failures)


def test_ruff_format_check_is_ruffs_with_the_diff(run_log) -> None:
    # its closing count is black's words too: the rule of ruff's own lines comes first
    top = run_log((REAL / "ruff-format-check.log").read_bytes()).failures[0]
    assert (top.rule, top.category) == ("ruff-format-would-reformat", "lint")
    assert "2 +     return sum(items)" in top.excerpt.text


def test_markdownlints_reports_are_one_lint_failure_over_its_summary(expect_top, run_log) -> None:
    expect_top("markdownlint-cli2", "lint", "markdownlint",
               "README.md:4 error MD022/blanks-around-headings", "markdownlint MD013/line-length")
    report = run_log((REAL / "markdownlint-cli2.log").read_bytes())
    assert [f.title for f in report.failures if "Summary" in f.excerpt.text] == [
        "the linter found errors"
    ]


def test_yamllints_first_error_titles_its_table(expect_top) -> None:
    expect_top("yamllint-errors", "lint", "yamllint", "7:8       error    syntax error: expected",
               "yamllint colons: too many spaces after colon")


def test_mkdocs_strict_builds_warning_is_why_it_aborted(expect_top, run_log) -> None:
    expect_top("mkdocs-strict-link", "lint", "mkdocs", "contains a link 'setup.md'",
               "mkdocs --strict: Doc file 'index.md' contains a link 'setup.md'")
    # without strict mode's abort below, the same warning fails nothing
    raw = (REAL / "mkdocs-strict-link.log").read_text()
    lenient = raw.replace("Aborted with 1 warnings in strict mode!", "Documentation built")
    assert all(f.detector != "mkdocs" for f in run_log(lenient).failures)
