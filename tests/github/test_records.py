"""The records writer against the sandbox GitHub: where records land, coalescing of concurrent
writes into few commits, and no entry lost across independent writers."""

from __future__ import annotations

import asyncio
import threading

import aiohttp
import pytest

from ghbot.github import records
from ghbot.github.auth import StaticToken
from ghbot.github.client import GitHubClient, RetryPolicy
from ghbot.github.records import RecordsError, RecordWrite
from ghbot.github.repo_config import RepoConfig, parse_config

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, max_total_wait=3.0)
CONFIG = RepoConfig()


def client(sandbox, session: aiohttp.ClientSession, inst) -> GitHubClient:
    # No write throttle: the bursts here make more writes than one minute's allowance.
    return GitHubClient(
        session, StaticToken(sandbox.token(inst)), api_url=sandbox.base_url, policy=FAST
    )


@pytest.fixture
def inst(sandbox):
    sandbox.create_repo("octo/proj", {"README.md": "hello\n", ".github/workflows/ci.yml": "x\n"})
    return sandbox.create_installation("octo")


@pytest.fixture
async def gh(sandbox, session, inst):
    return client(sandbox, session, inst)


def add_line(line: str):
    """An idempotent append: the line is added once, however often the write is recomputed."""

    def apply(text: str | None) -> str | None:
        lines = (text or "").splitlines()
        return None if line in lines else "\n".join([*lines, line]) + "\n"

    return apply


def commits_on(sandbox, branch: str) -> list[str]:
    repo = sandbox.repo("octo/proj")
    sha, out = sandbox.ref("octo/proj", branch), []
    while sha:
        out.append(sha)
        parents = repo.store.commit(sha).parents
        sha = parents[0] if parents else None
    return out


async def test_first_write_starts_an_orphan_records_branch(sandbox, gh):
    main = sandbox.ref("octo/proj", "main")
    commit = await records.append(
        gh, "octo", "proj", CONFIG, [RecordWrite("log/a.md", add_line("one"))], message="rec: one"
    )
    assert commit is not None and sandbox.ref("octo/proj", "hephaestus/records") == commit.sha
    assert sandbox.file("octo/proj", "log/a.md", "hephaestus/records") == "one\n"
    # Only records on the branch: no workflow file can run on a push to it.
    assert sandbox.file("octo/proj", ".github/workflows/ci.yml", "hephaestus/records") is None
    assert "Hephaestus records" in sandbox.file("octo/proj", "README.md", "hephaestus/records")
    history = commits_on(sandbox, "hephaestus/records")
    assert len(history) == 2 and main not in history  # root + the record, unrelated to main
    assert sandbox.ref("octo/proj", "main") == main
    assert commit.message == "rec: one"
    assert await records.read(gh, "octo", "proj", CONFIG, "log/a.md") == "one\n"
    assert await records.list_dir(gh, "octo", "proj", CONFIG, "log") == ["a.md"]
    assert await records.read(gh, "octo", "proj", CONFIG, "log/missing.md") is None


async def test_reading_before_any_record_finds_nothing(sandbox, gh):
    assert await records.read(gh, "octo", "proj", CONFIG, "log/a.md") is None
    assert await records.list_dir(gh, "octo", "proj", CONFIG, "log") == []


async def test_concurrent_writes_are_coalesced_into_few_commits(sandbox, gh):
    writes = [
        records.append(
            gh,
            "octo",
            "proj",
            CONFIG,
            [RecordWrite(f"log/{n % 3}.md", add_line(f"entry {n}"))],
            message=f"entry {n}",
            default_branch="main",
        )
        for n in range(50)
    ]
    results = await asyncio.gather(*writes)
    lines = []
    for n in range(3):
        lines += sandbox.file("octo/proj", f"log/{n}.md", "hephaestus/records").splitlines()
    assert sorted(lines) == sorted(f"entry {n}" for n in range(50))
    history = commits_on(sandbox, "hephaestus/records")
    # The first writer commits alone; everyone who queued meanwhile shares the next commit.
    assert len(history) - 1 <= 5
    assert {r.sha for r in results if r} <= set(history)
    assert len(sandbox.calls("PATCH", "/repos/*/git/refs/*")) <= 5
    batched = next(r for r in results if r and r.message.startswith("hephaestus: "))
    assert "- entry" in batched.message
    assert records._queues == {}  # nothing left behind once the writers are done


async def test_a_batch_changing_one_file_is_one_write(sandbox, gh):
    """The Contents API commits one file in one request; Git Data takes a blob, a tree, a
    commit and a ref update (issue 13 item 9: 4 writes per records commit)."""
    await records.append(gh, "octo", "proj", CONFIG, [RecordWrite("log/a.md", add_line("one"))],
                         message="one")  # fmt: skip
    before = len([r for r in sandbox.requests if r.method != "GET"])
    commit = await records.append(
        gh, "octo", "proj", CONFIG, [RecordWrite("log/a.md", add_line("two"))], message="two"
    )
    writes = [r for r in sandbox.requests if r.method != "GET"][before:]
    assert [(w.method, w.path) for w in writes] == [
        ("PUT", "/repos/octo/proj/contents/log/a.md")
    ]
    assert commit is not None and sandbox.ref("octo/proj", "hephaestus/records") == commit.sha
    assert sandbox.file("octo/proj", "log/a.md", "hephaestus/records") == "one\ntwo\n"
    assert commit.message == "two"


async def test_a_file_changed_under_a_one_file_batch_is_recomputed(sandbox, gh, monkeypatch):
    await records.append(gh, "octo", "proj", CONFIG, [RecordWrite("log/a.md", add_line("one"))],
                         message="one")  # fmt: skip
    put = gh.put_file

    async def racing(*args, **kwargs):  # another writer lands between our read and our write
        if sandbox.file("octo/proj", "log/a.md", "hephaestus/records") == "one\n":
            sandbox.commit("octo/proj", "hephaestus/records", {"log/a.md": "one\nrival\n"})
        return await put(*args, **kwargs)

    monkeypatch.setattr(gh, "put_file", racing)
    await records.append(gh, "octo", "proj", CONFIG, [RecordWrite("log/a.md", add_line("two"))],
                         message="two")  # fmt: skip
    text = sandbox.file("octo/proj", "log/a.md", "hephaestus/records")
    assert text == "one\nrival\ntwo\n"
    assert [c.status for c in sandbox.calls("PUT", "/repos/*/contents/*")][-2:] == [409, 200]


async def test_independent_writers_lose_nothing(sandbox, inst):
    """Two event loops in two threads have separate queues, like two server processes: their
    commits race on the ref and the losers recompute on the new head."""
    errors: list[BaseException] = []

    async def writer(name: str) -> None:
        async with aiohttp.ClientSession() as session:
            gh = client(sandbox, session, inst)
            for n in range(8):
                await records.append(
                    gh,
                    "octo",
                    "proj",
                    CONFIG,
                    [RecordWrite("log/shared.md", add_line(f"{name} {n}"))],
                    message=f"{name} {n}",
                    default_branch="main",
                )

    def run(name: str) -> None:
        try:
            asyncio.run(writer(name))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b", "c")]
    for t in threads:
        t.start()
    await asyncio.to_thread(lambda: [t.join(30) for t in threads])
    assert errors == []
    lines = sandbox.file("octo/proj", "log/shared.md", "hephaestus/records").splitlines()
    assert sorted(lines) == sorted(f"{x} {n}" for x in "abc" for n in range(8))


async def test_default_branch_target_commits_with_skip_ci(sandbox, gh):
    config = parse_config("knowledge: {records_target: default_branch}").config
    commit = await records.append(
        gh, "octo", "proj", config, [RecordWrite("log/a.md", add_line("x"))], message="rec x"
    )
    assert commit is not None and sandbox.ref("octo/proj", "main") == commit.sha
    assert commit.message == "rec x [skip ci]"
    assert sandbox.file("octo/proj", ".github/hephaestus/records/log/a.md", "main") == "x\n"
    assert sandbox.file("octo/proj", "README.md", "main") == "hello\n"  # the rest is untouched
    assert sandbox.ref("octo/proj", "hephaestus/records") is None
    assert await records.read(gh, "octo", "proj", config, "log/a.md") == "x\n"


async def test_an_unchanged_record_makes_no_commit(sandbox, gh):
    write = [RecordWrite("log/a.md", add_line("same"))]
    first = await records.append(gh, "octo", "proj", CONFIG, write, message="m")
    again = await records.append(gh, "octo", "proj", CONFIG, write, message="m")
    assert first is not None and again is None
    assert len(commits_on(sandbox, "hephaestus/records")) == 2


@pytest.mark.parametrize("path", ["", "/abs.md", "a/../b.md", "a//b.md", "a\\b.md", "x" * 300])
def test_bad_record_paths_are_refused(path):
    with pytest.raises(RecordsError):
        RecordWrite(path, add_line("x"))


async def test_a_refused_write_fails_every_batched_writer_clearly(sandbox, gh):
    sandbox.inject("POST", "/repos/*/git/trees", status=403, times=None)
    calls = [
        records.append(
            gh, "octo", "proj", CONFIG, [RecordWrite("a.md", add_line(str(n)))], message="m"
        )
        for n in range(4)
    ]
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(r, RecordsError) for r in results), results
    assert "hephaestus/records" in str(results[0])
    assert records._queues == {}
