"""The human format: findings grouped by file, one line each, then a summary line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import groupby

from ghbot.engine.files import Skipped
from ghbot.engine.models import Finding
from ghbot.engine.render import plural

_INDENT = " " * 33  # under the message column


def summary(findings: Sequence[Finding], files_checked: int, skipped: int) -> str:
    counts = Counter(f.severity.value for f in findings)
    parts = [f"{plural(counts[level], level)}" for level in ("error", "warning", "note")
             if counts[level]]  # fmt: skip
    head = plural(len(findings), "finding") + (f" ({', '.join(parts)})" if parts else "")
    line = f"{head} in {plural(files_checked, 'file')} checked"
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applicability == "safe")
    if safe:
        line += f"; {safe} fixable with `hephaestus fix`"
    if skipped:
        line += f"; {plural(skipped, 'file')} skipped"
    return line + "\n"


def render_text(findings: Sequence[Finding], files_checked: int, skipped: int = 0) -> str:
    out: list[str] = []
    for path, group in groupby(findings, key=lambda f: f.path):
        out.append(path)
        for finding in group:
            where = f"{finding.line}:{finding.column}"
            level = finding.severity.value
            out.append(f"  {where:<9} {level:<7} {finding.rule:<12} {_one_line(finding.message)}")
            if finding.fix is not None:
                kind = "fix" if finding.fix.applicability == "safe" else "suggestion"
                out.append(f"{_INDENT}{kind}: {_one_line(finding.fix.description)}")
        out.append("")
    return "\n".join(out) + summary(findings, files_checked, skipped)


def render_skipped(skipped: Sequence[Skipped]) -> str:
    return "".join(f"skipped {item.path}: {item.reason}\n" for item in skipped)


def _one_line(text: str) -> str:
    return " ".join(text.split())
