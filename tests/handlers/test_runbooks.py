"""Runbooks against the sandbox GitHub: suggested in a failure report, offered and counted when
the case is resolved, drafted into a PR by `/hephaestus runbook create`, searched by comment."""

from __future__ import annotations

import re
from pathlib import Path

from sandbox.webhooks import (
    issue_comment_payload,
    issues_payload,
    pull_request_payload,
    workflow_run_payload,
)

from ghbot.engine.knowledge.runbooks import parse_runbook
from ghbot.services.runbooks import STATS_BRANCH

CORPUS = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "runbooks"
REPO = "octo/app"
OOM = "runner-oom-exit-137"
OOM_LOG = (
    "Run ./build.sh\nCompiling 412 modules...\n"
    "/home/runner/work/_temp/0b1c.sh: line 1:  2345 Killed                  ./build.sh\n"
    "##[error]Process completed with exit code 137.\n"
)
STEPS = [("Set up job", "success"), ("Build", "failure")]


def _repo(sandbox, names=(OOM, "npm-eresolve-peer-dependency", "pytest-module-not-found")):
    files = {"README.md": "# app\n", "build.sh": "make -j16\n"}
    for name in (f"{n}.md" for n in names):
        files[f"docs/runbooks/{name}"] = (CORPUS / name).read_text()
    sandbox.create_repo(REPO, files=files)
    sandbox.create_installation("octo", [REPO])
    sandbox.set_permission(REPO, "alice", "write")
    head = sandbox.commit(REPO, "fix-oom", {"build.sh": "make -j2\n"}, message="build: -j2")
    return sandbox.create_pull(REPO, head="fix-oom", user="alice").number, head


def _bot_comments(sandbox, number):
    return [c for c in sandbox.issue_comments(REPO, number) if c.user == sandbox.app.bot_login]


async def _fail(sandbox, bot, head):
    jobs = [("build", OOM_LOG, "failure", STEPS)]
    run = sandbox.add_workflow_run(REPO, head, "failure", jobs=jobs, head_branch="fix-oom")
    await bot.deliver("workflow_run", workflow_run_payload(sandbox, REPO, run.id))
    await bot.settle()


async def _merge(sandbox, bot, number):
    with sandbox.state.lock:
        repo = sandbox.state.repo(REPO)
        sandbox.state.pull(repo, number).merged = True
        sandbox.state.issue(repo, number).state = "closed"
    payload = pull_request_payload(sandbox, REPO, number, action="closed")
    assert payload["pull_request"]["merged"] is True
    await bot.deliver("pull_request", payload)
    await bot.settle()
    return payload


async def test_suggestion_offer_counters_and_runbook_pr(sandbox, bot):
    number, head = _repo(sandbox)
    main_before = sandbox.ref(REPO, "heads/main")
    await _fail(sandbox, bot, head)

    [report] = _bot_comments(sandbox, number)
    assert "Runbooks that may help" in report.body
    assert f"docs/runbooks/{OOM}.md) · similar failure (" in report.body
    fingerprint = report.body.split("fingerprints=")[1].split(" ")[0]
    assert "npm-eresolve" not in report.body

    payload = await _merge(sandbox, bot, number)
    offer = next(c for c in _bot_comments(sandbox, number) if "runbook create" in c.body)
    assert "Record what fixed this as a runbook?" in offer.body
    assert f"`{OOM}`" in offer.body

    # Effectiveness: counted once on the stats branch, proposed in one PR, main untouched.
    counted = parse_runbook(sandbox.file(REPO, f"docs/runbooks/{OOM}.md", STATS_BRANCH))
    assert (counted.used, counted.resolved) == (1, 1)
    await bot.deliver("pull_request", payload)  # the same close, delivered again
    await bot.settle()
    again = parse_runbook(sandbox.file(REPO, f"docs/runbooks/{OOM}.md", STATS_BRANCH))
    assert (again.used, again.resolved) == (1, 1)
    assert len(_bot_comments(sandbox, number)) == 2  # the report and one offer
    original = (CORPUS / f"{OOM}.md").read_text()
    stats_text = sandbox.file(REPO, f"docs/runbooks/{OOM}.md", STATS_BRANCH)
    expected = original.replace("used: 0", "used: 1").replace("resolved: 0", "resolved: 1")
    assert stats_text == expected  # only the two counter lines changed
    stats_pulls = [p for p in sandbox.state.repo(REPO).pulls.values() if p.head_ref == STATS_BRANCH]
    assert len(stats_pulls) == 1

    # /hephaestus runbook create: a PR adding the draft, built from this thread.
    await bot.deliver("issue_comment", issue_comment_payload(
        sandbox, REPO, number, "Root cause was make -j16 on a 7 GB runner.\n\n"
        "/hephaestus runbook create Build killed by the OOM killer", user="alice"))
    await bot.settle()
    path = "docs/runbooks/build-killed-by-the-oom-killer.md"
    branch = "hephaestus/runbook-build-killed-by-the-oom-killer"
    text = sandbox.file(REPO, path, branch)
    assert text is not None
    assert sandbox.file(REPO, path) is None  # never on the default branch
    assert sandbox.ref(REPO, "heads/main") == main_before
    rb = parse_runbook(text, path)
    assert rb.title == "Build killed by the OOM killer"
    assert rb.signatures == (fingerprint,)  # the report's fingerprint
    assert rb.rules == ("oom-killed",)
    assert rb.source == payload["pull_request"]["html_url"]
    summary = rb.section("Problem summary").body
    assert "Killed" in summary and "Process killed" in summary
    assert "Root cause was make -j16 on a 7 GB runner." in rb.section("Diagnosis steps").body
    assert "/hephaestus" not in rb.section("Diagnosis steps").body
    solution = rb.section("Solution").body
    assert "`build.sh` (modified, +1 −1)" in solution
    assert "-make -j16" in solution and "+make -j2" in solution
    assert f"#{number}" in rb.section("Rollback").body
    [pull] = [p for p in sandbox.state.repo(REPO).pulls.values() if p.head_ref == branch]
    assert sandbox.issue(REPO, pull.number).title == "Runbook: Build killed by the OOM killer"
    reply = _bot_comments(sandbox, number)[-1].body
    assert f"Opened #{pull.number} adding `{path}`" in reply

    # /hephaestus runbook search: ranked answers from the default branch.
    await bot.deliver("issue_comment", issue_comment_payload(
        sandbox, REPO, number, "/hephaestus runbook search ERESOLVE peer dependency",
        user="bob"))
    await bot.settle()
    reply = _bot_comments(sandbox, number)[-1].body
    assert "1. [npm ci fails with ERESOLVE" in reply
    assert "docs/runbooks/npm-eresolve-peer-dependency.md" in reply


async def test_unmerged_close_counts_used_only_and_offers_nothing(sandbox, bot):
    number, head = _repo(sandbox)
    await _fail(sandbox, bot, head)
    with sandbox.state.lock:
        sandbox.state.issue(sandbox.state.repo(REPO), number).state = "closed"
    await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number, "closed"))
    await bot.settle()
    rb = parse_runbook(sandbox.file(REPO, f"docs/runbooks/{OOM}.md", STATS_BRANCH))
    assert (rb.used, rb.resolved) == (1, 0)
    bodies = [c.body for c in _bot_comments(sandbox, number)]
    assert not any("runbook create" in b for b in bodies)
    assert any("counted as used" in b for b in bodies)


async def test_no_runbook_matches_says_so_and_a_plain_close_is_quiet(sandbox, bot):
    number, head = _repo(sandbox, names=("npm-eresolve-peer-dependency",))
    await _fail(sandbox, bot, head)
    [report] = _bot_comments(sandbox, number)
    assert "none matches this failure yet" in report.body
    await _merge(sandbox, bot, number)
    assert sandbox.ref(REPO, f"heads/{STATS_BRANCH}") is None  # nothing suggested: no counting
    assert any("runbook create" in c.body for c in _bot_comments(sandbox, number))


async def test_runbook_create_needs_write_permission(sandbox, bot):
    number, _ = _repo(sandbox)
    await bot.deliver("issue_comment", issue_comment_payload(
        sandbox, REPO, number, "/hephaestus runbook create", user="mallory"))
    await bot.settle()
    assert not [p for p in sandbox.state.repo(REPO).pulls.values()
                if p.head_ref.startswith("hephaestus/runbook-")]


async def test_runbook_create_on_an_issue_takes_the_fix_from_the_merged_pr_it_names(sandbox, bot):
    number, _ = _repo(sandbox)  # PR `number` (fix-oom) will be merged
    sandbox.commit(REPO, "try-swap", {"build.sh": "make -j16 --swap\n"})
    abandoned = sandbox.create_pull(REPO, head="try-swap", user="alice").number
    log = f"The nightly build dies:\n\n```\n{OOM_LOG}```\n"
    issue = sandbox.create_issue(REPO, "Nightly build killed", log, user="alice")
    await bot.deliver("issues", issues_payload(sandbox, REPO, issue.number))
    await bot.settle()
    [report] = _bot_comments(sandbox, issue.number)
    fingerprint = report.body.split("fingerprints=")[1].split(" ")[0]
    with sandbox.state.lock:
        repo = sandbox.state.repo(REPO)
        sandbox.state.pull(repo, number).merged = True
        sandbox.state.issue(repo, number).state = "closed"
    main_before = sandbox.ref(REPO, "heads/main")

    await bot.deliver("issue_comment", issue_comment_payload(
        sandbox, REPO, issue.number,
        f"Tried #{abandoned} first (no luck), #{number} fixed it: fewer parallel jobs.",
        user="alice"))  # fmt: skip
    await bot.deliver("issue_comment", issue_comment_payload(
        sandbox, REPO, issue.number, "/hephaestus runbook create", user="alice"))
    await bot.settle()

    path = "docs/runbooks/nightly-build-killed.md"
    text = sandbox.file(REPO, path, "hephaestus/runbook-nightly-build-killed")
    assert text is not None and sandbox.file(REPO, path) is None
    assert sandbox.ref(REPO, "heads/main") == main_before
    rb = parse_runbook(text, path)
    assert rb.signatures == (fingerprint,)
    assert rb.source == f"https://github.com/{REPO}/issues/{issue.number}"
    assert "Killed" in rb.section("Problem summary").body
    assert "fewer parallel jobs" in rb.section("Diagnosis steps").body
    solution = rb.section("Solution").body
    assert f"Fixed by [#{number}]" in solution  # the merged PR, not the abandoned one
    assert f"#{abandoned}" not in solution and "--swap" not in solution
    assert "-make -j16" in solution and "+make -j2" in solution
    assert f"Revert pull request #{number}" in rb.section("Rollback").body


async def test_a_runbook_listing_the_fingerprint_is_suggested_before_similar_ones(sandbox, bot):
    number, head = _repo(sandbox)
    await _fail(sandbox, bot, head)
    [report] = _bot_comments(sandbox, number)
    assert f"docs/runbooks/{OOM}.md) · similar failure (" in report.body
    fingerprint = report.body.split("fingerprints=")[1].split(" ")[0]
    # A runbook whose text has nothing in common with the failure, but lists its fingerprint.
    listed = (CORPUS / "npm-eresolve-peer-dependency.md").read_text()
    assert "signatures: []" not in listed
    listed = re.sub(r"signatures: \[[^\]]*\]", f'signatures: ["{fingerprint}"]', listed, count=1)
    listed = listed.replace('id: "npm-eresolve-peer-dependency"', 'id: "release-train-notes"')
    sandbox.commit(REPO, "main", {"docs/runbooks/release-train-notes.md": listed})

    await _fail(sandbox, bot, head)
    [report] = _bot_comments(sandbox, number)  # the same report, updated in place
    section = report.body.split("Runbooks that may help")[1]
    first = next(line for line in section.splitlines() if line.startswith("- ["))
    assert "docs/runbooks/release-train-notes.md) · same failure fingerprint" in first
    assert f"docs/runbooks/{OOM}.md" not in section  # one runbook per failure: the listed one
