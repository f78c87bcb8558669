"""`/hephaestus` comment commands delivered to the real server, answered on the sandbox GitHub."""

from __future__ import annotations

import logging
import sqlite3

from sandbox.webhooks import issue_comment_payload, review_comment_payload

from ghbot.engine import markers
from ghbot.jobs.audit import FILENAME

BOT = "hephaestus[bot]"


def _open_pull(sandbox, author="alice", files=None):
    sandbox.create_repo("octo/app", files={"README.md": "# app\n", "ok.py": "x = 1\n"})
    sandbox.create_installation("octo", ["octo/app"])
    sandbox.commit("octo/app", "feature", files or {"ok.py": "x = 2\n"})
    return sandbox.create_pull("octo/app", head="feature", user=author).number


def _replies(sandbox, number):
    """The bot's comments that carry one of its markers."""
    return [
        c for c in sandbox.issue_comments("octo/app", number)
        if c.user == BOT and markers.parse_all(c.body)
    ]  # fmt: skip


def _reply_to(sandbox, number, comment_id):
    found = [
        c
        for c in _replies(sandbox, number)
        if (m := markers.parse(c.body, "command-reply")) and m.get("comment") == str(comment_id)
    ]
    assert len(found) == 1, f"expected one reply to {comment_id}, got {len(found)}"
    return found[0].body


def _audit_rows(bot):
    path = bot.settings.data_dir / FILENAME
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT repo, number, caller, verb, args, outcome FROM command_audit ORDER BY id"
        ).fetchall()


async def _say(bot, sandbox, number, body, user, expect=202):
    payload = issue_comment_payload(sandbox, "octo/app", number, body, user=user)
    status, delivery = await bot.deliver("issue_comment", payload)
    assert status == expect
    await bot.settle()
    return payload, delivery


async def test_help_reacts_then_lists_only_the_verbs_the_caller_may_use(sandbox, bot):
    number = _open_pull(sandbox)
    sandbox.set_permission("octo/app", "reader", "read")
    payload, _ = await _say(bot, sandbox, number, "Hi!\n/hephaestus help", "reader")

    comment_id = payload["comment"]["id"]
    comment = next(c for c in sandbox.issue_comments("octo/app", number) if c.id == comment_id)
    assert [(r.user, r.content) for r in comment.reactions] == [(BOT, "eyes")]
    reply = _reply_to(sandbox, number, comment_id)
    assert reply.splitlines()[1] == "@reader"
    for allowed in ("/hephaestus help", "/hephaestus explain RULE", "/hephaestus check",
                    "/hephaestus why [RUN]"):
        assert allowed in reply
    for denied in ("/hephaestus fix", "/hephaestus retest", "/hephaestus ignore"):
        assert denied not in reply
    assert _audit_rows(bot) == []  # help writes nothing: no audit record

    sandbox.set_permission("octo/app", "maintainer", "maintain")
    payload, _ = await _say(bot, sandbox, number, "/hephaestus help", "maintainer")
    reply = _reply_to(sandbox, number, payload["comment"]["id"])
    assert "/hephaestus fix [RULE...]" in reply and "/hephaestus ignore RULE [PATH]" in reply


async def test_read_only_fix_is_denied_with_quote_and_reason_and_nothing_written(sandbox, bot):
    number = _open_pull(sandbox, author="alice")
    sandbox.set_permission("octo/app", "mallory", "read")
    before = sandbox.ref("octo/app", "feature")
    payload, _ = await _say(bot, sandbox, number, "please\n/hephaestus fix E501 @alice", "mallory")

    reply = _reply_to(sandbox, number, payload["comment"]["id"])
    assert "@mallory" in reply
    assert "> /hephaestus fix E501 @\u200balice" in reply  # quoted, without pinging anyone
    assert "Not run: this needs `write` permission or being the pull request's author" in reply
    assert "you have `read` permission" in reply
    assert sandbox.ref("octo/app", "feature") == before
    writes = [
        c for c in sandbox.calls() if c.method in {"POST", "PATCH", "PUT", "DELETE"}
        and ("/git/" in c.path or "/pulls" in c.path and "/reactions" not in c.path)
    ]  # fmt: skip
    assert writes == []
    assert _audit_rows(bot) == [("octo/app", number, "mallory", "fix", "E501 @alice", "denied")]


async def test_unknown_verb_and_bad_arguments_are_answered_with_usage(sandbox, bot):
    number = _open_pull(sandbox)
    body = "/hephaestus frobnicate\n/hephaestus explain\n/hephaestus triage abc"
    payload, _ = await _say(bot, sandbox, number, body, "octocat")
    reply = _reply_to(sandbox, number, payload["comment"]["id"])
    assert "I do not know `frobnicate`" in reply
    assert "Commands you may use here:" in reply
    assert "name one rule\n\nUsage: `/hephaestus explain RULE`" in reply
    assert "Usage: `/hephaestus triage [RUN]`" in reply
    assert reply.count("\n---\n") == 2  # three commands, one reply


async def test_explain_answers_from_real_ruff(sandbox, bot):
    number = _open_pull(sandbox)
    payload, _ = await _say(bot, sandbox, number, "/hephaestus explain F401", "octocat")
    reply = _reply_to(sandbox, number, payload["comment"]["id"])
    assert "`F401` unused-import (ruff, Pyflakes)" in reply
    assert "https://docs.astral.sh/ruff/rules/unused-import/" in reply


async def test_redelivery_and_replay_leave_one_reply_and_run_once(sandbox, bot):
    number = _open_pull(sandbox)
    sandbox.set_permission("octo/app", "bob", "write")
    payload, delivery = await _say(bot, sandbox, number, "/hephaestus ignore E501", "bob")
    again, _ = await bot.deliver("issue_comment", payload, delivery)  # GitHub's redelivery
    assert again == 200
    await bot.deliver("issue_comment", payload)  # the same event with a new delivery id
    await bot.settle()
    _reply_to(sandbox, number, payload["comment"]["id"])  # exactly one
    assert [row[3] for row in _audit_rows(bot)] == ["ignore"]  # ran once


async def test_commands_in_code_blocks_quotes_and_from_bots_are_not_run(sandbox, bot):
    number = _open_pull(sandbox)
    body = "> /hephaestus help\n```\n/hephaestus help\n```\n`/hephaestus help` shows help"
    await _say(bot, sandbox, number, body, "octocat")
    await _say(bot, sandbox, number, "/hephaestus help", "renovate[bot]")
    await _say(bot, sandbox, number, "/hephaestus help", BOT, expect=200)  # dropped at the door
    assert _replies(sandbox, number) == []
    assert sandbox.calls("POST", "/repos/*/reactions") == []


async def test_fix_on_an_issue_says_it_needs_a_pull_request(sandbox, bot):
    _open_pull(sandbox)
    issue = sandbox.create_issue("octo/app", "broken", user="alice")
    payload, _ = await _say(bot, sandbox, issue.number, "/hephaestus fix", "octo")
    reply = _reply_to(sandbox, issue.number, payload["comment"]["id"])
    assert "`fix` works on pull requests only." in reply


async def test_ignore_in_a_review_comment_defaults_to_its_file_and_is_audited(sandbox, bot):
    number = _open_pull(sandbox, files={"src/a.py": "import os\n"})
    sandbox.set_permission("octo/app", "bob", "write")
    payload = review_comment_payload(
        sandbox, "octo/app", number, "/hephaestus ignore F401", "src/a.py", 1, user="bob"
    )
    assert (await bot.deliver("pull_request_review_comment", payload))[0] == 202
    await bot.settle()

    _, comment = sandbox.state.find_review_comment(
        sandbox.repo("octo/app"), payload["comment"]["id"]
    )
    assert [(r.user, r.content) for r in comment.reactions] == [(BOT, "eyes")]
    table = [c.body for c in _replies(sandbox, number) if markers.parse(c.body, "ignores")]
    assert len(table) == 1 and "| `F401` | `src/a.py` | @bob |" in table[0]
    reply = _reply_to(sandbox, number, payload["comment"]["id"])
    assert "`F401` is no longer flagged in `src/a.py`" in reply
    assert _audit_rows(bot) == [("octo/app", number, "bob", "ignore", "F401", "ok")]


async def test_audit_records_are_logged_as_structured_lines(sandbox, bot, caplog):
    number = _open_pull(sandbox)
    sandbox.set_permission("octo/app", "eve", "read")
    with caplog.at_level(logging.INFO, logger="ghbot.audit"):
        await _say(bot, sandbox, number, "/hephaestus retest", "eve")
    [line] = [r for r in caplog.records if r.name == "ghbot.audit"]
    fields = line.fields  # type: ignore[attr-defined]
    assert (fields["caller"], fields["verb"], fields["outcome"]) == ("eve", "retest", "denied")
    assert fields["repo"] == "octo/app" and fields["number"] == number


# -- verbs that dispatch to the other handlers ---------------------------------------------------

BROKEN = "def greet(name)\n    return 'hi ' + name\n"


async def test_ignore_then_the_re_review_hides_the_finding(sandbox, bot):
    from sandbox.webhooks import pull_request_payload

    number = _open_pull(sandbox, files={"src/a.py": "import os\n", "src/b.py": "import sys\n"})
    head = sandbox.pull("octo/app", number).head_sha
    await bot.deliver("pull_request", pull_request_payload(sandbox, "octo/app", number))
    await bot.settle()
    runs_before = [run] = sandbox.check_runs("octo/app", head)
    assert sorted(a.path for a in run.annotations if a.title == "F401") == ["src/a.py", "src/b.py"]

    sandbox.set_permission("octo/app", "bob", "write")
    await _say(bot, sandbox, number, "/hephaestus ignore F401 src/a.py", "bob")
    # GitHub never removes an annotation: a fresh run carries the current ones, and the old run
    # ends neutral as superseded (without the Apply fixes button), never to be found again.
    runs = {r.external_id: r for r in sandbox.check_runs("octo/app", head)}
    assert set(runs) == {"hephaestus", "hephaestus-superseded"}
    run, old = runs["hephaestus"], runs["hephaestus-superseded"]
    assert run.id > old.id and old.id == runs_before[0].id
    assert [(a.path, a.title) for a in run.annotations] == [("src/b.py", "F401")]
    assert (old.status, old.conclusion, old.actions) == ("completed", "neutral", [])
    assert "Superseded" in old.output_title
    assert "1 finding reported" in run.output_summary
    assert "| `F401` | `src/a.py` | @bob |" in run.output_summary
    # The inline comment on the ignored finding is marked resolved; the other stays open.
    open_ = {
        c.path: markers.parse(c.body, "finding").get("fixed") == ""
        for c in sandbox.review_comments("octo/app", number)
    }
    assert open_ == {"src/a.py": False, "src/b.py": True}

    # A re-run with the same findings changes the current run in place: no third run.
    await bot.deliver("pull_request", pull_request_payload(sandbox, "octo/app", number))
    await bot.settle()
    assert len(sandbox.check_runs("octo/app", head)) == 2


async def test_check_by_a_reader_reruns_the_analysis(sandbox, bot):
    number = _open_pull(sandbox, files={"src/greet.py": BROKEN})
    head = sandbox.pull("octo/app", number).head_sha
    assert sandbox.check_runs("octo/app", head) == []
    payload, _ = await _say(bot, sandbox, number, "/hephaestus check", "octocat")
    [run] = sandbox.check_runs("octo/app", head)
    assert run.conclusion == "failure"
    reply = _reply_to(sandbox, number, payload["comment"]["id"])
    assert "Re-ran the analysis" in reply
    assert [row[3:] for row in _audit_rows(bot)] == [("check", "", "ok")]


async def test_the_pull_requests_author_may_fix_their_own_pull_request(sandbox, bot):
    number = _open_pull(sandbox, author="alice", files={"src/greet.py": BROKEN})
    sandbox.set_permission("octo/app", "alice", "read")
    payload, _ = await _say(bot, sandbox, number, "/hephaestus fix", "alice")
    reply = _reply_to(sandbox, number, payload["comment"]["id"])
    assert "Not run" not in reply and "Failed" not in reply
    assert _audit_rows(bot) == [("octo/app", number, "alice", "fix", "", "ok")]

    # Someone else with the same permission may not.
    sandbox.set_permission("octo/app", "carol", "read")
    payload, _ = await _say(bot, sandbox, number, "/hephaestus fix", "carol")
    assert "Not run: this needs `write`" in _reply_to(sandbox, number, payload["comment"]["id"])


async def test_retest_by_a_writer_reruns_the_failed_jobs(sandbox, bot):
    number = _open_pull(sandbox)
    head = sandbox.pull("octo/app", number).head_sha
    jobs = [("test", "boom\n", "failure")]
    run = sandbox.add_workflow_run("octo/app", head, "failure", jobs=jobs)
    sandbox.set_permission("octo/app", "bob", "write")
    payload, _ = await _say(bot, sandbox, number, "/hephaestus retest", "bob")
    assert sandbox.workflow_run("octo/app", run.id).run_attempt == 2
    reply = _reply_to(sandbox, number, payload["comment"]["id"])
    assert "Re-running the failed jobs" in reply


async def test_repo_config_can_raise_a_verbs_permission(sandbox, bot):
    sandbox.create_repo(
        "octo/app",
        files={".github/hephaestus.yml": "commands:\n  permissions: {check: maintain}\n"},
    )
    sandbox.create_installation("octo", ["octo/app"])
    sandbox.commit("octo/app", "feature", {"a.py": "a = 1\n"})
    number = sandbox.create_pull("octo/app", head="feature").number
    sandbox.set_permission("octo/app", "bob", "write")
    payload, _ = await _say(bot, sandbox, number, "/hephaestus check", "bob")
    reply = _reply_to(sandbox, number, payload["comment"]["id"])
    assert "Not run: this needs `maintain` permission; you have `write` permission." in reply
    assert sandbox.check_runs("octo/app") == []
