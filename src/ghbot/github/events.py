"""`Event`: a typed view of one webhook delivery (or of the event an Actions run received).

Built from hostile input: every field is read defensively, so a payload of the wrong shape gives
`None` for what it lacks instead of an exception. Only a payload that is not a JSON object is
rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class EventError(ValueError):
    """The delivery cannot be read as an event (the payload is not a JSON object)."""


@dataclass(frozen=True)
class Event:
    name: str
    delivery_id: str
    payload: Mapping[str, Any] = field(repr=False)
    action: str | None = None
    installation_id: int | None = None
    repo: str | None = None  # "owner/name"
    sender_login: str | None = None
    sender_type: str | None = None  # "User", "Bot", "Organization"
    number: int | None = None  # the PR or issue number the event is about
    head_sha: str | None = None

    @classmethod
    def from_payload(cls, name: str, delivery_id: str, payload: Any) -> Event:
        if not isinstance(payload, Mapping):
            raise EventError("the payload is not a JSON object")
        sender = _obj(payload, "sender")
        return cls(
            name=name,
            delivery_id=delivery_id,
            payload=payload,
            action=_str(payload, "action"),
            installation_id=_int(_obj(payload, "installation"), "id"),
            repo=_str(_obj(payload, "repository"), "full_name"),
            sender_login=_str(sender, "login"),
            sender_type=_str(sender, "type"),
            number=_number(name, payload),
            head_sha=_head_sha(name, payload),
        )

    def is_from_bot(self, app_slug: str) -> bool:
        """True when the App's own bot account sent this event (the bot must not react to it)."""
        return self.sender_type == "Bot" and self.sender_login == f"{app_slug}[bot]"


def _obj(data: Mapping[str, Any] | None, key: str) -> Mapping[str, Any] | None:
    value = data.get(key) if data is not None else None
    # A parsed payload's objects are dicts, and a missing one is None: both spare Mapping's
    # ABC check (on every delivery).
    if type(value) is dict or value is None:
        return value
    return value if isinstance(value, Mapping) else None


def _str(data: Mapping[str, Any] | None, key: str) -> str | None:
    value = data.get(key) if data is not None else None
    return value if isinstance(value, str) else None


def _int(data: Mapping[str, Any] | None, key: str) -> int | None:
    value = data.get(key) if data is not None else None
    # bool is an int in Python; a JSON true is no id.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _first_pr(payload: Mapping[str, Any], holder: str) -> Mapping[str, Any] | None:
    prs = (_obj(payload, holder) or {}).get("pull_requests")
    if isinstance(prs, list) and prs and isinstance(prs[0], Mapping):
        return prs[0]
    return None


def _number(name: str, payload: Mapping[str, Any]) -> int | None:
    for key in ("pull_request", "issue"):
        number = _int(_obj(payload, key), "number")
        if number is not None:
            return number
    if name in {"check_run", "check_suite", "workflow_run"}:
        return _int(_first_pr(payload, name), "number")
    return _int(payload, "number")


def _head_sha(name: str, payload: Mapping[str, Any]) -> str | None:
    pr_head = _str(_obj(_obj(payload, "pull_request"), "head"), "sha")
    if pr_head is not None:
        return pr_head
    if name in {"check_run", "check_suite", "workflow_run"}:
        return _str(_obj(payload, name), "head_sha")
    if name == "push":
        return _str(payload, "after")
    if name == "deployment_status":
        return _str(_obj(payload, "deployment"), "sha")
    return None
