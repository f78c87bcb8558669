"""Argument checks shared by several verbs: each turns bad input into a `UsageError`."""

from __future__ import annotations

import re

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


_RUN = re.compile(r"(?:https://[^\s/]{1,253}/[^\s/]{1,100}/[^\s/]{1,100}/actions/runs/)?(\d{1,19})/?")


def run_ref(text: str) -> int:
    """A workflow run: its id, or its URL (pasted from the browser)."""
    found = _RUN.fullmatch(text[:600])
    if found is None:
        raise UsageError("RUN is a workflow run id or URL (the number in the run's URL)")
    return int(found.group(1))
