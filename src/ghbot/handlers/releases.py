"""A published release becomes a row of `knowledge.release_environment`'s deployment history
(`ghbot.services.deployments`)."""

from __future__ import annotations

from ghbot.context import Context
from ghbot.registry import on
from ghbot.services import deployments


@on("release", "published")
async def record_release(ctx: Context) -> None:
    release = deployments.release_from_event(ctx.event.payload)
    if release is not None:
        await deployments.record_release(ctx, release)
