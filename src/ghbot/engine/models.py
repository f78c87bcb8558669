"""Boundary types of the analysis and fix engine.

Coordinates are those of SARIF and ruff: lines and columns are 1-based, columns count characters
(code points), and `end_column` is exclusive. A finding on a whole line ends at column
`len(line) + 1`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Severity(StrEnum):
    """How bad a finding is; the values are SARIF's `level` names."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace the text from (line, column) up to, not including, (end_line, end_column)."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str

    def to_dict(self) -> dict[str, object]:
        # Spelled out: dataclasses.asdict deep-copies, a tenth of `check`'s output time.
        return {"line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column, "content": self.content}  # fmt: skip


# safe: applied by `hephaestus fix` and offered as a suggestion block.
# unsafe: may change behaviour the author relies on; shown as a suggestion, never auto-applied.
Applicability = Literal["safe", "unsafe"]


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    edits: tuple[TextEdit, ...]
    applicability: Applicability = "safe"

    def to_dict(self) -> dict[str, object]:
        return {
            "description": self.description,
            "applicability": self.applicability,
            "edits": [edit.to_dict() for edit in self.edits],
        }


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    path: str  # POSIX path relative to the checked root
    line: int
    column: int
    end_line: int
    end_column: int
    source: str  # the analyser that produced it: syntax, ruff, secrets, workflows, codemod
    fix: Fix | None = None
    snippet: str = field(default="", compare=False)  # the offending source text, for fingerprints

    @property
    def fingerprint(self) -> str:
        """Stable across line moves: rule, path and the normalised offending text, not positions."""
        text = " ".join(self.snippet.split()) or self.message
        digest = hashlib.sha256(f"{self.rule}\0{self.path}\0{text}".encode()).hexdigest()
        return digest[:16]

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "source": self.source,
            "fingerprint": self.fingerprint,
            "fix": self.fix.to_dict() if self.fix else None,
        }


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file handed to the analysers: its path relative to the checked root, and its text."""

    path: str
    text: str


class EditConflict(ValueError):
    """Two edits overlap, so applying both would garble the text."""


def line_offsets(text: str) -> list[int]:
    """Character offset of the start of each line (index 0 is line 1)."""
    offsets = [0]
    for index, char in enumerate(text):
        if char == "\n":
            offsets.append(index + 1)
    return offsets


def apply_edits(text: str, edits: tuple[TextEdit, ...] | list[TextEdit]) -> str:
    """Apply non-overlapping edits; raise EditConflict when two overlap or one is out of range."""
    offsets = line_offsets(text)

    def to_offset(line: int, column: int) -> int:
        if line == len(offsets) + 1 and column == 1:  # the position just past the last line
            return len(text)
        if not 1 <= line <= len(offsets):
            raise EditConflict(f"line {line} is outside the text ({len(offsets)} lines)")
        return min(offsets[line - 1] + column - 1, len(text))

    spans = sorted(
        (to_offset(e.line, e.column), to_offset(e.end_line, e.end_column), e.content)
        for e in edits
    )
    pieces: list[str] = []
    cursor = 0
    for start, end, content in spans:
        if start < cursor or end < start:
            raise EditConflict(f"edit at offset {start} overlaps the previous one")
        pieces.append(text[cursor:start])
        pieces.append(content)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
