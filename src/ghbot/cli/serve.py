"""`hephaestus serve`: the webhook server with in-process workers on the SQLite store."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack

from aiohttp import web

from ghbot import logs, metrics
from ghbot.commands import audit
from ghbot.dispatch import Dispatcher
from ghbot.github.app import GitHubApp
from ghbot.github.client import ApiCall
from ghbot.jobs.sqlite import SqliteQueue
from ghbot.jobs.workers import PoolConfig, WorkerPool
from ghbot.processes import Supervisor, is_sibling, reserve_port, watch_parent
from ghbot.registry import Registry, RegistryError, default_registry
from ghbot.server import ServerState, create_app
from ghbot.settings import Settings, SettingsError, parse

log = logging.getLogger("ghbot.cli")

DESCRIPTION = (
    "Run the GitHub App: POST /webhook verifies, stores and acknowledges deliveries; workers in "
    "this process run the handlers. GET /healthz, /readyz and /metrics for operators. "
    "Refuses to start without a webhook secret, an App id and a private key."
)


def load(argv: list[str], prog: str, description: str, required: tuple[str, ...]) -> Settings:
    """Settings for a verb, failing closed; exits 2 with a clear message on a usage error."""
    settings = parse(argv, os.environ, prog, description)
    settings.require(*required)
    for secret in (settings.webhook_secret, settings.private_key):
        if secret is not None:
            logs.register_secret(secret.get_secret_value())
    return settings


def _record_call(call: ApiCall) -> None:
    metrics.github_call(call.status, call.ratelimit_remaining)


async def start_workers(
    settings: Settings, registry: Registry, stack: AsyncExitStack
) -> tuple[SqliteQueue, WorkerPool]:
    """The store, the App's client factory and the worker pool, closed by `stack` in order."""
    audit.configure(settings.data_dir)  # command audit records beside the job store
    queue = await SqliteQueue.open(
        settings.store_path, synchronous=settings.sqlite_synchronous
    )
    stack.push_async_callback(queue.close)
    app = GitHubApp.from_settings(settings, on_response=_record_call)
    stack.push_async_callback(app.close)
    dispatcher = Dispatcher(
        registry, app.client_for, app_slug=settings.app_slug, timeout=settings.job_timeout
    )
    pool = WorkerPool(
        queue,
        dispatcher.run_job,
        PoolConfig(
            concurrency=settings.workers,
            lease=settings.lease_seconds,
            max_attempts=settings.max_attempts,
            retry_base=settings.retry_base,
            retry_max=settings.retry_max,
        ),
        on_dead=dispatcher.report_failure,
    )
    if settings.workers:
        await pool.start()
        stack.push_async_callback(pool.stop, settings.shutdown_grace)
    return queue, pool


async def signalled() -> asyncio.Event:
    """An event SIGTERM or SIGINT sets."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def until_signalled() -> None:
    stop = await signalled()
    watcher = asyncio.create_task(watch_parent(stop)) if is_sibling() else None
    await stop.wait()
    if watcher is not None:
        watcher.cancel()
    log.info("signal received: shutting down")


async def _serve(settings: Settings, registry: Registry) -> None:
    async with AsyncExitStack() as stack:
        queue, pool = await start_workers(settings, registry, stack)
        assert settings.webhook_secret is not None  # settings.require checked it
        state = ServerState(
            secret=settings.webhook_secret,
            queue=queue,
            registry=registry,
            app_slug=settings.app_slug,
            pool=pool if settings.workers else None,
        )
        runner = web.AppRunner(create_app(state), access_log=None, handle_signals=False)
        await runner.setup()
        # Cleanup first stops accepting, then lets requests in flight finish; workers stop after.
        stack.push_async_callback(runner.cleanup)
        # A copy under `--processes N` shares the supervisor's port with its siblings.
        site = web.TCPSite(runner, settings.host, settings.port, reuse_port=is_sibling() or None)
        await site.start()
        bound = [sock.getsockname() for sock in (site._server.sockets if site._server else [])]
        port = bound[0][1] if bound else settings.port
        log.info(
            "listening",
            extra={"fields": {"host": settings.host, "port": port, "workers": settings.workers,
                              "events": sorted(registry.events())}},
        )
        await until_signalled()


def run(
    argv: list[str],
    prog: str,
    description: str,
    required: tuple[str, ...],
    body: Callable[[Settings, Registry], Awaitable[None]],
) -> int:
    try:
        settings = load(argv, prog, description, required)
        registry = default_registry(settings.handlers)
    except (SettingsError, RegistryError) as exc:
        sys.stderr.write(f"{prog}: {exc}\n")
        return 2
    logs.configure(settings.log_level)
    try:
        asyncio.run(body(settings, registry))
    except OSError as exc:  # e.g. the port is taken
        log.error("cannot run: %s", exc)
        return 3
    return 0


async def _supervise(settings: Settings, argv: list[str]) -> None:
    with reserve_port(settings.host, settings.port) as reserved:
        port = reserved.getsockname()[1]
        log.info("supervising", extra={"fields": {"processes": settings.processes, "port": port}})
        supervisor = Supervisor(argv, settings.processes, port, settings.data_dir,
                                settings.shutdown_grace)  # fmt: skip
        await supervisor.run(await signalled())


def main(argv: list[str]) -> int:
    async def body(settings: Settings, registry: Registry) -> None:
        if settings.processes > 1 and not is_sibling():
            await _supervise(settings, argv)
        else:
            await _serve(settings, registry)

    return run(argv, "hephaestus serve", DESCRIPTION, ("webhook_secret", "app_id", "private_key"),
               body)  # fmt: skip
