"""Typed GitHub API errors: callers catch what they can act on, not status codes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

from gidgethub import HTTPException


@dataclass(frozen=True, slots=True)
class FieldError:
    """One entry of a 422's `errors` list."""

    resource: str = ""
    field: str = ""
    code: str = ""
    message: str = ""


class Origin(TypedDict):
    """Which request failed, as every GitHubError records it."""

    status: int | None
    method: str
    url: str


class GitHubError(Exception):
    """Any failed GitHub API call. `status` is None when no response arrived at all."""

    def __init__(self, message: str, *, status: int | None, method: str = "", url: str = ""):
        super().__init__(message)
        self.status = status
        self.method = method
        self.url = url

    def __str__(self) -> str:
        where = f"{self.method} {self.url}: " if self.method else ""
        code = f"{self.status} " if self.status is not None else ""
        return f"{where}{code}{self.args[0]}"


class NotFound(GitHubError):
    """404, or 410 (gone)."""


class Conflict(GitHubError):
    """409: e.g. an empty repository, or a merge conflict."""


class PermissionDenied(GitHubError):
    """401 or 403 that is not a rate limit: the token lacks access."""


class ValidationFailed(GitHubError):
    """422: GitHub understood the request and refused it; `errors` says why."""

    def __init__(self, message: str, errors: list[FieldError], **origin: Unpack[Origin]):
        super().__init__(message, **origin)
        self.errors = errors


class RateLimited(GitHubError):
    """403/429 rate limit we did not wait out; `retry_after` is GitHub's wait in seconds."""

    def __init__(self, message: str, retry_after: float | None, **origin: Unpack[Origin]):
        super().__init__(message, **origin)
        self.retry_after = retry_after


class ServerError(GitHubError):
    """5xx or a connection failure that outlasted the retries."""


class TooLarge(GitHubError):
    """A download exceeded the size we are willing to read."""


def _field_errors(raw: Any) -> list[FieldError]:
    if isinstance(raw, str):
        return [FieldError(message=raw)]
    if not isinstance(raw, list):
        return []
    out = []
    for item in raw[:100]:
        if isinstance(item, str):
            out.append(FieldError(message=item))
        elif isinstance(item, Mapping):
            out.append(
                FieldError(
                    resource=str(item.get("resource", "")),
                    field=str(item.get("field", "")),
                    code=str(item.get("code", "")),
                    message=str(item.get("message", "")),
                )
            )
    return out


def is_rate_limit(status: int, headers: Mapping[str, str], message: str) -> bool:
    """GitHub signals both primary and secondary limits with 403 or 429."""
    if status == 429:
        return True
    if status != 403:
        return False
    if headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers:
        return True
    return "rate limit" in message.lower()


def translate(
    exc: HTTPException, *, method: str, url: str, retry_after: float | None = None
) -> GitHubError:
    """The typed error for a gidgethub HTTPException."""
    status = int(exc.status_code)
    message = str(exc.args[0]) if exc.args else ""
    where = Origin(status=status, method=method, url=url)
    if is_rate_limit(status, exc.headers, message):
        return RateLimited(message or "rate limited", retry_after, **where)
    if status in (401, 403):
        return PermissionDenied(message or "forbidden", **where)
    if status in (404, 410):
        return NotFound(message or "not found", **where)
    if status == 409:
        return Conflict(message or "conflict", **where)
    if status == 422:
        errors = _field_errors(getattr(exc, "errors", None))
        # gidgethub's message already names the failing fields; `errors` keeps them structured.
        return ValidationFailed(message or "validation failed", errors, **where)
    if status >= 500:
        return ServerError(message or "server error", **where)
    return GitHubError(message or "request failed", **where)
