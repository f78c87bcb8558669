"""Unified-diff index: which lines of which files a change touched, and reviewdog's filter modes.

The index maps each new-side path to the line numbers it added and the line numbers its hunks
cover (added plus context). `git diff -U0` gives hunks without context, so there `diff_context`
equals `added`; a pull request's diff (three context lines) makes the difference.

Filter modes decide whether a finding on lines [line, end_line] is reported:
  added         some line of the range was added or changed
  diff_context  some line of the range lies inside a hunk
  file          the file is part of the diff
  nofilter      always
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class FilterMode(StrEnum):
    ADDED = "added"
    DIFF_CONTEXT = "diff_context"
    FILE = "file"
    NOFILTER = "nofilter"


class DiffParseError(ValueError):
    """The text is not a unified diff this parser understands."""


@dataclass(slots=True)
class DiffFile:
    path: str  # new-side path; for a deleted file, the old path
    old_path: str | None  # None for an added file
    added: set[int] = field(default_factory=set)
    context: set[int] = field(default_factory=set)  # every new-side line inside a hunk
    deleted_file: bool = False
    binary: bool = False

    @property
    def new_file(self) -> bool:
        return self.old_path is None


@dataclass(slots=True)
class DiffIndex:
    files: dict[str, DiffFile] = field(default_factory=dict)

    def changed_paths(self) -> list[str]:
        """Paths that exist after the change (deleted files excluded), sorted."""
        return sorted(p for p, f in self.files.items() if not f.deleted_file)

    def should_report(
        self, path: str, line: int, end_line: int | None = None, mode: FilterMode = FilterMode.ADDED
    ) -> bool:
        if mode is FilterMode.NOFILTER:
            return True
        entry = self.files.get(path)
        if entry is None or entry.deleted_file:
            return False
        if mode is FilterMode.FILE:
            return True
        lines = entry.added if mode is FilterMode.ADDED else entry.context
        last = max(line, end_line or line)
        # A finding's range can be long (a whole function); test the smaller of the two sets.
        if last - line + 1 <= len(lines):
            return any(n in lines for n in range(line, last + 1))
        return any(line <= n <= last for n in lines)

    def in_diff_context(self, path: str, line: int, end_line: int | None = None) -> bool:
        """True when every line of the range is inside a hunk (a review comment can sit there)."""
        entry = self.files.get(path)
        if entry is None:
            return False
        return all(n in entry.context for n in range(line, max(line, end_line or line) + 1))

    def mark_whole_file_added(self, path: str, line_count: int) -> None:
        """Record a file that git diff does not show (an untracked file) as entirely added."""
        lines = set(range(1, line_count + 1))
        self.files[path] = DiffFile(path=path, old_path=None, added=lines, context=set(lines))


_HUNK = re.compile(r"@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_HUNK_BODY = {"+", "-", " ", "", "\\"}
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def _unquote(raw: str) -> str:
    """Decode a path as git prints it: C-quoted with octal UTF-8 bytes when unusual."""
    if not (len(raw) >= 2 and raw.startswith('"') and raw.endswith('"')):
        return raw
    body, out, i = raw[1:-1], bytearray(), 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out += char.encode()
            i += 1
        elif body[i + 1 : i + 4].isdigit() and len(body[i + 1 : i + 4]) == 3:
            out.append(int(body[i + 1 : i + 4], 8) & 0xFF)
            i += 4
        else:
            out.append(_ESCAPES.get(body[i + 1 : i + 2], ord("\\")))
            i += 2
    return out.decode("utf-8", errors="replace")


def _strip_prefix(path: str) -> str | None:
    path = _unquote(path.split("\t", 1)[0].rstrip())
    if path == "/dev/null":
        return None
    return path[2:] if path[:2] in {"a/", "b/"} else path


def parse_unified_diff(text: str) -> DiffIndex:
    """Index a unified diff (git's or plain `diff -u`). Unknown lines between files are skipped."""
    index = DiffIndex()
    current: DiffFile | None = None
    old_path: str | None = None
    new_line = old_left = new_left = 0
    for raw in text.splitlines():
        if (old_left > 0 or new_left > 0) and current is not None and raw[:1] in _HUNK_BODY:
            if raw.startswith("-"):
                old_left -= 1  # a removed line occupies no new-side line
            elif raw.startswith("\\"):
                pass  # "\ No newline at end of file"
            else:
                if raw.startswith("+"):
                    current.added.add(new_line)
                else:
                    old_left -= 1
                current.context.add(new_line)
                new_line += 1
                new_left -= 1
            continue
        if raw.startswith("diff --git "):
            current, old_path, old_left, new_left = None, None, 0, 0
        elif raw.startswith(("rename from ", "copy from ")):
            old_path = _unquote(raw.split(" from ", 1)[1])
        elif raw.startswith(("rename to ", "copy to ")) and old_path is not None:
            path = _unquote(raw.split(" to ", 1)[1])  # a pure rename has no ---/+++ lines
            current = index.files.setdefault(path, DiffFile(path=path, old_path=old_path))
        elif raw.startswith("--- "):
            old_path = _strip_prefix(raw[4:])
        elif raw.startswith("+++ "):
            new_path = _strip_prefix(raw[4:])
            named = new_path or old_path
            if named is None:
                raise DiffParseError("a file header names /dev/null on both sides")
            current = index.files.setdefault(
                named, DiffFile(path=named, old_path=old_path, deleted_file=new_path is None)
            )
        elif raw.startswith("Binary files ") and raw.endswith(" differ"):
            _record_binary(index, raw)
        elif raw.startswith("@@"):
            match = _HUNK.match(raw)
            if match is None or current is None:
                raise DiffParseError(f"malformed hunk header: {raw[:80]!r}")
            old_left = int(match.group(1)) if match.group(1) is not None else 1
            new_line = int(match.group(2))
            new_left = int(match.group(3)) if match.group(3) is not None else 1
            if new_left == 0:  # pure deletion: the hunk sits after line `start`
                current.context.add(max(new_line, 1))
    return index


def _record_binary(index: DiffIndex, raw: str) -> None:
    # "Binary files a/x and b/x differ"; paths may contain " and ", so split on the b/ side.
    body = raw[len("Binary files ") : -len(" differ")]
    old, sep, new = body.partition(" and b/")
    path = ("b/" + new) if sep else body.rpartition(" and ")[2]
    new_path = _strip_prefix(path)
    if new_path is None:
        old_path = _strip_prefix(old)
        if old_path is not None:
            index.files[old_path] = DiffFile(old_path, old_path, deleted_file=True, binary=True)
        return
    old_path = _strip_prefix(old)
    index.files[new_path] = DiffFile(new_path, old_path, binary=True)

