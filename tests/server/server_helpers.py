"""Signing and payload helpers for the webhook server tests."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from pathlib import Path
from typing import Any

SECRET = "It's a Secret to Everybody"
EXAMPLES = (
    Path(__file__).parents[1]
    / "npm/node_modules/@octokit/webhooks-examples/api.github.com/index.json"
)


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery_headers(event: str, body: bytes, **overrides: str) -> dict[str, str]:
    headers = {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(body),
        "Content-Type": "application/json",
    }
    headers.update(overrides)
    return {k: v for k, v in headers.items() if v != ""}


def pr_payload(action: str = "opened", number: int = 7, **extra: Any) -> dict[str, Any]:
    return {
        "action": action,
        "number": number,
        "pull_request": {"number": number, "head": {"sha": "a" * 40}},
        "repository": {"full_name": "octo/repo"},
        "installation": {"id": 42},
        "sender": {"login": "mona", "type": "User"},
        **extra,
    }
