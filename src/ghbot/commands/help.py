"""`/hephaestus help`: the commands the caller may use where they asked."""

from __future__ import annotations

from ghbot.commands.registry import CommandCall, command


@command("help", summary="lists the commands you may use here")
async def help_(call: CommandCall) -> str:
    if not call.usable:
        return "You may not run any command here."
    rows = [f"- {spec.usage_line}: {spec.summary}" for spec in call.usable]
    return "Commands you may use here:\n\n" + "\n".join(rows)
