"""`/hephaestus why`, end to end: a comment delivered to the real server, answered on the sandbox
GitHub from a real failed run's log, with the failure report's engine and rendering."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from handlers.conftest import bot  # noqa: F401 - the bot as deployed, aimed at the sandbox
from real_runs import REAL
from sandbox.webhooks import issue_comment_payload

from ghbot.engine import markers
from ghbot.jobs.audit import FILENAME

REPO = "octo/app"
BOT = "hephaestus[bot]"
RUNBOOKS = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "runbooks"
OOM = "runner-oom-exit-137"
PYTEST_LOG = (REAL / "pytest-assert.log").read_text()
TRACEBACK_LOG = (REAL / "python-traceback.log").read_text()
STEPS = [("Set up job", "success"), ("Run pytest", "failure"), ("Post job cleanup", None)]


def _pull(sandbox):
    sandbox.create_repo(REPO, files={"README.md": "# app\n", "app.py": "x = 1\n"})
    sandbox.create_installation("octo", [REPO])
    head = sandbox.commit(REPO, "feature", {"app.py": "x = 2\n"})
    return sandbox.create_pull(REPO, head="feature", user="alice").number, head


def _failed_run(sandbox, sha, log=PYTEST_LOG):
    jobs = [("test", log, "failure", STEPS), ("lint", "ok\n", "success")]
    return sandbox.add_workflow_run(REPO, sha, "failure", jobs=jobs, head_branch="feature")


async def _ask(bot, sandbox, number, body, user="reader"):  # noqa: F811 - the fixture
    sandbox.set_permission(REPO, user, "read")
    payload = issue_comment_payload(sandbox, REPO, number, body, user=user)
    status, delivery = await bot.deliver("issue_comment", payload)
    assert status == 202
    await bot.settle()
    return payload, delivery


def _bot_comments(sandbox, number):
    return [c for c in sandbox.issue_comments(REPO, number) if c.user == BOT]


def _reply(sandbox, number, comment_id) -> str:
    found = [
        c.body for c in _bot_comments(sandbox, number)
        if (m := markers.parse(c.body, "command-reply")) and m.get("comment") == str(comment_id)
    ]  # fmt: skip
    assert len(found) == 1, f"expected one reply to {comment_id}, got {len(found)}"
    return found[0]


def _writes(sandbox):
    return [c for c in sandbox.calls() if c.method != "GET" and c.path.startswith("/repos/")]


def _audited(bot) -> int:  # noqa: F811 - the fixture
    path = bot.settings.data_dir / FILENAME
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM command_audit").fetchone()[0]


async def test_why_explains_the_latest_failed_run_to_a_reader_and_writes_nothing(sandbox, bot):  # noqa: F811
    number, head = _pull(sandbox)
    older = _failed_run(sandbox, head, TRACEBACK_LOG)
    run = _failed_run(sandbox, head)  # the latest failed run at the head: this one is explained
    writes_before = len(_writes(sandbox))
    payload, delivery = await _ask(bot, sandbox, number, "/hephaestus why")

    reply = _reply(sandbox, number, payload["comment"]["id"])
    assert "> /hephaestus why" in reply
    assert f"### ❌ workflow CI failed · [run \\#{run.run_number}]" in reply
    # The root cause, from the log, and its excerpt
    assert "**Root cause:** test\\_add: AssertionError at test\\_calc.py:9 (`test`)" in reply
    assert ">       assert add(1, 2) == 3\nE       assert 4 == 3" in reply
    assert "KeyError" not in reply  # not the older run's
    assert "**Run pytest**" in reply and f"/actions/runs/{run.id}/job/" in reply
    assert "**Suggested fix:**" in reply and "**Why:**" in reply
    assert "Updated in place" not in reply  # a reply is not the sticky report
    assert older.id != run.id
    # Read-only: the reply and its 👀 are the only writes; no report, no audit record.
    assert len(_bot_comments(sandbox, number)) == 1
    writes = _writes(sandbox)[writes_before:]
    assert sorted(c.method + " " + c.path.rsplit("/", 1)[-1] for c in writes) == [
        "POST comments", "POST reactions",
    ]  # fmt: skip
    assert _audited(bot) == 0

    # GitHub's redelivery and a replay with a new id: still one answer, the same one.
    assert (await bot.deliver("issue_comment", payload, delivery))[0] == 200
    await bot.deliver("issue_comment", payload)
    await bot.settle()
    assert _reply(sandbox, number, payload["comment"]["id"]) == reply


async def test_why_names_a_run_by_id_or_url_and_says_when_there_is_nothing(sandbox, bot):  # noqa: F811
    number, head = _pull(sandbox)
    payload, _ = await _ask(bot, sandbox, number, "/hephaestus why")
    assert "No workflow run failed on this pull request's head commit." in _reply(
        sandbox, number, payload["comment"]["id"]
    )
    passing = sandbox.add_workflow_run(REPO, head, "success", head_branch="feature")
    failed = _failed_run(sandbox, head, TRACEBACK_LOG)
    url = f"https://github.com/{REPO}/actions/runs/{failed.id}"
    body = (
        f"/hephaestus why {passing.id}\n/hephaestus why {url}\n/hephaestus why 424242\n"
        "/hephaestus why yesterday"
    )
    payload, _ = await _ask(bot, sandbox, number, body)
    answers = _reply(sandbox, number, payload["comment"]["id"]).split("\n---\n")
    assert f"CI run #{passing.run_number} did not fail (success)." in answers[0]
    assert "KeyError" in answers[1] and f"/actions/runs/{failed.id}/job/" in answers[1]
    assert f"There is no workflow run 424242 in {REPO}." in answers[2]
    assert "RUN is a workflow run id or URL" in answers[3]
    assert "Usage: `/hephaestus why [RUN]`" in answers[3]


async def test_why_on_an_issue_explains_the_run_the_issue_links(sandbox, bot):  # noqa: F811
    _, head = _pull(sandbox)
    run = _failed_run(sandbox, head)
    linked = sandbox.create_issue(
        REPO, "CI is red", f"Since this run: https://github.com/{REPO}/actions/runs/{run.id}\n"
    ).number
    payload, _ = await _ask(bot, sandbox, linked, "/hephaestus why")
    reply = _reply(sandbox, linked, payload["comment"]["id"])
    assert "AssertionError" in reply and f"/actions/runs/{run.id}/job/" in reply

    # A link to another repository's run is not this repository's run.
    other = sandbox.create_issue(
        REPO, "theirs", f"https://github.com/elsewhere/app/actions/runs/{run.id}"
    ).number
    payload, _ = await _ask(bot, sandbox, other, "/hephaestus why")
    reply = _reply(sandbox, other, payload["comment"]["id"])
    assert "on an issue, name the run (its id or URL) or link it in the issue" in reply
    assert "AssertionError" not in reply


async def test_why_suggests_the_runbooks_the_report_would(sandbox, bot):  # noqa: F811
    runbook = (RUNBOOKS / f"{OOM}.md").read_text()
    sandbox.create_repo(REPO, files={"README.md": "# app\n", f"docs/runbooks/{OOM}.md": runbook})
    sandbox.create_installation("octo", [REPO])
    head = sandbox.commit(REPO, "feature", {"build.sh": "make -j16\n"})
    number = sandbox.create_pull(REPO, head="feature").number
    log = (
        "Run ./build.sh\nCompiling 412 modules...\n"
        "/home/runner/work/_temp/0b1c.sh: line 1:  2345 Killed                  ./build.sh\n"
        "##[error]Process completed with exit code 137.\n"
    )
    jobs = [("build", log, "failure", [("Set up job", "success"), ("Build", "failure")])]
    sandbox.add_workflow_run(REPO, head, "failure", jobs=jobs, head_branch="feature")
    payload, _ = await _ask(bot, sandbox, number, "/hephaestus why")
    reply = _reply(sandbox, number, payload["comment"]["id"])
    assert "Runbooks that may help" in reply
    assert f"docs/runbooks/{OOM}.md) · similar failure (" in reply
    assert len(_bot_comments(sandbox, number)) == 1  # still only the reply
