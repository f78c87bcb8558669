"""Syntax repair: the smallest verified edits that make a Python text compile.

`repair(text)` returns ranked candidates. Each one was verified by compiling its result (never
running it); a repair that could not be verified is never returned. Edits are `TextEdit`s against
the original text, at character granularity within a line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ghbot.engine.fixes.syntax.search import DEFAULT_LIMITS, Limits, State, search
from ghbot.engine.models import TextEdit

MAX_REPAIRS = 5
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


@dataclass(frozen=True, slots=True)
class Repair:
    edits: tuple[TextEdit, ...]  # against the original text
    description: str  # one clause per error repaired, in file order of discovery
    cost: float  # lower is more likely what the author meant
    text: str  # the repaired text; it compiles


def repair(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Repair]:
    """Ranked, verified repairs; empty when the text compiles or nothing could be verified."""
    result = search(text, limits)
    repairs = []
    for state in result.complete[:MAX_REPAIRS]:
        if state.steps:
            repairs.append(to_repair(text, state))
    return repairs


def to_repair(original: str, state: State) -> Repair:
    descriptions = [step.candidate.description for step in state.steps if step.candidate]
    return Repair(
        edits=diff_edits(original, state.text),
        description="; ".join(dict.fromkeys(descriptions)),
        cost=round(state.cost, 3),
        text=state.text,
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
