"""The RE2 gate in front of the extractors must never hide a pattern that `re` matches."""

from __future__ import annotations

import re
from pathlib import Path

from ghbot.engine.triage.extractors import EXTRACTORS
from ghbot.engine.triage.gate import Gate
from ghbot.engine.triage.normalise import normalise

REAL = Path(__file__).parent / "fixtures" / "real"
PATTERNS = [extractor.pattern for extractor in EXTRACTORS]
GATE = Gate(PATTERNS)


def _matching(text: str) -> list[int]:
    return [position for position, pattern in enumerate(PATTERNS) if pattern.search(text)]


def test_every_line_of_real_tool_output_keeps_its_matching_extractors() -> None:
    checked = 0
    for path in sorted(REAL.glob("*.log")):
        for number, raw in enumerate(path.read_text(errors="replace").split("\n"), 1):
            text = normalise(number, raw).text
            wanted = _matching(text)
            assert set(wanted) <= set(GATE.candidates(text)), (path.name, number, text)
            checked += bool(wanted)
    assert checked > 300  # the fixtures do exercise the extractors


def test_the_gate_narrows_an_ascii_line_to_the_patterns_that_match() -> None:
    text = "src/main.c:4:20: error: 'count' undeclared (first use in this function)"
    candidates = GATE.candidates(text)
    assert len(candidates) < 5
    assert set(_matching(text)) <= set(candidates)
    assert list(GATE.candidates("   Compiling crate-12 v0.3.1")) == []


def test_lines_where_the_engines_differ_try_every_pattern() -> None:
    # `\s` is whitespace to `re` for \v and \x1c, not to RE2; `\w` and `\d` are Unicode to `re`.
    for text in ("main.c:4:1:\x0berror: x", "error\x1cthing", "ファイル.c:3:1: error: x"):
        assert list(GATE.candidates(text)) == list(range(len(PATTERNS)))


def test_lookarounds_are_dropped_for_the_set_and_decided_by_re() -> None:
    gate = Gate([re.compile(r"^(?!Console$)● (?P<t>.+)$"), re.compile(r"^ok(?=!)")])
    assert list(gate.candidates("ok then")) == [1]  # the set's superset; `re` then says no
    assert not re.compile(r"^ok(?=!)").search("ok then")
    assert list(gate.candidates("nothing")) == []


def test_a_pattern_re2_cannot_compile_is_always_tried() -> None:
    gate = Gate([re.compile(r"(a)\1"), re.compile(r"^b")])  # a backreference
    assert list(gate.candidates("zzz")) == [0]
    assert list(gate.candidates("b")) == [0, 1]
