"""Pull requests: analyse the changed files at the head sha and publish one check run."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from ghbot.context import Context
from ghbot.engine.analysis.syntax import check_syntax
from ghbot.engine.models import Finding, SourceFile
from ghbot.engine.render import escape_inline
from ghbot.github.annotations import annotation_for
from ghbot.github.checks import CheckReport, publish_check, start_check
from ghbot.github.client import GitHubClient
from ghbot.github.errors import NotFound, TooLarge
from ghbot.github.repo_config import ConfigResult, load_repo_config
from ghbot.registry import on

CHECK_NAME = "Hephaestus"
MAX_FILE_BYTES = 2 * 1024 * 1024
FETCH_CONCURRENCY = 8  # parallel content reads per PR: well under GitHub's concurrency limit


@dataclass(slots=True)
class Analysis:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    skipped: list[str] = field(default_factory=list)  # "path: why", shown in the summary


@on("pull_request", "opened", "synchronize", "reopened")
async def analyse_pull_request(ctx: Context) -> None:
    event, gh = ctx.event, ctx.gh
    pull = event.payload.get("pull_request") or {}
    if event.repo is None or event.number is None or event.head_sha is None:
        ctx.log.warning("pull_request payload without repository, number or head sha")
        return
    owner, repo = event.repo.split("/", 1)
    default_branch = (event.payload.get("repository") or {}).get("default_branch")
    config = await load_repo_config(gh, owner, repo, default_branch=default_branch)
    if pull.get("draft") and not config.config.review.draft_prs:
        ctx.log.info("draft pull request: skipped per review.draft_prs")
        return
    await start_check(gh, owner, repo, name=CHECK_NAME, head_sha=event.head_sha)
    analysis = await analyse_changed_files(gh, owner, repo, event.number, event.head_sha)
    await publish_check(
        gh, owner, repo, build_report(analysis, config), name=CHECK_NAME, head_sha=event.head_sha
    )


async def analyse_changed_files(
    gh: GitHubClient, owner: str, repo: str, number: int, head_sha: str
) -> Analysis:
    files = await gh.list_pull_files(owner, repo, number)
    paths = [f.filename for f in files if f.filename.endswith(".py") and f.status != "removed"]
    analysis = Analysis(files=len(paths))
    limit = asyncio.Semaphore(FETCH_CONCURRENCY)

    async def read(path: str) -> SourceFile | None:
        async with limit:
            try:
                content = await gh.get_file(owner, repo, path, head_sha, max_bytes=MAX_FILE_BYTES)
            except TooLarge:
                analysis.skipped.append(f"{path}: larger than {MAX_FILE_BYTES // 1024} KiB")
                return None
            except NotFound:  # deleted by a later push while we ran
                return None
        try:
            return SourceFile(path, content.content.decode("utf-8"))
        except UnicodeDecodeError:
            analysis.skipped.append(f"{path}: not UTF-8 text")
            return None

    for source in await asyncio.gather(*(read(path) for path in paths)):
        if source is not None:
            analysis.findings.extend(check_syntax(source))
    return analysis


def build_report(analysis: Analysis, config: ConfigResult) -> CheckReport:
    errors = len(analysis.findings)
    if errors:
        title = f"{errors} syntax error{'s' if errors != 1 else ''}"
    else:
        title = "No problems found"
    lines = [f"Analysed {analysis.files} changed Python file{'s' if analysis.files != 1 else ''}."]
    if analysis.findings:
        lines += ["", "| File | Line | Problem |", "| --- | --- | --- |"]
        lines += [
            f"| `{f.path}` | {f.line} | {escape_inline(f.message)} |" for f in analysis.findings
        ]
    if analysis.skipped:
        lines += ["", "Not analysed:"] + [f"- {escape_inline(s)}" for s in analysis.skipped]
    if not config.ok:
        lines += ["", config.markdown()]
    return CheckReport(
        conclusion="failure" if errors else "success",
        title=title,
        summary="\n".join(lines),
        annotations=[annotation_for(f) for f in analysis.findings],
    )
