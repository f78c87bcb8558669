"""Failure reports record into the catalog on the records branch; a pass on the same commit
marks the failure flaky; the report says so; the dashboard follows."""

from __future__ import annotations

from pathlib import Path

from sandbox.webhooks import workflow_run_payload

from ghbot.engine.knowledge import catalog as cat
from ghbot.handlers import catalog as catalog_handler
from ghbot.handlers import failures

REAL = Path(__file__).resolve().parents[1] / "triage" / "fixtures" / "real"
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


def test_failure_reports_are_enriched_by_runbooks_then_the_catalog():
    import ghbot.handlers  # noqa: F401 - the package wires the enrichers
    from ghbot.handlers.runbooks import suggest_runbooks

    assert failures.ENRICHERS == [suggest_runbooks, catalog_handler.catalog_enricher]
