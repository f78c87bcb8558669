"""Top-1 accuracy of `hephaestus triage` on labelled real tool failures, beside naive baselines.

A log scores when the top-ranked failure's excerpt (its 1-based line range) contains one of the
labelled cause lines. Baselines: the last 10 lines of the log, and the first line matching
"error" (case-insensitive) with 2 lines either side.

    python bench/triage_accuracy/run.py [--verbose]

Labels come from bench/triage_accuracy/capture.py (real runs of pytest, pip, gcc, cargo, go,
node, mypy, ...) in bench/triage_accuracy/labels.json; logs in tests/triage/fixtures/real/.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from ghbot.engine.triage.engine import Log, Triage

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "triage" / "fixtures" / "real"
LABELS = Path(__file__).with_name("labels.json")
_ERROR = re.compile(r"(?i)error")


def last_lines(lines: list[str]) -> tuple[int, int]:
    return max(1, len(lines) - 9), len(lines)


def first_error(lines: list[str]) -> tuple[int, int]:
    for number, line in enumerate(lines, 1):
        if _ERROR.search(line):
            return max(1, number - 2), number + 2
    return last_lines(lines)


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    labels = json.loads(LABELS.read_text())
    triage = Triage()
    hits: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for name, label in sorted(labels.items()):
        path = LOGS / f"{name}.log"
        cause = set(label["cause_lines"])
        lines = path.read_text().rstrip("\n").split("\n")
        with path.open("rb") as stream:
            report = triage.run(name, [Log(None, stream)])
        top = report.failures[0] if report.failures else None
        ours = top is not None and any(
            top.excerpt.start_line <= line <= top.excerpt.end_line for line in cause
        )
        scores = {
            "hephaestus": ours,
            "last 10 lines": any(last_lines(lines)[0] <= n <= last_lines(lines)[1] for n in cause),
            "first 'error' line": any(
                first_error(lines)[0] <= n <= first_error(lines)[1] for n in cause
            ),
        }
        for ecosystem in ("all", label["ecosystem"]):
            hits[ecosystem]["n"] += 1
            for method, ok in scores.items():
                hits[ecosystem][method] += ok
        if verbose or not ours:
            where = f"{top.excerpt.start_line}-{top.excerpt.end_line} {top.title!r}" if top else "-"
            print(f"{'ok  ' if ours else 'MISS'} {name}: cause {sorted(cause)[:4]} top {where}")
    methods = ("hephaestus", "last 10 lines", "first 'error' line")
    print(f"\n{'ecosystem':<12} {'logs':>4}  " + "  ".join(f"{m:>18}" for m in methods))
    for ecosystem in ["all", *sorted(k for k in hits if k != "all")]:
        row = hits[ecosystem]
        cells = "  ".join(f"{row[m] / row['n']:>17.0%} " for m in methods)
        print(f"{ecosystem:<12} {row['n']:>4}  {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
