"""The runbook draft builder on realistic threads: a real triage report rendered as the bot posts
it, a discussion with noise, a merged diff; and the bounds on huge threads and diffs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from real_runs import REAL

from ghbot.engine.knowledge.lint import lint_files
from ghbot.engine.knowledge.runbooks import SECTIONS, parse_runbook, render_runbook
from ghbot.engine.knowledge.runbooks_builder import (
    DIFF_CHARS,
    MAX_COMMENTS,
    MAX_FILES,
    CaseComment,
    ChangedFile,
    Fix,
    ResolvedCase,
    Symptom,
    build_runbook,
    symptom_from_report,
    symptom_in_report,
)
from ghbot.engine.report.failure import JobFailure, RunFailure, render_failure
from ghbot.engine.triage.engine import Log, Triage

TODAY = dt.date(2024, 5, 2)
TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


@pytest.fixture(scope="module")
def report_body() -> str:
    """The bot's report of a run with two failed jobs (pytest, then the OOM killer)."""
    triage = Triage()
    jobs = []
    for name, log in (("test", "pytest-assert.log"), ("build", "oom-killed.log")):
        report = triage.run(name, [Log(None, io.BytesIO((REAL / log).read_bytes()))])
        jobs.append(JobFailure(name, f"https://github.com/octo/app/actions/runs/7/job/{name}",
                               None, report))  # fmt: skip
    run = RunFailure("workflow CI", "https://github.com/octo/app/actions/runs/7", "run #7",
                     "0123456789abcdef0123456789abcdef01234567", tuple(jobs))  # fmt: skip
    return render_failure(run)


def _case(report_body: str, **kw) -> ResolvedCase:
    symptom = symptom_from_report(report_body, "t1-0123456789abcdef")
    assert symptom is not None
    comments = (
        CaseComment("hephaestus[bot]", report_body, is_bot=True),
        CaseComment("alice", "The add() helper returns a+b+1 since the refactor in #40.\n"
                             "Reverting that line makes test_add pass locally."),  # fmt: skip
        CaseComment("bob", "+1"),
        CaseComment("carol", "> The add() helper returns a+b+1\n/hephaestus retest"),
        CaseComment("dave", f"Used the deploy token {TOKEN} to re-run it, same failure."),
    )
    patch = "@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a + b + 1\n+    return a + b"
    fix = Fix(41, "Fix add() off by one", "https://github.com/octo/app/pull/41",
              (ChangedFile("src/calc.py", "modified", 1, 1, patch),))  # fmt: skip
    base = dict(repo="octo/app", number=12, is_pull=False, title="test_add fails on main",
                body="CI is red since this morning.", url="https://github.com/octo/app/issues/12",
                symptoms=(symptom,), comments=comments, fix=fix)  # fmt: skip
    base.update(kw)
    return ResolvedCase(**base)


def test_the_report_is_read_back_as_the_symptom(report_body):
    symptom = symptom_from_report(report_body, "t1-0123456789abcdef")
    assert symptom is not None
    assert symptom.title.startswith("test_add")  # the first job's failure
    assert symptom.category == "test"
    assert "assert 4 == 3" in symptom.excerpt
    assert symptom.explanation and symptom.fix
    assert symptom.fingerprint == "t1-0123456789abcdef"
    assert symptom_from_report("Thanks, merged!") is None


def test_a_failure_is_found_in_its_own_job_section(report_body):
    oom = symptom_from_report(report_body.split("#### Job [build]")[1])
    assert oom is not None and oom.category != "test"
    found = symptom_in_report(report_body, oom.title)
    assert found is not None and found.title == oom.title
    assert "assert 4 == 3" not in found.excerpt  # not the pytest job's excerpt
    assert symptom_in_report(report_body, "a failure this report does not hold") is None
    assert symptom_in_report(report_body, "   ") is None


def test_a_thread_becomes_a_runbook_with_every_section_filled_from_it(report_body):
    rb = build_runbook(_case(report_body), today=TODAY)
    assert rb.id == "test-add-fails-on-main" and rb.title == "test_add fails on main"
    assert rb.signatures == ("t1-0123456789abcdef",) and rb.tags == ("test",)
    assert rb.source == "https://github.com/octo/app/issues/12" and rb.created == TODAY
    assert [s.heading for s in rb.sections] == list(SECTIONS)
    summary = rb.section("Problem summary").body
    assert "issue [octo/app#12](https://github.com/octo/app/issues/12)" in summary
    assert "assert 4 == 3" in summary and "fingerprint `t1-0123456789abcdef`" in summary
    diagnosis = rb.section("Diagnosis steps").body
    assert "returns a+b+1 since the refactor" in diagnosis  # the useful comment, quoted
    assert "@bob" not in diagnosis and "@carol" not in diagnosis  # "+1", a quote and a command
    assert "hephaestus[bot]" not in diagnosis  # the bot's own report is the summary already
    assert TOKEN not in diagnosis and "@dave" in diagnosis  # secrets are redacted
    assert rb.section("Root cause").body == _case(report_body).symptoms[0].explanation
    solution = rb.section("Solution").body
    assert "Fixed by [#41](https://github.com/octo/app/pull/41): Fix add() off by one." in solution
    assert "`src/calc.py` (modified, +1 −1)" in solution and "+    return a + b" in solution
    assert "Revert pull request #41" in rb.section("Rollback").body
    assert "To complete in review" in rb.section("Prevention").body

    # The draft is a valid runbook that reads back to itself.
    text = render_runbook(rb)
    path = f"docs/runbooks/{rb.id}.md"
    assert parse_runbook(text, path) == parse_runbook(render_runbook(parse_runbook(text, path)),
                                                      path)  # fmt: skip
    errors = [p for p in lint_files({path: text}, lambda _: True).problems
              if p.severity == "error"]  # fmt: skip
    assert errors == []


def test_ids_avoid_taken_ones_and_titles_fall_back(report_body):
    case = _case(report_body)
    assert build_runbook(case, today=TODAY, taken=["test-add-fails-on-main"]).id == (
        "test-add-fails-on-main-2")
    taken = ["test-add-fails-on-main", "test-add-fails-on-main-2"]
    assert build_runbook(case, today=TODAY, taken=taken).id == "test-add-fails-on-main-3"
    assert build_runbook(case, title="  Off   by one ", today=TODAY).title == "Off by one"
    untitled = _case(report_body, title="")
    assert build_runbook(untitled, today=TODAY).title.startswith("test_add")  # the symptom


def test_without_a_fix_or_report_the_draft_says_what_to_complete():
    case = ResolvedCase("octo/app", 5, True, "Flaky deploy", "It failed twice, then passed.",
                        "https://github.com/octo/app/pull/5")  # fmt: skip
    rb = build_runbook(case, today=TODAY)
    assert rb.signatures == () and rb.rules == ()
    assert "pull request [octo/app#5]" in rb.section("Problem summary").body
    assert "> It failed twice, then passed." in rb.section("Problem summary").body
    for heading in ("Root cause", "Solution", "Rollback"):
        assert "To complete in review" in rb.section(heading).body


def test_a_catalog_failure_without_a_thread_links_its_example_run():
    run = "https://github.com/octo/app/actions/runs/99"
    symptom = Symptom("Killed (exit 137)", "resource", fingerprint="t1-00000000000000ff")
    case = ResolvedCase("octo/app", 0, False, "Killed (exit 137)", "", run, (symptom,))
    summary = build_runbook(case, today=TODAY).section("Problem summary").body
    assert summary.startswith(f"Seen in [a failing run of octo/app]({run}): Killed (exit 137).")
    assert "#0" not in summary


def test_huge_threads_and_diffs_stay_bounded(report_body):
    comments = tuple(CaseComment(f"user{i}", "word " * 5000) for i in range(1000))
    files = tuple(
        ChangedFile(f"src/m{i}.py", "modified", 50_000, 0, "+x = 1\n" * 50_000) for i in range(60)
    )
    case = _case(report_body, comments=comments,
                 fix=Fix(41, "Big", "https://github.com/octo/app/pull/41", files))  # fmt: skip
    rb = build_runbook(case, today=TODAY)
    diagnosis = rb.section("Diagnosis steps").body
    assert diagnosis.count("- @user") == MAX_COMMENTS
    solution = rb.section("Solution").body
    assert solution.count("- `src/m") == MAX_FILES and f"{60 - MAX_FILES} more" in solution
    assert len(solution) < DIFF_CHARS + 3000
    assert len(render_runbook(rb)) < 40_000
