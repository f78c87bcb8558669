"""The floor: a bare aiohttp handler that only verifies the HMAC and answers 202.

    python floor.py PORT [PROCESSES]

With PROCESSES > 1, that many forked copies share the port (SO_REUSEPORT), as `serve --processes`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sys

from aiohttp import web

SECRET = os.environ["BENCH_SECRET"].encode()


async def webhook(request: web.Request) -> web.Response:
    body = await request.read()
    expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("X-Hub-Signature-256", ""), expected):
        return web.Response(status=401)
    return web.Response(status=202)


async def announce(app: web.Application) -> None:
    print("ready", flush=True)


app = web.Application(client_max_size=25 * 1024 * 1024)
app.router.add_post("/webhook", webhook)
app.on_startup.append(announce)
processes = int(sys.argv[2]) if len(sys.argv) > 2 else 1
for _ in range(processes - 1):
    if os.fork() == 0:  # before any loop or thread exists: a clean copy
        break
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None,
            reuse_port=processes > 1 or None)
