"""Fault injection and request records for the sandbox."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from typing import Literal

RateLimitKind = Literal["primary", "secondary"]


@dataclass
class Fault:
    """Answer matching requests with an error (and/or delay them) `times` times (None: always)."""

    method: str
    path_glob: str
    status: int | None = None
    times: int | None = 1
    delay: float = 0.0
    rate_limit: RateLimitKind | None = None
    retry_after: int = 1
    reset_in: int = 1

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        return (self.method in ("*", method.upper())) and fnmatch.fnmatchcase(path, self.path_glob)

    def consume(self) -> None:
        if self.times is not None:
            self.times -= 1


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    status: int
    body: bytes
    authorization: str

    def json(self) -> object:
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class Violation:
    """A request (or sandbox response) that does not fit GitHub's REST API description."""

    method: str
    path: str
    kind: str  # request | response | unimplemented
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.method} {self.path}: {self.message}"


@dataclass
class RateBucket:
    limit: int
    remaining: int
    reset: int
    resource: str = "core"

    @property
    def used(self) -> int:
        return self.limit - self.remaining
