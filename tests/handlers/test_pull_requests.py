"""A pull request delivered to the real server ends in ONE check run and ONE review on the sandbox
GitHub: inline comments on diff lines, suggestion blocks, no repeats, fixed comments marked."""

from __future__ import annotations

import dataclasses

from sandbox.webhooks import pull_request_payload

from ghbot.engine import markers

BROKEN = "def greet(name)\n    return 'hi ' + name\n"
FIXED = "def greet(name):\n    return 'hi ' + name\n"
# A new file: every line is added. F401 (safe: delete the line), HEP102 (safe: `is None`),
# S602 (an error without a fix).
MOD = """import os
import subprocess


def check(value):
    if value == None:
        return 1
    return 2


def run(cmd):
    return subprocess.run(cmd, shell=True, check=False)
"""


def _open_pull(sandbox, files, base_files=None, **pull):
    sandbox.create_repo(
        "octo/app", files=base_files or {"README.md": "# app\n", "ok.py": "x = 1\n"}
    )
    sandbox.create_installation("octo", ["octo/app"])
    head = sandbox.commit("octo/app", "feature", files)
    number = sandbox.create_pull("octo/app", head="feature", **pull).number
    return number, head


async def _deliver(bot, sandbox, number, action="opened", times=1):
    payload = pull_request_payload(sandbox, "octo/app", number, action=action)
    for _ in range(times):
        status, _ = await bot.deliver("pull_request", payload)
        assert status == 202
    await bot.settle(timeout=60)


def _by_rule(comments):
    found = {}
    for comment in comments:
        rule = comment.body.split("`")[1] if "`" in comment.body else ""
        found[rule] = comment
    return found


async def test_syntax_error_gives_one_failing_check_run_with_an_annotation(sandbox, bot):
    number, head = _open_pull(sandbox, {"src/greet.py": BROKEN, "notes.txt": "not python"})
    status, _ = await bot.deliver("pull_request", pull_request_payload(sandbox, "octo/app", number))
    assert status == 202
    await bot.settle()

    runs = sandbox.check_runs("octo/app", head)
    assert len(runs) == 1
    run = runs[0]
    assert (run.name, run.status, run.conclusion) == ("Hephaestus", "completed", "failure")
    assert run.output_title == "1 error"
    [note] = run.annotations
    assert (note.path, note.start_line, note.annotation_level) == ("src/greet.py", 1, "failure")
    assert note.title == "syntax/missing-colon"


async def test_one_review_with_inline_comments_and_suggestions(sandbox, bot):
    number, head = _open_pull(sandbox, {"app/mod.py": MOD})
    await _deliver(bot, sandbox, number)

    [run] = sandbox.check_runs("octo/app", head)
    assert run.conclusion == "failure"  # S602 is an error; fail_level defaults to error
    assert {a.title for a in run.annotations} == {"F401", "HEP102", "S602"}
    assert [a["identifier"] for a in run.actions] == ["hephaestus-fix"]
    assert "2 findings can be fixed automatically" in run.output_summary

    [review] = sandbox.reviews("octo/app", number)
    assert review.user == "hephaestus[bot]" and review.state == "COMMENTED"
    assert review.commit_id == head
    comments = _by_rule(sandbox.review_comments("octo/app", number))
    assert set(comments) == {"F401", "HEP102", "S602"}
    assert (comments["F401"].path, comments["F401"].line) == ("app/mod.py", 1)
    assert "```suggestion\n```" in comments["F401"].body  # delete the line
    assert comments["HEP102"].line == 6
    assert "```suggestion\n    if value is None:\n```" in comments["HEP102"].body
    assert comments["S602"].line == 12 and "suggestion" not in comments["S602"].body
    for comment in comments.values():
        assert markers.parse(comment.body, "finding").get("key")


async def test_multi_line_suggestion_from_the_base_branch_ruff_config(sandbox, bot):
    base = {"pyproject.toml": "[tool.ruff.lint]\nextend-select = ['I']\n", "ok.py": "x = 1\n"}
    # The PR tries to switch every rule off: its config is scanned, never obeyed.
    head_files = {
        "app/imp.py": "import sys\nimport os\n\nprint(os, sys)\n",
        "pyproject.toml": "[tool.ruff.lint]\nignore = ['ALL']\n",
    }
    number, head = _open_pull(sandbox, head_files, base_files=base)
    await _deliver(bot, sandbox, number)
    [comment] = sandbox.review_comments("octo/app", number)
    assert (comment.path, comment.start_line, comment.line) == ("app/imp.py", 1, 3)
    assert "```suggestion\nimport os\nimport sys\n\n```" in comment.body
    [run] = sandbox.check_runs("octo/app", head)
    assert run.conclusion == "success"  # I001 is a note


async def test_redelivery_keeps_one_review_and_fixed_findings_are_marked(sandbox, bot):
    number, head = _open_pull(sandbox, {"app/mod.py": MOD})
    await _deliver(bot, sandbox, number, times=3)
    assert len(sandbox.reviews("octo/app", number)) == 1
    first = _by_rule(sandbox.review_comments("octo/app", number))
    assert len(first) == 3
    assert len(sandbox.check_runs("octo/app", head)) == 1

    # Someone answers the F401 thread; then a push fixes F401 and HEP102 and moves S602 down.
    with sandbox.state.lock:
        pull = sandbox.state.pull(sandbox.state.repo("octo/app"), number)
        parent = first["F401"]
        reply = dataclasses.replace(parent, id=sandbox.state.next_id(), user="alice",
                                    body="needed later", in_reply_to_id=parent.id)  # fmt: skip
        pull.review_comments.append(reply)
    fixed = MOD.replace("import os\n", "").replace("value == None", "value is None")
    fixed = "# moved\n\n" + fixed
    new_head = sandbox.commit("octo/app", "feature", {"app/mod.py": fixed})
    await _deliver(bot, sandbox, number, action="synchronize")

    assert len(sandbox.reviews("octo/app", number)) == 1  # nothing new to say
    after = {c.id: c for c in sandbox.review_comments("octo/app", number)}
    assert len(after) == 4  # nothing deleted, the reply survives
    for rule in ("F401", "HEP102"):
        body = after[first[rule].id].body
        assert f"No longer reported at {new_head[:12]}" in body
        assert markers.parse(body, "finding").get("fixed") == new_head
        assert "```suggestion" not in body  # a stale suggestion cannot be applied
    assert after[first["S602"].id].body == first["S602"].body
    [run] = sandbox.check_runs("octo/app", new_head)
    assert run.conclusion == "failure" and [a.title for a in run.annotations] == ["S602"]


async def test_rejected_anchor_still_ends_in_one_review(sandbox, bot):
    number, _ = _open_pull(sandbox, {"app/mod.py": MOD})
    # GitHub refuses twice (a diff that moved under us): the findings go into the body.
    sandbox.inject("POST", "/repos/octo/app/pulls/*/reviews", status=422, times=2)
    await _deliver(bot, sandbox, number)
    [review] = sandbox.reviews("octo/app", number)
    assert sandbox.review_comments("octo/app", number) == []
    assert "could not be placed on the diff" in review.body
    for rule in ("F401", "HEP102", "S602"):
        assert f"`{rule}`" in review.body


async def test_one_rejection_is_retried_with_the_anchors_that_hold(sandbox, bot):
    number, _ = _open_pull(sandbox, {"app/mod.py": MOD})
    sandbox.inject("POST", "/repos/octo/app/pulls/*/reviews", status=422, times=1)
    await _deliver(bot, sandbox, number)
    [review] = sandbox.reviews("octo/app", number)
    assert len(sandbox.review_comments("octo/app", number)) == 3
    assert "could not be placed" not in review.body


async def test_faults_end_in_the_same_final_state(sandbox, bot):
    number, head = _open_pull(sandbox, {"app/mod.py": MOD})
    sandbox.inject("GET", "/repos/octo/app/pulls/*/files", status=502, times=2)
    sandbox.inject("GET", "/repos/octo/app/pulls/*/comments", status=503, times=1)
    sandbox.inject("POST", "/repos/octo/app/check-runs", rate_limit="secondary", times=1)
    sandbox.inject("POST", "/repos/octo/app/pulls/*/reviews", rate_limit="secondary", times=1)
    sandbox.inject("PATCH", "/repos/octo/app/check-runs/*", status=500, times=1)
    await _deliver(bot, sandbox, number)
    [run] = sandbox.check_runs("octo/app", head)
    assert run.conclusion == "failure" and len(run.annotations) == 3
    assert len(sandbox.reviews("octo/app", number)) == 1
    assert len(sandbox.review_comments("octo/app", number)) == 3


async def test_hundreds_of_findings_are_capped_with_an_overflow_summary(sandbox, bot):
    lines = "".join(f"assert value != {n}\n" for n in range(240))  # S101 each
    number, head = _open_pull(sandbox, {"app/many.py": "value = 1\n" + lines})
    await _deliver(bot, sandbox, number)
    [review] = sandbox.reviews("octo/app", number)
    assert len(sandbox.review_comments("octo/app", number)) == 30  # review.max_comments
    assert "210 more findings over the cap" in review.body
    assert len(review.body) < 65_536
    [run] = sandbox.check_runs("octo/app", head)
    assert len(run.annotations) == 240  # sent in batches of 50
    assert "Over the comment cap (210)" in run.output_summary

    await _deliver(bot, sandbox, number, times=2)  # re-runs add nothing
    assert len(sandbox.reviews("octo/app", number)) == 1
    assert len(sandbox.review_comments("octo/app", number)) == 30


async def test_draft_pull_requests_follow_the_config(sandbox, bot):
    number, head = _open_pull(sandbox, {"app/mod.py": MOD}, draft=True)
    await _deliver(bot, sandbox, number)
    assert sandbox.check_runs("octo/app", head) == []
    assert sandbox.reviews("octo/app", number) == []

    sandbox.pull("octo/app", number)  # still a draft; ready_for_review turns it into a PR
    with sandbox.state.lock:
        sandbox.state.pull(sandbox.state.repo("octo/app"), number).draft = False
    await _deliver(bot, sandbox, number, action="ready_for_review")
    assert len(sandbox.check_runs("octo/app", head)) == 1
    assert len(sandbox.reviews("octo/app", number)) == 1


async def test_drafts_are_reviewed_when_configured_and_filter_mode_applies(sandbox, bot):
    config = "review: {draft_prs: true, filter_mode: nofilter, fail_level: never}\n"
    base = {".github/hephaestus.yml": config, "app/mod.py": "import os\n"}
    number, head = _open_pull(sandbox, {"app/mod.py": "import os\nimport sys\n"},
                              base_files=base, draft=True)  # fmt: skip
    await _deliver(bot, sandbox, number)
    [run] = sandbox.check_runs("octo/app", head)
    assert run.conclusion == "success"  # fail_level: never
    assert "Outside the diff" not in run.output_summary
    lines = sorted(c.line for c in sandbox.review_comments("octo/app", number))
    assert lines == [1, 2]  # line 1 is unchanged context: nofilter comments there too


async def test_findings_going_away_on_the_same_sha_replace_the_check_run(sandbox, bot):
    number, head = _open_pull(sandbox, {"app/mod.py": MOD})
    await _deliver(bot, sandbox, number)
    [before] = sandbox.check_runs("octo/app", head)
    sandbox.commit("octo/app", "main", {".github/hephaestus.yml": "analysis: {ignore: [S602]}\n"})
    await _deliver(bot, sandbox, number)
    # GitHub keeps annotations once sent: a fresh run holds the current ones, the old one is
    # retired as neutral (see ghbot.github.checks).
    old, after = sorted(sandbox.check_runs("octo/app", head), key=lambda r: r.id)
    assert old.id == before.id and old.conclusion == "neutral"
    assert after.conclusion == "success"
    assert "S602" not in {a.title for a in after.annotations}
    comments = sandbox.review_comments("octo/app", number)
    [s602] = [c for c in comments if "`S602`" in c.body]
    assert "No longer reported" in s602.body


async def test_broken_repo_config_is_reported_in_the_check_run(sandbox, bot):
    sandbox.create_repo(
        "octo/app",
        files={".github/hephaestus.yml": "review: {filter_mod: added}\n", "a.py": "a = 1\n"},
    )
    sandbox.create_installation("octo", ["octo/app"])
    head = sandbox.commit("octo/app", "feature", {"a.py": "a = 2\n"})
    number = sandbox.create_pull("octo/app", head="feature").number
    await bot.deliver("pull_request", pull_request_payload(sandbox, "octo/app", number))
    await bot.settle()
    [run] = sandbox.check_runs("octo/app", head)
    assert run.conclusion == "success"
    assert "Configuration problem" in run.output_summary
    assert "filter_mod" in run.output_summary
    assert sandbox.reviews("octo/app", number) == []  # nothing to say, nothing said


async def test_ignored_rules_and_findings_outside_the_diff(sandbox, bot):
    from ghbot.commands.ignores import IgnoreEntry, Ignores, render, sticky
    from ghbot.github.comments import compose

    config = "review: {filter_mode: file}\n"
    body = "x = 1\n" + "".join(f"v{n} = {n}\n" for n in range(20)) + "import os\n"
    base = {".github/hephaestus.yml": config, "app/mod.py": body}
    shell = "import subprocess\nsubprocess.run('ls', shell=True)\n"
    changed = body.replace("x = 1\n", "x = 2\n" + shell)
    number, head = _open_pull(sandbox, {"app/mod.py": changed}, base_files=base)
    # The bot's ignores comment, as `/hephaestus ignore S602` leaves it (sealed with its key).
    table = render(Ignores((IgnoreEntry("S602", None, "alice"),)))
    with markers.sealing(markers.derive_key(sandbox.app.private_key_pem, "octo/app")):
        sealed = compose(sticky("octo", "app", number, table), table)
    sandbox.add_issue_comment("octo/app", number, sealed, user="hephaestus[bot]")
    await _deliver(bot, sandbox, number)
    [run] = sandbox.check_runs("octo/app", head)
    assert "S602" not in {a.title for a in run.annotations}
    assert "Ignored on this pull request" in run.output_summary
    # `import os` on line 24 is far from the hunk: reported (file mode) but not inline.
    assert "### Outside the diff" in run.output_summary
    assert "| `app/mod.py` | 24 | `F401` |" in run.output_summary
    comments = sandbox.review_comments("octo/app", number)
    assert all("`F401`" not in c.body and "`S602`" not in c.body for c in comments)


async def test_a_broken_base_ruff_config_falls_back_to_the_defaults_and_says_so(sandbox, bot):
    base = {"ruff.toml": "[lint]\nselect = 'not a list'\n", "ok.py": "x = 1\n"}
    number, head = _open_pull(sandbox, {"app/mod.py": MOD}, base_files=base)
    await _deliver(bot, sandbox, number)
    [run] = sandbox.check_runs("octo/app", head)
    assert "ruff configuration ruff.toml could not be read" in run.output_summary
    assert "S602" in {a.title for a in run.annotations}
