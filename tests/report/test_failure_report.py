"""The failure-report markdown on its own: real triage reports in, bounded markdown out."""

from __future__ import annotations

import io

import pytest
from real_runs import REAL

from ghbot.engine.render import GITHUB_BODY_LIMIT
from ghbot.engine.report.failure import (
    JobFailure,
    RunFailure,
    render_failure,
    render_fixed,
    render_issue_reply,
    strip_markers,
    strongest,
)
from ghbot.engine.triage.engine import Log, Triage
from ghbot.engine.triage.model import Excerpt, Failure, TriageReport


@pytest.fixture(scope="module")
def triage() -> Triage:
    return Triage()


def _report(triage: Triage, text: str, name: str = "job") -> TriageReport:
    return triage.run(name, [Log(None, io.BytesIO(text.encode()))])


def _run(*jobs: JobFailure, **kw) -> RunFailure:
    return RunFailure(
        source="workflow CI",
        url="https://github.com/octo/app/actions/runs/7",
        label="run #7",
        head_sha="0123456789abcdef0123456789abcdef01234567",
        jobs=jobs,
        **kw,
    )


def test_report_names_job_step_cause_and_fix(triage):
    report = _report(triage, (REAL / "pytest-assert.log").read_text(), "test")
    url = "https://github.com/octo/app/actions/runs/7/job/9"
    job = JobFailure("test", url, "Run pytest", report)
    body = render_failure(_run(job))
    assert body.startswith("### ❌ workflow CI failed · [run \\#7](https://github.com/")
    assert "`0123456`" in body
    assert "[test](https://github.com/octo/app/actions/runs/7/job/9)" in body
    assert "failing step **Run pytest**" in body
    assert "**Root cause:** " in body and "(`test`)" in body
    assert "AssertionError" in body and "**Suggested fix:**" in body
    assert body.count("```") % 2 == 0  # fences balanced


def test_jobs_without_logs_say_why_and_no_root_cause_is_claimed():
    job = JobFailure("build", "javascript:alert(1)", None, None, "The log expired.")
    body = render_failure(_run(job))
    assert "not identified from the available logs" in body
    assert "_The log expired._" in body
    assert "javascript:" not in body  # only https URLs become links
    assert "| build | – | – |" in body


def test_enricher_sections_and_notes_are_appended(triage):
    report = _report(triage, (REAL / "python-traceback.log").read_text())
    body = render_failure(
        _run(
            JobFailure("run", "", None, report),
            sections=("#### Runbooks\n- [Port config](docs/runbooks/port.md)",),
            notes=("Repository rules not used: bad id",),
        )
    )
    assert "#### Runbooks" in body
    assert "> [!NOTE]\n> Repository rules not used: bad id" in body
    assert body.index("#### Runbooks") < body.index("[!NOTE]")


def test_secrets_are_masked_even_in_names_and_hostile_text_is_escaped():
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    failure = Failure(
        category="test", title="boom", rule=None, detector="pytest", fingerprint="f",
        confidence=0.8, step=None, log=None,
        excerpt=Excerpt(1, 2, f"token={token}\n```\n</details>"), count=1,
        explanation="<script>alert(1)</script>", fix="[click](javascript:x)",
    )
    report = TriageReport("x", (failure,), 2, 40)
    body = render_failure(_run(JobFailure(f"deploy {token}", "", "Run *now*", report)))
    assert token not in body and token[4:] not in body
    assert "<script>" not in body
    assert "Run \\*now\\*" in body
    assert "````" in body  # a longer fence around an excerpt holding ```


def test_huge_reports_stay_under_githubs_limit(triage):
    big = Excerpt(1, 5000, "\n".join(f"E   line {i} " + "x" * 200 for i in range(5000)))
    failure = Failure("test", "t", None, "pytest", "f", 0.8, None, None, big, 1, "why", "fix")
    report = TriageReport("x", (failure,) * 4, 5000, 10**6)
    jobs = tuple(JobFailure(f"job {i}", "", None, report) for i in range(30))
    body = render_failure(_run(*jobs))
    assert len(body) < GITHUB_BODY_LIMIT - 1000
    assert "25 more failed job(s)" in body or "characters omitted" in body


def test_fixed_keeps_the_earlier_report_folded_and_flags_same_sha_as_flaky(triage):
    report = _report(triage, (REAL / "python-traceback.log").read_text())
    earlier = "<!-- hephaestus:ci-failure state=failing -->\n" + render_failure(
        _run(JobFailure("run", "", None, report))
    )
    fixed = render_fixed(earlier, source="workflow CI", fixed_sha="f" * 40, failed_sha="a" * 40,
                         url="https://github.com/o/r/actions/runs/8", label="run #8")
    assert fixed.startswith("### ✅ Fixed in `fffffff`")
    assert "<summary>Earlier failure report</summary>" in fixed
    assert "hephaestus:ci-failure" not in fixed  # the old marker is not carried along
    assert "flaky" not in fixed
    same = render_fixed(earlier, source="workflow CI", fixed_sha="a" * 40, failed_sha="a" * 40,
                        url="", label="run #8")
    assert "looks flaky" in same


def test_strip_markers_only_removes_leading_marker_lines():
    assert strip_markers("<!-- hephaestus:x a=1 -->\nbody\n<!-- hephaestus:y -->") == (
        "body\n<!-- hephaestus:y -->"
    )


@pytest.mark.parametrize("name", ["python-traceback.log", "pytest-assert.log", "npm-404.log",
                                  "go-build.log", "oom-killed.log"])
def test_real_logs_count_as_logs(triage, name):
    assert strongest(_report(triage, (REAL / name).read_text())) is not None


@pytest.mark.parametrize("text", [
    "When I click save nothing happens. It fails silently, no error shown.",
    "Feature request: dark mode. The current theme cannot be changed.",
    "Docs: the page about errors is not found in the sidebar.",
])
def test_ordinary_prose_is_not_a_log(triage, text):
    assert strongest(_report(triage, text)) is None


def test_issue_reply_leads_with_the_strong_failure(triage):
    text = "It crashes:\n\nTraceback (most recent call last):\n  File \"a.py\", line 1, in <m>\n" \
           "    import yaml\nModuleNotFoundError: No module named 'yaml'\n"
    reply = render_issue_reply(_report(triage, text), ["#### Similar runbooks\n- none yet"])
    assert reply.startswith("### 🔎 This looks like a `dependency` failure")
    assert "No module named" in reply and "#### Similar runbooks" in reply
    with pytest.raises(ValueError):
        render_issue_reply(_report(triage, "just words, nothing failed"))
