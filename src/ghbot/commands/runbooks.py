"""`/hephaestus runbook create` and `runbook search`: runbooks drafted from a thread, and found."""

from __future__ import annotations

from ghbot.commands.permissions import RUNBOOK_CREATE
from ghbot.commands.registry import CommandCall, UsageError, command
from ghbot.services import runbooks

MAX_TITLE = 200


@command(RUNBOOK_CREATE.verb, who=RUNBOOK_CREATE.default, usage="runbook create [TITLE]",
         summary="opens a PR adding a runbook drafted from this thread")  # fmt: skip
async def runbook_create(call: CommandCall) -> str:
    title = " ".join(call.args).strip().strip("\"'")
    if len(title) > MAX_TITLE:
        raise UsageError(f"the title is at most {MAX_TITLE} characters")
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
