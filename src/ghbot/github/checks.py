"""One check run per (name, head sha), created once and updated in place.

The run is found again by name, `external_id` and (when known) the App's id. Its summary starts
with a marker holding a digest of the annotations, so a publish interrupted half way resumes
without listing them.

GitHub only ever *appends* annotations. When a new analysis of the same sha only adds findings,
the run is updated in place with the annotations it lacks. When findings went away (a new
config, `/hephaestus ignore`), the old run would keep showing them on the diff, so it is
replaced: it is retired first (conclusion neutral, "superseded", a different `external_id` so it
is never found again, no buttons) and a fresh run carries exactly the current annotations. This
is how GitHub expects re-runs to work: the PR shows the newest run of a name, and branch
protection judges it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ghbot.engine import markers
from ghbot.engine.render import escape_inline
from ghbot.github.api import GitHub
from ghbot.github.client import _check_fields
from ghbot.github.models import Annotation, CheckAnnotation, CheckConclusion, CheckRun

# GitHub's cap on output.summary and output.text is 65,535 "characters", enforced on bytes.
OUTPUT_LIMIT = 65_535
ANNOTATION_BATCH = 50
# 20 requests at most per publish; the summary says how many were left out.
MAX_ANNOTATIONS = 1000
CHECK_NAME = "Hephaestus"  # the pull-request analysis's check run
DEFAULT_EXTERNAL_ID = "hephaestus"
SUPERSEDED_SUFFIX = "-superseded"  # appended to a retired run's external_id


@dataclass(frozen=True, slots=True)
class CheckReport:
    conclusion: CheckConclusion
    title: str
    summary: str
    text: str = ""
    annotations: Sequence[Annotation] = ()
    actions: Sequence[CheckAction] = ()


@dataclass(frozen=True, slots=True)
class CheckAction:
    """A button on the check run; a click arrives as `check_run.requested_action`."""

    label: str  # at most 20 characters
    description: str  # at most 40
    identifier: str  # at most 20

    def to_api(self) -> dict[str, str]:
        return {
            "label": self.label[:20],
            "description": self.description[:40],
            "identifier": self.identifier[:20],
        }


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
    gh: GitHub,
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
    gh: GitHub,
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


AnnotationKey = tuple[str, int, int, str, str, str]


def _annotation_key(a: Annotation | CheckAnnotation) -> AnnotationKey:
    """The same for an annotation as sent (`to_api` cuts title and message) and as read back."""
    if isinstance(a, Annotation):
        sent = a.to_api()
        return (a.path, a.start_line, a.end_line, a.level, sent.get("title", ""), sent["message"])
    return (a.path, a.start_line, a.end_line, a.level, a.title, a.message)


async def _held_annotations(
    gh: GitHub, owner: str, repo: str, run_id: int
) -> set[AnnotationKey]:
    found = await gh.list_check_run_annotations(
        owner, repo, run_id, max_items=MAX_ANNOTATIONS * 2
    )
    return {_annotation_key(a) for a in found}


async def _write(
    gh: GitHub,
    owner: str,
    repo: str,
    run_id: int | None,
    data: dict[str, Any],
) -> CheckRun:
    return await gh.write_check_run(owner, repo, run_id, data)


async def publish_check(
    gh: GitHub,
    owner: str,
    repo: str,
    report: CheckReport,
    *,
    name: str,
    head_sha: str,
    external_id: str = DEFAULT_EXTERNAL_ID,
    app_id: int | None = None,
    run: CheckRun | None = None,
) -> CheckRun:
    """Complete the sha's check run with `report` (`run`: the one start_check returned, saving a
    look-up); the first 50 annotations ride on the create or update, the rest follow in batches
    of 50."""
    annotations = list(report.annotations[:MAX_ANNOTATIONS])
    dropped = len(report.annotations) - len(annotations)
    digest = _digest(annotations)
    existing = run or await find_check_run(
        gh, owner, repo, name=name, head_sha=head_sha, external_id=external_id, app_id=app_id
    )
    if existing is None or existing.annotations_count == 0:
        pending = annotations
    else:
        previous = markers.parse(existing.summary, "check")
        if previous is not None and previous.get("digest") == digest:
            # Same findings: only what an interrupted earlier publish did not send yet.
            pending = annotations[existing.annotations_count :]
        else:
            held = await _held_annotations(gh, owner, repo, existing.id)
            wanted = {_annotation_key(a) for a in annotations}
            pending = [a for a in annotations if _annotation_key(a) not in held]
            if held - wanted:  # annotations that no longer apply: a fresh run instead
                await _retire(gh, owner, repo, existing, external_id, len(held - wanted))
                existing, pending = None, annotations

    notes = []
    if dropped:
        notes.append(f"{dropped} more annotations were not sent (cap {MAX_ANNOTATIONS}).")
    marker = markers.render("check", digest=digest)
    tail = "".join(f"\n\n{note}" for note in notes)
    budget = OUTPUT_LIMIT - len(marker.encode()) - len(tail.encode()) - 1
    summary = f"{marker}\n{fit(report.summary, budget)}{tail}"
    text = fit(report.text)
    title = report.title[:1000] or name

    first, rest = pending[:ANNOTATION_BATCH], pending[ANNOTATION_BATCH:]
    data = _check_fields(report.conclusion, title, summary, text, first)
    # An update without actions keeps the old buttons: send the list, even empty, every time.
    data["actions"] = [a.to_api() for a in report.actions]
    if existing is None:
        data.update(name=name, head_sha=head_sha, external_id=external_id)
    result = await _write(gh, owner, repo, existing.id if existing else None, data)
    for start in range(0, len(rest), ANNOTATION_BATCH):
        batch = rest[start : start + ANNOTATION_BATCH]
        data = _check_fields(None, title, summary, text, batch)
        result = await _write(gh, owner, repo, result.id, data)
    return result


async def _retire(
    gh: GitHub, owner: str, repo: str, run: CheckRun, external_id: str, stale: int
) -> None:
    """End `run` as superseded by a newer analysis of its commit, never to be found again."""
    summary = (
        f"A newer analysis of this commit replaced this run: {stale} of its annotations no "
        "longer apply, and GitHub keeps annotations once sent. See the newest "
        f"{escape_inline(run.name)} run for the current findings."
    )
    data = _check_fields("neutral", "Superseded by a newer analysis", summary, "", [])
    data.update(external_id=external_id + SUPERSEDED_SUFFIX, actions=[])
    await _write(gh, owner, repo, run.id, data)
