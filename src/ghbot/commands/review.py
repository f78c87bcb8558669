"""`/hephaestus check` and `ignore`: the pull request's analysis, re-run or narrowed."""

from __future__ import annotations

from ghbot.commands.arguments import no_args, rule
from ghbot.commands.ignores import IgnoreEntry, IgnoreError, add_ignore, check_path
from ghbot.commands.registry import CommandCall, UsageError, command
from ghbot.engine.render import escape_inline
from ghbot.services.reviews import review_pull


@command("check", summary="re-runs the analysis of this pull request", writes=True,
         pull_only=True)  # fmt: skip
async def check(call: CommandCall) -> str:
    no_args(call)
    await review_pull(call.ctx, call.number)
    return "Re-ran the analysis: see the **Hephaestus** check run."


@command("ignore", who="write", usage="ignore RULE [PATH]", pull_only=True,
         summary="stops flagging the rule on this pull request (in PATH: a file, directory or "
         "glob), recorded in the check run")  # fmt: skip
async def ignore(call: CommandCall) -> str:
    if not 1 <= len(call.args) <= 2:
        raise UsageError("name one rule and at most one path")
    rule_id = rule(call.args[0])
    try:
        path = check_path(call.args[1]) if len(call.args) == 2 else call.path
    except IgnoreError as exc:
        raise UsageError(str(exc)) from None
    entry = IgnoreEntry(rule_id, path, call.caller)
    try:
        await add_ignore(call.ctx.gh, call.owner, call.repo, call.number, call.ctx.bot_login, entry)
    except IgnoreError as exc:
        raise UsageError(str(exc)) from None
    where = f"in `{escape_inline(path)}`" if path else "anywhere in this pull request"
    await review_pull(call.ctx, call.number)  # so the check run shows it now
    return f"`{rule_id}` is no longer flagged {where}; the check run lists the ignores."
