"""A closed issue or merged PR holding a failure report: count its runbooks, offer a new one
(`ghbot.services.runbooks`)."""

from __future__ import annotations

from ghbot.commands import CommandCall, UsageError, command
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


@command("runbook create", who="write", usage="runbook create [TITLE]",
         summary="opens a PR adding a runbook drafted from this thread")  # fmt: skip
async def runbook_create(call: CommandCall) -> str:
    title = " ".join(call.args).strip().strip("\"'")
    if len(title) > 200:
        raise UsageError("the title is at most 200 characters")
    return await runbooks.create_from_thread(
        call.ctx, call.config, call.number, is_pull=call.is_pull, title=title,
        requested_by=call.caller,
    )  # fmt: skip


@command("runbook search", usage="runbook search QUERY",
         summary="the runbooks that best match a query, ranked")  # fmt: skip
async def runbook_search(call: CommandCall) -> str:
    query = " ".join(call.args).strip()
    if not query:
        raise UsageError("give words, an error message or a failure fingerprint to search for")
    return await runbooks.search(call.ctx, call.config, query)
