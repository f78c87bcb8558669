"""Issue 13, item 6: no secret the bot sees leaves for GitHub, whatever surface it goes to.

Secrets of 24 shapes are planted in every text field of every write the client makes (comments,
reviews and review comments, check-run titles, summaries, text and annotations, issue and PR
titles and bodies, commit messages, commit comments), in code a review would suggest a fix for,
in code a fix commit would change, and in a CI log whose excerpt starts inside a private key.
The assertions read the sandbox GitHub's recorded state: none of them was published.
"""

from __future__ import annotations

import aiohttp
from sandbox.webhooks import pull_request_payload, workflow_run_payload

from ghbot.engine.redact import redact
from ghbot.github.auth import StaticToken
from ghbot.github.client import GitHubClient, RetryPolicy
from ghbot.github.models import Annotation, GitSignature, ReviewComment, TreeEntry
from ghbot.services.fix_compute import FIX_WITHHELD, compute_fixes

REPO = "octo/app"
FAST = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.05, max_total_wait=1.0)
KEY_LINES = [
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
    "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu",
    "NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ",
]
KEY_LAST_LINE = "d2pQk7Vb+Tz1xYc9Lq=="
# (text as it appears, the secret inside it that must never be published)
SHAPES = [
    ("token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"),  # hephaestus: ignore  # noqa: E501
    ("github_pat_11ABCDEFG0aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7p",  # hephaestus: ignore  # noqa: E501
     "11ABCDEFG0aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7p"),
    ("gho_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa9", "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa9"),  # hephaestus: ignore  # noqa: E501
    ("glpat-Ab3De5Gh7Jk9Mn1Pq3St", "Ab3De5Gh7Jk9Mn1Pq3St"),  # hephaestus: ignore
    ("xoxb-123456789012-1234567890123-Ab3De5Gh7Jk9Mn1Pq3St", "1234567890123-Ab3De5Gh7Jk9Mn1Pq3St"),  # hephaestus: ignore  # noqa: E501
    ("https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/Ab3De5Gh7Jk9Mn1Pq3StUv5W",  # hephaestus: ignore  # noqa: E501
     "Ab3De5Gh7Jk9Mn1Pq3StUv5W"),
    ("sk_live_Ab3De5Gh7Jk9Mn1Pq3StUv5W", "Ab3De5Gh7Jk9Mn1Pq3StUv5W"),  # hephaestus: ignore
    ("AIzaSy3De5Gh7Jk9Mn1Pq3StUv5Wx7Yz9Ab1Cd3", "Sy3De5Gh7Jk9Mn1Pq3StUv5Wx7Yz9Ab1Cd3"),  # hephaestus: ignore  # noqa: E501
    ("AKIAQ3ZT7W2X5Y9V4R6M", "Q3ZT7W2X5Y9V4R6M"),  # hephaestus: ignore
    ("aws_secret_access_key = Kq7x/9ZmPw2Lr4Tn8Vb3Yc6Hd1Jf5Gs0Ae/Ui+Op",  # hephaestus: ignore
     "Kq7x/9ZmPw2Lr4Tn8Vb3Yc6Hd1Jf5Gs0Ae/Ui+Op"),
    ("key was Wm4r9ZkPx2Lq7Tn8Vb3Yc6Hd1Jf5Gs0AeUi7OpQr",
     "Wm4r9ZkPx2Lq7Tn8Vb3Yc6Hd1Jf5Gs0AeUi7OpQr"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.Ab3De5Gh7Jk9Mn1Pq3StUv5Wx7Yz9",  # hephaestus: ignore  # noqa: E501
     "eyJzdWIiOiIxMjM0NTY3ODkwIn0"),
    ("https://deploy:Hunter2Pw9x@db.internal/x", "Hunter2Pw9x"),  # hephaestus: ignore
    ("Authorization: token Qz3De5Gh7Jk9Mn1Pq3Sx", "Qz3De5Gh7Jk9Mn1Pq3Sx"),
    ("Bearer Rb3De5Gh7Jk9Mn1Pq3StUv", "Rb3De5Gh7Jk9Mn1Pq3StUv"),
    ("password=Wq8rT5yU2iO9", "Wq8rT5yU2iO9"),
    ("mysql -uroot -pMy5qlRootPw -h db", "My5qlRootPw"),
    ("psql --password Pg0ptionPw77", "Pg0ptionPw77"),
    ("PGPASSWORD=hunter2 psql", "hunter2"),
    ("-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(KEY_LINES) + "\n-----END RSA PRIVATE KEY-----",
     KEY_LINES[0]),
    ("a log that starts inside a key\n" + "\n".join(KEY_LINES[1:]), KEY_LINES[1]),
    ("a log that starts inside a key\n" + "\n".join(KEY_LINES[1:]), KEY_LINES[2]),
    # The key's last line is shorter than the others; an excerpt that starts inside the key
    # shows it just before the END line, here behind a log's timestamps.
    ("2026-01-01T00:00:01.0000000Z " + KEY_LINES[2] + "\n2026-01-01T00:00:02.0000000Z "
     + KEY_LAST_LINE + "\n2026-01-01T00:00:03.0000000Z -----END RSA PRIVATE KEY-----",
     KEY_LAST_LINE),
    (KEY_LAST_LINE + "\r\n-----END OPENSSH PRIVATE KEY-----", KEY_LAST_LINE),
]  # fmt: skip
SECRETS = [secret for _, secret in SHAPES]
PLANTED = "\n".join(text for text, _ in SHAPES)


def published(texts) -> list[str]:
    """The planted secrets found in `texts`."""
    return [s for s in SECRETS if any(s in (t or "") for t in texts)]


def test_every_planted_shape_is_masked_by_redact():
    assert len(SHAPES) >= 15
    for text, secret in SHAPES:
        assert secret not in redact(text), text


def _write_bodies(sandbox) -> list[str]:
    """Every write request the sandbox recorded, except file content going into git objects."""
    return [
        r.body.decode(errors="replace") if isinstance(r.body, bytes) else str(r.body)
        for r in sandbox.requests
        if r.method != "GET" and not r.path.endswith(("/git/blobs", "/git/trees"))
    ]


async def test_every_write_surface_of_the_client_is_redacted(sandbox):
    sandbox.create_repo(REPO, files={"a.py": "x = 1\n"})
    inst = sandbox.create_installation("octo", [REPO])
    head = sandbox.commit(REPO, "feature", {"a.py": "x = 2\n"})
    sandbox.commit(REPO, "other", {"c.py": "y = 1\n"})
    pull = sandbox.create_pull(REPO, head="feature", base="main")
    issue = sandbox.create_issue(REPO, "ci broke")
    async with aiohttp.ClientSession() as session:
        gh = GitHubClient(
            session, StaticToken(sandbox.token(inst)), api_url=sandbox.base_url, policy=FAST
        )
        owner, name = REPO.split("/")
        comment = await gh.create_issue_comment(owner, name, issue.number, PLANTED)
        await gh.update_issue_comment(owner, name, comment.id, "edited\n" + PLANTED)
        created = await gh.create_issue(owner, name, "title " + SHAPES[0][0], PLANTED)
        await gh.update_issue(owner, name, created.number, body="edited\n" + PLANTED)
        await gh.create_review(
            owner, name, pull.number, commit_id=head, body=PLANTED,
            comments=[ReviewComment("a.py", 1, "```suggestion\n" + PLANTED + "\n```")],
        )  # fmt: skip
        annotation = Annotation(
            "a.py", 1, 1, "failure", PLANTED, title=SHAPES[1][0], raw_details=PLANTED
        )
        run = await gh.create_check_run(
            owner, name, name="Hephaestus", head_sha=head, status="completed",
            conclusion="failure", title=SHAPES[2][0], summary=PLANTED, text=PLANTED,
            annotations=[annotation],
        )  # fmt: skip
        await gh.update_check_run(
            owner, name, run.id, title=SHAPES[3][0], summary=PLANTED, text=PLANTED,
            annotations=[annotation],
        )  # fmt: skip
        await gh.create_commit_comment(owner, name, head, PLANTED)
        opened = await gh.create_pull(
            owner, name, head="other", base="main", title=SHAPES[4][0], body=PLANTED
        )
        await gh.update_pull(owner, name, opened.number, body="edited\n" + PLANTED)
        # A commit: its message is prose and redacted; its file content is the user's own and
        # goes in unmasked (a fix that would show a secret never gets this far).
        blob = await gh.create_blob(owner, name, b"token = 'kept as written'\n")
        tree = await gh.create_tree(owner, name, [TreeEntry("b.py", blob)])
        signature = GitSignature("hephaestus", "bot@example.com", "2026-01-01T00:00:00Z")
        commit = await gh.create_commit(
            owner, name, message="fix\n\n" + PLANTED, tree=tree.sha, parents=[head],
            signature=signature,
        )  # fmt: skip
    state = [
        *(c.body for c in sandbox.issue_comments(REPO, issue.number)),
        *(c.body for c in sandbox.issue_comments(REPO, created.number)),
        sandbox.issue(REPO, created.number).title, sandbox.issue(REPO, created.number).body,
        *(r.body for r in sandbox.reviews(REPO, pull.number)),
        *(c.body for c in sandbox.review_comments(REPO, pull.number)),
        *(c.body for c in sandbox.commit_comments(REPO)),
        sandbox.issue(REPO, opened.number).title, sandbox.issue(REPO, opened.number).body,
        repr(sandbox.check_runs(REPO, head)),
        sandbox.repo(REPO).store.commit(commit.sha).message,
    ]  # fmt: skip
    assert "***" in state[0] and "github_pat_***" in state[0]  # masked, not dropped
    assert published(state) == []
    assert published(_write_bodies(sandbox)) == []
    assert sandbox.file(REPO, "b.py", commit.sha) == "token = 'kept as written'\n"


TOKEN = SHAPES[0][1]
# HEP102 has a safe fix on a line that also holds a token: a suggestion would repeat the token.
LEAKY = f'def check(value):\n    if value == None: print("ghp_{TOKEN}")\n    return 2\n'


def _pull(sandbox, files):
    sandbox.create_repo(REPO, files={"README.md": "# app\n"})
    inst = sandbox.create_installation("octo", [REPO])
    head = sandbox.commit(REPO, "feature", files)
    return inst, sandbox.create_pull(REPO, head="feature").number, head


async def test_a_suggestion_that_would_publish_a_secret_is_withheld_with_the_reason(sandbox, bot):
    fine = "def f(v):\n    if v == None:\n        return 1\n"
    # F821 quotes the undefined name: the token reaches messages, tables and annotations.
    named = f"print(ghp_{TOKEN})\n"
    _, number, head = _pull(sandbox, {"leak.py": LEAKY, "fine.py": fine, "named.py": named})
    status, _ = await bot.deliver("pull_request", pull_request_payload(sandbox, REPO, number))
    assert status == 202
    await bot.settle(timeout=60)
    comments = {c.path: c.body for c in sandbox.review_comments(REPO, number)}
    assert "```suggestion" in comments["fine.py"]  # the same fix without a secret is offered
    assert "```suggestion" not in comments["leak.py"]
    assert "not shown: the lines it writes hold a secret" in comments["leak.py"]
    texts = [
        *comments.values(), *(r.body for r in sandbox.reviews(REPO, number)),
        repr(sandbox.check_runs(REPO, head)), *_write_bodies(sandbox),
    ]  # fmt: skip
    assert published(texts) == []


async def test_a_fix_commit_that_would_show_a_secret_is_withheld(sandbox):
    inst, _, head = _pull(sandbox, {"leak.py": LEAKY})
    async with aiohttp.ClientSession() as session:
        gh = GitHubClient(
            session, StaticToken(sandbox.token(inst)), api_url=sandbox.base_url, policy=FAST
        )
        tree = sandbox.repo(REPO).store.commit(head).tree
        fixes = await compute_fixes(
            gh, "octo", "app", commit_tree=tree, sha=head, paths=["leak.py"], select=None
        )
    assert fixes.fixed == []
    assert fixes.skipped == [f"leak.py: {FIX_WITHHELD}"]


async def test_a_failure_report_whose_excerpt_starts_inside_a_private_key_shows_none_of_it(
    sandbox, bot
):
    _, number, head = _pull(sandbox, {"app.py": "x = 2\n"})
    key = "\n".join(f"2026-01-01T00:00:0{i}.0000000Z {line}" for i, line in enumerate(KEY_LINES))
    log = (
        "2026-01-01T00:00:00.0000000Z ##[group]Run pytest\n"
        "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "filler line\n" * 30
        + "Traceback (most recent call last):\n"
        '  File "deploy.py", line 3, in <module>\n' + key + "\n"
        "2026-01-01T00:00:09.0000000Z RuntimeError: deploy key rejected\n"
        "2026-01-01T00:00:09.0000000Z ##[error]Process completed with exit code 1.\n"
    )
    run = sandbox.add_workflow_run(
        REPO, head, "failure", jobs=[("test", log, "failure")], head_branch="feature"
    )
    status, _ = await bot.deliver("workflow_run", workflow_run_payload(sandbox, REPO, run.id))
    assert status in (200, 202)
    await bot.settle(timeout=60)
    [report] = [c.body for c in sandbox.issue_comments(REPO, number)]
    assert "RuntimeError" in report
    assert [line for line in KEY_LINES if line in report] == []
    assert published(_write_bodies(sandbox)) == []



def test_the_actions_annotations_and_job_summary_are_redacted(runner):
    """The Action also publishes through the runner: annotations and the job summary. Ruff's
    F821 quotes an undefined name, and a token used as a name is one."""
    base = runner.checkout({"old.py": "x = 1\n"}, {"new.py": f"print(ghp_{TOKEN})\n"})
    event = {"pull_request": {"number": 1, "base": {"sha": base}, "head": {"sha": "x"}}}
    step = runner.run("pull_request", event, HEPHAESTUS_MODE="review")
    assert any("F821" in a for a in step.annotations), step.stdout
    assert TOKEN not in step.stdout and TOKEN not in step.summary
