"""`hephaestus serve --processes N`: N server processes sharing one port, under one supervisor.

One Python process handles requests on one core: its event loop is the limit long before the
store is. With N > 1 the `serve` process becomes a supervisor: it reserves the port, starts N
copies of itself that each listen on it with SO_REUSEPORT (the kernel spreads connections among
them), restarts one that dies, and forwards SIGTERM for a graceful stop. Each copy is a complete
server with its own workers on the shared store. Their Prometheus metrics are kept in files under
the data dir (prometheus_client's multiprocess mode), so /metrics on any of them reports them all.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

log = logging.getLogger("ghbot.processes")

# Set in the copies' environment: listen with SO_REUSEPORT, stop when the supervisor is gone.
SIBLING_ENV = "HEPHAESTUS_SERVE_SIBLING"
# prometheus_client reads it when it is imported, which is why the copies are fresh interpreters.
METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"

_RESTART_FIRST = 1.0  # seconds before restarting a copy that died; doubles while it keeps dying
_RESTART_MAX = 30.0
_STABLE_SECONDS = 60.0  # a copy that ran this long is healthy again: its next restart is quick


def is_sibling() -> bool:
    return os.environ.get(SIBLING_ENV) == "1"


def reserve_port(host: str, port: int) -> socket.socket:
    """A bound (not listening) SO_REUSEPORT socket: fixes port 0 to one port for every copy and
    keeps it ours while a copy restarts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


async def stop_when(stop: asyncio.Event, condition: Callable[[], bool], interval: float) -> None:
    """Set `stop` once `condition()` holds, checked every `interval` seconds until then."""
    while not stop.is_set():
        await asyncio.sleep(interval)
        if condition():
            stop.set()


async def watch_parent(stop: asyncio.Event, interval: float = 1.0) -> None:
    """In a copy: stop gracefully once the supervisor is gone (a kill -9 leaves no SIGTERM)."""
    parent = os.getppid()
    await stop_when(stop, lambda: os.getppid() != parent, interval)
    if os.getppid() != parent:
        log.warning("supervisor gone: shutting down")


class Supervisor:
    """Runs `count` copies of `hephaestus serve` on `port`; `run` returns when they have stopped."""

    def __init__(self, argv: Sequence[str], count: int, port: int, data_dir: Path,
                 grace: float) -> None:  # fmt: skip
        self.argv = [*argv, "--port", str(port), "--processes", "1"]
        self.count = count
        self.grace = grace
        self.metrics_dir = data_dir / "metrics"
        self._stopping = asyncio.Event()
        self._children: dict[int, asyncio.subprocess.Process] = {}

    def _fresh_metrics_dir(self) -> None:
        # Counters of an earlier run must not be added to this one's.
        shutil.rmtree(self.metrics_dir, ignore_errors=True)
        self.metrics_dir.mkdir(parents=True, exist_ok=True)

    async def _spawn(self, slot: int) -> asyncio.subprocess.Process:
        env = {**os.environ, SIBLING_ENV: "1", METRICS_DIR_ENV: str(self.metrics_dir)}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "ghbot", "serve", *self.argv, env=env
        )
        self._children[slot] = proc
        log.info("process started", extra={"fields": {"slot": slot, "pid": proc.pid}})
        return proc

    async def _keep(self, slot: int) -> None:
        """Keep one copy running until the supervisor stops; restart it with backoff if it dies."""
        delay = _RESTART_FIRST
        loop = asyncio.get_running_loop()
        while not self._stopping.is_set():
            started = loop.time()
            proc = await self._spawn(slot)
            code = await proc.wait()
            if self._stopping.is_set():
                return
            if loop.time() - started >= _STABLE_SECONDS:
                delay = _RESTART_FIRST
            log.error("process exited: restarting",
                      extra={"fields": {"slot": slot, "pid": proc.pid, "code": code,
                                        "restart_in": delay}})  # fmt: skip
            try:
                await asyncio.wait_for(self._stopping.wait(), delay)
            except TimeoutError:
                delay = min(delay * 2, _RESTART_MAX)

    async def run(self, stop: asyncio.Event) -> None:
        self._fresh_metrics_dir()
        keepers = [asyncio.create_task(self._keep(slot)) for slot in range(self.count)]
        await stop.wait()
        self._stopping.set()
        for proc in self._children.values():
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        # Each copy finishes its in-flight requests and jobs within its own grace period.
        _, late = await asyncio.wait(
            [asyncio.create_task(p.wait()) for p in self._children.values()],
            timeout=self.grace + 10,
        )
        for proc in self._children.values():
            if proc.returncode is None:
                log.error("process did not stop: killing", extra={"fields": {"pid": proc.pid}})
                proc.kill()
                await proc.wait()
        for task in late:
            task.cancel()
        await asyncio.gather(*keepers, return_exceptions=True)
