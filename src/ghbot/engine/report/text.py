"""The human format: findings grouped by file, one line each, then a summary line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import groupby
from operator import attrgetter

from ghbot.engine.files import Skipped
from ghbot.engine.models import Finding, Severity
from ghbot.engine.render import plural

_INDENT = " " * 33  # under the message column
# ANSI SGR codes, used only when the caller says the reader is a colour terminal.
_STYLE = {"path": "1", "error": "31", "warning": "33", "note": "36", "rule": "2"}


def _paint(text: str, style: str, color: bool) -> str:
    return f"\033[{_STYLE[style]}m{text}\033[0m" if color else text


def summary(findings: Sequence[Finding], files_checked: int, skipped: int) -> str:
    counts = Counter(f.severity for f in findings)
    parts = [plural(counts[level], level.value) for level in Severity if counts[level]]
    head = plural(len(findings), "finding") + (f" ({', '.join(parts)})" if parts else "")
    line = f"{head} in {plural(files_checked, 'file')} checked"
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applicability == "safe")
    if safe:
        line += f"; {safe} fixable with `hephaestus fix`"
    if skipped:
        line += f"; {plural(skipped, 'file')} skipped"
    return line + "\n"


def render_text(
    findings: Sequence[Finding], files_checked: int, skipped: int = 0, *, color: bool = False
) -> str:
    # Thousands of lines on a large tree, after the analysis: the severity and rule columns are
    # made once per pair, and `_one_line` remembers the messages it made one line.
    out: list[str] = []
    for path, group in groupby(findings, key=attrgetter("path")):
        out.append(_paint(path, "path", color))
        for finding in group:
            where = f"{finding.line}:{finding.column}"
            head = _columns(finding.severity, finding.rule, color)
            out.append(f"  {where:<9} {head} {_one_line(finding.message)}")
            fix = finding.fix
            if fix is not None:
                kind = "fix" if fix.applicability == "safe" else "suggestion"
                out.append(f"{_INDENT}{kind}: {_one_line(fix.description)}")
        out.append("")
    return "\n".join(out) + summary(findings, files_checked, skipped)


def render_statistics(
    findings: Sequence[Finding], files_checked: int, skipped: int = 0, *, color: bool = False
) -> str:
    """`--statistics`: one line per rule, the most frequent first: count, rule, severity, how
    many have a safe fix, and the first finding's message as the rule's description."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    ordered = sorted(by_rule.items(), key=lambda item: (-len(item[1]), item[0]))
    width = max((len(str(len(group))) for _, group in ordered), default=1)
    out = []
    for rule, group in ordered:
        first = group[0]
        level = _paint(f"{first.severity.value:<7}", first.severity.value, color)
        safe = sum(1 for f in group if f.fix is not None and f.fix.applicability == "safe")
        fixable = f"[{safe} fixable] " if safe else ""
        out.append(f"{len(group):>{width}}  {_paint(f'{rule:<12}', 'rule', color)} {level} "
                   f"{fixable}{_one_line(first.message)}")  # fmt: skip
    return "\n".join([*out, ""]) + summary(findings, files_checked, skipped)


def render_skipped(skipped: Sequence[Skipped]) -> str:
    return "".join(f"skipped {item.path}: {item.reason}\n" for item in skipped)


@lru_cache(maxsize=1024)
def _columns(severity: Severity, rule: str, color: bool) -> str:
    """The severity and rule columns of a finding's line."""
    # No enum `.value`: a StrEnum formats and hashes as its value.
    return f"{_paint(f'{severity:<7}', severity, color)} {_paint(f'{rule:<12}', 'rule', color)}"


@lru_cache(maxsize=4096)  # a large tree repeats a few hundred distinct messages thousands of times
def _one_line(text: str) -> str:
    return " ".join(text.split())
