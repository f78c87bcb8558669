"""An issue opened or edited with a traceback or CI log in its body: triaged, answered once and
labelled (`ghbot.services.issues`)."""

from __future__ import annotations

from ghbot.context import Context
from ghbot.registry import on
from ghbot.services import issues

MAX_BODY_CHARS = 1_000_000  # an issue body is at most 65,536 characters on GitHub


@on("issues", "opened", "edited")
async def triage_issue(ctx: Context) -> None:
    issue = ctx.event.payload.get("issue")
    if not isinstance(issue, dict) or ctx.event.number is None:
        ctx.log.warning("issues payload without an issue")
        return
    if issue.get("pull_request"):
        return
    if str((issue.get("user") or {}).get("login", "")).lower() == ctx.bot_login.lower():
        return  # the bot's own issues (the dashboard) hold failure excerpts by design
    labels = frozenset(
        str(x.get("name")) for x in issue.get("labels") or [] if isinstance(x, dict)
    )
    body = str(issue.get("body") or "")[:MAX_BODY_CHARS]
    await issues.triage_issue(ctx, ctx.event.number, body, labels)
