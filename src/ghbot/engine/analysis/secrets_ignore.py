"""Inline suppression comments: `hephaestus: ignore` or `hephaestus: ignore[RULE, ...]`.

Written after any comment marker (`#`, `//`, `<!--`) on the line a finding starts on. A RULE
is a full id (`secrets/github-token`), a bare id within the analyser (`github-token`), or a
prefix (`secrets`). Also used by the workflow checks, whose YAML comments take the same form.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_IGNORE = re.compile(r"hephaestus:[ \t]{0,4}ignore(?:\[(?P<rules>[^\]\n]{0,500})\])?")


def ignored_on_line(line: str, rule_id: str) -> bool:
    """True when `line` carries an ignore comment covering `rule_id` (e.g. `secrets/jwt`)."""
    if "hephaestus" not in line:
        return False
    short = rule_id.partition("/")[2]
    for match in _IGNORE.finditer(line):
        listed = match.group("rules")
        if listed is None:
            return True
        for name in (part.strip() for part in listed.split(",")):
            if name and (name in (rule_id, short) or rule_id.startswith(name.rstrip("/") + "/")):
                return True
    return False


class LineIndex:
    """Maps character offsets in a text to 1-based (line, column) and back to line text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self._text)
        return self._text[start:end]
