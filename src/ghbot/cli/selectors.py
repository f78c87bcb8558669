"""`--select`/`--ignore` as `check` and `fix` read them: comma-separated, repeatable, and every
selector checked against the rules we know before anything runs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ghbot.engine.files import InputError


def rule_list(values: Sequence[str] | None) -> tuple[str, ...]:
    rules = (rule.strip() for value in values or () for rule in value.split(","))
    return tuple(rule for rule in rules if rule)


def check_selectors(selectors: Sequence[str], names: Iterable[str] = ()) -> None:
    """InputError (exit 2) naming every unknown selector and the closest known ids."""
    if not selectors:
        return
    from ghbot.engine.analysis.rules import unknown_selectors

    problems = unknown_selectors(selectors, names)
    if problems:
        raise InputError("; ".join(problems))
