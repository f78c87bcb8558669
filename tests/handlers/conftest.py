"""The bot as deployed: the real webhook app, SQLite store, workers and App client, aimed at the
sandbox GitHub."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sandbox import Sandbox
from sandbox.webhooks import delivery

from ghbot.cli.serve import start_workers
from ghbot.github import records
from ghbot.jobs.sqlite import SqliteQueue
from ghbot.registry import default_registry
from ghbot.server import ServerState, create_app
from ghbot.services import dashboard
from ghbot.settings import Settings, parse


@dataclass
class Bot:
    client: TestClient
    queue: SqliteQueue
    settings: Settings
    secret: str

    async def deliver(self, event: str, payload: dict[str, Any], delivery_id: str | None = None):
        d = delivery(event, payload, self.secret, delivery_id)
        resp = await self.client.post("/webhook", data=d.body, headers=d.headers)
        return resp.status, d.headers["X-GitHub-Delivery"]

    async def settle(self, timeout: float = 60.0) -> None:
        """Wait until every queued job has finished (done or dead)."""
        deadline = time.monotonic() + timeout
        while True:
            stats = await self.queue.stats()
            if not stats.pending and not stats.running:
                return
            assert time.monotonic() < deadline, "jobs did not finish"
            await asyncio.sleep(0.02)


def app_env(sandbox: Sandbox) -> dict[str, str]:
    """The settings that make a bot the sandbox's App, aimed at the sandbox."""
    app = sandbox.app
    return {
        "HEPHAESTUS_APP_ID": str(app.id),
        "HEPHAESTUS_PRIVATE_KEY": app.private_key_pem,
        "HEPHAESTUS_WEBHOOK_SECRET": app.webhook_secret,
        "HEPHAESTUS_GITHUB_API_URL": sandbox.base_url,
        "HEPHAESTUS_APP_SLUG": app.slug,
    }


@pytest.fixture
async def bot(
    sandbox: Sandbox,
    tmp_path: Path,
    aiohttp_client: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Bot]:
    # Bursts here are a few deliveries at once: waiting seconds for more would only slow tests
    # (tests/adversarial/test_hostile_burst.py measures the real waits).
    monkeypatch.setattr(dashboard, "QUIET", 0.05)
    monkeypatch.setattr(records, "LINGER", 0.02)
    app = sandbox.app
    env = {**app_env(sandbox), "HEPHAESTUS_DATA_DIR": str(tmp_path / "data")}
    settings = parse(["--workers", "2", "--retry-base", "0.05"], env, "test", "")
    registry = default_registry()
    async with AsyncExitStack() as stack:
        queue, pool = await start_workers(settings, registry, stack)
        assert settings.webhook_secret is not None
        state = ServerState(
            secret=settings.webhook_secret,
            queue=queue,
            registry=registry,
            app_slug=settings.app_slug,
            pool=pool,
        )
        client = await aiohttp_client(create_app(state))
        yield Bot(client, queue, settings, app.webhook_secret)
