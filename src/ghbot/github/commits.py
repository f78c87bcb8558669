"""Commits through the Git Data API: blobs, one tree on top of the parent's, a commit, and a
fast-forward ref update. Nothing is cloned and no code from the repository runs.

Two policies share the mechanics:
- `commit_on_head` for fix commits: the commit goes on exactly the head the bot analysed; if
  someone pushed meanwhile the update is refused and `ConcurrentUpdate` says so, because a fix
  computed for an older head must not land on a newer one.
- `commit_with_retry` for records (deployment history, catalog): the change is recomputed on the
  new head and retried, so concurrent writers all land and none is lost or doubled.

Fix commits are reproducible (`signed_by`): the bot is author and committer, dated like the
commit they fix, so the same fixes for the same head are the same commit id whoever makes them
and whenever. Two workers handling the same delivery then create one commit object and agree on
where the branch goes; GitHub's ref API has no compare-and-swap, and this needs none.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from ghbot.github.api import GitHub
from ghbot.github.client import RetryPolicy
from ghbot.github.errors import NotFound, ValidationFailed
from ghbot.github.models import GitCommit, GitSignature, TreeEntry, TreeMode

BLOB_CONCURRENCY = 4
MAX_ATTEMPTS = 30  # bounded: 50 concurrent writers settle well within this on the sandbox
# Jittered backoff spreads a burst of writers out instead of retrying in lockstep.
RETRY_BACKOFF = RetryPolicy(base_delay=0.05, max_delay=2.0)


class ConcurrentUpdate(Exception):
    """The branch moved between reading its head and updating it (not a fast-forward)."""


@dataclass(frozen=True, slots=True)
class FileChange:
    """A file's new content at `path`, or its deletion (`content=None`). Keep `mode` of an
    existing file (e.g. "100755") when rewriting it."""

    path: str
    content: bytes | None
    mode: TreeMode = "100644"


# Given the branch's current head commit, the changes to make (empty: nothing to do).
Edit = Callable[[GitCommit], Awaitable[Sequence[FileChange]]]


async def create_commit(
    gh: GitHub,
    owner: str,
    repo: str,
    *,
    parent: GitCommit,
    changes: Sequence[FileChange],
    message: str,
    signature: GitSignature | None = None,
) -> GitCommit:
    """A commit holding `changes` on top of `parent`'s tree. Does not move any ref.
    `signature`: see `reproducible_signature` (None: GitHub signs with the caller, now)."""
    limit = asyncio.Semaphore(BLOB_CONCURRENCY)

    async def entry(change: FileChange) -> TreeEntry:
        if change.content is None:
            return TreeEntry(change.path, None, change.mode)
        async with limit:
            sha = await gh.create_blob(owner, repo, change.content)
        return TreeEntry(change.path, sha, change.mode)

    entries = list(await asyncio.gather(*(entry(c) for c in changes)))
    tree = await gh.create_tree(owner, repo, entries, base_tree=parent.tree_sha)
    return await gh.create_commit(
        owner, repo, message=message, tree=tree.sha, parents=[parent.sha], signature=signature
    )


def reproducible_signature(login: str, parent: GitCommit) -> GitSignature | None:
    """`login` as author and committer, dated like `parent` (None when its date is unknown).
    The email is GitHub's no-reply form for the account."""
    if not parent.committer_date:
        return None
    return GitSignature(login, f"{login}@users.noreply.github.com", parent.committer_date)


async def fast_forward(gh: GitHub, owner: str, repo: str, branch: str, sha: str) -> None:
    try:
        await gh.update_ref(owner, repo, f"heads/{branch}", sha, force=False)
    except ValidationFailed as exc:
        if "fast forward" in str(exc).lower():
            raise ConcurrentUpdate(f"{branch} moved while the commit was being made") from exc
        raise


async def commit_on_head(
    gh: GitHub,
    owner: str,
    repo: str,
    *,
    branch: str,
    head_sha: str,
    changes: Sequence[FileChange],
    message: str,
    signed_by: str | None = None,
) -> GitCommit:
    """Commit `changes` on `head_sha` and move `branch` to it; ConcurrentUpdate if `branch` is
    no longer at `head_sha` (a concurrent push), leaving the branch untouched. With `signed_by`
    the commit is reproducible: a replay makes the same commit, and moving the branch to where
    it already is succeeds."""
    parent = await gh.get_commit(owner, repo, head_sha)
    signature = reproducible_signature(signed_by, parent) if signed_by else None
    commit = await create_commit(
        gh, owner, repo, parent=parent, changes=changes, message=message, signature=signature
    )
    await fast_forward(gh, owner, repo, branch, commit.sha)
    return commit


async def ensure_branch(
    gh: GitHub, owner: str, repo: str, branch: str, *, start_sha: str
) -> str:
    """The branch's head sha, creating the branch at `start_sha` when it does not exist."""
    try:
        return (await gh.get_ref(owner, repo, f"heads/{branch}")).sha
    except NotFound:
        pass
    try:
        return (await gh.create_ref(owner, repo, f"refs/heads/{branch}", start_sha)).sha
    except ValidationFailed:  # another writer created it first
        return (await gh.get_ref(owner, repo, f"heads/{branch}")).sha


async def commit_with_retry(
    gh: GitHub,
    owner: str,
    repo: str,
    *,
    branch: str,
    start_sha: str,
    edit: Edit,
    message: str,
    attempts: int = MAX_ATTEMPTS,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> GitCommit | None:
    """Apply `edit` to the branch's latest head and fast-forward, recomputing on every
    non-fast-forward. Creates the branch at `start_sha` if missing. None when `edit` had
    nothing to change."""
    for attempt in range(attempts):
        head_sha = await ensure_branch(gh, owner, repo, branch, start_sha=start_sha)
        parent = await gh.get_commit(owner, repo, head_sha)
        changes = await edit(parent)
        if not changes:
            return None
        commit = await create_commit(
            gh, owner, repo, parent=parent, changes=changes, message=message
        )
        try:
            await fast_forward(gh, owner, repo, branch, commit.sha)
            return commit
        except ConcurrentUpdate:
            await sleep(RETRY_BACKOFF.backoff(attempt + 1))
    raise ConcurrentUpdate(f"{branch} kept moving: gave up after {attempts} attempts")
