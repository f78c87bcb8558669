"""ruff's JSON report as Findings: typed decoding (msgspec) of the fields a Finding takes.

Apart from `lint`, which starts ruff, so that msgspec's import is paid while ruff runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import msgspec

from ghbot.engine.analysis.lint import SYNTAX_RULE, RuffError, ruff_severity
from ghbot.engine.models import Finding, Fix, Severity, TextEdit

_SNIPPET_MAX = 400


class _Location(msgspec.Struct):
    row: int = 1
    column: int = 1

    @property
    def position(self) -> tuple[int, int]:
        row, column = self.row, self.column
        return (row if row > 0 else 1), (column if column > 0 else 1)


_NOWHERE = _Location()


class _Edit(msgspec.Struct):
    content: str | None = None
    location: _Location | None = None
    end_location: _Location | None = None


class _Fix(msgspec.Struct):
    edits: list[_Edit] = []
    message: str | None = None
    applicability: str | None = None


class _Diagnostic(msgspec.Struct):
    """The fields of ruff's JSON diagnostic that a Finding takes; the rest are skipped unread."""

    filename: str = ""
    code: str | None = None  # ruff < 0.12 gave syntax errors no code
    message: str | None = None
    location: _Location | None = None
    end_location: _Location | None = None
    fix: _Fix | None = None


# Typed decoding: a third of the time of parsing the whole report into dicts and reading them.
_REPORT = msgspec.json.Decoder(list[_Diagnostic])


class _Sources:
    """What findings point into, computed once per file rather than once per finding: a big
    report has thousands of findings in a few hundred files."""

    def __init__(self, root: Path, texts: Mapping[str, str], snippets: bool = True) -> None:
        self.root, self.texts, self.snippets = root, texts, snippets
        self._prefix = str(root).rstrip("/") + "/"
        self._paths: dict[str, str] = {}
        self._lines: dict[str, list[str]] = {}

    def path(self, filename: str) -> str:
        if filename not in self._paths:
            # Most often a plain name under the root that we gave ruff: string work, not
            # pathlib's (a third of the report's parsing on Django's 1,200 files with findings).
            plain = filename.removeprefix(self._prefix)
            if plain in self.texts and not os.path.islink(filename):
                self._paths[filename] = plain
                return plain
            name = Path(filename)
            try:
                relative = name.relative_to(self.root)  # ruff names files under the root
                if ".." in relative.parts or name.is_symlink():
                    relative = name.resolve().relative_to(self.root)
                self._paths[filename] = relative.as_posix()
            except ValueError:
                self._paths[filename] = name.as_posix()
        return self._paths[filename]

    def snippet(self, path: str, line: int, end_line: int) -> str:
        if not self.snippets:
            return ""
        if path not in self._lines:
            self._lines[path] = (self.texts.get(path) or "").splitlines()
        return "\n".join(self._lines[path][line - 1 : max(line, end_line)])[:_SNIPPET_MAX]


def parse_report(
    out: bytes, root: Path, texts: Mapping[str, str], *, snippets: bool = True
) -> list[Finding]:
    """ruff's JSON report as Findings, paths relative to `root`; RuffError if it is not JSON.
    `snippets=False`: the findings carry no source text, so their fingerprints are not the
    stable ones: for a report that prints none (splitting the files into lines was 40% of
    the parse of Django's 8,000 findings)."""
    try:
        diagnostics = _REPORT.decode(out or b"[]")
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        raise RuffError(f"ruff printed something that is not its JSON report: {error}") from None
    sources = _Sources(root, texts, snippets)
    return [to_finding(diagnostic, sources) for diagnostic in diagnostics]


def to_finding(diagnostic: _Diagnostic, sources: _Sources) -> Finding:
    """One ruff JSON diagnostic as a Finding, its path relative to the sources' root."""
    # Positional arguments and no temporaries: this runs for every finding, after ruff ends.
    path = sources.path(diagnostic.filename)
    code = diagnostic.code or SYNTAX_RULE
    start = diagnostic.location or _NOWHERE
    line, column = start.position
    end_line, end_column = (diagnostic.end_location or start).position
    fix = None
    raw_fix = diagnostic.fix
    if raw_fix and raw_fix.edits:
        edits = []
        for edit in raw_fix.edits:
            edit_line, edit_column = (edit.location or _NOWHERE).position
            edit_end_line, edit_end_column = (edit.end_location or _NOWHERE).position
            edits.append(TextEdit(edit_line, edit_column, edit_end_line, edit_end_column,
                                  edit.content or ""))  # fmt: skip
        fix = Fix(
            raw_fix.message or f"ruff's fix for {code}",
            tuple(edits),
            "safe" if raw_fix.applicability == "safe" else "unsafe",
        )
    message = (diagnostic.message or code).removeprefix("SyntaxError: ")
    if end_line > line:
        snippet = sources.snippet(path, line, end_line)
    else:
        end_line, end_column = line, max(end_column, column)
        snippet = sources.snippet(path, line, line)
    severity = Severity.ERROR if code == SYNTAX_RULE else ruff_severity(code)
    return Finding(code, severity, message, path, line, column, end_line, end_column, "ruff",
                   fix, snippet)  # fmt: skip
