"""The manifest flow on this server: the setup page, the `state` check on GitHub's redirect,
the code's conversion into credentials, and going live without a restart.

Until setup completes the page is public (it is at the public URL GitHub must reach), so it asks
for a one-time token the server prints at startup: a stranger who finds the page cannot bind this
server to an App of theirs. Each form carries a fresh random `state`, valid once and for
STATE_TTL seconds; only a redirect with such a state triggers a conversion.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import aiohttp
from aiohttp import web
from pydantic import ValidationError

from ghbot.settings import Settings
from ghbot.setup import credentials, manifest, page
from ghbot.setup.credentials import StoredApp

log = logging.getLogger("ghbot.setup")

STATE_TTL = 3600.0  # GitHub's codes last an hour as well
MAX_STATES = 1000  # each page view makes one; the oldest go first
_CODE = re.compile(r"[A-Za-z0-9_-]{1,200}")
_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,34}")
DEFAULT_NAME = "Hephaestus"


class SetupError(Exception):
    """GitHub refused the conversion or answered something unusable; the message says which."""


@dataclass
class SetupFlow:
    public_url: str
    api_url: str
    data_dir: Path
    on_created: Callable[[StoredApp], Awaitable[None]]
    app: StoredApp | None = None
    configured_id: int | None = None  # credentials given by the environment, not by setup
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    _states: dict[str, float] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def setup_link(self) -> str:
        return f"{self.public_url}/?token={quote(self.token)}"

    @property
    def github_web(self) -> str:
        return manifest.web_url(self.api_url)

    def new_state(self) -> str:
        now = time.monotonic()
        self._states = {s: t for s, t in self._states.items() if t > now}
        while len(self._states) >= MAX_STATES:
            del self._states[next(iter(self._states))]
        state = secrets.token_urlsafe(32)
        self._states[state] = now + STATE_TTL
        return state

    def take_state(self, state: str) -> bool:
        """True once for a state this server issued that has not expired."""
        expires = self._states.pop(state, None)
        return expires is not None and expires > time.monotonic()

    async def convert(self, code: str) -> StoredApp:
        """POST /app-manifests/{code}/conversions: no authentication, the code is the secret."""
        url = f"{self.api_url}/app-manifests/{quote(code)}/conversions"
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
                   "User-Agent": "hephaestus-setup"}  # fmt: skip
        timeout = aiohttp.ClientTimeout(total=30)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as http, http.post(
                url, headers=headers
            ) as response:
                body = await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise SetupError(f"GitHub could not be reached: {type(exc).__name__}") from None
        if status != 201:
            raise SetupError(f"GitHub refused the code ({status}): {_message(body)}")
        try:
            return StoredApp.model_validate_json(body)
        except ValidationError:
            raise SetupError("GitHub's answer lacks the App's credentials") from None


def _message(body: bytes) -> str:
    try:
        message = json.loads(body).get("message")
    except (ValueError, AttributeError):
        message = None
    return str(message)[:200] if message else "no message"


FLOW = web.AppKey("setup_flow", SetupFlow)


def pending(settings: Settings) -> bool:
    """Serve the setup page instead of refusing to start: a public URL and no App credentials
    at all (a partial set is a configuration mistake, reported as such)."""
    given = (settings.app_id, settings.private_key, settings.private_key_path,
             settings.webhook_secret)  # fmt: skip
    return settings.public_url is not None and all(value is None for value in given)


def install_setup(app: web.Application, flow: SetupFlow) -> None:
    app[FLOW] = flow
    app.router.add_get("/", index)
    app.router.add_get(manifest.CALLBACK_PATH, callback)
    app.router.add_get(manifest.INSTALLED_PATH, installed)


def _exists(flow: SetupFlow) -> web.Response:
    if flow.app is not None:
        body = page.exists(app_id=flow.app.id, slug=flow.app.slug,
                           install_url=flow.app.html_url + "/installations/new")  # fmt: skip
    else:
        body = page.exists(app_id=flow.configured_id or 0)
    return page.respond(body, flow.github_web)


async def index(request: web.Request) -> web.Response:
    flow = request.app[FLOW]
    if flow.app is not None or flow.configured_id is not None:
        return _exists(flow)
    if not hmac.compare_digest(request.query.get("token", "").encode(), flow.token.encode()):
        text = ("Open the address this server printed when it started: it holds the one-time "
                "setup token that proves you run this server.")  # fmt: skip
        return page.respond(page.message("Setup token required", text), flow.github_web, 403)
    owner = request.query.get("owner", "").strip()[:100]
    name = request.query.get("name", "").strip()[:100] or DEFAULT_NAME
    error = None
    if owner and not manifest.OWNER.fullmatch(owner):
        error, owner = f"{owner!r} is not a GitHub organisation name.", ""
    if not _NAME.fullmatch(name):
        error, name = "An App name has 1 to 34 characters.", DEFAULT_NAME
    state = flow.new_state()
    body = page.form(
        token=flow.token, owner=owner, name=name, public_url=flow.public_url,
        action=manifest.new_app_url(flow.github_web, owner, state),
        manifest_json=json.dumps(manifest.build(flow.public_url, name)), error=error,
    )  # fmt: skip
    return page.respond(body, flow.github_web, 400 if error else 200)


async def callback(request: web.Request) -> web.Response:
    """GitHub's redirect after "Create GitHub App": ?code=...&state=..."""
    flow = request.app[FLOW]
    code = request.query.get("code", "")
    if not flow.take_state(request.query.get("state", "")[:100]):
        text = "This link is unknown, expired or already used: start again from the setup page."
        return page.respond(page.message("Setup link expired", text), flow.github_web, 400)
    if not _CODE.fullmatch(code[:201]):
        text = "GitHub's redirect carries no usable code: start again from the setup page."
        return page.respond(page.message("No code", text), flow.github_web, 400)
    async with flow._lock:
        if flow.app is not None:
            return _exists(flow)
        try:
            app = await flow.convert(code)
        except SetupError as exc:
            log.warning("setup: the conversion failed", extra={"fields": {"error": str(exc)}})
            return page.respond(page.message("GitHub refused", str(exc)), flow.github_web, 502)
        credentials.save(flow.data_dir, app)
        flow.app = app
        log.info("setup: App created", extra={"fields": {"app_id": app.id, "slug": app.slug}})
        await flow.on_created(app)
    raise web.HTTPSeeOther("/")


async def installed(request: web.Request) -> web.Response:
    return page.respond(page.installed(), request.app[FLOW].github_web)
