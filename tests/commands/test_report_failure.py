"""A job that dies leaves no command unanswered: `Context.report_failure` replies to the comment's
commands (once), the way the commands handler would have."""

from __future__ import annotations

from sandbox.webhooks import issue_comment_payload

from ghbot.engine.markers import parse

REPO = "octo/app"


def _replies(sandbox, number: int) -> list[str]:
    return [c.body for c in sandbox.issue_comments(REPO, number) if c.user == sandbox.app.bot_login]


async def test_a_dead_commands_job_gets_its_reply_once(sandbox, repo, context):
    number = sandbox.create_issue(REPO, "flaky build").number
    payload = issue_comment_payload(sandbox, REPO, number, "/hephaestus triage", user="alice")
    ctx = context("issue_comment", payload)

    await ctx.report_failure("timed out after 60 s")
    await ctx.report_failure("timed out after 60 s")  # the pool's second word: still one reply

    [reply] = _replies(sandbox, number)
    assert "\n@alice\n" in reply and "gave up on the commands of this comment" in reply
    assert "timed out after 60 s" in reply
    marker = parse(reply, "command-reply")
    assert marker is not None and marker.get("comment") == str(payload["comment"]["id"])


async def test_a_comment_without_commands_gets_nothing_and_each_comment_its_own_reply(
    sandbox, repo, context
):
    number = sandbox.create_issue(REPO, "question").number
    plain = issue_comment_payload(sandbox, REPO, number, "thanks, looks good", user="alice")
    await context("issue_comment", plain).report_failure("killed")
    assert _replies(sandbox, number) == []

    asked = issue_comment_payload(sandbox, REPO, number, "/hephaestus help", user="alice")
    await context("issue_comment", asked).report_failure("killed")
    other = issue_comment_payload(sandbox, REPO, number, "/hephaestus help", user="bob")
    await context("issue_comment", other).report_failure("killed")
    assert len(_replies(sandbox, number)) == 2  # one per comment, each keyed by its id
