"""The failure catalog on the records branch: every failure report records its failures, and a
run that passes on a commit where the same workflow failed marks those failures flaky.

`record_failures` is a step of the failure report (`ghbot.services.failures`): it records the
report's failures and returns the "seen N times since DATE, flaky" lines for it.

The Runbook column links each failure to the runbook whose `signatures` list its fingerprint:
filled when the failure is recorded (runbooks on the default branch, read through the runbooks
loader and its caches), and when a push to the default branch adds or changes runbooks (a merged
runbook PR), for the failures already in the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ghbot.context import Context
from ghbot.engine.knowledge import catalog as cat
from ghbot.engine.knowledge.runbooks import is_runbook_path
from ghbot.engine.render import escape_inline
from ghbot.engine.triage.model import TriageReport
from ghbot.github import records
from ghbot.github.errors import GitHubError
from ghbot.github.repo_config import RepoConfig
from ghbot.services import dashboard, runbooks


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What the event says about the run a report or a pass is about."""

    run: cat.RunRef
    branch: str
    default_branch: str
    url: str
    at: datetime

    @property
    def on_default(self) -> bool:
        return bool(self.branch) and self.branch == self.default_branch


def run_info(payload: Mapping[str, Any]) -> RunInfo | None:
    """From a `workflow_run` or `check_suite` payload; None when it names no commit."""
    repository = payload.get("repository") or {}
    default_branch = str(repository.get("default_branch") or "")
    run = payload.get("workflow_run") or payload.get("check_suite")
    if not isinstance(run, Mapping) or not isinstance(run.get("head_sha"), str):
        return None
    is_workflow = "workflow_run" in payload

    def number(key: str) -> int:
        value = run.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    return RunInfo(
        run=cat.RunRef(
            sha=run["head_sha"],
            workflow=number("workflow_id") if is_workflow else 0,
            run_id=number("id") if is_workflow else 0,
            attempt=number("run_attempt") if is_workflow else 0,
        ),
        branch=str(run.get("head_branch") or ""),
        default_branch=default_branch,
        url=str(run.get("html_url") or "") if is_workflow else "",
        at=_time(run.get("updated_at")),
    )


def _time(value: object) -> datetime:
    """The run's own time, so a redelivery records the same instant; now when absent."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


@dataclass(slots=True)
class _Result:
    """What the pure edit found on the head the commit finally landed on."""

    catalog: cat.Catalog = field(default_factory=cat.Catalog)
    archived: tuple[cat.Entry, ...] = ()
    error: str | None = None
    flaky: tuple[str, ...] = ()


async def update_catalog(
    ctx: Context,
    config: RepoConfig,
    default_branch: str,
    change: Any,
    *,
    message: str,
    today: date,
) -> _Result:
    """Apply `change(Catalog) -> Update` to the catalog through the records writer, archiving
    what the bound pushes out into this month's archive file in the same commit."""
    owner, repo = ctx.owner_repo
    result = _Result()

    def apply_catalog(text: str | None) -> str | None:
        result.archived, result.flaky, result.error = (), (), None
        try:
            update = change(cat.parse(text or ""))
        except cat.CatalogError as exc:
            result.error = str(exc)  # never overwrite a file we cannot read
            return None
        result.catalog, result.archived = update.catalog, update.archived
        result.flaky = update.flaky
        return cat.render(update.catalog) if update.changed else None

    def apply_archive(text: str | None) -> str | None:
        if not result.archived:
            return None
        return cat.merge_archive(text, result.archived, today)

    await records.append(
        ctx.gh,
        owner,
        repo,
        config,
        [
            records.RecordWrite(cat.CATALOG_PATH, apply_catalog),
            records.RecordWrite(cat.archive_path(today), apply_archive),
        ],
        message=message,
        default_branch=default_branch,
    )
    return result


@dataclass(frozen=True, slots=True)
class Recorded:
    """The failures of one report as the catalog now has them."""

    catalog: cat.Catalog
    default_branch: str
    error: str | None = None


async def record_failures(
    ctx: Context, report: TriageReport, config: RepoConfig
) -> Recorded | None:
    """Record the report's failures in the catalog (one commit on the records branch); None
    when the event names no run or the report no failure."""
    info = run_info(ctx.event.payload)
    if info is None or not report.failures:
        return None
    failures = list({f.fingerprint: f for f in report.failures}.values())
    links = await _links(ctx, config)
    sightings = [
        cat.Sighting(
            fingerprint=f.fingerprint,
            title=f.title,
            category=f.category,
            at=info.at,
            branch=info.branch,
            run=info.run,
            run_url=info.url,
            on_default=info.on_default,
            runbook=links.get(f.fingerprint, ""),
        )
        for f in failures
    ]
    default_branch = info.default_branch or await ctx.default_branch()
    result = await update_catalog(
        ctx,
        config,
        default_branch,
        lambda catalog: cat.record(catalog, sightings),
        message=f"catalog: {len(sightings)} failure(s) from {info.url or info.run.sha[:12]}",
        today=info.at.date(),
    )
    if result.error:
        ctx.log.warning("failure catalog not updated", error=result.error)
    return Recorded(result.catalog, default_branch, result.error)


def history_section(recorded: Recorded, report: TriageReport) -> str | None:
    """The report's "Failure history" lines (None when every failure is new)."""
    if recorded.error:
        return f"_The failure catalog was not updated: {escape_inline(recorded.error)}_"
    lines = []
    for f in {f.fingerprint: f for f in report.failures}.values():
        entry = recorded.catalog.get(f.fingerprint)
        if entry is not None and (entry.count > 1 or entry.flaky):
            lines.append(f"- {escape_inline(f.title)}: {entry.history_line()}")
    if not lines:
        return None
    return "**Failure history**\n\n" + "\n".join(lines)


async def _links(ctx: Context, config: RepoConfig) -> dict[str, str]:
    """Runbook links by fingerprint; none when the runbooks cannot be read (the failure is
    still recorded, and linked next time)."""
    try:
        return await runbooks.runbook_links(ctx, config)
    except GitHubError as exc:
        ctx.log.warning("runbooks not read for the catalog", error=str(exc))
        return {}


async def link_runbooks(ctx: Context, touched: set[str]) -> None:
    """A push to the default branch that added or changed the files `touched`: when runbooks
    are among them, link the catalog's failures to the runbooks that list their fingerprints."""
    if not any(path.endswith(".md") for path in touched):
        return  # most pushes: no runbook can have changed, no API call
    owner, repo = ctx.owner_repo
    default_branch = await ctx.default_branch()
    config = (await ctx.config()).config
    directory = config.knowledge.runbooks_dir.strip("/") + "/"
    if not any(path.startswith(directory) and is_runbook_path(path) for path in touched):
        return
    links = await runbooks.runbook_links(ctx, config)
    current, _ = await dashboard.load_catalog(ctx.gh, owner, repo, config, default_branch)
    if not links or not cat.link_runbooks(current, links).changed:
        return
    today = datetime.now(UTC).date()
    result = await update_catalog(
        ctx, config, default_branch, lambda catalog: cat.link_runbooks(catalog, links),
        message="catalog: link failures to their runbooks", today=today,
    )  # fmt: skip
    if result.error:
        ctx.log.warning("failure catalog not updated", error=result.error)
        return
    ctx.outcome.summary.append("Linked catalog failures to their runbooks")
    await refresh_dashboard(ctx, config, default_branch)


async def refresh_dashboard(
    ctx: Context, config: RepoConfig, default_branch: str, *, wait: bool = True
) -> None:
    """The dashboard follows the catalog; a dashboard problem never fails the report."""
    try:
        await dashboard.refresh(ctx, config, default_branch=default_branch, wait=wait)
    except Exception as exc:  # logged and counted by the next refresh; the report matters more
        ctx.log.warning("dashboard refresh failed", error=f"{type(exc).__name__}: {exc}")


async def mark_passed(ctx: Context, info: RunInfo) -> None:
    """A passing run: failures of its workflow on the same commit were flaky; on the default
    branch, that workflow's failures are no longer open."""
    owner, repo = ctx.owner_repo
    config = (await ctx.config()).config
    default_branch = info.default_branch or await ctx.default_branch()
    passed = cat.Pass(info.run.sha, info.run.workflow, info.on_default, info.at)
    # Most runs pass and touch nothing: read first, write only when something changes.
    current, _ = await dashboard.load_catalog(ctx.gh, owner, repo, config, default_branch)
    if not cat.mark_passed(current, passed).changed:
        return
    result = await update_catalog(
        ctx,
        config,
        default_branch,
        lambda catalog: cat.mark_passed(catalog, passed),
        message=f"catalog: run {info.run.run_id} passed on {info.run.sha[:12]}",
        today=info.at.date(),
    )
    if result.flaky:
        ctx.outcome.summary.append(f"Marked {len(result.flaky)} failure(s) flaky")
    await refresh_dashboard(ctx, config, default_branch)
