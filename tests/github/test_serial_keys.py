"""The serial keys of a delivery's job name everything its handlers write."""

from __future__ import annotations

import json
from pathlib import Path

from ghbot.github.events import Event
from ghbot.github.serial import serial_keys
from ghbot.routing_fields import read_event

REPO = {"full_name": "o/r"}
EXAMPLES = (
    Path(__file__).parents[1]
    / "npm/node_modules/@octokit/webhooks-examples/api.github.com/index.json"
)


def keys(name: str, **payload: object) -> tuple[str, ...]:
    return serial_keys(Event.from_payload(name, "d", {"repository": REPO, **payload}))


def test_a_pull_request_holds_its_number_and_its_head_sha():
    pr = {"number": 7, "head": {"sha": "abc"}}
    assert keys("pull_request", action="synchronize", pull_request=pr) == ("o/r#7", "o/r@abc")
    # Closing may offer a runbook: the records too.
    assert "o/r:records" in keys("pull_request", action="closed", pull_request=pr)


def test_failure_reports_hold_their_branch_and_the_records():
    run = {"head_sha": "abc", "head_branch": "main", "workflow_id": 3, "pull_requests": []}
    assert keys("workflow_run", action="completed", workflow_run=run) == (
        "o/r:failures:main", "o/r:records",
    )
    suite = {"head_sha": "abc", "head_branch": "main", "pull_requests": [{"number": 2}]}
    assert keys("check_suite", action="completed", check_suite=suite) == (
        "o/r#2", "o/r:failures:main", "o/r:records", "o/r@abc",
    )
    # Re-running checks writes the check run, not reports.
    assert keys("check_suite", action="rerequested", check_suite=suite) == ("o/r#2", "o/r@abc")
    deployment = {"sha": "abc", "ref": "release"}
    failed = {"state": "failure"}
    assert keys("deployment_status", action="created", deployment=deployment,
                deployment_status=failed) == ("o/r:failures:release", "o/r:records")  # fmt: skip


def test_deployments_hold_no_key_so_a_burst_coalesces():
    deployment = {"sha": "abc", "ref": "release"}
    success = {"state": "success"}
    assert keys("deployment_status", action="created", deployment=deployment,
                deployment_status=success) == ()  # fmt: skip
    assert keys("deployment", action="created", deployment=deployment) == ()


def test_a_push_holds_the_records_and_the_fix_pr():
    assert keys("push", after="abc", ref="refs/heads/main") == ("o/r:fix-pr", "o/r:records")


def test_only_a_comment_with_a_command_holds_the_records():
    issue = {"number": 4}
    plain = keys("issue_comment", action="created", issue=issue, comment={"body": "lgtm"})
    assert plain == ("o/r#4",)
    command = {"body": "thanks\n  /HEPHAESTUS rollback prod"}
    assert keys("issue_comment", action="created", issue=issue, comment=command) == (
        "o/r#4", "o/r:fix-pr", "o/r:records",
    )


def test_no_key_carries_a_newline_or_runs_unbounded():
    run = {"head_branch": "a\nb" + "x" * 10_000}
    (failures, _records) = keys("workflow_run", action="completed", workflow_run=run)
    assert "\n" not in failures and len(failures) < 400


def test_an_event_without_a_repository_has_no_keys():
    assert serial_keys(Event.from_payload("push", "d", {"after": "abc"})) == ()


def test_the_fast_routing_read_gives_the_keys_of_a_full_parse():
    seen: set[str] = set()
    for group in json.loads(EXAMPLES.read_text()):
        for payload in group["examples"]:
            body = json.dumps(payload).encode()
            fast = serial_keys(read_event(group["name"], "d", body))
            assert fast == serial_keys(Event.from_payload(group["name"], "d", payload))
            seen.update(key.split(":", 1)[-1].split(":")[0] for key in fast if ":" in key)
    assert {"records", "failures", "fix-pr"} <= seen
