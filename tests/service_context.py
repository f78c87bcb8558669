"""A service's Context on the sandbox, as a comment command would get it, for tests that call
a service directly: a real client with a fast retry policy, so error paths end in a second."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from ghbot.context import Context
from ghbot.github.auth import StaticToken
from ghbot.github.client import GitHubClient, RetryPolicy
from ghbot.github.events import Event
from ghbot.logs import bind


@asynccontextmanager
async def comment_context(sandbox, repo: str) -> AsyncIterator[Context]:
    inst = sandbox.create_installation(repo.split("/")[0], [repo])
    policy = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.05, max_total_wait=1.0)
    async with aiohttp.ClientSession() as session:
        gh = GitHubClient(session, StaticToken(sandbox.token(inst)), api_url=sandbox.base_url,
                          policy=policy)  # fmt: skip
        payload = {"repository": {"full_name": repo, "default_branch": "main",
                                  "html_url": f"https://github.com/{repo}"},
                   "installation": {"id": inst.id}}  # fmt: skip
        yield Context(event=Event.from_payload("issue_comment", "d-1", payload), log=bind("t"),
                      client=gh)  # fmt: skip
