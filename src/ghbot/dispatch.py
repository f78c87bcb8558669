"""Run the handlers an event matches: each isolated, with a timeout, timed, logged, counted.

One handler's failure never stops the others; the result says which failed so a retry re-runs
only those. Events the App's own bot account caused are dropped before any handler runs, so the
bot cannot loop on its own comments and check runs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Collection
from dataclasses import dataclass, field

import pydantic

from ghbot import logs, metrics
from ghbot.context import ClientFactory, Context, Memo, Outcome
from ghbot.engine import markers
from ghbot.github.api import GitHub
from ghbot.github.events import Event, EventError
from ghbot.jobs.models import Job, JobOutcome
from ghbot.registry import Registration, Registry

log = logging.getLogger("ghbot.dispatch")

# Raised on a payload (or response) of the wrong shape: the same data fails the same way every
# time, so a job whose handlers failed only with these is dead-lettered at once, not retried.
_SHAPE_ERRORS = (
    AttributeError, EventError, IndexError, KeyError, RecursionError, TypeError, UnicodeError,
    pydantic.ValidationError,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class HandlerResult:
    name: str
    outcome: str  # ok, error, timeout
    seconds: float
    error: str | None = None
    permanent: bool = False  # failed on the shape of its data: a retry would fail the same way

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


@dataclass(frozen=True, slots=True)
class DispatchResult:
    results: tuple[HandlerResult, ...] = ()
    skipped: str | None = None  # why nothing ran (e.g. the bot's own event)
    outcome: Outcome = field(default_factory=Outcome)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.results if not r.ok)


class Dispatcher:
    def __init__(
        self,
        registry: Registry,
        client_for: ClientFactory | None,
        *,
        app_slug: str,
        timeout: float,
        bot_login: str | None = None,  # the Action acts as github-actions[bot]
        marker_secret: str | None = None,  # seals the bot's markers (engine/markers.py)
    ) -> None:
        self.registry = registry
        self.client_for = client_for
        self.app_slug = app_slug
        self.bot_login = bot_login or f"{app_slug}[bot]"
        self.timeout = timeout
        self.marker_secret = marker_secret

    async def dispatch(self, event: Event, only: Collection[str] | None = None) -> DispatchResult:
        with logs.delivery(event.delivery_id):
            if event.is_from_bot(self.app_slug):
                log.info("ignored: the bot's own event", extra={"fields": {"event": event.name}})
                return DispatchResult(skipped="sent by the bot itself")
            matching = [
                r
                for r in self.registry.handlers_for(event.name, event.action)
                if only is None or r.name in only
            ]
            if not matching:
                return DispatchResult(skipped="no handler for this event")
            client: GitHub | None = None
            if event.installation_id is not None and self.client_for is not None:
                started = time.perf_counter()
                try:
                    client = await self.client_for(event.installation_id)
                except Exception as exc:  # every handler needs the client: all of them failed
                    log.exception("no client for installation %s", event.installation_id)
                    spent = time.perf_counter() - started
                    error = f"client: {type(exc).__name__}: {exc}"
                    return DispatchResult(
                        tuple(HandlerResult(r.name, "error", spent, error) for r in matching)
                    )
            outcome, memo = Outcome(), Memo()
            key = None
            if self.marker_secret and event.repo:
                key = markers.derive_key(self.marker_secret, event.repo)
            with markers.sealing(key):
                results = [await self._run(r, event, client, outcome, memo) for r in matching]
            return DispatchResult(tuple(results), outcome=outcome)

    async def _run(
        self,
        registration: Registration,
        event: Event,
        client: GitHub | None,
        outcome: Outcome,
        memo: Memo,
    ) -> HandlerResult:
        bound = logs.bind(
            "ghbot.handler",
            handler=registration.name,
            event=event.name,
            action=event.action,
            repo=event.repo,
            number=event.number,
        )
        ctx = Context(
            event=event, log=bound, client=client, bot_login=self.bot_login, outcome=outcome,
            memo=memo,
        )  # fmt: skip
        started = time.perf_counter()
        error = None
        permanent = False
        try:
            async with asyncio.timeout(self.timeout):
                await registration.handler(ctx)
            status = "ok"
        except TimeoutError:
            status, error = "timeout", f"timed out after {self.timeout:g} s"
            bound.error("handler %s", error)
        except Exception as exc:  # isolation: one handler's bug must not stop the next
            status, error = "error", f"{type(exc).__name__}: {exc}"
            permanent = isinstance(exc, _SHAPE_ERRORS)
            bound.exception("handler failed")
        seconds = time.perf_counter() - started
        metrics.handler_finished(registration.name, status, seconds)
        bound.info(
            "handler finished",
            extra={"fields": {"outcome": status, "seconds": round(seconds, 4)}},
        )
        return HandlerResult(registration.name, status, seconds, error, permanent)

    async def report_failure(self, job: Job, why: str) -> None:
        """The pool's `on_dead`: `Context.report_failure` for a dead-lettered job's event."""
        try:
            payload = json.loads(job.spec.payload)
            event = Event.from_payload(job.spec.event, job.spec.delivery_id, payload)
        except (ValueError, EventError):
            return  # nothing to conclude for a payload that is not an event
        if event.installation_id is None or self.client_for is None:
            return
        with logs.delivery(event.delivery_id):
            client = await self.client_for(event.installation_id)
            bound = logs.bind(
                "ghbot.handler", handler="report_failure", event=event.name,
                action=event.action, repo=event.repo, number=event.number,
            )  # fmt: skip
            ctx = Context(event=event, log=bound, client=client, bot_login=self.bot_login)
            await ctx.report_failure(why)

    async def run_job(self, job: Job) -> JobOutcome:
        """The worker's entry: rebuild the event from the stored payload and dispatch it."""
        try:
            payload = json.loads(job.spec.payload)
            event = Event.from_payload(job.spec.event, job.spec.delivery_id, payload)
        except (ValueError, EventError, RecursionError) as exc:  # too deep: never parses
            return JobOutcome(ok=False, error=f"unreadable payload: {exc}", retry=False)
        result = await self.dispatch(event, only=job.handlers)
        if not result.failed:
            return JobOutcome(ok=True)
        failed = [r for r in result.results if not r.ok]
        errors = "; ".join(f"{r.name}: {r.error}" for r in failed)
        retry = not all(r.permanent for r in failed)
        return JobOutcome(ok=False, failed_handlers=result.failed, error=errors, retry=retry)
