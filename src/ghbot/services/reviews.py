"""Reviewing a pull request: analyse the changed files at the head sha, then ONE check run
"Hephaestus" per head sha and ONE review per run with inline comments on diff lines and
suggestion blocks.

Nothing from the pull request is executed: the changed files are read through the API at the
head sha and analysed as text. Settings that judge the PR come from the base side only: the
repository config from the default branch (`Context.config`), and ruff's configuration from
the root of the base commit. A ruff config the PR adds or changes (anywhere) is scanned as text
but never obeyed, so a PR cannot switch off the checks that judge it. A base config that
`extend`s another file is not followed: ruff then reports it and the defaults apply.
"""

from __future__ import annotations

import asyncio
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field

from ghbot.commands.ignores import load_ignores
from ghbot.context import Context
from ghbot.engine.analysis.lint import CONFIG_NAMES, RuffError
from ghbot.engine.analysis.run import AnalysisOptions, analyse_files, attach_codemod_fixes
from ghbot.engine.diff import DiffIndex, DiffParseError, FilterMode, parse_unified_diff
from ghbot.engine.files import InputError
from ghbot.engine.fixes.codemod_catalog import safe_fix_expected
from ghbot.engine.isolation import NOT_ANALYSED
from ghbot.engine.models import SourceFile
from ghbot.engine.render import escape_inline
from ghbot.engine.review.plan import PlanOptions, ReviewPlan, plan_with_fixes
from ghbot.engine.review.summary import check_summary, fails, review_body, title
from ghbot.github.annotations import annotation_for
from ghbot.github.api import GitHub
from ghbot.github.checks import (
    CHECK_NAME,
    CheckAction,
    CheckReport,
    publish_check,
    start_check,
)
from ghbot.github.errors import NotFound, PermissionDenied, TooLarge, ValidationFailed
from ghbot.github.models import CheckRun, PullFile, PullRequest
from ghbot.github.repo_config import ConfigResult, RepoConfig
from ghbot.github.reviews import (
    has_review_for,
    list_pull_comments,
    mark_fixed,
    post_review,
    prior_comments,
)

FIX_ACTION = CheckAction("Apply fixes", "Commit the safe fixes to this branch", "hephaestus-fix")
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES = 300  # changed files read per run; the rest are listed as not analysed
FETCH_CONCURRENCY = 8  # parallel content reads per PR: well under GitHub's concurrency limit


@dataclass(slots=True)
class Changes:
    """The pull request's changed files at the head: their text and their diff."""

    sources: list[SourceFile] = field(default_factory=list)
    diff: DiffIndex = field(default_factory=DiffIndex)
    skipped: list[str] = field(default_factory=list)  # "path: why", shown in the summary


async def review_pull(
    ctx: Context, number: int, *, pull: PullRequest | None = None, skip_drafts: bool = False
) -> None:
    """The whole pull-request behaviour for one PR: check run and review at its head. A command
    or a re-run button passes no `pull` (it is read fresh) and reviews drafts too: it was asked."""
    gh = ctx.gh
    owner, repo = ctx.owner_repo
    if pull is None:
        pull = await gh.get_pull(owner, repo, number)
    loaded = await ctx.config()
    config = loaded.config
    if skip_drafts and pull.draft and not config.review.draft_prs:
        ctx.log.info("draft pull request: skipped per review.draft_prs")
        return
    head = pull.head_sha
    # Independent reads go out together: each round trip to GitHub is latency the user waits.
    run, files, ignores, comments = await asyncio.gather(
        _start_check(ctx, owner, repo, head),
        gh.list_pull_files(owner, repo, number),
        load_ignores(gh, owner, repo, number, ctx.bot_login),
        list_pull_comments(gh, owner, repo, number),
    )
    changes, ruff_configs = await asyncio.gather(
        read_changes(gh, owner, repo, files, head, config.analysis.exclude),
        base_ruff_configs(gh, owner, repo, pull.base_sha),
    )
    options = AnalysisOptions(
        select=tuple(config.analysis.select),
        ignore=tuple(config.analysis.ignore),
        max_file_bytes=MAX_FILE_BYTES,
        secrets_allowlist=tuple(config.analysis.secrets.allowlist),
        # LibCST's fixes (most of the engine's time) only for the findings the review shows:
        # `plan_with_fixes` below.
        codemod_fixes=False,
    )
    try:
        result = await asyncio.to_thread(
            analyse_files, changes.sources, options, ruff_configs=ruff_configs
        )
    except (RuffError, InputError) as error:
        # Retrying cannot cure these: say so on the check run instead of leaving it spinning.
        ctx.log.error("analysis failed: %s", error)
        # Failure, never neutral: GitHub counts neutral as passing for a required check.
        report = CheckReport("failure", "Analysis failed", f"Hephaestus could not analyse "
                             f"this pull request: {escape_inline(str(error)[:2000])}")  # fmt: skip
        if run is not None:
            await publish_check(gh, owner, repo, report, name=CHECK_NAME, head_sha=head, run=run)
        return
    findings = [
        f for f in result.findings
        if f.rule == NOT_ANALYSED or not (ignores and ignores.matches(f.rule, f.path))
    ]  # fmt: skip
    skipped = changes.skipped + [f"{s.path}: {s.reason}" for s in result.skipped]

    plan = await asyncio.to_thread(
        plan_with_fixes,
        findings,
        changes.diff,
        {s.path: s.text for s in changes.sources},
        prior_comments(comments, ctx.bot_login),
        PlanOptions(
            filter_mode=FilterMode(config.review.filter_mode),
            max_comments=config.review.max_comments,
            suggestions=config.fixes.mode != "off",
        ),
        lambda shown: attach_codemod_fixes(changes.sources, shown),
    )
    ctx.outcome.findings.extend(plan.reported)  # the Action shows them even if writes fail
    notices = list(result.notices)
    if run is not None:
        try:
            await _review(ctx, gh, owner, repo, number, head, plan)
            await mark_fixed(gh, owner, repo, plan.fixed, comments, head)
        except PermissionDenied as error:  # e.g. a workflow token without pull-requests: write
            ctx.log.warning("review not posted: %s", error)
            notices.append(f"The review could not be posted: {error}")
    report = build_report(
        plan,
        loaded,
        files=len(changes.sources),
        skipped=skipped,
        notices=notices,
        ignores=ignores.describe() if ignores else "",
    )
    ctx.outcome.summary.append(f"### Hephaestus review\n\n{report.summary}")
    if run is not None:
        await publish_check(gh, owner, repo, report, name=CHECK_NAME, head_sha=head, run=run)


async def _review(
    ctx: Context,
    gh: GitHub,
    owner: str,
    repo: str,
    number: int,
    head: str,
    plan: ReviewPlan,
) -> None:
    """ONE review: when there are new inline comments, or (once per head sha) when findings
    over the cap need saying. A re-run with nothing new posts nothing."""
    if not plan.comments:
        if not plan.overflow or await has_review_for(gh, owner, repo, number, head, ctx.bot_login):
            return

    async def fresh_diff() -> DiffIndex:
        return diff_of(await gh.list_pull_files(owner, repo, number))

    await post_review(
        gh, owner, repo, number, head_sha=head, body=review_body(plan, head),
        comments=plan.comments, fresh_diff=fresh_diff,
    )  # fmt: skip


async def _start_check(ctx: Context, owner: str, repo: str, head: str) -> CheckRun | None:
    """The sha's check run, in progress; None when the token may not write (an Action run on a
    fork's PR): the analysis still runs and its findings reach `ctx.outcome`."""
    try:
        return await start_check(ctx.gh, owner, repo, name=CHECK_NAME, head_sha=head)
    except PermissionDenied as error:
        ctx.log.warning("check run not created: %s", error)
        return None



def build_report(
    plan: ReviewPlan,
    loaded: ConfigResult,
    *,
    files: int,
    skipped: Sequence[str],
    notices: Sequence[str],
    ignores: str = "",
) -> CheckReport:
    config: RepoConfig = loaded.config
    fixable = sum(1 for f in plan.reported if safe_fix_expected(f))
    summary = check_summary(plan, files=files, skipped=skipped, notices=notices, fixable=fixable)
    if ignores:
        summary += f"\n\n{ignores}"
    if not loaded.ok:
        summary += f"\n\n{loaded.markdown()}"
    failed = fails(plan.reported, config.review.fail_level)
    ordered = sorted(plan.reported, key=lambda f: (-f.severity.rank, f.path, f.line))
    return CheckReport(
        conclusion="failure" if failed else "success",
        title=title(plan.reported),
        summary=summary,
        annotations=[annotation_for(f) for f in ordered],
        actions=(FIX_ACTION,) if fixable and config.fixes.mode != "off" else (),
    )


def diff_of(files: Sequence[PullFile]) -> DiffIndex:
    """The PR's diff from each file's `patch`. A file without one (binary, or a diff too large
    for GitHub to show) is in the diff but has no line a comment can sit on."""
    index = DiffIndex()
    for file in files:
        old = file.previous_filename or file.filename
        header = (
            f"--- {'/dev/null' if file.status == 'added' else 'a/' + old}\n"
            f"+++ {'/dev/null' if file.status == 'removed' else 'b/' + file.filename}\n"
        )
        try:
            parsed = parse_unified_diff(header + (file.patch or ""))
        except DiffParseError:
            parsed = DiffIndex()
        entry = parsed.files.get(file.filename) or parsed.files.get(old)
        if entry is not None:
            index.files[entry.path] = entry
    return index


def _excluded(path: str, patterns: Sequence[str]) -> bool:
    # fnmatch's `*` crosses `/`, so `vendor/**` excludes everything under vendor/.
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns)


async def read_changes(
    gh: GitHub,
    owner: str,
    repo: str,
    files: Sequence[PullFile],
    head_sha: str,
    exclude: Sequence[str],
) -> Changes:
    changes = Changes(diff=diff_of(files))
    paths = [f.filename for f in files if f.status != "removed"]
    wanted = [p for p in paths if not _excluded(p, exclude)]
    if len(wanted) > MAX_FILES:
        changes.skipped.append(f"{len(wanted) - MAX_FILES} files: over {MAX_FILES} changed files")
        wanted = wanted[:MAX_FILES]
    limit = asyncio.Semaphore(FETCH_CONCURRENCY)

    async def read(path: str) -> SourceFile | None:
        async with limit:
            try:
                content = await gh.get_file(owner, repo, path, head_sha, max_bytes=MAX_FILE_BYTES)
            except TooLarge:
                changes.skipped.append(f"{path}: larger than {MAX_FILE_BYTES // 1024} KiB")
                return None
            except NotFound:  # deleted by a later push while we ran
                return None
        if b"\0" in content.content[:8192]:
            return None  # binary: nothing to analyse, nothing to say
        try:
            return SourceFile(path, content.content.decode("utf-8"))
        except UnicodeDecodeError:
            changes.skipped.append(f"{path}: not UTF-8 text")
            return None

    found = await asyncio.gather(*(read(path) for path in wanted))
    changes.sources = [s for s in found if s is not None]
    return changes


async def base_ruff_configs(
    gh: GitHub, owner: str, repo: str, base_sha: str
) -> list[SourceFile]:
    """The ruff configuration files at the root of the base commit (never the PR's)."""
    if not base_sha:
        return []
    try:
        tree = await gh.get_tree(owner, repo, base_sha)
    except (NotFound, ValidationFailed):  # 422: GitHub does not know the commit
        return []
    names = [e.path for e in tree.entries if e.type == "blob" and e.path in CONFIG_NAMES]
    configs = []
    for name in names:
        try:
            content = await gh.get_file(owner, repo, name, base_sha, max_bytes=256 * 1024)
            configs.append(SourceFile(name, content.content.decode("utf-8")))
        except (NotFound, TooLarge, UnicodeDecodeError):
            continue  # no usable config: ruff's defaults apply
    return configs
