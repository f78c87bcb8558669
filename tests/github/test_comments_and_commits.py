"""Sticky comments and Git Data commits against the sandbox GitHub."""

from __future__ import annotations

import asyncio

import pytest

from ghbot.engine import markers
from ghbot.github.auth import StaticToken
from ghbot.github.client import GitHubClient, RetryPolicy
from ghbot.github.comments import Sticky, find_sticky, upsert_sticky
from ghbot.github.commits import (
    ConcurrentUpdate,
    FileChange,
    commit_on_head,
    commit_with_retry,
    create_commit,
    reproducible_signature,
)
from ghbot.github.models import GitCommit

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, max_total_wait=3.0)
BOT = "hephaestus[bot]"


@pytest.fixture
async def gh(sandbox, session):
    sandbox.create_repo("octo/proj", {"README.md": "hello\n", "bin/run": "#!/bin/sh\n"})
    inst = sandbox.create_installation("octo")
    # No write throttle: the concurrency test makes more writes than one minute's allowance.
    return GitHubClient(
        session, StaticToken(sandbox.token(inst)), api_url=sandbox.base_url, policy=FAST
    )


async def test_sticky_comment_is_created_once_then_edited_in_place(sandbox, gh):
    issue = sandbox.create_issue("octo/proj", "CI broke")
    # A human quoting the marker must not be mistaken for the bot's comment.
    sticky = Sticky("octo", "proj", issue.number, "failure", (("run", "7"),))
    sandbox.add_issue_comment("octo/proj", issue.number, sticky.marker() + "\nfake", user="mallory")

    first = await upsert_sticky(gh, sticky, "first report", BOT)
    again = await upsert_sticky(gh, sticky, "first report", BOT)
    edited = await upsert_sticky(gh, sticky, "second report", BOT)
    other = await upsert_sticky(gh, Sticky("octo", "proj", issue.number, "dashboard"), "x", BOT)

    comments = sandbox.issue_comments("octo/proj", issue.number)
    mine = [c for c in comments if c.user == BOT]
    assert len(mine) == 2 and first.id == again.id == edited.id != other.id
    assert mine[0].body.endswith("second report")
    assert markers.parse(mine[0].body, "failure").get("run") == "7"
    # The unchanged body was not written again.
    assert len(sandbox.calls("PATCH", "/repos/*/issues/comments/*")) == 1
    assert (await find_sticky(gh, sticky, BOT)).id == first.id


async def test_sticky_body_is_cut_in_the_middle_to_fit(sandbox, gh):
    issue = sandbox.create_issue("octo/proj", "huge")
    body = "HEAD\n" + "x" * 100_000 + "\nTAIL"
    await upsert_sticky(gh, Sticky("octo", "proj", issue.number, "big"), body, BOT)
    (comment,) = sandbox.issue_comments("octo/proj", issue.number)
    assert len(comment.body) <= 65_536
    assert "HEAD" in comment.body and comment.body.endswith("TAIL")


async def test_commit_on_head_writes_the_tree_and_keeps_modes(sandbox, gh):
    head = sandbox.ref("octo/proj", "main")
    commit = await commit_on_head(
        gh,
        "octo",
        "proj",
        branch="main",
        head_sha=head,
        changes=[
            FileChange("README.md", None),
            FileChange("bin/run", b"#!/bin/sh\necho hi\n", "100755"),
            FileChange("docs/new.md", b"new\n"),
        ],
        message="fix: things",
    )
    assert sandbox.ref("octo/proj", "main") == commit.sha
    assert commit.parents == (head,)
    assert sandbox.file("octo/proj", "README.md") is None
    assert sandbox.file("octo/proj", "docs/new.md") == "new\n"
    tree = await gh.get_tree("octo", "proj", commit.tree_sha, recursive=True)
    modes = {e.path: e.mode for e in tree.entries}
    assert modes["bin/run"] == "100755"


async def test_commit_on_a_stale_head_is_refused_and_leaves_the_branch(sandbox, gh):
    stale = sandbox.ref("octo/proj", "main")
    moved = sandbox.commit("octo/proj", "main", {"other.txt": "pushed meanwhile\n"})
    with pytest.raises(ConcurrentUpdate):
        await commit_on_head(
            gh,
            "octo",
            "proj",
            branch="main",
            head_sha=stale,
            changes=[FileChange("README.md", b"fixed\n")],
            message="fix",
        )
    assert sandbox.ref("octo/proj", "main") == moved


async def test_signed_fix_commits_are_reproducible_and_a_replay_lands_idempotently(sandbox, gh):
    head = sandbox.ref("octo/proj", "main")
    parent = await gh.get_commit("octo", "proj", head)
    change = [FileChange("README.md", b"fixed\n")]
    first = await create_commit(
        gh, "octo", "proj", parent=parent, changes=change, message="fix",
        signature=reproducible_signature(BOT, parent),
    )  # fmt: skip
    sandbox.state.clock_offset += 120  # later, the same input makes the same commit
    replay = await commit_on_head(
        gh, "octo", "proj", branch="main", head_sha=head, changes=change, message="fix",
        signed_by=BOT,
    )  # fmt: skip
    again = await commit_on_head(
        gh, "octo", "proj", branch="main", head_sha=head, changes=change, message="fix",
        signed_by=BOT,
    )  # fmt: skip
    assert first.sha == replay.sha == again.sha == sandbox.ref("octo/proj", "main")
    assert first.author_name == first.committer_name == BOT
    assert first.committer_date == parent.committer_date
    # Unsigned, GitHub stamps the current time: later, another commit id.
    sandbox.state.clock_offset += 120
    unsigned = await create_commit(gh, "octo", "proj", parent=parent, changes=change, message="fix")
    assert unsigned.sha != first.sha


async def test_concurrent_appenders_all_land_exactly_once(sandbox, gh):
    start = sandbox.ref("octo/proj", "main")

    def appender(n: int):
        async def edit(head: GitCommit) -> list[FileChange]:
            try:
                old = (await gh.get_file("octo", "proj", "log.md", head.sha)).text()
            except Exception:  # the first writer creates the file
                old = ""
            return [FileChange("log.md", f"{old}entry {n}\n".encode())]

        return edit

    async def no_sleep(_: float) -> None:
        await asyncio.sleep(0)

    await asyncio.gather(
        *(
            commit_with_retry(
                gh,
                "octo",
                "proj",
                branch="hephaestus/records",
                start_sha=start,
                edit=appender(n),
                message=f"record {n}",
                sleep=no_sleep,
            )
            for n in range(12)
        )
    )
    lines = sandbox.file("octo/proj", "log.md", "hephaestus/records").splitlines()
    assert sorted(lines) == sorted(f"entry {n}" for n in range(12))
    assert sandbox.ref("octo/proj", "main") == start  # the default branch is never touched


async def test_commit_with_retry_does_nothing_when_the_edit_is_empty(sandbox, gh):
    start = sandbox.ref("octo/proj", "main")

    async def nothing(head: GitCommit) -> list[FileChange]:
        return []

    result = await commit_with_retry(
        gh, "octo", "proj", branch="records", start_sha=start, edit=nothing, message="m"
    )
    assert result is None and sandbox.ref("octo/proj", "records") == start
