"""Fix delivery end to end: signed deliveries to the real server, asserted on the sandbox's git
objects, refs, pull requests and comments."""

from __future__ import annotations

import asyncio

from sandbox.gitdata import EXEC_MODE
from sandbox.webhooks import (
    _common,
    check_suite_payload,
    example,
    issue_comment_payload,
    pull_request_payload,
)

from ghbot.engine import markers
from ghbot.services.fix_policy import FIX_BRANCH, fixed_sha

REPO = "octo/app"
BOT = "hephaestus[bot]"
PUSH_MODE = {".github/hephaestus.yml": "fixes: {mode: push}\n"}
UNUSED_IMPORT = "import os\nimport sys\n\nprint(sys.argv)\n"
FIXED_IMPORT = "import sys\n\nprint(sys.argv)\n"
NONE_COMPARE = "def f(x):\n    if x == None:\n        return 1\n    return 2\n"
FIXED_COMPARE = "def f(x):\n    if x is None:\n        return 1\n    return 2\n"


def _repo(sandbox, files=None):
    sandbox.create_repo(REPO, files={"README.md": "# app\n", "ok.py": "x = 1\n", **(files or {})})
    sandbox.create_installation("octo", [REPO])
    sandbox.set_permission(REPO, "alice", "write")  # she pushes the pull requests' branches


def _flat(sandbox, repo: str, sha: str):
    with sandbox.state.lock:
        r = sandbox.state.repo(repo)
        return r.store.flatten(r.store.commit(sha).tree)


def _commit(sandbox, repo: str, sha: str):
    with sandbox.state.lock:
        return sandbox.state.repo(repo).store.commit(sha)


def _blob(sandbox, repo: str, sha: str) -> str:
    with sandbox.state.lock:
        return sandbox.state.repo(repo).store.blob(sha).data.decode()


def _bot_comments(sandbox, number: int):
    return [c for c in sandbox.issue_comments(REPO, number) if c.user == BOT]


def _git_writes(sandbox):
    return [r for r in sandbox.calls("POST", "/repos/*/git/*")] + sandbox.calls(
        "PATCH", "/repos/*/git/*"
    )


def _push_payload(sandbox, repo, before, after, *, sender="alice", branch="main"):
    payload = example("push")
    payload.update(_common(sandbox, repo, sender))
    commit = _commit(sandbox, repo, after)
    head = {
        "id": after, "tree_id": commit.tree, "distinct": True, "message": commit.message,
        "timestamp": "2024-01-01T00:00:00Z", "url": f"https://github.com/{repo}/commit/{after}",
        "author": {"name": commit.author.name, "email": commit.author.email,
                   "username": commit.author.name},
        "committer": {"name": commit.committer.name, "email": commit.committer.email,
                      "username": commit.committer.name},
        "added": [], "removed": [], "modified": [],
    }  # fmt: skip
    payload.update({
        "ref": f"refs/heads/{branch}", "before": before, "after": after, "created": False,
        "deleted": False, "forced": False, "base_ref": None, "head_commit": head,
        "commits": [head], "pusher": {"name": sender, "email": f"{sender}@example.com"},
    })  # fmt: skip
    return payload


def _check_run_payload(sandbox, run, action, *, sender, identifier=None):
    payload = example("check_run", action)
    payload.update(_common(sandbox, REPO, sender))
    with sandbox.state.lock:
        payload["check_run"] = sandbox.shapes.check_run(sandbox.state.repo(REPO), run)
    if identifier is not None:
        payload["requested_action"] = {"identifier": identifier}
    return payload


def _open_pull(sandbox, files, **kwargs):
    head = sandbox.commit(REPO, "feature", files, message="feature work", author="alice")
    number = sandbox.create_pull(REPO, head="feature", user="alice", **kwargs).number
    return number, head


async def test_push_mode_commits_one_fix_with_the_right_tree(sandbox, bot):
    _repo(sandbox, {**PUSH_MODE, "bin/tool.py": "print(1)\n", "untouched.py": "import os\n"})
    number, head = _open_pull(sandbox, {
        "app/a.py": UNUSED_IMPORT,
        "bin/tool.py": NONE_COMPARE,
        ".github/workflows/helper.py": UNUSED_IMPORT,
    })  # fmt: skip
    head = sandbox.commit(REPO, "feature", {"bin/tool.py": NONE_COMPARE}, message="exec",
                          author="alice", executable=["bin/tool.py"])  # fmt: skip
    payload = pull_request_payload(sandbox, REPO, number)
    await bot.deliver("pull_request", payload)
    await bot.settle()

    tip = sandbox.ref(REPO, "feature")
    assert tip != head
    fix = _commit(sandbox, REPO, tip)
    assert fix.parents == (head,)
    assert fix.author.name == BOT and fixed_sha(fix.message) == head
    before, after = _flat(sandbox, REPO, head), _flat(sandbox, REPO, tip)
    assert _blob(sandbox, REPO, after["app/a.py"].sha) == FIXED_IMPORT
    assert _blob(sandbox, REPO, after["bin/tool.py"].sha) == FIXED_COMPARE
    assert after["bin/tool.py"].mode == EXEC_MODE  # mode kept
    # never under .github/workflows/, and files outside the PR untouched
    assert after[".github/workflows/helper.py"] == before[".github/workflows/helper.py"]
    assert after["untouched.py"] == before["untouched.py"]
    assert set(after) == set(before)
    [comment] = _bot_comments(sandbox, number)
    assert f"Pushed {tip[:7]}" in comment.body and ".github/workflows/helper.py" in comment.body

    # Redeliveries (new ids) and a synchronize for the bot's own commit: still one fix commit.
    await bot.deliver("pull_request", payload)
    await bot.deliver("pull_request", payload)
    sync = pull_request_payload(sandbox, REPO, number, action="synchronize", sender="alice")
    await bot.deliver("pull_request", sync)
    await bot.settle()
    assert sandbox.ref(REPO, "feature") == tip
    assert len(sandbox.calls("POST", f"/repos/{REPO}/git/commits")) == 1
    assert len(_bot_comments(sandbox, number)) == 1


async def test_concurrent_replays_make_one_fix_commit_and_no_complaint(sandbox, bot):
    _repo(sandbox, PUSH_MODE)
    number, head = _open_pull(sandbox, {"app/a.py": UNUSED_IMPORT})
    payload = pull_request_payload(sandbox, REPO, number)
    await asyncio.gather(*(bot.deliver("pull_request", payload) for _ in range(3)))
    await bot.settle()

    tip = sandbox.ref(REPO, "feature")
    assert _commit(sandbox, REPO, tip).parents == (head,)
    [comment] = _bot_comments(sandbox, number)
    assert f"Pushed {tip[:7]}" in comment.body


async def test_concurrent_push_commits_nothing_and_says_why(sandbox, bot):
    _repo(sandbox, PUSH_MODE)
    number, head = _open_pull(sandbox, {"app/a.py": UNUSED_IMPORT})
    # Hold the bot's commit creation until a person has pushed to the branch.
    sandbox.inject("POST", f"/repos/{REPO}/git/commits", delay=1.0)
    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    for _ in range(1000):
        if sandbox.calls("POST", f"/repos/{REPO}/git/trees"):
            break
        await asyncio.sleep(0.01)
    human = sandbox.commit(REPO, "feature", {"app/b.py": "y = 2\n"}, author="alice")
    await bot.settle()

    assert sandbox.ref(REPO, "feature") == human  # the bot's commit never landed
    assert fixed_sha(_commit(sandbox, REPO, human).message) is None
    [comment] = _bot_comments(sandbox, number)
    assert "moved while the fixes" in comment.body and "nothing was committed" in comment.body


async def test_fork_without_maintainer_edits_gets_no_write_only_an_explanation(sandbox, bot):
    _repo(sandbox, PUSH_MODE)
    sandbox.fork(REPO, "alice")
    head = sandbox.commit("alice/app", "feature", {"app/a.py": UNUSED_IMPORT}, author="alice")
    number = sandbox.create_pull(REPO, head="alice:feature", user="alice").number
    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    await bot.settle()

    assert _git_writes(sandbox) == []
    assert sandbox.ref("alice/app", "feature") == head
    [comment] = _bot_comments(sandbox, number)
    assert "Allow edits by maintainers" in comment.body
    assert "-import os" in comment.body  # the fixes, as a patch to apply


async def test_fork_with_maintainer_edits_gets_the_commit_on_the_fork(sandbox, bot):
    _repo(sandbox, PUSH_MODE)
    sandbox.fork(REPO, "alice")
    head = sandbox.commit("alice/app", "feature", {"app/a.py": UNUSED_IMPORT}, author="alice")
    number = sandbox.create_pull(
        REPO, head="alice:feature", user="alice", maintainer_can_modify=True
    ).number
    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    await bot.settle()

    tip = sandbox.ref("alice/app", "feature")
    assert tip != head and _commit(sandbox, "alice/app", tip).parents == (head,)
    assert sandbox.file("alice/app", "app/a.py", tip) == FIXED_IMPORT
    assert sandbox.ref(REPO, "feature") is None  # nothing written to the base repository


async def test_suggest_mode_writes_nothing_on_its_own(sandbox, bot):
    _repo(sandbox)
    number, head = _open_pull(sandbox, {"app/a.py": UNUSED_IMPORT})
    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    await bot.settle()
    assert sandbox.ref(REPO, "feature") == head
    assert _git_writes(sandbox) == []


async def test_push_to_default_branch_opens_one_fix_pr_and_updates_it(sandbox, bot):
    _repo(sandbox)
    first_before = sandbox.ref(REPO, "main")
    first = sandbox.commit(REPO, "main", {"app/a.py": UNUSED_IMPORT}, author="alice")
    await bot.deliver("push", _push_payload(sandbox, REPO, first_before, first))
    await bot.settle()

    [pull] = [p for p in sandbox.repo(REPO).pulls.values() if p.head_ref == FIX_BRANCH]
    tip = sandbox.ref(REPO, FIX_BRANCH)
    assert _commit(sandbox, REPO, tip).parents == (first,)
    assert sandbox.file(REPO, "app/a.py", tip) == FIXED_IMPORT
    issue = sandbox.issue(REPO, pull.number)
    assert issue.user == BOT and markers.parse(issue.body, "fix-pr") is not None
    assert "app/a.py" in issue.body

    second = sandbox.commit(REPO, "main", {"app/c.py": NONE_COMPARE}, author="alice")
    payload = _push_payload(sandbox, REPO, first, second)
    await bot.deliver("push", payload)
    await bot.settle()
    await bot.deliver("push", payload)  # a replay changes nothing
    await bot.settle()

    fix_pulls = [p for p in sandbox.repo(REPO).pulls.values() if p.head_ref == FIX_BRANCH]
    assert [p.number for p in fix_pulls] == [pull.number]
    tip = sandbox.ref(REPO, FIX_BRANCH)
    assert _commit(sandbox, REPO, tip).parents == (second,)  # reset onto the new head
    assert sandbox.file(REPO, "app/a.py", tip) == FIXED_IMPORT  # earlier fix carried forward
    assert sandbox.file(REPO, "app/c.py", tip) == FIXED_COMPARE
    body = sandbox.issue(REPO, pull.number).body
    assert "app/a.py" in body and "app/c.py" in body
    assert len(sandbox.calls("POST", f"/repos/{REPO}/git/commits")) == 2


async def test_the_bots_own_pushes_are_ignored(sandbox, bot):
    _repo(sandbox)
    before = sandbox.ref(REPO, "main")
    mine = sandbox.commit(REPO, "main", {"app/a.py": UNUSED_IMPORT}, author=BOT)
    # sent by the bot: dropped before any handler; sent by a person for the bot's commit
    await bot.deliver("push", _push_payload(sandbox, REPO, before, mine, sender=BOT))
    await bot.deliver("push", _push_payload(sandbox, REPO, before, mine, sender="alice"))
    await bot.settle()
    assert sandbox.ref(REPO, FIX_BRANCH) is None
    assert _git_writes(sandbox) == []


async def test_apply_fixes_button_commits_for_writers_only(sandbox, bot):
    _repo(sandbox)
    sandbox.set_permission(REPO, "reader", "read")
    sandbox.set_permission(REPO, "maint", "write")
    number, head = _open_pull(sandbox, {"app/a.py": UNUSED_IMPORT})
    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    await bot.settle()
    [run] = sandbox.check_runs(REPO, head)

    denied = _check_run_payload(
        sandbox, run, "requested_action", sender="reader", identifier="hephaestus-fix"
    )
    await bot.deliver("check_run", denied)
    await bot.settle()
    assert sandbox.ref(REPO, "feature") == head and _git_writes(sandbox) == []
    [comment] = _bot_comments(sandbox, number)
    assert "@reader" in comment.body

    allowed = _check_run_payload(
        sandbox, run, "requested_action", sender="maint", identifier="hephaestus-fix"
    )
    await bot.deliver("check_run", allowed)
    await bot.settle()
    tip = sandbox.ref(REPO, "feature")
    assert _commit(sandbox, REPO, tip).parents == (head,)
    assert sandbox.file(REPO, "app/a.py", tip) == FIXED_IMPORT
    [comment] = _bot_comments(sandbox, number)  # the same comment, now telling the outcome
    assert "@maint" in comment.body and f"Pushed {tip[:7]}" in comment.body


async def test_rerequested_check_run_runs_the_analysis_again(sandbox, bot):
    _repo(sandbox)
    number, head = _open_pull(sandbox, {"app/a.py": "def f(:\n"})
    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    await bot.settle()
    [run] = sandbox.check_runs(REPO, head)
    reads = len(sandbox.calls("GET", f"/repos/{REPO}/pulls/{number}/files"))

    await bot.deliver("check_run", _check_run_payload(sandbox, run, "rerequested", sender="alice"))
    await bot.settle()
    assert len(sandbox.calls("GET", f"/repos/{REPO}/pulls/{number}/files")) > reads
    [again] = sandbox.check_runs(REPO, head)
    assert again.status == "completed" and again.conclusion == "failure"


async def test_rerequested_check_suite_analyses_the_suites_pull_requests_again(sandbox, bot):
    _repo(sandbox)
    number, head = _open_pull(sandbox, {"app/a.py": "def f(:\n"})
    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    await bot.settle()
    [run] = sandbox.check_runs(REPO, head)
    reads = len(sandbox.calls("GET", f"/repos/{REPO}/pulls/{number}/files"))
    # Somebody else's CI suite being re-run is not the bot's business.
    other = check_suite_payload(sandbox, REPO, 99, head, None, "other-ci", "feature",
                                action="rerequested")  # fmt: skip
    await bot.deliver("check_suite", other)
    await bot.settle()
    assert len(sandbox.calls("GET", f"/repos/{REPO}/pulls/{number}/files")) == reads

    payload = check_suite_payload(sandbox, REPO, run.check_suite_id, head, None, None, "feature",
                                  action="rerequested")  # fmt: skip
    assert [p["number"] for p in payload["check_suite"]["pull_requests"]] == [number]
    await bot.deliver("check_suite", payload)
    payload["check_suite"]["pull_requests"] = []  # as for a fork's PR: found by its head sha
    await bot.deliver("check_suite", payload)
    await bot.settle()
    assert len(sandbox.calls("GET", f"/repos/{REPO}/pulls/{number}/files")) == reads + 2
    [again] = sandbox.check_runs(REPO, head)
    assert again.id == run.id and again.status == "completed" and again.conclusion == "failure"
    assert len(sandbox.reviews(REPO, number)) == 1  # nothing new to say: no second review


async def test_server_errors_end_in_the_same_single_fix_commit(sandbox, bot):
    _repo(sandbox, PUSH_MODE)
    number, head = _open_pull(sandbox, {"app/a.py": UNUSED_IMPORT})
    sandbox.inject("POST", f"/repos/{REPO}/git/trees", status=502, times=1)
    sandbox.inject("PATCH", f"/repos/{REPO}/git/refs/*", status=503, times=1)
    sandbox.inject("GET", f"/repos/{REPO}/contents/*", status=500, times=1)
    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    await bot.settle(timeout=60)

    tip = sandbox.ref(REPO, "feature")
    assert _commit(sandbox, REPO, tip).parents == (head,)
    assert sandbox.file(REPO, "app/a.py", tip) == FIXED_IMPORT
    assert len(_bot_comments(sandbox, number)) == 1


async def test_fix_command_commits_with_the_rules_asked_for(sandbox, bot):
    _repo(sandbox)
    sandbox.set_permission(REPO, "maint", "write")
    number, head = _open_pull(sandbox, {"app/a.py": UNUSED_IMPORT, "app/c.py": NONE_COMPARE})
    payload = issue_comment_payload(sandbox, REPO, number, "/hephaestus fix HEP102", user="maint")
    await bot.deliver("issue_comment", payload)
    await bot.settle()

    tip = sandbox.ref(REPO, "feature")
    assert _commit(sandbox, REPO, tip).parents == (head,)
    assert sandbox.file(REPO, "app/c.py", tip) == FIXED_COMPARE
    assert sandbox.file(REPO, "app/a.py", tip) == UNUSED_IMPORT  # F401 was not asked for
    assert any(f"Pushed {tip[:7]}" in c.body for c in _bot_comments(sandbox, number))


async def test_fix_pr_is_closed_when_nothing_is_left_and_never_overwrites_people(sandbox, bot):
    _repo(sandbox)
    before = sandbox.ref(REPO, "main")
    first = sandbox.commit(REPO, "main", {"app/a.py": UNUSED_IMPORT}, author="alice")
    await bot.deliver("push", _push_payload(sandbox, REPO, before, first))
    await bot.settle()
    [pull] = [p for p in sandbox.repo(REPO).pulls.values() if p.head_ref == FIX_BRANCH]

    # Somebody fixed it by hand: the fix PR closes itself.
    second = sandbox.commit(REPO, "main", {"app/a.py": FIXED_IMPORT}, author="alice")
    await bot.deliver("push", _push_payload(sandbox, REPO, first, second))
    await bot.settle()
    assert sandbox.issue(REPO, pull.number).state == "closed"

    # A person's commit on the fix branch is never force-pushed away.
    theirs = sandbox.commit(REPO, FIX_BRANCH, {"notes.txt": "mine\n"}, author="alice")
    third = sandbox.commit(REPO, "main", {"app/b.py": UNUSED_IMPORT}, author="alice")
    await bot.deliver("push", _push_payload(sandbox, REPO, second, third))
    await bot.settle()
    assert sandbox.ref(REPO, FIX_BRANCH) == theirs


def _fix_commits(sandbox, head: str) -> list[str]:
    """Every commit object in the repository that carries fixes for `head`."""
    with sandbox.state.lock:
        store = sandbox.state.repo(REPO).store
        return [
            sha for sha, obj in store.objects.items()
            if hasattr(obj, "parents") and fixed_sha(obj.message) == head
        ]  # fmt: skip


def _ref_writes(sandbox, branch: str) -> list:
    created = [
        r for r in sandbox.calls("POST", f"/repos/{REPO}/git/refs")
        if r.status == 201 and r.json()["ref"] == f"refs/heads/{branch}"
    ]  # fmt: skip
    moved = [r for r in sandbox.calls("PATCH", f"/repos/{REPO}/git/refs/heads/{branch}")]
    return created + [r for r in moved if r.status == 200]


async def test_identical_push_deliveries_at_once_make_one_commit_and_one_ref_move(sandbox, bot):
    _repo(sandbox)
    before = sandbox.ref(REPO, "main")
    head = sandbox.commit(REPO, "main", {"app/a.py": UNUSED_IMPORT}, author="alice")
    payload = _push_payload(sandbox, REPO, before, head)
    # A slow commit: side by side, both jobs would commit. The queue runs them one after the
    # other (the `:fix-pr` serial key), so the second finds the fix made and commits nothing.
    sandbox.inject("POST", f"/repos/{REPO}/git/commits", delay=1.2)
    await asyncio.gather(bot.deliver("push", payload), bot.deliver("push", payload))
    await bot.settle()

    assert len(sandbox.calls("POST", f"/repos/{REPO}/git/commits")) == 1
    [fix] = _fix_commits(sandbox, head)
    assert sandbox.ref(REPO, FIX_BRANCH) == fix
    assert len(_ref_writes(sandbox, FIX_BRANCH)) == 1
    fix_pulls = [p for p in sandbox.repo(REPO).pulls.values() if p.head_ref == FIX_BRANCH]
    assert len(fix_pulls) == 1
    commit = _commit(sandbox, REPO, fix)
    assert commit.author.name == commit.committer.name == BOT
    assert commit.committer.timestamp == _commit(sandbox, REPO, head).committer.timestamp


async def test_a_person_on_the_fix_branch_is_told_once_in_the_fix_pr(sandbox, bot):
    _repo(sandbox)
    before = sandbox.ref(REPO, "main")
    first = sandbox.commit(REPO, "main", {"app/a.py": UNUSED_IMPORT}, author="alice")
    await bot.deliver("push", _push_payload(sandbox, REPO, before, first))
    await bot.settle()
    [pull] = [p for p in sandbox.repo(REPO).pulls.values() if p.head_ref == FIX_BRANCH]

    theirs = sandbox.commit(REPO, FIX_BRANCH, {"notes.txt": "mine\n"}, author="bob")
    second = sandbox.commit(REPO, "main", {"app/b.py": UNUSED_IMPORT}, author="alice")
    payload = _push_payload(sandbox, REPO, first, second)
    await bot.deliver("push", payload)
    await bot.settle()
    body = sandbox.issue(REPO, pull.number).body
    assert sandbox.ref(REPO, FIX_BRANCH) == theirs
    assert markers.parse(body, "fix-pr").get("blocked") == theirs
    assert f"Somebody else pushed {theirs[:7]}" in body and "(by bob)" in body
    assert "app/a.py" in body  # the description of the fixes is kept under the note

    # More pushes while the branch stays blocked: the description is not edited again.
    edits = len(sandbox.calls("PATCH", f"/repos/{REPO}/pulls/{pull.number}"))
    third = sandbox.commit(REPO, "main", {"app/c.py": UNUSED_IMPORT}, author="alice")
    await bot.deliver("push", _push_payload(sandbox, REPO, second, third))
    await bot.deliver("push", payload)
    await bot.settle()
    assert len(sandbox.calls("PATCH", f"/repos/{REPO}/pulls/{pull.number}")) == edits
    assert sandbox.issue(REPO, pull.number).body.count("Updates paused") == 1
    assert _bot_comments(sandbox, pull.number) == []  # no comment, no notification


async def test_a_syntax_guess_is_never_committed_but_a_confident_repair_is(sandbox, bot):
    _repo(sandbox, PUSH_MODE)
    guess = "from os impor path\n"  # the likeliest repair is a guess: suggestion only
    number, head = _open_pull(sandbox, {"app/g.py": guess, "app/s.py": "def f(a)\n    return a\n"})
    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    await bot.settle()

    tip = sandbox.ref(REPO, "feature")
    assert _commit(sandbox, REPO, tip).parents == (head,)
    assert sandbox.file(REPO, "app/s.py", tip) == "def f(a):\n    return a\n"
    assert sandbox.file(REPO, "app/g.py", tip) == guess
    [comment] = _bot_comments(sandbox, number)
    assert "app/g.py" in comment.body and "offered as a suggestion" in comment.body
