"""Compiled extensions as scientific Python projects build them (real runs of Cython, Meson with
ninja, gcc, gfortran and nvcc, meson-python under pip, uv and pypa/build; see
bench/triage_accuracy/capture.py): the compiler's own error is the cause, whole, never ninja's
summary, pip's box around the build's output or the build front end's closing line."""

from __future__ import annotations

import pytest
from real_runs import LABELS, REAL

from ghbot.engine.triage.model import Failure

# fixture: (detector, category, title) of the top failure, whose excerpt is the labelled block
WHOLE = {
    "cython-undeclared": ("cython", "compile", "undeclared name not builtin: scale_factor"),
    "cython-syntax": ("cython", "compile", "Expected ':', found 'NEWLINE'"),
    "cython-warnings-then-error": ("cython", "compile", "undeclared name not builtin: factor"),
    "cythonize-setup-py": ("cython", "compile", "undeclared name not builtin: scale_factor"),
    "cythonize-pip": ("cython", "compile", "undeclared name not builtin: scale_factor"),
    "meson-python-cython": ("cython", "compile", "undeclared name not builtin: windw"),
    "meson-python-editable-cython": ("cython", "compile", "undeclared name not builtin: windw"),
    "uv-meson-python-cython": ("cython", "compile", "undeclared name not builtin: windw"),
    "meson-missing-dependency": (
        "meson", "config",
        'meson: Dependency "frobnicator-hephaestus" not found (tried pkg-config and cmake)',
    ),
    "meson-missing-program": (
        "meson", "config", "meson: Program 'frob-codegen' not found or not executable",
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
    "meson-ninja-nvcc": ("nvcc", "compile", 'identifier "factor" is undefined'),
    # gfortran under ninja: two framed errors make one excerpt
    "meson-ninja-gfortran": ("gfortran", "compile", "Symbol ‘scale’ at (1) has no IMPLICIT type"),
    "gfortran-missing-module": (
        "gfortran", "compile",
        "Cannot open module file ‘blas_helpers.mod’ for reading at (1): No such file or directory",
    ),
}
# under ninja: gcc's error with its note, not the warning gcc printed after it (indented alike
# in pip's and uv's output) nor ninja's last line
UNDER_NINJA = {
    "meson-ninja-gcc": "‘factor’ undeclared (first use in this function)",
    "meson-python-gcc": "‘scale_factor’ undeclared (first use in this function)",
    "uv-meson-python-gcc": "‘scale_factor’ undeclared (first use in this function)",
    "skbuild-core-gcc": "‘scale_factor’ undeclared (first use in this function)",
    "spin-build-gcc": "‘scale_factor’ undeclared (first use in this function)",
}
ALL = sorted([*WHOLE, *UNDER_NINJA, "cython-two-errors", "cython-performance-hint",
              "nvcc-two-errors"])


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
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)
    assert "FAILED:" not in top.excerpt.text and "ninja: build stopped" not in top.excerpt.text


@pytest.mark.parametrize("name", ALL)
def test_no_wrapper_of_the_build_ranks_first(run_log, name: str) -> None:
    """ninja's `FAILED:` and `build stopped`, pip's `subprocess-exited-with-error` box, uv's
    `Failed to build` and pypa/build's `ERROR Backend subprocess exited` only say that the build
    failed: each ranks below the error that says why."""
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


def test_a_cython_performance_hint_is_no_cause_and_its_solutions_no_failure(run_log) -> None:
    # its list of solutions speaks of exceptions and error codes
    failures = _report(run_log, "cython-performance-hint")
    top = failures[0]
    assert (top.detector, top.title) == ("cython", "undeclared name not builtin: undefined_here")
    [(first, last)] = LABELS["cython-performance-hint"]["span"]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)
    [hint] = [f for f in failures if "performance hint" in f.excerpt.text]
    assert hint.title == "Cython performance hint" and hint.confidence <= 0.3
    assert (hint.excerpt.start_line, hint.excerpt.end_line) == (1, 4)  # its solutions too
    assert not any(f.title.startswith("2. Use") for f in failures)


@pytest.mark.parametrize("name", ["cythonize-setup-py", "cythonize-pip"])
def test_the_cythonize_traceback_ends_the_error_it_was_raised_for(run_log, name: str) -> None:
    # cythonize() raises CompileError once it has printed the errors: one failure, not a Python
    # program's unhandled exception of its own
    failures = _report(run_log, name)
    assert failures[0].excerpt.text.splitlines()[-1].strip() == (
        "Cython.Compiler.Errors.CompileError: fastcalc.pyx"
    )
    assert "Traceback (most recent call last):" in failures[0].excerpt.text
    assert not any(f.detector == "python" or "CompileError" in f.title for f in failures)


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


def test_nvccs_errors_are_the_compilers_not_a_googletest_failure(run_log) -> None:
    # `kernels.cu(4): error: ...` is GoogleTest's Windows shape too, up to its message
    failures = _report(run_log, "nvcc-two-errors")
    top = failures[0]
    assert (top.detector, top.category) == ("nvcc", "compile")
    assert top.title == 'identifier "factor" is undefined'
    # both errors, each with its source line and caret, in one excerpt
    assert (top.excerpt.start_line, top.excerpt.end_line) == (1, 7)
    assert not any(f.detector == "gtest" for f in failures)
    assert [f.title for f in failures[1:]] == ["nvcc failed"]


@pytest.mark.parametrize("line", [
    "C:\\src\\calc_test.cpp(12): error: Value of: add(1, 1)",
    "calc_test.cc(7): error: Expected equality of these values:",
    "calc_test.cc(9): error: Failed",
])
def test_googletests_windows_shape_is_still_googletests(run_log, line: str) -> None:
    log = f"[ RUN      ] Calc.Adds\n{line}\n  Actual: 2\n[  FAILED  ] Calc.Adds (0 ms)\n"
    assert run_log(log).failures[0].detector == "gtest"


@pytest.mark.parametrize("name", ["uv-meson-python-cython", "uv-meson-python-gcc"])
def test_uvs_lines_around_the_build_are_consequences(run_log, name: str) -> None:
    # uv indents the backend's output by 9 spaces (pip's box by 6) and says before and after it
    # that the build failed: never the cause, not even the locator's block
    failures = _report(run_log, name)
    uv = [f for f in failures if f.detector == "uv"]
    assert {f.title for f in uv} == {"the build backend failed"}
    assert all(f.confidence <= 0.1 for f in uv)
    assert not any("hint: Build failures" in f.title for f in failures)


def test_cmake_under_scikit_build_core_names_the_package_it_could_not_find(run_log) -> None:
    failures = _report(run_log, "skbuild-core-cmake-missing")
    top = failures[0]
    assert top.rule == "cmake-package-missing"
    [(first, last)] = LABELS["skbuild-core-cmake-missing"]["span"]
    assert top.excerpt.start_line <= first and top.excerpt.end_line >= last
    # scikit-build-core's `*** CMake configuration failed` only says so
    [closing] = [f for f in failures if "*** CMake" in f.excerpt.text]
    assert closing.title == "CMake failed" and closing.confidence <= 0.1


def test_spins_echoed_commands_are_no_step_of_an_actions_log(run_log) -> None:
    # spin prints `$ meson compile -C build` before each command it runs: in a GitHub Actions
    # log that is the step's output, not a Travis step header
    report = run_log((REAL / "spin-build-gcc.log").read_bytes(), "spin-build-gcc")
    assert report.failing_steps == ("spin build",)
    assert report.failures[0].step == "spin build"


@pytest.mark.parametrize(("name", "last"), [("meson-test-errorlogs", 48), ("meson-test-plain", 8)])
def test_a_failed_meson_test_shows_its_command_and_output(run_log, name: str, last: int) -> None:
    """`meson test`'s failed test, the command it ran and (--print-errorlogs) its output up to
    the closing rule; its `Summary of Failures:` list and `Fail: 1` count only say so."""
    failures = _report(run_log, name)
    top = failures[0]
    assert (top.detector, top.category) == ("meson-test", "test")
    assert top.title == "meson test: fastcalc:calc_scales FAIL exit status 1"
    [(first, _)] = LABELS[name]["span"]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)
    assert all(f.title == "meson test failed" and f.confidence <= 0.3
               for f in failures[1:] if f.detector != "runner")
    if name == "meson-test-errorlogs":
        assert "scale_test.c:7: expected scale(2) == 4, got 6" in top.excerpt.text


def test_a_cython_message_of_more_than_300_characters_is_still_cythons(run_log) -> None:
    raw = (REAL / "cython-long-message.log").read_text().splitlines()
    [message] = [line for line in raw if "Exception values are incompatible" in line]
    assert len(message) > 300
    top = _report(run_log, "cython-long-message")[0]
    assert top.detector == "cython"
    assert top.title.startswith("Cannot assign type 'double (double) except? -1.0 nogil' to")
    assert len(top.title) <= 200
    [(first, last)] = LABELS["cython-long-message"]["span"]
    assert (top.excerpt.start_line, top.excerpt.end_line) == (first, last)
