"""Issue 13, item 3: the "author" right must not let an outsider push to a branch they cannot
push to. Anyone who can read a repository can open a pull request whose head is one of its
existing branches (`release`); the bot then pushed its fix commit there for them. A fix commit
is pushed only for a person who could push it themselves; everyone else gets suggestions and
the reason. Run end to end: signed deliveries to the real server, the sandbox GitHub's refs."""

from __future__ import annotations

import pytest
from handlers.conftest import bot  # noqa: F401 - the bot as deployed, aimed at the sandbox
from sandbox.webhooks import _common, example, issue_comment_payload, pull_request_payload

REPO = "octo/app"
BOT = "hephaestus[bot]"
UNUSED_IMPORT = "import os\nimport sys\n\nprint(sys.argv)\n"
FIXED_IMPORT = "import sys\n\nprint(sys.argv)\n"
PUSH_MODE = ".github/hephaestus.yml"


def _setup(sandbox, *, config: str = "") -> str:
    """`release` exists in the repository (a maintainer pushed it); mallory can only read."""
    files = {"README.md": "# app\n", **({PUSH_MODE: config} if config else {})}
    sandbox.create_repo(REPO, files=files)
    sandbox.create_installation("octo", [REPO])
    sandbox.set_permission(REPO, "mallory", "read")
    sandbox.set_permission(REPO, "mia", "maintain")
    return sandbox.commit(REPO, "release", {"app/a.py": UNUSED_IMPORT}, message="1.0",
                          author="mia")  # fmt: skip


def _fix_comment(sandbox, number: int) -> str:
    bodies = [c.body for c in sandbox.issue_comments(REPO, number) if c.user == BOT]
    return "\n".join(bodies)


async def _ask(sandbox, bot, number: int, user: str) -> str:  # noqa: F811 - the fixture
    await bot.deliver(
        "issue_comment", issue_comment_payload(sandbox, REPO, number, "/hephaestus fix", user=user)
    )
    await bot.settle()
    return _fix_comment(sandbox, number)


async def test_an_outsiders_fix_command_never_pushes_to_an_existing_branch(sandbox, bot):  # noqa: F811
    head = _setup(sandbox)
    number = sandbox.create_pull(REPO, head="release", user="mallory").number

    reply = await _ask(sandbox, bot, number, "mallory")

    assert sandbox.ref(REPO, "release") == head  # nothing pushed for mallory
    assert sandbox.calls("PATCH", f"/repos/{REPO}/git/refs/*") == []
    assert "@mallory may not push" in reply and "apply the fixes below yourself" in reply
    assert "-import os" in reply  # the fixes, offered as a patch


async def test_a_writer_asking_on_the_same_pull_request_gets_the_commit(sandbox, bot):  # noqa: F811
    head = _setup(sandbox)
    number = sandbox.create_pull(REPO, head="release", user="mallory").number

    await _ask(sandbox, bot, number, "mia")

    tip = sandbox.ref(REPO, "release")
    assert tip != head and sandbox.file(REPO, "app/a.py", tip) == FIXED_IMPORT


async def test_the_apply_fixes_button_follows_the_same_rule(sandbox, bot):  # noqa: F811
    head = _setup(sandbox)
    number = sandbox.create_pull(REPO, head="release", user="mallory").number
    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    await bot.settle()
    [run] = sandbox.check_runs(REPO, head)
    payload = example("check_run", "requested_action")
    payload.update(_common(sandbox, REPO, "mallory"))
    with sandbox.state.lock:
        payload["check_run"] = sandbox.shapes.check_run(sandbox.state.repo(REPO), run)
    payload["requested_action"] = {"identifier": "hephaestus-fix"}

    await bot.deliver("check_run", payload)
    await bot.settle()

    assert sandbox.ref(REPO, "release") == head
    assert "@mallory may not push" in _fix_comment(sandbox, number)


async def test_push_mode_does_not_push_for_the_outsider_who_opened_the_pull_request(
    sandbox,
    bot,  # noqa: F811
):
    head = _setup(sandbox, config="fixes: {mode: push}\n")
    number = sandbox.create_pull(REPO, head="release", user="mallory").number

    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    await bot.settle()

    assert sandbox.ref(REPO, "release") == head
    assert "@mallory may not push" in _fix_comment(sandbox, number)


@pytest.mark.parametrize("rules", [(), ("pull_request",), ("update", "deletion")])
async def test_a_guarded_branch_gets_suggestions_even_for_a_maintainer(sandbox, bot, rules):  # noqa: F811
    head = _setup(sandbox)
    sandbox.protect_branch(REPO, "release", *rules)
    number = sandbox.create_pull(REPO, head="release", user="mia").number

    reply = await _ask(sandbox, bot, number, "mia")

    assert sandbox.ref(REPO, "release") == head
    assert "`release` is guarded" in reply and "-import os" in reply
    assert ("protected branch" in reply) == (not rules)
    assert "`deletion`" not in reply  # a rule a fix commit cannot break is not blamed


async def test_rules_a_fix_commit_cannot_break_do_not_stop_it(sandbox, bot):  # noqa: F811
    head = _setup(sandbox)
    sandbox.protect_branch(REPO, "release", "deletion", "non_fast_forward")
    number = sandbox.create_pull(REPO, head="release", user="mia").number
    await _ask(sandbox, bot, number, "mia")
    assert sandbox.ref(REPO, "release") != head


async def test_the_author_of_a_pull_request_from_their_own_fork_still_gets_the_commit(
    sandbox,
    bot,  # noqa: F811
):
    _setup(sandbox)
    sandbox.fork(REPO, "mallory")
    head = sandbox.commit("mallory/app", "patch", {"app/b.py": UNUSED_IMPORT}, author="mallory")
    number = sandbox.create_pull(REPO, head="mallory:patch", user="mallory",
                                 maintainer_can_modify=True).number  # fmt: skip

    await _ask(sandbox, bot, number, "mallory")

    tip = sandbox.ref("mallory/app", "patch")
    assert tip != head and sandbox.file("mallory/app", "app/b.py", tip) == FIXED_IMPORT


async def test_retest_by_an_outsider_never_reruns_a_deploy_of_the_shared_branch(sandbox, bot):  # noqa: F811
    """The same author right on `/hephaestus retest`: re-running workflows takes write access on
    GitHub, so an author without it re-runs only the runs their pull request started."""
    head = _setup(sandbox)
    deploy = sandbox.add_workflow_run(REPO, head, "failure", event="push", head_branch="release",
                                      jobs=[("deploy", "boom\n", "failure")])  # fmt: skip
    number = sandbox.create_pull(REPO, head="release", user="mallory").number
    reruns = f"/repos/{REPO}/actions/runs/{deploy.id}/rerun-failed-jobs"

    await bot.deliver(
        "issue_comment",
        issue_comment_payload(sandbox, REPO, number, "/hephaestus retest", user="mallory"),
    )
    await bot.settle()
    assert sandbox.calls("POST", reruns) == []
    assert "nothing to re-run" in _fix_comment(sandbox, number)

    own = sandbox.add_workflow_run(
        REPO,
        head,
        "failure",
        event="pull_request",
        head_branch="release",
        jobs=[("test", "x\n", "failure")],
    )
    await bot.deliver(
        "issue_comment",
        issue_comment_payload(sandbox, REPO, number, "/hephaestus retest", user="mallory"),
    )
    await bot.settle()
    assert sandbox.calls("POST", reruns) == []
    assert len(sandbox.calls("POST", f"/repos/{REPO}/actions/runs/{own.id}/rerun-failed-jobs")) == 1
