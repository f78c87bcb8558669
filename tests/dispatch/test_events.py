"""`Event.from_payload`: a typed view of hostile JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ghbot.github.events import Event, EventError

EXAMPLES = (
    Path(__file__).parents[1]
    / "npm/node_modules/@octokit/webhooks-examples/api.github.com/index.json"
)


def examples(name: str) -> list[dict]:
    for group in json.loads(EXAMPLES.read_text()):
        if group["name"] == name:
            return group["examples"]
    raise AssertionError(name)


def test_pull_request_fields():
    payload = examples("pull_request")[0]
    event = Event.from_payload("pull_request", "d-1", payload)
    assert event.action == payload["action"]
    assert event.installation_id == payload.get("installation", {}).get("id")
    assert event.repo == payload["repository"]["full_name"]
    assert event.number == payload["pull_request"]["number"]
    assert event.head_sha == payload["pull_request"]["head"]["sha"]
    assert event.sender_login == payload["sender"]["login"]


def test_issue_comment_and_check_run_and_push():
    comment = examples("issue_comment")[0]
    assert Event.from_payload("issue_comment", "d", comment).number == comment["issue"]["number"]
    run = next(p for p in examples("check_run") if p["check_run"]["pull_requests"])
    event = Event.from_payload("check_run", "d", run)
    assert event.number == run["check_run"]["pull_requests"][0]["number"]
    assert event.head_sha == run["check_run"]["head_sha"]
    push = examples("push")[0]
    event = Event.from_payload("push", "d", push)
    assert (event.head_sha, event.number) == (push["after"], None)


def test_every_example_payload_reads_without_error():
    for group in json.loads(EXAMPLES.read_text()):
        for payload in group["examples"]:
            event = Event.from_payload(group["name"], "d", payload)
            assert event.name == group["name"]


def test_bot_detection_needs_the_bot_type_and_our_slug():
    def sender(login: str, kind: str) -> Event:
        return Event.from_payload("issues", "d", {"sender": {"login": login, "type": kind}})

    assert sender("hephaestus[bot]", "Bot").is_from_bot("hephaestus")
    assert not sender("hephaestus[bot]", "User").is_from_bot("hephaestus")
    assert not sender("other[bot]", "Bot").is_from_bot("hephaestus")
    assert not Event.from_payload("issues", "d", {}).is_from_bot("hephaestus")


@pytest.mark.parametrize("payload", [None, [], "x", 3, True])
def test_a_payload_that_is_not_an_object_is_refused(payload):
    with pytest.raises(EventError):
        Event.from_payload("issues", "d", payload)


def test_wrong_types_read_as_unknown():
    event = Event.from_payload(
        "pull_request",
        "d",
        {"action": 3, "installation": {"id": True}, "repository": {"full_name": ["x"]},
         "pull_request": {"number": "5", "head": None}, "sender": "someone"},
    )
    assert (event.action, event.installation_id, event.repo, event.number, event.head_sha) == (
        None, None, None, None, None
    )
