"""Fixtures for the webhook server: a signed-delivery poster and an app on a real SQLite file."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from server_helpers import SECRET, delivery_headers

from ghbot.context import Context
from ghbot.jobs.sqlite import SqliteQueue
from ghbot.registry import Registry, on
from ghbot.server import IngestRunner, ServerState, create_app


@on("pull_request", "opened", "synchronize")
async def pr_handler(ctx: Context) -> None:
    """Registered so pull_request deliveries are queued; the server tests never run it."""


@on("issue_comment", "created")
async def comment_handler(ctx: Context) -> None:
    """Registered so issue_comment.created is queued."""


@dataclass
class Posted:
    status: int
    body: dict[str, Any]
    delivery_id: str


@pytest.fixture
async def store(tmp_path: Path):
    queue = await SqliteQueue.open(tmp_path / "data" / "jobs.sqlite3")
    yield queue
    await queue.close()


@pytest.fixture
async def client(aiohttp_client: Callable[..., Any], store: SqliteQueue) -> TestClient:
    state = ServerState(
        secret=SecretStr(SECRET),
        queue=store,
        registry=Registry([pr_handler, comment_handler]),
        app_slug="hephaestus",
    )
    return await aiohttp_client(IngestTestServer(create_app(state)))


class IngestTestServer(TestServer):
    """Serves the app as `hephaestus serve` does: plain POST /webhook skips the router."""

    async def _make_runner(self, **kwargs: Any) -> web.AppRunner:
        return IngestRunner(self.app, **kwargs)


@pytest.fixture
def post(client: TestClient) -> Callable[..., Any]:
    async def post(
        event: str, payload: Any = None, *, body: bytes | None = None, **headers: str
    ) -> Posted:
        raw = body if body is not None else json.dumps(payload).encode()
        sent = delivery_headers(event, raw, **headers)
        resp = await client.post("/webhook", data=raw, headers=sent)
        try:
            answer = await resp.json()
        except Exception:
            answer = {"text": await resp.text()}
        return Posted(resp.status, answer, sent.get("X-GitHub-Delivery", ""))

    return post
