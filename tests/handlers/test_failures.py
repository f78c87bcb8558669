"""Failed CI runs delivered to the real server end in ONE sticky report on the sandbox GitHub."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from real_runs import REAL
from sandbox.webhooks import check_suite_payload, workflow_run_payload

from ghbot.context import Context
from ghbot.engine.markers import parse
from ghbot.github.auth import StaticToken
from ghbot.github.client import GitHubClient, RetryPolicy
from ghbot.github.events import Event
from ghbot.logs import bind
from ghbot.services.failures import retest, triage_latest

PYTEST_LOG = (REAL / "pytest-assert.log").read_text()
TRACEBACK_LOG = (REAL / "python-traceback.log").read_text()
STEPS = [("Set up job", "success"), ("Run pytest", "failure"), ("Post job cleanup", None)]
REPO = "octo/app"


def _pull(sandbox, branch="feature"):
    sandbox.create_repo(REPO, files={"README.md": "# app\n", "app.py": "x = 1\n"})
    sandbox.create_installation("octo", [REPO])
    head = sandbox.commit(REPO, branch, {"app.py": "x = 2\n"})
    return sandbox.create_pull(REPO, head=branch).number, head


def _bot_comments(sandbox, number):
    return [c for c in sandbox.issue_comments(REPO, number) if c.user == sandbox.app.bot_login]


def _failed_run(sandbox, sha, log=PYTEST_LOG, branch="feature", conclusion="failure", **kw):
    return sandbox.add_workflow_run(
        REPO, sha, conclusion, jobs=[("test", log, conclusion, STEPS), ("lint", "ok\n", "success")],
        head_branch=branch, **kw,
    )


async def _deliver_run(bot, sandbox, run, delivery_id=None):
    status, _ = await bot.deliver(
        "workflow_run", workflow_run_payload(sandbox, REPO, run.id), delivery_id
    )
    assert status in (200, 202)


async def test_failed_run_gives_one_sticky_report_after_three_deliveries(sandbox, bot):
    number, head = _pull(sandbox)
    run = _failed_run(sandbox, head)
    payload = workflow_run_payload(sandbox, REPO, run.id)
    _, delivery_id = await bot.deliver("workflow_run", payload)
    assert (await bot.deliver("workflow_run", payload, delivery_id))[0] == 200  # redelivery
    await bot.deliver("workflow_run", payload)  # same event, new delivery id
    await bot.settle()

    [comment] = _bot_comments(sandbox, number)
    marker = parse(comment.body, "ci-failure")
    assert marker is not None and marker.get("state") == "failing"
    body = comment.body
    assert "test_add" in body and "AssertionError" in body
    assert "category `test`" in body
    assert "**Run pytest**" in body  # the failing step from the job's steps
    assert f"/actions/runs/{run.id}/job/" in body  # a link to the failing job
    assert "```" in body and "**Suggested fix:**" in body and "**Why:**" in body
    assert "lint" not in body.split("| Job |")[1].split("####")[0]  # passing jobs not listed


async def test_rerun_updates_the_report_and_a_passing_run_marks_it_fixed(sandbox, bot):
    number, head = _pull(sandbox)
    await _deliver_run(bot, sandbox, _failed_run(sandbox, head))
    await bot.settle()
    [first] = _bot_comments(sandbox, number)

    second_head = sandbox.commit(REPO, "feature", {"app.py": "x = 3\n"})
    second = _failed_run(sandbox, second_head, TRACEBACK_LOG)
    await _deliver_run(bot, sandbox, second)
    await bot.settle()
    [updated] = _bot_comments(sandbox, number)
    assert updated.id == first.id
    assert "KeyError" in updated.body and "test_add" not in updated.body

    fixed_head = sandbox.commit(REPO, "feature", {"app.py": "x = 4\n"})
    passing = sandbox.add_workflow_run(
        REPO, fixed_head, "success", jobs=[("test", "ok\n", "success")], head_branch="feature"
    )
    await _deliver_run(bot, sandbox, passing)
    await bot.settle()
    [fixed] = _bot_comments(sandbox, number)
    assert fixed.id == first.id
    assert f"Fixed in `{fixed_head[:7]}`" in fixed.body
    assert parse(fixed.body, "ci-failure").get("state") == "fixed"
    assert "Earlier failure report" in fixed.body and "KeyError" in fixed.body

    # A late redelivery of the older failure must not reopen the report.
    await _deliver_run(bot, sandbox, second)
    await bot.settle()
    assert parse(_bot_comments(sandbox, number)[0].body, "ci-failure").get("state") == "fixed"


async def test_passing_run_without_an_earlier_report_posts_nothing(sandbox, bot):
    number, head = _pull(sandbox)
    run = sandbox.add_workflow_run(REPO, head, "success", jobs=[("test", "ok\n", "success")],
                                   head_branch="feature")
    await _deliver_run(bot, sandbox, run)
    await bot.settle()
    assert _bot_comments(sandbox, number) == []


async def test_cancelled_and_superseded_runs_post_nothing(sandbox, bot):
    number, head = _pull(sandbox)
    cancelled = _failed_run(sandbox, head, conclusion="cancelled")
    await _deliver_run(bot, sandbox, cancelled)
    old = _failed_run(sandbox, head)
    newer_head = sandbox.commit(REPO, "feature", {"app.py": "x = 5\n"})
    sandbox.add_workflow_run(REPO, newer_head, None, head_branch="feature")  # in progress
    await _deliver_run(bot, sandbox, old)
    await bot.settle()
    assert _bot_comments(sandbox, number) == []


async def test_push_without_a_pull_request_gets_one_commit_comment(sandbox, bot):
    sandbox.create_repo(REPO, files={"app.py": "x = 1\n"})
    sandbox.create_installation("octo", [REPO])
    sha = sandbox.commit(REPO, "main", {"app.py": "x = 2\n"})
    run = _failed_run(sandbox, sha, branch="main", event="push")
    for _ in range(2):
        await _deliver_run(bot, sandbox, run)
    await bot.settle()
    [comment] = sandbox.commit_comments(REPO, sha)
    assert comment.user == sandbox.app.bot_login
    assert "AssertionError" in comment.body
    assert parse(comment.body, "ci-failure").get("workflow") == str(run.workflow_id)


async def test_two_reports_of_a_push_at_once_leave_one_commit_comment(sandbox, bot):
    """The handlers hold no lock: the queue runs two jobs reporting on one branch one after
    the other (in any process), so the second finds the first's comment and updates it."""
    sandbox.create_repo(REPO, files={"app.py": "x = 1\n"})
    sandbox.create_installation("octo", [REPO])
    sha = sandbox.commit(REPO, "main", {"app.py": "x = 2\n"})
    run = _failed_run(sandbox, sha, branch="main", event="push")
    # A slow creation: run side by side, the second job would find no report and create one.
    sandbox.inject("POST", f"/repos/{REPO}/commits/{sha}/comments", delay=1.5)
    await asyncio.gather(_deliver_run(bot, sandbox, run), _deliver_run(bot, sandbox, run))
    await bot.settle()

    assert len(sandbox.calls("POST", f"/repos/{REPO}/commits/{sha}/comments")) == 1
    [comment] = sandbox.commit_comments(REPO, sha)
    assert comment.user == sandbox.app.bot_login and "AssertionError" in comment.body
    assert sandbox.calls("DELETE", f"/repos/{REPO}/comments/*") == []


async def test_a_later_passing_push_marks_the_commit_comment_fixed(sandbox, bot):
    sandbox.create_repo(REPO, files={"app.py": "x = 1\n"})
    sandbox.create_installation("octo", [REPO])
    broken = sandbox.commit(REPO, "main", {"app.py": "x = 2\n"})
    await _deliver_run(bot, sandbox, _failed_run(sandbox, broken, branch="main", event="push"))
    await bot.settle()
    good = sandbox.commit(REPO, "main", {"app.py": "x = 3\n"})
    passing = sandbox.add_workflow_run(REPO, good, "success", jobs=[("test", "ok\n", "success")],
                                       head_branch="main", event="push")
    await _deliver_run(bot, sandbox, passing)
    await bot.settle()
    [comment] = sandbox.commit_comments(REPO, broken)
    assert comment.body.count(f"Fixed in `{good[:7]}`") == 1
    assert parse(comment.body, "ci-failure").get("state") == "fixed"
    assert sandbox.commit_comments(REPO, good) == []


async def test_huge_log_is_capped_and_the_cause_at_its_end_still_found(sandbox, bot):
    number, head = _pull(sandbox)
    filler = "".join(f"2024-05-01T10:00:00.0000000Z compiling module {i:08d} ok\n"
                     for i in range(500_000))  # about 27 MB
    log = filler + TRACEBACK_LOG
    assert len(log) > 25_000_000
    await _deliver_run(bot, sandbox, _failed_run(sandbox, head, log))
    await bot.settle(timeout=60)
    [comment] = _bot_comments(sandbox, number)
    assert "KeyError" in comment.body
    assert "first and last 8 MB were read" in comment.body
    assert len(comment.body) < 65_536


async def test_secrets_in_the_log_are_redacted_in_the_report(sandbox, bot):
    number, head = _pull(sandbox)
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    aws = "AKIA" + "Z7Q4MXWRHB2TLPQK"
    leaky = TRACEBACK_LOG.replace(
        "KeyError: 'port'",
        f"connecting with GITHUB_TOKEN={token} and aws_access_key_id={aws}\nKeyError: 'port'",
    )
    await _deliver_run(bot, sandbox, _failed_run(sandbox, head, leaky))
    await bot.settle()
    [comment] = _bot_comments(sandbox, number)
    assert "KeyError" in comment.body
    assert token not in comment.body and token[4:] not in comment.body
    assert aws not in comment.body
    assert "***" in comment.body


async def test_server_errors_and_secondary_limits_end_in_the_same_report(sandbox, bot):
    number, head = _pull(sandbox)
    run = _failed_run(sandbox, head)
    sandbox.inject("GET", "/repos/octo/app/actions/runs/*/jobs", status=502, times=2)
    sandbox.inject("GET", "/_sandbox/logs/*", status=503, times=1)
    sandbox.inject("POST", "/repos/octo/app/issues/*/comments", rate_limit="secondary", times=1)
    await _deliver_run(bot, sandbox, run)
    await _deliver_run(bot, sandbox, run)
    await bot.settle(timeout=60)
    [comment] = _bot_comments(sandbox, number)
    assert "AssertionError" in comment.body and "**Run pytest**" in comment.body


async def test_expired_job_log_falls_back_to_the_run_logs_zip(sandbox, bot):
    number, head = _pull(sandbox)
    run = _failed_run(sandbox, head, TRACEBACK_LOG)
    sandbox.inject("GET", "/repos/octo/app/actions/jobs/*/logs", status=410, times=None)
    await _deliver_run(bot, sandbox, run)
    await bot.settle()
    [comment] = _bot_comments(sandbox, number)
    assert "KeyError" in comment.body
    assert "Read from the run's logs zip." in comment.body


async def test_other_ci_apps_are_triaged_from_their_check_run_output(sandbox, bot):
    number, head = _pull(sandbox)
    suite = 990_001
    sandbox.add_check_run(REPO, head, "jenkins/unit", "failure", "jenkins", suite,
                          output={"title": "1 test failed", "summary": "Build #41 failed",
                                  "text": TRACEBACK_LOG})
    sandbox.add_check_run(REPO, head, "jenkins/silent", "failure", "jenkins", suite)
    payload = check_suite_payload(sandbox, REPO, suite, head, "failure", "jenkins",
                                  head_branch="feature")
    await bot.deliver("check_suite", payload)
    await bot.deliver("check_suite", payload)
    await bot.settle()
    [comment] = _bot_comments(sandbox, number)
    assert parse(comment.body, "ci-failure").get("app") == "jenkins"
    assert "KeyError" in comment.body
    assert "published no output or annotations" in comment.body  # the silent check run


async def test_disabled_triage_posts_nothing(sandbox, bot):
    sandbox.create_repo(REPO, files={".github/hephaestus.yml": "triage: {enabled: false}\n"})
    sandbox.create_installation("octo", [REPO])
    head = sandbox.commit(REPO, "feature", {"app.py": "x = 2\n"})
    number = sandbox.create_pull(REPO, head="feature").number
    await _deliver_run(bot, sandbox, _failed_run(sandbox, head))
    await bot.settle()
    assert _bot_comments(sandbox, number) == []


async def test_repository_rules_from_the_default_branch_are_used(sandbox, bot):
    rule = """rules:
  - id: acme-license
    title: The ACME build license expired
    category: infra
    patterns: ["acme\\\\.LicenseError: license expired"]
    explanation: The build agents need a valid ACME license.
    fix: Renew the license in the ACME portal.
"""
    broken = "rules:\n  - id: Bad Id\n"
    sandbox.create_repo(REPO, files={".github/hephaestus/rules/acme.yml": rule})
    sandbox.create_installation("octo", [REPO])
    head = sandbox.commit(REPO, "feature", {"app.py": "x = 2\n"})
    number = sandbox.create_pull(REPO, head="feature").number
    log = TRACEBACK_LOG.replace("KeyError: 'port'", "acme.LicenseError: license expired on agent 7")
    await _deliver_run(bot, sandbox, _failed_run(sandbox, head, log))
    await bot.settle()
    [comment] = _bot_comments(sandbox, number)
    assert "rule `acme-license`" in comment.body
    assert "Renew the license in the ACME portal." in comment.body

    # A broken rule file is reported in the comment; the built-in rules still apply.
    sandbox.commit(REPO, "main", {".github/hephaestus/rules/broken.yml": broken})
    await _deliver_run(bot, sandbox, _failed_run(sandbox, head, TRACEBACK_LOG))
    await bot.settle()
    [comment] = _bot_comments(sandbox, number)
    assert "Repository rules not used" in comment.body and "broken.yml" in comment.body
    assert "KeyError" in comment.body


async def test_actions_check_suite_maps_to_its_workflow_run(sandbox, bot):
    number, head = _pull(sandbox)
    run = _failed_run(sandbox, head)
    payload = check_suite_payload(sandbox, REPO, run.check_suite_id, head, "failure",
                                  "github-actions", head_branch="feature")
    await bot.deliver("check_suite", payload)
    await _deliver_run(bot, sandbox, run)  # the same failure from its workflow_run event
    await bot.settle()
    [comment] = _bot_comments(sandbox, number)
    assert parse(comment.body, "ci-failure").get("workflow") == str(run.workflow_id)
    assert "AssertionError" in comment.body


# -- the interfaces behind /hephaestus triage and /hephaestus retest ------------------------------


@pytest.fixture
async def ctx(sandbox):
    sandbox.create_repo(REPO, files={"README.md": "# app\n", "app.py": "x = 1\n"})
    inst = sandbox.create_installation("octo", [REPO])
    policy = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05, max_total_wait=2.0)
    async with aiohttp.ClientSession() as session:
        gh = GitHubClient(session, StaticToken(sandbox.token(inst)), api_url=sandbox.base_url,
                          policy=policy)
        payload = {"repository": {"full_name": REPO, "default_branch": "main"},
                   "installation": {"id": inst.id}}
        event = Event.from_payload("issue_comment", "delivery-1", payload)
        yield Context(event=event, log=bind("test"), client=gh)


async def test_retest_reruns_the_failed_jobs_of_the_latest_failed_run(sandbox, ctx):
    head = sandbox.commit(REPO, "feature", {"app.py": "x = 2\n"})
    number = sandbox.create_pull(REPO, head="feature").number
    assert "nothing to re-run" in await retest(ctx, number)
    run = _failed_run(sandbox, head)
    outcome = await retest(ctx, number)
    assert outcome == f"Re-running the failed jobs of CI run #{run.run_number}."
    rerun = sandbox.workflow_run(REPO, run.id)
    assert rerun.run_attempt == 2
    assert [j.status for j in rerun.jobs] == ["queued", "completed"]  # only the failed job


async def test_triage_latest_reports_on_the_pull_request(sandbox, ctx):
    head = sandbox.commit(REPO, "feature", {"app.py": "x = 2\n"})
    number = sandbox.create_pull(REPO, head="feature").number
    assert "No failed workflow run" in await triage_latest(ctx, number, None)
    passing = sandbox.add_workflow_run(REPO, head, "success", head_branch="feature")
    assert "did not fail" in await triage_latest(ctx, number, passing.id)
    assert "no workflow run 424242" in await triage_latest(ctx, number, 424242)
    run = _failed_run(sandbox, head, TRACEBACK_LOG)
    assert await triage_latest(ctx, number, None) == f"reported run #{run.run_number} on #{number}"
    [comment] = _bot_comments(sandbox, number)
    assert "KeyError" in comment.body
    await triage_latest(ctx, number, run.id)  # again, by id: the same comment
    assert len(_bot_comments(sandbox, number)) == 1


def _check_log(cause: str, cache_dir: str, code: int) -> str:
    """An Actions job log of a check script; the cache warning is printed on every run."""
    return (
        "##[group]Run ./check.sh\n./check.sh\n##[endgroup]\nchecking fixtures\n"
        f"{cause}\n\nerror: cache directory {cache_dir} is not writable, caching disabled\n"
        + (f"##[error]Process completed with exit code {code}.\n" if code else "")
    )


async def _first_excerpt_of_failed_check(sandbox, bot, number: int, head: str) -> str:
    cause = "sort: field number is zero: invalid field specification '0'"
    run = sandbox.add_workflow_run(
        REPO, head, "failure", jobs=[("test", _check_log(cause, "/tmp/cache-93", 2), "failure")],
        head_branch="feature",
    )
    await _deliver_run(bot, sandbox, run)
    await bot.settle()
    [comment] = _bot_comments(sandbox, number)
    return comment.body.split("```")[1]


async def test_report_discounts_what_the_last_passing_run_of_the_job_also_printed(sandbox, bot):
    number, head = _pull(sandbox)
    # The last successful run of the workflow is on the default branch (none on the PR's).
    sandbox.add_workflow_run(
        REPO, sandbox.ref(REPO, "main"), "success",
        jobs=[("test", _check_log("all 12 fixtures sorted", "/tmp/cache-81", 0), "success")],
        head_branch="main",
    )
    excerpt = await _first_excerpt_of_failed_check(sandbox, bot, number, head)
    assert "invalid field specification" in excerpt and "cache directory" not in excerpt


async def test_report_without_a_passing_run_still_names_the_nearest_error(sandbox, bot):
    number, head = _pull(sandbox)
    excerpt = await _first_excerpt_of_failed_check(sandbox, bot, number, head)
    assert "cache directory" in excerpt  # what the baseline changes
