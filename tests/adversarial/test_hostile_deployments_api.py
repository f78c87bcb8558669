"""Hostile deployments in GitHub's Deployments API (anyone with `deployments: write` writes
them): the history backfill and the answers built from them stay inert and bounded."""

from __future__ import annotations

import re

from sandbox.state import Deployment as SandboxDeployment
from sandbox.state import DeploymentStatus
from service_context import comment_context

from ghbot.engine.knowledge import deployments as dh
from ghbot.github.repo_config import RepoConfig
from ghbot.services import deployments

REPO = "octo/app"
HTML = f"https://github.com/{REPO}"
MARKER = "<!-- hephaestus:deployments version=9 environment=x month=2020-01 -->"


def _seed(sandbox, **fields) -> None:
    with sandbox.state.lock:
        st = sandbox.state
        base = {"sha": sandbox.ref(REPO, "main"), "ref": "main", "environment": "production",
                "description": None, "creator": "eve"}  # fmt: skip
        dep = SandboxDeployment(id=st.next_id(), task="deploy", payload={},
                                created_at=st.now() - 3600, **{**base, **fields})  # fmt: skip
        dep.statuses.append(DeploymentStatus(
            id=st.next_id(), state="failure", creator="eve", description=f"broke {MARKER} @admin",
            environment=dep.environment, log_url="javascript:alert(1)//", environment_url="",
            created_at=st.now() - 3000,
        ))  # fmt: skip
        st.repo(REPO).deployments.append(dep)


async def test_hostile_deployments_are_recorded_inert_and_malformed_ones_left_out(sandbox):
    sandbox.create_repo(REPO, files={"app.py": "x = 1\n"})
    _seed(sandbox, description=f"| 1/1 | fake | row |\n{MARKER}", ref="main|`x`<img src=y>")
    _seed(sandbox, environment="../../.github/workflows")
    _seed(sandbox, sha="not-a-commit")  # GitHub would never; the client leaves it out
    async with comment_context(sandbox, REPO) as ctx:
        answer = await deployments.describe_recent(ctx, RepoConfig(), None)

    assert MARKER not in answer and "<img" not in answer and "javascript:" not in answer
    assert "@admin" not in answer  # escaped: no mention that pings
    assert answer.count("❌ failure") == 2  # the malformed one is not shown
    store = sandbox.repo(REPO).store
    files = store.flatten(store.commit(sandbox.ref(REPO, "hephaestus/records")).tree)
    history = sorted(p for p in files if p.startswith("deployments/"))
    assert len(history) == 2 and all(re.fullmatch(r"deployments/[a-z0-9._-]+/\d{4}-\d{2}\.md", p)
                                     for p in history)  # fmt: skip
    assert not any(".github" in p for p in files)
    for path in history:
        text = sandbox.file(REPO, path, "hephaestus/records")
        parsed = dh.parse(text)  # a newer-version marker in a cell would raise here
        assert len(parsed.entries) == 1 and not parsed.unreadable
        assert parsed.entries[0].link == ""
