"""The webhook server: verify, dedupe, store, answer 202; plus health, readiness and metrics.

The request path does the least that makes a delivery safe: check the headers (a signature header
that is not `sha256=` and 64 hex digits is refused unread), stream the body in while computing its
HMAC (one call over a body that came whole with its headers: most deliveries), under a time limit
and a budget of body bytes all requests together may hold, compare in
constant time, read the routing fields (without building the whole payload: see `routing_fields`),
store the job in one group commit, answer. Handlers run later in workers. A client mistake is
always a 4xx, never a 5xx; a delivery the store could not index or no handler could act on (no
installation or repository) is refused before the 202, so a 202 means stored and runnable.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import orjson
from aiohttp import ClientError, StreamReader, hdrs, web
from pydantic import SecretStr

from ghbot import logs, metrics
from ghbot.connections import InRequest
from ghbot.github.serial import serial_keys
from ghbot.jobs.models import JobSpec
from ghbot.jobs.queue import JobQueue, Unstorable
from ghbot.jobs.workers import WorkerPool
from ghbot.registry import Registry
from ghbot.routing_fields import read_event

log = logging.getLogger("ghbot.server")

# GitHub never delivers more than 25 MB.
MAX_BODY_BYTES = 25 * 1024 * 1024
_DELIVERY_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
_EVENT_NAME = re.compile(r"[a-z0-9_]{1,64}")  # e.g. projects_v2_item
_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")
_CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded")


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """What deliveries may cost before they are known to be signed."""

    body_budget: int = 256 * 1024 * 1024  # bytes all bodies being received may hold together
    body_timeout: float = 30.0  # seconds one body may take to arrive


class BodyBudget:
    """Bytes of request bodies held in memory at once, over all requests of this process.

    A body reserves its Content-Length before a byte is read (a chunked one, as it grows); when
    the budget is spent the delivery is answered 503 with Retry-After instead of being read."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0

    def reserve(self, size: int) -> _Reservation | None:
        """`size` bytes for one body, or None when the budget cannot spare them."""
        reservation = _Reservation(self)
        return reservation if reservation.grow_to(size) else None


class _Reservation:
    """One body's share of the budget; `release` it whatever happens to the request."""

    def __init__(self, budget: BodyBudget) -> None:
        self._budget = budget
        self.size = 0

    def grow_to(self, size: int) -> bool:
        extra = size - self.size
        if extra <= 0:
            return True
        if self._budget.held + extra > self._budget.limit:
            return False
        self._budget.held += extra
        self.size = size
        return True

    def release(self) -> None:
        self._budget.held -= self.size
        self.size = 0


@dataclass
class ServerState:
    secret: SecretStr | None  # None until the App is set up: every delivery is refused (503)
    queue: JobQueue
    registry: Registry
    app_slug: str
    pool: WorkerPool | None = None  # None when workers run in other processes only
    limits: IngestLimits = field(default_factory=IngestLimits)


@dataclass(frozen=True, slots=True)
class _Ingest:
    budget: BodyBudget
    body_timeout: float


STATE = web.AppKey("state", ServerState)
_INGEST = web.AppKey("ingest", _Ingest)


def create_app(state: ServerState) -> web.Application:
    if state.secret is not None and not state.secret.get_secret_value():
        # An empty key would make every HMAC check a formality: never allow that.
        raise ValueError("the webhook secret is required")
    app = web.Application()
    app[STATE] = state
    app[_INGEST] = _Ingest(
        BodyBudget(state.limits.body_budget),
        state.limits.body_timeout,
    )
    app.router.add_post("/webhook", webhook)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_endpoint)
    return app


def _answer(status: int, outcome: str, event: str | None, detail: str) -> web.Response:
    metrics.delivery(event, outcome)
    # A queued delivery is recorded by its job (and the worker's lines and the metrics), so its
    # line is DEBUG: at INFO it cost ~15% of the request path's CPU under load. What leaves no
    # other record (ignored, duplicate, ping) stays INFO; refusals are WARNING.
    level = logging.WARNING if status >= 400 else logging.DEBUG if status == 202 else logging.INFO
    if log.isEnabledFor(level):
        log.log(level, "delivery %s", outcome,
                extra={"fields": {"event": event, "status": status, "detail": detail}})
    return _json(status, {"outcome": outcome, "detail": detail})


def _refuse(status: int, outcome: str, detail: str) -> web.Response:
    """A refusal before the body is known to be signed. aiohttp then reads what is left of the
    body and drops it (for at most its lingering time), so nothing more is held in memory."""
    response = _answer(status, outcome, None, detail)
    if status == 503:
        response.headers["Retry-After"] = "1"
    return response


def _busy() -> web.Response:
    return _refuse(503, "busy", "too many request bodies in flight; retry shortly")


_JSON_HEADERS = {"Content-Type": "application/json"}


def _json(status: int, body: dict[str, str]) -> web.Response:
    # orjson: several times cheaper than json_response's json.dumps, on every delivery; a ready
    # header skips aiohttp's content_type parsing.
    return web.Response(body=orjson.dumps(body), status=status, headers=_JSON_HEADERS)


async def webhook(request: web.Request) -> web.Response:
    """POST /webhook as the router sees it (`IngestRunner` takes most deliveries past it)."""
    return await _deliver(request.app[STATE], request.app[_INGEST], request)


async def _deliver(state: ServerState, ingest: _Ingest, request: web.BaseRequest) -> web.Response:
    delivery_id = request.headers.get("X-GitHub-Delivery", "")
    # `logs.delivery`'s work without its context manager, on every delivery.
    token = logs.delivery_id.set(delivery_id[:100] or None)
    try:
        return await _webhook(state, ingest, request, delivery_id)
    finally:
        logs.delivery_id.reset(token)


class IngestRunner(web.AppRunner):
    """An AppRunner whose server hands a plain `POST /webhook` straight to the ingest path.

    The router's resolve and the middleware chain cost about a tenth of a delivery's CPU. Every
    other request (another method or path, a query string, `Expect: 100-continue`) takes the
    application's way, middlewares and all. `in_request`: the connection cap's bookkeeping, done
    for the deliveries taken past the middlewares too."""

    def __init__(self, app: web.Application, *, in_request: InRequest | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(app, **kwargs)
        self._in_request = in_request

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        routed, app, track = server.request_handler, self.app, self._in_request

        async def handler(request: web.BaseRequest) -> web.StreamResponse:
            if (request.raw_path != "/webhook" or request.method != "POST"
                    or hdrs.EXPECT in request.headers):  # fmt: skip
                return await routed(request)
            if track is None:
                return await _deliver(app[STATE], app[_INGEST], request)
            protocols = track.protocols
            protocol = request.protocol
            protocols.add(protocol)
            try:
                return await _deliver(app[STATE], app[_INGEST], request)
            finally:
                protocols.discard(protocol)

        server.request_handler = handler
        return server


class _Refused(Exception):
    def __init__(self, response: web.Response) -> None:
        self.response = response


async def _webhook(
    state: ServerState, ingest: _Ingest, request: web.BaseRequest, delivery_id: str
) -> web.Response:
    secret = state.secret  # set by the setup page while the server runs
    if secret is None:
        return _refuse(503, "not_set_up", "the App is not set up yet: see the setup page")
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        return _refuse(413, "too_large", "payloads over 25 MB are refused")
    signature = _SIGNATURE.fullmatch(request.headers.get("X-Hub-Signature-256", ""))
    if signature is None:
        return _refuse(401, "unauthorized",
                       "missing or malformed X-Hub-Signature-256 (sha256= and 64 hex digits)")
    name = request.headers.get("X-GitHub-Event", "")
    if not _EVENT_NAME.fullmatch(name):
        return _refuse(400, "bad_request", "missing or malformed X-GitHub-Event")
    if not _DELIVERY_ID.fullmatch(delivery_id):
        return _refuse(400, "bad_request", "missing or malformed X-GitHub-Delivery")
    content_type = request.headers.get("Content-Type", "")
    if content_type.split(";", 1)[0].strip().lower() not in _CONTENT_TYPES:
        return _refuse(415, "bad_request", "Content-Type must be application/json")
    held = ingest.budget.reserve(length or 0)
    if held is None:
        return _busy()
    try:
        key = secret.get_secret_value().encode()
        body = await _read_signed(request, ingest, key, bytes.fromhex(signature[1]), held)
        return await _accept(state, name, delivery_id, content_type, body)
    except _Refused as refused:
        return refused.response
    finally:
        held.release()


async def _read_signed(
    request: web.BaseRequest, ingest: _Ingest, key: bytes, digest: bytes, held: _Reservation
) -> bytes:
    """The body, its HMAC-SHA256 compared in constant time (`hmac.compare_digest`)."""
    content = request.content
    try:
        if content.is_eof():
            # It came whole with its headers (most deliveries): it cannot stall, so no timer,
            # and one HMAC call over it.
            body = content.read_nowait()
            _admit(len(body), held)
            mac = hmac.digest(key, body, "sha256")
        else:
            async with asyncio.timeout(ingest.body_timeout):
                body, mac = await _stream(content, key, held)
    except TimeoutError:
        slow = _refuse(408, "timeout", "the body took too long to arrive")
        slow.force_close()  # no lingering for a client this slow
        raise _Refused(slow) from None
    except (ClientError, OSError):  # the client went away or sent a broken body
        raise _Refused(_refuse(400, "bad_request", "the body ended early")) from None
    if not hmac.compare_digest(mac, digest):
        raise _Refused(_answer(401, "unauthorized", None,
                               "signature does not match the webhook secret"))
    return body


async def _stream(content: StreamReader, key: bytes, held: _Reservation) -> tuple[bytes, bytes]:
    """The body and its HMAC-SHA256, computed as the chunks arrive (no second pass over 25 MB)."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    parts = []
    size = 0
    while chunk := await content.readany():
        size += len(chunk)
        _admit(size, held)
        mac.update(chunk)
        parts.append(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts), mac.digest()


def _admit(size: int, held: _Reservation) -> None:
    """Refuses a body that has grown past 25 MB or past what the budget can spare it."""
    if size > MAX_BODY_BYTES:
        raise _Refused(_refuse(413, "too_large", "payloads over 25 MB are refused"))
    if not held.grow_to(size):  # chunked, or longer than announced
        raise _Refused(_busy())


async def _accept(
    state: ServerState, name: str, delivery_id: str, content_type: str, body: bytes
) -> web.Response:
    try:
        payload = _payload(content_type, body)
        event = read_event(name, delivery_id, payload)
    except (ValueError, KeyError):
        # Bad JSON, bad encoding, nested too deep, a form body without `payload`, not an object.
        return _answer(400, "bad_request", name, "the body is not a JSON object")

    if name == "ping":
        return _answer(200, "pong", name, "pong")
    if event.is_from_bot(state.app_slug):
        return _answer(200, "ignored", name, "sent by the bot itself")
    if not state.registry.handles(name, event.action):
        return _answer(200, "ignored", name, f"no handler for {name}.{event.action or '-'}")
    # Every handler acts for an installation on a repository: without them (or with ids of the
    # wrong type) the job could only fail, every attempt.
    if event.installation_id is None:
        return _answer(422, "unprocessable", name, "no installation.id (an integer) to act for")
    if event.repo is None:
        return _answer(422, "unprocessable", name, "no repository.full_name (a string)")

    spec = JobSpec(
        delivery_id=delivery_id,
        event=name,
        payload=payload,
        action=event.action,
        installation_id=event.installation_id,
        repo=event.repo,
        number=event.number,
        sha=event.head_sha,
        serial_keys=serial_keys(event),
    )
    try:
        stored = await state.queue.enqueue(spec)
    except Unstorable as exc:  # refused before anything was written
        return _answer(422, "unprocessable", name, f"cannot be stored: {exc}")
    except Exception:
        # Our store failed, not the client: 503 tells GitHub (and whoever redelivers) to retry.
        log.exception("could not store the job")
        metrics.delivery(name, "store_error")
        return _json(503, {"outcome": "store_error"})
    if not stored:
        return _answer(200, "duplicate", name, "this delivery was already received")
    if state.pool is not None:
        state.pool.wake()
    return _answer(202, "queued", name, "queued")


def _payload(content_type: str, body: bytes) -> bytes:
    """The JSON text of a JSON or form-encoded delivery (GitHub offers both); UTF-8 only."""
    if content_type.split(";", 1)[0].strip().lower() == "application/json":
        return body
    form = parse_qs(body.decode("utf-8"), max_num_fields=100)
    return form["payload"][0].encode("utf-8")


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    state = request.app[STATE]
    problems = []
    try:
        await state.queue.stats()
    except Exception as exc:
        problems.append(f"queue: {type(exc).__name__}")
    if state.pool is not None and not state.pool.ready:
        problems.append("workers: not running")
    queue = state.queue.backend
    if problems:
        return web.json_response(
            {"status": "not ready", "queue": queue, "problems": problems}, status=503
        )
    return web.json_response({"status": "ready", "queue": queue})


async def metrics_endpoint(request: web.Request) -> web.Response:
    state = request.app[STATE]
    try:
        metrics.queue_depth(await state.queue.stats())
    except Exception:
        log.exception("queue depth unavailable")
    return web.Response(body=metrics.render(), headers={"Content-Type": metrics.CONTENT_TYPE})
