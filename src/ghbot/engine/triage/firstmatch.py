"""Which of an ordered list of regexes is the first to match a line, trying only the few that can.

Trying each extractor's pattern in turn cost 60-odd regex calls per trigger line, most lines
matching none, and a few patterns (`.{0,200}\\bword` alternatives) are slow to fail. Most
patterns cannot match without one of a few literal strings (`FAILED`, `error: `, `.py:`): those
are read from the parsed pattern, and one RE2 set search over the line tells which of them occur,
so only the patterns whose literal is present (and those without any) are tried, in order.
The answer is the loop's: a pattern is skipped only when it cannot match.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parse
from collections.abc import Iterable, Iterator, Sequence

import re2

# A requirement: at least one of these strings is in every text the (sub)pattern matches.
Requirement = frozenset[str]
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


def _better(a: Requirement | None, b: Requirement | None) -> Requirement | None:
    """The more selective requirement: the one whose shortest string is longer."""
    if a is None:
        return b
    if b is None:
        return a
    return a if min(map(len, a)) >= min(map(len, b)) else b


def requirement(items: sre_parse.SubPattern | list[tuple[object, object]]) -> Requirement | None:
    """Strings one of which every match of the parsed sequence contains; None if unknown."""
    best: Requirement | None = None
    run: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL and isinstance(arg, int):
            run.append(chr(arg))
            continue
        if run:
            best = _better(best, frozenset(["".join(run)]))
            run = []
        found: Requirement | None = None
        if op is sre_constants.SUBPATTERN and isinstance(arg, tuple):
            _group, add_flags, _del_flags, sub = arg
            if not add_flags & sre_constants.SRE_FLAG_IGNORECASE:
                found = requirement(sub)
        elif op is sre_constants.ATOMIC_GROUP and isinstance(arg, sre_parse.SubPattern):
            found = requirement(arg)
        elif op in _REPEATS and isinstance(arg, tuple) and arg[0] >= 1:
            found = requirement(arg[2])
        elif op is sre_constants.BRANCH and isinstance(arg, tuple):
            branches = [requirement(branch) for branch in arg[1]]
            if all(branch is not None for branch in branches):
                found = frozenset().union(*(b for b in branches if b is not None))
        best = _better(best, found)
    if run:
        best = _better(best, frozenset(["".join(run)]))
    if best is not None and not all(best):
        return None  # an empty string is no requirement
    return best


def pattern_requirement(pattern: re.Pattern[str]) -> Requirement | None:
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return None  # case-folded literals (and verbose whitespace) are left to the regex
    try:
        return requirement(sre_parse.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError):  # pragma: no cover - it compiled once already
        return None


class FirstMatch:
    """`matches(text)`: the patterns whose `search(text)` matches, in order, found lazily."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        self._always: set[int] = set()  # patterns with no requirement: always tried
        self._enables: list[list[int]] = []  # literal number -> patterns it lets through
        numbers: dict[str, int] = {}
        options = re2.Options()
        options.literal = True
        options.log_errors = False
        self._set = re2.Set.SearchSet(options)
        for index, pattern in enumerate(self.patterns):
            needed = pattern_requirement(pattern)
            if needed is None:
                self._always.add(index)
                continue
            for literal in sorted(needed):
                number = numbers.get(literal)
                if number is None:
                    number = numbers[literal] = self._set.Add(literal)
                    self._enables.append([])
                self._enables[number].append(index)
        if numbers:
            self._set.Compile()

    def matches(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """(index, match) of each pattern that matches somewhere in `text`, in pattern order."""
        tried = set(self._always)
        if self._enables:
            present: Iterable[int]
            try:
                present = self._set.Match(text) or ()
            except UnicodeEncodeError:  # a lone surrogate: RE2 reads UTF-8 only, try them all
                present = range(len(self._enables))
            for number in present:
                tried.update(self._enables[number])
        for index in sorted(tried):
            found = self.patterns[index].search(text)
            if found is not None:
                yield index, found
