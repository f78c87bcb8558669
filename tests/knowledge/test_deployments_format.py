"""The deployment history format: round trip, idempotent records, updates in place, rotation,
rollback notes and hostile input."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ghbot.engine.knowledge import deployments as dh
from ghbot.engine.knowledge.deployments import Deployment

T0 = datetime(2024, 5, 3, 12, 0, 0, tzinfo=UTC)
SHA_A = "a" * 40
SHA_B = "b" * 40


def dep(n: int, status: int = 0, state: str = "created", sha: str = SHA_A, **kw) -> Deployment:
    fields = dict(
        deployment_id=n,
        status_id=status,
        environment="production",
        created_at=T0 + timedelta(minutes=n),
        state=state,
        ref="main",
        sha=sha,
        actor="alice",
    )
    return Deployment(**{**fields, **kw})


def build(*entries: Deployment) -> str | None:
    text = None
    for e in entries:
        text = dh.record(text, e) or text
    return text


def test_round_trip_keeps_every_field():
    entry = dep(
        7,
        70,
        "success",
        duration=timedelta(minutes=2, seconds=5),
        link="https://ci.example/run/7",
        commit_url=f"https://github.com/octo/app/commit/{SHA_A}",
        ref="feat|x *y* [z]",
        actor="dependabot[bot]",
        description="Deploy | with `pipes`",
    )
    text = dh.record(None, entry)
    assert text is not None and text.startswith("<!-- hephaestus:deployments version=1")
    (back,) = dh.parse(text).entries
    assert back.ref == "feat|x *y* [z]" and back.actor == "dependabot[bot]"
    assert back.sha == SHA_A and back.duration == timedelta(minutes=2, seconds=5)
    assert back.link == "https://ci.example/run/7" and back.commit_url == entry.commit_url
    assert back.state == "success" and back.key == "7/70" and back.created_at == entry.created_at
    assert back.notes == "Deploy | with `pipes`"
    assert dh.render(dh.parse(text)) == text  # stable: parse then render changes nothing
    assert "2m 5s" in text and f"[{SHA_A[:7]}]" in text


def test_redelivery_changes_nothing_and_a_later_status_updates_the_row():
    text = build(dep(1), dep(1, 10, "in_progress"))
    assert dh.record(text, dep(1, 10, "in_progress")) is None
    newer = dh.record(text, dep(1, 12, "success", duration=timedelta(seconds=42)))
    assert newer is not None
    (row,) = dh.parse(newer).entries
    assert (row.state, row.status_id, row.duration) == ("success", 12, timedelta(seconds=42))
    # An older status arriving late does not undo the newer one.
    assert dh.record(newer, dep(1, 11, "in_progress")) is None
    # GitHub marks a superseded deployment inactive: it stays the good one to return to.
    assert dh.record(newer, dep(1, 13, "inactive")) is None


def test_newest_first_whatever_the_arrival_order():
    text = build(dep(3, 30, "success"), dep(1, 10, "success"), dep(2, 20, "failure"))
    assert [e.deployment_id for e in dh.parse(text).entries] == [3, 2, 1]
    table = text.split("| When (UTC)")[1].splitlines()[2:5]
    assert [line.rsplit("|", 2)[1].strip() for line in table] == ["3/30", "2/20", "1/10"]


def test_failure_notes_a_rollback_hint_with_the_last_good_commit():
    text = build(dep(1, 10, "success", sha=SHA_A), dep(2, 20, "failure", sha=SHA_B))
    failed = dh.parse(text).entries[0]
    assert (
        failed.notes == "failed: roll back with `/hephaestus rollback production` "
        "(last good `aaaaaaa`)"
    )
    assert dh.last_success(dh.parse(text).entries).sha == SHA_A


def test_rollbacks_are_noted_from_the_trailer_or_a_redeploy_of_an_older_good_commit():
    rolled = dep(3, 30, "success", sha="c" * 40, rollback_to=SHA_A)
    text = build(dep(1, 10, "success", sha=SHA_A), dep(2, 20, "success", sha=SHA_B), rolled)
    assert dh.parse(text).entries[0].notes == f"rollback to `{SHA_A[:12]}`"
    redeploy = build(
        dep(1, 10, "success", sha=SHA_A),
        dep(2, 20, "success", sha=SHA_B),
        dep(3, 30, "success", sha=SHA_A),
    )
    assert dh.parse(redeploy).entries[0].notes.startswith("rollback to")
    commit_message = f"Roll back (#4)\n\n* Restore\n\n{dh.rollback_trailer(SHA_A)}\n"
    assert dh.rollback_target(commit_message) == SHA_A
    assert dh.rollback_target("Hephaestus-Rollback: nope") == ""


def test_files_rotate_by_month_and_stay_bounded():
    may = dh.history_path("production", T0)
    june = dh.history_path("production", T0 + timedelta(days=31))
    assert (may, june) == ("deployments/production/2024-05.md", "deployments/production/2024-06.md")
    assert dh.environment_dir("Prod EU") != dh.environment_dir("prod-eu") == "deployments/prod-eu"
    assert dh.environment_dir("../../etc").startswith("deployments/etc-")
    text = None
    for n in range(30):
        text = dh.record(text, dep(n, n * 10 + 1, "success"), max_rows=10)
    history = dh.parse(text)
    assert len(history.entries) == 10 and history.dropped == 20
    assert history.entries[-1].deployment_id == 20  # the oldest went first
    assert "20 older deployments" in text


def test_unreadable_rows_are_kept_not_lost():
    text = build(dep(1, 10, "success"))
    damaged = text.replace("| 1/10 |", "| 1/10 |\n| someone | typed | this |")
    history = dh.parse(damaged)
    assert len(history.entries) == 1 and history.unreadable == ("| someone | typed | this |",)
    again = dh.record(damaged, dep(2, 20, "success"))
    assert "## Unreadable rows" in again and "    | someone | typed | this |" in again
    assert dh.parse(again).unreadable == history.unreadable


def test_a_newer_format_is_not_overwritten():
    text = build(dep(1)).replace("version=1", "version=9")
    with pytest.raises(dh.HistoryFormatError, match="newer"):
        dh.record(text, dep(2))


@pytest.mark.parametrize(
    "hostile",
    [
        "|" * 50_000,
        "| " + "\\" * 20_000 + " |",
        "<!-- hephaestus:deployments version=x -->",
        "| When (UTC) |\n|---|\n| " + "a | " * 5000,
        "\x00\ud800garbage",
    ],
)
def test_hostile_files_parse_without_crashing(hostile):
    try:
        history = dh.parse(hostile)
    except dh.HistoryFormatError:
        return
    assert history.entries == ()
    assert dh.record(hostile, dep(1)) is not None


def test_unsafe_links_are_dropped():
    entry = dep(1, 10, "success", link="javascript:alert(1)", commit_url="https://x/y) [a](b")
    (back,) = dh.parse(dh.record(None, entry)).entries
    assert back.link == "" and back.commit_url == "" and back.sha == SHA_A


def test_json_and_table_for_answers():
    entry = replace(dep(1, 10, "failure"), duration=timedelta(seconds=3))
    assert dh.to_json(entry)["duration_seconds"] == 3
    table = dh.recent_table([entry], with_environment=True)
    assert "| production | 2024-05-03 12:01 | ❌ failure | main | `aaaaaaa` | alice | 3s |" in table


def test_every_renderer_shows_the_commit_as_a_linked_short_sha():
    from ghbot.engine.knowledge import dashboard as dash
    from ghbot.engine.knowledge.catalog import Catalog

    repo = "https://github.com/octo/app"
    link_a, link_b = f"[aaaaaaa]({repo}/commit/{SHA_A})", f"[bbbbbbb]({repo}/commit/{SHA_B})"
    old = dh.record(None, dep(1, 10, "success"))  # written before the repository URL was known
    assert f"`{SHA_A}`" in old
    text = dh.record(old, dep(2, 20, "failure", sha=SHA_B), repo_url=repo)
    assert link_a in text and link_b in text and f"`{SHA_A}`" not in text  # old rows linked too
    rows = dh.parse(text).entries
    assert {r.commit_url for r in rows} == {f"{repo}/commit/{SHA_A}", f"{repo}/commit/{SHA_B}"}
    unlinked = [replace(r, commit_url="") for r in rows]
    for table in (dh.recent_table(rows), dh.recent_table(unlinked, repo_url=repo)):
        assert link_a in table and link_b in table
    lines = [dash.DeploymentLine(r.environment, "2024-05-03 12:00", r.state, r.ref, r.sha,
                                 commit_url=r.commit_url) for r in rows]  # fmt: skip
    body = dash.render(dash.DashboardData(repo="octo/app", default_branch="main",
                                          catalog=Catalog(), today=T0.date(), deployments=lines))
    section = body[body.index("## Recent deployments"):]
    assert link_a in section and link_b in section
    assert not re.search(r"`[0-9a-f]{7,40}`", section)


def test_rows_from_elsewhere_are_shown_as_the_file_would_hold_them():
    good, bad = dep(1, 10, "success"), dep(2, 20, "failure", sha=SHA_B, link="javascript:x")
    shown = dh.as_recorded([good, bad], repo_url="https://github.com/octo/app")
    assert [e.deployment_id for e in shown] == [2, 1] and shown[0].link == ""
    assert shown[0].notes == dh.parse(build(good, bad)).entries[0].notes
    assert "last good `aaaaaaa`" in shown[0].notes


def test_a_commit_link_survives_later_writes_of_its_file():
    # Short shas with digits did not read back as links, so the next write of the file showed
    # the older rows as 40 hex digits in backticks.
    sha = "0123456789abcdef0123456789abcdef01234567"
    url = f"https://github.com/octo/app/commit/{sha}"
    text = dh.record(dh.record(None, dep(1, 10, "success", sha=sha, commit_url=url)), dep(2, 20))
    assert f"[0123456]({url})" in text and f"`{sha}`" not in text
    assert dh.parse(text).entries[1].commit_url == url
