"""The GitHub side against the sandbox GitHub: every request is checked against GitHub's OpenAPI
description (a violation fails the test at teardown), and assertions read the sandbox's state."""

from __future__ import annotations

import pytest

from ghbot.engine import markers
from ghbot.github.app import GitHubApp
from ghbot.github.auth import AppCredentials
from ghbot.github.checks import CheckReport, publish_check, start_check
from ghbot.github.client import RetryPolicy
from ghbot.github.errors import NotFound, RateLimited, ServerError, ValidationFailed
from ghbot.github.models import Annotation, ReviewComment, TreeEntry
from ghbot.github.repo_config import RepoConfig, load_repo_config

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, max_total_wait=3.0)


@pytest.fixture
async def app(sandbox, session):
    credentials = AppCredentials(str(sandbox.app.id), sandbox.app.private_key_pem)
    return GitHubApp(credentials, api_url=sandbox.base_url, session=session, policy=FAST)


@pytest.fixture
def repo(sandbox):
    sandbox.create_repo(
        "octo/proj",
        {"README.md": "hello\n", ".github/hephaestus.yml": "fixes: {mode: off}\n"},
    )
    sandbox.commit(
        "octo/proj",
        "feature",
        {f"src/m{i:03d}.py": f"x = {i}\n" for i in range(130)}
        | {".github/hephaestus.yml": "fixes: {mode: push}\nreview: {max_comments: 0}\n"},
    )
    return sandbox.create_installation("octo")


async def test_installation_token_and_typed_reads(sandbox, app, repo):
    gh = await app.client_for(repo.id)
    got = await gh.get_repo("octo", "proj")
    assert (got.full_name, got.default_branch) == ("octo/proj", "main")
    readme = await gh.get_file("octo", "proj", "README.md", "main")
    assert readme.text() == "hello\n"
    with pytest.raises(NotFound):
        await gh.get_file("octo", "proj", "nope.txt", "main")
    # One token minted for both calls (and for the client made below).
    await (await app.client_for(repo.id)).get_repo("octo", "proj")
    assert len(sandbox.calls("POST", "/app/installations/*/access_tokens")) == 1


async def test_pull_files_paginate_across_pages(sandbox, app, repo):
    pr = sandbox.create_pull("octo/proj", "feature")
    gh = await app.client_for(repo.id)
    pull = await gh.get_pull("octo", "proj", pr.number)
    assert pull.head_sha == sandbox.ref("octo/proj", "feature") and not pull.is_fork
    files = await gh.list_pull_files("octo", "proj", pr.number)
    assert len(files) == 131
    assert {f.filename for f in files} >= {"src/m000.py", "src/m129.py"}
    assert len(sandbox.calls("GET", "/repos/octo/proj/pulls/*/files")) == 2


async def test_config_comes_from_the_default_branch(sandbox, app, repo):
    gh = await app.client_for(repo.id)
    result = await load_repo_config(gh, "octo", "proj")
    assert result.ok and result.config.fixes.mode == "off"
    assert result.config.review.max_comments == 30  # the PR branch's value is not used
    assert sandbox.file("octo/proj", ".github/hephaestus.yml", "feature").count("push") == 1


async def test_check_run_upsert_is_idempotent_and_batches_annotations(sandbox, app, repo):
    sha = sandbox.ref("octo/proj", "feature")
    gh = await app.client_for(repo.id)
    notes = [
        Annotation(
            f"src/m{i:03d}.py", 1, 1, "failure", f"syntax error {i}", start_column=1, end_column=2
        )
        for i in range(120)
    ]
    report = CheckReport("failure", "120 syntax errors", "details", annotations=notes)
    started = await start_check(gh, "octo", "proj", name="Hephaestus", head_sha=sha)
    first = await publish_check(
        gh, "octo", "proj", report, name="Hephaestus", head_sha=sha, app_id=sandbox.app.id
    )
    again = await publish_check(
        gh, "octo", "proj", report, name="Hephaestus", head_sha=sha, app_id=sandbox.app.id
    )
    assert started.id == first.id == again.id
    (run,) = sandbox.check_runs("octo/proj", sha)
    assert (run.status, run.conclusion) == ("completed", "failure")
    assert [a.message for a in run.annotations] == [f"syntax error {i}" for i in range(120)]
    assert run.output_summary.startswith("<!-- hephaestus:check ")


async def test_comments_markers_reactions_and_permissions(sandbox, app, repo):
    issue = sandbox.create_issue("octo/proj", "CI is red")
    sandbox.add_issue_comment(
        "octo/proj",
        issue.number,
        markers.render("sticky", topic="triage") + "\nforged",
        user="mallory",
    )
    sandbox.set_permission("octo/proj", "alice", "write")
    gh = await app.client_for(repo.id)
    body = markers.render("sticky", topic="triage") + "\nfirst"
    mine = await gh.create_issue_comment("octo", "proj", issue.number, body)
    comments = await gh.list_issue_comments("octo", "proj", issue.number)
    found = markers.find(comments, sandbox.app.bot_login, "sticky", topic="triage")
    assert found is not None and found.id == mine.id
    await gh.update_issue_comment("octo", "proj", found.id, body.replace("first", "second"))
    await gh.add_reaction("octo", "proj", mine.id, "eyes")
    stored = sandbox.issue_comments("octo/proj", issue.number)
    assert [c.body.splitlines()[-1] for c in stored] == ["forged", "second"]
    assert (await gh.get_collaborator_permission("octo", "proj", "alice")).permission == "write"


async def test_git_data_commit_then_fast_forward_only(sandbox, app, repo):
    gh = await app.client_for(repo.id)
    head = await gh.get_ref("octo", "proj", "heads/main")
    commit = await gh.get_commit("octo", "proj", head.sha)
    blob = await gh.create_blob("octo", "proj", b"fixed = True\n")
    tree = await gh.create_tree(
        "octo", "proj", [TreeEntry("src/fix.py", blob)], base_tree=commit.tree_sha
    )
    new = await gh.create_commit("octo", "proj", message="fix", tree=tree.sha, parents=[head.sha])
    await gh.create_ref("octo", "proj", "refs/heads/hephaestus/fixes", new.sha)
    assert sandbox.file("octo/proj", "src/fix.py", "hephaestus/fixes") == "fixed = True\n"
    await gh.update_ref("octo", "proj", "heads/main", new.sha)
    assert sandbox.ref("octo/proj", "main") == new.sha
    with pytest.raises(ValidationFailed):  # not a fast-forward
        await gh.update_ref("octo", "proj", "heads/main", head.sha)


async def test_review_with_inline_comment(sandbox, app, repo):
    pr = sandbox.create_pull("octo/proj", "feature")
    sha = sandbox.ref("octo/proj", "feature")
    gh = await app.client_for(repo.id)
    review = await gh.create_review(
        "octo",
        "proj",
        pr.number,
        commit_id=sha,
        body="one finding",
        comments=[ReviewComment("src/m001.py", 1, "```suggestion\nx = 1\n```")],
    )
    assert review.id and sandbox.reviews("octo/proj", pr.number)[0].body == "one finding"
    assert len(sandbox.review_comments("octo/proj", pr.number)) == 1


async def test_injected_faults_are_retried_or_typed(sandbox, app, repo):
    gh = await app.client_for(repo.id)
    sandbox.inject("GET", "/repos/octo/proj", status=502, times=2)
    assert (await gh.get_repo("octo", "proj")).name == "proj"
    sandbox.inject("GET", "/repos/octo/proj", rate_limit="secondary", retry_after=1, times=1)
    assert (await gh.get_repo("octo", "proj")).name == "proj"
    sandbox.inject("GET", "/repos/octo/proj", rate_limit="secondary", retry_after=60, times=1)
    with pytest.raises(RateLimited) as info:
        await gh.get_repo("octo", "proj")
    assert info.value.retry_after == 60


async def test_failed_job_log_is_fetched_through_the_302(sandbox, app, repo):
    sha = sandbox.ref("octo/proj", "feature")
    log = "".join(f"2026-01-01T00:00:00Z step line {i}\n" for i in range(5000)) + "E   boom\n"
    run = sandbox.add_workflow_run(
        "octo/proj", sha, "failure", jobs=[("lint", "ok\n", "success"), ("test", log, "failure")]
    )
    gh = await app.client_for(repo.id)
    jobs = await gh.list_run_jobs("octo", "proj", run.id)
    (failed,) = [j for j in jobs if j.conclusion == "failure"]
    assert failed.name == "test" and failed.run_id == run.id
    whole = await gh.download_job_log("octo", "proj", failed.id)
    assert whole.text == log and not whole.truncated
    capped = await gh.download_job_log("octo", "proj", failed.id, max_bytes=4096)
    assert capped.truncated and capped.text.endswith("E   boom\n")


async def test_changed_findings_replace_the_run_and_shas_are_kept_apart(sandbox, app, repo):
    sha = sandbox.ref("octo/proj", "feature")
    main_sha = sandbox.ref("octo/proj", "main")
    gh = await app.client_for(repo.id)
    notes = [Annotation("src/m001.py", 1, 1, "failure", "bad")]
    failing = await publish_check(
        gh,
        "octo",
        "proj",
        CheckReport("failure", "t", "s", annotations=notes),
        name="Hephaestus",
        head_sha=sha,
    )
    fixed = await publish_check(
        gh,
        "octo",
        "proj",
        CheckReport("success", "clean", "no findings"),
        name="Hephaestus",
        head_sha=sha,
    )
    assert fixed.id != failing.id  # GitHub only appends annotations: stale ones must not stay
    latest = max(sandbox.check_runs("octo/proj", sha), key=lambda r: r.id)
    assert (latest.conclusion, latest.annotations) == ("success", [])
    other = await publish_check(
        gh, "octo", "proj", CheckReport("success", "t", "s"), name="Hephaestus", head_sha=main_sha
    )
    assert other.id not in (failing.id, fixed.id)
    assert len(sandbox.check_runs("octo/proj", main_sha)) == 1


async def test_huge_summary_is_cut_in_the_middle_under_githubs_cap(sandbox, app, repo):
    sha = sandbox.ref("octo/proj", "feature")
    gh = await app.client_for(repo.id)
    summary = "HEAD\n" + "ü" * 100_000 + "\nTAIL"
    await publish_check(
        gh, "octo", "proj", CheckReport("neutral", "t", summary), name="Hephaestus", head_sha=sha
    )
    (run,) = sandbox.check_runs("octo/proj", sha)
    stored = run.output_summary
    assert len(stored.encode()) <= 65535
    assert "HEAD" in stored and stored.endswith("TAIL") and "bytes cut" in stored


async def test_config_missing_hostile_or_unreachable(sandbox, app, repo):
    gh = await app.client_for(repo.id)
    sandbox.commit("octo/proj", "main", {".github/hephaestus.yml": None})
    result = await load_repo_config(gh, "octo", "proj")
    assert result.ok and result.config == RepoConfig() and "defaults" in result.source
    sandbox.commit("octo/proj", "main", {".github/hephaestus.yml": "review: [unclosed\n"})
    result = await load_repo_config(gh, "octo", "proj", default_branch="main")
    assert not result.ok and result.config == RepoConfig()
    assert "Configuration problem" in result.markdown()
    (error,) = result.errors
    assert error.line == 2 and "flow sequence started on line 1" in error.message
    sandbox.inject("GET", "/repos/octo/proj/contents/*", status=502, times=None)
    with pytest.raises(ServerError):  # a retry can cure it, so the job retries
        await load_repo_config(gh, "octo", "proj", default_branch="main")
