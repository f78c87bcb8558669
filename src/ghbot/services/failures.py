"""Failed CI: triage the failed jobs' logs and keep ONE report per workflow and branch.

A completed workflow run (`report_run`): a failure gets a sticky comment on the run's pull
request(s), or a commit comment when a push has no PR; a later passing run of the same workflow
turns that comment into "fixed in <sha>"; a cancelled or superseded run says nothing. A
completed check suite (`report_suite`): suites of GitHub Actions map to their workflow runs;
other CI apps' check runs give their output text and annotations as the "log". Markdown comes
from `ghbot.engine.report.failure`.

A report is made in explicit steps (`_publish`): the runbooks that match, then the failures
recorded in the catalog (a commit on the records branch) and the dashboard refreshed, then the
report rendered with both sections and posted.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import tempfile
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from ghbot.context import Context
from ghbot.engine import markers
from ghbot.engine.report.failure import JobFailure, RunFailure, render_failure, render_fixed
from ghbot.engine.triage.baseline import Baseline
from ghbot.engine.triage.engine import Log, Triage
from ghbot.engine.triage.inputs import InputError, ReadBudget, open_logs
from ghbot.engine.triage.model import TriageReport
from ghbot.engine.triage.rules import RuleError, load_catalog
from ghbot.github.api import GitHub
from ghbot.github.comments import Sticky, compose, find_sticky, upsert_sticky
from ghbot.github.errors import GitHubError, NotFound, PermissionDenied, TooLarge
from ghbot.github.models import CheckRunOutput, JobLog, WorkflowJob, WorkflowRun
from ghbot.github.repo_config import ConfigResult, RepoConfig
from ghbot.services import catalog, runbooks

KIND = "ci-failure"
FAILED = frozenset({"failure", "timed_out", "startup_failure"})
PASSED = frozenset({"success"})
JOB_FAILED = frozenset({"failure", "timed_out"})
MAX_JOBS = 10  # failed jobs whose logs are read per run
LOG_CONCURRENCY = 3
LOG_MAX_BYTES = 8 * 1024 * 1024  # kept per job: head and tail
RUN_ZIP_MAX_BYTES = 64 * 1024 * 1024
BASELINE_RUNS = 100  # newest successful runs of a branch searched for the same workflow
# Unpacked from that zip (a zip bomb inflates 1,000-fold): per log, in all, and in seconds.
ZIP_LOG_BYTES = 32 * 1024 * 1024
ZIP_TOTAL_BYTES = 128 * 1024 * 1024
ZIP_SECONDS = 60.0
MAX_RULE_FILES = 50
MAX_RULE_BYTES = 64 * 1024
RULES_CACHE = 16  # compiled repository rule sets kept per process
ACTIONS_APP = "github-actions"

_default_triage: Triage | None = None
# A compiled rule set, or (a str) why it could not load.
_repo_triage: OrderedDict[str, Triage | str] = OrderedDict()


def default_triage() -> Triage:
    """The process-wide engine with the built-in rules (compiled once)."""
    global _default_triage
    if _default_triage is None:
        _default_triage = Triage()
    return _default_triage


# -- check suites --------------------------------------------------------------------------------


async def report_suite(ctx: Context, suite: Mapping[str, Any]) -> None:
    """Report (or clear) a completed check suite: GitHub Actions' through its workflow runs,
    another CI app's from its check runs' output."""
    conclusion = suite.get("conclusion")
    if conclusion not in FAILED | PASSED:
        return
    owner, repo = ctx.owner_repo
    app = suite.get("app") or {}
    if app.get("slug") == ACTIONS_APP:
        # The same failure as the suite's workflow runs: report each run the usual way.
        for run in await ctx.gh.list_workflow_runs(
            owner, repo, check_suite_id=int(suite.get("id") or 0), max_items=20
        ):
            await report_run(ctx, run)
        return
    await _handle_external_suite(ctx, suite, str(app.get("slug") or "ci"))


# -- workflow runs -------------------------------------------------------------------------------


def _key(run: WorkflowRun) -> tuple[tuple[str, str], ...]:
    return (("workflow", str(run.workflow_id)), ("branch", run.head_branch))


async def report_run(ctx: Context, run: WorkflowRun, *, numbers: Sequence[int] = ()) -> str:
    """Report (or clear) one completed workflow run; returns a one-line outcome."""
    if run.conclusion not in FAILED | PASSED:
        return f"run #{run.run_number} ended {run.conclusion or run.status}: nothing to report"
    owner, repo = ctx.owner_repo
    gh = ctx.gh
    config = await ctx.config()
    if not config.config.triage.enabled:
        return "triage is disabled by triage.enabled in the repository config"
    targets = list(numbers) or await pull_numbers(gh, owner, repo, run)
    key = _key(run)
    if run.conclusion in PASSED:
        for number in targets:
            await _mark_fixed(ctx, Sticky(owner, repo, number, KIND, key), run, run.name)
        if not targets:
            await _mark_commit_fixed(ctx, run, key)
        return f"run #{run.run_number} passed"
    if not numbers and await _superseded(gh, owner, repo, run):
        ctx.log.info("run superseded by a newer run of the workflow: not reported")
        return f"run #{run.run_number} was superseded by a newer run: not reported"
    failure = await diagnose(ctx, run, config)
    await _publish(ctx, failure, config.config, run, key, targets)
    where = ", ".join(f"#{n}" for n in targets) or f"commit {run.head_sha[:7]}"
    return f"reported run #{run.run_number} on {where}"


async def diagnose(ctx: Context, run: WorkflowRun, config: ConfigResult) -> RunFailure:
    """The failed run's jobs triaged, as the report shows them; reads only, writes nothing."""
    triage, notes = await triage_for(ctx, config)
    jobs = await _failed_jobs(ctx, run, triage)
    if not jobs:
        notes.append(
            "No job failed: the workflow did not start (invalid workflow file, or a job "
            "that could not be scheduled). Open the run for GitHub's message."
        )
    return RunFailure(
        source=f"workflow {run.name or run.path}",
        url=run.html_url,
        label=f"run #{run.run_number}"
        + (f" (attempt {run.run_attempt})" if run.run_attempt > 1 else ""),
        head_sha=run.head_sha,
        jobs=tuple(jobs),
        notes=tuple(notes),
    )


async def _publish(
    ctx: Context,
    failure: RunFailure,
    config: RepoConfig,
    run: WorkflowRun,
    key: tuple[tuple[str, str], ...],
    targets: Sequence[int],
) -> None:
    """Add the runbooks and catalog sections, render and post one failure report: on each PR,
    else on the commit."""
    owner, repo = ctx.owner_repo
    body = render_failure(await _with_sections(ctx, failure, config))
    state = _state_fields(run, "failing")
    for number in targets:
        await _post_failure(ctx, Sticky(owner, repo, number, KIND, key), state, run, body)
    if not targets:
        await _post_commit_comment(ctx, run.head_sha, key, state, run, body)
    ctx.outcome.summary.append(body)


def _state_fields(run: WorkflowRun, state: str) -> tuple[tuple[str, str], ...]:
    return (
        ("state", state),
        ("run", str(run.id)),
        ("attempt", str(run.run_attempt)),
        ("sha", run.head_sha),
    )


def _newer(marker: markers.Marker | None, run: WorkflowRun) -> bool:
    """True when the comment already speaks for a later run (events arrive out of order)."""
    if marker is None:
        return False
    seen = (_int(marker.get("run")), _int(marker.get("attempt")))
    return seen > (run.id, run.run_attempt)


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


async def _post_failure(
    ctx: Context,
    lookup: Sticky,
    state: tuple[tuple[str, str], ...],
    run: WorkflowRun,
    body: str,
) -> None:
    write = Sticky(lookup.owner, lookup.repo, lookup.number, KIND, lookup.fields + state)
    existing = await find_sticky(ctx.gh, lookup, ctx.bot_login)
    if existing is not None and _newer(markers.parse(existing.body, KIND), run):
        ctx.log.info("a later run already reported on #%s", lookup.number)
        return
    await upsert_sticky(ctx.gh, write, body, ctx.bot_login, existing=existing)


def _fixed_body(body: str, marker: markers.Marker, run: WorkflowRun, source: str) -> str:
    """The earlier report `body`, now marked fixed by `run`."""
    return render_fixed(
        body,
        source=f"workflow {source}",
        fixed_sha=run.head_sha,
        failed_sha=marker.get("sha"),
        url=run.html_url,
        label=f"run #{run.run_number}",
    )


async def _mark_fixed(ctx: Context, lookup: Sticky, run: WorkflowRun, source: str) -> None:
    """Turn an earlier failure report into "fixed in <sha>"; never creates a comment."""
    existing = await find_sticky(ctx.gh, lookup, ctx.bot_login)
    if existing is None:
        return
    marker = markers.parse(existing.body, KIND)
    if marker is None or marker.get("state") != "failing" or _newer(marker, run):
        return
    body = _fixed_body(existing.body, marker, run, source)
    fields = lookup.fields + _state_fields(run, "fixed")
    write = Sticky(lookup.owner, lookup.repo, lookup.number, KIND, fields)
    await upsert_sticky(ctx.gh, write, body, ctx.bot_login, existing=existing)


async def _post_commit_comment(
    ctx: Context,
    sha: str,
    key: tuple[tuple[str, str], ...],
    state: tuple[tuple[str, str], ...],
    run: WorkflowRun,
    body: str,
) -> None:
    """The sticky report for a push without a PR: one commit comment per workflow and sha. No
    two jobs reporting on one branch run at once (the queue's `:failures:BRANCH` serial key),
    so finding none means creating one."""
    owner, repo = ctx.owner_repo
    gh = ctx.gh
    # `compose` only needs the marker; commit comments have no issue number.
    text = compose(Sticky(owner, repo, 0, KIND, key + state), body)
    comments = await gh.list_commit_comments(owner, repo, sha)
    existing = markers.find(comments, ctx.bot_login, KIND, **dict(key))
    if existing is None:
        await gh.create_commit_comment(owner, repo, sha, text)
    elif existing.body != text and not _newer(markers.parse(existing.body, KIND), run):
        await gh.update_commit_comment(owner, repo, existing.id, text)


async def _mark_commit_fixed(
    ctx: Context, run: WorkflowRun, key: tuple[tuple[str, str], ...]
) -> None:
    """A push run passed: if the workflow's previous run on the branch failed, its commit
    comment becomes "fixed in <sha>". One list call when the previous run passed too."""
    owner, repo = ctx.owner_repo
    gh: GitHub = ctx.gh
    if not run.head_branch:
        return
    runs = await gh.list_workflow_runs(owner, repo, branch=run.head_branch, max_items=100)
    previous = next(
        (r for r in runs if r.workflow_id == run.workflow_id and r.id < run.id
         and r.status == "completed" and r.conclusion in FAILED | PASSED),
        None,
    )
    if previous is None or previous.conclusion not in FAILED:
        return
    comments = await gh.list_commit_comments(owner, repo, previous.head_sha)
    existing = markers.find(comments, ctx.bot_login, KIND, **dict(key))
    marker = markers.parse(existing.body, KIND) if existing is not None else None
    if existing is None or marker is None or marker.get("state") != "failing":
        return
    body = _fixed_body(existing.body, marker, run, run.name)
    text = compose(Sticky(owner, repo, 0, KIND, key + _state_fields(run, "fixed")), body)
    await gh.update_commit_comment(owner, repo, existing.id, text)


async def pull_numbers(gh: GitHub, owner: str, repo: str, run: WorkflowRun) -> list[int]:
    """The open PRs whose head is the run's commit. The payload lists them, except for runs
    from forks (GitHub leaves `pull_requests` empty there): then ask by sha, then by branch."""
    if run.pull_numbers:
        return sorted(set(run.pull_numbers))
    if run.event not in ("pull_request", "pull_request_target") or not run.head_sha:
        return []
    found = [
        p.number
        for p in await gh.list_pulls_for_commit(owner, repo, run.head_sha)
        if p.state == "open" and p.head_sha == run.head_sha
    ]
    if not found and run.head_owner and run.head_branch:
        head = f"{run.head_owner}:{run.head_branch}"
        found = [
            p.number
            for p in await gh.list_pulls(owner, repo, head=head)
            if p.head_sha == run.head_sha
        ]
    return sorted(set(found))


async def _superseded(gh: GitHub, owner: str, repo: str, run: WorkflowRun) -> bool:
    """A newer run of the same workflow exists for a newer commit of the branch."""
    if not run.head_branch:
        return False
    runs = await gh.list_workflow_runs(owner, repo, branch=run.head_branch, max_items=100)
    return any(
        other.workflow_id == run.workflow_id
        and other.id > run.id
        and other.head_sha != run.head_sha
        for other in runs
    )


# -- logs ----------------------------------------------------------------------------------------


def failing_step(job: WorkflowJob) -> str | None:
    return next((s.name for s in job.steps if s.conclusion in JOB_FAILED), None)


async def _failed_jobs(ctx: Context, run: WorkflowRun, triage: Triage) -> list[JobFailure]:
    owner, repo = ctx.owner_repo
    jobs = [
        j for j in await ctx.gh.list_run_jobs(owner, repo, run.id) if j.conclusion in JOB_FAILED
    ]
    limit = asyncio.Semaphore(LOG_CONCURRENCY)

    async def one(job: WorkflowJob) -> tuple[WorkflowJob, JobLog | None]:
        async with limit:
            try:
                return job, await ctx.gh.download_job_log(
                    owner, repo, job.id, max_bytes=LOG_MAX_BYTES
                )
            except (NotFound, PermissionDenied) as exc:  # 410: expired
                ctx.log.info("no log for job %s: %s", job.id, exc)
                return job, None

    fetched = await asyncio.gather(*(one(job) for job in jobs[:MAX_JOBS]))
    baselines = await passing_baselines(ctx, run, triage, [job.name for job in jobs[:MAX_JOBS]])
    results: list[JobFailure] = []
    missing: list[WorkflowJob] = []
    for job, log in fetched:
        if log is None:
            missing.append(job)
            continue
        report = await asyncio.to_thread(
            triage.run,
            job.name,
            [Log(None, io.BytesIO(log.text.encode()), failing_step(job))],
            baselines.get(job.name),
        )
        note = None
        if log.truncated:
            note = (
                f"The log is {log.total_bytes / 1_048_576:.1f} MB; its first and last "
                f"{LOG_MAX_BYTES // 1_048_576} MB were read."
            )
        results.append(JobFailure(job.name, job.html_url, failing_step(job), report, note))
    if missing:
        results += await _from_run_zip(ctx, run, missing, triage)
    results += [
        JobFailure(j.name, j.html_url, failing_step(j), None, "Not read: too many failed jobs.")
        for j in jobs[MAX_JOBS:]
    ]
    return results


async def passing_baselines(
    ctx: Context, run: WorkflowRun, triage: Triage, names: Sequence[str]
) -> dict[str, Baseline]:
    """The logs of the same jobs in the last successful run of this workflow (on the run's
    branch, else the default branch), read as triage baselines; empty when there is none."""
    owner, repo = ctx.owner_repo
    try:
        default = await ctx.default_branch()
        passing = None
        for branch in dict.fromkeys(b for b in (run.head_branch, default) if b):
            runs = await ctx.gh.list_workflow_runs(
                owner, repo, branch=str(branch), status="success", max_items=BASELINE_RUNS
            )
            passing = next((r for r in runs if r.workflow_id == run.workflow_id), None)
            if passing is not None:
                break
        if passing is None:
            return {}
        jobs = {job.name: job for job in await ctx.gh.list_run_jobs(owner, repo, passing.id)}
        found: dict[str, Baseline] = {}
        for name in names:
            job = jobs.get(name)
            if job is None or job.conclusion != "success":
                continue
            log = await ctx.gh.download_job_log(owner, repo, job.id, max_bytes=LOG_MAX_BYTES)
            stream = io.BytesIO(log.text.encode())
            found[name] = await asyncio.to_thread(triage.baseline, [Log(None, stream)])
        return found
    except GitHubError as exc:  # a baseline only sharpens the report: never lose it for one
        ctx.log.info("no passing baseline for run %s: %s", run.id, exc)
        return {}


async def _from_run_zip(
    ctx: Context, run: WorkflowRun, jobs: list[WorkflowJob], triage: Triage
) -> list[JobFailure]:
    """Jobs whose own log is gone: try the run's logs zip once for all of them."""
    owner, repo = ctx.owner_repo
    gone = "The job's log is no longer available (expired or deleted), nor the run's logs."
    try:
        archive = await ctx.gh.download_run_logs(owner, repo, run.id, max_bytes=RUN_ZIP_MAX_BYTES)
    except TooLarge:
        gone = "The job's log is gone and the run's logs zip is over the size cap."
        archive = b""
    except (NotFound, PermissionDenied):
        archive = b""
    if not archive:
        return [JobFailure(j.name, j.html_url, failing_step(j), None, gone) for j in jobs]
    return await asyncio.to_thread(_triage_zip, archive, jobs, triage, gone)


def _triage_zip(
    archive: bytes, jobs: list[WorkflowJob], triage: Triage, gone: str
) -> list[JobFailure]:
    results = []
    budget = ReadBudget(ZIP_LOG_BYTES, ZIP_TOTAL_BYTES, ZIP_SECONDS)
    with tempfile.TemporaryDirectory(prefix="hephaestus-logs-") as folder:
        path = Path(folder) / "logs.zip"
        path.write_bytes(archive)
        try:
            with open_logs(str(path), budget) as logs:
                for job in jobs:
                    mine = [log for log in logs if _member_of(log.name, job.name)]
                    report = triage.run(job.name, mine) if mine else None
                    cut = budget.summary()
                    note = "Read from the run's logs zip." if mine else gone
                    if mine and cut:
                        note = f"Read from the run's logs zip, in part: {cut}"
                    results.append(
                        JobFailure(job.name, job.html_url, failing_step(job), report, note)
                    )
        except InputError as exc:
            note = f"The run's logs zip is unreadable: {exc}"
            return [JobFailure(j.name, j.html_url, failing_step(j), None, note) for j in jobs]
    return results


def _member_of(member: str | None, job: str) -> bool:
    """`3_build.txt` (whole-job log) or `build/2_Run tests.txt` (a step) belong to job build."""
    if member is None:
        return False
    path = PurePosixPath(member)
    if len(path.parts) > 1:
        return path.parts[0] == job
    return path.stem.partition("_")[2] == job


# -- external CI apps ----------------------------------------------------------------------------


async def _handle_external_suite(ctx: Context, suite: Mapping[str, Any], app_slug: str) -> None:
    owner, repo = ctx.owner_repo
    gh = ctx.gh
    config = await ctx.config()
    if not config.config.triage.enabled:
        return
    run = WorkflowRun.from_api(
        {
            "id": suite.get("id"),
            "name": app_slug,
            "head_sha": suite.get("head_sha"),
            "head_branch": suite.get("head_branch"),
            "conclusion": suite.get("conclusion"),
            "event": "pull_request" if suite.get("pull_requests") else "push",
            "pull_requests": suite.get("pull_requests"),
            "html_url": "",
        }
    )
    key = (("app", app_slug), ("branch", run.head_branch))
    targets = await pull_numbers(gh, owner, repo, run)
    if run.conclusion in PASSED:
        for number in targets:
            await _mark_fixed(ctx, Sticky(owner, repo, number, KIND, key), run, app_slug)
        return
    triage, notes = await triage_for(ctx, config)
    checks = [
        c for c in await gh.list_check_suite_runs(owner, repo, run.id) if c.conclusion in JOB_FAILED
    ]
    if not checks:
        ctx.log.info("check suite %s failed without a failed check run: nothing to triage", run.id)
        return
    jobs = [await _check_run_failure(ctx, check, triage) for check in checks[:MAX_JOBS]]
    url = next((c.html_url for c in checks if c.html_url.startswith("https://")), "")
    failure = RunFailure(
        source=f"{app_slug} checks",
        url=url,
        label=f"suite {run.id}",
        head_sha=run.head_sha,
        jobs=tuple(jobs),
        notes=tuple(notes),
    )
    await _publish(ctx, failure, config.config, run, key, targets)


async def _check_run_failure(ctx: Context, check: CheckRunOutput, triage: Triage) -> JobFailure:
    """Another app's check run: its output text and annotations stand in for the log."""
    owner, repo = ctx.owner_repo
    parts = [p for p in (check.title, check.summary, check.text) if p.strip()]
    if check.annotations_count:
        for a in await ctx.gh.list_check_run_annotations(owner, repo, check.id):
            where = f"{a.path}:{a.start_line}: " if a.path else ""
            parts.append(f"{where}{a.level}: {a.title} {a.message}".strip())
    link = check.details_url if check.details_url.startswith("https://") else check.html_url
    if not parts:
        note = (
            f"{check.app_slug or 'This CI app'} published no output or annotations for this "
            "check, and its logs are not reachable through GitHub; open its details link."
        )
        return JobFailure(check.name, link, None, None, note)
    text = "\n".join(parts)
    report = await asyncio.to_thread(triage.run, check.name, [Log(None, io.BytesIO(text.encode()))])
    return JobFailure(check.name, link, None, report, "Triaged from the check run's output.")


# -- repository rules, report sections ----------------------------------------------------------


async def triage_for(ctx: Context, config: ConfigResult) -> tuple[Triage, list[str]]:
    """The engine with the repository's own rules from `triage.rules_dir` on the default branch
    (compiled once per distinct rule set), and notes for the report if they could not load."""
    owner, repo = ctx.owner_repo
    gh: GitHub = ctx.gh
    rules_dir = config.config.triage.rules_dir
    default_branch = await ctx.default_branch()
    try:
        listing = await gh.list_directory(owner, repo, rules_dir, default_branch)
    except NotFound:
        return default_triage(), []
    if listing is None:
        return default_triage(), [f"{rules_dir} is not a directory: repository rules ignored."]
    names = sorted(
        e.name for e in listing if e.type == "file" and e.name.endswith((".yml", ".yaml"))
    )
    if not names:
        return default_triage(), []
    notes = []
    if len(names) > MAX_RULE_FILES:
        notes.append(f"Only the first {MAX_RULE_FILES} rule files of {rules_dir} were loaded.")
        names = names[:MAX_RULE_FILES]
    files: dict[str, bytes] = {}
    for name in names:
        try:
            file = await gh.get_file(
                owner, repo, f"{rules_dir}/{name}", default_branch, max_bytes=MAX_RULE_BYTES
            )
        except TooLarge:
            notes.append(f"{rules_dir}/{name} is over {MAX_RULE_BYTES // 1024} KiB: skipped.")
            continue
        files[name] = file.content
    digest = hashlib.sha256()
    for name, content in files.items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    key = digest.hexdigest()
    cached = _repo_triage.get(key)
    if cached is None:
        try:
            cached = await asyncio.to_thread(_compile_rules, files, rules_dir)
        except RuleError as exc:
            # Cached too: a rule set that cannot load costs one compile and one log line.
            cached = f"Repository rules not used, fix them on {default_branch}: {exc}"
            ctx.log.warning("repository rules of %s/%s not used: %s", owner, repo, exc)
        _repo_triage[key] = cached
        while len(_repo_triage) > RULES_CACHE:
            _repo_triage.popitem(last=False)
    _repo_triage.move_to_end(key)
    if isinstance(cached, str):
        return default_triage(), [*notes, cached]
    return cached, notes


def _compile_rules(files: dict[str, bytes], rules_dir: str) -> Triage:
    with tempfile.TemporaryDirectory(prefix="hephaestus-rules-") as folder:
        for name, content in files.items():
            (Path(folder) / PurePosixPath(name).name).write_bytes(content)
        try:
            return Triage(load_catalog([Path(folder)]))
        except RuleError as exc:  # name the files as the repository does, not our temp copy
            raise RuleError(str(exc).replace(folder, rules_dir)) from None


def combined_report(failure: RunFailure) -> TriageReport:
    """The top failure of each job, as one report: what the sections are about."""
    reports = [job.report for job in failure.jobs if job.report is not None]
    return TriageReport(
        source=failure.url or failure.source,
        failures=tuple(f for r in reports for f in r.failures[:1]),
        lines=sum(r.lines for r in reports),
        bytes=sum(r.bytes for r in reports),
        failing_steps=tuple(s for r in reports for s in r.failing_steps),
    )


async def _with_sections(ctx: Context, failure: RunFailure, config: RepoConfig) -> RunFailure:
    """The report's extra sections, in order: the matching runbooks (the most actionable), then
    the failures' history, once they are recorded in the catalog. A section that cannot be made
    costs only itself, never the report."""
    report = combined_report(failure)
    sections: list[str] = []
    try:
        if (section := await runbooks.suggest_runbooks(ctx, report, config)) is not None:
            sections.append(section)
    except Exception:
        ctx.log.exception("runbooks section of the failure report failed")
    try:
        recorded = await catalog.record_failures(ctx, report, config)
        if recorded is not None:
            if recorded.error is None:
                # the report waits on this: render now, not when the burst goes quiet
                await catalog.refresh_dashboard(ctx, config, recorded.default_branch, wait=False)
            if (section := catalog.history_section(recorded, report)) is not None:
                sections.append(section)
    except Exception:
        ctx.log.exception("catalog section of the failure report failed")
    return RunFailure(
        failure.source,
        failure.url,
        failure.label,
        failure.head_sha,
        failure.jobs,
        tuple(sections),
        failure.notes,
    )


# -- for /hephaestus triage and retest -----------------------------------------------------------


async def latest_failed(
    ctx: Context, number: int, *, pull_runs_only: bool = False
) -> WorkflowRun | None:
    """The latest failed run at the PR's head; `pull_runs_only`: among those the pull request
    itself started (not a push or deployment run of a branch it happens to share)."""
    owner, repo = ctx.owner_repo
    pull = await ctx.gh.get_pull(owner, repo, number)
    runs = await ctx.gh.list_workflow_runs(owner, repo, head_sha=pull.head_sha, max_items=100)
    return next(
        (r for r in runs
         if r.conclusion in FAILED and (not pull_runs_only or r.event.startswith("pull_request"))),
        None,
    )  # fmt: skip


async def triage_latest(ctx: Context, number: int, run_id: int | None) -> str:
    """Re-triage the PR's latest failed run (or run `run_id`) into its sticky report."""
    owner, repo = ctx.owner_repo
    if run_id is not None:
        try:
            run = await ctx.gh.get_workflow_run(owner, repo, run_id)
        except NotFound:
            return f"There is no workflow run {run_id} in {owner}/{repo}."
    else:
        found = await latest_failed(ctx, number)
        if found is None:
            return "No failed workflow run for this pull request's head commit."
        run = found
    if run.conclusion not in FAILED:
        return f"Run #{run.run_number} did not fail ({run.conclusion or run.status})."
    return await report_run(ctx, run, numbers=[number])


async def retest(ctx: Context, number: int, *, pull_runs_only: bool = False) -> str:
    """Re-run the failed jobs of the PR's latest failed run (`pull_runs_only`: of a run the pull
    request started, for an author who could not re-run the branch's other runs themselves)."""
    owner, repo = ctx.owner_repo
    run = await latest_failed(ctx, number, pull_runs_only=pull_runs_only)
    if run is None:
        which = "run of this pull request" if pull_runs_only else "workflow run"
        return f"No failed {which} for this pull request's head commit: nothing to re-run."
    try:
        await ctx.gh.rerun_failed_jobs(owner, repo, run.id)
    except PermissionDenied as exc:
        return f"GitHub refused to re-run {run.name} run #{run.run_number}: {exc}"
    return f"Re-running the failed jobs of {run.name} run #{run.run_number}."
