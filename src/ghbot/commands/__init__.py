"""`/hephaestus` comment commands: grammar, verb registry, permissions, audit and ignores.

Other modules register verbs with `@command(...)` and receive a `CommandCall`; the comments
handler (`ghbot.handlers.comments`) parses, checks permission, runs and replies.
"""

from ghbot.commands.registry import CommandCall, Level, UsageError, command

__all__ = ["CommandCall", "Level", "UsageError", "command"]
