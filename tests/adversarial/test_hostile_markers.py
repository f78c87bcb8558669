"""Issue 13, item 2: the bot believes only state it wrote and can prove it wrote.

The attack: text the bot echoes (a CI log, a triage excerpt, an issue, a finding's message or
path, a comment quoted into a runbook) carries the bot's own hidden markers, an ignores table
crediting "@maintainer", and a `/hephaestus` command. Every marker kind is forged, unsealed and
with a made-up seal, through each echo path. What must hold: the pull request's check still
fails (no forged ignore applies), each posted body is inert (no marker or HTML comment beyond
the bot's own leading one, no mention that pings, no line that reads as a command), and the
bot's own markers are sealed and read back.
"""

from __future__ import annotations

import datetime as dt
import re

import aiohttp
from sandbox.webhooks import (
    issue_comment_payload,
    issues_payload,
    pull_request_payload,
    workflow_run_payload,
)

from ghbot.commands import grammar
from ghbot.commands.ignores import IgnoreEntry, Ignores, load_ignores, render, sticky
from ghbot.engine import markers
from ghbot.engine.knowledge.runbooks import render_runbook
from ghbot.engine.knowledge.runbooks_builder import CaseComment, ResolvedCase, build_runbook
from ghbot.engine.models import Finding, Severity
from ghbot.engine.review.plan import ReviewPlan, comment_body
from ghbot.engine.review.summary import check_summary, review_body
from ghbot.github.auth import StaticToken
from ghbot.github.client import GitHubClient
from ghbot.github.comments import compose

REPO = "octo/app"
KINDS = [
    "ignores", "ci-failure", "issue-triage", "command-reply", "fixes", "fix-pr", "finding",
    "review", "check", "runbooks", "runbook-offer", "runbook-stats", "dashboard", "do",
    "dashboard-retired", "deployment-failed", "deployments", "catalog",
]  # fmt: skip
FORGED_MARKERS = [f"<!-- hephaestus:{kind} -->" for kind in KINDS] + [
    f"<!-- hephaestus:{kind} sum=0 mac={'0' * 32} action=rerun target=1 -->" for kind in KINDS
]
FORGED = "\n".join([
    *FORGED_MARKERS,
    "/hephaestus fix",
    "<!-- hidden -->",
    "| `S` | everywhere | @maintainer |",  # the issue's attack, last: where excerpts end
    "| `F` | everywhere | @maintainer |",
    "<!-- hephaestus:ignores -->",
])  # fmt: skip
# S602, an error: the check fails unless someone ignores `S`.
RISKY = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.run(cmd, shell=True)\n"
KEY = "sandbox app key"  # replaced by the bot's real key where the bot reads it


def assert_inert(body: str, key: bytes) -> None:
    """Nothing from FORGED acts in `body`: every HTML comment in it is a marker the bot sealed
    with `key` (its leading one, and those it puts inside on purpose), nobody is pinged, and no
    line reads as a command."""
    with markers.sealing(key):
        assert markers.leading(body), body[:200]
        for match in re.finditer(r"<!--[^\n]{0,2000}?-->|<!--", body):
            assert markers.parse_all(match.group(0)), match.group(0)
    prose = _FENCED.sub("", body)  # a mention inside code pings nobody
    assert not re.search(r"(?<![A-Za-z0-9_`])@maintainer", prose), prose
    assert not grammar.parse(body).commands


_FENCED = re.compile(r"^(`{3,})[^\n]*\n.*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)


def bot_key(sandbox) -> bytes:
    return markers.derive_key(sandbox.app.private_key_pem, REPO)


def _pull(sandbox):
    sandbox.create_repo(REPO, files={"README.md": "# app\n"})
    sandbox.create_installation("octo", [REPO])
    head = sandbox.commit(REPO, "feature", {"risky.py": RISKY})
    return sandbox.create_pull(REPO, head="feature", user="alice").number, head


def _forging_run(sandbox, head):
    """A failed run whose log prints FORGED where triage quotes it (the lines around an error)."""
    log = "\n".join([
        "2026-01-01T00:00:00.0000000Z ##[group]Run npm test",
        "2026-01-01T00:00:01.0000000Z npm ERR! code ELIFECYCLE",
        *(f"2026-01-01T00:00:01.0000000Z {line}" for line in FORGED.split("\n")),
        "2026-01-01T00:00:02.0000000Z npm ERR! errno 1",
        "2026-01-01T00:00:04.0000000Z ##[error]Process completed with exit code 1.",
    ])  # fmt: skip
    return sandbox.add_workflow_run(
        REPO, head, "failure", jobs=[("test", log, "failure")], head_branch="feature"
    )


async def _review(bot, sandbox, number, head):
    status, _ = await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    assert status == 202
    await bot.settle(timeout=60)
    [run] = [r for r in sandbox.check_runs(REPO, head) if r.status == "completed"][-1:]
    return run


def _bot_bodies(sandbox, number):
    return [c.body for c in sandbox.issue_comments(REPO, number) if c.user == sandbox.app.bot_login]


async def test_a_ci_log_printing_an_ignores_table_does_not_flip_the_check(sandbox, bot):
    number, head = _pull(sandbox)
    run = _forging_run(sandbox, head)
    await bot.deliver("workflow_run", workflow_run_payload(sandbox, REPO, run.id))
    await bot.settle(timeout=60)
    [report] = _bot_bodies(sandbox, number)
    assert "ELIFECYCLE" in report and "<\u200b!-- hephaestus:ignores" in report  # echoed, inert
    assert_inert(report, bot_key(sandbox))
    check = await _review(bot, sandbox, number, head)
    assert check.conclusion == "failure"
    assert "Ignored on this pull request" not in (check.output_summary or "")
    assert_inert(check.output_summary or "", bot_key(sandbox))
    for review in sandbox.reviews(REPO, number):
        assert_inert(review.body, bot_key(sandbox))


async def test_triage_by_a_reader_cannot_plant_ignores_on_someone_elses_pull(sandbox, bot):
    number, head = _pull(sandbox)
    run = _forging_run(sandbox, head)
    sandbox.set_permission(REPO, "mallory", "read")
    payload = issue_comment_payload(
        sandbox, REPO, number, f"/hephaestus triage {run.id}", user="mallory"
    )
    await bot.deliver("issue_comment", payload)
    await bot.settle(timeout=60)
    bodies = _bot_bodies(sandbox, number)
    assert any("ELIFECYCLE" in b for b in bodies)
    for body in bodies:
        assert_inert(body, bot_key(sandbox))
    check = await _review(bot, sandbox, number, head)
    assert check.conclusion == "failure"


async def test_an_issue_reply_echoing_forged_markers_is_inert(sandbox, bot):
    sandbox.create_repo(REPO, files={"a.py": "x = 1\n"})
    sandbox.create_installation("octo", [REPO])
    body = (
        "Traceback (most recent call last):\n  File \"/srv/app/worker.py\", line 3, in <module>\n"
        "    import redis\n" + FORGED + "\nModuleNotFoundError: No module named 'redis'\n"
    )
    issue = sandbox.create_issue(REPO, "worker @maintainer <!-- hephaestus:ignores -->", body)
    await bot.deliver("issues", issues_payload(sandbox, REPO, issue.number))
    await bot.settle(timeout=60)
    [reply] = _bot_bodies(sandbox, issue.number)
    assert "No module named" in reply
    assert_inert(reply, bot_key(sandbox))


def _finding(text: str) -> Finding:
    return Finding("S602", Severity.ERROR, text, f"src/{text}.py", 1, 1, 1, 2, "ruff")


def test_review_bodies_comments_and_check_output_echo_messages_and_paths_inertly():
    hostile = _finding(FORGED.replace("\n", " "))
    plan = ReviewPlan(reported=[hostile], outside_diff=[hostile], overflow=[hostile])
    head = "a" * 40
    key = markers.derive_key(KEY, REPO)
    with markers.sealing(key):
        sealed_marker = markers.render("review", sha=head)
    for text in (
        review_body(plan, head),
        check_summary(plan, files=1, skipped=[FORGED], notices=[FORGED]),
        comment_body(hostile, None),
    ):
        assert_inert(f"{sealed_marker}\n{text}", key)


def test_a_runbook_built_from_a_thread_quotes_it_inertly():
    case = ResolvedCase(
        repo=REPO, number=7, is_pull=False, title="flaky @maintainer <!-- x -->",
        body="It broke.\n" + FORGED, url=f"https://github.com/{REPO}/issues/7",
        comments=(CaseComment("mallory", "I think the cause is this:\n" + FORGED),),
    )  # fmt: skip
    text = render_runbook(build_runbook(case, today=dt.date(2026, 1, 1)))
    assert "I think the cause" in text
    assert "<!--" not in text
    assert not re.search(r"(?<![A-Za-z0-9_`])@maintainer", text)
    assert not grammar.parse(text).commands


async def test_only_the_bots_sealed_table_with_its_digest_counts(sandbox, bot):
    """A bot comment whose leading ignores marker is unsealed, or sealed with another key or
    for another repository, ignores nothing; the real one (as the bot writes it) does."""
    number, head = _pull(sandbox)
    table = render(Ignores((IgnoreEntry("S", None, "maintainer"),)))
    real_key = bot_key(sandbox)
    forged = [compose(sticky("octo", "app", number, table), table)]  # unsealed
    with markers.sealing(markers.derive_key("a guessed secret", REPO)):
        forged.append(compose(sticky("octo", "app", number, table), table))
    with markers.sealing(markers.derive_key(sandbox.app.private_key_pem, "octo/other")):
        forged.append(compose(sticky("octo", "app", number, table), table))
    for body in forged:
        sandbox.add_issue_comment(REPO, number, body, user=sandbox.app.bot_login)
    assert (await _review(bot, sandbox, number, head)).conclusion == "failure"

    with markers.sealing(real_key):
        genuine = compose(sticky("octo", "app", number, table), table)
    sandbox.add_issue_comment(REPO, number, genuine, user=sandbox.app.bot_login)
    head = sandbox.commit(REPO, "feature", {"risky.py": RISKY + "\n"})
    check = await _review(bot, sandbox, number, head)
    assert check.conclusion == "success"


async def test_a_table_edited_after_the_bot_sealed_it_counts_for_nothing(sandbox):
    number, _ = _pull(sandbox)
    inst = sandbox.create_installation("octo", [REPO])
    table = render(Ignores((IgnoreEntry("E501", None, "alice"),)))
    edited = table.replace("`E501`", "`S`")
    with markers.sealing(bot_key(sandbox)):
        body = compose(sticky("octo", "app", number, table), edited)
    sandbox.add_issue_comment(REPO, number, body, user=sandbox.app.bot_login)
    async with aiohttp.ClientSession() as session:
        gh = GitHubClient(session, StaticToken(sandbox.token(inst)), api_url=sandbox.base_url)
        with markers.sealing(bot_key(sandbox)):
            bot = sandbox.app.bot_login
            assert await load_ignores(gh, "octo", "app", number, bot) == Ignores()


async def test_the_action_without_a_key_refuses_ignores(sandbox):
    """No sealing key (the Action without HEPHAESTUS_MARKER_KEY): `github-actions[bot]` is
    every workflow's identity, so a table in its comment is never read."""
    number, _ = _pull(sandbox)
    inst = sandbox.create_installation("octo", [REPO])
    table = render(Ignores((IgnoreEntry("S", None, "maintainer"),)))
    sandbox.add_issue_comment(
        REPO, number, compose(sticky("octo", "app", number, table), table), user="ci[bot]"
    )
    async with aiohttp.ClientSession() as session:
        gh = GitHubClient(session, StaticToken(sandbox.token(inst)), api_url=sandbox.base_url)
        assert await load_ignores(gh, "octo", "app", number, "ci[bot]") == Ignores()
        with markers.sealing(markers.derive_key(KEY, REPO)):
            assert await load_ignores(gh, "octo", "app", number, "ci[bot]") == Ignores()


def test_a_marker_counts_only_leading_and_sealed_with_the_repositorys_key():
    key = markers.derive_key(KEY, REPO)
    with markers.sealing(key):
        own = markers.render("ci-failure", run=5, state="failing")
        assert markers.parse(f"{own}\nreport", "ci-failure").get("run") == "5"
        # Anywhere but the opening lines, even sealed, it is text the bot echoed.
        assert markers.parse(f"### report\n{own}", "ci-failure") is None
        tampered = own.replace("run=5", "run=6")
        assert markers.parse(tampered, "ci-failure") is None
        assert markers.parse(own.replace(" mac=", " x=1 mac="), "ci-failure") is None
        unsealed = markers.render("ci-failure", sealed=False, run=5)
        assert markers.parse(unsealed, "ci-failure") is None
        assert markers.parse(unsealed, "ci-failure", sealed=False) is not None  # records files
        # Fields of a parsed marker passed on are sealed afresh.
        fields = markers.parse(own, "ci-failure").fields
        again = markers.render("ci-failure", **{**fields, "state": "fixed"})
        assert markers.parse(again, "ci-failure").get("state") == "fixed"
    for other in (markers.derive_key("another secret", REPO), markers.derive_key(KEY, "o/x")):
        with markers.sealing(other):
            assert markers.parse(own, "ci-failure") is None
    assert markers.parse(own, "ci-failure") is not None  # no key (structure only): read
