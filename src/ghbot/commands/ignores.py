"""Per-pull-request ignores: `/hephaestus ignore RULE [PATH]` stops a rule from being flagged.

They live in one sticky comment on the PR that the bot authored, as a readable table: reviewers
see what was silenced and by whom. The table is read back only from that comment's own body,
and only when the comment's leading marker is sealed (engine/markers.py) and carries the digest
of that very table: a table the bot merely echoed (a CI log in a failure report, a triage reply)
or one someone edited is not an ignore. Without a sealing key (the Action without
HEPHAESTUS_MARKER_KEY) ignores are refused: `github-actions[bot]` is shared by every workflow
of the repository, so its authorship proves nothing. The reviews handler filters findings with
`Ignores.matches` and lists the ignores in its check run (`Ignores.describe`).
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from dataclasses import dataclass

from ghbot.engine import markers
from ghbot.engine.render import escape_inline
from ghbot.github.api import GitHub
from ghbot.github.comments import Sticky, find_sticky, upsert_sticky
from ghbot.github.models import IssueComment

KIND = "ignores"
UNSEALED = (
    "ignores need a sealing key: set HEPHAESTUS_MARKER_KEY from a repository secret in the "
    "workflow (see README, \"Trusting only its own state\")"
)
MAX_ENTRIES = 100
MAX_RULE = 64
MAX_PATH = 255
MAX_WILDCARDS = 8

_RULE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./:-]{0,63}")
_CODE = re.compile(r"([A-Z]{1,6})([0-9]{0,5})")  # ruff-style codes: prefix-matchable
_PATH_CHARS = re.compile(r"[A-Za-z0-9_./*?\[\]@+=,~-]{1,255}")
_LOGIN = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?"
_ROW = re.compile(
    rf"^\| `([^`|\n]{{1,{MAX_RULE}}})` \| (?:`([^`|\n]{{1,{MAX_PATH}}})`|everywhere) "
    rf"\| @({_LOGIN}) \|$",
    re.MULTILINE,
)


class IgnoreError(ValueError):
    """A rule or path that cannot be an ignore (the message is shown to the user)."""


def check_rule(text: str) -> str:
    if not _RULE.fullmatch(text):
        raise IgnoreError(
            f"`{escape_inline(text[:80])}` is not a rule name (letters, digits and `_./:-`, "
            f"at most {MAX_RULE} characters, e.g. `E501` or `syntax/missing-colon`)"
        )
    return text


def check_path(text: str) -> str:
    path = text.strip().removeprefix("./")
    parts = path.split("/")
    if (
        not _PATH_CHARS.fullmatch(path)
        or path.startswith("/")
        or ".." in parts
        or path.count("*") + path.count("?") > MAX_WILDCARDS
    ):
        raise IgnoreError(
            f"`{escape_inline(text[:80])}` is not a path in the repository (relative, no `..`, "
            f"at most {MAX_PATH} characters and {MAX_WILDCARDS} wildcards)"
        )
    return path


def _rule_matches(entry: str, rule: str) -> bool:
    if entry.lower() == rule.lower():
        return True
    # As in ruff's config: `E5` covers E501 but not ERA001.
    want, have = _CODE.fullmatch(entry.upper()), _CODE.fullmatch(rule.upper())
    return bool(
        want and have and want.group(1) == have.group(1) and have.group(2).startswith(want.group(2))
    )


def _path_matches(pattern: str, path: str) -> bool:
    path = path.removeprefix("./")
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(path, pattern)  # `*` crosses `/`: `src/*` is the tree
    return path == pattern or path.startswith(pattern.rstrip("/") + "/")


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    rule: str
    path: str | None  # None: everywhere in the pull request
    by: str

    def matches(self, rule: str, path: str | None) -> bool:
        if not _rule_matches(self.rule, rule):
            return False
        return self.path is None or (path is not None and _path_matches(self.path, path))

    def row(self) -> str:
        where = f"`{self.path}`" if self.path else "everywhere"
        return f"| `{self.rule}` | {where} | @{self.by} |"


@dataclass(frozen=True, slots=True)
class Ignores:
    entries: tuple[IgnoreEntry, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries)

    def matches(self, rule: str, path: str | None) -> bool:
        return any(e.matches(rule, path) for e in self.entries)

    def adding(self, entry: IgnoreEntry) -> Ignores:
        """With `entry` (an equal rule and path is not added twice). IgnoreError when full."""
        same = [
            e for e in self.entries if (e.rule.lower(), e.path) == (entry.rule.lower(), entry.path)
        ]
        if same:
            return self
        if len(self.entries) >= MAX_ENTRIES:
            raise IgnoreError(f"this pull request already has {MAX_ENTRIES} ignores")
        return Ignores((*self.entries, entry))

    def table(self) -> str:
        rows = ["| rule | where | by |", "| --- | --- | --- |"]
        return "\n".join(rows + [e.row() for e in self.entries])

    def describe(self) -> str:
        """The markdown section for the check run summary ("" when there is nothing)."""
        if not self.entries:
            return ""
        return (
            f"### Ignored on this pull request ({len(self.entries)})\n"
            "Findings of these rules are not reported here (`/hephaestus ignore`):\n\n"
            + self.table()
            + "\n"
        )


def render(ignores: Ignores) -> str:
    return (
        "**Hephaestus: rules ignored on this pull request**\n\n"
        + ignores.table()
        + "\n\nAdd one with `/hephaestus ignore RULE [PATH]` (write permission). "
        "Edit this table only through the bot: it is rewritten on every change.\n"
    )


def parse(body: str) -> Ignores:
    entries: list[IgnoreEntry] = []
    for match in _ROW.finditer(body):
        try:
            rule = check_rule(match.group(1))
            path = check_path(match.group(2)) if match.group(2) else None
        except IgnoreError:
            continue  # the bot wrote it; a row it cannot read again is skipped, not fatal
        entries.append(IgnoreEntry(rule, path, match.group(3)))
        if len(entries) >= MAX_ENTRIES:
            break
    return Ignores(tuple(entries))


def sticky(owner: str, repo: str, number: int, body: str | None = None) -> Sticky:
    """Where the ignores live; with `body`, the marker also carries its digest."""
    fields = (("sum", _digest(body)),) if body is not None else ()
    return Sticky(owner, repo, number, KIND, fields)


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def _read(comment: IssueComment | None) -> Ignores:
    """The ignores of the bot's comment, if its sealed marker vouches for this very table."""
    if comment is None or not markers.is_sealing():
        return Ignores()
    marker = markers.parse(comment.body, KIND)
    _, _, body = comment.body.partition("\n")
    if marker is None or marker.get("sum") != _digest(body):
        return Ignores()
    return parse(body)


async def load_ignores(
    gh: GitHub, owner: str, repo: str, number: int, bot_login: str
) -> Ignores:
    return _read(await find_sticky(gh, sticky(owner, repo, number), bot_login))


async def add_ignore(
    gh: GitHub, owner: str, repo: str, number: int, bot_login: str, entry: IgnoreEntry
) -> tuple[Ignores, IssueComment]:
    if not markers.is_sealing():
        raise IgnoreError(UNSEALED)
    existing = await find_sticky(gh, sticky(owner, repo, number), bot_login)
    ignores = _read(existing).adding(entry)
    body = render(ignores)
    where = sticky(owner, repo, number, body)
    comment = await upsert_sticky(gh, where, body, bot_login, existing=existing)
    return ignores, comment
