"""`/hephaestus triage`, `retest` and `why`: the failed CI runs of a pull request (or the run
an issue links to).

`why` is `triage` without the writing: the same engine (the repository's rules included) and
the same rendering as the failure report, given as the command's reply, so anyone who may read
the repository may ask.
"""

from __future__ import annotations

import re

from ghbot.commands.arguments import no_args, run_ref
from ghbot.commands.permissions import RETEST, resolve_caller
from ghbot.commands.registry import CommandCall, UsageError, command
from ghbot.engine.report.failure import render_failure
from ghbot.github.errors import NotFound
from ghbot.services.failures import FAILED, diagnose, latest_failed, triage_latest
from ghbot.services.failures import retest as rerun

# A reply holds up to five commands' answers within GitHub's 65,536 characters.
WHY_LIMIT = 12_000
MAX_ISSUE_TEXT = 65_536
_RUN_PATH = r"/actions/runs/(\d{1,19})"
_REPORT_FOOTER = "\n\n<sub>Updated in place"


@command("triage", usage="triage [RUN]", writes=True,
         summary="re-triages the latest failed run (or the run with that id)")  # fmt: skip
async def triage(call: CommandCall) -> str:
    if len(call.args) > 1:
        raise UsageError("name one run at most")
    return await triage_latest(call.ctx, call.number, run_ref(call.args[0]) if call.args else None)


@command(RETEST.verb, who=RETEST.default, pull_only=True,
         summary="re-runs the failed jobs of the latest failed run")  # fmt: skip
async def retest(call: CommandCall) -> str:
    no_args(call)
    # GitHub lets only writers re-run workflows: an author without write access (their "author"
    # right) re-runs their pull request's own runs, never a push or deploy run of a shared branch
    caller = await resolve_caller(call.ctx.gh, call.owner, call.repo, call.caller)
    return await rerun(call.ctx, call.number, pull_runs_only=not caller.rank_at_least("write"))


@command("why", usage="why [RUN]",
         summary="explains why the latest failed run of this pull request (or RUN, or the run "
         "the issue links) failed")  # fmt: skip
async def why(call: CommandCall) -> str:
    if len(call.args) > 1:
        raise UsageError("name one run at most")
    ctx, owner, repo = call.ctx, call.owner, call.repo
    wanted = run_ref(call.args[0]) if call.args else await _linked_run(call)
    if wanted is not None:
        try:
            run = await ctx.gh.get_workflow_run(owner, repo, wanted)
        except NotFound:
            return f"There is no workflow run {wanted} in {owner}/{repo}."
    elif not call.is_pull:
        raise UsageError("on an issue, name the run (its id or URL) or link it in the issue")
    elif (latest := await latest_failed(ctx, call.number)) is None:
        return "No workflow run failed on this pull request's head commit."
    else:
        run = latest
    if run.conclusion not in FAILED:
        return f"{run.name} run #{run.run_number} did not fail ({run.conclusion or run.status})."
    config = await ctx.config()
    if not config.config.triage.enabled:
        return "Triage is disabled by `triage.enabled` in the repository config."
    report = render_failure(await diagnose(ctx, run, config), limit=WHY_LIMIT)
    # The answer is not the sticky report: it is not updated when the workflow re-runs.
    return report.partition(_REPORT_FOOTER)[0].rstrip() + "\n"


async def _linked_run(call: CommandCall) -> int | None:
    """The first run of this repository that the issue's title or body links to."""
    if call.is_pull:
        return None
    issue = await call.ctx.gh.get_issue(call.owner, call.repo, call.number)
    runs = re.compile(rf"/{re.escape(call.owner)}/{re.escape(call.repo)}{_RUN_PATH}", re.I)
    found = runs.search(f"{issue.title}\n{issue.body}"[:MAX_ISSUE_TEXT])
    return int(found.group(1)) if found else None
