"""uvloop closes a server's listening socket, silently, after an accept error libuv cannot
retry; serve must notice and exit for a restart rather than live on without taking connections."""

from __future__ import annotations

import asyncio
import os
import socket

import pytest
import uvloop
from aiohttp import web

from ghbot.cli.serve import ListenerLost, until_signalled
from ghbot.connections import CappedSite, InRequest


async def _site() -> tuple[web.AppRunner, CappedSite]:
    in_request = InRequest()
    app = web.Application(middlewares=[in_request.middleware])
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = CappedSite(runner, "127.0.0.1", 0, cap=8, in_request=in_request)
    await site.start()
    return runner, site


def _lose_listener(site: CappedSite) -> None:
    """What uvloop's fatal accept error leaves: the listening descriptor closed under the site,
    its number since reused by another socket (the case a bare "is it open" test would miss)."""
    (listener,) = site._server.sockets  # asyncio's or uvloop's Server
    with socket.socket() as other:
        os.dup2(other.fileno(), listener.fileno())


@pytest.mark.parametrize("loop_factory", [uvloop.new_event_loop, None], ids=["uvloop", "asyncio"])
def test_a_listening_socket_closed_under_the_server_is_noticed(loop_factory) -> None:
    async def scenario() -> None:
        runner, site = await _site()
        try:
            assert site.listening()
            reader, writer = await asyncio.open_connection("127.0.0.1", site.port)
            writer.close()
            _lose_listener(site)
            assert not site.listening()
        finally:
            await runner.cleanup()

    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(scenario())


def test_serve_stops_waiting_and_says_why_when_its_listener_is_gone(monkeypatch) -> None:
    monkeypatch.setattr("ghbot.cli.serve.LISTENER_CHECK_SECONDS", 0.05)

    async def scenario() -> None:
        runner, site = await _site()
        try:
            asyncio.get_running_loop().call_later(0.2, _lose_listener, site)
            async with asyncio.timeout(10):  # no signal comes: only the watch can end the wait
                with pytest.raises(ListenerLost, match="listening socket was closed"):
                    await until_signalled(site.listening)
        finally:
            await runner.cleanup()

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(scenario())
