"""Compiled extensions as scientific Python projects build them (real runs of Cython, Meson with
ninja, gcc and gfortran, meson-python under pip and pypa/build; see
bench/triage_accuracy/capture.py): the compiler's own error is the cause, whole, never ninja's
summary, pip's box around the build's output or the build front end's closing line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ghbot.engine.triage.model import Failure

REAL = Path(__file__).parent / "fixtures" / "real"
LABELS = json.loads(
    (Path(__file__).resolve().parents[2] / "bench" / "triage_accuracy" / "labels.json").read_text()
)
# fixture: (detector, category, title) of the top failure, whose excerpt is the labelled block
WHOLE = {
    "cython-undeclared": ("cython", "compile", "undeclared name not builtin: scale_factor"),
    "cython-syntax": ("cython", "compile", "Expected ':', found 'NEWLINE'"),
    "cython-warnings-then-error": ("cython", "compile", "undeclared name not builtin: factor"),
    "cythonize-setup-py": ("cython", "compile", "undeclared name not builtin: scale_factor"),
    "cythonize-pip": ("cython", "compile", "undeclared name not builtin: scale_factor"),
    "meson-python-cython": ("cython", "compile", "undeclared name not builtin: windw"),
    "meson-missing-dependency": (
        "meson", "config",
        'meson: Dependency "frobnicator-hephaestus" not found (tried pkg-config and cmake)',
    ),
    "python-build-meson-dependency": (
        "meson", "config",
        'meson: Dependency "openblas-hephaestus" not found (tried pkg-config and cmake)',
    ),
    "meson-python-unknown-option": ("meson", "config", 'meson: Unknown option: "use_openmp".'),
    "meson-python-config": (
        "meson-python", "config",
        'meson-python: Configuration entry "tool.meson-python.args.setup" must be a list of'
        " strings",
    ),
    # gfortran under ninja: two framed errors make one excerpt
    "meson-ninja-gfortran": ("gfortran", "compile", "Symbol ‘scale’ at (1) has no IMPLICIT type"),
    "gfortran-missing-module": (
        "gfortran", "compile",
        "Cannot open module file ‘blas_helpers.mod’ for reading at (1): No such file or directory",
    ),
}
# under ninja: gcc's error (its excerpt may go on over the warning gcc printed after it)
UNDER_NINJA = {
    "meson-ninja-gcc": "‘factor’ undeclared (first use in this function)",
    "meson-python-gcc": "‘scale_factor’ undeclared (first use in this function)",
}
ALL = sorted([*WHOLE, *UNDER_NINJA, "cython-two-errors"])


def _report(run_log, name: str) -> tuple[Failure, ...]:
    report = run_log((REAL / f"{name}.log").read_bytes(), name)
    assert report.failures, name
    return report.failures


@pytest.mark.parametrize("name", sorted(WHOLE))
def test_the_top_failure_is_the_whole_error_block_titled_by_its_message(
    run_log, name: str
) -> None:
    top = _report(run_log, name)[0]
    assert (top.detector, top.category, top.title) == WHOLE[name]
    [(first, last)] = LABELS[name]["span"]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)
    assert top.rule is None and top.confidence >= 0.7


@pytest.mark.parametrize("name", sorted(UNDER_NINJA))
def test_a_c_error_under_ninja_is_the_compilers_not_ninjas(run_log, name: str) -> None:
    top = _report(run_log, name)[0]
    assert (top.detector, top.title) == ("gcc", UNDER_NINJA[name])
    [(first, last)] = LABELS[name]["span"]
    assert top.excerpt.start_line == first and top.excerpt.end_line >= last
    assert "FAILED:" not in top.excerpt.text and "ninja: build stopped" not in top.excerpt.text


@pytest.mark.parametrize("name", ALL)
def test_no_wrapper_of_the_build_ranks_first(run_log, name: str) -> None:
    """ninja's `FAILED:` and `build stopped`, pip's `subprocess-exited-with-error` box,
    pypa/build's `ERROR Backend subprocess exited` and cythonize's CompileError traceback only
    say that the build failed: each ranks below the error that says why."""
    failures = _report(run_log, name)
    top = failures[0]
    assert top.rule is None
    assert not top.title.startswith(("FAILED:", "ninja:", "Cython.Compiler", "the build backend"))
    assert all(f.confidence <= top.confidence for f in failures)
    cause = set(LABELS[name]["cause_lines"])
    assert any(top.excerpt.start_line <= n <= top.excerpt.end_line for n in cause)


def test_two_cython_errors_make_one_failure_showing_both_blocks(run_log) -> None:
    failures = _report(run_log, "cython-two-errors")
    top = failures[0]
    assert top.title == "undeclared name not builtin: missing_total"
    [(first, last)] = LABELS["cython-two-errors"]["span"]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)
    assert top.excerpt.text.count("Error compiling Cython file:") == 2
    assert "calc.pyx:7:19: undeclared name not builtin: other_missing" in top.excerpt.text
    # the second error is shown in the first one's excerpt, not made a failure of its own
    assert not any("other_missing" in f.title for f in failures[1:])


def test_cython_warnings_above_the_error_are_no_failure(run_log) -> None:
    raw = (REAL / "cython-warnings-then-error.log").read_text()
    assert "warning: calc.pyx:1:18: noexcept clause is ignored" in raw
    failures = _report(run_log, "cython-warnings-then-error")
    assert not any("warning" in f.title or "noexcept" in f.title or "Unused entry" in f.title
                   for f in failures)
    assert "warning:" not in failures[0].excerpt.text


def test_the_cythonize_traceback_comes_after_the_error_it_raised_for(run_log) -> None:
    failures = _report(run_log, "cythonize-setup-py")
    assert [f.detector for f in failures[:2]] == ["cython", "python"]
    assert failures[1].title == "Cython.Compiler.Errors.CompileError: fastcalc.pyx"
    assert failures[1].confidence < failures[0].confidence


def test_the_dependency_lookup_that_found_nothing_heads_the_meson_error(run_log) -> None:
    top = _report(run_log, "meson-missing-dependency")[0]
    assert top.excerpt.text.splitlines()[0] == (
        "Run-time dependency frobnicator-hephaestus found: NO  (tried pkg-config and cmake)"
    )


def test_a_pyx_location_outside_a_cython_frame_is_no_cython_error(run_log) -> None:
    # Cython's warnings and any tool's `file.pyx:3:4: ...` line are unframed: only the line
    # under the frame's closing rule is Cython's error.
    log = ("warning: calc.pyx:3:4: Unused entry 'x'\ncalc.pyx:3:4: error in the docs build\n"
           "Error: Process completed with exit code 1.\n")
    assert all(f.detector != "cython" for f in run_log(log).failures)


def test_a_framed_source_line_under_a_heading_alone_makes_no_failure(run_log) -> None:
    # the heading alone (the log cut off under it) is no cause the engine names as Cython's
    log = ("Error compiling Cython file:\n" + "-" * 60 + "\n...\ndef f(x):\n"
           "Error: Process completed with exit code 1.\n")
    assert all(f.detector != "cython" for f in run_log(log).failures)


def test_a_fortran_error_line_needs_its_column_marker_above(run_log) -> None:
    # `Error: ...` at the margin is many tools' shape: gfortran's has its source frame above
    log = ("calc.f90:5:21:\n\nError: Symbol x at (1) has no IMPLICIT type\n"
           "Error: Process completed with exit code 1.\n")
    assert all(f.detector != "gfortran" for f in run_log(log).failures)
