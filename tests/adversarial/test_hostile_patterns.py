"""Every regex the triage engine runs over log lines costs at most linear time in the line.

A log is hostile input, and Python's `re` backtracks: two unbounded runs side by side (`\\s*>?\\s*`)
split a long line every way. Each pattern below is tried on crafted lines of 500 and 2,000
characters, built from the characters log shapes are made of, after tool prefixes that put a
line inside a pattern's reach: four times the line may cost about four times the time, not
sixteen. (Known-failure rules run on RE2, which is linear by construction.)
"""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import pkgutil
import re
import time
from collections.abc import Iterator

import ghbot.engine.triage as triage_package
from ghbot.engine.triage.extractors import EXTRACTORS

UNITS = [" ", "a", "a ", "1", "1:", ": ", "::", "-", "/", ".", "a.", "(", "[", "=", "_", "\t",
         "> ", "| ", "at ", "a/", "x::", "\\", "*", "a-", "'", "\u203a"]
PREFIXES = ["", "  ", "error: ", "src/a.c:3:4: ", "  1) a.spec.ts:3:5 \u203a ", "[gw0] "]
SMALL, BIG = 500, 2000
# Linear: 4x the time for 4x the line (noise allowing); quadratic is 16x.
MAX_GROWTH = 10
FLOOR = 0.002  # seconds for the long line below which nothing is looked at


def _patterns_in(value: object) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _patterns_in(getattr(value, field.name))


def engine_patterns() -> dict[str, re.Pattern[str]]:
    """The compiled patterns of every triage module and of every extractor, by name."""
    found: dict[str, re.Pattern[str]] = {}
    for info in pkgutil.iter_modules(triage_package.__path__):
        module = importlib.import_module(f"{triage_package.__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found[f"{info.name}.{name}"] = value
    for number, extractor in enumerate(EXTRACTORS):
        for index, pattern in enumerate(_patterns_in(extractor)):
            found[f"extractor {number} ({extractor.name}) #{index}"] = pattern
    return found


def _cost(pattern: re.Pattern[str], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        pattern.search(text)
        best = min(best, time.perf_counter() - started)
    return best


def test_the_sweep_sees_the_extractors_and_module_patterns() -> None:
    names = engine_patterns()
    assert sum(name.startswith("extractor ") for name in names) >= len(EXTRACTORS)
    assert "normalise._ANSI" in names and "steps.STEP_FAILED" in names


def test_no_engine_pattern_costs_more_than_linear_time_in_the_line() -> None:
    slow = []
    for name, pattern in engine_patterns().items():
        for unit, prefix, end in itertools.product(UNITS, PREFIXES, ("", "!")):
            long = (prefix + unit * BIG)[:BIG] + end
            big = _cost(pattern, long)
            if big < FLOOR:
                continue
            small = _cost(pattern, (prefix + unit * SMALL)[:SMALL] + end)
            if big > MAX_GROWTH * small and _cost(pattern, long) > MAX_GROWTH * small:
                slow.append(f"{name} {pattern.pattern[:80]!r} on {prefix!r} + {unit!r} * n: "
                            f"{small * 1e3:.2f} ms -> {big * 1e3:.2f} ms")
    assert not slow, "\n".join(slow)
