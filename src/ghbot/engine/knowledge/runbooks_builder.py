"""A runbook drafted from a resolved case: symptoms from the bot's failure report, diagnosis from
the discussion, the fix from the merged diff, links back to the issue and pull request.

Pure: the handler gathers the thread; this module decides what goes where and keeps every part
bounded (a thread of 1,000 comments or a 50,000-line diff still makes a reviewable file).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ghbot.engine.knowledge.runbooks import Runbook, new_runbook, slugify
from ghbot.engine.redact import redact
from ghbot.engine.render import fence, inert, truncate_lines, truncate_middle

MAX_SYMPTOMS = 3
EXCERPT_LINES = 20
MAX_COMMENTS = 8
COMMENT_CHARS = 600
MAX_FILES = 20
DIFF_LINES = 60
DIFF_CHARS = 4000
COMMAND = re.compile(r"^\s*/hephaestus\b", re.IGNORECASE)
_QUOTE = re.compile(r"^\s*>")


@dataclass(frozen=True, slots=True)
class Symptom:
    """One failure as the bot reported it."""

    title: str
    category: str = ""
    rule: str | None = None
    fingerprint: str | None = None
    excerpt: str = ""
    explanation: str = ""
    fix: str = ""


@dataclass(frozen=True, slots=True)
class CaseComment:
    author: str
    body: str
    is_bot: bool = False


@dataclass(frozen=True, slots=True)
class ChangedFile:
    path: str
    status: str
    additions: int
    deletions: int
    patch: str | None = None


@dataclass(frozen=True, slots=True)
class Fix:
    """The merged pull request that resolved the case."""

    number: int
    title: str
    url: str
    files: tuple[ChangedFile, ...]


@dataclass(frozen=True, slots=True)
class ResolvedCase:
    """A thread (issue or PR) that resolved a failure; `number` 0 is a failure known only from
    the catalog (no thread: `url` is its example run)."""

    repo: str  # owner/name
    number: int
    is_pull: bool
    title: str
    body: str
    url: str
    symptoms: tuple[Symptom, ...] = ()
    comments: tuple[CaseComment, ...] = ()
    fix: Fix | None = None


def build_runbook(
    case: ResolvedCase,
    *,
    title: str | None = None,
    today: dt.date,
    taken: Sequence[str] = (),
) -> Runbook:
    """The draft runbook; its id avoids the ids in `taken` (`slug`, `slug-2`, ...)."""
    symptoms = case.symptoms[:MAX_SYMPTOMS]
    chosen = inert(" ".join((title or "").split()) or case.title or (
        symptoms[0].title if symptoms else f"{case.repo}#{case.number}"
    ))
    base = slugify(chosen)
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base[:56]}-{n}"
    tags = [s.category for s in symptoms if s.category and s.category != "unknown"]
    return new_runbook(
        chosen,
        {
            "Problem summary": _summary(case, symptoms),
            "Diagnosis steps": _diagnosis(case, symptoms),
            "Root cause": _root_cause(symptoms),
            "Solution": _solution(case, symptoms),
            "Rollback": _rollback(case),
            "Prevention": "_To complete in review: what would catch this earlier (a test, a CI "
            "check, a pinned version, an alert)?_",
        },
        id=ident,
        signatures=[s.fingerprint for s in symptoms if s.fingerprint],
        rules=[s.rule for s in symptoms if s.rule],
        tags=tags,
        source=case.url or None,
        created=today,
    )


def _ref(case: ResolvedCase) -> str:
    label = f"{case.repo}#{case.number}" if case.number > 0 else f"a failing run of {case.repo}"
    return f"[{label}]({case.url})" if case.url.startswith("https://") else label


def _summary(case: ResolvedCase, symptoms: Sequence[Symptom]) -> str:
    kind = "pull request " if case.is_pull else "issue " if case.number > 0 else ""
    lines = [f"Seen in {kind}{_ref(case)}: {_one_line(case.title)}."]
    for s in symptoms:
        meta = ", ".join(
            filter(None, [f"category `{s.category}`" if s.category else "",
                          f"rule `{s.rule}`" if s.rule else "",
                          f"fingerprint `{s.fingerprint}`" if s.fingerprint else ""])
        )  # fmt: skip
        lines += ["", f"**{_one_line(s.title)}**" + (f" ({meta})" if meta else "")]
        if s.excerpt.strip():
            lines += ["", fence(truncate_lines(redact(s.excerpt.strip("\n")), EXCERPT_LINES))]
    if not symptoms and case.body.strip():
        lines += ["", _quote(case.body, COMMENT_CHARS * 2)]
    return "\n".join(lines)


def _diagnosis(case: ResolvedCase, symptoms: Sequence[Symptom]) -> str:
    steps = ["Open the failing job's log and find the lines quoted in the summary."]
    if any(s.fingerprint for s in symptoms):
        steps.append(
            "Check that the bot's failure report names the same fingerprint: then it is this "
            "problem (the fingerprint ignores times, ids, paths and numbers)."
        )
    lines = [f"{i}. {step}" for i, step in enumerate(steps, start=1)]
    notes = [c for c in case.comments if _worth_quoting(c)][:MAX_COMMENTS]
    if notes:
        lines += ["", f"From the discussion in {_ref(case)}:", ""]
        for comment in notes:
            lines.append(f"- @{comment.author}:\n\n{_quote(comment.body, COMMENT_CHARS)}\n")
    return "\n".join(lines).rstrip()


def _worth_quoting(comment: CaseComment) -> bool:
    if comment.is_bot or comment.author.endswith("[bot]"):
        return False
    kept = [
        line for line in comment.body.split("\n")
        if not COMMAND.match(line) and not _QUOTE.match(line)
    ]  # fmt: skip
    return len(" ".join(kept).split()) >= 3  # "+1", "thanks!" and bare commands say nothing


def _root_cause(symptoms: Sequence[Symptom]) -> str:
    explained = [s for s in symptoms if s.explanation.strip()]
    if not explained:
        return "_To complete in review: why did it fail?_"
    return "\n\n".join(_one_line(s.explanation) for s in explained)


def _solution(case: ResolvedCase, symptoms: Sequence[Symptom]) -> str:
    lines: list[str] = []
    if case.fix is not None:
        fix = case.fix
        link = f"[#{fix.number}]({fix.url})" if fix.url.startswith("https://") else f"#{fix.number}"
        lines.append(f"Fixed by {link}: {_one_line(fix.title)}.")
        if fix.files:
            lines += ["", "Files changed:", ""]
            for f in fix.files[:MAX_FILES]:
                lines.append(f"- `{f.path}` ({f.status}, +{f.additions} −{f.deletions})")
            if len(fix.files) > MAX_FILES:
                lines.append(f"- … and {len(fix.files) - MAX_FILES} more")
            diff = _diff_excerpt(fix.files)
            if diff:
                lines += ["", fence(diff, "diff")]
    hints = [s.fix for s in symptoms if s.fix.strip()]
    if hints:
        lines += ["", "The triage rule's advice: " + _one_line(hints[0])]
    return "\n".join(lines).strip() or "_To complete in review: what fixed it?_"


def _diff_excerpt(files: Sequence[ChangedFile]) -> str:
    """The patches of the first files, cut to DIFF_LINES lines and DIFF_CHARS characters."""
    parts = []
    for f in files[:MAX_FILES]:
        if f.patch:
            parts.append(f"--- a/{f.path}\n+++ b/{f.path}\n{f.patch.strip()}")
    text = truncate_lines("\n".join(parts), DIFF_LINES)
    return truncate_middle(redact(text), DIFF_CHARS)


def _rollback(case: ResolvedCase) -> str:
    if case.fix is None:
        return "_To complete in review: how to undo the fix if it causes trouble._"
    return (
        f"Revert pull request #{case.fix.number} (the Revert button on the merged pull request, "
        "or `git revert -m 1 <merge commit>`), then re-run the failed workflow to confirm the "
        "previous behaviour."
    )


def _one_line(text: str) -> str:
    return inert(" ".join(text.split())[:500])


def _quote(text: str, limit: int) -> str:
    kept = [
        line for line in text.strip().split("\n")
        if not COMMAND.match(line) and not _QUOTE.match(line)
    ]  # fmt: skip
    body = truncate_middle(inert(redact("\n".join(kept).strip())), limit)
    return "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))


# -- reading the bot's failure report ------------------------------------------------------------

_ROOT_CAUSE = re.compile(r"\*\*Root cause:\*\* (.{1,600}?) \(`([a-z-]{1,40})`\)\s*$", re.M)
_TITLE_LINE = re.compile(r"^\*\*(?!Root cause|Why|Suggested fix)(.{1,600}?)\*\*\s*$", re.M)
_META = re.compile(r"^category `([a-z-]{1,40})`(?: · rule `([^`\n]{1,100})`)?", re.M)
_WHY = re.compile(r"^\*\*Why:\*\* (.{1,2000})$", re.M)
_FIX = re.compile(r"^\*\*Suggested fix:\*\* (.{1,2000})$", re.M)
_FENCE_BLOCK = re.compile(r"^(`{3,})[^\n]{0,20}\n(.{0,20000}?)\n\1\s*$", re.M | re.S)
_ESCAPED = re.compile(r"\\([\\`*_\[\]|#])")


def symptom_from_report(body: str, fingerprint: str | None = None) -> Symptom | None:
    """The first failure of a bot failure report (PR comment or issue reply), or None.

    Reads the layout of `ghbot.engine.report.failure`: a bold title line, a metadata line with
    the category and rule, a fenced excerpt, **Why:** and **Suggested fix:**.
    """
    body = body[:100_000]
    title_line = _TITLE_LINE.search(body)
    root = _ROOT_CAUSE.search(body)
    titled = title_line or root
    if titled is None:
        return None
    title = titled.group(1)
    meta = _META.search(body)
    category = meta.group(1) if meta else (root.group(2) if root else "")
    excerpt = _FENCE_BLOCK.search(body, title_line.end() if title_line else 0)
    why, fix = _WHY.search(body), _FIX.search(body)
    return Symptom(
        title=_unescape(title),
        category=category,
        rule=meta.group(2) if meta and meta.group(2) else None,
        fingerprint=fingerprint,
        excerpt=excerpt.group(2) if excerpt else "",
        explanation=_unescape(why.group(1)) if why else "",
        fix=_unescape(fix.group(1)) if fix else "",
    )


def symptom_in_report(body: str, title: str) -> Symptom | None:
    """The failure titled `title` in a bot failure report: each job has its own section there,
    so the excerpt, why and fix are read from the section whose failure carries that title."""
    wanted = " ".join(title.split()).rstrip("…")[:100]
    if not wanted:
        return None
    for section in body[:100_000].split("\n#### ")[1:]:
        symptom = symptom_from_report("#### " + section)
        if symptom is not None and " ".join(symptom.title.split()).startswith(wanted):
            return symptom
    return None


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text).replace("&lt;", "<").replace("&gt;", ">").replace(
        "&amp;", "&"
    )
