"""One check run per (name, head sha), created or updated in place.

The run is found again by name, `external_id` and (when known) the App's id. Its summary starts
with a marker holding a digest of the annotations: GitHub only ever *appends* annotations, so a
run is reused when it has none yet or already holds these very ones; when the findings changed on
the same sha a fresh run replaces it (GitHub shows the newest run of a name), rather than piling
new annotations on stale ones.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from ghbot.github import markers
from ghbot.github.client import GitHubClient
from ghbot.github.models import Annotation, CheckConclusion, CheckRun

# GitHub's cap on output.summary and output.text is 65,535 "characters", enforced on bytes.
OUTPUT_LIMIT = 65_535
ANNOTATION_BATCH = 50
# 20 requests at most per publish; the summary says how many were left out.
MAX_ANNOTATIONS = 1000
DEFAULT_EXTERNAL_ID = "hephaestus"


@dataclass(frozen=True, slots=True)
class CheckReport:
    conclusion: CheckConclusion
    title: str
    summary: str
    text: str = ""
    annotations: Sequence[Annotation] = ()


def fit(text: str, limit: int = OUTPUT_LIMIT) -> str:
    """`text` within `limit` UTF-8 bytes, cutting the middle and saying so."""
    raw = text.encode()
    if len(raw) <= limit:
        return text
    note = f"\n\n… {len(raw) - limit} bytes cut by Hephaestus …\n\n".encode()
    room = max(0, limit - len(note) - 8)  # 8: slack for the count growing a digit
    head = raw[: room * 3 // 5].decode(errors="ignore")
    tail = raw[len(raw) - (room - room * 3 // 5) :].decode(errors="ignore")
    return head + note.decode() + tail


def _digest(annotations: Sequence[Annotation]) -> str:
    blob = json.dumps([a.to_api() for a in annotations], sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:20]


async def find_check_run(
    gh: GitHubClient,
    owner: str,
    repo: str,
    *,
    name: str,
    head_sha: str,
    external_id: str = DEFAULT_EXTERNAL_ID,
    app_id: int | None = None,
) -> CheckRun | None:
    runs = await gh.list_check_runs(owner, repo, head_sha, check_name=name)
    for run in runs:  # newest first
        if run.name != name or run.external_id != external_id or run.head_sha != head_sha:
            continue
        if app_id is not None and run.app_id != app_id:
            continue
        return run
    return None


async def start_check(
    gh: GitHubClient,
    owner: str,
    repo: str,
    *,
    name: str,
    head_sha: str,
    external_id: str = DEFAULT_EXTERNAL_ID,
    app_id: int | None = None,
) -> CheckRun:
    """Mark the check in progress (reusing the sha's run, e.g. on a re-run request)."""
    existing = await find_check_run(
        gh, owner, repo, name=name, head_sha=head_sha, external_id=external_id, app_id=app_id
    )
    if existing is not None:
        return await gh.update_check_run(owner, repo, existing.id, status="in_progress")
    return await gh.create_check_run(
        owner, repo, name=name, head_sha=head_sha, status="in_progress", external_id=external_id
    )


async def publish_check(
    gh: GitHubClient,
    owner: str,
    repo: str,
    report: CheckReport,
    *,
    name: str,
    head_sha: str,
    external_id: str = DEFAULT_EXTERNAL_ID,
    app_id: int | None = None,
) -> CheckRun:
    """Complete the sha's check run with `report`; the first 50 annotations ride on the create
    or update, the rest follow in batches of 50."""
    annotations = list(report.annotations[:MAX_ANNOTATIONS])
    dropped = len(report.annotations) - len(annotations)
    digest = _digest(annotations)
    marker = markers.render("check", digest=digest)
    tail = (
        f"\n\n{dropped} more annotations were not sent (cap {MAX_ANNOTATIONS})." if dropped else ""
    )
    budget = OUTPUT_LIMIT - len(marker.encode()) - len(tail.encode()) - 1
    summary = f"{marker}\n{fit(report.summary, budget)}{tail}"
    text = fit(report.text)
    title = report.title[:1000] or name

    existing = await find_check_run(
        gh, owner, repo, name=name, head_sha=head_sha, external_id=external_id, app_id=app_id
    )
    previous = markers.parse(existing.summary, "check") if existing is not None else None
    if existing is not None and existing.annotations_count == 0:
        pending = annotations
    elif existing is not None and previous is not None and previous.get("digest") == digest:
        # Same findings: only what an interrupted earlier publish did not send yet.
        pending = annotations[existing.annotations_count :]
    else:
        existing, pending = None, annotations

    first, rest = pending[:ANNOTATION_BATCH], pending[ANNOTATION_BATCH:]
    if existing is None:
        run = await gh.create_check_run(
            owner,
            repo,
            name=name,
            head_sha=head_sha,
            status="completed",
            external_id=external_id,
            conclusion=report.conclusion,
            title=title,
            summary=summary,
            text=text,
            annotations=first,
        )
    else:
        run = await gh.update_check_run(
            owner,
            repo,
            existing.id,
            conclusion=report.conclusion,
            title=title,
            summary=summary,
            text=text,
            annotations=first,
        )
    for start in range(0, len(rest), ANNOTATION_BATCH):
        run = await gh.update_check_run(
            owner,
            repo,
            run.id,
            title=title,
            summary=summary,
            text=text,
            annotations=rest[start : start + ANNOTATION_BATCH],
        )
    return run
