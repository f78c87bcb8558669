"""Which of an ordered list of regexes is the first to match a line, trying only the few that can.

Trying each extractor's pattern in turn cost 60-odd regex calls per trigger line, most lines
matching none, and a few patterns (`.{0,200}\\bword` alternatives) are slow to fail. Most
patterns cannot match without one of a few literal strings (`FAILED`, `error: `, `.py:`): those
are read from the parsed pattern, and one RE2 set search over the line tells which of them occur,
so only the patterns whose literal is present (and those without any) are tried, in order.
The answer is the loop's: a pattern is skipped only when it cannot match. A case-insensitive
pattern's literals are looked for case-folded, in the folded line (see `fold`).

A gate over lines that it nearly always rejects (`NOT_AN_ERROR` on trigger lines) may ask RE2
first, on an ASCII line, whether a translation of its pattern that matches at least what it
matches does (see `Quick`): one RE2 call instead of a set search and a few `re` tries.
"""

from __future__ import annotations

import functools
import re
import re._compiler as sre_compiler  # type: ignore[import-not-found]  # no stub
import re._constants as sre_constants
import re._parser as sre_parse
from collections.abc import Iterable, Iterator, Sequence
from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]  # no stub
from typing import Any

import re2

from ghbot.engine.re2match import first_match

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


@functools.lru_cache(maxsize=4096)
def _parsed(source: str, flags: int) -> sre_parse.SubPattern:
    """A pattern's parse tree, read (never changed) by both `requirement` and the RE2
    translation, for each of the extractor tables that hold it: parsing them all four times was
    a third of the engine's import."""
    return sre_parse.parse(source, flags)


def pattern_requirement(pattern: re.Pattern[str]) -> Requirement | None:
    """What every match of `pattern` holds; folded when the pattern ignores case."""
    try:
        parsed = _parsed(pattern.pattern, pattern.flags)
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


# The translation of `re`'s parsed patterns into RE2 syntax, for ASCII text only: there `\d`,
# `\w`, `\b` and case folding mean the same in both, `\s` is spelled out (RE2's lacks \v and
# \x1c-\x1f). What RE2 cannot say, or says slowly, becomes what matches more: a lookaround
# nothing, `{m,n}` `{m,}` (counted repeats multiply RE2's states), a character beyond Latin-1
# (which no ASCII text holds) an empty class. So the translation matches wherever the pattern
# does, never the reverse. It runs in Latin-1 mode: `.` is one byte, not a UTF-8 sequence.
_SPACE = "\\t\\n\\x{b}\\f\\r \\x{1c}-\\x{1f}"
_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: "\\d", sre_constants.CATEGORY_NOT_DIGIT: "\\D",
    sre_constants.CATEGORY_WORD: "\\w", sre_constants.CATEGORY_NOT_WORD: "\\W",
    sre_constants.CATEGORY_SPACE: _SPACE, sre_constants.CATEGORY_NOT_SPACE: "\\S",
}
_NEGATED_CATEGORIES = ("\\D", "\\W", "\\S")
_RE2_REPEAT = 1000  # RE2's largest counted repetition
_LATIN1 = 0xFF
_NOTHING = "[^\\x00-\\x{ff}]"  # in Latin-1 mode: no character at all
_ANYTHING = "[\\x00-\\x{ff}]"


class Untranslatable(ValueError):
    """A construct with no RE2 equivalent that would match at least as much."""


def _no_fold(code: int, ignore_case: bool) -> None:
    if code >= 0x80 and ignore_case:
        raise Untranslatable("a non-ASCII character may fold to an ASCII one")  # `K`, `ſ`, `İ`


def _char(code: int, ignore_case: bool) -> str:
    _no_fold(code, ignore_case)
    return chr(code) if chr(code).isascii() and chr(code).isalnum() else f"\\x{{{code:x}}}"


def _beyond(code: int, ignore_case: bool) -> bool:
    """Whether no ASCII text can hold the character (nor, ignoring case, its folds)."""
    _no_fold(code, ignore_case)
    return code > _LATIN1


def _class_item(op: object, arg: object, ignore_case: bool) -> str:
    if op is sre_constants.LITERAL and isinstance(arg, int):
        return "" if _beyond(arg, ignore_case) else _char(arg, ignore_case)
    if op is sre_constants.RANGE and isinstance(arg, tuple):
        low, high = arg
        if ignore_case and high >= 0x80:
            raise Untranslatable("a non-ASCII range may fold to ASCII")
        if low > _LATIN1:
            return ""
        return f"{_char(low, ignore_case)}-{_char(min(high, _LATIN1), ignore_case)}"
    if op is sre_constants.CATEGORY and arg in _CATEGORIES:
        return _CATEGORIES[arg]
    raise Untranslatable(str(op))


def _re2_items(items: Iterable[tuple[object, object]], flags: int) -> str:
    return "".join(_re2_node(op, arg, flags) for op, arg in items)


def _re2_node(op: object, arg: Any, flags: int) -> str:
    ignore_case = bool(flags & re.IGNORECASE)
    if op is sre_constants.LITERAL:
        return _NOTHING if _beyond(arg, ignore_case) else _char(arg, ignore_case)
    if op is sre_constants.NOT_LITERAL:
        return _ANYTHING if _beyond(arg, ignore_case) else f"[^{_char(arg, ignore_case)}]"
    if op is sre_constants.ANY:
        return _ANYTHING if flags & re.DOTALL else "[^\\n]"
    if op is sre_constants.IN:
        negated = bool(arg) and arg[0][0] is sre_constants.NEGATE
        body = "".join(_class_item(o, a, ignore_case) for o, a in arg[negated:])
        if negated and any(category in body for category in _NEGATED_CATEGORIES):
            raise Untranslatable("a negated class holding a negated category")
        if not body:
            return _ANYTHING if negated else _NOTHING
        return f"[{'^' if negated else ''}{body}]"
    if op is sre_constants.BRANCH:
        return "(?:" + "|".join(_re2_items(branch, flags) for branch in arg[1]) + ")"
    if op is sre_constants.SUBPATTERN:
        _group, add, remove, sub = arg
        if (add | remove) & ~re.IGNORECASE:
            raise Untranslatable("a scoped flag other than ignore-case")
        inner_flags = (flags | add) & ~remove
        prefix = "(?i:" if add else "(?-i:" if remove else "(?:"
        return prefix + _re2_items(sub, inner_flags) + ")"
    if op is sre_constants.ATOMIC_GROUP:
        return "(?:" + _re2_items(arg, flags) + ")"
    if op in _REPEATS:
        low, _high, sub = arg
        if low > _RE2_REPEAT:
            raise Untranslatable("a repetition RE2 cannot count")
        return f"(?:{_re2_items(sub, flags)}){{{low},}}"
    if op is sre_constants.AT:
        if arg is sre_constants.AT_BEGINNING:
            return "(?m:^)" if flags & re.MULTILINE else "^"
        if arg is sre_constants.AT_BEGINNING_STRING:
            return "\\A"
        if arg in (sre_constants.AT_END, sre_constants.AT_END_STRING):
            return "(?m:$)"  # `$` also matches before a final newline
        if arg is sre_constants.AT_BOUNDARY:
            return "\\b"
        if arg is sre_constants.AT_NON_BOUNDARY:
            return "\\B"
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return ""  # a lookaround only ever removes matches
    if op is sre_constants.GROUPREF:
        return f"(?:{_ANYTHING})*"  # whatever the group matched is some text
    raise Untranslatable(str(op))


def re2_superset(pattern: re.Pattern[str]) -> str | None:
    """RE2 syntax (Latin-1 mode) that matches, in any ASCII text, wherever `pattern` does;
    None if unknown."""
    source: object = pattern.pattern  # None when compiled out of a larger pattern
    if not isinstance(source, str):
        return None
    try:
        parsed = _parsed(source, pattern.flags)
        body = _re2_items(parsed, pattern.flags)
    except (Untranslatable, re.error, RecursionError):
        return None
    return ("(?i)" if pattern.flags & re.IGNORECASE else "") + body


def _latin1_options(max_mem: int) -> re2.Options:
    options = re2.Options()
    options.log_errors = False
    options.max_mem = max_mem
    options.encoding = re2.Options.Encoding.LATIN1
    return options


class Quick:
    """RE2's answer for one `re` pattern on ASCII text: whether it surely cannot match."""

    def __init__(self, source: str) -> None:
        options = _latin1_options(8 << 20)
        self._first = (
            first_match(re2.compile(source.encode(), options)),
            first_match(re2.compile(f"\\A(?:{source})".encode(), options)),
        )

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Quick | None:
        source = re2_superset(pattern)
        if source is None:
            return None
        try:
            return cls(source)
        except re2.error:  # too big for RE2
            return None

    def rules_out(self, data: bytes, at_start: bool) -> bool:
        """Whether the pattern cannot match the ASCII `data` (at its start, with `at_start`)."""
        return self._first[at_start](data, 0, len(data)) < 0


class _Translated:
    """Which of many `re` patterns may match an ASCII text: one RE2 set search over all their
    translations (one call, where the literal sets take two and leave more to try)."""

    def __init__(self, sources: Sequence[str]) -> None:
        self._set = re2.Set.SearchSet(_latin1_options(32 << 20))
        for source in sources:
            self._set.Add(source.encode())
        self._set.Compile()

    @classmethod
    def of(cls, patterns: Sequence[re.Pattern[str]]) -> _Translated | None:
        """None unless every pattern translates (an untranslated one would be tried always)."""
        sources = [re2_superset(pattern) for pattern in patterns]
        if not sources or None in sources:
            return None
        try:
            return cls([source for source in sources if source is not None])
        except re2.error:  # too big for RE2 together
            return None

    def candidates(self, data: bytes) -> list[int]:
        """Indexes of the patterns that may match the ASCII `data`, in order."""
        return sorted(self._set.Match(data) or ())


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
        self._translated = _Translated.of(self.patterns)

    def possible(self, text: str) -> list[int] | None:
        """Of an ASCII `text`, the indexes of the patterns that may match it, in order (one RE2
        set search); None where only trying them tells (other text, untranslated patterns)."""
        if self._translated is None or not text.isascii():
            return None
        return self._translated.candidates(text.encode())

    def matches(
        self, text: str, at_start: bool = False, possible: Sequence[int] | None = None
    ) -> Iterator[tuple[int, re.Match[str]]]:
        """(index, match) of each pattern that matches in `text` (with `at_start`, that
        matches at its start), in pattern order; only of the `possible` ones if given (in
        order, holding every pattern that can match)."""
        if possible is None:
            possible = self.possible(text)
        if possible is not None:
            order: Sequence[int] = possible
        else:
            tried = set(self._always)
            if self._plain is not None:
                self._plain.enabled(text, tried)
            if self._folded is not None:
                self._folded.enabled(fold(text), tried)
            order = sorted(tried)
        for index in order:
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

    def __init__(self, pattern: re.Pattern[str], quick: bool = False) -> None:
        self.pattern = pattern
        folded = bool(pattern.flags & re.IGNORECASE)
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        items = list(parsed)
        whole = len(items) != 1 or items[0][0] is not sre_constants.BRANCH
        branches = [parsed] if whole else items[0][1][1]
        alternatives = [pattern] if whole else [_compiled(b, pattern.flags) for b in branches]
        needed = [requirement(branch, folded) for branch in branches]
        self._alternatives = FirstMatch(alternatives, needed)
        # `quick`: the pattern rejects nearly every line it is asked about, and on ASCII text
        # one RE2 search of all of it says so sooner (where it mostly matches, it is slower).
        self._quick = Quick.of(pattern) if quick else None

    def search(self, text: str) -> bool:
        if self._ruled_out(text, False):
            return False
        return any(True for _ in self._alternatives.matches(text))

    def match(self, text: str) -> bool:
        if self._ruled_out(text, True):
            return False
        return any(True for _ in self._alternatives.matches(text, at_start=True))

    def _ruled_out(self, text: str, at_start: bool) -> bool:
        quick = self._quick
        return quick is not None and text.isascii() and quick.rules_out(text.encode(), at_start)
