"""`/hephaestus deployments` and `rollback`: the deployment history, read and acted on."""

from __future__ import annotations

import re

from ghbot.commands.registry import CommandCall, UsageError, command
from ghbot.engine.render import escape_inline
from ghbot.services import deployments

_SHA_ARG = re.compile(r"[0-9a-fA-F]{7,40}")
_ENV_ARG = re.compile(r"[^\s`]{1,64}")


@command(
    "deployments",
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
async def rollback(call: CommandCall) -> str:
    if not 1 <= len(call.args) <= 2 or not _ENV_ARG.fullmatch(call.args[0]):
        raise UsageError("name the environment, and optionally the commit to return to")
    environment, sha = call.args[0], (call.args[1] if len(call.args) == 2 else None)
    if sha is not None and not _SHA_ARG.fullmatch(sha):
        raise UsageError(f"`{escape_inline(sha)}` is not a commit sha (7 to 40 hex digits)")
    return await deployments.roll_back(call.ctx, call.config, environment, sha, call.caller)
