"""Deployments and pushes to the default branch become rows of the deployment history
(`ghbot.services.deployments`); a failed deployment is triaged or gets the rollback note."""

from __future__ import annotations

from ghbot.context import Context
from ghbot.registry import on
from ghbot.services import deployments


@on("deployment", "created")
@on("deployment_status", "created")
async def record_deployment(ctx: Context) -> None:
    payload = ctx.event.payload
    entry = deployments.entry_from_deployment_event(payload)
    if entry is None:
        ctx.log.warning("deployment event without id, sha, time or environment: not recorded")
        return
    urls = deployments.status_urls(payload) if ctx.event.name == "deployment_status" else None
    await deployments.record(ctx, entry, run_urls=urls)


@on("push")
async def record_push(ctx: Context) -> None:
    payload = ctx.event.payload
    default_branch = str((payload.get("repository") or {}).get("default_branch") or "")
    if not default_branch or payload.get("ref") != f"refs/heads/{default_branch}":
        return
    environment = (await ctx.config()).config.knowledge.push_environment
    if environment is None:
        return
    entry = deployments.entry_from_push(payload, environment)
    if entry is not None:
        await deployments.record(ctx, entry)
