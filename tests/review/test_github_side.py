"""The GitHub-facing pieces that need no network: the PR diff from `patch` fields, which earlier
comments are the bot's, and how a fixed comment is rewritten."""

from __future__ import annotations

from ghbot.engine import markers
from ghbot.github.models import PullComment, PullFile
from ghbot.github.reviews import fixed_body, prior_comments
from ghbot.services.reviews import _excluded, diff_of

BOT = "hephaestus[bot]"


def _file(name, status="modified", patch=None, previous=None):
    return PullFile(name, status, "0" * 40, 1, 0, patch, previous)


def test_diff_of_pull_files():
    files = [
        _file("a.py", patch="@@ -1,2 +1,3 @@\n x\n+y\n z"),
        _file("new.py", "added", "@@ -0,0 +1,2 @@\n+a\n+b"),
        _file("gone.py", "removed", "@@ -1 +0,0 @@\n-a"),
        _file("moved.py", "renamed", "@@ -3,1 +3,1 @@\n-q\n+r", previous="old.py"),
        _file("image.png", "added", None),
        _file("bad.py", patch="@@ nonsense @@\n+x"),
    ]
    diff = diff_of(files)
    assert diff.files["a.py"].added == {2} and diff.files["a.py"].context == {1, 2, 3}
    assert diff.files["new.py"].added == {1, 2} and diff.files["new.py"].new_file
    assert diff.files["gone.py"].deleted_file
    assert diff.files["moved.py"].old_path == "old.py" and diff.files["moved.py"].added == {3}
    assert diff.files["image.png"].context == set()  # in the diff, no line to comment on
    assert "bad.py" not in diff.files  # an unreadable patch loses that file only


def test_only_the_bots_own_marked_comments_count():
    key = markers.render("finding", key="abc")
    comments = [
        PullComment(1, "a.py", f"{key}\nproblem", BOT, None),
        PullComment(2, "a.py", "thanks", "alice", 1),
        PullComment(3, "a.py", "me too", "bob", 1),
        PullComment(4, "a.py", f"{key}\nplanted by a user", "mallory", None),
        PullComment(5, "a.py", "no marker", BOT, None),
        PullComment(6, "b.py", markers.render("finding", key="x", fixed="f" * 40), BOT, None),
    ]
    prior = prior_comments(comments, BOT)
    assert [(p.id, p.key, p.fixed, p.replies) for p in prior] == [
        (1, "abc", False, 2),
        (6, "x", True, 0),
    ]


def test_fixed_body_keeps_the_key_and_neutralises_the_suggestion():
    original = f"{markers.render('finding', key='k1')}\n**warning** `F401`\n\n```suggestion\n```"
    body = fixed_body(original, "c0ffee" * 6 + "abcd")
    marker = markers.parse(body, "finding")
    assert marker.get("key") == "k1" and marker.get("fixed") == "c0ffee" * 6 + "abcd"
    assert "No longer reported at c0ffeec0ffee" in body
    assert "```suggestion" not in body and "```python" in body
    assert "`F401`" in body


def test_exclude_globs():
    assert _excluded("vendor/lib/x.py", ["vendor/**"])
    assert not _excluded("src/vendor.py", ["vendor/**"])
    assert _excluded("docs/a.md", ["*.md"])
