"""Dispatch: isolation, timeouts, the bot's own events, clients, metrics, and the job entry."""

from __future__ import annotations

import asyncio
import json
import logging

from ghbot import metrics
from ghbot.context import Context, NoInstallationError
from ghbot.dispatch import Dispatcher
from ghbot.github.events import Event
from ghbot.jobs.models import Job, JobSpec
from ghbot.registry import Registry, handler_name, on

calls: list[tuple[str, object]] = []


@on("pull_request", "opened")
async def broken(ctx: Context) -> None:
    calls.append(("broken", ctx.gh))
    raise RuntimeError("handler bug")


@on("pull_request", "opened")
async def slow(ctx: Context) -> None:
    calls.append(("slow", ctx.gh))
    await asyncio.sleep(5)


@on("pull_request", "opened")
async def fine(ctx: Context) -> None:
    calls.append(("fine", ctx.gh))
    ctx.log.info("working on %s", ctx.event.repo)


@on("ping")
async def no_installation(ctx: Context) -> None:
    ctx.gh  # noqa: B018 (reading it is the test)


class Clients:
    """A client factory double: records which installations it was asked for."""

    def __init__(self, fail: bool = False) -> None:
        self.asked: list[int] = []
        self.fail = fail

    async def __call__(self, installation_id: int) -> object:
        self.asked.append(installation_id)
        if self.fail:
            raise ConnectionError("token endpoint down")
        return f"client-{installation_id}"


def pr_event(**over) -> Event:
    payload = {
        "action": "opened",
        "installation": {"id": 9},
        "repository": {"full_name": "o/r"},
        "pull_request": {"number": 3, "head": {"sha": "b" * 40}},
        "sender": {"login": "mona", "type": "User"},
        **over,
    }
    return Event.from_payload("pull_request", "deliv-1", payload)


def histogram_count(handler, outcome: str) -> float:
    labels = {"handler": handler_name(handler), "outcome": outcome}
    name = "hephaestus_handler_duration_seconds_count"
    return metrics.REGISTRY.get_sample_value(name, labels) or 0


async def test_one_failure_or_timeout_does_not_stop_the_others():
    calls.clear()
    clients = Clients()
    before = histogram_count(slow, "timeout")
    dispatcher = Dispatcher(Registry([broken, slow, fine]), clients, app_slug="heph", timeout=0.1)
    result = await dispatcher.dispatch(pr_event())
    assert [(r.name, r.outcome) for r in result.results] == [
        (handler_name(broken), "error"),
        (handler_name(slow), "timeout"),
        (handler_name(fine), "ok"),
    ]
    assert result.failed == (handler_name(broken), handler_name(slow))
    assert "handler bug" in result.results[0].error
    assert calls == [("broken", "client-9"), ("slow", "client-9"), ("fine", "client-9")]
    assert clients.asked == [9]  # one client per delivery
    assert histogram_count(slow, "timeout") == before + 1


async def test_only_runs_the_named_handlers():
    calls.clear()
    dispatcher = Dispatcher(Registry([broken, fine]), Clients(), app_slug="heph", timeout=1)
    result = await dispatcher.dispatch(pr_event(), only=[handler_name(fine)])
    assert [c[0] for c in calls] == ["fine"]
    assert not result.failed


async def test_the_bots_own_events_run_nothing():
    calls.clear()
    clients = Clients()
    dispatcher = Dispatcher(Registry([fine]), clients, app_slug="heph", timeout=1)
    result = await dispatcher.dispatch(pr_event(sender={"login": "heph[bot]", "type": "Bot"}))
    assert result.results == () and result.skipped
    assert calls == [] and clients.asked == []


async def test_a_client_failure_fails_every_handler_so_the_job_retries():
    calls.clear()
    dispatcher = Dispatcher(Registry([fine]), Clients(fail=True), app_slug="heph", timeout=1)
    result = await dispatcher.dispatch(pr_event())
    assert result.failed == (handler_name(fine),)
    assert "token endpoint down" in result.results[0].error
    assert calls == []


async def test_no_installation_means_no_client():
    dispatcher = Dispatcher(Registry([no_installation]), Clients(), app_slug="heph", timeout=1)
    result = await dispatcher.dispatch(Event.from_payload("ping", "d", {"zen": "z"}))
    assert result.results[0].outcome == "error"
    assert NoInstallationError.__name__ in result.results[0].error


async def test_log_lines_carry_the_delivery_and_handler(caplog):
    calls.clear()
    dispatcher = Dispatcher(Registry([fine]), Clients(), app_slug="heph", timeout=1)
    with caplog.at_level(logging.INFO):
        await dispatcher.dispatch(pr_event())
    line = next(r for r in caplog.records if r.getMessage() == "working on o/r")
    assert line.fields["handler"] == handler_name(fine)
    assert line.fields["repo"] == "o/r" and line.fields["number"] == 3


async def test_run_job_rebuilds_the_event_and_reports_failures():
    calls.clear()
    dispatcher = Dispatcher(Registry([broken, fine]), Clients(), app_slug="heph", timeout=1)
    payload = json.dumps(dict(pr_event().payload)).encode()
    job = Job(1, JobSpec("deliv-1", "pull_request", payload), attempts=1, worker="w")
    outcome = await dispatcher.run_job(job)
    assert not outcome.ok and outcome.retry
    assert outcome.failed_handlers == (handler_name(broken),)
    unreadable = Job(2, JobSpec("d2", "pull_request", b"{oops"), attempts=1, worker="w")
    outcome = await dispatcher.run_job(unreadable)
    assert not outcome.ok and not outcome.retry
