"""Issues holding a traceback or CI log get ONE triage reply and a label; others get nothing."""

from __future__ import annotations

from real_runs import REAL
from sandbox.webhooks import issues_payload

from ghbot.engine.markers import parse

REPO = "octo/app"
CONFIG = 'triage:\n  labels: {dependency: "deps", test: "ci: test"}\n'
TRACEBACK = """Since upgrading I get this when starting the worker:

```
Traceback (most recent call last):
  File "/srv/app/worker.py", line 3, in <module>
    import redis
ModuleNotFoundError: No module named 'redis'
```

Any idea?
"""


def _repo(sandbox, config=CONFIG):
    sandbox.create_repo(REPO, files={".github/hephaestus.yml": config, "a.py": "x = 1\n"})
    sandbox.create_installation("octo", [REPO])


def _bot_comments(sandbox, number):
    return [c for c in sandbox.issue_comments(REPO, number) if c.user == sandbox.app.bot_login]


async def test_traceback_issue_gets_one_reply_and_a_category_label(sandbox, bot):
    _repo(sandbox)
    issue = sandbox.create_issue(REPO, "Worker does not start", TRACEBACK, user="alice")
    payload = issues_payload(sandbox, REPO, issue.number)
    _, delivery_id = await bot.deliver("issues", payload)
    await bot.deliver("issues", payload, delivery_id)
    await bot.deliver("issues", payload)
    await bot.settle()

    [reply] = _bot_comments(sandbox, issue.number)
    assert parse(reply.body, "issue-triage") is not None
    assert "`dependency`" in reply.body
    assert "python-module-not-found" in reply.body
    assert "No module named" in reply.body and "**Suggested fix:**" in reply.body
    assert sandbox.issue(REPO, issue.number).labels == ["deps"]


async def test_editing_the_issue_updates_the_same_reply(sandbox, bot):
    _repo(sandbox)
    issue = sandbox.create_issue(REPO, "Worker does not start", TRACEBACK, user="alice")
    await bot.deliver("issues", issues_payload(sandbox, REPO, issue.number))
    await bot.settle()
    [first] = _bot_comments(sandbox, issue.number)

    with sandbox.state.lock:
        issue.body = "The tests fail in CI:\n\n" + (REAL / "pytest-assert.log").read_text()
    await bot.deliver("issues", issues_payload(sandbox, REPO, issue.number, action="edited"))
    await bot.settle()
    [reply] = _bot_comments(sandbox, issue.number)
    assert reply.id == first.id
    assert "`test`" in reply.body and "AssertionError" in reply.body
    assert "No module named" not in reply.body
    assert sorted(sandbox.issue(REPO, issue.number).labels) == ["ci: test", "deps"]


async def test_ordinary_issue_gets_nothing(sandbox, bot):
    _repo(sandbox)
    body = (
        "When I click save nothing happens and I get no error message. It fails silently.\n"
        "Expected: the file is saved. Could not find anything in the docs about it.\n"
    )
    issue = sandbox.create_issue(REPO, "Save button broken", body, user="alice")
    await bot.deliver("issues", issues_payload(sandbox, REPO, issue.number))
    await bot.settle()
    assert _bot_comments(sandbox, issue.number) == []
    assert sandbox.issue(REPO, issue.number).labels == []


async def test_the_bots_own_issue_edited_by_a_user_gets_no_triage(sandbox, bot):
    # The dashboard is a bot-authored issue full of failure excerpts; ticking a box edits it.
    _repo(sandbox)
    issue = sandbox.create_issue(REPO, "Dashboard", TRACEBACK, user=sandbox.app.bot_login)
    payload = issues_payload(sandbox, REPO, issue.number, action="edited", sender="alice")
    await bot.deliver("issues", payload)
    await bot.settle()
    assert _bot_comments(sandbox, issue.number) == []
    assert sandbox.issue(REPO, issue.number).labels == []


async def test_label_failure_never_costs_the_reply(sandbox, bot):
    _repo(sandbox)
    issue = sandbox.create_issue(REPO, "Worker does not start", TRACEBACK, user="alice")
    sandbox.inject("POST", "/repos/octo/app/issues/*/labels", status=403, times=None)
    await bot.deliver("issues", issues_payload(sandbox, REPO, issue.number))
    await bot.settle()
    [reply] = _bot_comments(sandbox, issue.number)
    assert "No module named" in reply.body
    assert sandbox.issue(REPO, issue.number).labels == []


async def test_secrets_pasted_with_a_traceback_are_not_repeated(sandbox, bot):
    _repo(sandbox)
    token = "ghp_" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8"
    body = TRACEBACK.replace("    import redis", f"    import redis  # token={token}")
    issue = sandbox.create_issue(REPO, "Worker does not start", body, user="alice")
    await bot.deliver("issues", issues_payload(sandbox, REPO, issue.number))
    await bot.settle()
    [reply] = _bot_comments(sandbox, issue.number)
    assert "No module named" in reply.body
    assert token not in reply.body and token[4:] not in reply.body
