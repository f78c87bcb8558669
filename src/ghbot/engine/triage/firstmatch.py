"""Which of an ordered list of regexes is the first to match a line, trying only the few that can.

Trying each extractor's pattern in turn cost 60-odd regex calls per trigger line, most lines
matching none, and a few patterns (`.{0,200}\\bword` alternatives) are slow to fail. Most
patterns cannot match without one of a few literal strings (`FAILED`, `error: `, `.py:`): those
are read from the parsed pattern, and one RE2 set search over the line tells which of them occur,
so only the patterns whose literal is present (and those without any) are tried, in order.
The answer is the loop's: a pattern is skipped only when it cannot match. A case-insensitive
pattern's literals are looked for case-folded, in the folded line (see `fold`).
"""

from __future__ import annotations

import re
import re._compiler as sre_compiler  # type: ignore[import-not-found]  # no stub
import re._constants as sre_constants
import re._parser as sre_parse
from collections.abc import Iterable, Iterator, Sequence
from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]  # no stub

import re2

# A requirement: at least one of these strings is in every text the (sub)pattern matches.
Requirement = frozenset[str]
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)
_RUN_REPEAT = 8  # `_{3,}` requires `___`; longer runs add little


def _fold_tables() -> tuple[dict[int, str], dict[int, str]]:
    """Case-insensitive `re` matches a character when its simple lowercase is the pattern's, or
    one `re` treats alike (`ı` and `i`, `ſ` and `s`): map each such class to one character."""
    before = {0x130: "i"}  # `İ`: its simple lowercase; str.lower() gives two characters
    after: dict[int, str] = {}
    for low, others in _EXTRA_CASES.items():
        after[low] = chr(min(low, *others))
    return before, after


_FOLD_BEFORE, _FOLD_AFTER = _fold_tables()


def fold(text: str) -> str:
    """`text` such that a case-insensitive literal `re` finds in it is in fold(text) as fold(it)."""
    if text.isascii():  # the tables change no ASCII character (and translate is slow)
        return text.lower()
    return text.translate(_FOLD_BEFORE).lower().translate(_FOLD_AFTER)


def _better(a: Requirement | None, b: Requirement | None) -> Requirement | None:
    """The more selective requirement: the one whose shortest string is longer."""
    if a is None:
        return b
    if b is None:
        return a
    return a if min(map(len, a)) >= min(map(len, b)) else b


def requirement(
    items: sre_parse.SubPattern | list[tuple[object, object]], folded: bool = False
) -> Requirement | None:
    """Strings one of which every match of the parsed sequence contains; None if unknown.

    `folded`: the pattern ignores case, and the strings are given folded (see `fold`)."""
    best: Requirement | None = None
    run: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL and isinstance(arg, int):
            run.append(fold(chr(arg)) if folded else chr(arg))
            continue
        if run:
            best = _better(best, frozenset(["".join(run)]))
            run = []
        found: Requirement | None = None
        if op is sre_constants.SUBPATTERN and isinstance(arg, tuple):
            _group, add_flags, _del_flags, sub = arg
            if folded or not add_flags & sre_constants.SRE_FLAG_IGNORECASE:
                found = requirement(sub, folded)
        elif op is sre_constants.ATOMIC_GROUP and isinstance(arg, sre_parse.SubPattern):
            found = requirement(arg, folded)
        elif op in _REPEATS and isinstance(arg, tuple) and arg[0] >= 1:
            sub = list(arg[2])
            if len(sub) == 1 and sub[0][0] is sre_constants.LITERAL:  # `_{3,}`: `___`
                found = requirement(sub * min(arg[0], _RUN_REPEAT), folded)
            else:
                found = requirement(sub, folded)
        elif op is sre_constants.IN and isinstance(arg, list) and arg and not folded:
            if all(kind is sre_constants.LITERAL for kind, _ in arg):  # `[✓✔]`, `(?:✓|✔)`
                found = frozenset(chr(code) for _, code in arg)
        elif op is sre_constants.BRANCH and isinstance(arg, tuple):
            branches = [requirement(branch, folded) for branch in arg[1]]
            if all(branch is not None for branch in branches):
                found = frozenset().union(*(b for b in branches if b is not None))
        best = _better(best, found)
    if run:
        best = _better(best, frozenset(["".join(run)]))
    if best is not None and not all(best):
        return None  # an empty string is no requirement
    return best


def pattern_requirement(pattern: re.Pattern[str]) -> Requirement | None:
    """What every match of `pattern` holds; folded when the pattern ignores case."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):  # pragma: no cover - it compiled once already
        return None
    return requirement(parsed, folded=bool(pattern.flags & re.IGNORECASE))


_FEW_WORDS = 12  # up to this many words, `in` tests beat an RE2 set call (and its encoding)


class _Literals:
    """Which of many patterns may match a text: one RE2 search for all their literal words."""

    def __init__(self) -> None:
        options = re2.Options()
        options.literal = True
        options.log_errors = False
        self._set = re2.Set.SearchSet(options)
        self._numbers: dict[str, int] = {}
        self._enables: list[list[int]] = []  # literal number -> patterns it lets through
        self._few: tuple[tuple[str, int], ...] | None = None  # (word, number), when few

    def add(self, literals: Iterable[str], index: int) -> None:
        for literal in literals:
            number = self._numbers.get(literal)
            if number is None:
                number = self._numbers[literal] = self._set.Add(literal)
                self._enables.append([])
            self._enables[number].append(index)

    def compile(self) -> _Literals | None:
        if not self._numbers:
            return None
        self._set.Compile()
        self._few = tuple(self._numbers.items()) if len(self._numbers) <= _FEW_WORDS else None
        return self

    def enabled(self, text: str, into: set[int]) -> None:
        """Add to `into` the patterns one of whose literals occurs in `text`."""
        present: Iterable[int]
        if self._few is not None:
            present = [number for word, number in self._few if word in text]
        else:
            try:
                present = self._set.Match(text) or ()
            except UnicodeEncodeError:  # a lone surrogate: RE2 reads UTF-8 only, try all
                present = range(len(self._enables))
        for number in present:
            into.update(self._enables[number])


class FirstMatch:
    """`matches(text)`: the patterns whose `search(text)` matches, in order, found lazily.

    `requirements` (what `pattern_requirement` says of each pattern) may be given for patterns
    that have no source text of their own (an alternative compiled out of a larger one).
    """

    def __init__(
        self,
        patterns: Sequence[re.Pattern[str]],
        requirements: Sequence[Requirement | None] | None = None,
    ) -> None:
        self.patterns = tuple(patterns)
        if requirements is None:
            requirements = [pattern_requirement(pattern) for pattern in self.patterns]
        self._always: set[int] = set()  # patterns with no requirement: always tried
        plain, folded = _Literals(), _Literals()  # case-insensitive ones: on the folded text
        for index, (pattern, needed) in enumerate(zip(self.patterns, requirements, strict=True)):
            if not needed:
                self._always.add(index)
            else:
                (folded if pattern.flags & re.IGNORECASE else plain).add(sorted(needed), index)
        self._plain, self._folded = plain.compile(), folded.compile()

    def matches(self, text: str, at_start: bool = False) -> Iterator[tuple[int, re.Match[str]]]:
        """(index, match) of each pattern that matches in `text` (with `at_start`, that
        matches at its start), in pattern order."""
        tried = set(self._always)
        if self._plain is not None:
            self._plain.enabled(text, tried)
        if self._folded is not None:
            self._folded.enabled(fold(text), tried)
        for index in sorted(tried):
            pattern = self.patterns[index]
            found = pattern.match(text) if at_start else pattern.search(text)
            if found is not None:
                yield index, found


def _compiled(parsed: sre_parse.SubPattern, flags: int) -> re.Pattern[str]:
    """A parsed (sub)pattern compiled as it stands (one alternative of a larger pattern)."""
    compiled: re.Pattern[str] = sre_compiler.compile(parsed, flags)
    return compiled


class Gate:
    """Whether one pattern matches a text, running only the alternatives that can.

    A search (or match) for `A|B` succeeds where one for `A` or one for `B` does, so each
    top-level alternative runs alone, and only when one of its literals occurs: a long
    case-insensitive alternation tried at every offset cost ~50 us a line.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        folded = bool(pattern.flags & re.IGNORECASE)
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        items = list(parsed)
        whole = len(items) != 1 or items[0][0] is not sre_constants.BRANCH
        branches = [parsed] if whole else items[0][1][1]
        alternatives = [pattern] if whole else [_compiled(b, pattern.flags) for b in branches]
        needed = [requirement(branch, folded) for branch in branches]
        self._alternatives = FirstMatch(alternatives, needed)

    def search(self, text: str) -> bool:
        return any(True for _ in self._alternatives.matches(text))

    def match(self, text: str) -> bool:
        return any(True for _ in self._alternatives.matches(text, at_start=True))
