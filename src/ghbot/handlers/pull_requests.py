"""A pull request opened or updated: ONE check run and ONE review at its head
(`ghbot.services.reviews`)."""

from __future__ import annotations

from ghbot.context import Context
from ghbot.github.models import PullRequest
from ghbot.registry import on
from ghbot.services import reviews


@on("pull_request", "opened", "synchronize", "reopened", "ready_for_review")
async def analyse_pull_request(ctx: Context) -> None:
    event = ctx.event
    payload = event.payload.get("pull_request") or {}
    if event.repo is None or event.number is None or not payload.get("head"):
        ctx.log.warning("pull_request payload without repository, number or head")
        return
    pull = PullRequest.from_api(payload)
    if pull.state == "open":
        await reviews.review_pull(ctx, event.number, pull=pull, skip_drafts=True)
