"""FirstMatch must answer exactly what trying each pattern in turn answers, with fewer tries."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from ghbot.engine.triage.extractors import EXTRACTORS
from ghbot.engine.triage.firstmatch import FirstMatch, pattern_requirement
from ghbot.engine.triage.normalise import normalise

REAL = Path(__file__).parent / "fixtures" / "real"
PATTERNS = [extractor.pattern for extractor in EXTRACTORS]
EXTRACTOR_MATCH = FirstMatch(PATTERNS)


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
        (r"[ab]c", {"c"}),
        (r"x(?i:error)", {"x"}),
        (r"a*", None),
        (r"(?:abc)?", None),
        (r"(?i)error", None),
        (r"(?=error)\w+", None),
        (r"(?P<q>['\"]).{1,9}(?P=q)", None),
    ],
)
def test_requirement_is_what_every_match_must_hold(pattern: str, required: set[str] | None) -> None:
    assert pattern_requirement(re.compile(pattern)) == (
        None if required is None else frozenset(required)
    )


def test_extractor_order_is_kept_on_every_real_tool_line() -> None:
    texts = [
        normalise(1, raw).text
        for path in sorted(REAL.glob("*.log"))
        for raw in path.read_text(errors="replace").split("\n")
    ]
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
    odd = ["", " ", ":", "\u00e9", "\u2713", "\t", "0x1f", "12", "/src/", "\ufffd", "\udc80"]
    for _ in range(3000):
        parts = [rng.choice(words) if rng.random() < 0.6 else rng.choice(odd) for _ in range(4)]
        text = "".join(part[: rng.randint(0, len(part))] if rng.random() < 0.2 else part
                       for part in parts)  # fmt: skip
        assert [index for index, _ in EXTRACTOR_MATCH.matches(text)] == _loop(PATTERNS, text)


def test_matches_are_lazy_and_carry_the_match() -> None:
    first = next(EXTRACTOR_MATCH.matches("src/app.py:12:5: error: bad thing"))
    index, found = first
    assert PATTERNS[index].search("src/app.py:12:5: error: bad thing").span() == found.span()
