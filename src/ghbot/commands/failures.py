"""`/hephaestus triage` and `retest`: the failed CI runs of a pull request."""

from __future__ import annotations

from ghbot.commands.arguments import no_args, run_id
from ghbot.commands.permissions import RETEST, resolve_caller
from ghbot.commands.registry import CommandCall, UsageError, command
from ghbot.services.failures import retest as rerun
from ghbot.services.failures import triage_latest


@command("triage", usage="triage [RUN]", writes=True,
         summary="re-triages the latest failed run (or the run with that id)")  # fmt: skip
async def triage(call: CommandCall) -> str:
    if len(call.args) > 1:
        raise UsageError("name one run at most")
    return await triage_latest(call.ctx, call.number, run_id(call.args[0]) if call.args else None)


@command(RETEST.verb, who=RETEST.default, pull_only=True,
         summary="re-runs the failed jobs of the latest failed run")  # fmt: skip
async def retest(call: CommandCall) -> str:
    no_args(call)
    # GitHub lets only writers re-run workflows: an author without write access (their "author"
    # right) re-runs their pull request's own runs, never a push or deploy run of a shared branch
    caller = await resolve_caller(call.ctx.gh, call.owner, call.repo, call.caller)
    return await rerun(call.ctx, call.number, pull_runs_only=not caller.rank_at_least("write"))
