"""Hostile logs against the compiled-extension shapes (triage): long lines of Cython's, Meson's,
meson-python's, meson test's, gfortran's, nvcc's and uv's own prefixes that never complete their
shape, and runs of Cython's frames with no error under them, cost about what plain lines of
their size cost."""

from __future__ import annotations

from cost_alike import assert_costs_alike
from hostile_triage import triaged

RULE = "-" * 60


def _log(lines: list[str]) -> bytes:
    return ("\n".join(["##[group]Run pip install .", *lines,
                       "##[error]Process completed with exit code 1."]) + "\n").encode()


def test_near_locations_of_cython_and_meson_cost_no_more_than_plain_text() -> None:
    """A path of thousands of characters before `.pyx:`, `meson.build:` or the message, each
    line one character short of the shape (no line number, no `ERROR: `), under a frame's rule
    (the Cython row reads the line above) and indented as pip shows a build's output."""

    def log(filler: str) -> bytes:
        lines = []
        for n in range(40):
            lines += [RULE,
                      f"      {filler * 3000}.pyx:{n}:x: undeclared name not builtin: y",
                      f"      {filler * 3000}/meson.build:{n}:1: ERROR {filler * 1000}",
                      f"      {'/' * 3000}meson.build:{n}:1 ERROR: Dependency",
                      f"      meson-python: error {filler * 3000}",
                      f"Run-time dependency {filler * 3000} found: N0",
                      "ERROR Backend subprocess exited " + filler * 3000,
                      f"{filler * 3000}.f90:{n}:1",
                      "      |" + filler * 3000 + "1x",
                      f"Fatal Error: {filler * 3000}",
                      f"performance hint: {filler * 3000}.pyx:{n}:x: Exception check",
                      f"warning: {filler * 3000}.pyx:{n}: error",
                      f"{filler * 3000}.cu({n}: error: identifier",
                      f"kernel.cu{'.h' * 1000}({n}) error: x",
                      f"{n} errors detected in {filler * 3000}",
                      "  cause: Call to `" + filler * 3000 + " failed",
                      " " * 12 + f"ninja: build stopped {filler * 3000}",
                      f"      x.c:{n}:1: error: y",
                      f"      {filler * 3000}:{n}:1: warnin",
                      f"{n}/40 {filler * 3000} FAIL 0.1",
                      f"{n}/40 name{' ' * 3000}FAIL {filler * 3000}s"]
        return _log(lines)

    assert_costs_alike(triaged, log(" "), log("a"))


def test_runs_of_cython_frames_without_errors_cost_no_more_than_plain_text() -> None:
    """Headings and rules of Cython's frame over and over, each error line just out of shape
    (a space in the column): the walk from one error to the next frame's is bounded."""

    def log(heading: str) -> bytes:
        lines = ["Error compiling Cython file:", RULE, "x.pyx:1:1: undeclared name"]
        for n in range(2000):
            lines += [heading, RULE, "...", f"x = {n}", "    ^", RULE, f"x.pyx:{n}: 1: bad"]
        return _log(lines)

    assert_costs_alike(triaged, log("Error compiling Cython code:"),
                       log("Error compiling Cython file:"))
