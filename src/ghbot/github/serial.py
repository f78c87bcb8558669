"""Which serial keys a delivery's job holds: one key per thing its handlers write.

The queue never runs two jobs that share a key at once, in any process on any host, so the
handlers need no locks of their own. A job holds every key below that applies:

- `owner/repo#N`: comments and stickies on PR or issue N (any event about a PR or issue);
- `owner/repo@SHA`: the check run and the review of a commit (pull_request, check_run,
  check_suite);
- `owner/repo:failures:BRANCH`: the failure reports (PR stickies, commit comments) of the
  branch's runs (workflow_run, check_suite completed, a failed deployment_status);
- `owner/repo:records`: the records branch (catalog, runbooks) and the dashboard issue (push,
  workflow_run, check_suite completed, a failed deployment_status, release, issues and
  pull_request closed, issues edited, comments with a command);
- `owner/repo:fix-pr`: the one fix PR (push, comments with a command).

Other deployment events hold no records key: their history rows are compare-and-swap commits
retried on conflict, and a burst of them is coalesced into a few commits by the jobs running
side by side (github/records.py); a key held for each whole job would make that burst one
commit per job.

Failure reports are keyed by branch, not by workflow and branch: a check_suite names no
workflow, and it reports the same runs as their workflow_run events. A key never contains a
newline (the stores keep a job's keys as one newline-separated text).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ghbot.engine.knowledge.deployments import FAILED_STATES
from ghbot.github.events import Event, _obj, _str

# Events whose handlers create or update the check run and the review at the head sha.
_AT_SHA = frozenset({"pull_request", "check_run", "check_suite"})
# The actions of an event that write a thing; None: every action.
_Actions = dict[str, frozenset[str] | None]
# Failure reports of a branch's runs (deployment_status: the runs of a failed deployment).
_REPORTS: _Actions = {
    "workflow_run": None,
    "check_suite": frozenset({"completed"}),
}
_RECORDS: _Actions = {
    "push": None,
    "workflow_run": None,
    "check_suite": frozenset({"completed"}),
    "release": None,
    "issues": frozenset({"closed", "edited"}),
    "pull_request": frozenset({"closed"}),
}
_COMMENTS = frozenset({"issue_comment", "pull_request_review_comment"})
_COMMAND = re.compile(r"^[ \t]*/hephaestus\b", re.IGNORECASE | re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_COMMENT_CHARS = 65_536  # GitHub's limit; the command scan reads no further
MAX_PART_CHARS = 300  # a branch name is at most 255 bytes


def serial_keys(event: Event) -> tuple[str, ...]:
    """The keys of the job for `event`, sorted; empty when it names no repository."""
    repo = event.repo
    if repo is None:
        return ()
    keys: set[str] = set()
    if event.number is not None:
        keys.add(f"{repo}#{event.number}")
    if event.name in _AT_SHA and event.head_sha is not None:
        keys.add(f"{repo}@{_part(event.head_sha)}")
    failed_deployment = _failed_deployment(event)
    if _writes(_REPORTS, event) or failed_deployment:
        keys.add(f"{repo}:failures:{_part(_branch(event) or '')}")
    if _writes(_RECORDS, event) or failed_deployment:  # its report catalogs and refreshes
        keys.add(f"{repo}:records")
    if event.name == "push" or (event.name in _COMMENTS and _has_command(event.payload)):
        keys.update((f"{repo}:records", f"{repo}:fix-pr"))
    return tuple(sorted(_CONTROL.sub("?", key) for key in keys))


def _writes(table: _Actions, event: Event) -> bool:
    if event.name not in table:
        return False
    actions = table[event.name]
    return actions is None or event.action in actions


def _failed_deployment(event: Event) -> bool:
    if event.name != "deployment_status":
        return False
    state = _str(_obj(event.payload, "deployment_status"), "state")
    return state in FAILED_STATES


def _part(text: str) -> str:
    """Bounded, and without the newline that separates stored keys."""
    return _CONTROL.sub("?", text[:MAX_PART_CHARS])


def _branch(event: Event) -> str | None:
    payload = event.payload
    if event.name == "deployment_status":
        return _str(_obj(payload, "deployment"), "ref")
    return _str(_obj(payload, event.name), "head_branch")


def _has_command(payload: Mapping[str, Any]) -> bool:
    body = _str(_obj(payload, "comment"), "body")
    return body is not None and _COMMAND.search(body[:MAX_COMMENT_CHARS]) is not None
