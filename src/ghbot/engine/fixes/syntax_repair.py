"""Syntax repair: the smallest verified edits that make a Python text compile.

`repair(text)` returns ranked candidates. Each one was verified by compiling its result (never
running it); a repair that could not be verified is never returned. Edits are `TextEdit`s against
the original text, at character granularity within a line.

Each repair carries a confidence from its margin over the runner-up (a tie is 0.5, a lone repair
1.0), capped when it rests on a single-token guess or a last-resort repair. A repair below
CONFIDENT is a suggestion for a person, never a fix commit.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass

from ghbot.engine.analysis.syntax_scan import scan
from ghbot.engine.fixes.syntax.search import DEFAULT_LIMITS, Limits, SearchResult, State, search
from ghbot.engine.models import TextEdit

MAX_REPAIRS = 5
CONFIDENT = 0.55  # at or above: applied as a fix; below: offered as a suggestion only
_MARGIN_SCALE = 0.05  # cost units: a runner-up this much costlier leaves the top 82% sure
_GUESS_CAP = 0.45  # a repair resting on a guess is never confident
_LAST_RESORT_CAP = 0.2  # code commented out: it parses, but nothing was repaired
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


@dataclass(frozen=True, slots=True)
class Repair:
    edits: tuple[TextEdit, ...]  # against the original text
    description: str  # one clause per error repaired, in file order of discovery
    cost: float  # lower is more likely what the author meant
    text: str  # the repaired text; it compiles
    confidence: float = 1.0  # 0..1: how sure the ranking is that this is what was meant

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT


def repair(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Repair]:
    """Ranked, verified repairs; empty when the text compiles or nothing could be verified."""
    return ranked_repairs(text, search(text, limits))


def ranked_repairs(original: str, result: SearchResult) -> list[Repair]:
    """The search's verified repairs, cheapest first, each with its confidence."""
    distinct: dict[tuple[str, ...], State] = {}
    for state in result.complete:
        if state.steps:  # repairs that differ only in blanks are one repair
            distinct.setdefault(_token_key(state.text), state)
    chosen = list(distinct.values())[:MAX_REPAIRS]
    repairs = []
    for index, state in enumerate(chosen):
        others = [other.cost for position, other in enumerate(chosen) if position != index]
        margin = min(others) - state.cost if others else math.inf
        repairs.append(to_repair(original, state, _certainty(margin)))
    return repairs


def _certainty(margin: float) -> float:
    """0.5 for a tie with the runner-up, towards 1 as the runner-up gets costlier."""
    if margin >= 0:
        return 1 - 0.5 * math.exp(-margin / _MARGIN_SCALE)
    return 0.5 * math.exp(margin / _MARGIN_SCALE)


def _token_key(text: str) -> tuple[str, ...]:
    return tuple(
        token.text for token in scan(text).tokens if token.kind not in ("ws", "comment", "cont")
    )


def to_repair(original: str, state: State, share: float = 1.0) -> Repair:
    candidates = [step.candidate for step in state.steps if step.candidate]
    guess = any(candidate.token for candidate in candidates)
    if any(candidate.last_resort for candidate in candidates):
        share = min(share, _LAST_RESORT_CAP)
    return Repair(
        edits=diff_edits(original, state.text),
        description="; ".join(dict.fromkeys(candidate.description for candidate in candidates)),
        cost=round(state.cost, 3),
        text=state.text,
        confidence=round(min(share, _GUESS_CAP) if guess else share, 3),
    )


def diff_edits(before: str, after: str) -> tuple[TextEdit, ...]:
    """Edits turning `before` into `after`: changed lines, trimmed to the changed characters."""
    old, new = _LINE.findall(before), _LINE.findall(after)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old_middle, new_middle = old[head : len(old) - tail], new[head : len(new) - tail]
    matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        first = head + i1 + 1  # 1-based line of the first replaced line
        if i2 - i1 == j2 - j1:
            for offset in range(i2 - i1):
                edits.append(
                    _line_edit(first + offset, old_middle[i1 + offset], new_middle[j1 + offset])
                )
        else:
            edits.append(TextEdit(first, 1, head + i2 + 1, 1, "".join(new_middle[j1:j2])))
    return tuple(edits)


def _line_edit(line: int, old: str, new: str) -> TextEdit:
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return TextEdit(line, prefix + 1, line, len(old) - suffix + 1, new[prefix : len(new) - suffix])
