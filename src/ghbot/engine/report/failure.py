"""Markdown for failure reports: a failed CI run (PR or commit comment), the same report once a
later run passed ("fixed in <sha>"), and the reply to an issue that holds a traceback or log.

Pure: the handlers gather runs, jobs and triage reports; this module only lays them out. Every
excerpt is fenced and bounded, every name that came from a workflow file is escaped, and the
whole body is redacted once more at the end, so a secret that slipped into a job or step name
does not leave either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ghbot.engine.redact import redact
from ghbot.engine.render import (
    GITHUB_BODY_LIMIT,
    details,
    escape_inline,
    fence,
    truncate_lines,
    truncate_middle,
)
from ghbot.engine.triage.model import Failure, TriageReport

EXCERPT_LINES = 40
EXCERPT_CHARS = 6000
MAX_JOBS = 5  # jobs shown in full; the others are listed
MORE_FAILURES = 3  # further failures per job, collapsed
PREVIOUS_CHARS = 20_000  # of the earlier report kept under "fixed"
# Room for the sticky marker and the "fixed" wrapper around a report.
BODY_LIMIT = GITHUB_BODY_LIMIT - 2_000
# Detectors that fire on any "error" word: alone they do not make an issue a log.
WEAK_DETECTORS = frozenset({"generic", "fallback", "runner"})
ISSUE_MIN_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class JobFailure:
    """One failed job (or external check run) and what triage made of its log."""

    name: str
    url: str
    step: str | None  # the failing step per the job's own step list
    report: TriageReport | None  # None: no log was reachable
    note: str | None = None  # why there is no log, or that it was cut to head and tail


@dataclass(frozen=True, slots=True)
class RunFailure:
    """A failed run: a workflow run of GitHub Actions or a check suite of another CI app."""

    source: str  # "workflow CI" or "check suite of jenkins"
    url: str
    label: str  # "run #12 (attempt 2)"
    head_sha: str
    jobs: tuple[JobFailure, ...]
    sections: tuple[str, ...] = ()  # markdown from the enrichers, in order
    notes: tuple[str, ...] = ()  # e.g. the repository's rules could not be loaded


def top_failure(job: JobFailure) -> Failure | None:
    return job.report.failures[0] if job.report and job.report.failures else None


def _excerpt(failure: Failure) -> str:
    text = truncate_middle(truncate_lines(failure.excerpt.text, EXCERPT_LINES), EXCERPT_CHARS)
    return fence(text)


def _link(text: str, url: str) -> str:
    label = escape_inline(text) or "(unnamed)"
    return f"[{label}]({url})" if url.startswith("https://") else label


def _meta(failure: Failure) -> str:
    parts = [f"category `{failure.category}`"]
    parts.append(f"rule `{failure.rule}`" if failure.rule else "no known rule matched")
    parts.append(f"confidence {failure.confidence:.2f}")
    if failure.count > 1:
        parts.append(f"seen {failure.count}× in this log")
    return " · ".join(parts)


def failure_markdown(failure: Failure) -> str:
    """Title, metadata, the fenced excerpt, why and the fix of one failure."""
    where = f"lines {failure.excerpt.start_line}–{failure.excerpt.end_line}"
    if failure.step:
        where = f"step {escape_inline(failure.step)}, {where}"
    lines = [
        f"**{escape_inline(failure.title)}**",
        f"{_meta(failure)} · {where}",
        "",
        _excerpt(failure),
        "",
        f"**Why:** {escape_inline(failure.explanation)}",
        "",
        f"**Suggested fix:** {escape_inline(failure.fix)}",
    ]
    if failure.docs and failure.docs.startswith("https://"):
        lines.append(f"\n[Documentation]({failure.docs})")
    return "\n".join(lines)


def _job_section(job: JobFailure) -> str:
    step = f" · failing step **{escape_inline(job.step)}**" if job.step else ""
    lines = [f"#### Job {_link(job.name, job.url)}{step}", ""]
    if job.note:
        lines += [f"_{escape_inline(job.note)}_", ""]
    top = top_failure(job)
    if job.report is None:
        return "\n".join(lines).rstrip()
    if top is None:
        lines.append(
            f"No failure pattern found in the {job.report.lines} log lines read; "
            "open the job log from the link above."
        )
        return "\n".join(lines)
    lines.append(failure_markdown(top))
    if top.retry:
        lines.append("\nThis looks transient: `/hephaestus retest` re-runs the failed jobs.")
    others = job.report.failures[1 : 1 + MORE_FAILURES]
    if others:
        body = "\n\n".join(failure_markdown(f) for f in others)
        lines += ["", details(f"{len(others)} more possible cause(s) in this job", body)]
    return "\n".join(lines)


def render_failure(run: RunFailure, limit: int = BODY_LIMIT) -> str:
    """The sticky comment for a failed run, under `limit` characters, redacted."""
    first = next((f for f in map(top_failure, run.jobs) if f is not None), None)
    head = (
        f"### ❌ {escape_inline(run.source)} failed · {_link(run.label, run.url)} · "
        f"`{run.head_sha[:7]}`"
    )
    lines = [head, ""]
    if first is not None:
        lines.append(f"**Root cause:** {escape_inline(first.title)} (`{first.category}`)")
    else:
        lines.append("**Root cause:** not identified from the available logs.")
    lines += ["", "| Job | Failing step | Category |", "| --- | --- | --- |"]
    for job in run.jobs:
        top = top_failure(job)
        step = escape_inline(job.step or (top.step if top and top.step else "")) or "–"
        lines.append(f"| {_link(job.name, job.url)} | {step} | {top.category if top else '–'} |")
    for job in run.jobs[:MAX_JOBS]:
        lines += ["", _job_section(job)]
    if len(run.jobs) > MAX_JOBS:
        lines += ["", f"{len(run.jobs) - MAX_JOBS} more failed job(s) are listed in the table."]
    for section in run.sections:
        lines += ["", section.strip()]
    for note in run.notes:
        lines += ["", f"> [!NOTE]\n> {escape_inline(note)}"]
    lines += [
        "",
        "<sub>Updated in place when this workflow re-runs. `/hephaestus triage` re-triages, "
        "`/hephaestus retest` re-runs the failed jobs.</sub>",
    ]
    return truncate_middle(redact("\n".join(lines)), limit) + "\n"


def strip_markers(body: str) -> str:
    """A comment body without the bot's leading hidden marker lines."""
    lines = body.split("\n")
    while lines and lines[0].startswith("<!-- hephaestus:") and lines[0].endswith("-->"):
        lines.pop(0)
    return "\n".join(lines).strip()


def render_fixed(
    previous: str, *, source: str, fixed_sha: str, failed_sha: str, url: str, label: str
) -> str:
    """The same comment once a later run of the workflow passed; the old report stays folded."""
    head = (
        f"### ✅ Fixed in `{fixed_sha[:7]}` · {escape_inline(source)} passed · {_link(label, url)}"
    )
    lines = [head, ""]
    if fixed_sha == failed_sha:
        lines += [
            "The same commit passed when re-run, so the failure below looks flaky rather "
            "than caused by the change.",
            "",
        ]
    earlier = truncate_middle(strip_markers(previous), PREVIOUS_CHARS)
    lines.append(details("Earlier failure report", earlier))
    return redact("\n".join(lines)) + "\n"


def _strong(failure: Failure) -> bool:
    return failure.rule is not None or failure.detector not in WEAK_DETECTORS


def strongest(report: TriageReport) -> Failure | None:
    """The first failure a real extractor or a known rule found with enough confidence: the
    sign that the text holds a traceback or a CI log, not just the word "error"."""
    return next(
        (f for f in report.failures if _strong(f) and f.confidence >= ISSUE_MIN_CONFIDENCE), None
    )


def render_issue_reply(report: TriageReport, sections: Sequence[str] = ()) -> str:
    """The reply to an issue whose body holds a traceback or a log."""
    top = strongest(report)
    if top is None:
        raise ValueError("the report holds no traceback or log failure")
    lines = [
        f"### 🔎 This looks like a `{top.category}` failure",
        "",
        failure_markdown(top),
    ]
    if top.retry:
        lines.append("\nThis looks transient: running it again may pass.")
    others = [f for f in report.failures if _strong(f) and f is not top][:MORE_FAILURES]
    if others:
        body = "\n\n".join(failure_markdown(f) for f in others)
        lines += ["", details(f"{len(others)} more possible cause(s)", body)]
    for section in sections:
        lines += ["", section.strip()]
    lines += [
        "",
        "<sub>Automated triage of the log in this issue; edit the issue and this reply "
        "follows.</sub>",
    ]
    return truncate_middle(redact("\n".join(lines)), BODY_LIMIT) + "\n"
