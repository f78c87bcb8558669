"""Turning two versions of a text into minimal edits and into a unified diff.

A codemod rewrites a whole LibCST module; the review wants the smallest replacement that gets from
the old text to the new one, so a suggestion block touches only the lines that change. Lines that
differ are found with difflib, then each changed block is trimmed to the characters that differ.
"""

from __future__ import annotations

import difflib
from bisect import bisect_right

from ghbot.engine.models import TextEdit, line_offsets


def _position(offsets: list[int], offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = bisect_right(offsets, offset)
    return line, offset - offsets[line - 1] + 1


def edits_between(before: str, after: str) -> tuple[TextEdit, ...]:
    """The smallest edits (one per changed block) that turn `before` into `after`."""
    if before == after:
        return ()
    old_lines = split_lines(before)
    new_lines = split_lines(after)
    old_starts = _starts(old_lines)
    new_starts = _starts(new_lines)
    offsets = line_offsets(before)
    edits: list[TextEdit] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start, end = old_starts[i1], old_starts[i2]
        old, new = before[start:end], after[new_starts[j1] : new_starts[j2]]
        prefix = _common_prefix(old, new)
        suffix = _common_prefix(old[prefix:][::-1], new[prefix:][::-1])
        content = new[prefix : len(new) - suffix]
        line, column = _position(offsets, start + prefix)
        end_line, end_column = _position(offsets, end - suffix)
        edits.append(TextEdit(line, column, end_line, end_column, content))
    return tuple(edits)


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split on "\\n" only (str.splitlines also splits on form feeds)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _starts(lines: list[str]) -> list[int]:
    """Offset of each line's start, plus the total length as a sentinel."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _common_prefix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    index = 0
    while index < limit and a[index] == b[index]:
        index += 1
    return index


def unified_diff(path: str, before: str, after: str) -> str:
    """A `git apply`-compatible unified diff of one file (empty when nothing changed)."""
    if before == after:
        return ""
    lines = difflib.unified_diff(
        split_lines(before),
        split_lines(after),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out: list[str] = []
    for line in lines:
        out.append(line)
        if not line.endswith("\n"):  # the last line of a file without a final newline
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)
