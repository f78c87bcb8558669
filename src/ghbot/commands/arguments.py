"""Argument checks shared by several verbs: each turns bad input into a `UsageError`."""

from __future__ import annotations

from ghbot.commands.ignores import IgnoreError, check_rule
from ghbot.commands.registry import CommandCall, UsageError


def rule(text: str) -> str:
    """A rule id as `ignore` and `fix` accept it."""
    try:
        return check_rule(text)
    except IgnoreError as exc:
        raise UsageError(str(exc)) from None


def no_args(call: CommandCall) -> None:
    if call.args:
        raise UsageError(f"`{call.verb}` takes no arguments")


def run_id(text: str) -> int:
    """A workflow run id, as written in the run's URL."""
    if not text.isdigit() or len(text) > 19:
        raise UsageError("RUN is a workflow run id (the number in the run's URL)")
    return int(text)
