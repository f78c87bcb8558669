"""Which App permission an endpoint needs, as GitHub enforces it for installation tokens.

Derived from the operation's `x-github` category in the REST description; reading needs `read`,
anything else `write`. An installation without it gets 403 "Resource not accessible by
integration", and the sandbox records a violation: the App's manifest (app.yml) does not grant
what the code calls.
"""

from __future__ import annotations

import functools

from . import openapi

# (category, subcategory or None for any) -> permission name
_BY_CATEGORY: dict[tuple[str, str | None], str] = {
    ("actions", None): "actions",
    ("branches", "branches"): "contents",
    ("branches", "branch-protection"): "administration",
    ("checks", None): "checks",
    ("collaborators", None): "metadata",
    ("deployments", None): "deployments",
    ("git", None): "contents",
    ("issues", None): "issues",
    ("pulls", None): "pull_requests",
    ("repos", "commits"): "contents",
    ("repos", "contents"): "contents",
    ("repos", "repos"): "metadata",
    ("repos", "rules"): "metadata",
}
_LEVELS = {"none": 0, "read": 1, "write": 2, "admin": 3}


@functools.cache
def required(method: str, template: str) -> tuple[str, str] | None:
    """(permission, level) the operation needs, or None when no App permission applies."""
    operation = openapi.spec_dict()["paths"].get(template, {}).get(method.lower())
    if not isinstance(operation, dict):
        return None
    meta = operation.get("x-github") or {}
    category, subcategory = meta.get("category"), meta.get("subcategory")
    if category == "reactions":  # reactions follow the thing reacted to
        permission = "pull_requests" if "/pulls/" in template else "issues"
    else:
        permission = _BY_CATEGORY.get((category, subcategory)) or _BY_CATEGORY.get(
            (category, None)
        )
    if permission is None:
        return None
    read_only = method.upper() in {"GET", "HEAD"} or permission == "metadata"
    return permission, "read" if read_only else "write"


def missing(granted: dict[str, str], method: str, path: str) -> str | None:
    """'checks: write' when `granted` lacks what `method path` needs, else None."""
    template = openapi.match_template(path)
    need = required(method, template) if template else None
    if need is None:
        return None
    permission, level = need
    if _LEVELS.get(granted.get(permission, "none"), 0) >= _LEVELS[level]:
        return None
    return f"{permission}: {level}"
