"""The one writer of records (deployment history, failure catalog) into the repository.

Where: by default the records branch (`knowledge.records_branch`). It is created on first write
as an *orphan* branch - a root commit holding only a README that says what the branch is - so it
carries no workflow files, no deploy configuration and no code: a push to it can trigger no CI
run or deploy, and nobody can merge it by mistake into the default branch without noticing an
unrelated history. With `knowledge.records_target: default_branch` records go to the default
branch under `.github/hephaestus/records/` and every commit message carries `[skip ci]`.

How: one commit per call. A call that changes one file (a deployment) is one Contents API
write, compare-and-swap on the file's blob (a 409 re-reads and recomputes); a call that changes
several files is one Git Data commit with `commit_with_retry` (a non-fast-forward update
recomputes every change on the new head), so a concurrent writer (a person, another host) loses
nothing either way. The queue runs no two jobs writing one repository's records at once (their
`:records` serial key), so the writer holds no lock of its own. Records are bookkeeping: their
writes wait behind people's when the write budget is spent (`ghbot.github.throttle`).

Callers name files by their *record path* (e.g. `deployments/production/2024-05.md`); `location`
maps it into the repository. Changes are functions of the file's current text, so they are
recomputed on whatever head the commit finally lands on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ghbot.github.api import GitHub
from ghbot.github.commits import (
    MAX_ATTEMPTS,
    RETRY_BACKOFF,
    ConcurrentUpdate,
    FileChange,
    commit_with_retry,
    ensure_branch,
)
from ghbot.github.errors import Conflict, NotFound, PermissionDenied, TooLarge, ValidationFailed
from ghbot.github.models import FileContent, GitCommit, TreeEntry
from ghbot.github.repo_config import RepoConfig
from ghbot.github.throttle import bookkeeping

DEFAULT_BRANCH_DIR = ".github/hephaestus/records"
MAX_RECORD_BYTES = 4 * 1024 * 1024  # formats rotate well below this; bigger means damage
READ_CONCURRENCY = 4
SKIP_CI = "[skip ci]"

BRANCH_README = """# Hephaestus records

This branch is written by the Hephaestus bot: deployment history (`deployments/`) and the
failure catalog (`catalog/`), as markdown, one commit per batch of events. It shares no history
with the code and holds no workflow files, so pushes to it run no CI and no deploy.

Do not merge it. Read it on GitHub, or locally:
`git fetch origin {branch} && hephaestus deployments`.
"""

# Given the file's current text (None: it does not exist yet), its new text; None or the same
# text means "no change". Must be pure: it may run again on a newer head.
Apply = Callable[[str | None], str | None]


class RecordsError(Exception):
    """A record could not be written or read (bad path, file too big, GitHub refused)."""


@dataclass(frozen=True, slots=True)
class RecordWrite:
    path: str  # record path, relative, '/'-separated
    apply: Apply

    def __post_init__(self) -> None:
        check_record_path(self.path)


@dataclass(frozen=True, slots=True)
class Location:
    """Where records live in one repository."""

    branch: str
    prefix: str  # "" on the records branch, DEFAULT_BRANCH_DIR + "/" on the default branch
    on_default_branch: bool

    def repo_path(self, record_path: str) -> str:
        return self.prefix + check_record_path(record_path)


def check_record_path(path: str) -> str:
    parts = path.split("/")
    if (
        not path
        or len(path) > 255
        or path.startswith("/")
        or "\\" in path
        or any(p in ("", ".", "..") for p in parts)
    ):
        raise RecordsError(f"invalid record path {path!r}: relative, '/'-separated, no '..'")
    return path


def location(config: RepoConfig, default_branch: str) -> Location:
    if config.knowledge.records_target == "default_branch":
        return Location(default_branch, DEFAULT_BRANCH_DIR + "/", True)
    return Location(config.knowledge.records_branch, "", False)


# -- writing ---------------------------------------------------------------------------------


async def append(
    gh: GitHub,
    owner: str,
    repo: str,
    config: RepoConfig,
    writes: Sequence[RecordWrite],
    *,
    message: str,
    default_branch: str | None = None,
) -> GitCommit | None:
    """Apply `writes` to the records and commit; returns the commit that holds them, or None
    when nothing changed. Raises RecordsError (or a transient GitHubError) when they could not
    be committed."""
    if not writes:
        return None
    if default_branch is None:
        default_branch = (await gh.get_repo(owner, repo)).default_branch
    where = location(config, default_branch)
    subject, _, body = (message.strip() or "record").partition("\n")
    if where.on_default_branch:
        subject = f"{subject} {SKIP_CI}"
    message = f"{subject}\n\n{body.strip()}" if body.strip() else subject
    return await _commit(gh, owner, repo, where, default_branch, writes, message)


async def _commit(
    gh: GitHub,
    owner: str,
    repo: str,
    where: Location,
    default_branch: str,
    writes: Sequence[RecordWrite],
    message: str,
) -> GitCommit | None:
    paths = list(dict.fromkeys(w.path for w in writes))

    async def edit(head: GitCommit) -> list[FileChange]:
        limit = asyncio.Semaphore(READ_CONCURRENCY)

        async def current(path: str) -> str | None:
            async with limit:
                return await _read_at(gh, owner, repo, where.repo_path(path), head.sha)

        texts = dict(zip(paths, await asyncio.gather(*(current(p) for p in paths)), strict=True))
        before = dict(texts)
        for w in writes:  # in call order, each on the previous result for the same file
            new = w.apply(texts[w.path])
            if new is not None:
                texts[w.path] = new
        changes = []
        for p in paths:
            text = texts[p]
            if text is not None and text != before[p]:
                changes.append(FileChange(where.repo_path(p), text.encode()))
        return changes

    try:
        with bookkeeping():
            if where.on_default_branch:
                start = (await gh.get_ref(owner, repo, f"heads/{default_branch}")).sha
            else:
                start = await _orphan_root(gh, owner, repo, where.branch)
            if len(paths) == 1:
                await ensure_branch(gh, owner, repo, where.branch, start_sha=start)
                return await _put_one(gh, owner, repo, where, paths[0], writes, message)
            return await commit_with_retry(
                gh, owner, repo, branch=where.branch, start_sha=start, edit=edit, message=message
            )
    except (PermissionDenied, NotFound, Conflict, ValidationFailed) as exc:
        # Retrying will not help (no access, protected branch, empty repository): say so.
        raise RecordsError(f"cannot write records to {where.branch}: {exc}") from exc


async def _put_one(
    gh: GitHub,
    owner: str,
    repo: str,
    where: Location,
    path: str,
    writes: Sequence[RecordWrite],
    message: str,
) -> GitCommit | None:
    """One file's writes as one Contents API commit, swapped in only over the blob they were
    computed from; recomputed on the newer text when another writer got there first."""
    repo_path = where.repo_path(path)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        current = await _file_at(gh, owner, repo, repo_path, where.branch)
        before = current.text() if current is not None else None
        text = before
        for w in writes:
            new = w.apply(text)
            if new is not None:
                text = new
        if text is None or text == before:
            return None
        try:
            return await gh.put_file(
                owner, repo, repo_path, text.encode(), branch=where.branch, message=message,
                sha=current.sha if current is not None else None,
            )  # fmt: skip
        except Conflict:  # the file is no longer the blob we read
            pass
        except ValidationFailed:
            if current is not None:
                raise
            # created by another writer since we found it missing
        await asyncio.sleep(RETRY_BACKOFF.backoff(attempt))
    raise ConcurrentUpdate(f"{repo_path} kept changing: gave up after {MAX_ATTEMPTS} attempts")


async def _orphan_root(gh: GitHub, owner: str, repo: str, branch: str) -> str:
    """The records branch's head; on first use, a parentless commit holding only the README
    (the branch itself is created by `commit_with_retry`'s `ensure_branch`)."""
    try:
        return (await gh.get_ref(owner, repo, f"heads/{branch}")).sha
    except NotFound:
        pass
    blob = await gh.create_blob(owner, repo, BRANCH_README.format(branch=branch).encode())
    tree = await gh.create_tree(owner, repo, [TreeEntry("README.md", blob)])
    root = await gh.create_commit(
        owner, repo, message="hephaestus: start the records branch", tree=tree.sha, parents=[]
    )
    return root.sha


# -- reading ---------------------------------------------------------------------------------


async def _file_at(
    gh: GitHub, owner: str, repo: str, path: str, ref: str
) -> FileContent | None:
    try:
        return await gh.get_file(owner, repo, path, ref, max_bytes=MAX_RECORD_BYTES)
    except NotFound:
        return None
    except TooLarge as exc:
        raise RecordsError(
            f"{path} is over {MAX_RECORD_BYTES} bytes; refusing to rewrite it"
        ) from exc


async def _read_at(gh: GitHub, owner: str, repo: str, path: str, ref: str) -> str | None:
    file = await _file_at(gh, owner, repo, path, ref)
    return file.text() if file is not None else None


async def read(
    gh: GitHub,
    owner: str,
    repo: str,
    config: RepoConfig,
    path: str,
    *,
    default_branch: str | None = None,
) -> str | None:
    """A record file's text on the records' branch; None when it (or the branch) is missing."""
    if default_branch is None:
        default_branch = (await gh.get_repo(owner, repo)).default_branch
    where = location(config, default_branch)
    try:
        return await _read_at(gh, owner, repo, where.repo_path(path), where.branch)
    except ValidationFailed:
        return None


async def list_dir(
    gh: GitHub,
    owner: str,
    repo: str,
    config: RepoConfig,
    directory: str,
    *,
    default_branch: str | None = None,
) -> list[str]:
    """The entries (files and folders) directly under a record directory, sorted by name;
    empty when it does not exist."""
    if default_branch is None:
        default_branch = (await gh.get_repo(owner, repo)).default_branch
    where = location(config, default_branch)
    try:
        listing = await gh.list_directory(owner, repo, where.repo_path(directory), where.branch)
    except (NotFound, ValidationFailed):
        return []
    return sorted(item.name for item in listing or ())
