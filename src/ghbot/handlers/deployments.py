"""Deployments and pushes to the default branch become rows of the deployment history
(`ghbot.services.deployments`); a failed deployment is triaged or gets the rollback note."""

from __future__ import annotations

import re

from ghbot.commands import CommandCall, UsageError, command
from ghbot.context import Context
from ghbot.engine.render import escape_inline
from ghbot.registry import on
from ghbot.services import deployments

_SHA_ARG = re.compile(r"[0-9a-fA-F]{7,40}")
_ENV_ARG = re.compile(r"[^\s`]{1,64}")


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


@command(
    "deployments",
    who="read",
    usage="deployments [ENV]",
    summary="recent deployment history (of one environment, or the latest of each)",
)
async def deployments_command(call: CommandCall) -> str:
    if len(call.args) > 1:
        raise UsageError("one environment at most")
    environment = call.args[0] if call.args else None
    return await deployments.describe_recent(call.ctx, call.config, environment)


@command(
    "rollback",
    who="maintain",
    usage="rollback ENV [SHA]",
    summary="opens a PR restoring the tree of the last good deployment of ENV (or of SHA)",
)
async def rollback_command(call: CommandCall) -> str:
    if not 1 <= len(call.args) <= 2 or not _ENV_ARG.fullmatch(call.args[0]):
        raise UsageError("name the environment, and optionally the commit to return to")
    environment, sha = call.args[0], (call.args[1] if len(call.args) == 2 else None)
    if sha is not None and not _SHA_ARG.fullmatch(sha):
        raise UsageError(f"`{escape_inline(sha)}` is not a commit sha (7 to 40 hex digits)")
    return await deployments.roll_back(call.ctx, call.config, environment, sha, call.caller)
