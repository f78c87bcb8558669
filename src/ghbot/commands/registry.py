"""The `/hephaestus` verbs: `@command(...)` registers one, with its permission and help text.

A verb is one or two words (`fix`, `runbook create`), so verbs that share a first word can ask
for different permissions. Help replies and the README's command table are generated from this
registry, so what users read is what the bot does. The modules that register verbs are listed in
`ghbot.commands.modules.MODULES` and imported on first use, in that order.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from ghbot.context import Context
    from ghbot.github.repo_config import RepoConfig

Level = Literal["read", "triage", "write", "maintain", "admin", "author"]
# Ranks in GitHub's order; `author` (the PR's author on their own PR) is an alternative, not a rank.
RANKS: tuple[str, ...] = ("read", "triage", "write", "maintain", "admin")

_VERB = re.compile(r"[a-z][a-z-]{0,19}( [a-z][a-z-]{0,19})?")


@dataclass(frozen=True, slots=True)
class CommandCall:
    """One command as a verb function receives it."""

    ctx: Context
    verb: str  # as registered, e.g. "runbook create"
    args: tuple[str, ...]
    caller: str  # the commenter's login
    number: int  # the issue or pull request the comment is on
    is_pull: bool
    comment_id: int
    line: str  # the command line as written, for quoting back
    config: RepoConfig
    path: str | None = None  # the file a review comment sits on
    review_comment: bool = False
    allowed: frozenset[str] = frozenset()  # the verbs this caller may run here (for help)

    @property
    def owner(self) -> str:
        return self.ctx.owner_repo[0]

    @property
    def repo(self) -> str:
        return self.ctx.owner_repo[1]


CommandFunc = Callable[[CommandCall], Awaitable[str | None]]


class UsageError(ValueError):
    """Bad arguments: the reply shows this message and the verb's usage."""


@dataclass(frozen=True, slots=True)
class Requirement:
    """Least rank that may run a verb, and whether the PR's author may run it on their PR."""

    rank: str
    author: bool = False

    def describe(self) -> str:
        text = f"`{self.rank}` permission"
        return text + " or being the pull request's author" if self.author else text


@dataclass(frozen=True, slots=True)
class CommandSpec:
    verb: str
    func: CommandFunc = field(repr=False)
    requirement: Requirement
    usage: str
    summary: str
    writes: bool  # changes something on GitHub besides the reply: audited
    pull_only: bool

    @property
    def config_key(self) -> str:
        """Its key under `commands.permissions` (which allows no spaces)."""
        return self.verb.replace(" ", "-")

    @property
    def who(self) -> str:
        req = self.requirement
        return f"{req.rank} or author" if req.author else req.rank


class RegistryError(ValueError):
    pass


_COMMANDS: dict[str, CommandSpec] = {}


def requirement_of(who: Level | Sequence[Level]) -> Requirement:
    """`"write"`, `("write", "author")` (either), `"author"` (the author, or an admin)."""
    levels = (who,) if isinstance(who, str) else tuple(who)
    unknown = [lvl for lvl in levels if lvl not in get_args(Level)]
    if not levels or unknown:
        raise RegistryError(f"who= takes levels from {get_args(Level)}, got {who!r}")
    ranks = [lvl for lvl in levels if lvl != "author"]
    rank = min(ranks, key=RANKS.index) if ranks else "admin"
    return Requirement(rank, author="author" in levels)


def command(
    verb: str,
    *,
    who: Level | Sequence[Level] = "read",
    usage: str = "",
    summary: str,
    writes: bool | None = None,
    pull_only: bool = False,
) -> Callable[[CommandFunc], CommandFunc]:
    """Register `async def f(call: CommandCall) -> str | None` (the reply markdown) for `verb`.

    `who`: the least level by default (repo config may raise or lower it per verb); `writes`
    defaults to True for anything above `read`; `pull_only` verbs are refused on issues.
    """
    if not _VERB.fullmatch(verb):
        raise RegistryError(f"verb {verb!r}: one or two lowercase words")
    requirement = requirement_of(who)

    def register(func: CommandFunc) -> CommandFunc:
        existing = _COMMANDS.get(verb)
        if existing is not None and existing.func is not func:
            raise RegistryError(f"/hephaestus {verb} is registered twice")
        _COMMANDS[verb] = CommandSpec(
            verb=verb,
            func=func,
            requirement=requirement,
            usage=usage or verb,
            summary=summary,
            writes=requirement.rank != "read" if writes is None else writes,
            pull_only=pull_only,
        )
        return func

    return register


def load() -> tuple[CommandSpec, ...]:
    """Every registered verb, in the order of the modules that register them."""
    from ghbot.commands.modules import MODULES

    for module in MODULES:
        importlib.import_module(module)
    # Modules may be imported in any order (a handler module imported first registers first):
    # order by the list, then by position within the module.
    rank = {name: i for i, name in enumerate(MODULES)}
    specs = list(_COMMANDS.values())
    return tuple(
        sorted(specs, key=lambda s: (rank.get(s.func.__module__, len(rank)), specs.index(s)))
    )


def resolve(words: Sequence[str]) -> tuple[CommandSpec, tuple[str, ...]] | None:
    """The verb the words start with (two-word verbs first) and the remaining arguments."""
    commands = {spec.verb: spec for spec in load()}
    lowered = [w.lower() for w in words[:2]]
    if len(lowered) == 2 and (spec := commands.get(" ".join(lowered))) is not None:
        return spec, tuple(words[2:])
    if lowered and (spec := commands.get(lowered[0])) is not None:
        return spec, tuple(words[1:])
    return None


def requirement_for(spec: CommandSpec, config: RepoConfig) -> Requirement:
    """The verb's requirement after `commands.permissions`: a rank replaces the default rank
    (`read` is the floor, there is nothing below it); `author` adds the author's right."""
    configured = config.commands.permissions.get(spec.config_key)
    if configured is None:
        return spec.requirement
    if configured == "author":
        return Requirement(spec.requirement.rank, author=True)
    return Requirement(configured, author=spec.requirement.author)


def usage_line(spec: CommandSpec) -> str:
    return f"`/hephaestus {spec.usage}`"


def markdown_table(specs: Sequence[CommandSpec] | None = None) -> str:
    """The command table of the README and of `hephaestus commands --markdown`."""
    rows = ["| command | who (default) | does |", "| --- | --- | --- |"]
    for spec in specs if specs is not None else load():
        rows.append(f"| {usage_line(spec)} | {spec.who} | {spec.summary} |")
    return "\n".join(rows) + "\n"
