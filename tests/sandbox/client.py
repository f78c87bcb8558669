"""A tiny synchronous HTTP client for the sandbox's own tests (urllib: no extra dependency)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def call(base_url: str, method: str, path: str, body: object = None, token: str | None = None,
         accept: str = "application/vnd.github+json", raw: bytes | None = None,
         scheme: str = "token") -> Reply:
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    url = path if path.startswith("http") else base_url + path
    req = urllib.request.Request(url, method=method, data=data)  # noqa: S310
    req.add_header("Accept", accept)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"{scheme} {token}")
    try:
        with _OPENER.open(req, timeout=10) as resp:
            return Reply(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
    except urllib.error.HTTPError as err:
        return Reply(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())
