"""Deployment history and rollback end to end: deliveries to the real server, jobs, the records
writer and the sandbox GitHub."""

from __future__ import annotations

import asyncio

import pytest
from sandbox.state import Deployment as SandboxDeployment
from sandbox.state import DeploymentStatus
from sandbox.webhooks import _common, deployment_status_payload, example, issue_comment_payload

from ghbot.engine.knowledge import deployments as dh
from ghbot.settings import parse

REPO = "octo/app"
BRANCH = "hephaestus/records"
WORKFLOW = ".github/workflows/deploy.yml"


@pytest.fixture
def wide(request, monkeypatch):
    """16 workers instead of the harness's 2, so a burst of deliveries runs concurrently (as
    it does in a busy server) and the records writer has concurrent writes to coalesce."""
    harness = next(
        plugin
        for plugin in request.config.pluginmanager.get_plugins()
        if str(getattr(plugin, "__file__", "")).endswith("handlers/conftest.py")
    )

    def parse_wide(argv, *rest):
        return parse([*argv, "--workers", "16"], *rest)

    monkeypatch.setattr(harness, "parse", parse_wide)


@pytest.fixture
def wide_bot(wide, bot):
    return bot


def setup_repo(sandbox):
    sandbox.create_repo(REPO, files={"app.py": "VERSION = 1\n", WORKFLOW: "on: push\n"})
    sandbox.create_installation("octo", [REPO])
    sandbox.set_permission(REPO, "mia", "maintain")
    sandbox.set_permission(REPO, "rita", "read")


def deploy(sandbox, sha: str, state: str | None, env: str = "production", creator="alice"):
    """A deployment of `sha` (and a status, unless `state` is None) in the sandbox state."""
    with sandbox.state.lock:
        st = sandbox.state
        repo = st.repo(REPO)
        dep = SandboxDeployment(
            id=st.next_id(), sha=sha, ref="main", task="deploy", environment=env,
            description=None, creator=creator, payload={}, created_at=st.now(),
        )  # fmt: skip
        repo.deployments.append(dep)
        if state is not None:
            dep.statuses.append(
                DeploymentStatus(
                    id=st.next_id(),
                    state=state,
                    creator=creator,
                    description="",
                    environment=env,
                    log_url=f"https://ci.example/{dep.id}",
                    environment_url="",
                    created_at=st.now() + 65,
                )  # fmt: skip
            )
        return dep


def status_payload(sandbox, dep) -> dict:
    return deployment_status_payload(sandbox, REPO, dep)


def history_text(sandbox, env="production") -> str:
    repo = sandbox.repo(REPO)
    for path in sorted(repo.store.flatten(repo.store.commit(sandbox.ref(REPO, BRANCH)).tree)):
        if path.startswith(f"deployments/{env}/"):
            return sandbox.file(REPO, path, BRANCH)
    raise AssertionError("no history file")


def records_commits(sandbox) -> int:
    store, sha, count = sandbox.repo(REPO).store, sandbox.ref(REPO, BRANCH), 0
    while sha:
        count += 1
        parents = store.commit(sha).parents
        sha = parents[0] if parents else None
    return count - 1  # the branch's root holds only its README


async def test_fifty_concurrent_statuses_give_fifty_entries_once(sandbox, wide_bot):
    bot = wide_bot
    setup_repo(sandbox)
    main = sandbox.ref(REPO, "main")
    deps = [deploy(sandbox, main, "success" if n % 5 else "failure") for n in range(50)]
    payloads = [status_payload(sandbox, d) for d in deps]
    results = await asyncio.gather(*(bot.deliver("deployment_status", p) for p in payloads))
    assert all(status == 202 for status, _ in results)
    await bot.settle(timeout=60)

    entries = dh.parse(history_text(sandbox)).entries
    assert sorted(e.deployment_id for e in entries) == sorted(d.id for d in deps)
    assert [e.deployment_id for e in entries] == [d.id for d in reversed(deps)]  # newest first
    commits = records_commits(sandbox)
    assert commits <= 20  # coalesced: concurrent jobs share commits (8 measured)
    failed = next(e for e in entries if e.state == "failure")
    assert "/hephaestus rollback production" in failed.notes
    assert failed.duration is not None and failed.duration.total_seconds() == 65
    assert sandbox.ref(REPO, "main") == main  # records never touch the default branch

    # Redelivery (new delivery ids, as a "redeliver" click makes) adds nothing.
    again = await asyncio.gather(*(bot.deliver("deployment_status", p) for p in payloads[:10]))
    assert all(status == 202 for status, _ in again)
    await bot.settle(timeout=60)
    assert len(dh.parse(history_text(sandbox)).entries) == 50
    assert records_commits(sandbox) == commits


async def test_a_later_status_updates_the_row_and_the_command_answers(sandbox, bot):
    setup_repo(sandbox)
    main = sandbox.ref(REPO, "main")
    dep = deploy(sandbox, main, "in_progress")
    await bot.deliver("deployment_status", status_payload(sandbox, dep))
    await bot.settle()
    with sandbox.state.lock:
        dep.statuses.append(
            DeploymentStatus(
                id=sandbox.state.next_id(),
                state="success",
                creator="alice",
                description="",
                environment="production",
                log_url="",
                environment_url="",
                created_at=dep.created_at + 30,
            )  # fmt: skip
        )
    await bot.deliver("deployment_status", status_payload(sandbox, dep))
    await bot.settle()
    (row,) = dh.parse(history_text(sandbox)).entries
    assert row.state == "success" and row.duration.total_seconds() == 30

    issue = sandbox.create_issue(REPO, "what is deployed?")
    await bot.deliver(
        "issue_comment",
        issue_comment_payload(sandbox, REPO, issue.number, "/hephaestus deployments", "rita"),
    )
    await bot.deliver(
        "issue_comment",
        issue_comment_payload(
            sandbox, REPO, issue.number, "/hephaestus deployments staging", "rita"
        ),
    )
    await bot.settle()
    replies = [c.body for c in sandbox.issue_comments(REPO, issue.number) if "[bot]" in c.user]
    assert any("| production |" in r and "success" in r and main[:7] in r for r in replies)
    assert any("No deployments to `staging`" in r for r in replies)


async def test_rollback_pr_restores_the_good_tree_and_keeps_workflows(sandbox, bot):
    setup_repo(sandbox)
    good = sandbox.ref(REPO, "main")
    bad = sandbox.commit(
        REPO, "main", {"app.py": "VERSION = 2\n", "new.py": "x = 1\n", WORKFLOW: "on: [push]\n"},
        message="release 2",
    )  # fmt: skip
    for sha, state in ((good, "success"), (bad, "failure")):
        await bot.deliver("deployment_status", status_payload(sandbox, deploy(sandbox, sha, state)))
        await bot.settle()
    issue = sandbox.create_issue(REPO, "production is down")
    for user in ("rita", "mia"):  # read permission is refused; maintain is enough
        body = "/hephaestus rollback production"
        await bot.deliver("issue_comment", issue_comment_payload(sandbox, REPO, issue.number, body,
                                                                 user))  # fmt: skip
        await bot.settle()

    pulls = [i for i in sandbox.repo(REPO).issues.values() if i.is_pull]
    assert len(pulls) == 1, "only the maintainer's request opens a PR"
    pull = sandbox.pull(REPO, pulls[0].number)
    assert pull.head_ref.startswith("hephaestus/rollback-production-")
    store = sandbox.repo(REPO).store
    head = sandbox.ref(REPO, pull.head_ref)
    rollback = store.commit(head)
    assert rollback.parents == (bad,)  # one commit on top of the current head
    restored = store.flatten(rollback.tree)
    expected = store.flatten(store.commit(good).tree)
    assert {p: e.sha for p, e in restored.items() if p != WORKFLOW} == {
        p: e.sha for p, e in expected.items() if p != WORKFLOW
    }
    assert sandbox.file(REPO, WORKFLOW, head) == "on: [push]\n"  # the App may not write them
    assert dh.rollback_target(rollback.message) == good
    text = pulls[0].body
    assert "release 2" in text and ".github/workflows" in text and "History entry" in text
    replies = [c.body for c in sandbox.issue_comments(REPO, issue.number) if "[bot]" in c.user]
    assert any(f"#{pulls[0].number}" in r for r in replies)

    # Merged and deployed, the rollback is recorded as one.
    await bot.deliver(
        "deployment_status", status_payload(sandbox, deploy(sandbox, head, "success"))
    )
    await bot.settle()
    newest = dh.parse(history_text(sandbox)).entries[0]
    assert newest.sha == head and newest.notes.startswith(f"rollback to `{good[:12]}`")


# -- a failed deployment: triage its Actions run, else a rollback note on its commit -------------


def _notes(sandbox, sha):
    return [c for c in sandbox.commit_comments(REPO, sha)
            if c.user == sandbox.app.bot_login and "hephaestus:deployment-failed" in c.body]


async def test_a_failed_deployment_gets_one_rollback_note_on_its_commit(sandbox, bot):
    setup_repo(sandbox)
    good = sandbox.ref(REPO, "main")
    bad = sandbox.commit(REPO, "main", {"app.py": "VERSION = 2\n"}, message="release 2")
    deployed = status_payload(sandbox, deploy(sandbox, good, "success"))
    await bot.deliver("deployment_status", deployed)
    await bot.settle()
    failed = status_payload(sandbox, deploy(sandbox, bad, "failure"))
    await bot.deliver("deployment_status", failed)
    await bot.settle()

    [note] = _notes(sandbox, bad)
    assert f"/hephaestus rollback production {good[:12]}" in note.body
    assert "Deployment to `production` failure" in note.body
    assert _notes(sandbox, good) == []

    await bot.deliver("deployment_status", failed)  # redelivered
    again = status_payload(sandbox, deploy(sandbox, bad, "error"))  # the same commit fails again
    await bot.deliver("deployment_status", again)
    await bot.settle()
    [note] = _notes(sandbox, bad)
    assert f"/hephaestus rollback production {good[:12]}" in note.body
    assert len(sandbox.calls("POST", f"/repos/{REPO}/commits/{bad}/comments")) == 1


async def test_a_first_deployment_failing_says_there_is_nothing_recorded_to_return_to(sandbox, bot):
    setup_repo(sandbox)
    main = sandbox.ref(REPO, "main")
    await bot.deliver("deployment_status", status_payload(sandbox, deploy(sandbox, main, "error")))
    await bot.settle()
    [note] = _notes(sandbox, main)
    assert "No earlier successful deployment to `production` is recorded" in note.body
    assert "/hephaestus rollback production SHA" in note.body


async def test_a_failed_deployment_run_by_actions_is_triaged_instead(sandbox, bot):
    setup_repo(sandbox)
    main = sandbox.ref(REPO, "main")
    log = "Run ./deploy.sh\nError: connect ECONNREFUSED 10.0.0.5:5432\n" \
          "##[error]Process completed with exit code 1.\n"
    run = sandbox.add_workflow_run(REPO, main, "failure", head_branch="main", event="push",
                                   jobs=[("deploy", log, "failure")])  # fmt: skip
    dep = deploy(sandbox, main, "failure")
    with sandbox.state.lock:
        dep.statuses[-1].log_url = f"https://github.com/{REPO}/actions/runs/{run.id}/job/7"
    payload = status_payload(sandbox, dep)
    await bot.deliver("deployment_status", payload)
    await bot.deliver("deployment_status", payload)  # redelivered: the same one report
    await bot.settle()

    reports = [c for c in sandbox.commit_comments(REPO, main) if "hephaestus:ci-failure" in c.body]
    assert len(reports) == 1
    assert f"/actions/runs/{run.id}" in reports[0].body and "ECONNREFUSED" in reports[0].body
    assert _notes(sandbox, main) == []  # the report replaces the note
    (row,) = dh.parse(history_text(sandbox)).entries
    assert row.state == "failure"  # and the history row is written all the same


def test_actions_run_id_accepts_only_this_repositorys_runs():
    from ghbot.services.deployments import actions_run_id

    assert actions_run_id("https://github.com/octo/app/actions/runs/42/job/7", "octo", "App") == 42
    assert actions_run_id("https://github.com/octo/other/actions/runs/42", "octo", "app") is None
    assert actions_run_id("https://ci.example/42", "octo", "app") is None
    hostile = "https://github.com/octo/app/actions/runs/x" * 1000
    assert actions_run_id(hostile, "octo", "app") is None


async def test_a_published_release_is_a_row_of_the_release_environment(sandbox, bot):
    setup_repo(sandbox)
    config = "knowledge: {release_environment: production}\n"
    main = sandbox.commit(REPO, "main", {".github/hephaestus.yml": config}, message="config")
    with sandbox.state.lock:
        sandbox.state.repo(REPO).refs["refs/tags/v1.0"] = main
    payload = example("release", "published")
    payload.update(_common(sandbox, REPO, "alice"))
    payload["release"] = {
        **payload["release"], "id": 4242, "tag_name": "v1.0", "name": "One point oh",
        "published_at": "2026-12-01T10:00:00Z", "author": {"login": "alice", "type": "User"},
        "html_url": f"https://github.com/{REPO}/releases/tag/v1.0",
    }  # fmt: skip
    status, _ = await bot.deliver("release", payload)
    assert status == 202
    await bot.settle()
    [entry] = dh.parse(history_text(sandbox)).entries
    assert (entry.deployment_id, entry.sha, entry.ref) == (4242, main, "v1.0")
    assert entry.state == "released"
    assert entry.actor == "alice" and entry.link.endswith("/releases/tag/v1.0")
