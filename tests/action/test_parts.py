"""The Action's parts on their own: fork detection on hostile payloads, mode selection from
the real registry, the write gate, pausing workflow commands."""

from __future__ import annotations

import io

import pytest

from ghbot.action.access import Refusal, WriteGate, WriteRefused, fork_pull_request
from ghbot.action.modes import select
from ghbot.action.runner import commands_paused
from ghbot.github.errors import PermissionDenied
from ghbot.github.events import Event
from ghbot.registry import default_registry


def _pr(head, base="octo/app", name="pull_request"):
    pull = {"head": {"repo": head}, "base": {"repo": {"full_name": base}}}
    return Event.from_payload(name, "d", {"action": "opened", "pull_request": pull})


@pytest.mark.parametrize(
    ("head", "fork"),
    [
        ({"full_name": "octo/app"}, False),
        ({"full_name": "OCTO/App"}, False),  # GitHub names are case-insensitive
        ({"full_name": "alice/app"}, True),
        (None, True),  # the fork was deleted
        ("not an object", True),
    ],
)
def test_fork_detection(head, fork):
    assert fork_pull_request(_pr(head)) is fork


def test_fork_detection_ignores_other_events_and_odd_shapes():
    assert not fork_pull_request(_pr({"full_name": "alice/app"}, name="pull_request_target"))
    assert not fork_pull_request(Event.from_payload("pull_request", "d", {"pull_request": []}))
    assert not fork_pull_request(Event.from_payload("pull_request", "d", {}))


def test_modes_select_handlers_by_module():
    registry = default_registry()
    pr = Event.from_payload("pull_request", "d", {"action": "opened"})
    run = Event.from_payload("workflow_run", "d", {"action": "completed"})
    names = lambda mode, event: {r.name.rsplit(".", 2)[-2] for r in select(registry, mode, event)}  # noqa: E731
    assert names("review", pr) == {"pull_requests"}
    assert names("fix", pr) == {"fixes"}
    assert names("triage", pr) == set()
    assert "failures" in names("triage", run) and "pull_requests" not in names("triage", run)
    assert names("auto", pr) == {r.name.rsplit(".", 2)[-2] for r in registry.handlers_for(
        "pull_request", "opened")}  # fmt: skip


REVIEWS_URL = "https://api.github.com/repos/o/r/pulls/1/reviews"


class _Client:
    def __init__(self):
        self.sent = []

    async def call(self, method, url, *args, **kwargs):
        self.sent.append(method)
        if method == "POST":
            raise PermissionDenied("Resource not accessible by integration", status=403,
                                   method=method, url=REVIEWS_URL)  # fmt: skip
        return {"ok": True}


async def test_the_gate_closes_on_the_first_refused_write_and_reads_go_on():
    client = _Client()
    gate = WriteGate()
    gate.install(client)
    with pytest.raises(PermissionDenied):
        await client.call("POST", "/repos/o/r/pulls/1/reviews")
    assert "`pull-requests: write`" in gate.refusal.reason
    with pytest.raises(WriteRefused):
        await client.call("PATCH", "/repos/o/r/check-runs/1")
    assert await client.call("GET", "/repos/o/r") == {"ok": True}
    assert client.sent == ["POST", "GET"]  # the PATCH never left


async def test_a_bad_token_is_not_a_read_only_one():
    client = _Client()

    async def unauthorised(method, url, *args, **kwargs):
        raise PermissionDenied("Bad credentials", status=401, method=method, url=url)

    client.call = unauthorised
    gate = WriteGate()
    gate.install(client)
    with pytest.raises(PermissionDenied):
        await client.call("POST", "/repos/o/r/issues/1/comments")
    assert gate.refusal is None


def test_fork_refusal_is_one_line():
    assert "\n" not in Refusal.fork().reason


def test_commands_are_paused_with_an_unguessable_token():
    out = io.StringIO()
    with commands_paused(out):
        out.write("::error::from a PR title\n")
    first, _quoted, last = out.getvalue().splitlines()
    token = first.removeprefix("::stop-commands::")
    assert len(token) == 32 and last == f"::{token}::"
    other = io.StringIO()
    with commands_paused(other):
        pass
    assert other.getvalue().splitlines()[0] != first
