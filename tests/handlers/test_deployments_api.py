"""Deployment history that knows what GitHub knows: an App installed after deployments answers
`rollback` and `deployments` from GitHub's Deployments API, writes what it read into the history
once, reads a bounded number of pages, and says so plainly when the API fails."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sandbox.state import Deployment as SandboxDeployment
from sandbox.state import DeploymentStatus
from sandbox.webhooks import issue_comment_payload
from service_context import comment_context
from test_deployments import REPO, history_text, records_commits, setup_repo

from ghbot.engine.knowledge import deployments as dh
from ghbot.github.repo_config import RepoConfig
from ghbot.services import deployments, deployments_github

HTML = f"https://github.com/{REPO}"
DAY = 86_400.0


def seed(sandbox, sha: str, states: list[str], *, at: float, env: str = "production",
         description: str | None = None, ref: str = "main", log_url: str = "") -> SandboxDeployment:
    """A deployment GitHub holds from before the App was installed: no webhook ever came."""
    with sandbox.state.lock:
        st = sandbox.state
        dep = SandboxDeployment(
            id=st.next_id(), sha=sha, ref=ref, task="deploy", environment=env,
            description=description, creator="dora", payload={}, created_at=at,
        )  # fmt: skip
        for n, state in enumerate(states, start=1):
            dep.statuses.append(DeploymentStatus(
                id=st.next_id(), state=state, creator="dora", description="", environment=env,
                log_url=log_url, environment_url="", created_at=at + 60 * n,
            ))  # fmt: skip
        st.repo(REPO).deployments.append(dep)
        return dep


def three_releases(sandbox) -> tuple[str, str, str]:
    """Three commits deployed to production before the App came: good, good, failed."""
    setup_repo(sandbox)
    first = sandbox.ref(REPO, "main")
    second = sandbox.commit(REPO, "main", {"app.py": "VERSION = 2\n"}, message="release 2")
    third = sandbox.commit(REPO, "main", {"app.py": "VERSION = 3\n"}, message="release 3")
    start = sandbox.state.now() - 30 * DAY
    # GitHub marks a success inactive once a newer deployment succeeds: it stays a good one.
    seed(sandbox, first, ["in_progress", "success", "inactive"], at=start)
    seed(sandbox, second, ["success"], at=start + DAY)
    seed(sandbox, third, ["in_progress", "failure"], at=start + 2 * DAY)
    seed(sandbox, third, ["success"], at=start + 2 * DAY, env="staging")
    return first, second, third


async def ask(sandbox, bot, body: str, user: str = "mia") -> str:
    issue = sandbox.create_issue(REPO, "deployments")
    payload = issue_comment_payload(sandbox, REPO, issue.number, body, user)
    await bot.deliver("issue_comment", payload)
    await bot.settle()
    [reply] = [c.body for c in sandbox.issue_comments(REPO, issue.number) if "[bot]" in c.user]
    return reply


def api_lists(sandbox) -> int:
    return len(sandbox.calls("GET", f"/repos/{REPO}/deployments"))


async def test_an_app_installed_after_deployments_rolls_back_to_the_last_good_one(sandbox, bot):
    first, second, third = three_releases(sandbox)

    reply = await ask(sandbox, bot, "/hephaestus rollback production")

    [pull] = [i for i in sandbox.repo(REPO).issues.values() if i.is_pull]
    assert f"#{pull.number}" in reply and second[:7] in reply
    store = sandbox.repo(REPO).store
    rollback = store.commit(sandbox.ref(REPO, sandbox.pull(REPO, pull.number).head_ref))
    assert rollback.parents == (third,)
    assert store.flatten(rollback.tree) == store.flatten(store.commit(second).tree)
    assert dh.rollback_target(rollback.message) == second
    assert "History entry" in pull.body  # the row the backfill wrote

    # The history now holds what GitHub knew, production only, every commit linked alike.
    rows = dh.parse(history_text(sandbox)).entries
    assert [(r.sha, r.state) for r in rows] == [
        (third, "failure"), (second, "success"), (first, "success")
    ]
    text = history_text(sandbox)
    for sha in (first, second, third):
        assert f"[{sha[:7]}]({HTML}/commit/{sha})" in text
    assert not re.search(r"`[0-9a-f]{40}`", text)
    assert rows[0].actor == "dora" and rows[0].duration == timedelta(minutes=2)
    assert f"last good `{second[:7]}`" in rows[0].notes
    with pytest.raises(AssertionError):
        history_text(sandbox, "staging")  # only the environment asked about was read


async def test_the_first_answer_backfills_the_history_once(sandbox, bot):
    first, second, third = three_releases(sandbox)

    reply = await ask(sandbox, bot, "/hephaestus deployments production", "rita")
    assert "from GitHub's Deployments API, now recorded in the history" in reply
    assert f"[{third[:7]}]({HTML}/commit/{third})" in reply
    assert "❌ failure" in reply and reply.count("✅ success") == 2
    assert api_lists(sandbox) == 1 and records_commits(sandbox) == 1

    # Later answers come from the history: no second read of the API, no second write.
    again = await ask(sandbox, bot, "/hephaestus deployments production", "rita")
    assert "Deployments API" not in again and f"[{third[:7]}]({HTML}/commit/{third})" in again
    assert "No earlier" not in await ask(sandbox, bot, "/hephaestus rollback production")
    assert api_lists(sandbox) == 1 and records_commits(sandbox) == 1  # a rollback is a PR
    assert len(dh.parse(history_text(sandbox)).entries) == 3

    # Every environment at once: the history answers; an unknown one asks GitHub, finds none.
    everything = await ask(sandbox, bot, "/hephaestus deployments", "rita")
    assert "| production |" in everything
    assert f"[{second[:7]}]({HTML}/commit/{second})" in everything
    none = await ask(sandbox, bot, "/hephaestus deployments qa", "rita")
    assert "No deployments to `qa` are recorded yet, and GitHub's Deployments API lists none" \
        in none


async def test_every_environment_from_the_api_when_nothing_is_recorded(sandbox, bot):
    first, second, third = three_releases(sandbox)
    reply = await ask(sandbox, bot, "/hephaestus deployments", "rita")
    assert "| production |" in reply and "| staging |" in reply
    assert "from GitHub's Deployments API" in reply
    assert [r.sha for r in dh.parse(history_text(sandbox, "staging")).entries] == [third]


async def test_a_rate_limit_during_the_fallback_is_a_clear_reply(sandbox, bot):
    three_releases(sandbox)
    sandbox.inject("GET", f"/repos/{REPO}/deployments", rate_limit="primary", status=429,
                   reset_in=3600, times=None)  # fmt: skip
    reply = await ask(sandbox, bot, "/hephaestus rollback production")
    assert "No earlier successful deployment to `production` is recorded, and GitHub's API " \
           "rate limit is spent for about 61 min" in reply
    assert "Failed:" not in reply and "/hephaestus rollback production SHA" in reply
    assert not [i for i in sandbox.repo(REPO).issues.values() if i.is_pull]


# -- the service against the sandbox with a fast retry policy -----------------------------------


@pytest.fixture
async def ctx(sandbox):
    async with comment_context(sandbox, REPO) as context:
        yield context


@pytest.fixture
def repo(sandbox):
    sandbox.create_repo(REPO, files={"app.py": "VERSION = 1\n"})
    return sandbox.ref(REPO, "main")


async def test_the_backfill_reads_a_bounded_number_of_pages_newest_first(sandbox, ctx, repo):
    start = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
    seeded = [seed(sandbox, repo, ["success"], at=start + n * 600) for n in range(130)]

    fetched = await deployments_github.ask_github(ctx, RepoConfig(), "production",
                                                  default_branch="main", url=HTML)  # fmt: skip

    limit = deployments_github.BACKFILL_LIMIT
    assert [e.deployment_id for e in fetched.entries] == [d.id for d in reversed(seeded)][:limit]
    [listing] = sandbox.calls("GET", f"/repos/{REPO}/deployments")
    assert "per_page=100" in listing.query
    assert len(sandbox.calls("GET", f"/repos/{REPO}/deployments/*/statuses")) == limit
    rows = dh.parse(history_text(sandbox)).entries
    assert len(rows) == limit and rows[0].deployment_id == seeded[-1].id
    commits = records_commits(sandbox)

    again = await deployments_github.ask_github(ctx, RepoConfig(), "production",
                                                default_branch="main", url=HTML)  # fmt: skip
    assert again.entries == fetched.entries
    assert len(dh.parse(history_text(sandbox)).entries) == limit  # written once
    assert records_commits(sandbox) == commits  # nothing changed: no commit


@pytest.mark.parametrize("path", [f"/repos/{REPO}/deployments",
                                  f"/repos/{REPO}/deployments/*/statuses"])
async def test_a_server_error_during_the_fallback_is_a_clear_reply(sandbox, ctx, repo, path):
    seed(sandbox, repo, ["success"], at=sandbox.state.now() - DAY)
    sandbox.inject("GET", path, status=500, times=None)
    config = RepoConfig()
    answer = await deployments.describe_recent(ctx, config, "production")
    assert answer == ("No deployments to `production` are recorded yet, and GitHub's "
                      "Deployments API failed (HTTP 500); try again in a few minutes.")
    rollback = await deployments.roll_back(ctx, config, "production", None, "mia")
    assert "failed (HTTP 500); try again in a few minutes: there is nothing to roll back" \
        in rollback
    assert sandbox.ref(REPO, "hephaestus/records") is None  # nothing half-written


async def test_an_answer_stands_when_the_history_cannot_be_written(sandbox, ctx, repo):
    seed(sandbox, repo, ["success"], at=sandbox.state.now() - DAY)
    for method, path in (("POST", f"/repos/{REPO}/git/*"), ("PUT", f"/repos/{REPO}/contents/*")):
        sandbox.inject(method, path, status=500, times=None)
    answer = await deployments.describe_recent(ctx, RepoConfig(), "production")
    assert f"[{repo[:7]}]({HTML}/commit/{repo})" in answer and "✅ success" in answer
    assert "the history could not be written now, the next request tries again" in answer
