"""Failure reports record into the catalog on the records branch; a pass on the same commit
marks the failure flaky; the report says so; the dashboard follows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from real_runs import REAL
from sandbox.webhooks import _common, example, workflow_run_payload

from ghbot.engine.knowledge import catalog as cat

PYTEST_LOG = (REAL / "pytest-assert.log").read_text()
STEPS = [("Set up job", "success"), ("Run pytest", "failure")]
REPO = "octo/app"


def _repo(sandbox):
    sandbox.create_repo(REPO, files={"README.md": "# app\n"})
    sandbox.create_installation("octo", [REPO])
    return sandbox.ref(REPO, "heads/main")


def _run(sandbox, sha, conclusion):
    log = PYTEST_LOG if conclusion == "failure" else "ok\n"
    return sandbox.add_workflow_run(REPO, sha, conclusion, jobs=[("test", log, conclusion, STEPS)],
                                    head_branch="main", event="push")


def _catalog(sandbox) -> cat.Catalog:
    text = sandbox.file(REPO, cat.CATALOG_PATH, "hephaestus/records")
    assert text is not None
    return cat.parse(text)


async def _deliver(bot, sandbox, run, delivery_id=None):
    await bot.deliver("workflow_run", workflow_run_payload(sandbox, REPO, run.id), delivery_id)
    await bot.settle()


def _dashboards(sandbox):
    with sandbox.state.lock:
        issues = list(sandbox.state.repo(REPO).issues.values())
    return [i for i in issues if "hephaestus:dashboard " in (i.body or "")]


async def test_failures_are_counted_once_and_a_pass_marks_them_flaky(sandbox, bot):
    head = _repo(sandbox)
    first = _run(sandbox, head, "failure")
    await _deliver(bot, sandbox, first)
    await _deliver(bot, sandbox, first)  # replayed with a new delivery id: counted once
    [entry] = _catalog(sandbox).entries
    assert entry.count == 1 and entry.open and not entry.flaky
    assert entry.example_run.endswith(f"/actions/runs/{first.id}")
    assert entry.branches == ("main",)

    second = _run(sandbox, head, "failure")
    await _deliver(bot, sandbox, second)
    assert _catalog(sandbox).entries[0].count == 2

    await _deliver(bot, sandbox, _run(sandbox, head, "success"))
    [entry] = _catalog(sandbox).entries
    assert entry.flaky and not entry.open

    third = _run(sandbox, head, "failure")
    await _deliver(bot, sandbox, third)
    # A push run's report is a commit comment; it carries the catalog's history line.
    bodies = [c.body for c in sandbox.commit_comments(REPO, head)]
    assert any("seen 3 times since" in b and "flaky" in b for b in bodies), bodies

    [dashboard] = _dashboards(sandbox)
    assert dashboard.user == sandbox.app.bot_login
    assert entry.fingerprint in dashboard.body and "xychart-beta" in dashboard.body


async def test_a_failure_report_shows_runbooks_then_the_failure_history(sandbox, bot):
    """The report's sections, in order: the runbooks (the most actionable), then the history
    the catalog recorded before the report was rendered."""
    head = _repo(sandbox)
    for _ in range(2):
        await _deliver(bot, sandbox, _run(sandbox, head, "failure"))
    [body] = [c.body for c in sandbox.commit_comments(REPO, head)]
    runbooks, history = body.find("<!-- hephaestus:runbooks "), body.find("**Failure history**")
    assert 0 <= runbooks < history, body
    assert "seen 2 times since" in body


# -- the Runbook column ----------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "runbooks"
RUNBOOK = "docs/runbooks/calculator-test-fails.md"


def _runbook_listing(fingerprint: str) -> str:
    text = (CORPUS / "pytest-module-not-found.md").read_text()
    text = text.replace('id: "pytest-module-not-found"', 'id: "calculator-test-fails"')
    return text.replace('signatures: ["t1-e0e5bfb0415521d6"]', f'signatures: ["{fingerprint}"]')


def _push_payload(sandbox, before: str, after: str, added: list[str]) -> dict:
    payload = example("push")
    payload.update(_common(sandbox, REPO, "alice"))
    commit = {
        "id": after, "distinct": True, "message": "docs: runbook",
        "timestamp": "2024-05-02T00:00:00Z", "url": f"https://github.com/{REPO}/commit/{after}",
        "author": {"name": "alice", "email": "alice@example.com", "username": "alice"},
        "committer": {"name": "alice", "email": "alice@example.com", "username": "alice"},
        "added": added, "removed": [], "modified": [],
    }  # fmt: skip
    payload.update({
        "ref": "refs/heads/main", "before": before, "after": after, "created": False,
        "deleted": False, "forced": False, "base_ref": None, "head_commit": commit,
        "commits": [commit], "pusher": {"name": "alice", "email": "alice@example.com"},
    })  # fmt: skip
    return payload


def _records_head(sandbox) -> str:
    return sandbox.ref(REPO, "heads/hephaestus/records")


async def test_a_recorded_failure_links_the_runbook_listing_its_fingerprint(sandbox, bot):
    head = _repo(sandbox)
    await _deliver(bot, sandbox, _run(sandbox, head, "failure"))
    [entry] = _catalog(sandbox).entries
    assert entry.runbook == ""
    sandbox.commit(REPO, "main", {RUNBOOK: _runbook_listing(entry.fingerprint)})  # no push event

    await _deliver(bot, sandbox, _run(sandbox, head, "failure"))
    [entry] = _catalog(sandbox).entries
    assert entry.count == 2 and entry.runbook == RUNBOOK
    [dashboard] = _dashboards(sandbox)
    assert f"create a runbook for `{entry.fingerprint}`" not in dashboard.body


async def test_a_push_adding_a_runbook_links_the_failures_already_catalogued(sandbox, bot):
    head = _repo(sandbox)
    await _deliver(bot, sandbox, _run(sandbox, head, "failure"))
    [entry] = _catalog(sandbox).entries
    assert entry.runbook == ""

    readme = sandbox.commit(REPO, "main", {"README.md": "# app, v2\n"})
    before = _records_head(sandbox)
    await bot.deliver("push", _push_payload(sandbox, head, readme, ["README.md"]))
    await bot.settle()
    assert _records_head(sandbox) == before  # no runbook touched: the catalog is not rewritten

    merged = sandbox.commit(REPO, "main", {RUNBOOK: _runbook_listing(entry.fingerprint)})
    push = _push_payload(sandbox, readme, merged, [RUNBOOK])
    await bot.deliver("push", push)
    await bot.settle()
    [linked] = _catalog(sandbox).entries
    assert linked.runbook == RUNBOOK
    assert (linked.count, linked.first_seen, linked.recent) == (
        entry.count, entry.first_seen, entry.recent)  # only the link changed
    linked_head = _records_head(sandbox)
    assert linked_head != before

    await bot.deliver("push", push)  # redelivered: already linked, nothing written
    await bot.settle()
    assert _records_head(sandbox) == linked_head


def test_link_runbooks_fills_only_known_fingerprints_and_reports_no_change():
    at = datetime(2024, 5, 1, tzinfo=UTC)
    sighting = cat.Sighting("t1-0123456789abcdef", "boom", "test", at, "main", cat.RunRef("ab12"))
    catalog = cat.record(cat.Catalog(), [sighting]).catalog
    update = cat.link_runbooks(catalog, {"t1-0123456789abcdef": RUNBOOK, "t1-ffff": "x.md"})
    assert update.changed and [e.runbook for e in update.catalog.entries] == [RUNBOOK]
    assert cat.parse(cat.render(update.catalog)).entries[0].runbook == RUNBOOK
    again = cat.link_runbooks(update.catalog, {"t1-0123456789abcdef": RUNBOOK})
    assert not again.changed
