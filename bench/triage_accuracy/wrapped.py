"""Score triage on real tool outputs wrapped as whole CI job logs: GitHub Actions and Travis.

Every log of tests/triage/fixtures/real/ is what a real tool printed on a failing project
(bench/triage_accuracy/capture.py ran it). Here each tool output is put, unchanged, inside a
whole job log of each provider, with the parts a real job has around the failing command: the
machine preamble, a checkout, a dependency install that passes with warnings, the failing
step with its exit, and the epilogue (after_failure, cache upload, post-job cleanup). The
engine sees only that job log; the labels move with the tool output.

    python bench/triage_accuracy/wrapped.py [--provider actions|travis] [--misses]

Scores as the shared scorer does: hit@1 when the top failure's excerpt holds a cause line
(`cause_lines` of labels.json), hit@3 for any of the top three, and line F1 of the top excerpt
against the cause block (`span` of labels.json where it was labelled, else the cause lines).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shlex
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ghbot.engine.triage.engine import Log, Triage

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "triage" / "fixtures" / "real"
LABELS = Path(__file__).with_name("labels.json")
SOURCES = LOGS / "sources.json"
PROVIDERS = ("actions", "travis")

_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+Z ")
_EXIT = re.compile(r"^##\[error\]Process completed with exit code (\d+)\.")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ToolRun:
    """One real tool output with its cause lines (1-based, in `lines`)."""

    name: str
    ecosystem: str
    command: str
    lines: list[str]
    code: int
    cause: list[int]
    block: list[Span]


@dataclass(frozen=True, slots=True)
class JobLog:
    text: str
    cause: list[int]
    block: list[Span]


def unwrap(lines: list[str]) -> tuple[int, int, int]:
    """(first, end, code): the failing step's own output is lines[first:end] of a log that
    capture.py wrapped as a GitHub Actions step; the whole text for a bare tool output."""
    if not lines or not _STAMP.match(lines[0]):
        return 0, len(lines), 1
    plain = [_STAMP.sub("", line, count=1) for line in lines]
    end = next((i for i, line in enumerate(plain) if _EXIT.match(line)), len(plain))
    group = max(i for i, line in enumerate(plain[:end]) if line.startswith("##[group]Run "))
    first = next(i for i in range(group, end) if plain[i] == "##[endgroup]") + 1
    found = _EXIT.match(plain[end]) if end < len(plain) else None
    return first, end, int(found.group(1)) if found else 1


def tool_runs() -> Iterator[ToolRun]:
    labels = json.loads(LABELS.read_text())
    sources = json.loads(SOURCES.read_text()) if SOURCES.exists() else {}
    for name, label in sorted(labels.items()):
        lines = (LOGS / f"{name}.log").read_text().rstrip("\n").split("\n")
        first, end, code = unwrap(lines)
        plain = [_STAMP.sub("", line, count=1) for line in lines[first:end]]
        cause = [n - first for n in label["cause_lines"] if first < n <= end]
        spans = label.get("span") or [[n, n] for n in label["cause_lines"]]
        block = [(max(a, first + 1) - first, min(b, end) - first) for a, b in spans
                 if b > first and a <= end]
        if not cause:
            continue  # a cause in capture.py's own wrapping (its setup steps)
        command = sources.get(name, {}).get("command") or " ".join(label["command"])
        words = command.split(" ", 1)
        command = " ".join([Path(words[0]).name, *words[1:]])
        yield ToolRun(name, label["ecosystem"], command, plain, code, cause, block)


JOBS = Path(__file__).with_name("jobs")  # the parts of a job around its failing step


def _part(name: str) -> list[str]:
    return (JOBS / f"{name}.log").read_bytes().decode().removesuffix("\n").split("\n")


def _stamped(lines: list[str]) -> list[str]:
    return [f"2026-03-0{1 + i // 50000}T10:{(i // 60) % 60:02d}:{i % 60:02d}.{i % 10**7:07d}Z "
            f"{line}" for i, line in enumerate(lines)]


def wrap(run: ToolRun, provider: str) -> JobLog:
    """The job log of `provider` whose failing step printed `run`'s output."""
    if provider == "actions":
        before = _part("actions-preamble") + [
            f"##[group]Run {run.command}", run.command, "shell: /usr/bin/bash -e {0}",
            "##[endgroup]"]
        after = [f"##[error]Process completed with exit code {run.code}.",
                 *_part("actions-epilogue")]
        lines = _stamped(before + run.lines + after)
    else:
        quoted = shlex.quote(run.command) if "'" not in run.command else run.command
        before = _part("travis-preamble") + [
            f"travis_time:start:6a7b8c9d\r\x1b[0K$ {run.command}"]
        after = [
            "travis_time:end:6a7b8c9d:start=1590000031000000000,finish=1590000090000000000,"
            f"duration=59000000000,event=script\r\x1b[0K\x1b[31;1mThe command \"{quoted}\" "
            f"exited with {run.code}.\x1b[0m", "", *_part("travis-epilogue")]
        lines = before + run.lines + after
    offset = len(before)
    return JobLog("\n".join(lines) + "\n", [n + offset for n in run.cause],
                  [(a + offset, b + offset) for a, b in run.block])


def overlaps(span: Span | None, lines: list[int]) -> bool:
    return span is not None and any(span[0] <= n <= span[1] for n in lines)


def line_f1(span: Span | None, block: list[Span]) -> float:
    gold = {n for a, b in block for n in range(a, b + 1)}
    if span is None or not gold:
        return 0.0
    inside = len(set(range(span[0], span[1] + 1)) & gold)
    if not inside:
        return 0.0
    precision, recall = inside / (span[1] - span[0] + 1), inside / len(gold)
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True, slots=True)
class Scored:
    name: str
    ecosystem: str
    provider: str
    hit1: bool
    hit3: bool
    f1: float
    top: str


def score(triage: Triage, providers: tuple[str, ...] = PROVIDERS) -> list[Scored]:
    results = []
    for run in tool_runs():
        for provider in providers:
            job = wrap(run, provider)
            report = triage.run(run.name, [Log(None, io.BytesIO(job.text.encode()))])
            spans = [(f.excerpt.start_line, f.excerpt.end_line) for f in report.failures]
            top = spans[0] if spans else None
            title = report.failures[0].title[:80] if report.failures else "-"
            results.append(Scored(
                run.name, run.ecosystem, provider, overlaps(top, job.cause),
                any(overlaps(span, job.cause) for span in spans[:3]), line_f1(top, job.block),
                f"top {top} {title!r}; cause {job.cause[:3]} block {job.block[:2]}"))
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--provider", choices=PROVIDERS, action="append")
    parser.add_argument("--misses", action="store_true", help="list the logs missed at 1")
    args = parser.parse_args(argv)
    results = score(Triage(), tuple(args.provider or PROVIDERS))
    groups: dict[str, list[Scored]] = defaultdict(list)
    for result in results:
        groups["all"].append(result)
        groups[result.provider].append(result)
        groups[f"  {result.ecosystem}"].append(result)
        if args.misses and not result.hit1:
            print(f"MISS {result.provider} {result.name}: {result.top}")
    print(f"\n{'':<14} {'logs':>4}  {'hit@1':>6}  {'hit@3':>6}  {'F1':>6}")
    for key in ["all", *PROVIDERS, *sorted(k for k in groups if k.startswith(" "))]:
        rows = groups.get(key)
        if rows:
            n = len(rows)
            print(f"{key:<14} {n:>4}  {sum(r.hit1 for r in rows) / n:6.3f}  "
                  f"{sum(r.hit3 for r in rows) / n:6.3f}  {sum(r.f1 for r in rows) / n:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
