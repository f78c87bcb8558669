"""Offset-based edits used while searching for a repair, and mapping positions back through them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace text[start:end] with `content`; offsets are characters in the text it applies to."""

    start: int
    end: int
    content: str


@dataclass(frozen=True, slots=True)
class Candidate:
    edits: tuple[Edit, ...]
    description: str
    cost: float
    bracket: bool = False  # fixes a bracket, so progress may be judged by bracket balance
    token: bool = False  # a single-token guess: kept only if it repairs the error's whole line
    last_resort: bool = False  # commenting code out: parses, keeps the text, fixes nothing


def apply(text: str, edits: tuple[Edit, ...]) -> str:
    pieces: list[str] = []
    cursor = 0
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end)):
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.content)
        cursor = max(cursor, edit.end)
    pieces.append(text[cursor:])
    return "".join(pieces)


def map_back(offset: int, edits: tuple[Edit, ...]) -> int:
    """The offset in the text before `edits` of `offset` in the text after them."""
    shift = 0
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end)):
        new_start = edit.start + shift
        if offset < new_start:
            break
        if offset < new_start + len(edit.content):
            return edit.start
        shift += len(edit.content) - (edit.end - edit.start)
    return offset - shift
