"""Helpers shared by the route modules: JSON answers, pagination, the current caller."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from aiohttp import web

from ..shapes import Shapes
from ..state import ApiError, Installation, Repo, State

if TYPE_CHECKING:
    from ..server import Sandbox

SANDBOX_KEY: web.AppKey[Sandbox] = web.AppKey("sandbox")
BODY_KEY = web.RequestKey("body", bytes)
AUTH_KEY = web.RequestKey("auth", tuple)  # ("app", None) | ("installation", Installation)
DOCS = "https://docs.github.com/rest"


def error_response(status: int, message: str, errors: list[object] | None = None) -> web.Response:
    body: dict[str, Any] = {"message": message, "documentation_url": DOCS, "status": str(status)}
    if errors is not None:
        body["errors"] = errors
    return web.json_response(body, status=status)


def ok(data: object, status: int = 200) -> web.Response:
    return web.json_response(data, status=status)


def sandbox(request: web.Request) -> Sandbox:
    return request.app[SANDBOX_KEY]


def state(request: web.Request) -> State:
    return sandbox(request).state


def shapes(request: web.Request) -> Shapes:
    sb = sandbox(request)
    return Shapes(sb.state, sb.base_url)


def repo_of(request: web.Request) -> Repo:
    info = request.match_info
    return state(request).repo(f"{info['owner']}/{info['repo']}")


def installation_of(request: web.Request) -> Installation | None:
    kind, inst = request.get(AUTH_KEY, (None, None))
    return inst if kind == "installation" else None


def actor(request: web.Request) -> str:
    """Who is writing: installation tokens act as the App's bot user."""
    return state(request).app.bot_login


def body_json(request: web.Request) -> dict[str, Any]:
    raw: bytes = request.get(BODY_KEY, b"")  # the middleware has read it already
    if not raw:
        return {}
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ApiError(400, "Problems parsing JSON")
    return data


def int_param(request: web.Request, name: str) -> int:
    try:
        return int(request.match_info[name])
    except ValueError as err:
        raise ApiError(404, "Not Found") from err


def paginate(request: web.Request, items: Sequence[object], wrap: str | None = None,
             total: int | None = None) -> web.Response:
    """One page of `items` with GitHub's Link header (per_page <= 100, default 30)."""
    try:
        per_page = max(1, min(100, int(request.query.get("per_page", "30"))))
        page = max(1, int(request.query.get("page", "1")))
    except ValueError as err:
        raise ApiError(422, "Invalid pagination parameters") from err
    last = max(1, -(-len(items) // per_page))
    chunk = list(items[(page - 1) * per_page: page * per_page])
    base = sandbox(request).base_url + request.path

    def link(p: int) -> str:
        query = [(k, v) for k, v in request.query.items() if k != "page"] + [("page", str(p))]
        return f"<{base}?{urlencode(query)}>"

    links = []
    if page > 1:
        links += [f'{link(page - 1)}; rel="prev"', f'{link(1)}; rel="first"']
    if page < last:
        links += [f'{link(page + 1)}; rel="next"', f'{link(last)}; rel="last"']
    body: object = chunk
    if wrap is not None:
        body = {"total_count": len(items) if total is None else total, wrap: chunk}
    response = ok(body)
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


def sign_download(secret: str, path: str) -> str:
    """Signature for sandbox download URLs (log redirects), as GitHub signs its blob URLs."""
    return hmac.new(secret.encode(), path.encode(), hashlib.sha256).hexdigest()
