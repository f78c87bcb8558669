"""Benchmark: `hephaestus check` on a pinned Django sdist, beside ruff alone with the same rules
and beside bandit + detect-secrets, the tools whose jobs it also does.

    python bench/check_corpus/run.py [--formats-only]

Downloads Django's sdist from PyPI into bench/.cache, unpacks it outside the checkout (see
bench/corpus.py) and installs bandit and detect-secrets into their own venv (first run only).
Prints wall time and peak RSS of each, and the ratios. `hephaestus check` is measured as users
run it, in each output format (codemod findings from ruff's detection), and with `--fixes` (each
codemod finding carries its LibCST fix, computed on request).
Targets: text within 2x of ruff alone, json and sarif within 3x, >= 10x faster than bandit +
detect-secrets, peak RSS < 500 MB.
The machine may be shared: run it twice and read the second figures.
`--formats-only` measures only ruff alone and the three formats (seconds, not bandit's minutes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from corpus import tool_bin, unpacked  # noqa: E402 - bench/ is not a package

DJANGO = "5.2.7"
REPEAT = 7
PYTHON = Path(sys.executable)
# Output format -> the most its run may take, in multiples of ruff alone's.
TARGETS = {"text": 2.0, "json": 3.0, "sarif": 3.0}
RUFF_RULES_NOTE = "ruff check --extend-select S (ruff's defaults plus S, as hephaestus runs it)"


# As installed from a wheel, Python reads compiled bytecode; a checkout run with
# PYTHONDONTWRITEBYTECODE set would compile every module of ours on every run instead.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def measure(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command and its children."""
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="hephaestus check on Django, beside ruff")
    parser.add_argument(
        "--formats-only",
        action="store_true",
        help="only ruff alone and the output formats: no --fixes, no bandit",
    )
    formats_only = parser.parse_args(argv).formats_only
    tree = unpacked(f"django=={DJANGO}", git=True)
    files = sum(1 for _ in tree.rglob("*.py"))
    ruff = [str(PYTHON.parent / "ruff"), "check", "--no-cache", "--exit-zero", "--extend-select",
            "S", "--output-format", "json", "."]  # fmt: skip
    ours = [str(PYTHON), "-m", "ghbot", "check", "--fail-level", "never", "--no-progress"]
    runs = {
        "ruff alone": [ruff],
        **{f"hephaestus check --format {fmt}": [[*ours, "--format", fmt, "."]] for fmt in TARGETS},
    }
    if not formats_only:
        tools = tool_bin("bandit", "detect-secrets")
        runs["hephaestus check --fixes"] = [[*ours, "--format", "sarif", "--fixes", "."]]
        runs["bandit + detect-secrets"] = [
            [str(tools / "bandit"), "-q", "-r", ".", "-f", "json", "-o", os.devnull],
            [str(tools / "detect-secrets"), "scan", "--all-files", "."],
        ]
    figures: dict[str, tuple[float, float]] = {}
    # The fast ones run REPEAT times, interleaved, and report the median: a single sub-second
    # run on a shared machine is noise. The slow ones run once.
    fast = ("ruff alone", *(f"hephaestus check --format {fmt}" for fmt in TARGETS))
    for name in fast:  # warm-up, unmeasured: the page cache, and our bytecode written once
        measure(runs[name][0], tree)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in fast}
    for _ in range(REPEAT):
        for name in fast:
            samples[name].append(measure(runs[name][0], tree))
    for name, commands in runs.items():
        if name in fast:
            seconds = statistics.median(s for s, _ in samples[name])
            peak = max(rss for _, rss in samples[name])
            note = f"  (median of {REPEAT})"
        else:
            seconds, peak, note = 0.0, 0.0, ""
            for command in commands:
                took, rss = measure(command, tree)
                seconds, peak = seconds + took, max(peak, rss)
        figures[name] = (seconds, peak)
        print(f"{name:<36} {seconds:8.2f} s  peak RSS {peak:7.1f} MB{note}", flush=True)
    ours_s, ours_mb = figures["hephaestus check --format json"]
    print(f"\nDjango {DJANGO}: {files} .py files; ruff run as: {RUFF_RULES_NOTE}")
    for fmt, target in TARGETS.items():
        ratio = figures[f"hephaestus check --format {fmt}"][0] / figures["ruff alone"][0]
        print(f"hephaestus --format {fmt:<5} / ruff alone: {ratio:6.2f}x (target <= {target:g}x)")
    if not formats_only:
        reference = figures["bandit + detect-secrets"][0]
        print(f"bandit+detect-secrets / hephaestus:   {reference / ours_s:6.2f}x (target >= 10x)")
    print(f"hephaestus peak RSS:                  {ours_mb:6.1f} MB (target < 500 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
