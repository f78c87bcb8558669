"""The routing fields read without a full parse give the same event as a full parse, always."""

from __future__ import annotations

import json

import orjson
import pytest
from server_helpers import EXAMPLES, pr_payload

from ghbot.github.events import Event
from ghbot.github.serial import serial_keys
from ghbot.routing_fields import read_event

ROUTING = ("name", "delivery_id", "action", "installation_id", "repo", "sender_login",
           "sender_type", "number", "head_sha")


def routing(event: Event) -> dict[str, object]:
    return {**{name: getattr(event, name) for name in ROUTING}, "keys": serial_keys(event)}


def full_parse(name: str, body: bytes) -> Event:
    """As the worker reads the stored payload (dispatch.run_job)."""
    return Event.from_payload(name, "d-1", json.loads(body))


def test_every_github_example_routes_as_a_full_parse_would():
    checked = 0
    for group in json.loads(EXAMPLES.read_text()):
        for payload in group["examples"]:
            body = json.dumps(payload).encode()
            fast = read_event(group["name"], "d-1", body)
            assert routing(fast) == routing(full_parse(group["name"], body)), group["name"]
            checked += 1
    assert checked > 100


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        # Surprising types take the slow path and end as the defensive reads decide.
        ("pull_request", pr_payload(number="7")),
        ("pull_request", pr_payload(installation={"id": True})),
        ("pull_request", pr_payload(installation={"id": 2**70})),
        ("pull_request", pr_payload(installation={"id": 1.5})),
        ("pull_request", pr_payload(sender="mona")),
        ("pull_request", pr_payload(pull_request=[1, 2])),
        ("check_run", {"check_run": {"head_sha": "b" * 40, "pull_requests": [7]}}),
        ("check_suite", {"check_suite": {"head_sha": "c" * 40, "pull_requests": "none"}}),
        ("check_suite", {"check_suite": {"pull_requests": [{"number": 3}, {"number": "x"}]}}),
        # Nulls and absences.
        ("pull_request", pr_payload(action=None, repository=None, sender={"login": None})),
        ("push", {"after": "d" * 40, "repository": {"full_name": "o/r"}}),
        ("deployment_status", {"deployment": {"sha": "e" * 40}, "installation": {"id": 9}}),
        # A failed deployment holds its branch's failure-report key: the state routes too.
        ("deployment_status", {"deployment": {"ref": "main"}, "deployment_status":
                               {"state": "failure"}, "repository": {"full_name": "o/r"}}),
        ("workflow_run", {"workflow_run": {"head_sha": "f" * 40, "pull_requests": []}}),
        ("issues", {"issue": {"number": 4}, "action": "opened"}),
        ("ping", {}),
    ],
)
def test_odd_shapes_route_as_a_full_parse_would(name, payload):
    body = json.dumps(payload).encode()
    assert routing(read_event(name, "d-1", body)) == routing(full_parse(name, body))


def test_the_bots_own_sender_is_recognised():
    body = json.dumps(pr_payload(sender={"login": "hephaestus[bot]", "type": "Bot"})).encode()
    assert read_event("pull_request", "d-1", body).is_from_bot("hephaestus")


def test_non_ascii_text_is_fine():
    body = json.dumps(pr_payload(title="día ✓ 🚀"), ensure_ascii=False).encode()
    assert read_event("pull_request", "d-1", body).number == 7


GOOD = json.dumps(pr_payload(body="a long description in a field nobody routes on")).encode()
SKIPPED = GOOD.index(b"long description")


@pytest.mark.parametrize(
    "body",
    [
        # Flaws inside a string the typed decode skips must still be caught.
        GOOD[:SKIPPED] + b"\xff" + GOOD[SKIPPED + 1:],
        GOOD[:SKIPPED] + b"\xc3(" + GOOD[SKIPPED + 2:],
        GOOD[:SKIPPED] + b"\\q" + GOOD[SKIPPED + 2:],
        GOOD[:SKIPPED] + b"\x01" + GOOD[SKIPPED + 1:],
        GOOD + b"x",
        GOOD[:-1],
        GOOD.replace(b'"body"', b'"body" 1, "z"'),
        b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"x": NaN}',
        b"[1, 2]",
        b"",
    ],
)
def test_bodies_a_full_parse_refuses_are_refused(body):
    with pytest.raises(ValueError):
        Event.from_payload("pull_request", "d-1", orjson.loads(body))  # a strict parser
    with pytest.raises(ValueError):
        read_event("pull_request", "d-1", body)
