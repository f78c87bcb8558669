"""Check sandbox traffic against GitHub's official OpenAPI description (openapi-core).

The 13 MB description is parsed once per process. `spec_validator_cls=None` skips validating
the description itself (37 s); openapi-core then matches and checks one request in a few ms.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = (
    Path(__file__).resolve().parent.parent
    / "npm/node_modules/@octokit/openapi/generated/api.github.com.json"
)
GITHUB_URL = "https://api.github.com"

# Parameters GitHub documents as one path segment but that carry slashes in practice
# ("heads/main", "docs/a.md", "feature/x"): escaped so the description's templates match.
_SLASHED = (
    re.compile(r"^(/repos/[^/]+/[^/]+/(?:git/ref|git/refs|git/matching-refs|contents|branches"
               r"|compare))/(.+)()$"),
    re.compile(r"^(/repos/[^/]+/[^/]+/commits)/(.+?)"
               r"(/check-runs|/check-suites|/status|/statuses|/comments|/pulls"
               r"|/branches-where-head)?$"),
)


def spec_path(path: str) -> str:
    """`path` with slash-carrying parameters escaped (one segment, as the templates expect)."""
    for pattern in _SLASHED:
        m = pattern.match(path)
        if m is not None and "/" in m.group(2):
            return m.group(1) + "/" + m.group(2).replace("/", "%2F") + (m.group(3) or "")
    return path


@functools.cache
def spec_dict() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_bytes())


@functools.cache
def api() -> OpenAPI:
    return OpenAPI.from_dict(spec_dict(), config=Config(spec_validator_cls=None))


@dataclass
class SpecRequest:
    """A request as openapi-core sees it, on GitHub's own host."""

    method: str
    path: str
    query: Iterable[tuple[str, str]] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    content_type: str = "application/json"
    host_url: str = GITHUB_URL

    def __post_init__(self) -> None:
        self.method = self.method.lower()
        self.path = spec_path(self.path)
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(self.query)),
            header=Headers(list(self.headers.items())),
        )


@dataclass
class SpecResponse:
    status_code: int
    data: bytes
    headers: Mapping[str, str]
    content_type: str = "application/json"


@dataclass(frozen=True)
class Problem:
    """Why a request does not fit the description: the HTTP status to answer and the detail."""

    status: int
    message: str


def _describe(error: BaseException) -> str:
    parts = [str(error)]
    cause = error.__cause__
    schema_errors = getattr(cause, "schema_errors", None)
    if cause is not None and schema_errors is None:
        parts.append(str(cause))
    for e in schema_errors or ():
        where = "/".join(str(p) for p in e.absolute_path) or "(body)"
        parts.append(f"{where}: {e.message}")
    return "; ".join(parts)


def check_request(request: SpecRequest) -> Problem | None:
    if request.body and request.content_type.startswith("application/json"):
        try:
            json.loads(request.body)
        except ValueError:
            return Problem(400, "Problems parsing JSON")
    result = api().unmarshal_request(request)
    if not result.errors:
        return None
    first = result.errors[0]
    if isinstance(first, PathNotFound | OperationNotFound):
        return Problem(404, f"Not Found ({request.method.upper()} {request.path} is not in "
                            "GitHub's REST API description)")
    return Problem(422, "Invalid request.\n\n" + "; ".join(_describe(e) for e in result.errors))


def check_response(request: SpecRequest, response: SpecResponse) -> str | None:
    """None when the response fits the operation's response schema, else the reasons."""
    result = api().unmarshal_response(request, response)
    if not result.errors:
        return None
    return "; ".join(_describe(e) for e in result.errors)
