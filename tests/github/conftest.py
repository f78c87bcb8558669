"""Shared pieces for the GitHub-side tests: an RSA key, and a scriptable GitHub stand-in.

`FakeGitHub` is a tiny aiohttp app on 127.0.0.1 whose routes the test writes; it records every
request so tests assert on what the client really sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ghbot.github.auth import StaticToken
from ghbot.github.client import ApiCall, GitHubClient, RetryPolicy

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Seen:
    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes


@dataclass
class FakeGitHub:
    app: web.Application
    seen: list[Seen] = field(default_factory=list)
    base_url: str = ""

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.app.router.add_route(method, path, handler)


@pytest.fixture(scope="session")
def rsa_key() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.fixture
async def fake_github():
    """Call with a setup function that adds routes; returns the started FakeGitHub."""
    runners: list[web.AppRunner] = []

    async def start(setup: Callable[[FakeGitHub], None]) -> FakeGitHub:
        app = web.Application()
        fake = FakeGitHub(app)

        @web.middleware
        async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
            fake.seen.append(
                Seen(
                    request.method,
                    request.path,
                    request.query_string,
                    request.headers.copy(),
                    await request.read(),
                )
            )
            return await handler(request)

        app.middlewares.append(record)
        setup(fake)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        fake.base_url = f"http://127.0.0.1:{port}"
        runners.append(runner)
        return fake

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as s:
        yield s


FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, max_total_wait=2.0)


def _make_client(
    session: aiohttp.ClientSession,
    base_url: str,
    *,
    policy: RetryPolicy = FAST,
    calls: list[ApiCall] | None = None,
    token: str = "tok-123",
) -> GitHubClient:
    return GitHubClient(
        session,
        StaticToken(token),
        api_url=base_url,
        policy=policy,
        on_response=calls.append if calls is not None else None,
    )


@pytest.fixture
def make_client():
    """Build a client on a static token with a fast retry policy."""
    return _make_client
