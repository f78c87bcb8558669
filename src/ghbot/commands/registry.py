"""The `/hephaestus` verbs: `@command(...)` marks a function with its verb, permission, usage
and help; a `Commands` registry is built from ONE explicit ordered list of such functions
(`ghbot.commands.verbs.VERBS`), as handlers are from `ghbot.handlers.HANDLERS`.

A verb is one or two words (`fix`, `runbook create`), so verbs that share a first word can ask
for different permissions. Help replies and the README's command table are generated from the
registry, so what users read is what the bot does.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from ghbot.context import Context
    from ghbot.github.repo_config import RepoConfig

Level = Literal["read", "triage", "write", "maintain", "admin", "author"]
# Ranks in GitHub's order; `author` (the PR's author on their own PR) is an alternative, not a rank.
RANKS: tuple[str, ...] = ("read", "triage", "write", "maintain", "admin")

_VERB = re.compile(r"[a-z][a-z-]{0,19}( [a-z][a-z-]{0,19})?")
_MARK = "__hephaestus_command__"


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

    @property
    def usage_line(self) -> str:
        return f"`/hephaestus {self.usage}`"


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
    # The commands this caller may run here, in the registry's order (what `help` lists).
    usable: tuple[CommandSpec, ...] = field(default=())

    @property
    def owner(self) -> str:
        return self.ctx.owner_repo[0]

    @property
    def repo(self) -> str:
        return self.ctx.owner_repo[1]


CommandFunc = Callable[[CommandCall], Awaitable[str | None]]


class UsageError(ValueError):
    """Bad arguments: the reply shows this message and the verb's usage."""


class RegistryError(ValueError):
    pass


def requirement_of(who: Level | Sequence[Level] | Requirement) -> Requirement:
    """`"write"`, `("write", "author")` (either), `"author"` (the author, or an admin)."""
    if isinstance(who, Requirement):
        return who
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
    who: Level | Sequence[Level] | Requirement = "read",
    usage: str = "",
    summary: str,
    writes: bool | None = None,
    pull_only: bool = False,
) -> Callable[[CommandFunc], CommandFunc]:
    """Mark `async def f(call: CommandCall) -> str | None` (the reply markdown) as `verb`;
    listing it in `ghbot.commands.verbs.VERBS` enables it.

    `who`: the least level by default (repo config may raise or lower it per verb); `writes`
    defaults to True for anything above `read`; `pull_only` verbs are refused on issues.
    """
    if not _VERB.fullmatch(verb):
        raise RegistryError(f"verb {verb!r}: one or two lowercase words")
    requirement = requirement_of(who)
    spec = CommandSpec(
        verb=verb,
        requirement=requirement,
        usage=usage or verb,
        summary=summary,
        writes=requirement.rank != "read" if writes is None else writes,
        pull_only=pull_only,
    )

    def mark(func: CommandFunc) -> CommandFunc:
        if getattr(func, _MARK, None) is not None:
            raise RegistryError(f"{func.__qualname__} is marked as two commands")
        setattr(func, _MARK, spec)
        return func

    return mark


def spec_of(func: CommandFunc) -> CommandSpec:
    spec = getattr(func, _MARK, None)
    if not isinstance(spec, CommandSpec):
        raise RegistryError(f"{func.__module__}.{func.__qualname__} has no @command(...)")
    return spec


@dataclass(frozen=True, slots=True)
class Registered:
    spec: CommandSpec
    func: CommandFunc = field(repr=False)


class Commands:
    """The verbs of an ordered list of `@command` functions: what runs, what help lists."""

    def __init__(self, funcs: Iterable[CommandFunc]) -> None:
        found: dict[str, Registered] = {}
        for func in funcs:
            spec = spec_of(func)
            if spec.verb in found:
                raise RegistryError(f"/hephaestus {spec.verb} is listed twice")
            found[spec.verb] = Registered(spec, func)
        self._by_verb = found

    @property
    def specs(self) -> tuple[CommandSpec, ...]:
        return tuple(r.spec for r in self._by_verb.values())

    def func(self, spec: CommandSpec) -> CommandFunc:
        return self._by_verb[spec.verb].func

    def resolve(self, words: Sequence[str]) -> tuple[CommandSpec, tuple[str, ...]] | None:
        """The verb the words start with (two-word verbs first) and the remaining arguments."""
        lowered = [w.lower() for w in words[:2]]
        if len(lowered) == 2 and (found := self._by_verb.get(" ".join(lowered))) is not None:
            return found.spec, tuple(words[2:])
        if lowered and (found := self._by_verb.get(lowered[0])) is not None:
            return found.spec, tuple(words[1:])
        return None

    def markdown_table(self) -> str:
        """The command table of the README and of `hephaestus commands --markdown`."""
        rows = ["| command | who (default) | does |", "| --- | --- | --- |"]
        rows += [f"| {s.usage_line} | {s.who} | {s.summary} |" for s in self.specs]
        return "\n".join(rows) + "\n"


def configured(key: str, default: Requirement, config: RepoConfig) -> Requirement:
    """`default` after `commands.permissions[key]`: a rank replaces the default rank (`read` is
    the floor, there is nothing below it); `author` adds the author's right."""
    value = config.commands.permissions.get(key)
    if value is None:
        return default
    if value == "author":
        return Requirement(default.rank, author=True)
    return Requirement(value, author=default.author)


def requirement_for(spec: CommandSpec, config: RepoConfig) -> Requirement:
    """The verb's requirement in a repository, its `commands.permissions` applied."""
    return configured(spec.config_key, spec.requirement, config)
