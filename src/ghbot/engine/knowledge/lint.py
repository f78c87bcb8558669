"""`hephaestus runbook lint`: every runbook readable, complete, unique and with working links.

Errors (the exit code is 1 when there is one): unreadable front matter, a required section
missing, empty or repeated, an id used by two files, a relative link to a file that does not
exist or lies outside the repository. Warnings: an id that differs from the file name, a
runbook with neither signatures nor rules (the bot can then only find it by text similarity),
a signature claimed by two runbooks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ghbot.engine.knowledge.runbooks import (
    SECTIONS,
    Problem,
    Runbook,
    is_runbook_path,
    parse_many,
    read_dir,
)

# `[text](target "title")` and `![alt](target)` are found from their `](`, which keeps the
# scan linear; reference definitions are `[x]: target`.
_INLINE_TARGET = re.compile(r"\]\(\s{0,20}<?([^\s)>]{1,1000})")
_REF_LINK = re.compile(r"[ ]{0,3}\[[^\]\n]{1,500}\]:\s*<?(\S{1,1000}?)>?(?:\s|$)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,20}:")
_CODE_SPAN = re.compile(r"`[^`\n]{0,1000}`")
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")


Exists = Callable[[str], bool]  # is this repo-relative path a file or directory?


@dataclass(frozen=True, slots=True)
class LintReport:
    checked: int
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    def to_dict(self) -> dict[str, object]:
        return {
            "checked": self.checked,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [p.to_dict() for p in self.problems],
        }


def lint_dir(root: Path, runbooks_dir: str) -> LintReport:
    """Lint the runbooks under `root/runbooks_dir`; links are checked against `root`."""
    files, problems = read_dir(root, runbooks_dir)
    if not (root / runbooks_dir).is_dir():
        problems.append(Problem(runbooks_dir, None, "no such directory"))
    report = lint_files(files, exists=lambda rel: (root / rel).exists())
    ordered = sorted((*problems, *report.problems), key=lambda p: (p.path, p.line or 0))
    return LintReport(report.checked, tuple(ordered))


def lint_files(files: dict[str, str], exists: Exists) -> LintReport:
    """Lint `{repo-relative path: text}`; `exists(repo-relative path)` answers for links."""
    files = {path: text for path, text in files.items() if is_runbook_path(path)}
    loaded = parse_many(files)
    problems = list(loaded.problems)
    seen_ids: dict[str, str] = {}
    seen_signatures: dict[str, str] = {}
    for rb in loaded.runbooks:
        problems.extend(_sections(rb))
        problems.extend(_links(rb.path, files[rb.path], exists))
        stem = PurePosixPath(rb.path).stem
        if rb.id != stem:
            problems.append(Problem(
                rb.path, rb.key_lines.get("id"),
                f"id '{rb.id}' differs from the file name '{stem}.md'", "warning",
            ))
        if rb.id in seen_ids:
            problems.append(Problem(
                rb.path, rb.key_lines.get("id"), f"id '{rb.id}' is also used by {seen_ids[rb.id]}"
            ))
        seen_ids.setdefault(rb.id, rb.path)
        if not rb.signatures and not rb.rules:
            problems.append(Problem(
                rb.path, rb.key_lines.get("signatures"),
                "no signatures or rules: it can only be suggested by text similarity", "warning",
            ))
        for sig in rb.signatures:
            if sig in seen_signatures:
                problems.append(Problem(
                    rb.path, rb.key_lines.get("signatures"),
                    f"signature {sig} is also claimed by {seen_signatures[sig]}", "warning",
                ))
            seen_signatures.setdefault(sig, rb.path)
    problems.sort(key=lambda p: (p.path, p.line or 0))
    return LintReport(len(files), tuple(problems))


def _sections(rb: Runbook) -> Iterable[Problem]:
    counts: dict[str, int] = {}
    for section in rb.sections:
        key = section.heading.casefold()
        counts[key] = counts.get(key, 0) + 1
        if counts[key] == 2 and key in {s.casefold() for s in SECTIONS}:
            yield Problem(rb.path, section.line, f"section '{section.heading}' appears twice")
    for name in SECTIONS:
        required = rb.section(name)
        if required is None:
            yield Problem(rb.path, None, f"required section '## {name}' is missing")
        elif required.empty:
            yield Problem(rb.path, required.line, f"section '## {name}' is empty")


def _links(path: str, text: str, exists: Exists) -> Iterable[Problem]:
    """Relative links that do not resolve to a file in the repository."""
    base = PurePosixPath(path).parent
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        opener = _FENCE.match(line)
        if opener is not None:
            mark = opener.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        line = _CODE_SPAN.sub("", line)
        targets = [m.group(1) for m in _INLINE_TARGET.finditer(line)]
        ref = _REF_LINK.match(line)
        if ref is not None:
            targets.append(ref.group(1))
        for target in targets:
            problem = _check_target(base, target, exists)
            if problem:
                yield Problem(path, number, problem)


def _check_target(base: PurePosixPath, target: str, exists: Exists) -> str | None:
    if target.startswith(("#", "//")) or _SCHEME.match(target):
        return None  # anchors and URLs (http:, mailto:) are not files
    clean = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not clean:
        return None
    # GitHub resolves a leading `/` against the repository root.
    joined = PurePosixPath(clean.lstrip("/")) if clean.startswith("/") else base / clean
    parts: list[str] = []
    for part in joined.parts:
        if part == "..":
            if not parts:
                return f"link '{target}' points outside the repository"
            parts.pop()
        elif part != ".":
            parts.append(part)
    resolved = "/".join(parts)
    if not resolved or not exists(resolved):
        return f"link '{target}' does not resolve to a file in the repository ({resolved or '.'})"
    return None
