"""`hephaestus serve`: the webhook server with in-process workers on the job queue."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Coroutine
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from ghbot import logs, metrics
from ghbot.commands import audit
from ghbot.connections import CappedSite, InRequest, QuietErrors, connection_cap, raise_fd_limit
from ghbot.dispatch import Dispatcher
from ghbot.github.app import GitHubApp
from ghbot.github.client import ApiCall
from ghbot.github.throttle import SharedSlot
from ghbot.jobs.backends import open_queue
from ghbot.jobs.queue import JobQueue, QueueUnavailable
from ghbot.jobs.redis_audit import RedisAuditLog
from ghbot.jobs.redis_throttle import RedisWriteWindow
from ghbot.jobs.workers import PoolConfig, WorkerPool
from ghbot.processes import Supervisor, is_sibling, reserve_port, stop_when, watch_parent
from ghbot.registry import Registry, RegistryError, default_registry
from ghbot.server import IngestLimits, IngestRunner, ServerState, create_app
from ghbot.settings import Settings, SettingsError, parse
from ghbot.setup import credentials
from ghbot.setup.flow import SetupFlow, install_setup, pending

log = logging.getLogger("ghbot.cli")
# How often serve checks that its listening socket is still open (connections.py says why).
LISTENER_CHECK_SECONDS = 2.0

DESCRIPTION = (
    "Run the GitHub App: POST /webhook verifies, stores and acknowledges deliveries; workers in "
    "this process run the handlers. GET /healthz, /readyz and /metrics for operators. "
    "Refuses to start without a webhook secret, an App id and a private key, unless given "
    "--public-url: then GET / is a setup page that creates the App on GitHub."
)


class StartupError(Exception):
    """The process cannot start as configured (data dir, port): one sentence for the operator."""


def load(
    argv: list[str],
    prog: str,
    description: str,
    required: tuple[str, ...],
    setup: bool = False,
    skip: frozenset[str] = frozenset(),
) -> Settings:
    """Settings for a verb (no flags for those in `skip`), failing closed; exits 2 with a clear
    message on a usage error. The App's credentials stored by the setup page fill what the
    environment leaves unset."""
    settings = parse(argv, os.environ, prog, description, skip)
    settings = credentials.merge(settings, credentials.load(settings.data_dir))
    if not (setup and pending(settings)):
        settings.require(*required)
    for secret in (settings.webhook_secret, settings.private_key):
        if secret is not None:
            logs.register_secret(secret.get_secret_value())
    return settings


def _record_call(call: ApiCall) -> None:
    metrics.github_call(call.status, call.ratelimit_remaining)


def dispatcher_for(settings: Settings, registry: Registry, app: GitHubApp) -> Dispatcher:
    """Runs the handlers as the App, as the workers and `hephaestus receive` do."""
    marker = settings.marker_key.get_secret_value() if settings.marker_key else None
    return Dispatcher(registry, app.client_for, app_slug=settings.app_slug,
                      timeout=settings.job_timeout,
                      marker_secret=marker or settings.private_key_pem())  # fmt: skip


async def open_store(settings: Settings, stack: AsyncExitStack) -> JobQueue:
    """The job queue `settings` name, closed by `stack`; StartupError when it cannot be."""
    _check_writable(settings.data_dir)
    try:
        queue = await open_queue(settings.queue, synchronous=settings.sqlite_synchronous)
    except QueueUnavailable as exc:
        raise StartupError(str(exc)) from None
    stack.push_async_callback(queue.close)
    return queue


def _shared_writes(
    queue: JobQueue, settings: Settings, stack: AsyncExitStack
) -> Callable[[int], SharedSlot] | None:
    """On a Redis queue, every process spends one write budget per installation."""
    if queue.backend != "redis":
        return None
    window = RedisWriteWindow(settings.queue)
    stack.push_async_callback(window.close)
    return window.slot_for


async def start_workers(
    settings: Settings, registry: Registry, stack: AsyncExitStack
) -> tuple[JobQueue, WorkerPool]:
    """The store, the App's client factory and the worker pool, closed by `stack` in order."""
    queue = await open_store(settings, stack)
    # The audit trail lives with the queue: one trail for every host on a shared Redis.
    if queue.backend == "redis":
        trail = RedisAuditLog(settings.queue)
        stack.callback(trail.close)
        audit.use(trail)
    else:
        audit.configure(settings.data_dir)
    app = GitHubApp.from_settings(settings, on_response=_record_call,
                                  shared_writes=_shared_writes(queue, settings, stack))
    stack.push_async_callback(app.close)
    dispatcher = dispatcher_for(settings, registry, app)
    pool = WorkerPool(
        queue,
        dispatcher.run_job,
        PoolConfig(
            concurrency=settings.workers,
            lease=settings.lease_seconds,
            max_attempts=settings.max_attempts,
            retry_base=settings.retry_base,
            retry_max=settings.retry_max,
            crash_records=settings.data_dir / "crashes",
        ),
        on_dead=dispatcher.report_failure,
    )
    if settings.workers:
        await pool.start()
        stack.push_async_callback(pool.stop, settings.shutdown_grace)
    return queue, pool


def _check_writable(data_dir: Path) -> None:
    """Fail at start, in one sentence, rather than at the first write."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StartupError(f"the data directory {data_dir} is not writable: {reason}") from None


async def signalled() -> asyncio.Event:
    """An event SIGTERM or SIGINT sets."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def until_signalled(listening: Callable[[], bool] | None = None) -> None:
    """Until SIGTERM or SIGINT; raises ListenerLost if `listening` turns false first."""
    stop = await signalled()
    watchers = [asyncio.create_task(watch_parent(stop))] if is_sibling() else []
    if listening is not None:
        # Exit rather than live on deaf (connections.CappedSite.listening says why).
        deaf = stop_when(stop, lambda: not listening(), LISTENER_CHECK_SECONDS)
        watchers.append(asyncio.create_task(deaf))
    await stop.wait()
    for watcher in watchers:
        watcher.cancel()
    if listening is not None and not listening():
        raise ListenerLost("the listening socket was closed by the event loop: exiting")
    log.info("signal received: shutting down")


class ListenerLost(OSError):
    """The server cannot take connections any more (see connections.CappedSite.listening)."""


async def _serve(settings: Settings, registry: Registry) -> None:
    # Accept errors (descriptors exhausted) repeat every second while they last: log them rarely.
    asyncio.get_running_loop().set_exception_handler(QuietErrors())
    cap = connection_cap(settings.max_connections, raise_fd_limit())
    async with AsyncExitStack() as stack:
        queue, pool = await _start_or_wait(settings, registry, stack)
        state = ServerState(
            secret=settings.webhook_secret,
            queue=queue,
            registry=registry,
            app_slug=settings.app_slug,
            pool=pool if settings.workers else None,
            limits=IngestLimits(
                body_budget=settings.body_budget * 1024 * 1024,
                body_timeout=settings.body_timeout,
            ),
        )
        app = create_app(state)
        if settings.public_url:
            install_setup(app, _setup_flow(settings, registry, state, stack))
        in_request = InRequest()
        app.middlewares.append(in_request.middleware)
        # aiohttp's keep-alive timeout also closes a connection that has not sent a whole
        # request by then: it is the header timeout.
        runner = IngestRunner(app, in_request=in_request, access_log=None,
                              handle_signals=False,
                              keepalive_timeout=settings.header_timeout)  # fmt: skip
        await runner.setup()
        # Cleanup first stops accepting, then lets requests in flight finish; workers stop after.
        stack.push_async_callback(runner.cleanup)
        # A copy under `--processes N` shares the supervisor's port with its siblings.
        site = CappedSite(runner, settings.host, settings.port, cap=cap, in_request=in_request,
                          reuse_port=is_sibling() or None)  # fmt: skip
        try:
            await site.start()
        except OSError as exc:
            raise _cannot_listen(settings, exc) from None
        log.info(
            "listening",
            extra={"fields": {"host": settings.host, "port": site.port, "max_connections": cap,
                              "workers": settings.workers, "events": sorted(registry.events()),
                              "event_loop": _loop_name()}},
        )
        await until_signalled(site.listening)


def _cannot_listen(settings: Settings, exc: OSError) -> StartupError:
    reason = exc.strerror or str(exc)
    return StartupError(f"cannot listen on {settings.host}:{settings.port}: {reason}")


async def _start_or_wait(
    settings: Settings, registry: Registry, stack: AsyncExitStack
) -> tuple[JobQueue, WorkerPool | None]:
    """The workers; before setup only the store, and deliveries are refused (no secret yet)."""
    if not pending(settings):
        return await start_workers(settings, registry, stack)
    return await open_store(settings, stack), None


def _setup_flow(
    settings: Settings, registry: Registry, state: ServerState, stack: AsyncExitStack
) -> SetupFlow:
    async def go_live(created: credentials.StoredApp) -> None:
        live = credentials.merge(settings, created)
        state.queue, pool = await start_workers(live, registry, stack)
        state.pool = pool if live.workers else None
        state.app_slug = live.app_slug
        state.secret = live.webhook_secret  # last: deliveries are accepted from here on

    assert settings.public_url is not None
    stored = credentials.load(settings.data_dir)
    flow = SetupFlow(settings.public_url, settings.github_api_url, settings.data_dir, go_live,
                     app=stored, configured_id=settings.app_id)  # fmt: skip
    if pending(settings):
        log.warning("the App is not set up yet: open the setup page",
                    extra={"fields": {"url": flow.setup_link}})  # fmt: skip
    return flow


def event_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed (a delivery costs the server less CPU on it:
    libuv's transports and callbacks), else asyncio's own (None)."""
    try:
        import uvloop
    except ImportError:  # no wheel for this platform (Windows)
        return None
    return uvloop.new_event_loop


def _loop_name() -> str:
    """"uvloop" or "asyncio": which loop `event_loop` gave this process."""
    return type(asyncio.get_running_loop()).__module__.partition(".")[0]


def run(
    argv: list[str],
    prog: str,
    description: str,
    required: tuple[str, ...],
    body: Callable[[Settings, Registry], Coroutine[Any, Any, None]],
    setup: bool = False,
    skip: frozenset[str] = frozenset(),
) -> int:
    try:
        settings = load(argv, prog, description, required, setup, skip)
        registry = default_registry(settings.handlers)
    except (SettingsError, RegistryError) as exc:
        sys.stderr.write(f"{prog}: {exc}\n")
        return 2
    logs.configure(settings.log_level)
    try:
        with asyncio.Runner(loop_factory=event_loop()) as runner:
            runner.run(body(settings, registry))
    except StartupError as exc:  # the port is taken, the data dir is read-only, ...
        sys.stderr.write(f"{prog}: {exc}\n")
        return 2
    except OSError as exc:
        log.error("cannot run: %s", exc)
        return 3
    return 0


async def _supervise(settings: Settings, argv: list[str]) -> None:
    _check_writable(settings.data_dir)
    try:
        reserved = reserve_port(settings.host, settings.port)
    except OSError as exc:
        raise _cannot_listen(settings, exc) from None
    with reserved:
        port = reserved.getsockname()[1]
        log.info("supervising", extra={"fields": {"processes": settings.processes, "port": port}})
        supervisor = Supervisor(argv, settings.processes, port, settings.data_dir,
                                settings.shutdown_grace)  # fmt: skip
        await supervisor.run(await signalled())


def main(argv: list[str], prog: str = "hephaestus serve") -> int:
    async def body(settings: Settings, registry: Registry) -> None:
        if settings.processes > 1 and not is_sibling() and not pending(settings):
            await _supervise(settings, argv)
        else:
            await _serve(settings, registry)

    return run(argv, prog, DESCRIPTION, ("webhook_secret", "app_id", "private_key"), body,
               setup=True)  # fmt: skip
