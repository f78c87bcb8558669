"""The listening side of the server: a connection cap, quiet accept errors, enough descriptors.

aiohttp bounds what one request may send but not how many connections may be open: a crowd of
slow clients would hold every file descriptor, then each `accept()` fails and asyncio logs the
failure (with a traceback) every time it retries. Here:
- the process's descriptor limit is raised to its hard limit, so the cap, not the kernel, decides;
- at `max_connections` open connections, a new one takes the place of the oldest connection that
  is not in a request (idle, or still sending its headers): a crowd of slow clients cannot keep
  a delivery out, and a request being handled is never cut. When every connection is in a
  request, the new one is answered 503 (Retry-After) and closed at once;
- the event loop's exception handler logs each kind of error at most once per interval, with the
  count of the ones it held back;
- `CappedSite.listening()` tells whether the listening socket is still open: uvloop closes it,
  without a word, after an accept error libuv cannot retry (a network error Linux reports on a
  pending connection, a descriptor shortage its reserve cannot cover), where asyncio's loop logs
  and goes on. `serve` checks it and exits (code 3) for a supervisor to restart it, rather than
  live on deaf.
The header timeout is aiohttp's keep-alive timeout: a connection that has not sent a whole
request within it (after connecting, or after its last response) is closed.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

from aiohttp import web

from ghbot import metrics

log = logging.getLogger("ghbot.connections")

# Connections accepted per pass of the event loop, at most (the listen backlog).
BACKLOG = 128
# Descriptors kept for everything but client connections (store, journal, GitHub, logs), plus
# a backlog's worth: an evicted connection's descriptor is closed one loop pass later.
RESERVED_FDS = 64 + BACKLOG
# Repeated loop errors (accept failures, mostly): one line per kind per this many seconds.
LOG_INTERVAL = 10.0

_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 55\r\nConnection: close\r\n\r\n"
    b'{"outcome":"busy","detail":"too many open connections"}'
)


def raise_fd_limit() -> int:
    """Raise the soft RLIMIT_NOFILE to the hard one; the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass  # keep the soft limit; the cap below is fitted to it
    return soft


def connection_cap(wanted: int, fd_limit: int) -> int:
    """`wanted`, or fewer if the descriptors would run out first."""
    return max(1, min(wanted, fd_limit - RESERVED_FDS))


class _Refuse(asyncio.Protocol):
    """Answers one connection over the cap with 503 and closes it, reading nothing."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A stream transport; uvloop's do not subclass asyncio.Transport, so no isinstance.
        stream = cast(asyncio.WriteTransport, transport)
        stream.write(_BUSY)
        stream.close()


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class InRequest:
    """The connections whose request is being handled (an aiohttp middleware keeps the set)."""

    def __init__(self) -> None:
        self.protocols: set[Any] = set()  # each one leaves when its request ends

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        protocol = request.protocol
        self.protocols.add(protocol)
        try:
            return await handler(request)
        finally:
            self.protocols.discard(protocol)


class CappedSite(web.TCPSite):
    """A TCPSite that keeps at most `cap` connections (see the module's docstring). Add
    `in_request.middleware` to the application before the runner is set up."""

    def __init__(self, runner: web.AppRunner, host: str, port: int, *, cap: int,
                 in_request: InRequest, reuse_port: bool | None = None) -> None:  # fmt: skip
        super().__init__(runner, host, port, reuse_port=reuse_port, backlog=BACKLOG)
        self.cap = cap
        self.in_request = in_request

    async def start(self) -> None:
        await web.BaseSite.start(self)  # registers the site with its runner
        server = self._runner.server
        assert server is not None
        cap, busy = self.cap, self.in_request.protocols

        def factory() -> asyncio.Protocol:
            if len(server.connections) >= cap:
                # Oldest first; one already closing still holds its descriptor but is no victim.
                victim = next((c for c in server.connections if c not in busy
                               and c.transport is not None and not c.transport.is_closing()),
                              None)  # fmt: skip
                if victim is None:
                    metrics.delivery(None, "busy")
                    return _Refuse()
                metrics.delivery(None, "evicted")
                victim.force_close()
            return server()

        self._server = await asyncio.get_running_loop().create_server(
            factory, self._host, self._port, backlog=self._backlog, reuse_port=self._reuse_port
        )
        sockets = self._server.sockets
        self._bound_port = sockets[0].getsockname()[1] if sockets else self._port

    def listening(self) -> bool:
        """Whether every socket of the site is still a listening socket on its port. A closed
        descriptor fails to duplicate; one reused since is not listening, or not on our port."""
        # uvloop's Server is no asyncio.Server, but has the same `sockets`.
        sockets: tuple[socket.socket, ...] = tuple(getattr(self._server, "sockets", None) or ())
        if not sockets:
            return False
        for sock in sockets:
            try:
                with socket.fromfd(sock.fileno(), sock.family, sock.type) as probe:
                    if not probe.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                        return False
                    if probe.getsockname()[1] != self._bound_port:
                        return False
            except OSError:
                return False
        return True


class QuietErrors:
    """An event loop exception handler that logs each kind of error at most once per interval."""

    def __init__(self, interval: float = LOG_INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.interval = interval
        self._clock = clock
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        kind = str(context.get("message", ""))[:200]
        exc = context.get("exception")
        if exc is not None:
            kind = f"{kind}: {type(exc).__name__}: {getattr(exc, 'strerror', None) or exc}"[:300]
        now = self._clock()
        last = self._last.get(kind)
        if last is not None and now - last < self.interval:
            self._held[kind] = self._held.get(kind, 0) + 1
            return
        if len(self._last) > 1000:  # bounded: old kinds are forgotten
            self._last.clear()
            self._held.clear()
        self._last[kind] = now
        held = self._held.pop(kind, 0)
        log.error("event loop: %s", kind, extra={"fields": {"similar_held_back": held}})
