"""May this person run this verb here? Decided from GitHub's collaborator-permission endpoint.

Fails closed: if GitHub cannot tell us the caller's level (an error, a 5xx after retries, an
answer we do not understand), every verb is denied with a reason that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ghbot.commands.registry import RANKS, Requirement, configured
from ghbot.github.api import GitHub
from ghbot.github.errors import GitHubError, NotFound

if TYPE_CHECKING:
    from ghbot.github.repo_config import RepoConfig


@dataclass(frozen=True, slots=True)
class Guard:
    """A verb's default permission that also guards what the bot does for someone outside the
    command: the verb's `@command` and the service read the same one."""

    verb: str
    default: Requirement

    def requirement(self, config: RepoConfig) -> Requirement:
        return configured(self.verb.replace(" ", "-"), self.default, config)


# "Apply fixes" and push mode commit fixes for someone as `fix` would; dashboard boxes re-run
# failed jobs as `retest` would and open runbook PRs as `runbook create` would.
FIX = Guard("fix", Requirement("write", author=True))
RETEST = Guard("retest", Requirement("write", author=True))
RUNBOOK_CREATE = Guard("runbook create", Requirement("write"))


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Caller:
    """Who commented, as far as permissions go. `rank` None: no access or unknown."""

    login: str
    rank: str | None
    is_author: bool = False  # the author of the pull request the comment is on
    error: str | None = None  # why the rank is unknown

    def rank_at_least(self, rank: str) -> bool:
        return self.rank is not None and RANKS.index(self.rank) >= RANKS.index(rank)


def rank_of(permission: str, role_name: str) -> str | None:
    """GitHub's precise role when it is a built-in one; a custom role counts as its base level
    (the legacy `permission`); `none` or anything unknown is no access."""
    if role_name in RANKS:
        return role_name
    return permission if permission in RANKS else None


async def resolve_caller(
    gh: GitHub, owner: str, repo: str, login: str, *, pull_author: str | None = None
) -> Caller:
    is_author = pull_author is not None and pull_author.lower() == login.lower()
    try:
        found = await gh.get_collaborator_permission(owner, repo, login)
    except NotFound:
        return Caller(login, None, is_author, "you have no access to this repository")
    except GitHubError as exc:
        status = f" (GitHub answered {exc.status})" if exc.status else ""
        return Caller(login, None, is_author, f"GitHub could not tell your permission{status}")
    except Exception as exc:  # fail closed: whatever went wrong, nobody gets in
        why = f"your permission could not be read ({type(exc).__name__})"
        return Caller(login, None, is_author, why)
    rank = rank_of(found.permission, found.role_name)
    error = None if rank is not None else "you have no access to this repository"
    return Caller(login, rank, is_author, error)


def decide(requirement: Requirement, caller: Caller) -> Decision:
    if caller.rank is None:
        return Decision(False, f"{caller.error or 'your permission is unknown'}, so I do nothing")
    if caller.rank_at_least(requirement.rank):
        return Decision(True, f"you have `{caller.rank}` permission")
    if requirement.author and caller.is_author:
        return Decision(True, "you are the pull request's author")
    return Decision(
        False, f"this needs {requirement.describe()}; you have `{caller.rank}` permission"
    )
