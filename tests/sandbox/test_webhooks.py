"""Webhook examples, signatures, and sandbox-backed payloads."""

from __future__ import annotations

import json

from gidgethub import sansio

from sandbox import Sandbox, webhooks


def test_every_example_loads_with_event_and_action() -> None:
    found = webhooks.examples()
    assert len(found) > 300
    events = {e.event for e in found}
    assert {"pull_request", "issue_comment", "workflow_run", "check_run", "push"} <= events
    assert all(e.action == e.payload.get("action") for e in found)
    first = webhooks.example("pull_request", "opened")
    first["number"] = -1  # copies: changing one leaves the store alone
    assert webhooks.example("pull_request", "opened")["number"] != -1


def test_signed_delivery_verifies_with_an_independent_implementation() -> None:
    payload = webhooks.example("issue_comment", "created")
    d = webhooks.delivery("issue_comment", payload, secret="s3cret")
    assert d.headers["User-Agent"].startswith("GitHub-Hookshot/")
    lower = {k.lower(): v for k, v in d.headers.items()}  # gidgethub wants lower-case names
    event = sansio.Event.from_http(lower, d.body, secret="s3cret")
    assert (event.event, event.delivery_id) == ("issue_comment", d.headers["X-GitHub-Delivery"])
    assert webhooks.sign(d.body, "other") != d.headers["X-Hub-Signature-256"]


def test_payloads_point_at_sandbox_state(sandbox: Sandbox) -> None:
    inst = sandbox.create_installation("octo", ["octo/app"])
    sandbox.create_repo("octo/app", files={"a.py": "x = 1\n"})
    head = sandbox.commit("octo/app", "feat", {"a.py": "x = 2\n"})
    pr = sandbox.create_pull("octo/app", head="feat", user="alice")

    payload = webhooks.pull_request_payload(sandbox, "octo/app", pr.number, "synchronize")
    assert (payload["action"], payload["number"]) == ("synchronize", pr.number)
    assert payload["pull_request"]["head"]["sha"] == head == payload["after"]
    assert payload["installation"]["id"] == inst.id
    assert payload["repository"]["url"].startswith(sandbox.base_url)

    comment = webhooks.issue_comment_payload(sandbox, "octo/app", pr.number, "/hephaestus help",
                                             user="alice")
    assert comment["comment"]["body"] == "/hephaestus help"
    assert comment["issue"]["pull_request"]["url"].endswith(f"/pulls/{pr.number}")
    assert sandbox.issue_comments("octo/app", pr.number)[0].id == comment["comment"]["id"]

    run = sandbox.add_workflow_run("octo/app", head, "failure", jobs=[("test", "boom", "failure")],
                                   head_branch="feat")
    wr = webhooks.workflow_run_payload(sandbox, "octo/app", run.id)
    assert (wr["workflow_run"]["id"], wr["workflow_run"]["conclusion"]) == (run.id, "failure")
    assert [p["number"] for p in wr["workflow_run"]["pull_requests"]] == [pr.number]
    json.dumps(wr)  # serialisable as a delivery body
