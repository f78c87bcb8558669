"""The dashboard issue (`ghbot.services.dashboard`): its ticked boxes run, and it follows the
deployment history."""

from __future__ import annotations

from ghbot.context import Context
from ghbot.registry import on
from ghbot.services import dashboard


@on("issues", "edited")
async def dashboard_checkbox(ctx: Context) -> None:
    event = ctx.event
    issue = event.payload.get("issue") or {}
    author = (issue.get("user") or {}).get("login", "")
    if event.number is None or str(author).lower() != ctx.bot_login.lower():
        return
    previous = ((event.payload.get("changes") or {}).get("body") or {}).get("from")
    if isinstance(previous, str):
        await dashboard.tick(ctx, event.number, previous, event.sender_login or "someone")


@on("deployment", "created")
@on("deployment_status", "created")
async def dashboard_on_deployment(ctx: Context) -> None:
    """Runs after the deployment history handler (HANDLERS order): shows the new record."""
    await dashboard.refresh_now(ctx)
