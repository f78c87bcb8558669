"""`next build`, the build step of many 2026 JavaScript jobs (real runs of Next.js 16,
bench/triage_accuracy/capture.py): the module it could not build, with its error and code frame,
is the cause, titled by the error; not Next's own stack frames under it, nor its closing line."""

from __future__ import annotations

import pytest
from real_runs import REAL

MISSING = "Module not found: Can't resolve '../lib/missing'"


@pytest.mark.parametrize(("name", "title", "first"), [
    ("next-turbopack-module-not-found", f"Turbopack: {MISSING}", "Error: Turbopack build failed"),
    ("next-webpack-module-not-found", f"build failed to compile: {MISSING}", "Failed to compile."),
])
def test_an_import_it_cannot_resolve_is_the_cause(run_log, name: str, title: str,
                                                  first: str) -> None:
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    top = report.failures[0]
    assert (top.detector, top.category, top.title) == ("next", "compile", title)
    assert top.excerpt.text.splitlines()[0].startswith(first) and MISSING in top.excerpt.text
    assert "at printBuildErrors" not in top.excerpt.text
    assert top.confidence >= 0.7
    assert all(f.confidence <= 0.3 for f in report.failures if f.title == "next build failed")


def test_every_module_turbopack_could_not_build_is_in_the_excerpt(run_log) -> None:
    report = run_log((REAL / "next-turbopack-module-format.log").read_bytes())
    top = report.failures[0]
    assert top.title.startswith("Turbopack: Specified module format (CommonJs) is not matching")
    assert "./app/layout.tsx" in top.excerpt.text and "./app/page.tsx" in top.excerpt.text


def test_the_type_check_after_the_build_is_tscs_error(expect_top) -> None:
    expect_top("next-type-error", "compile", "tsc",
               "app/page.tsx(1,7): error TS2322: Type 'number' is not assignable")
