"""Score triage on the shared labelled sets of real failed CI logs (issue 14), per language.

    python bench/triage_accuracy/shared.py [--set travis|actions] [--half tune|held-out]
                                           [--misses K]

The sets live outside the repository, in `../shared/data/` beside the checkout (Travis logs of
28 languages, GitHub Actions logs); they are unpacked once into
`$XDG_CACHE_HOME/hephaestus-data/`, the folder the shared scorer uses. The scoring is the shared
scorer's: hit@1 when the top failure's excerpt overlaps the critical lines (the cause spans when
none are given), hit@3 for any of the top three, and line precision / recall / F1 of the top
excerpt against the spans.

`--half` scores only the repositories whose names sort in the first half (`tune`: the ones to
tune rules and weights on) or the second (`held-out`: to check them on). The reliability table
puts each log's top failure in its confidence bucket beside the hit@1 it observed: a calibrated
confidence is close to that rate.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tarfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ghbot.engine.triage.engine import Log, Triage
from ghbot.engine.triage.model import TriageReport

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
SETS = {"travis": "ci-logs-travis", "actions": "ci-logs-actions"}
# Issue 14's figures: (hit@1, hit@3, F1) today and the target, on the full held-out data.
REFERENCE = {
    "travis": {"before (797 logs)": (0.33, 0.49, 0.16), "target": (0.70, 0.85, 0.50)},
    "actions": {"before (32 logs)": (0.625, None, None), "target": (0.90, None, None)},
}

Span = tuple[int, int]
HALVES = ("tune", "held-out")
# Upper bounds of the confidence buckets of the reliability table.
BUCKETS = (0.25, 0.45, 0.65, 0.8, 1.0)


@dataclass(slots=True)
class Score:
    n: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    f1: float = 0.0
    misses: list[str] = field(default_factory=list)
    # per confidence bucket: [logs, sum of confidences, hits at 1]
    reliability: dict[float, list[float]] = field(default_factory=dict)

    def add(self, hit1: bool, hit3: bool, f1: float) -> None:
        self.n += 1
        self.hit1 += hit1
        self.hit3 += hit3
        self.f1 += f1

    def row(self) -> str:
        n = self.n or 1
        return f"{self.n:>4}  {self.hit1 / n:6.3f}  {self.hit3 / n:6.3f}  {self.f1 / n:6.3f}"

    def calibration(self, confidence: float, hit1: bool) -> None:
        bucket = next(b for b in BUCKETS if confidence <= b)
        cell = self.reliability.setdefault(bucket, [0, 0.0, 0])
        cell[0] += 1
        cell[1] += confidence
        cell[2] += hit1

    def reliability_rows(self) -> list[str]:
        """Per bucket: the logs, their mean confidence and the hit@1 observed."""
        rows, low = [], 0.0
        for bucket in BUCKETS:
            logs, total, hits = self.reliability.get(bucket, [0, 0.0, 0])
            if logs:
                rows.append(f"  ({low:.2f}, {bucket:.2f}]  {int(logs):>4}  {total / logs:6.3f}"
                            f"  {hits / logs:6.3f}")
            low = bucket
        return rows

    def calibration_error(self, above: float = 0.0) -> float:
        """The logs' mean gap between confidence and hit@1 per bucket, over the buckets above
        `above` (the lowest holds the "no clear cause" answers, low by design)."""
        cells = [cell for bucket, cell in self.reliability.items() if bucket > above]
        logs = sum(cell[0] for cell in cells)
        return sum(abs(total - hits) for _, total, hits in cells) / logs if logs else 0.0


def unpacked(archive: Path) -> Path:
    """The archive's folder in the shared cache, unpacked once (re-unpacked if it changed)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hephaestus-data"
    target = cache / archive.name.removesuffix(".tar.xz")
    stamp = target / ".from"
    key = f"{archive.stat().st_size}:{archive.stat().st_mtime_ns}"
    if not (stamp.exists() and stamp.read_text() == key):
        shutil.rmtree(target, ignore_errors=True)
        cache.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tar:
            tar.extractall(cache, filter="data")
        stamp.write_text(key)
    return target


def overlaps(span: Span | None, spans: Sequence[Sequence[int]]) -> bool:
    return span is not None and any(not (span[1] < a or span[0] > b) for a, b in spans)


def line_f1(span: Span | None, spans: Sequence[Sequence[int]]) -> float:
    gold = {n for a, b in spans for n in range(a, b + 1)}
    if span is None or not gold:
        return 0.0
    inside = len(set(range(span[0], span[1] + 1)) & gold)
    precision, recall = inside / (span[1] - span[0] + 1), inside / len(gold)
    return 2 * precision * recall / (precision + recall) if inside else 0.0


def excerpts(report: TriageReport) -> list[Span]:
    return [(f.excerpt.start_line, f.excerpt.end_line) for f in report.failures]


def in_half(rows: list[dict[str, object]], half: str | None) -> list[dict[str, object]]:
    """The rows of the repositories whose names sort in that half (all rows for None)."""
    if half is None:
        return rows
    repos = sorted({str(row["repo"]) for row in rows})
    chosen = set(repos[: len(repos) // 2] if half == HALVES[0] else repos[len(repos) // 2 :])
    return [row for row in rows if row["repo"] in chosen]


def score_set(
    folder: Path, triage: Triage, misses: int, half: str | None = None
) -> dict[str, Score]:
    """Scores per language plus "all", and the first `misses` misses described."""
    rows = in_half([json.loads(line) for line in (folder / "labels.jsonl").open()], half)
    scores: dict[str, Score] = defaultdict(Score)
    for row in rows:
        with (folder / row["log"]).open("rb") as stream:
            report = triage.run(row["id"], [Log(None, stream)])
        target = row.get("critical") or row["spans"]
        ranked = excerpts(report)
        top = ranked[0] if ranked else None
        hit1 = overlaps(top, target)
        hit3 = any(overlaps(span, target) for span in ranked[:3])
        f1 = line_f1(top, row["spans"])
        for key in ("all", row["language"]):
            scores[key].add(hit1, hit3, f1)
        if report.failures:
            scores["all"].calibration(report.failures[0].confidence, hit1)
        if not hit1 and len(scores["all"].misses) < misses:
            title = report.failures[0].title[:90] if report.failures else "-"
            scores["all"].misses.append(
                f"MISS {row['log']} [{row['language']}]: top {top} {title!r}; "
                f"cause {row['spans'][:3]} critical {row.get('critical', [])[:3]}"
            )
    return scores


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=list(SETS), action="append")
    parser.add_argument("--half", choices=HALVES, help="only that half of the repositories")
    parser.add_argument("--misses", type=int, default=0, metavar="K")
    parser.add_argument("--data", type=Path, default=SHARED, help=f"default {SHARED}")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"shared data not found at {args.data}: nothing scored. The labelled CI logs of "
              "issue 14 live in ../shared/data beside the checkout (or pass --data DIR).")
        return 2
    triage = Triage()
    for name in args.set or list(SETS):
        archive = args.data / f"{SETS[name]}.tar.xz"
        if not archive.exists():
            print(f"{archive}: not found, {name} set skipped")
            continue
        started = time.perf_counter()
        scores = score_set(unpacked(archive), triage, args.misses, args.half)
        seconds = time.perf_counter() - started
        which = f", {args.half} half" if args.half else ""
        print(f"\n== {name}: {archive}{which} ({seconds:.1f} s)")
        print("\n".join(scores["all"].misses))
        print(f"{'':<22} {'logs':>4}  {'hit@1':>6}  {'hit@3':>6}  {'F1':>6}")
        print(f"{'hephaestus':<22} {scores['all'].row()}")
        for label, figures in REFERENCE[name].items():
            cells = "  ".join(f"{v:6.3f}" if v is not None else f"{'-':>6}" for v in figures)
            print(f"{'issue 14 ' + label:<22} {'':>4}  {cells}")
        print("\nreliability of the top failure's confidence:")
        print(f"  {'confidence':<12}  {'logs':>4}  {'mean':>6}  {'hit@1':>6}")
        print("\n".join(scores["all"].reliability_rows()))
        print(f"  calibration error: {scores['all'].calibration_error():.3f} (all), "
              f"{scores['all'].calibration_error(BUCKETS[0]):.3f} (answers above "
              f"{BUCKETS[0]}, not \"no clear cause\")")
        languages = sorted(k for k in scores if k != "all")
        if len(languages) > 1:
            print("\nper language:")
            for language in languages:
                print(f"  {language:<20} {scores[language].row()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
