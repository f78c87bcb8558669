"""Sticky comments: one comment per (issue or PR, kind, key) that the bot edits in place.

A re-delivered event, a re-run or a second worker must never add a second report, so the bot
finds its earlier comment by the hidden marker it wrote first (matching only comments it
authored) and edits that one. An unchanged body is not written again: no notification, no edit
history noise, no write against the rate limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from ghbot.engine import markers
from ghbot.engine.render import GITHUB_BODY_LIMIT, truncate_middle
from ghbot.github.api import GitHub
from ghbot.github.models import IssueComment


@dataclass(frozen=True, slots=True)
class Sticky:
    """Where a sticky comment lives and how its marker reads: `kind` plus key fields."""

    owner: str
    repo: str
    number: int
    kind: str
    fields: tuple[tuple[str, str], ...] = ()

    def marker(self) -> str:
        return markers.render(self.kind, sealed=True, **dict(self.fields))


def compose(sticky: Sticky, body: str) -> str:
    """The full comment text: marker first (so `markers.parse` finds it), body within limits."""
    head = sticky.marker() + "\n"
    return head + truncate_middle(body, GITHUB_BODY_LIMIT - len(head))


async def find_sticky(gh: GitHub, sticky: Sticky, bot_login: str) -> IssueComment | None:
    comments = await gh.list_issue_comments(sticky.owner, sticky.repo, sticky.number)
    return markers.find(comments, bot_login, sticky.kind, **dict(sticky.fields))


async def upsert_sticky(
    gh: GitHub,
    sticky: Sticky,
    body: str,
    bot_login: str,
    *,
    existing: IssueComment | None = None,
) -> IssueComment:
    """Create the sticky comment or edit it in place; `existing` skips the lookup when the
    caller already read it (e.g. to compare against the previous report)."""
    text = compose(sticky, body)
    if existing is None:
        existing = await find_sticky(gh, sticky, bot_login)
    if existing is None:
        return await gh.create_issue_comment(sticky.owner, sticky.repo, sticky.number, text)
    if existing.body == text:
        return existing
    return await gh.update_issue_comment(sticky.owner, sticky.repo, existing.id, text)
