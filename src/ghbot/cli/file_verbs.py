"""What `check` and `fix` share: `--select`/`--ignore` (comma-separated, repeatable, every
selector checked against the rules we know before anything runs) and the repository config."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ghbot.checkout_config import MissingConfig, config_file, load_checkout_config
from ghbot.engine.files import DEFAULT_EXCLUDE, InputError

STDIN = Path("-")
STDIN_NAME = "stdin.py"


def read_stdin(paths: Sequence[Path], diff: str | None) -> str:
    """The text of `-` (standard input), which stands alone and has no git history."""
    if list(paths) != [STDIN]:
        raise InputError("`-` (standard input) cannot be mixed with other paths")
    if diff is not None:
        raise InputError("`-` (standard input) has no git history: leave out --diff")
    try:
        return sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"standard input is not UTF-8 ({error.reason})") from None


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


@dataclass(frozen=True, slots=True)
class Configured:
    """What the repository config says about analysis, merged with the command line."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    secrets_allowlist: tuple[str, ...] = ()


def configured(
    root: Path,
    explicit: Path | None,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    names: Iterable[str] = (),
) -> Configured:
    """The checkout's config (see ghbot.checkout_config) with --select replacing its
    analysis.select and --ignore adding to its analysis.ignore, every selector checked. A
    broken config is exit 2, listing what is wrong: locally nothing else would say it."""
    try:
        found = config_file(root, explicit)
    except MissingConfig as error:
        raise InputError(f"--config {error}") from None
    flags = Configured(select=rule_list(select), ignore=rule_list(ignore))
    if found is not None:
        result = load_checkout_config(root, explicit)
        if result.errors:
            problems = "\n".join(f"  {error}" for error in result.errors)
            raise InputError(f"the configuration is broken:\n{problems}")
        analysis = result.config.analysis
        flags = Configured(
            select=flags.select or tuple(analysis.select),
            ignore=(*analysis.ignore, *flags.ignore),
            exclude=tuple(analysis.exclude),
            secrets_allowlist=tuple(analysis.secrets.allowlist),
        )
    check_selectors((*flags.select, *flags.ignore), names)
    return flags
