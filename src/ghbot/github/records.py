"""The one writer of records (deployment history, failure catalog) into the repository.

Where: by default the records branch (`knowledge.records_branch`). It is created on first write
as an *orphan* branch - a root commit holding only a README that says what the branch is - so it
carries no workflow files, no deploy configuration and no code: a push to it can trigger no CI
run or deploy, and nobody can merge it by mistake into the default branch without noticing an
unrelated history. With `knowledge.records_target: default_branch` records go to the default
branch under `.github/hephaestus/records/` and every commit message carries `[skip ci]`.

How: one commit per batch. A batch that changes one file (a burst of deployments to one
environment) is one Contents API write, compare-and-swap on the file's blob (a 409 re-reads and
recomputes); a batch of several files is one Git Data commit with `commit_with_retry` (a
non-fast-forward update recomputes every change on the new head), so concurrent processes lose
nothing either way. Within a process, writes to one repository are coalesced: each call queues
its changes, and whoever holds the repository's lock lingers while more arrive (LINGER, at most
MAX_LINGER), then commits everyone's pending changes at once. A burst of 20 deployment events
therefore makes a handful of one-write commits instead of 20 four-write ones, against GitHub's
~80 writes a minute secondary limit; records are bookkeeping, so their writes wait behind
people's when that budget is spent (`ghbot.github.throttle`).

Callers name files by their *record path* (e.g. `deployments/production/2024-05.md`); `location`
maps it into the repository. Changes are functions of the file's current text, so they are
recomputed on whatever head the commit finally lands on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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
MAX_MESSAGE_LINES = 20
SKIP_CI = "[skip ci]"
# The batch's leader waits this long after the latest write joined, for more (a burst's jobs
# reach the writer a few at a time), and never longer than MAX_LINGER in all.
LINGER = 0.2
MAX_LINGER = 2.0

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


@dataclass(slots=True)
class _Pending:
    writes: Sequence[RecordWrite]
    message: str
    done: asyncio.Future[GitCommit | None]


@dataclass(slots=True)
class _RepoQueue:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    pending: list[_Pending] = field(default_factory=list)
    users: int = 0


# Keyed by event loop too: a lock belongs to the loop it was first used on.
_queues: dict[tuple[int, str, str, str, str], _RepoQueue] = {}


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
    """Apply `writes` to the records and commit; returns the commit that holds them (shared
    with other writes batched alongside), or None when nothing changed. Raises RecordsError
    (or a transient GitHubError) when the batch could not be committed."""
    if not writes:
        return None
    if default_branch is None:
        default_branch = (await gh.get_repo(owner, repo)).default_branch
    where = location(config, default_branch)
    loop = asyncio.get_running_loop()
    key = (id(loop), gh.api_url, owner.lower(), repo.lower(), where.branch)
    queue = _queues.setdefault(key, _RepoQueue())
    mine = _Pending(tuple(writes), message, loop.create_future())
    queue.pending.append(mine)
    queue.users += 1
    try:
        async with queue.lock:
            if not mine.done.done():
                await _linger(queue)
                await _run_batch(gh, owner, repo, where, default_branch, queue, mine)
        return await mine.done
    except asyncio.CancelledError:
        if mine in queue.pending:  # cancelled while queued: nobody writes it now
            queue.pending.remove(mine)
        raise
    finally:
        queue.users -= 1
        if not queue.users:
            _queues.pop(key, None)


async def _linger(queue: _RepoQueue) -> None:
    """Wait while writes keep joining the queue (bounded), so one commit carries them all."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + MAX_LINGER
    seen = -1
    while len(queue.pending) != seen and loop.time() < deadline:
        seen = len(queue.pending)
        await asyncio.sleep(min(LINGER, max(0.0, deadline - loop.time())))


async def _run_batch(
    gh: GitHub,
    owner: str,
    repo: str,
    where: Location,
    default_branch: str,
    queue: _RepoQueue,
    mine: _Pending,
) -> None:
    """Commit every pending write of the queue (the caller holds its lock) and settle each
    writer's future with the result."""
    batch, queue.pending = queue.pending, []
    try:
        commit = await _commit_batch(gh, owner, repo, where, default_branch, batch)
    except asyncio.CancelledError:
        # The other writers still wait for the lock: hand their writes back to them.
        queue.pending[:0] = [p for p in batch if p is not mine]
        raise
    except Exception as exc:
        for p in batch:
            p.done.set_exception(exc)
            if p is not mine:  # each waiter re-raises it; mark it seen for the loop's check
                p.done.exception()
    else:
        for p in batch:
            p.done.set_result(commit)


def _message(batch: Sequence[_Pending], skip_ci: bool) -> str:
    messages = list(dict.fromkeys(p.message.strip() or "record" for p in batch))
    if len(messages) == 1:
        subject, body = messages[0].splitlines()[0], messages[0].partition("\n")[2].strip()
    else:
        subject = f"hephaestus: {len(batch)} records"
        shown = [f"- {m.splitlines()[0]}" for m in messages[:MAX_MESSAGE_LINES]]
        if len(messages) > MAX_MESSAGE_LINES:
            shown.append(f"- ... and {len(messages) - MAX_MESSAGE_LINES} more")
        body = "\n".join(shown)
    if skip_ci:
        subject = f"{subject} {SKIP_CI}"
    return f"{subject}\n\n{body}" if body else subject


async def _commit_batch(
    gh: GitHub,
    owner: str,
    repo: str,
    where: Location,
    default_branch: str,
    batch: Sequence[_Pending],
) -> GitCommit | None:
    writes = [w for p in batch for w in p.writes]
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

    message = _message(batch, where.on_default_branch)
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
