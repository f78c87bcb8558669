"""The built-in verbs. Each does the least itself: the work lives in the handler that owns it
(reviews, failures, fixes), imported on use so this module loads without them."""

from __future__ import annotations

from ghbot.commands import explain as explaining
from ghbot.commands.ignores import IgnoreEntry, IgnoreError, add_ignore, check_path, check_rule
from ghbot.commands.permissions import resolve_caller
from ghbot.commands.registry import CommandCall, UsageError, command, load, usage_line
from ghbot.engine.render import escape_inline


@command("help", summary="lists the commands you may use here")
async def help_(call: CommandCall) -> str:
    rows = [
        f"- {usage_line(spec)}: {spec.summary}"
        for spec in load()
        if spec.verb in call.allowed and (call.is_pull or not spec.pull_only)
    ]
    if not rows:
        return "You may not run any command here."
    return "Commands you may use here:\n\n" + "\n".join(rows)


@command("check", summary="re-runs the analysis of this pull request", writes=True,
         pull_only=True)  # fmt: skip
async def check(call: CommandCall) -> str:
    _no_args(call)
    from ghbot.services.reviews import review_pull

    await review_pull(call.ctx, call.number)
    return "Re-ran the analysis: see the **Hephaestus** check run."


@command("explain", usage="explain RULE", summary="what a rule means, why, and how to fix it")
async def explain(call: CommandCall) -> str:
    if len(call.args) != 1:
        raise UsageError("name one rule")
    try:
        return await explaining.explain(call.args[0])
    except explaining.UnknownRule as exc:
        raise UsageError(str(exc)) from None


@command("triage", usage="triage [RUN]", writes=True,
         summary="re-triages the latest failed run (or the run with that id)")  # fmt: skip
async def triage(call: CommandCall) -> str:
    if len(call.args) > 1 or (call.args and not call.args[0].isdigit()):
        raise UsageError("RUN is a workflow run id (the number in the run's URL)")
    from ghbot.services.failures import triage_latest

    return await triage_latest(call.ctx, call.number, int(call.args[0]) if call.args else None)


@command("fix", who=("write", "author"), usage="fix [RULE...]", pull_only=True,
         summary="fix commit on the PR branch; else a fix PR; else suggestions")  # fmt: skip
async def fix(call: CommandCall) -> str:
    rules = [_rule(arg) for arg in call.args]
    from ghbot.services.fixes import deliver_fixes

    return await deliver_fixes(call.ctx, call.number, rules, requested_by=call.caller)


@command("retest", who=("write", "author"), pull_only=True,
         summary="re-runs the failed jobs of the latest failed run")  # fmt: skip
async def retest(call: CommandCall) -> str:
    _no_args(call)
    from ghbot.services.failures import retest as rerun

    # GitHub lets only writers re-run workflows: an author without write access (their "author"
    # right) re-runs their pull request's own runs, never a push or deploy run of a shared branch
    caller = await resolve_caller(call.ctx.gh, call.owner, call.repo, call.caller)
    return await rerun(call.ctx, call.number, pull_runs_only=not caller.rank_at_least("write"))


@command("ignore", who="write", usage="ignore RULE [PATH]", pull_only=True,
         summary="stops flagging the rule on this pull request (in PATH: a file, directory or "
         "glob), recorded in the check run")  # fmt: skip
async def ignore(call: CommandCall) -> str:
    if not 1 <= len(call.args) <= 2:
        raise UsageError("name one rule and at most one path")
    rule = _rule(call.args[0])
    try:
        path = check_path(call.args[1]) if len(call.args) == 2 else call.path
    except IgnoreError as exc:
        raise UsageError(str(exc)) from None
    entry = IgnoreEntry(rule, path, call.caller)
    try:
        await add_ignore(call.ctx.gh, call.owner, call.repo, call.number, call.ctx.bot_login, entry)
    except IgnoreError as exc:
        raise UsageError(str(exc)) from None
    where = f"in `{escape_inline(path)}`" if path else "anywhere in this pull request"
    from ghbot.services.reviews import review_pull

    await review_pull(call.ctx, call.number)  # so the check run shows it now
    return f"`{rule}` is no longer flagged {where}; the check run lists the ignores."


def _rule(text: str) -> str:
    try:
        return check_rule(text)
    except IgnoreError as exc:
        raise UsageError(str(exc)) from None


def _no_args(call: CommandCall) -> None:
    if call.args:
        raise UsageError(f"`{call.verb}` takes no arguments")
