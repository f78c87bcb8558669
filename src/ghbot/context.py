"""What a handler receives: the event, an installation-authenticated client and a bound logger."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ghbot.github.events import Event
from ghbot.logs import BoundLogger

if TYPE_CHECKING:
    from ghbot.engine.models import Finding

APP_BOT_LOGIN = "hephaestus[bot]"


class NoInstallationError(RuntimeError):
    """The event names no App installation, so there is no client to act with."""


class ClientFactory(Protocol):
    """`client_for(installation_id)`: an authenticated GitHub client for one installation.

    Implemented by `ghbot.github` (token cache + client); tests pass a double.
    """

    async def __call__(self, installation_id: int) -> Any: ...


@dataclass(slots=True)
class Outcome:
    """What the handlers of one dispatch did, for adapters that show it besides GitHub (the
    Action's annotations, job summary and outputs). Handlers append; nobody reads it back."""

    findings: list[Finding] = field(default_factory=list)
    fixed: int = 0
    summary: list[str] = field(default_factory=list)  # markdown sections, in order


@dataclass(frozen=True)
class Context:
    event: Event
    log: BoundLogger
    client: Any | None = field(default=None, repr=False)
    # Who the bot is on GitHub: its own comments and commits are found (and ignored) by this.
    bot_login: str = APP_BOT_LOGIN
    outcome: Outcome = field(default_factory=Outcome)

    @property
    def gh(self) -> Any:
        """The installation's client; an event without an installation has none."""
        if self.client is None:
            raise NoInstallationError(
                f"{self.event.name} delivery {self.event.delivery_id} names no installation"
            )
        return self.client

    async def report_failure(self, why: str) -> None:
        """The job of this event died (timed out, failed every attempt, or killed its process)
        and will not run again: conclude the check run it left in progress as failure, with
        what a maintainer can do. Nothing to do for an event without a head commit or run."""
        from ghbot.engine.render import escape_inline
        from ghbot.github.checks import CHECK_NAME, CheckReport, find_check_run, publish_check

        sha = self.event.head_sha
        if sha is None or self.client is None or not self.event.repo:
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

    @property
    def owner_repo(self) -> tuple[str, str]:
        """`("octo", "app")` for the event's repository; ValueError for events without one."""
        if not self.event.repo or "/" not in self.event.repo:
            raise ValueError(f"{self.event.name} delivery names no repository")
        owner, _, repo = self.event.repo.partition("/")
        return owner, repo
