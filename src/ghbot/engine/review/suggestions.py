"""A safe fix as a GitHub suggestion block: the new text of the whole lines the fix touches.

GitHub replaces exactly the commented lines (`start_line`..`line`) with the block's content, so
the block holds those lines after the edits, without their final newline.
"""

from __future__ import annotations

from dataclasses import dataclass

from ghbot.engine.models import EditConflict, Finding, TextEdit, apply_edits, line_offsets

MAX_LINES = 40  # a longer suggestion is unreadable in a review thread
MAX_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Suggestion:
    start_line: int
    end_line: int
    replacement: str  # the new text of lines start..end, no trailing newline

    def markdown(self) -> str:
        fence = "```"
        while fence in self.replacement:  # a longer fence cannot be closed from inside
            fence += "`"
        inner = f"{self.replacement}\n" if self.replacement else ""
        return f"{fence}suggestion\n{inner}{fence}"


def _last_line(edit: TextEdit) -> int:
    # An edit that ends at column 1 of a later line stops before that line.
    if edit.end_line > edit.line and edit.end_column == 1:
        return edit.end_line - 1
    return edit.end_line


def suggestion_for(finding: Finding, text: str) -> Suggestion | None:
    """The suggestion for `finding`'s safe fix in `text`, or None when it has none that fits.
    A syntax repair that is only a guess is offered too: a suggestion is applied by a person."""
    fix = finding.fix
    if fix is None or not fix.edits or (fix.applicability != "safe" and finding.source != "syntax"):
        return None
    offsets = line_offsets(text)
    count = len(offsets) - 1 if text.endswith("\n") else len(offsets)
    start = min(e.line for e in fix.edits)
    end = min(max(_last_line(e) for e in fix.edits), count)
    if not 1 <= start <= end or end - start + 1 > MAX_LINES:
        return None
    stop = offsets[end] if end < len(offsets) else len(text)
    segment = text[offsets[start - 1] : stop]
    shifted = [
        TextEdit(e.line - start + 1, e.column, e.end_line - start + 1, e.end_column, e.content)
        for e in fix.edits
    ]
    try:
        after = apply_edits(segment, shifted)
    except EditConflict:
        return None
    if after == segment or len(after) > MAX_CHARS:
        return None
    if segment.endswith("\n") and after:
        if not after.endswith("\n"):
            return None  # the fix joins with the next line: not expressible as a block
        after = after[:-1]
    return Suggestion(start, end, after)
