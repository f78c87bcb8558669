"""The dashboard issue: one per repository, created on first need and edited in place.

ONE issue, even with several workers and replicas: GitHub has no "create if absent", so two
workers may both create one. Every refresh lists the bot's dashboard issues and keeps the
lowest-numbered one; any other is retired (its marker changed, pointed at the survivor, closed),
so the repository converges on one dashboard whatever the interleaving. Within a process,
refreshes of one repository are coalesced: the refresh waits until nobody asked for one for
QUIET seconds (at most MAX_WAIT), and one asked for while it runs makes it go round once more
instead of starting another, so a burst of events renders once or twice. Its writes are
bookkeeping: they wait behind people's when the write budget is spent.

Ticked boxes are commands: when a user edits the dashboard (`tick`), the boxes ticked in
this edit that the bot offered are checked against the editor's permission exactly as
`/hephaestus` commands are, run, and the dashboard re-rendered unticked with an outcome line.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ghbot.commands.permissions import RETEST, RUNBOOK_CREATE, decide, resolve_caller
from ghbot.commands.registry import RANKS, Requirement
from ghbot.context import Context
from ghbot.engine import markers
from ghbot.engine.knowledge import catalog as cat
from ghbot.engine.knowledge import dashboard as dash
from ghbot.engine.knowledge import deployments as dep
from ghbot.engine.knowledge.runbooks import RunbookError, is_runbook_path, parse_runbook
from ghbot.engine.render import escape_inline
from ghbot.github import records
from ghbot.github.api import GitHub
from ghbot.github.errors import GitHubError, NotFound, TooLarge
from ghbot.github.models import Issue
from ghbot.github.repo_config import RepoConfig
from ghbot.github.throttle import bookkeeping
from ghbot.services.deployments_github import repo_url
from ghbot.services.runbooks import create_for_fingerprint

FIX_BRANCH = "hephaestus/fixes"
RETIRED_KIND = "dashboard-retired"
MAX_RUNBOOK_FILES = 60
MAX_ACTIONS = 5  # per edit


# -- refresh ---------------------------------------------------------------------------------


QUIET = 2.0  # seconds without a new request before the dashboard is rendered
MAX_WAIT = 20.0  # a steady stream of events still sees the dashboard this often


@dataclass(slots=True)
class _Refresh:
    asked: float  # loop time of the latest request
    dirty: bool = False
    log: list[str] = field(default_factory=list)


_running: dict[tuple[int, str, str, str], _Refresh] = {}


async def refresh(
    ctx: Context,
    config: RepoConfig,
    *,
    default_branch: str | None = None,
    log: Sequence[str] = (),
    wait: bool = True,
) -> None:
    """Bring the dashboard up to date (no-op when `knowledge.dashboard` is off). `log` lines
    (outcomes of checkbox commands) are added to its Recent actions; `wait=False` renders
    without waiting for the burst to end (someone ticked a box and looks)."""
    if not config.knowledge.dashboard:
        return
    owner, repo = ctx.owner_repo
    gh = ctx.gh
    loop = asyncio.get_running_loop()
    key = (id(loop), gh.api_url, owner.lower(), repo.lower())
    state = _running.get(key)
    if state is not None:  # the running refresh goes round again with our change
        state.dirty, state.asked = True, loop.time()
        state.log.extend(log)
        return
    state = _running[key] = _Refresh(loop.time(), dirty=True, log=list(log))
    try:
        if default_branch is None:
            default_branch = await ctx.default_branch()
        while state.dirty:
            deadline = loop.time() + MAX_WAIT
            while wait and (pause := min(state.asked + QUIET, deadline) - loop.time()) > 0:
                await asyncio.sleep(pause)
            state.dirty = False
            lines, state.log = state.log, []
            with bookkeeping():
                await _render_and_publish(ctx, config, default_branch, lines)
    finally:
        _running.pop(key, None)


async def _render_and_publish(
    ctx: Context, config: RepoConfig, default_branch: str, log: Sequence[str]
) -> None:
    owner, repo = ctx.owner_repo
    gh = ctx.gh
    issues = await find_dashboards(gh, owner, repo, ctx.bot_login)
    catalog, notes = await load_catalog(gh, owner, repo, config, default_branch)
    deployments, pulls, runbooks = await asyncio.gather(
        _deployments(gh, owner, repo, config, default_branch, await repo_url(ctx)),
        _fix_pulls(gh, owner, repo),
        _runbooks(gh, owner, repo, config, default_branch),
    )
    previous = dash.log_of(issues[0].body) if issues else []
    body = dash.render(
        dash.DashboardData(
            repo=f"{owner}/{repo}",
            default_branch=default_branch,
            catalog=catalog,
            today=datetime.now(UTC).date(),
            deployments=deployments,
            pulls=pulls,
            runbooks=runbooks,
            log=[*reversed(log), *previous][: dash.MAX_LOG],
            notes=notes,
        )
    )
    if not issues:
        created = await gh.create_issue(owner, repo, dash.TITLE, body)
        ctx.log.info("dashboard issue created", number=created.number)
        # A concurrent worker may have created one too: keep the lowest number, retire the rest.
        issues = await find_dashboards(gh, owner, repo, ctx.bot_login)
        if not any(i.number == created.number for i in issues):
            issues.append(created)
            issues.sort(key=lambda i: i.number)
    keep, *extra = issues
    for duplicate in extra:
        await _retire(gh, owner, repo, duplicate, keep)
    if keep.body != body:
        await gh.update_issue(owner, repo, keep.number, body=body)


async def find_dashboards(gh: GitHub, owner: str, repo: str, bot_login: str) -> list[Issue]:
    """The bot's dashboard issues (open or closed), lowest number first."""
    found = await gh.list_issues(owner, repo, creator=bot_login, state="all")
    return sorted(
        (
            i
            for i in found
            if not i.is_pull
            and i.author.lower() == bot_login.lower()
            and markers.parse(i.body, dash.KIND) is not None
        ),
        key=lambda i: i.number,
    )


async def _retire(gh: GitHub, owner: str, repo: str, issue: Issue, keep: Issue) -> None:
    body = f"{markers.render(RETIRED_KIND)}\nSuperseded by #{keep.number}, the dashboard issue."
    await gh.update_issue(
        owner, repo, issue.number, body=body, state="closed", state_reason="not_planned"
    )


async def load_catalog(
    gh: GitHub, owner: str, repo: str, config: RepoConfig, default_branch: str
) -> tuple[cat.Catalog, list[str]]:
    try:
        text = await records.read(
            gh, owner, repo, config, cat.CATALOG_PATH, default_branch=default_branch
        )
        return cat.parse(text or ""), []
    except (cat.CatalogError, records.RecordsError) as exc:
        return cat.Catalog(), [f"The failure catalog could not be read: {exc}"]


async def _deployments(
    gh: GitHub, owner: str, repo: str, config: RepoConfig, default_branch: str, url: str
) -> list[dash.DeploymentLine]:
    kw = {"default_branch": default_branch}
    envs = await records.list_dir(gh, owner, repo, config, dep.ROOT, **kw)
    lines: list[dash.DeploymentLine] = []
    for env_dir in envs[: dash.MAX_ENVIRONMENTS]:
        months = await records.list_dir(gh, owner, repo, config, f"{dep.ROOT}/{env_dir}", **kw)
        months = [m for m in months if dep.is_month_file(m)]
        if not months:
            continue
        path = f"{dep.ROOT}/{env_dir}/{months[-1]}"
        try:
            text = await records.read(gh, owner, repo, config, path, **kw)
            history = dep.parse(text or "")
        except (dep.HistoryFormatError, records.RecordsError):
            continue
        lines += [
            dash.DeploymentLine(
                environment=d.environment or history.environment or env_dir,
                when=f"{d.created_at:%Y-%m-%d %H:%M}",
                state=d.state,
                ref=d.ref,
                sha=d.sha,
                url=d.link,
                commit_url=d.commit_url or dep.commit_url(url, d.sha),
            )
            for d in history.entries[: dash.MAX_DEPLOYMENTS]
        ]
    return lines


async def _fix_pulls(gh: GitHub, owner: str, repo: str) -> list[dash.PullLine]:
    pulls = await gh.list_pulls(owner, repo, head=f"{owner}:{FIX_BRANCH}")
    return [dash.PullLine(p.number, p.title, p.html_url) for p in pulls]


# Runbook files by path and blob sha: a refresh re-reads only the runbooks that changed. Keyed
# by content, so it holds in any process; bounded, oldest out.
_runbook_cache: OrderedDict[tuple[str, str], dash.RunbookLine | None] = OrderedDict()
RUNBOOK_CACHE = 1000


async def _runbooks(
    gh: GitHub, owner: str, repo: str, config: RepoConfig, default_branch: str
) -> list[dash.RunbookLine]:
    directory = config.knowledge.runbooks_dir.strip("/")
    try:
        listing = await gh.list_directory(owner, repo, directory, default_branch)
    except NotFound:
        return []
    found = []
    for item in (listing or [])[:MAX_RUNBOOK_FILES]:
        if item.type != "file":
            continue
        path, sha = item.path, item.sha
        if not is_runbook_path(path):
            continue
        key = (path, sha)
        if key not in _runbook_cache:
            _runbook_cache[key] = await _read_runbook(gh, owner, repo, path, default_branch)
            while len(_runbook_cache) > RUNBOOK_CACHE:
                _runbook_cache.popitem(last=False)
        if (line := _runbook_cache[key]) is not None:
            found.append(line)
    return found


async def _read_runbook(
    gh: GitHub, owner: str, repo: str, path: str, ref: str
) -> dash.RunbookLine | None:
    try:
        text = (await gh.get_file(owner, repo, path, ref, max_bytes=256 * 1024)).text()
        rb = parse_runbook(text, path)
    except (NotFound, TooLarge, RunbookError):
        return None
    created = rb.created.isoformat() if rb.created else ""
    return dash.RunbookLine(rb.title, path, created, rb.signatures)


# -- checkbox commands -----------------------------------------------------------------------


async def tick(ctx: Context, number: int, previous: str, login: str) -> None:
    """`login` edited the bot's issue `number`, whose body was `previous`: when it is the
    dashboard, run the boxes ticked in this edit that the bot offered."""
    gh = ctx.gh
    if markers.parse(previous, dash.KIND) is None:
        return
    owner, repo = ctx.owner_repo
    current = await gh.get_issue(owner, repo, number)  # fresh: a redelivery finds it done
    if markers.parse(current.body, dash.KIND) is None:
        return
    wanted = dash.requested(current.body, previous)
    if not wanted:
        return
    config = (await ctx.config()).config
    default_branch = await ctx.default_branch()
    catalog, _ = await load_catalog(gh, owner, repo, config, default_branch)
    valid = dash.offered(catalog)
    caller = await resolve_caller(gh, owner, repo, login)
    outcomes = []
    for action in wanted[:MAX_ACTIONS]:
        requirement = _requirement(action, config)
        decision = decide(requirement, caller)
        if action not in valid:
            result = "not done: the dashboard no longer offers this"
        elif not decision.allowed:
            result = f"not done: {decision.reason}"
        else:
            result = await _run(ctx, config, action, catalog, login)
        outcomes.append(f"@{escape_inline(login)} ticked “{action.describe()}”: {result}")
        ctx.outcome.summary.append(outcomes[-1])
    await refresh(ctx, config, default_branch=default_branch, log=outcomes, wait=False)


def _requirement(action: dash.Action, config: RepoConfig) -> Requirement:
    """The requirement of the matching `/hephaestus` verb, `commands.permissions` applied, but
    never below `write`: a box re-runs jobs or pushes a runbook branch, which GitHub allows
    only to writers, and the bot does nothing for someone who could not do it themselves."""
    guard = RETEST if action.kind == "rerun" else RUNBOOK_CREATE
    rank = guard.requirement(config).rank
    return Requirement(max(rank, "write", key=RANKS.index))


async def _run(
    ctx: Context, config: RepoConfig, action: dash.Action, catalog: cat.Catalog, login: str
) -> str:
    owner, repo = ctx.owner_repo
    if action.kind == "rerun":
        try:
            await ctx.gh.rerun_failed_jobs(owner, repo, int(action.target))
        except GitHubError as exc:
            return f"GitHub refused the re-run ({exc})"
        return "done, the failed jobs are queued again"
    entry = catalog.get(action.target)
    title = entry.title if entry is not None else action.target
    try:
        return await create_for_fingerprint(ctx, config, action.target, title, login)
    except GitHubError as exc:
        return f"not done: GitHub refused ({exc})"


async def refresh_now(ctx: Context) -> None:
    """Refresh with the repository's config (after a deployment is recorded)."""
    config = (await ctx.config()).config
    await refresh(ctx, config, default_branch=await ctx.default_branch())
