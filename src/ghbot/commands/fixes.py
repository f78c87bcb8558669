"""`/hephaestus fix`: the pull request's fixes, delivered by the safety ladder."""

from __future__ import annotations

from ghbot.commands.arguments import rule
from ghbot.commands.permissions import FIX
from ghbot.commands.registry import CommandCall, command
from ghbot.services.fixes import deliver_fixes


@command(FIX.verb, who=FIX.default, usage="fix [RULE...]", pull_only=True,
         summary="fix commit on the PR branch; else a fix PR; else suggestions")  # fmt: skip
async def fix(call: CommandCall) -> str:
    rules = [rule(arg) for arg in call.args]
    return await deliver_fixes(call.ctx, call.number, rules, requested_by=call.caller)
