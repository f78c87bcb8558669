"""The safety ladder of fix delivery, in one place: facts in, one `Decision` out.

Pure: the fixes service gathers the facts (config, the pull request, the branch's head commit)
and acts on the decision; nothing here talks to GitHub. Every rung that refuses says why in a
sentence a person can act on; `quiet` marks refusals of automatic events that would only be
noise (the bot's own push, a repository with fixes switched off).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ghbot.engine.render import escape_inline

FIX_ACTION = "hephaestus-fix"  # identifier of the check run's "Apply fixes" button
FIX_BRANCH = "hephaestus/fixes"  # the one branch the fix PR of the default branch comes from
TRAILER = "Hephaestus-Fixes"  # trailer on every fix commit: the head sha it was made for
# Ruleset rules a fast-forward fix commit on an existing branch cannot break. Any other rule, or
# classic protection, limits who may push in ways (bypass lists, push restrictions, required
# reviews) that GitHub lets an installation read only with the Administration permission.
HARMLESS_RULES = frozenset({"creation", "deletion", "non_fast_forward", "required_linear_history"})
# The App has no `workflows` permission: GitHub refuses any write there, so none is attempted.
PROTECTED_PREFIXES = (".github/workflows/",)

_TRAILER_LINE = re.compile(rf"^{TRAILER}: ([0-9a-f]{{40}})\s*$", re.MULTILINE)
MAX_MESSAGE_SCAN = 64 * 1024  # a commit message can be huge; trailers sit at its end


class Trigger(StrEnum):
    PULL_REQUEST = "pull_request"  # a PR opened or pushed to, with fixes.mode == push
    COMMAND = "command"  # /hephaestus fix
    BUTTON = "button"  # "Apply fixes" on the check run
    PUSH = "push"  # a push to a branch

    @property
    def automatic(self) -> bool:
        """Nobody asked: refusals that are merely "nothing to do" stay quiet."""
        return self in (Trigger.PULL_REQUEST, Trigger.PUSH)


class Kind(StrEnum):
    COMMIT = "commit"  # one fix commit on the pull request's branch
    FIX_PR = "fix_pr"  # open or update the fix PR from FIX_BRANCH onto the default branch
    SUGGESTIONS = "suggestions"  # write nothing; offer the fixes for people to apply
    REFUSE = "refuse"  # do nothing, and say why


@dataclass(frozen=True, slots=True)
class Decision:
    kind: Kind
    reason: str
    quiet: bool = False  # nothing worth telling anyone


@dataclass(frozen=True, slots=True)
class HeadCommit:
    """The commit a branch points at now."""

    sha: str
    author: str  # names from the git signatures
    committer: str
    message: str


@dataclass(frozen=True, slots=True)
class PullFacts:
    number: int
    open: bool
    fork: bool
    maintainer_can_modify: bool
    head_owner: str = ""  # owner of the repository the head branch lives in


@dataclass(frozen=True, slots=True)
class Asker:
    """Who the fixes are pushed for (the commenter, the button's clicker, the PR's sender): the
    bot pushes only what this person could push themselves."""

    login: str
    can_write: bool  # write access (or more) to the base repository
    why_not: str = ""  # when it cannot: what GitHub said (no access, an error)


@dataclass(frozen=True, slots=True)
class Guard:
    """The head branch's protection. `unknown`: it could not be read, which counts as guarded."""

    protected: bool
    rules: tuple[str, ...] = ()
    unknown: str = ""

    def blocking(self) -> str | None:
        """Why a push there needs rights the bot cannot check for a person, or None."""
        if self.unknown:
            return f"its protection could not be read: {self.unknown}"
        rules = [r for r in self.rules if r not in HARMLESS_RULES]
        if self.protected:
            return "a protected branch"
        if rules:
            return "ruleset rules " + ", ".join(f"`{r}`" for r in rules[:5])
        return None


@dataclass(frozen=True, slots=True)
class Facts:
    trigger: Trigger
    mode: str  # fixes.mode: off | suggest | push
    fix_pr_on_default_branch: bool
    bot_login: str
    default_branch: str
    branch: str  # where a fix would go: the PR's head branch, or the pushed branch
    requested_sha: str  # the commit the fixes are computed for
    head: HeadCommit | None  # the branch's head now; None when the branch is gone
    pull: PullFacts | None = None  # None: not about a pull request
    pusher: str = ""  # push events: who pushed
    existing_fix: str | None = None  # a fix commit already made for `requested_sha`
    asker: Asker | None = None  # pull requests: who the fix commit would be pushed for
    guard: Guard | None = None  # pull requests: the head branch's protection


def fix_trailer(head_sha: str) -> str:
    return f"{TRAILER}: {head_sha}"


def fixed_sha(message: str) -> str | None:
    """The head sha a fix commit names in its trailer, or None for other commits."""
    found = _TRAILER_LINE.findall(message[-MAX_MESSAGE_SCAN:])
    return found[-1] if found else None


def is_bot(name: str, bot_login: str) -> bool:
    return bool(name) and name.lower() == bot_login.lower()


def by_bot(head: HeadCommit, bot_login: str) -> bool:
    """A commit the bot made: its signature, or its fix trailer."""
    return (
        is_bot(head.author, bot_login)
        or is_bot(head.committer, bot_login)
        or fixed_sha(head.message) is not None
    )


def protected(path: str) -> bool:
    """Paths the bot never writes (compared case-insensitively, as some clients check out)."""
    lowered = path.lower()
    return any(lowered.startswith(prefix) for prefix in PROTECTED_PREFIXES)


def _refuse(reason: str, facts: Facts) -> Decision:
    return Decision(Kind.REFUSE, reason, quiet=facts.trigger.automatic)


def decide(facts: Facts) -> Decision:
    """The ladder: the first rung that applies decides."""
    if facts.mode == "off":
        return _refuse(
            "Fixes are switched off for this repository (`fixes.mode: off` in "
            "`.github/hephaestus.yml` on the default branch).",
            facts,
        )
    if facts.trigger is Trigger.PUSH:
        return _decide_push(facts)
    if facts.pull is None:  # /hephaestus fix on an issue: fix the default branch through a PR
        return _decide_default_branch(facts)
    return _decide_pull(facts, facts.pull)


def _decide_push(facts: Facts) -> Decision:
    # nobody asked for anything on a push: its refusals are all quiet
    if is_bot(facts.pusher, facts.bot_login):
        return Decision(Kind.REFUSE, "the push is Hephaestus's own", quiet=True)
    if facts.branch != facts.default_branch:
        return Decision(
            Kind.REFUSE, "other branches are fixed through their pull requests", quiet=True
        )
    if not facts.fix_pr_on_default_branch:
        return Decision(Kind.REFUSE, "fixes.fix_pr_on_default_branch is off", quiet=True)
    return _decide_default_branch(facts)


def _decide_default_branch(facts: Facts) -> Decision:
    if facts.head is not None and by_bot(facts.head, facts.bot_login):
        return _refuse(
            f"The latest commit on `{facts.default_branch}` is Hephaestus's own; "
            "it does not fix its own commits.",
            facts,
        )
    if facts.existing_fix is not None:
        return _refuse(
            f"`{FIX_BRANCH}` already holds the fixes for {facts.requested_sha[:7]} "
            f"(commit {facts.existing_fix[:7]}).",
            facts,
        )
    return Decision(Kind.FIX_PR, f"fixes go to one pull request from `{FIX_BRANCH}`")


def _decide_pull(facts: Facts, pull: PullFacts) -> Decision:
    if facts.trigger is Trigger.PULL_REQUEST and facts.mode != "push":
        return Decision(
            Kind.SUGGESTIONS, "fixes.mode is suggest: the review carries the fixes", quiet=True
        )
    if not pull.open:
        return _refuse(f"Pull request #{pull.number} is closed; nothing was changed.", facts)
    if facts.head is None:
        return _refuse(
            f"The branch `{facts.branch}` of pull request #{pull.number} no longer exists.", facts
        )
    if facts.existing_fix is not None:
        return _refuse(
            f"Already fixed: commit {facts.existing_fix[:7]} holds the fixes for "
            f"{facts.requested_sha[:7]}.",
            facts,
        )
    if by_bot(facts.head, facts.bot_login):
        return _refuse(
            f"The latest commit on `{facts.branch}` ({facts.head.sha[:7]}) is Hephaestus's own; "
            "it does not fix its own commits. Push a change to have it look again.",
            facts,
        )
    if facts.head.sha != facts.requested_sha:
        return _refuse(
            f"`{facts.branch}` moved to {facts.head.sha[:7]} after {facts.requested_sha[:7]} was "
            "analysed, so nothing was committed: fixes are only applied to the commit they were "
            "computed for. Ask again with `/hephaestus fix`.",
            facts,
        )
    if pull.fork and not pull.maintainer_can_modify:
        return Decision(
            Kind.SUGGESTIONS,
            "This pull request comes from a fork whose author has not allowed edits by "
            "maintainers, so Hephaestus cannot push to it. Apply the fixes below yourself, or "
            'tick "Allow edits by maintainers" and ask again with `/hephaestus fix`.',
        )
    refused = _push_refused(facts, pull)
    if refused is not None:
        return Decision(
            Kind.SUGGESTIONS,
            f"{refused}. Hephaestus pushes only what the person asking could push themselves, "
            "so nothing was committed: apply the fixes below yourself.",
        )
    where = "the fork's branch (its author allows edits by maintainers)" if pull.fork else "it"
    return Decision(Kind.COMMIT, f"one fix commit on `{facts.branch}`, pushed to {where}")


def _push_refused(facts: Facts, pull: PullFacts) -> str | None:
    """Why the fix commit must not be pushed for the asker, or None: they may push to the head
    themselves (write access to the repository, or the head is their own fork), and the branch
    carries no protection whose rules for this person the bot cannot read."""
    asker, branch = facts.asker, facts.branch
    if asker is None:  # fail closed: nobody known asked
        return f"Nobody who may push to `{branch}` asked for these fixes"
    who = f"@{escape_inline(asker.login)}"
    own_fork = pull.fork and asker.login.lower() == pull.head_owner.lower()
    if not (own_fork or asker.can_write):
        why = f" ({asker.why_not})" if asker.why_not else ""
        where = "this pull request's fork" if pull.fork else f"`{branch}` of this repository"
        return f"{who} may not push to {where}{why}"
    guard = facts.guard or Guard(False, unknown="not read")
    blocking = guard.blocking()
    if blocking is not None:
        return (
            f"`{branch}` is guarded ({blocking}): whether {who} may push there only GitHub can tell"
        )
    return None
