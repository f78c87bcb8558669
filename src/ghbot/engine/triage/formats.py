"""Render triage reports as text (terminal), JSON (stable schema) or markdown (PR comment)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ghbot.engine.render import GITHUB_BODY_LIMIT, details, escape_inline, truncate_middle
from ghbot.engine.report.failure import failure_markdown
from ghbot.engine.triage.model import Failure, TriageReport

MARKDOWN_FAILURES = 5  # a PR comment shows the top few; the JSON has them all


def to_json(reports: Sequence[TriageReport]) -> str:
    """One report object for one input, an array (input order) for several."""
    documents = [report.to_dict() for report in reports]
    return json.dumps(documents[0] if len(documents) == 1 else documents, indent=2) + "\n"


def to_text(reports: Sequence[TriageReport]) -> str:
    out: list[str] = []
    for report in reports:
        out.append(f"== {report.source} ({report.lines} lines)")
        if report.failing_steps:
            out.append(f"failing step(s): {', '.join(report.failing_steps)}")
        if not report.failures:
            out.append("no failure found")
        for rank, failure in enumerate(report.failures, 1):
            where = f"lines {failure.excerpt.start_line}-{failure.excerpt.end_line}"
            if failure.log:
                where = f"{failure.log}: {where}"
            out.append(
                f"\n#{rank} [{failure.category}] {failure.title}  "
                f"(confidence {failure.confidence:.2f}"
                + (f", rule {failure.rule}" if failure.rule else "")
                + (f", seen {failure.count}x" if failure.count > 1 else "")
                + ")"
            )
            out.append(f"   {where}" + (f"  step: {failure.step}" if failure.step else ""))
            for line in failure.excerpt.text.split("\n"):
                out.append(f"   | {line}")
            out.append(f"   why: {failure.explanation}")
            retry = "  (a re-run may pass)" if failure.retry else ""
            out.append(f"   fix: {failure.fix}{retry}")
        out.append("")
    return "\n".join(out)


def _markdown_failure(failure: Failure, open_: bool) -> str:
    # The same block as in the bot's failure reports, collapsible, with what only a triage run
    # shows: the retry hint and the fingerprint the catalog and runbooks key on.
    body = [failure_markdown(failure)]
    if failure.retry:
        body.append("This looks transient: a re-run may pass.")
    body.append(f"<sub>fingerprint `{failure.fingerprint}`</sub>")
    return details(failure.title[:150], "\n\n".join(body), open_=open_)


def to_markdown(reports: Sequence[TriageReport], limit: int = GITHUB_BODY_LIMIT) -> str:
    """Short: the top failure open, the next few collapsed; always under `limit` characters."""
    sections: list[str] = []
    for report in reports:
        head = f"### CI failure triage: {escape_inline(report.source)}"
        if not report.failures:
            sections.append(f"{head}\n\nNo failure found in {report.lines} lines.")
            continue
        top = report.failures[0]
        lines = [head, "", f"**{escape_inline(top.title)}** (`{top.category}`)"]
        if report.failing_steps:
            steps = ", ".join(escape_inline(step) for step in report.failing_steps[:5])
            lines.append(f"\nFailing step: {steps}")
        for rank, failure in enumerate(report.failures[:MARKDOWN_FAILURES]):
            lines.append("")
            lines.append(_markdown_failure(failure, open_=rank == 0))
        hidden = len(report.failures) - MARKDOWN_FAILURES
        if hidden > 0:
            lines.append(f"\n{hidden} more in `hephaestus triage --format json`.")
        sections.append("\n".join(lines))
    document = "\n\n".join(sections) + "\n"
    if len(document) <= limit:
        return document
    # Many inputs: keep whole sections while they fit, then say what was left out.
    kept: list[str] = []
    used = 200
    for section in sections:
        if used + len(section) + 2 > limit:
            break
        kept.append(section)
        used += len(section) + 2
    left = len(sections) - len(kept)
    if not kept:
        return truncate_middle(document, limit - 1)
    note = f"{left} more report(s) omitted to stay under {limit} characters."
    return "\n\n".join(kept) + f"\n\n{note}\n"
