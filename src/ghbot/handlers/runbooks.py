"""A closed issue or merged PR holding a failure report: count its runbooks, offer a new one
(`ghbot.services.runbooks`)."""

from __future__ import annotations

from ghbot.context import Context
from ghbot.registry import on
from ghbot.services import runbooks


@on("issues", "closed")
@on("pull_request", "closed")
async def offer_runbook(ctx: Context) -> None:
    payload, number = ctx.event.payload, ctx.event.number
    if number is None:
        return
    if ctx.event.name == "pull_request":
        resolved = bool((payload.get("pull_request") or {}).get("merged"))
    else:
        resolved = (payload.get("issue") or {}).get("state_reason") in (None, "completed")
    await runbooks.offer_runbook(ctx, number, resolved=resolved)
