"""GitHub's example webhook payloads (@octokit/webhooks-examples), signing, and payloads that
point at sandbox state, so tests drive the bot with realistic deliveries."""

from __future__ import annotations

import copy
import functools
import hashlib
import hmac
import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .server import Sandbox
from .state import Deployment, Installation, ReviewComment

EXAMPLES_DIR = (
    Path(__file__).resolve().parent.parent / "npm/node_modules/@octokit/webhooks-examples"
    / "api.github.com"
)
Payload = dict[str, Any]


@dataclass(frozen=True)
class WebhookExample:
    event: str  # X-GitHub-Event, e.g. "pull_request"
    action: str | None
    payload: Payload


@dataclass(frozen=True)
class Delivery:
    """One webhook delivery as GitHub sends it: headers and the exact body bytes."""

    event: str
    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> Payload:
        return json.loads(self.body)


@functools.cache
def _load() -> tuple[WebhookExample, ...]:
    index = json.loads((EXAMPLES_DIR / "index.json").read_text())
    return tuple(
        WebhookExample(entry["name"], example.get("action"), example)
        for entry in index
        for example in entry["examples"]
    )


def examples(event: str | None = None, action: str | None = None) -> list[WebhookExample]:
    """Every example (copies, safe to modify), optionally for one event and action."""
    return [
        WebhookExample(e.event, e.action, copy.deepcopy(e.payload))
        for e in _load()
        if (event is None or e.event == event) and (action is None or e.action == action)
    ]


def example(event: str, action: str | None = None) -> Payload:
    found = examples(event, action)
    if not found:
        raise KeyError(f"no webhook example for {event}.{action}")
    return found[0].payload


def sign(body: bytes, secret: str) -> str:
    """The X-Hub-Signature-256 value GitHub computes."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery(event: str, payload: Payload, secret: str, delivery_id: str | None = None) -> Delivery:
    body = json.dumps(payload).encode()
    headers = {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
        "X-GitHub-Hook-ID": "123456",
        "X-GitHub-Hook-Installation-Target-Type": "integration",
        "X-GitHub-Hook-Installation-Target-ID": "424242",
        "X-Hub-Signature-256": sign(body, secret),
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/5f5e1d6",
        "Accept": "*/*",
    }
    return Delivery(event, headers, body)


def send(url: str, d: Delivery, timeout: float = 10.0) -> tuple[int, bytes]:
    """POST a delivery to a webhook endpoint; returns status and body (errors included)."""
    req = urllib.request.Request(url, data=d.body, headers=d.headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


# -- payloads pointing at sandbox state ----------------------------------------------------------


def _common(sandbox: Sandbox, repo_name: str, sender: str) -> Payload:
    with sandbox.state.lock:
        st = sandbox.state
        repo = st.repo(repo_name)
        inst: Installation = st.installation_for(repo.full_name)
        sh = sandbox.shapes
        return {
            "repository": sh.repo(repo),
            "sender": sh.user(sender),
            "installation": {"id": inst.id, "node_id": f"MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u"
                                                       f"{inst.id}"},
        }


def pull_request_payload(sandbox: Sandbox, repo: str, number: int, action: str = "opened",
                         sender: str | None = None) -> Payload:
    """A `pull_request` payload in the example's shape for a sandbox pull request."""
    payload = example("pull_request", action)
    with sandbox.state.lock:
        r = sandbox.state.repo(repo)
        pull = sandbox.shapes.pull(r, sandbox.state.pull(r, number))
    payload.update(_common(sandbox, repo, sender or pull["user"]["login"]))
    payload["number"] = number
    payload["pull_request"] = {**payload.get("pull_request", {}), **pull}
    if action == "synchronize":
        payload.setdefault("before", "0" * 40)
        payload["after"] = pull["head"]["sha"]
    return payload


def issue_comment_payload(sandbox: Sandbox, repo: str, number: int, body: str,
                          user: str = "octocat", action: str = "created") -> Payload:
    """Adds the comment to the sandbox (as `user`) and returns its `issue_comment` payload."""
    comment = sandbox.add_issue_comment(repo, number, body, user=user)
    payload = example("issue_comment", action)
    with sandbox.state.lock:
        r = sandbox.state.repo(repo)
        sh = sandbox.shapes
        issue = sh.issue(r, sandbox.state.issue(r, number))
        comment_json = sh.issue_comment(r, comment)
    payload.update(_common(sandbox, repo, user))
    payload["issue"] = {**payload["issue"], **issue}
    if "pull_request" not in issue:
        payload["issue"].pop("pull_request", None)
    payload["comment"] = {**payload["comment"], **comment_json}
    return payload


def review_comment_payload(sandbox: Sandbox, repo: str, number: int, body: str, path: str,
                           line: int, user: str = "octocat",
                           action: str = "created") -> Payload:
    """Adds a review comment on `path` line `line` of the PR's head (as `user`) and returns its
    `pull_request_review_comment` payload."""
    payload = example("pull_request_review_comment", action)
    with sandbox.state.lock:
        st = sandbox.state
        r = st.repo(repo)
        pull = st.pull(r, number)
        now = st.now()
        comment = ReviewComment(
            id=st.next_id(), pull_number=number, review_id=None, user=user, path=path,
            body=body, commit_id=st.pull_head(r, pull), line=line, side="RIGHT",
            start_line=None, start_side=None, position=line, diff_hunk="", in_reply_to_id=None,
            created_at=now, updated_at=now,
        )
        st.user(user)
        pull.review_comments.append(comment)
        sh = sandbox.shapes
        pull_json, comment_json = sh.pull(r, pull), sh.review_comment(r, comment)
    payload.update(_common(sandbox, repo, user))
    payload["pull_request"] = {**payload.get("pull_request", {}), **pull_json}
    payload["comment"] = {**payload["comment"], **comment_json}
    return payload


def workflow_run_payload(sandbox: Sandbox, repo: str, run_id: int,
                         action: str = "completed") -> Payload:
    """A `workflow_run` payload for a run added with `sandbox.add_workflow_run`."""
    payload = example("workflow_run", action)
    with sandbox.state.lock:
        r = sandbox.state.repo(repo)
        run = sandbox.shapes.workflow_run(r, sandbox.state.workflow_run(r, run_id))
    payload.update(_common(sandbox, repo, run["actor"]["login"]))
    payload["workflow_run"] = {**payload["workflow_run"], **run}
    payload["workflow"] = {**payload.get("workflow", {}), "id": run["workflow_id"],
                           "name": run["name"], "path": run["path"]}
    return payload


def check_suite_payload(sandbox: Sandbox, repo: str, check_suite_id: int, head_sha: str,
                        conclusion: str, app_slug: str | None, head_branch: str = "main",
                        action: str = "completed") -> Payload:
    """A `check_suite` payload for the check runs added with `sandbox.add_check_run` (another
    CI app, `app_slug`) or for a workflow run's suite (`app_slug="github-actions"`)."""
    payload = example("check_suite", action)
    with sandbox.state.lock:
        r = sandbox.state.repo(repo)
        suite = sandbox.shapes.check_suite(r, check_suite_id, head_sha, head_branch, conclusion,
                                           app_slug)
    payload.update(_common(sandbox, repo, "octocat"))
    payload["check_suite"] = {**payload["check_suite"], **suite}
    return payload


def issues_payload(sandbox: Sandbox, repo: str, number: int, action: str = "opened",
                   sender: str | None = None) -> Payload:
    """An `issues` payload for a sandbox issue (create or edit it first)."""
    payload = example("issues", action)
    with sandbox.state.lock:
        r = sandbox.state.repo(repo)
        issue = sandbox.state.issue(r, number)
        issue_json = sandbox.shapes.issue(r, issue)
    payload.update(_common(sandbox, repo, sender or issue.user))
    payload["issue"] = {**payload["issue"], **issue_json}
    payload["issue"].pop("pull_request", None)
    return payload


def deployment_status_payload(sandbox: Sandbox, repo: str, deployment: Deployment) -> Payload:
    """A `deployment_status` payload for the latest status of a sandbox deployment."""
    payload = example("deployment_status")
    with sandbox.state.lock:
        r = sandbox.state.repo(repo)
        payload["deployment"] = sandbox.shapes.deployment(r, deployment)
        payload["deployment_status"] = sandbox.shapes.deployment_status(
            r, deployment, deployment.statuses[-1]
        )
    payload.update(_common(sandbox, repo, deployment.creator))
    payload["action"] = "created"
    return payload
