"""What a handler receives: the event, the installation's typed GitHub, a bound logger, and what
one delivery learns once for all its handlers (the default branch, the repository config)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ghbot.github.api import GitHub
from ghbot.github.events import Event
from ghbot.logs import BoundLogger

if TYPE_CHECKING:
    from ghbot.engine.models import Finding
    from ghbot.github.repo_config import ConfigResult

APP_BOT_LOGIN = "hephaestus[bot]"
# The sticky reply to a comment's `/hephaestus` commands, keyed by the comment's id.
COMMAND_REPLY_KIND = "command-reply"
COMMAND_EVENTS = frozenset({"issue_comment", "pull_request_review_comment"})


class NoInstallationError(RuntimeError):
    """The event names no App installation, so there is no client to act with."""


class ClientFactory(Protocol):
    """`client_for(installation_id)`: an authenticated GitHub client for one installation.

    Implemented by `ghbot.github` (token cache + client); tests pass a double.
    """

    async def __call__(self, installation_id: int) -> GitHub: ...


@dataclass(slots=True)
class Outcome:
    """What the handlers of one dispatch did, for adapters that show it besides GitHub (the
    Action's annotations, job summary and outputs). Handlers append; nobody reads it back."""

    findings: list[Finding] = field(default_factory=list)
    fixed: int = 0
    summary: list[str] = field(default_factory=list)  # markdown sections, in order


@dataclass(slots=True)
class Memo:
    """Read at most once per delivery, shared by all its handlers: one `push` reads the
    repository config once, not once per handler."""

    default_branch: str | None = None
    config: ConfigResult | None = None


@dataclass(frozen=True)
class Context:
    event: Event
    log: BoundLogger
    client: GitHub | None = field(default=None, repr=False)
    # Who the bot is on GitHub: its own comments and commits are found (and ignored) by this.
    bot_login: str = APP_BOT_LOGIN
    outcome: Outcome = field(default_factory=Outcome)
    memo: Memo = field(default_factory=Memo, repr=False)

    @property
    def gh(self) -> GitHub:
        """The installation's client; an event without an installation has none."""
        if self.client is None:
            raise NoInstallationError(
                f"{self.event.name} delivery {self.event.delivery_id} names no installation"
            )
        return self.client

    @property
    def owner_repo(self) -> tuple[str, str]:
        """`("octo", "app")` for the event's repository; ValueError for events without one."""
        if not self.event.repo or "/" not in self.event.repo:
            raise ValueError(f"{self.event.name} delivery names no repository")
        owner, _, repo = self.event.repo.partition("/")
        return owner, repo

    async def default_branch(self) -> str:
        """The repository's default branch: from the payload, else asked once per delivery."""
        if self.memo.default_branch is None:
            repository = self.event.payload.get("repository")
            named = repository.get("default_branch") if isinstance(repository, Mapping) else None
            if isinstance(named, str) and named:
                self.memo.default_branch = named
            else:
                self.memo.default_branch = (await self.gh.get_repo(*self.owner_repo)).default_branch
        return self.memo.default_branch

    async def config(self) -> ConfigResult:
        """The repository config on the default branch, read once per delivery."""
        if self.memo.config is None:
            from ghbot.github.repo_config import load_repo_config

            owner, repo = self.owner_repo
            branch = await self.default_branch()
            self.memo.config = await load_repo_config(self.gh, owner, repo, default_branch=branch)
        return self.memo.config

    async def report_failure(self, why: str) -> None:
        """The job of this event died (timed out, failed every attempt, or killed its process)
        and will not run again: conclude the check run it left in progress as failure, and
        answer the commands of a comment that got no reply, each with what a person can do."""
        if self.client is None or not self.event.repo:
            return
        await self._conclude_check(why)
        await self._answer_commands(why)

    async def _conclude_check(self, why: str) -> None:
        from ghbot.engine.render import escape_inline
        from ghbot.github.checks import CHECK_NAME, CheckReport, find_check_run, publish_check

        sha = self.event.head_sha
        if sha is None:
            return
        owner, repo = self.owner_repo
        run = await find_check_run(self.gh, owner, repo, name=CHECK_NAME, head_sha=sha)
        if run is None or run.status == "completed":
            return
        summary = (
            f"Hephaestus gave up on this commit: {escape_inline(why[:1000])}.\n\n"
            "It is not retried automatically (a job that crashes its worker would crash the "
            "next one too). To try again, re-run this check or comment `/hephaestus check`; if "
            "it fails again, a maintainer of the App can inspect the dead-lettered job of "
            f"delivery `{escape_inline(self.event.delivery_id)}`."
        )
        report = CheckReport("failure", "Analysis did not finish", summary)
        await publish_check(self.gh, owner, repo, report, name=CHECK_NAME, head_sha=sha, run=run)

    async def _answer_commands(self, why: str) -> None:
        """A comment whose commands died unanswered gets the reply it was waiting for."""
        from ghbot.commands import grammar
        from ghbot.engine.render import escape_inline
        from ghbot.github.comments import Sticky, find_sticky, upsert_sticky

        comment = self.event.payload.get("comment")
        if self.event.name not in COMMAND_EVENTS or self.event.action != "created":
            return
        if not isinstance(comment, Mapping) or self.event.number is None:
            return
        comment_id, body = comment.get("id"), comment.get("body")
        user = comment.get("user")
        author = str(user.get("login") or "") if isinstance(user, Mapping) else ""
        if not isinstance(comment_id, int) or not isinstance(body, str) or not author:
            return
        if author.lower() == self.bot_login.lower() or not grammar.parse(body):
            return
        owner, repo = self.owner_repo
        reply_at = Sticky(
            owner, repo, self.event.number, COMMAND_REPLY_KIND, (("comment", str(comment_id)),)
        )
        if await find_sticky(self.gh, reply_at, self.bot_login) is not None:
            return  # answered before the job died
        text = (
            f"@{author}\n\nHephaestus gave up on the commands of this comment: "
            f"{escape_inline(why[:1000])}. Some may have run; check before repeating them, "
            "then comment them again to retry."
        )
        await upsert_sticky(self.gh, reply_at, text, self.bot_login)
