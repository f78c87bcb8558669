"""Fix delivery (`ghbot.services.fixes`): a fix commit on a pull request's branch, the default
branch's fix PR, and the check run's buttons."""

from __future__ import annotations

from ghbot.context import Context
from ghbot.registry import on
from ghbot.services import fixes


@on("pull_request", "opened", "synchronize", "reopened")
async def fix_pull_request(ctx: Context) -> None:
    event = ctx.event
    if event.number is not None and event.head_sha is not None:
        await fixes.fix_opened_pull(ctx, event.number, event.head_sha, event.sender_login or "")


@on("push")
async def fix_push(ctx: Context) -> None:
    payload = ctx.event.payload
    paths = [
        p for commit in payload.get("commits") or () if isinstance(commit, dict)
        for key in ("added", "modified") for p in commit.get(key) or () if isinstance(p, str)
    ]  # fmt: skip
    push = fixes.Push(
        ref=str(payload.get("ref") or ""),
        before=str(payload.get("before") or ""),
        after=str(payload.get("after") or ""),
        forced=bool(payload.get("forced")),
        deleted=bool(payload.get("deleted")),
        pusher=str((payload.get("pusher") or {}).get("name") or ""),
        paths=tuple(paths),
    )
    await fixes.fix_push(ctx, push)


@on("check_run", "requested_action", "rerequested")
async def check_run_buttons(ctx: Context) -> None:
    payload = ctx.event.payload
    run = payload.get("check_run") or {}
    await fixes.press_button(
        ctx,
        check_name=str(run.get("name") or ""),
        head_sha=str(run.get("head_sha") or ""),
        rerun=ctx.event.action == "rerequested",
        identifier=str((payload.get("requested_action") or {}).get("identifier") or ""),
        sender=ctx.event.sender_login or "",
    )


@on("check_suite", "rerequested")
async def rerun_check_suite(ctx: Context) -> None:
    suite = ctx.event.payload.get("check_suite")
    if not isinstance(suite, dict):
        ctx.log.warning("check_suite payload without a check_suite object")
        return
    slug = str((suite.get("app") or {}).get("slug") or "")
    if slug and f"{slug}[bot]".lower() != ctx.bot_login.lower():
        return  # another app's suite: its own app re-runs it
    listed = [p.get("number") for p in suite.get("pull_requests") or () if isinstance(p, dict)]
    numbers = sorted({n for n in listed if isinstance(n, int) and not isinstance(n, bool)})
    await fixes.rerun_suite(ctx, numbers, str(suite.get("head_sha") or ""))
