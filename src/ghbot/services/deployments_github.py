"""What GitHub knows of deployments, as history rows; the fallback when the history knows less.

- `entry_from` is the one place a deployment and its status become a row, whether they came in
  a webhook or from the Deployments API.
- An App installed after months of deployments has no markdown history. When the history has
  no answer (`/hephaestus deployments` finds no rows, `/hephaestus rollback` no earlier good
  deployment), `ask_github` reads the newest BACKFILL_LIMIT deployments (of the environment, or
  of every one) with the newest STATUSES_READ statuses of each, and writes them into the history
  (once: rows are keyed by deployment, so asking again adds nothing), so the next answer comes
  from the markdown. Deployments and statuses are GitHub's own state; rows are never read from
  anywhere else (issue or comment text, files outside the records).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ghbot.context import Context
from ghbot.engine.knowledge import deployments as history
from ghbot.engine.knowledge.deployments import Deployment, HistoryFormatError
from ghbot.github import records
from ghbot.github.api import GitHub
from ghbot.github.errors import GitHubError, PermissionDenied, RateLimited, ServerError
from ghbot.github.models import DeploymentStatus, RepoDeployment
from ghbot.github.repo_config import RepoConfig

BACKFILL_LIMIT = 100  # deployments read per fallback: the newest, one page of the API
STATUSES_READ = 10  # statuses read per deployment: the newest, one page
READ_CONCURRENCY = 4  # status lists read at once


def _utc(when: datetime) -> datetime:
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def entry_from(
    deployment: RepoDeployment, status: DeploymentStatus | None, repo_url: str
) -> Deployment | None:
    """The row of `deployment` as `status` (None: no status yet) leaves it; None when it names
    no environment."""
    environment = ((status.environment if status else "") or deployment.environment).strip()
    if not environment:
        return None
    state = status.state.lower()[:20] if status else "created"
    created = _utc(deployment.created_at)
    finished = _utc(status.created_at) if status and state in history.FINAL_STATES else None
    link = (status.log_url or status.target_url or status.environment_url or "") if status else ""
    return Deployment(
        deployment_id=deployment.id,
        status_id=status.id if status else 0,
        environment=environment[:64],
        created_at=created,
        state=state,
        ref=deployment.ref,
        sha=deployment.sha,
        actor=deployment.creator.login if deployment.creator else "",
        duration=finished - created if finished is not None and finished >= created else None,
        link=link,
        commit_url=history.commit_url(repo_url, deployment.sha),
        description=(status.description if status else "") or deployment.description or "",
    )


def telling_status(statuses: Sequence[DeploymentStatus]) -> DeploymentStatus | None:
    """The status a row shows: the newest, except that a success GitHub later marked inactive
    (a newer deployment superseded it) stays a success: it is a good one to return to."""
    if not statuses:
        return None
    newest = max(statuses, key=lambda s: (s.created_at, s.id))
    good = [s for s in statuses if s.state == "success"]
    if newest.state == "inactive" and good:
        return max(good, key=lambda s: (s.created_at, s.id))
    return newest


async def repo_url(ctx: Context) -> str:
    """The repository's web address (commit links): from the payload, else asked."""
    repository = ctx.event.payload.get("repository")
    named = repository.get("html_url") if isinstance(repository, Mapping) else None
    if isinstance(named, str) and history.safe_url(named):
        return named
    return (await ctx.gh.get_repo(*ctx.owner_repo)).html_url


@dataclass(frozen=True, slots=True)
class Fetched:
    entries: list[Deployment]  # newest first
    problem: str = ""  # why GitHub could not be read, said in the reply
    recorded: bool = False  # the history holds them now (else the next use writes them)


async def _read(
    gh: GitHub, owner: str, repo: str, environment: str | None, url: str
) -> list[Deployment]:
    listed = await gh.list_deployments(owner, repo, environment=environment,
                                       max_items=BACKFILL_LIMIT)  # fmt: skip
    gate = asyncio.Semaphore(READ_CONCURRENCY)

    async def row(deployment: RepoDeployment) -> Deployment | None:
        async with gate:
            statuses = await gh.list_deployment_statuses(
                owner, repo, deployment.id, max_items=STATUSES_READ
            )
        return entry_from(deployment, telling_status(statuses), url)

    rows = await asyncio.gather(*(row(d) for d in listed[:BACKFILL_LIMIT]))
    entries = [r for r in rows if r is not None]
    return sorted(entries, key=lambda e: (e.created_at, e.deployment_id), reverse=True)


def _unreadable(exc: GitHubError) -> str:
    if isinstance(exc, RateLimited):
        minutes = max(1, math.ceil((exc.retry_after or 0) / 60))
        wait = f" for about {minutes} min" if exc.retry_after else ""
        return f"GitHub's API rate limit is spent{wait}, so its Deployments API could not be read"
    if isinstance(exc, PermissionDenied):
        return "the App may not read this repository's deployments (Deployments: read)"
    if isinstance(exc, ServerError):
        code = f"HTTP {exc.status}" if exc.status else "no answer"
        return f"GitHub's Deployments API failed ({code}); try again in a few minutes"
    return f"GitHub's Deployments API refused the request (HTTP {exc.status})"


async def _backfill(
    ctx: Context, config: RepoConfig, entries: Sequence[Deployment], default_branch: str, url: str
) -> bool:
    """Write `entries` into their month files: one commit; rows already there stay as they are.
    False when the history could not be written."""
    by_path: dict[str, list[Deployment]] = {}
    for entry in entries:
        by_path.setdefault(history.history_path(entry.environment, entry.created_at), []).append(
            entry
        )

    def fold(rows: list[Deployment]) -> records.Apply:
        def apply(text: str | None) -> str | None:
            current = text
            # Oldest first, so each row's notes (last good, rollback) see the ones before it.
            for row in sorted(rows, key=lambda e: (e.created_at, e.deployment_id)):
                try:
                    current = history.record(current, row, repo_url=url) or current
                except HistoryFormatError:
                    return None  # a newer format: leave the file to a newer Hephaestus
            return current

        return apply

    owner, repo = ctx.owner_repo
    writes = [records.RecordWrite(path, fold(rows)) for path, rows in sorted(by_path.items())]
    try:
        await records.append(
            ctx.gh, owner, repo, config, writes,
            message=f"deployments: {len(entries)} from GitHub's Deployments API (backfill)",
            default_branch=default_branch,
        )  # fmt: skip
    except (records.RecordsError, GitHubError) as exc:  # the answer stands; the next use retries
        ctx.log.warning("deployment backfill not written", error=str(exc))
        return False
    return True


async def ask_github(
    ctx: Context, config: RepoConfig, environment: str | None, *, default_branch: str, url: str
) -> Fetched:
    """The newest deployments of `environment` (None: of every one) as GitHub lists them,
    written into the history; returned newest first, as the history holds them."""
    owner, repo = ctx.owner_repo
    try:
        entries = await _read(ctx.gh, owner, repo, environment, url)
    except GitHubError as exc:
        ctx.log.warning("deployments API unreadable", error=str(exc))
        return Fetched([], _unreadable(exc))
    recorded = bool(entries) and await _backfill(ctx, config, entries, default_branch, url)
    return Fetched(history.as_recorded(entries, repo_url=url), recorded=recorded)
