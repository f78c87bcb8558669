"""`/hephaestus` comment commands: grammar, verb registry, permissions, audit and ignores.

A verb is an `@command(...)` function of a module here that receives a `CommandCall` and calls
the services; `verbs.VERBS` lists them all. The comments handler (`ghbot.handlers.comments`)
parses, checks permission, runs and replies.
"""

from ghbot.commands.registry import CommandCall, Level, UsageError, command

__all__ = ["CommandCall", "Level", "UsageError", "command"]
