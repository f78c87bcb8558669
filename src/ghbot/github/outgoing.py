"""The one choke point for secrets in what the bot sends: every write request's text is redacted.

`GitHubClient.call` passes each POST/PATCH/PUT/DELETE body through `redact_request`, whatever
handler built it: comments, reviews and review comments, check-run titles, summaries, text and
annotations, issue and pull request titles and bodies, commit messages. Fields that identify
things (shas, refs, paths, states) are left alone, and so is file content (blobs and inline tree
entries): a commit carries the user's own code back to their own repository, and masking would
corrupt it, so a fix that would show a secret is withheld before it gets here
(`ghbot.engine.redact.holds_secret`).
"""

from __future__ import annotations

from typing import Any

from ghbot.engine.redact import redact

# Keys whose string values are identifiers, enums or file content, never prose.
_VERBATIM = frozenset({
    "annotation_level", "base", "base_tree", "branch", "commit_id", "completed_at", "conclusion",
    "content", "date", "details_url", "email", "encoding", "event", "external_id", "head",
    "head_sha", "identifier", "labels", "mode", "parents", "path", "ref", "sha", "side",
    "start_side", "started_at", "state", "state_reason", "status", "tree", "type",
})  # fmt: skip
_MAX_DEPTH = 8  # the bot's own payloads nest three levels at most


def redact_request(data: Any, depth: int = 0) -> Any:
    """`data` (a JSON body the bot built) with every prose string redacted."""
    if isinstance(data, str):
        return redact(data)
    if depth >= _MAX_DEPTH:
        return data
    if isinstance(data, dict):
        return {
            key: value if key in _VERBATIM else redact_request(value, depth + 1)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [redact_request(item, depth + 1) for item in data]
    return data
