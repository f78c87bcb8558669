"""FirstMatch must answer exactly what trying each pattern in turn answers, with fewer tries."""

from __future__ import annotations

import random
import re

import pytest
from real_runs import REAL

from ghbot.engine.triage.candidates import _facts
from ghbot.engine.triage.extractors import EXTRACTORS, NOT_AN_ERROR, PASSED_LINE
from ghbot.engine.triage.firstmatch import (
    FirstMatch,
    Gate,
    Quick,
    fold,
    pattern_requirement,
    re2_superset,
)
from ghbot.engine.triage.normalise import normalise
from ghbot.engine.triage.steps import STEP_FAILED

PATTERNS = [extractor.pattern for extractor in EXTRACTORS]
EXTRACTOR_MATCH = FirstMatch(PATTERNS)
_REAL_SAMPLE = [
    raw
    for path in sorted(REAL.glob("*.log"))
    for raw in path.read_text(errors="replace").split("\n")
]


def _loop(patterns: list[re.Pattern[str]], text: str) -> list[int]:
    return [i for i, pattern in enumerate(patterns) if pattern.search(text)]


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        (r"^FAILED (\S+)", {"FAILED "}),
        (r"^(?:error|warning)\[E\d+\]", {"error", "warning"}),
        (r"(?:foo)?bar", {"bar"}),
        (r"(?:abc|)d", {"d"}),
        (r"(?:ab){2,}", {"ab"}),
        (r"[ab]c", {"a", "b"}),  # one of a set of single characters is required too
        (r"[a-z]c", {"c"}),
        (r"[^a]c", {"c"}),
        (r"(?:\u2713|\u2714)\s", {"\u2713", "\u2714"}),
        (r"x(?i:error)", {"x"}),
        (r"a*", None),
        (r"(?:abc)?", None),
        (r"(?i)Error", {"error"}),
        (r"(?i)[ab]c", {"c"}),  # character sets are not folded: left out
        (r"^_{3,} [^_]", {"___"}),
        (r"(?=error)\w+", None),
        (r"(?P<q>['\"]).{1,9}(?P=q)", {"'", '"'}),
        (r"(\w)\1", None),
    ],
)
def test_requirement_is_what_every_match_must_hold(pattern: str, required: set[str] | None) -> None:
    assert pattern_requirement(re.compile(pattern)) == (
        None if required is None else frozenset(required)
    )


def test_extractor_order_is_kept_on_every_real_tool_line() -> None:
    texts = [normalise(1, raw).text for raw in _REAL_SAMPLE]
    matched = 0
    for text in texts:
        expected = _loop(PATTERNS, text)
        assert [index for index, _ in EXTRACTOR_MATCH.matches(text)] == expected, text
        matched += bool(expected)
    assert matched > 300  # the fixtures do exercise the extractors


def test_lines_built_from_the_literals_and_odd_text_agree_with_the_loop() -> None:
    """Lines made of the very words the gate looks for, cut and mixed with odd characters."""
    rng = random.Random(14)
    words = sorted({w for p in PATTERNS for w in pattern_requirement(p) or ()})
    odd = ["", " ", ":", "\u00e9", "\u2713", "\t", "0x1f", "12", "/src/", "\ufffd", "\udc80",
           "\u0131", "\u0130", "\u017f", "\u212a", "FA\u0130L", "ERR\u212a"]
    for _ in range(3000):
        parts = [rng.choice(words) if rng.random() < 0.6 else rng.choice(odd) for _ in range(4)]
        text = "".join(part[: rng.randint(0, len(part))] if rng.random() < 0.2 else part
                       for part in parts)  # fmt: skip
        assert [index for index, _ in EXTRACTOR_MATCH.matches(text)] == _loop(PATTERNS, text)


def test_matches_are_lazy_and_carry_the_match() -> None:
    first = next(EXTRACTOR_MATCH.matches("src/app.py:12:5: error: bad thing"))
    index, found = first
    assert PATTERNS[index].search("src/app.py:12:5: error: bad thing").span() == found.span()


GATED = [STEP_FAILED, PASSED_LINE, NOT_AN_ERROR]  # the patterns the collector gates
ODD_LINES = [
    'The command "make" exited with 2.', "Process completed with exit code 1.",
    "tests/a.py::t PASSED   [ 1%]", "  \u2713 renders", "FAIL x", "0 errors, 0 failures",
    "gcc -Werror -c errors.c", "____ ERROR at setup of test_x ____", "ERROR: x",
    "\u0130nfo FA\u0131LED", "Fatal \u017fomething", "no problem here", "",
    "0\x0berrors", "x\x1cPASSED", "a ... ok\n", "tests/a.py::t\x1fPASSED\x0b",
]  # fmt: skip


@pytest.mark.parametrize("quick", [False, True], ids=["sets", "quick"])
@pytest.mark.parametrize("pattern", GATED, ids=lambda p: p.pattern[:30])
def test_gate_answers_as_its_pattern(pattern: re.Pattern[str], quick: bool) -> None:
    """Each alternative alone, and only where its literal occurs, answers as the whole; so
    does RE2's translation first (`quick`), on ASCII lines."""
    gate = Gate(pattern, quick=quick)
    for text in ODD_LINES + [normalise(1, raw).text for raw in _REAL_SAMPLE]:
        assert gate.search(text) == bool(pattern.search(text)), text
        assert gate.match(text) == bool(pattern.match(text)), text


_REAL_ASCII = sorted({t for raw in _REAL_SAMPLE if (t := normalise(1, raw).text).isascii()})


UNTRANSLATED = (
    "a pattern RE2 cannot translate is tried with `re` on every ASCII line (and the whole table "
    "falls back to literal sets): drop, under (?i), non-ASCII characters, and scoped flags "
    "other than (?i:...)"
)


def _ascii_lines(patterns: list[re.Pattern[str]], count: int) -> list[str]:
    """ASCII lines made of the patterns' literal words and the characters where `re` and RE2
    differ unless translated with care (\\v and \\x1c-\\x1f are `re`'s whitespace only)."""
    rng = random.Random(21)
    words = sorted({w for p in patterns for w in pattern_requirement(p) or () if w.isascii()})
    words = words or ["x"]
    odd = [" ", "\t", "\x0b", "\x1c", "\x1f", ":", "(", "[", "0", "12", "_", "-", "\n", "\"", "."]
    return [
        "".join(rng.choice(words) if rng.random() < 0.5 else rng.choice(odd) for _ in range(6))
        for _ in range(count)
    ]


@pytest.mark.parametrize("pattern", PATTERNS + GATED, ids=lambda p: p.pattern[:30])
def test_re2_translation_matches_wherever_the_pattern_does(pattern: re.Pattern[str]) -> None:
    """RE2 may rule a line out only where `re` finds no match: on real ASCII tool lines and on
    lines built from the pattern's own words and the characters the engines treat apart."""
    quick = Quick.of(pattern)
    assert quick is not None, UNTRANSLATED
    for text in _REAL_ASCII + _ascii_lines([pattern], 400):
        data = text.encode()
        if pattern.search(text):
            assert not quick.rules_out(data, at_start=False), text
        if pattern.match(text):
            assert not quick.rules_out(data, at_start=True), text


def test_translated_first_match_agrees_with_the_loop_on_ascii_lines() -> None:
    """On ASCII text FirstMatch asks one RE2 set which patterns may match: the same answer."""
    assert EXTRACTOR_MATCH._translated is not None, UNTRANSLATED
    for text in _REAL_ASCII + _ascii_lines(PATTERNS, 3000):
        assert [index for index, _ in EXTRACTOR_MATCH.matches(text)] == _loop(PATTERNS, text)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"a\sb", "a\x1cb"),  # `re`'s \s holds \x1c, RE2's does not: spelled out
        (r"x[^\s]y", "x-y"),
        (r"(?<!un)safe(?!ty)", "safe!"),  # lookarounds only narrow: dropped
        (r"end$", "the end\n"),  # `$` before a final newline
        (r"^(?i:fail)ED", "failED"),
        (r"[^\s:]+:\d", "a.py:3"),
        (r"a{0,2000}b", "b"),  # longer than RE2 counts: unbounded
        (r"[^\u25cf]x", "ax"),  # beyond Latin-1: no ASCII text holds it
        (r"(?:\u25cf|-) x", "- x"),
        (r"[\u2713a]b", "ab"),
        (r"[\u2713-\u2714]|c", "c"),
    ],
)
def test_re2_translation_keeps_re_semantics(pattern: str, text: str) -> None:
    compiled = re.compile(pattern)
    quick = Quick.of(compiled)
    assert quick is not None and compiled.search(text)
    assert not quick.rules_out(text.encode(), at_start=False)


@pytest.mark.parametrize("pattern", [r"(?i)\u212a", r"(?i)[\u0100-\u017f]", r"(?x)a"])
def test_what_re2_cannot_say_is_not_translated(pattern: str) -> None:
    """Ignoring case, non-ASCII characters `re` folds to ASCII ones (the Kelvin sign to `k`,
    `ſ` to `s`), which RE2 may not. (VERBOSE is only syntax: it translates.)"""
    assert (re2_superset(re.compile(pattern)) is None) == (pattern != r"(?x)a")


@pytest.mark.parametrize(
    ("text", "matches"), [("FAIL: t (m.C.t)", True), ("FAIL: t (m.C)", True), ("FAIL: t", False)]
)
def test_a_back_reference_translates_to_any_text(text: str, matches: bool) -> None:
    """RE2 has no back references; any text in their place keeps the translation a superset
    (unittest's 3.11 title repeats the test's name: `(?P=test)`)."""
    pattern = re.compile(r"^FAIL: (?P<test>\w+) \((?P<cls>[\w.]+?)(?:\.(?P=test))?\)")
    quick = Quick.of(pattern)
    assert quick is not None and bool(pattern.search(text)) is matches
    assert quick.rules_out(text.encode(), at_start=True) is (not matches)


def test_fold_puts_every_character_case_insensitive_re_matches_with_its_letter() -> None:
    """A case-insensitive pattern's gate is sound only if whatever `re` matches for a letter
    folds to that letter (`K` as Kelvin sign, `ſ`, `ı`, `İ` included)."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for found in set(re.findall(f"(?i){letter}", everything)):
            assert fold(found) == letter, (hex(ord(found)), letter)


@pytest.mark.parametrize("pattern", [e.pattern for e in EXTRACTORS if e.pattern.flags & re.I])
def test_case_insensitive_extractors_have_a_folded_literal(pattern: re.Pattern[str]) -> None:
    required = pattern_requirement(pattern)
    assert required, "a case-insensitive extractor without a literal is never skipped"
    assert all(word == fold(word) for word in required)


def test_fold_of_ascii_is_its_lowercase() -> None:
    ascii_text = "".join(chr(c) for c in range(128))
    assert fold(ascii_text) == ascii_text.lower() == fold(ascii_text + "\u00e9")[:-1]


def test_one_set_search_answers_what_the_collector_asks_of_a_line() -> None:
    """The collector asks of each trigger line whether it ends its step, reports a pass and
    which extractors match: one RE2 set search on ASCII lines, each answer as its pattern's."""
    texts = ODD_LINES + _REAL_ASCII + _ascii_lines([*PATTERNS, *GATED], 2000)
    for text in texts + [normalise(1, raw).text for raw in _REAL_SAMPLE]:
        facts = _facts.__wrapped__(text)
        assert facts.exit == bool(STEP_FAILED.match(text)), text
        assert facts.passed == bool(PASSED_LINE.search(text)), text
        assert [index for index, _ in facts.shapes] == _loop(PATTERNS, text), text
