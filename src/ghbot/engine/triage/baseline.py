"""What a passing run also prints: lines of it discount the same lines of a failed run.

A build prints the same warnings, retries and "error" words whether it passes or fails; they are
not why it failed. The passing log is scanned like a failed one (one RE2 pass, only the lines
that look like errors are looked at) and kept as the masked templates of those lines (numbers,
paths, times, hashes masked), so `retry 3/5 after 1.2s` in the passing run matches
`retry 4/5 after 0.8s` in the failed one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import re2

from ghbot.engine.triage.cluster import template
from ghbot.engine.triage.scan import Readable, Scanner

MAX_TEMPLATES = 200_000  # a passing log of any size keeps a bounded set


@dataclass(frozen=True, slots=True)
class Baseline:
    templates: frozenset[str]
    lines: int  # lines of the passing log(s)

    def has(self, text: str) -> bool:
        return template(text) in self.templates


def read_baseline(streams: Iterable[Readable], prefilter: re2._Regexp) -> Baseline:
    """The templates of the error-looking lines of passing log streams."""
    found: set[str] = set()
    lines = 0
    for stream in streams:
        scanner = Scanner(prefilter, before=0, after=0)
        for region in scanner.run(stream):
            for index in region.hits:
                if index < len(region.lines) and len(found) < MAX_TEMPLATES:
                    found.add(template(region.lines[index].text))
        lines += scanner.result.lines
    return Baseline(frozenset(found), lines)
