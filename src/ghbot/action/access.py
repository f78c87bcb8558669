"""How much the job's token may do, and what the step does when it may not write.

A `pull_request` run from a fork gets a read-only GITHUB_TOKEN, and so does a workflow whose
`permissions:` leave out what a handler writes (or a Dependabot run). Such a run is not a
failure: the results go to annotations and the job summary, with one line saying why. The
first refusal closes the gate, so no handler sends another write that is bound to fail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ghbot.github.client import WRITE_METHODS, GitHubClient
from ghbot.github.errors import PermissionDenied
from ghbot.github.events import Event

# Events whose run gets a read-only token when the pull request comes from a fork.
FORK_READ_ONLY_EVENTS = frozenset(
    {"pull_request", "pull_request_review", "pull_request_review_comment"}
)
# The REST path segment that names the `permissions:` key a write needs.
_PERMISSION_BY_SEGMENT = {
    "check-runs": "checks",
    "check-suites": "checks",
    "pulls": "pull-requests",
    "issues": "issues",
    "comments": "contents",
    "commits": "contents",
    "git": "contents",
    "contents": "contents",
    "actions": "actions",
    "statuses": "statuses",
}
# Handler errors that are the refusal itself or its echo from the closed gate.
REFUSAL_ERRORS = ("PermissionDenied:", "WriteRefused:")


class WriteRefused(PermissionDenied):
    """A write the gate did not send, because an earlier one was refused."""


def _full_name(side: Any) -> str | None:
    repo = side.get("repo") if isinstance(side, Mapping) else None
    name = repo.get("full_name") if isinstance(repo, Mapping) else None
    return name.lower() if isinstance(name, str) else None


def fork_pull_request(event: Event) -> bool:
    """True for a run on a pull request whose head lives in another repository (a deleted fork
    has no head repository at all)."""
    if event.name not in FORK_READ_ONLY_EVENTS:
        return False
    pull = event.payload.get("pull_request")
    if not isinstance(pull, Mapping):
        return False
    base = _full_name(pull.get("base"))
    return base is not None and _full_name(pull.get("head")) != base


def permission_for(url: str) -> str | None:
    parts = urlsplit(url).path.strip("/").split("/")
    # /repos/{owner}/{repo}/<segment>/...
    segment = parts[3] if len(parts) > 3 and parts[0] == "repos" else ""
    return _PERMISSION_BY_SEGMENT.get(segment)


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: str  # the one line the job summary shows

    @classmethod
    def fork(cls) -> Refusal:
        return cls(
            "This pull request comes from a fork, so the workflow's token is read-only: "
            "results are shown as annotations and in this summary instead of a check run "
            "and a review."
        )

    @classmethod
    def denied(cls, error: PermissionDenied) -> Refusal:
        permission = permission_for(error.url)
        grant = f"`{permission}: write`" if permission else "the write permissions it needs"
        return cls(
            f"GitHub refused the token's first write ({error.method} {urlsplit(error.url).path}: "
            f"{error.args[0]}); grant {grant} in the workflow's `permissions:` (a fork's or "
            "Dependabot's pull request never gets it): results are shown as annotations and "
            "in this summary instead."
        )


class WriteGate:
    """Wraps a client's `call` (every typed write goes through it): the first write GitHub
    refuses with 401/403 is remembered, and every later write fails here without a request."""

    def __init__(self, refusal: Refusal | None = None) -> None:
        self.refusal = refusal

    def install(self, client: GitHubClient) -> GitHubClient:
        call: Callable[..., Any] = client.call

        async def gated(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            if method not in WRITE_METHODS:
                return await call(method, url, *args, **kwargs)
            if self.refusal is not None:
                raise WriteRefused(self.refusal.reason, status=None, method=method, url=url)
            try:
                return await call(method, url, *args, **kwargs)
            except PermissionDenied as exc:
                if exc.status == 403:  # 401 is a bad token, not a weak one: a real error
                    self.refusal = Refusal.denied(exc)
                raise

        # An instance attribute shadows the method, so the typed methods' `self.call` see it.
        client.call = gated  # type: ignore[method-assign]
        return client
