"""`hephaestus worker`: job workers only, on the same queue as `hephaestus serve` (scale-out)."""

from __future__ import annotations

from contextlib import AsyncExitStack

from ghbot.cli.serve import run, start_workers, until_signalled
from ghbot.registry import Registry
from ghbot.settings import SERVER_ONLY, Settings

DESCRIPTION = (
    "Run job workers without the HTTP server, sharing the job queue with `hephaestus serve`: the "
    "SQLite store under the data dir (same host), or a Redis given by --queue (any host). Run "
    "serve with --workers 0 to leave all the work to these."
)


async def _work(settings: Settings, registry: Registry) -> None:
    async with AsyncExitStack() as stack:
        await start_workers(settings, registry, stack)
        await until_signalled()


def main(argv: list[str]) -> int:
    return run(argv, "hephaestus worker", DESCRIPTION, ("app_id", "private_key"), _work,
               skip=SERVER_ONLY)  # fmt: skip
