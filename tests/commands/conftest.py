"""A GitHub client on the sandbox with fast retries, and a Context for calling handlers directly
(for faults whose real retry schedule would take the bot fixture seconds)."""

from __future__ import annotations

import aiohttp
import pytest

from ghbot import logs
from ghbot.context import Context
from ghbot.github.auth import StaticToken
from ghbot.github.client import GitHubClient, RetryPolicy
from ghbot.github.events import Event

FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02, max_total_wait=1.0)
BOT = "hephaestus[bot]"


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture
def repo(sandbox):
    sandbox.create_repo("octo/app", files={"README.md": "# app\n", "ok.py": "x = 1\n"})
    return sandbox.create_installation("octo", ["octo/app"])


@pytest.fixture
def gh(sandbox, session, repo):
    return GitHubClient(session, StaticToken(sandbox.token(repo)), api_url=sandbox.base_url,
                        policy=FAST)  # fmt: skip


@pytest.fixture
def context(gh):
    def make(name: str, payload: dict) -> Context:
        event = Event.from_payload(name, "delivery-1", payload)
        return Context(event=event, log=logs.bind("test"), client=gh, bot_login=BOT)

    return make
