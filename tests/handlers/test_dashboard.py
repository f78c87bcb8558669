"""The dashboard issue against the sandbox: one issue across concurrent and replayed events,
no edit when nothing changed, and ticked boxes run only with the command's permission."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sandbox.webhooks import issues_payload, workflow_run_payload
from test_deployments import deploy, status_payload  # the deployments helper's sandbox builders

from ghbot.engine import markers
from ghbot.engine.knowledge import catalog as cat
from ghbot.engine.knowledge import dashboard as dash
from ghbot.engine.knowledge.runbooks import parse_runbook

REPO = "octo/app"
FP = "1-0123456789abcdef"


def _repo_with_open_failure(sandbox, config: str = "") -> tuple[str, int]:
    files = {"README.md": "# app\n", **({".github/hephaestus.yml": config} if config else {})}
    sandbox.create_repo(REPO, files=files)
    sandbox.create_installation("octo", [REPO])
    head = sandbox.ref(REPO, "heads/main")
    run = sandbox.add_workflow_run(REPO, head, "failure", jobs=[("test", "boom\n", "failure")],
                                   head_branch="main", event="push")
    sighting = cat.Sighting(
        fingerprint=FP, title="test_login fails", category="test",
        at=datetime(2024, 5, 1, tzinfo=UTC), branch="main",
        run=cat.RunRef(head, run.workflow_id, run.id, 1),
        run_url=f"https://github.com/{REPO}/actions/runs/{run.id}", on_default=True,
    )  # fmt: skip
    text = cat.render(cat.record(cat.Catalog(), [sighting]).catalog)
    sandbox.commit(REPO, "hephaestus/records", {cat.CATALOG_PATH: text})
    return head, run.id


def _dashboards(sandbox):
    with sandbox.state.lock:
        issues = list(sandbox.state.repo(REPO).issues.values())
    return [i for i in issues if "hephaestus:dashboard " in (i.body or "")]


def _edits(sandbox, number):
    return sandbox.calls("PATCH", f"/repos/{REPO}/issues/{number}")


async def test_one_dashboard_across_concurrent_and_replayed_events(sandbox, bot):
    head, run_id = _repo_with_open_failure(sandbox)
    payloads = [status_payload(sandbox, deploy(sandbox, head, "success")) for _ in range(3)]
    await asyncio.gather(*(bot.deliver("deployment_status", p) for p in payloads))
    await bot.settle()
    [issue] = _dashboards(sandbox)
    assert issue.user == sandbox.app.bot_login and issue.state == "open"
    assert f"re-run failed jobs of [run {run_id}]" in issue.body
    assert "| production |" in issue.body  # the recorded deployments
    edits = len(_edits(sandbox, issue.number))

    await bot.deliver("deployment_status", payloads[0])  # replayed: nothing new to show
    await bot.settle()
    assert len(_dashboards(sandbox)) == 1
    assert len(_edits(sandbox, issue.number)) == edits


async def test_a_second_dashboard_made_by_a_racing_worker_is_retired(sandbox, bot):
    head, _ = _repo_with_open_failure(sandbox)
    with markers.sealing(markers.derive_key(sandbox.app.private_key_pem, REPO)):  # as the bot
        today = datetime.now(UTC).date()
        body = dash.render(dash.DashboardData(REPO, "main", cat.Catalog(), today))
    with sandbox.state.lock:
        st = sandbox.state
        for _ in range(2):  # two workers both created one before either listed
            st.create_issue(st.repo(REPO), dash.TITLE, body, sandbox.app.bot_login)
    deployed = status_payload(sandbox, deploy(sandbox, head, "success"))
    await bot.deliver("deployment_status", deployed)
    await bot.settle()
    [issue] = _dashboards(sandbox)
    assert issue.state == "open" and "| production |" in issue.body
    retired = [i for i in sandbox.state.repo(REPO).issues.values() if i.number != issue.number]
    assert all(i.state == "closed" and f"#{issue.number}" in i.body for i in retired)


async def _tick(bot, sandbox, issue, user):
    before = issue.body
    with sandbox.state.lock:
        issue.body = before.replace("- [ ] re-run failed jobs", "- [x] re-run failed jobs")
    payload = issues_payload(sandbox, REPO, issue.number, action="edited", sender=user)
    payload["changes"] = {"body": {"from": before}}
    await bot.deliver("issues", payload)
    await bot.settle()
    return payload


async def test_a_ticked_box_runs_with_permission_and_explains_without(sandbox, bot):
    head, run_id = _repo_with_open_failure(sandbox)
    sandbox.set_permission(REPO, "rita", "read")
    sandbox.set_permission(REPO, "wanda", "write")
    deployed = status_payload(sandbox, deploy(sandbox, head, "success"))
    await bot.deliver("deployment_status", deployed)
    await bot.settle()
    [issue] = _dashboards(sandbox)
    reruns = f"/repos/{REPO}/actions/runs/{run_id}/rerun-failed-jobs"

    await _tick(bot, sandbox, issue, "rita")
    assert sandbox.calls("POST", reruns) == []
    assert "- [x]" not in issue.body  # re-rendered unticked
    assert "@rita ticked “re-run failed jobs of run" in issue.body
    assert "not done: this needs `write` permission" in issue.body

    payload = await _tick(bot, sandbox, issue, "wanda")
    assert len(sandbox.calls("POST", reruns)) == 1
    assert "@wanda ticked" in issue.body and "the failed jobs are queued again" in issue.body
    assert "- [x]" not in issue.body

    await bot.deliver("issues", payload)  # a replay of the edit finds the box unticked
    await bot.settle()
    assert len(sandbox.calls("POST", reruns)) == 1


async def test_a_ticked_box_needs_write_access_even_where_the_config_lowers_the_command(
    sandbox, bot
):
    """Issue 13 item 3: a box re-runs jobs (or pushes a runbook branch), which on GitHub takes
    write access: nobody gets it done by the bot who could not do it themselves."""
    config = "commands: {permissions: {retest: read, runbook-create: read}}\n"
    head, run_id = _repo_with_open_failure(sandbox, config)
    sandbox.set_permission(REPO, "rita", "read")
    deployed = status_payload(sandbox, deploy(sandbox, head, "success"))
    await bot.deliver("deployment_status", deployed)
    await bot.settle()
    [issue] = _dashboards(sandbox)

    await _tick(bot, sandbox, issue, "rita")

    assert sandbox.calls("POST", f"/repos/{REPO}/actions/runs/{run_id}/rerun-failed-jobs") == []
    assert "not done: this needs `write` permission" in issue.body


# -- "create a runbook for FINGERPRINT" ----------------------------------------------------------

PYTEST_LOG = (Path(__file__).resolve().parents[1] / "triage" / "fixtures" / "real"
              / "pytest-assert.log").read_text()  # fmt: skip


async def _two_reported_failures(sandbox, bot) -> cat.Entry:
    """A repository whose pytest job failed twice on main, each run reported by the bot."""
    sandbox.create_repo(REPO, files={"README.md": "# app\n"})
    sandbox.create_installation("octo", [REPO])
    head = sandbox.ref(REPO, "heads/main")
    for _ in range(2):
        run = sandbox.add_workflow_run(
            REPO, head, "failure", head_branch="main", event="push",
            jobs=[("test", PYTEST_LOG, "failure", [("Set up job", "success"),
                                                    ("Run pytest", "failure")])],
        )  # fmt: skip
        await bot.deliver("workflow_run", workflow_run_payload(sandbox, REPO, run.id))
        await bot.settle()
    [entry] = cat.parse(sandbox.file(REPO, cat.CATALOG_PATH, "hephaestus/records")).entries
    assert entry.count == 2
    return entry


async def _tick_runbook(bot, sandbox, issue, user, fingerprint):
    before = issue.body
    box = f"- [ ] create a runbook for `{fingerprint}`"
    assert box in before
    with sandbox.state.lock:
        issue.body = before.replace(box, box.replace("[ ]", "[x]"))
    payload = issues_payload(sandbox, REPO, issue.number, action="edited", sender=user)
    payload["changes"] = {"body": {"from": before}}
    await bot.deliver("issues", payload)
    await bot.settle()
    return payload


def _runbook_pulls(sandbox):
    with sandbox.state.lock:
        pulls = list(sandbox.state.repo(REPO).pulls.values())
    return [p for p in pulls if p.head_ref.startswith("hephaestus/runbook-")]


async def test_the_runbook_box_opens_one_pr_drafted_from_the_catalog(sandbox, bot):
    entry = await _two_reported_failures(sandbox, bot)
    sandbox.set_permission(REPO, "rita", "read")
    sandbox.set_permission(REPO, "wanda", "write")
    main = sandbox.ref(REPO, "heads/main")
    [issue] = _dashboards(sandbox)

    await _tick_runbook(bot, sandbox, issue, "rita", entry.fingerprint)
    assert _runbook_pulls(sandbox) == []
    assert "@rita ticked “create a runbook for" in issue.body
    assert "not done: this needs `write` permission" in issue.body

    payload = await _tick_runbook(bot, sandbox, issue, "wanda", entry.fingerprint)
    [pull] = _runbook_pulls(sandbox)
    path = f"docs/runbooks/{pull.head_ref.removeprefix('hephaestus/runbook-')}.md"
    assert f"done: #{pull.number} proposes `{path}`" in issue.body
    assert sandbox.ref(REPO, "heads/main") == main  # proposed, never written to main
    rb = parse_runbook(sandbox.file(REPO, path, pull.head_ref), path)
    assert rb.title == entry.title
    assert rb.signatures == (entry.fingerprint,)
    assert entry.category in rb.tags
    assert rb.source == entry.example_run
    summary = rb.section("Problem summary").body
    assert entry.example_run in summary
    assert "assert 4 == 3" in summary  # the excerpt, read back from the bot's report
    report = next(c.body for c in sandbox.commit_comments(REPO, main) if "ci-failure" in c.body)
    assert ("rule `" in report) == bool(rb.rules)  # the rule, when the report named one
    assert "To complete in review" not in rb.section("Root cause").body  # the report's "why"
    assert "wanda" in sandbox.issue(REPO, pull.number).body

    await bot.deliver("issues", payload)  # the same edit replayed: the box is unticked now
    await bot.settle()
    assert len(_runbook_pulls(sandbox)) == 1
    await _tick_runbook(bot, sandbox, issue, "wanda", entry.fingerprint)  # ticked once more
    assert len(_runbook_pulls(sandbox)) == 1
    assert f"#{pull.number} already proposes `{path}`" in issue.body
