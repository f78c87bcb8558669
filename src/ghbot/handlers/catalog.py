"""The failure catalog (`ghbot.services.catalog`): a passing run marks failures flaky, a push
adding runbooks links failures to them. Failure reports record their failures themselves."""

from __future__ import annotations

from collections.abc import Mapping

from ghbot.context import Context
from ghbot.registry import on
from ghbot.services import catalog

MAX_PUSH_COMMITS = 100  # GitHub lists at most 20 commits in a push payload; bounded anyway
MAX_PUSH_PATHS = 1000


@on("workflow_run", "completed")
async def mark_flaky(ctx: Context) -> None:
    run = ctx.event.payload.get("workflow_run") or {}
    info = catalog.run_info(ctx.event.payload)
    if info is not None and run.get("conclusion") == "success":
        await catalog.mark_passed(ctx, info)


@on("push")
async def link_runbooks(ctx: Context) -> None:
    """A push to the default branch: the paths it added or changed may be runbooks."""
    payload = ctx.event.payload
    default_branch = str((payload.get("repository") or {}).get("default_branch") or "")
    if not default_branch or payload.get("ref") != f"refs/heads/{default_branch}":
        return
    commits = payload.get("commits")
    touched = {
        str(path) for c in (commits if isinstance(commits, list) else [])[:MAX_PUSH_COMMITS]
        if isinstance(c, Mapping) for key in ("added", "modified")
        for path in _paths(c.get(key))[:MAX_PUSH_PATHS]
    }  # fmt: skip
    await catalog.link_runbooks(ctx, touched)


def _paths(value: object) -> list[object]:
    return value if isinstance(value, list) else []
