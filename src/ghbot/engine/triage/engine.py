"""Triage one input (a log stream, or the several logs of a run-logs zip) into a TriageReport."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

import re2

from ghbot.engine.redact import redact
from ghbot.engine.triage.candidates import Candidate, Collected, Collector
from ghbot.engine.triage.model import Excerpt, Failure, TriageReport
from ghbot.engine.triage.normalise import Kind, Line
from ghbot.engine.triage.rank import (
    FALLBACK_CONTEXT,
    FALLBACK_SCORE,
    adjusted,
    anomalous_line,
    confidence,
    order,
    step_category,
)
from ghbot.engine.triage.rules import Catalog, RuleError, load_catalog
from ghbot.engine.triage.scan import Scanner

DEFAULT_MAX_EXCERPT = 30
StepOf = Callable[[str | None, int], str | None]
DEFAULT_MAX_FAILURES = 10

# Words and shapes that start a look at a line. Case-insensitive; everything else is skipped at
# RE2 speed. Extractor shapes without a trigger word (Go and flake8 locations, ruff codes, apt's
# `E:`, Jest's bullet, Mocha's and PHPUnit's numbered failures, rustfmt's diffs, the Go race
# detector, ShellCheck, RuboCop and Lua's interpreter) are listed as shapes.
TRIGGERS: tuple[str, ...] = (
    r"error", r"fail", r"fatal", r"exception", r"traceback", r"panic", r"abort", r"killed",
    r"denied", r"timed? ?out", r"no space left", r"enospc", r"out of memory", r"oom",
    r"cannot", r"could not", r"couldn't", r"unable to", r"not found", r"segmentation fault",
    r"core dumped", r"refused", r"exit (?:code|status)", r"exited with", r"rate limit",
    r"too many requests", r"cancel", r"undefined reference", r"undefined symbols",
    r"unresolved", r"err!", r"##\[group\]Run ", r"travis_fold:start", r"section_start:",
    "\u25cf", r"<<< ", r"\.go:\d+:\d+: ", r"\.py:\d+:\d+: [A-Z]",
    r"(?m)^(?:\S+Z )?[A-Z]{1,4}\d{3,4} ", r"(?m)^(?:\S+Z )?E: ", r"(?m)^(?:\S+Z )?\s*\d{1,3}\) \S",
    r"(?m)^(?:\S+Z )?e: ", r"(?m)^(?:\S+Z )?Diff in ", r"DATA RACE", r"\^-*\^? SC\d{4} ",
    r"\.rb:\d+:\d+: [CWEF]: ", r"(?m)^(?:\S+Z )?lua(?:jit|\d\.\d)?: ",
)


def build_prefilter(catalog: Catalog) -> re2._Regexp:
    words = list(TRIGGERS) + [re2.escape(literal) for literal in catalog.literals()]
    options = re2.Options()
    options.log_errors = False
    options.max_mem = 64 << 20
    try:
        return re2.compile(("(?i)" + "|".join(f"(?:{word})" for word in words)).encode(), options)
    except re2.error:  # the rules' literals, one alternative each, outgrew max_mem
        raise RuleError(
            f"the rules' {len(words) - len(TRIGGERS)} literal words do not fit the prefilter "
            f"({options.max_mem >> 20} MiB): remove or shorten patterns"
        ) from None


@dataclass(frozen=True, slots=True)
class Log:
    """One log to scan: its name inside a zip (None for a plain input) and its step if known."""

    name: str | None
    stream: IO[bytes]
    step: str | None = None


class Triage:
    """Reusable: the rule catalog and prefilter are built once, then any number of inputs."""

    def __init__(
        self,
        catalog: Catalog | None = None,
        max_excerpt: int = DEFAULT_MAX_EXCERPT,
        max_failures: int = DEFAULT_MAX_FAILURES,
    ) -> None:
        self.catalog = catalog if catalog is not None else load_catalog()
        self.prefilter = build_prefilter(self.catalog)
        self.max_excerpt = max(1, max_excerpt)
        self.max_failures = max(1, max_failures)

    def run(self, source: str, logs: Iterable[Log]) -> TriageReport:
        collected = Collected()
        collector = Collector(self.catalog, self.max_excerpt, collected)
        steps: dict[str | None, tuple[list[int], list[str], str | None]] = {}
        tails: list[tuple[str | None, list[Line]]] = []
        total_lines = total_bytes = 0
        for log in logs:
            scanner = Scanner(self.prefilter)
            for region in scanner.run(log.stream):
                collector.feed(region, log.name)
            result = scanner.result
            collector.count_repeats(result.repeats)
            collected.error_lines += [(log.name, number) for number in result.annotations]
            total_lines += result.lines
            total_bytes += result.bytes
            steps[log.name] = ([n for n, _ in result.steps], [s for _, s in result.steps], log.step)
            if result.tail:
                tails.append((log.name, result.tail))

        def step_of(log: str | None, line: int) -> str | None:
            starts, names, default = steps.get(log, ([], [], None))
            if default is not None:  # a per-step file of a run-logs zip: its name is the step
                return default
            position = bisect.bisect_right(starts, line) - 1
            return names[position] if position >= 0 else default

        failing = {(log, step_of(log, line)) for log, line in collected.error_lines}
        failing_names = {name for _, name in failing}
        scored = [
            (adjusted(c, step_of(c.log, c.key_line), failing_names if failing else set()), c)
            for c in collected.clusters.values()
        ]
        ranked = order(scored)
        primary = [
            c for s, c in ranked
            if not c.consequence and (not failing or (c.log, step_of(c.log, c.key_line)) in failing)
        ]
        fallback = None
        if not primary:
            fallback = self._fallback(collected, tails, failing, step_of)
        failures: list[Failure] = []
        if fallback is not None:
            failures.append(self._failure(fallback, FALLBACK_SCORE, step_of, fallback=True))
        for score, candidate in ranked[: self.max_failures - len(failures)]:
            failures.append(self._failure(candidate, score, step_of))
        ordered_failing = sorted({name for name in failing_names if name is not None})
        return TriageReport(
            source=source,
            failures=tuple(failures),
            lines=total_lines,
            bytes=total_bytes,
            failing_steps=tuple(ordered_failing),
        )

    def _fallback(
        self,
        collected: Collected,
        tails: list[tuple[str | None, list[Line]]],
        failing: set[tuple[str | None, str | None]],
        step_of: StepOf,
    ) -> Candidate | None:
        windows = [
            (log, [line for line in window[:-1] if line.kind is not Kind.ERROR])
            for log, window in collected.windows
            if window and (log, step_of(log, window[-1].number)) in failing
        ]
        for log, window in [*windows, *reversed(tails)]:
            index = anomalous_line(window)
            if index is None:
                continue
            first = max(0, index - FALLBACK_CONTEXT)
            last = min(len(window) - 1, index + FALLBACK_CONTEXT)
            # Excerpt lines must be consecutive in the raw log: stop at a gap.
            while first < index and window[index].number - window[first].number != index - first:
                first += 1
            while last > index and window[last].number - window[index].number != last - index:
                last -= 1
            key = window[index].text.strip()
            return Candidate(
                detector="fallback",
                category="unknown",
                title=f"Possible cause (no known pattern matched): {key[:160]}",
                score=FALLBACK_SCORE,
                consequence=False,
                key_line=window[index].number,
                start_line=window[first].number,
                lines=[line.text for line in window[first : last + 1]],
                key_text=key,
                explanation="No known failure pattern matched; these are the most unusual lines "
                "just before the step failed.",
                fix="Read the lines around the excerpt in the full log and rerun the step locally.",
                log=log,
            )
        return None

    def _failure(
        self, candidate: Candidate, score: int, step_of: StepOf, fallback: bool = False
    ) -> Failure:
        step = step_of(candidate.log, candidate.key_line)
        category = candidate.category
        if category == "unknown":
            category = step_category(step)
        rule = candidate.rule
        return Failure(
            category=category,
            title=redact(candidate.title),
            rule=rule.id if rule else None,
            detector="rule" if rule and candidate.detector == "annotation" else candidate.detector,
            fingerprint=candidate.fingerprint,
            confidence=confidence(candidate, score, fallback),
            step=step,
            log=candidate.log,
            excerpt=Excerpt(
                candidate.start_line, candidate.end_line, redact("\n".join(candidate.lines))
            ),
            count=candidate.count,
            explanation=candidate.explanation,
            fix=candidate.fix,
            docs=rule.docs if rule else None,
            retry=rule.retry if rule else False,
        )


def triage_stream(
    stream: IO[bytes],
    source: str,
    catalog: Catalog | None = None,
    max_excerpt: int = DEFAULT_MAX_EXCERPT,
) -> TriageReport:
    """Triage one plain log."""
    return Triage(catalog, max_excerpt).run(source, [Log(None, stream)])
